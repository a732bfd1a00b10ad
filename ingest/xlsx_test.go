package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/xuri/excelize/v2"

	"github.com/caseflow/caseflow/mining"
)

// Excel's own serials: DATE(1900,1,1) is 1, DATE(1900,2,28) 59, 60 the
// 29 February 1900 that never was (Lotus 1-2-3's bug, kept by Excel), so
// DATE(1900,3,1) is 61; DATE(2023,1,1) is 44927, and 43465 in a workbook
// counting from 1904 (1462 days fewer).
func TestCellText(t *testing.T) {
	for _, tc := range []struct {
		stored, shown string
		date1904      bool
		want          string
	}{
		{"1", "1/1/00", false, "1900-01-01 00:00:00.000"},
		{"59", "2/28/00", false, "1900-02-28 00:00:00.000"},
		{"61", "3/1/00", false, "1900-03-01 00:00:00.000"},
		{"44927.5", "2023-01-01 12:00", false, "2023-01-01 12:00:00.000"},
		{"43465.5", "2023-01-01 12:00", true, "2023-01-01 12:00:00.000"},
		{"44927.000011574", "01-Jan-23", false, "2023-01-01 00:00:01.000"},
		{"0.75", "18:00", false, "18:00:00"},
		{"12.5", "12.50", false, "12.5"},
		{"45000", "45000", false, "45000"},
		{"-5", "-5.0", false, "-5"},
		{"0.00001", "1.00E-05", false, "0.00001"},
		{"2023-01-01T12:00:00", "2023-01-01T12:00:00", false, "2023-01-01T12:00:00"},
		{"two\nlines", "two\nlines", false, "two lines"},
	} {
		if got := cellText(tc.stored, tc.shown, tc.date1904); got != tc.want {
			t.Errorf("cellText(%q, %q, %v) = %q; want %q", tc.stored, tc.shown, tc.date1904, got, tc.want)
		}
	}
}

// writeBook saves a workbook whose sheets have the rows given; a
// time.Time cell is stored as a date serial shown with a date format.
func writeBook(t testing.TB, sheets map[string][][]any, order ...string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	style, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm:ss.000")})
	if err != nil {
		t.Fatal(err)
	}
	for k, name := range order {
		if k == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[name] {
			cells := make([]any, len(row))
			for c, v := range row {
				cells[c] = v
				if tm, ok := v.(time.Time); ok {
					cells[c] = excelize.Cell{StyleID: style, Value: tm}
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := sw.SetRow(cell, cells); err != nil {
				t.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func ptr[T any](v T) *T { return &v }

// TestXLSXReceipt: the receipt log as a workbook, its timestamps stored as
// date serials, gives the figures of the CSV file it was made from.
func TestXLSXReceipt(t *testing.T) {
	const src = "../../shared/data/receipt/receipt.csv"
	fh, err := os.Open(src)
	if err != nil {
		t.Skipf("the shared receipt log is absent (%v): see /work/shared/data/README", err)
	}
	recs, err := csv.NewReader(fh).ReadAll()
	fh.Close()
	if err != nil {
		t.Fatal(err)
	}
	tcol := -1
	rows := make([][]any, len(recs))
	for r, rec := range recs {
		rows[r] = make([]any, len(rec))
		for c, v := range rec {
			rows[r][c] = v
			if r == 0 && v == "time:timestamp" {
				tcol = c
			}
			if r > 0 && c == tcol {
				tm, err := time.Parse("2006-01-02 15:04:05.999999-07:00", v)
				if err != nil {
					t.Fatalf("%s:%d: %v", src, r+1, err)
				}
				rows[r][c] = tm.UTC() // the serial holds UTC wall-clock time
			}
		}
	}
	book := writeBook(t, map[string][][]any{"receipt": rows}, "receipt")
	figures := func(path string) (int, int, int, int, int64) {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		res, err := Read([]string{path}, Options{Mem: mem})
		if err != nil {
			t.Fatal(err)
		}
		defer res.Release()
		f, err := mining.Analyze(res.Log, mining.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return res.Log.Len(), res.Log.Cases(), f.Flows.Handoffs, f.PingPong.Occurrences, res.Rejected
	}
	ev, cs, ho, pp, rj := figures(src)
	xev, xcs, xho, xpp, xrj := figures(book)
	if ev != xev || cs != xcs || ho != xho || pp != xpp || rj != xrj || ev != len(recs)-1 {
		t.Errorf("xlsx: events %d, cases %d, handoffs %d, ping-pong %d, rejected %d; csv: %d, %d, %d, %d, %d (%d rows)",
			xev, xcs, xho, xpp, xrj, ev, cs, ho, pp, rj, len(recs)-1)
	}
	t.Logf("receipt as .xlsx: %d events, %d cases, %d handoffs, %d ping-pong, %d rejected", xev, xcs, xho, xpp, xrj)
}

// TestXLSXSheetsAndRejects: --sheet picks a sheet, and a bad cell or a row
// too wide is rejected with the sheet, row and column.
func TestXLSXSheetsAndRejects(t *testing.T) {
	t0 := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	wide := make([]any, maxColumns+1) // the CSV limit holds for sheets too
	for i := range wide {
		wide[i] = "x"
	}
	book := writeBook(t, map[string][][]any{
		"Notes": {{"nothing here"}},
		"Data": {
			{"case", "activity", "time"},
			{"1", "Open", t0},
			{"1", "Close", "not a time"},
			{},
			{"2", "Open", "2024-03-01 10:00:00"}, // a date as text
			{"2", "Close", t0.Add(2 * time.Hour)},
		},
		"Wide": {{"case", "activity", "time"}, wide},
	}, "Notes", "Data", "Wide")
	res, err := Read([]string{book}, Options{Sheet: "Data"})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if res.Log.Len() != 3 || res.Rejected != 1 {
		t.Fatalf("events %d, rejected %d; want 3, 1", res.Log.Len(), res.Rejected)
	}
	if r := res.Rejects[0]; r.File != book+"[Data]" || r.Line != 3 || r.Column != 3 {
		t.Errorf("reject %s; want %s[Data]:3:3", r, book)
	}
	if got, want := res.Log.Times()[2]-res.Log.Times()[1], (time.Hour).Microseconds(); got != want {
		t.Errorf("case 2 lasts %d µs; want %d (a text date, then a serial)", got, want)
	}
	res2, err := Read([]string{book}, Options{Sheet: "Wide"})
	if err != nil {
		t.Fatal(err)
	}
	defer res2.Release()
	if res2.Rejected != 1 || res2.Rejects[0].Line != 2 || res2.Rejects[0].Column != maxColumns+1 {
		t.Errorf("a row of %d cells: rejects %v; want one at line 2, column %d", maxColumns+1, res2.Rejects, maxColumns+1)
	}
	if _, err := Read([]string{book}, Options{Sheet: "Missing"}); err == nil || !strings.Contains(err.Error(), `--sheet "Missing": no such sheet`) {
		t.Errorf("unknown sheet: %v", err)
	}
	if _, err := Read([]string{book}, Options{Shape: ShapeCalls}); err == nil || !strings.Contains(err.Error(), "save the sheet as CSV") {
		t.Errorf("--shape calls on a workbook: %v", err)
	}
}

// TestXLSXAudit: a field-change history in a workbook is read as one in a
// CSV file: testdata/audit.csv's rows as a sheet give its stays and gaps.
func TestXLSXAudit(t *testing.T) {
	fh, err := os.Open("testdata/audit.csv")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(fh).ReadAll()
	fh.Close()
	if err != nil {
		t.Fatal(err)
	}
	rows := make([][]any, len(recs))
	for r, rec := range recs {
		for _, v := range rec {
			rows[r] = append(rows[r], v)
		}
	}
	book := writeBook(t, map[string][][]any{"audit": rows}, "audit")
	fromCSV, err := Read([]string{"testdata/audit.csv"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fromCSV.Release()
	fromBook, err := Read([]string{book}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fromBook.Release()
	in := fromBook.Inputs[0]
	if in.Shape != ShapeAudit || in.HistoryGaps != 2 || fromBook.Rejected != 1 || fromBook.Rejects[0].Line != 17 {
		t.Errorf("shape %q, gaps %d, rejects %v; want audit, 2, one at line 17", in.Shape, in.HistoryGaps, fromBook.Rejects)
	}
	want, got := stays(fromCSV.Log), stays(fromBook.Log)
	for id, w := range want {
		if !slices.Equal(got[id], w) {
			t.Errorf("case %s stays %q; want %q as from the CSV file", id, got[id], w)
		}
	}
}

// BenchmarkReadXLSX reads a 5,000-row sheet, a third of its cells date
// serials: the cost of the two passes over each row.
func BenchmarkReadXLSX(b *testing.B) {
	t0 := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	rows := [][]any{{"case", "activity", "time"}}
	for i := range 5000 {
		rows = append(rows, []any{strconv.Itoa(i / 5), "step " + strconv.Itoa(i%5), t0.Add(time.Duration(i) * time.Minute)})
	}
	book := writeBook(b, map[string][][]any{"log": rows}, "log")
	b.ResetTimer()
	for range b.N {
		res, err := Read([]string{book}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		res.Release()
	}
}

// TestXLSXBomb: a workbook whose zip directory says a part unpacks to
// 3 GiB is refused before anything is unpacked (its bytes are a few
// hundred: nothing would stop a real bomb's deflate stream but the bound).
func TestXLSXBomb(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Store,
		CompressedSize64: 5, UncompressedSize64: 3 << 30})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("<row>")); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = Read([]string{"-"}, Options{Stdin: &buf})
	if err == nil || !strings.Contains(err.Error(), "unpacks to 3072 MiB, more than the 2048 MiB caseflow reads") {
		t.Errorf("error %v; want the workbook refused for its unpacked size", err)
	}
}
