package handlog

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
)

// TestThreeCasesFile keeps ThreeCases and the CSV the command tests read
// the same events, so the two copies of the worked example cannot drift.
func TestThreeCasesFile(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "testdata", "golden", "three-cases.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(ThreeCases)+1 {
		t.Fatalf("%d data rows, want %d", len(rows)-1, len(ThreeCases))
	}
	for i, e := range ThreeCases {
		r := rows[i+1]
		want := [5]string{r[0], r[1], "", r[3], r[4]}
		got := e
		got[2] = ""
		if got != want || Day.Format("2006-01-02 ")+e[2]+":00" != r[2] {
			t.Errorf("row %d: file %q, ThreeCases %q", i+2, r, e)
		}
	}
}
