package report

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caseflow/caseflow/mining"
)

// goldenCases are the small logs whose outputs are kept, reviewed, in
// testdata/golden/NAME/.
var goldenCases = []struct {
	name string
	evs  []ev
	mopt mining.Options
	opt  Options
}{
	{"three-cases", threeCases, depOpt, Options{}},
	// Tukey's fences instead of an SLA, resources pseudonymised.
	{"three-cases-resource", threeCases, mining.Options{Level: mining.Resource, MinSupport: 2}, Options{}},
}

// TestGolden compares every output but the SVG drawings (see TestSVG) with
// its golden file; go test ./report/ -update rewrites them.
func TestGolden(t *testing.T) {
	for _, gc := range goldenCases {
		t.Run(gc.name, func(t *testing.T) {
			r := newReport(t, gc.evs, gc.mopt, gc.opt)
			for _, o := range r.Outputs() {
				if strings.HasSuffix(o.Name, ".svg") {
					continue
				}
				var buf bytes.Buffer
				if err := o.Write(&buf); err != nil {
					t.Fatalf("%s: %v", o.Name, err)
				}
				checkGolden(t, filepath.Join(gc.name, o.Name), buf.Bytes())
			}
		})
	}
}

// TestDeterministic writes every output twice, from two analyses, and
// expects the same bytes.
func TestDeterministic(t *testing.T) {
	render := func() map[string][]byte {
		r := newReport(t, randomLog(t, 300, 6), mining.Options{MinSupport: 5}, Options{})
		out := map[string][]byte{}
		for _, o := range r.Outputs() {
			var buf bytes.Buffer
			if err := o.Write(&buf); err != nil {
				t.Fatalf("%s: %v", o.Name, err)
			}
			out[o.Name] = buf.Bytes()
		}
		return out
	}
	a, b := render(), render()
	for name, x := range a {
		if !bytes.Equal(x, b[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
}
