package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/caseflow/caseflow/internal/safecsv"
)

// TestTableAsEncodingCSV checks the table's cells against encoding/csv
// writing the same neutralised cells, and its numbers against
// encoding/json (the report's own rendering of a number).
func TestTableAsEncodingCSV(t *testing.T) {
	texts := []string{"", "plain", "a,b", `say "hi"`, "two\nlines", "cr\rhere", " lead", "\u00a0nbsp", `\.`, `\..`,
		"=SUM(A1)", "-5", "+31", "@x", "\tx", "\rx", "é,ü", "trail ", "\"", ",", "'"}
	var want bytes.Buffer
	cw := csv.NewWriter(&want)
	var got bytes.Buffer
	tb := newTable(&got, "h1", "h 2")
	cw.Write([]string{"h1", "h 2"})
	for _, s := range texts {
		tb.text(s).int(-7).bool(true).end()
		cw.Write([]string{safecsv.Neutralise(s), "-7", "true"})
	}
	if err := tb.flush(); err != nil {
		t.Fatal(err)
	}
	cw.Flush()
	if got.String() != want.String() {
		t.Errorf("table wrote\n%q\nencoding/csv\n%q", got.String(), want.String())
	}

	nums := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1e-6, 9.99999e-7, 1e-7, -1.5e-9, 1e20, 1e21, 123456789.123, math.MaxFloat64,
		math.SmallestNonzeroFloat64, 259083.723, 1.0 / 3}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		nums = append(nums, math.Float64frombits(r.Uint64()))
	}
	for _, f := range nums {
		w := ""
		switch b, err := json.Marshal(f); {
		case math.IsNaN(f):
		case err != nil:
			w = strconv.FormatFloat(f, 'g', -1, 64)
		default:
			w = string(b)
		}
		if g := string(num(f).appendText(nil)); g != w {
			t.Errorf("%v (%#x) written %q, want %q", f, math.Float64bits(f), g, w)
		}
	}
}
