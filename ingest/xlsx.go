package ingest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/caseflow/caseflow/eventlog"
)

// zipMagic starts every zip archive, and so every .xlsx workbook.
var zipMagic = []byte("PK\x03\x04")

const formatXLSX = "xlsx"

// Bounds against a workbook that unpacks to far more than it is (a zip
// bomb): maxUnzip for all its parts together, judged from the zip's
// directory before anything is unpacked (Go's zip reader fails a part
// that unpacks to more than the directory says), and maxUnzipXML for one
// worksheet or string table held in memory; a larger one goes to a
// temporary file, and its rows are streamed from there.
const (
	maxUnzip    = 2 << 30
	maxUnzipXML = 64 << 20
)

// readXLSX reads one worksheet of an .xlsx workbook: the first, or
// Options.Sheet. Its rows stream through the CSV reader, so detection,
// rejects and limits are those of a CSV file: the header is the sheet's
// first row, a reject's line is the sheet's row and its column the
// sheet's column (1 is A), and the file is named "book.xlsx[Sheet]".
func readXLSX(r io.Reader, in *Input, opt Options, b *eventlog.Builder, res *Result) error {
	if opt.Shape == ShapeCalls {
		return fmt.Errorf("%s: --shape calls reads delimited text files, not workbooks; save the sheet as CSV", in.File)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("%s: %w", in.File, err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return &ParseError{File: in.File, Line: 1, Column: 1, Err: fmt.Errorf("not a readable .xlsx workbook (%v); save it again from the spreadsheet as .xlsx or CSV", err)}
	}
	var unpacked uint64
	for _, f := range zr.File {
		unpacked += f.UncompressedSize64
	}
	if unpacked > maxUnzip {
		return &ParseError{File: in.File, Line: 1, Column: 1, Err: fmt.Errorf(
			"the workbook unpacks to %d MiB, more than the %d MiB caseflow reads (a damaged file or a zip bomb?); save the sheet as CSV",
			unpacked>>20, maxUnzip>>20)}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzip, UnzipXMLSizeLimit: maxUnzipXML})
	if err != nil {
		return &ParseError{File: in.File, Line: 1, Column: 1, Err: fmt.Errorf("not a readable .xlsx workbook (%v); save it again from the spreadsheet as .xlsx or CSV", err)}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	sheet := opt.Sheet
	switch {
	case len(sheets) == 0:
		return &ParseError{File: in.File, Line: 1, Column: 1, Err: errors.New("the workbook has no worksheet")}
	case sheet == "":
		sheet = sheets[0]
	case !slices.Contains(sheets, sheet):
		return fmt.Errorf("%s: --sheet %q: no such sheet; the workbook has: %s", in.File, sheet, quoteList(sheets))
	}
	if len(sheets) > 1 {
		in.Notes = append(in.Notes, fmt.Sprintf("read the sheet %q, one of %d (%s); --sheet reads another", sheet, len(sheets), quoteList(sheets)))
	}
	props, err := f.GetWorkbookProps()
	if err != nil {
		return fmt.Errorf("%s: %w", in.File, err)
	}
	date1904 := props.Date1904 != nil && *props.Date1904
	// Two passes in step over the same rows: the stored values, and the
	// values as shown, which tell a date serial (shown as a date) from a
	// number; the streaming reader gives no cell's style.
	stored, err := f.Rows(sheet)
	if err != nil {
		return fmt.Errorf("%s: sheet %q: %w", in.File, sheet, err)
	}
	defer stored.Close()
	shown, err := f.Rows(sheet)
	if err != nil {
		return fmt.Errorf("%s: sheet %q: %w", in.File, sheet, err)
	}
	defer shown.Close()

	in.File = fmt.Sprintf("%s[%s]", in.File, sheet)
	in.Compression = "zip"
	b.SetFile(in.File)
	opt.Delimiter, opt.Encoding = ',', "utf-8"
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		pw.CloseWithError(writeSheet(pw, stored, shown, date1904))
	}()
	err = readCSV(bufio.NewReaderSize(pr, 1<<16), in, opt, b, res)
	pr.CloseWithError(errors.New("reading stopped")) // ends writeSheet early after an error
	<-done
	return err
}

// writeSheet writes the rows as CSV, one line per sheet row (empty rows
// too, so lines are rows), each as wide as the header. Line breaks inside
// a cell become spaces, so they cannot shift the lines.
//
// Which numbers are date serials is judged from the cells as shown in the
// first styleRows rows: there cell by cell, after them by column (a
// column whose numbers were all shown as dates), since excelize's date
// formatting costs far more than reading a cell (a third of a
// millisecond).
func writeSheet(w io.Writer, stored, shown *excelize.Rows, date1904 bool) error {
	cw := csv.NewWriter(w)
	width := -1
	var dates, numbers []bool // by column, in the sample
	for row := 1; stored.Next(); row++ {
		vals, err := stored.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return err
		}
		sample := row <= styleRows
		var disp []string
		if sample {
			if !shown.Next() {
				return errors.New("the worksheet's rows changed while read")
			}
			if disp, err = shown.Columns(); err != nil {
				return err
			}
		}
		if width < 0 {
			width = len(vals)
		}
		if len(vals) == 0 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
			continue
		}
		for len(dates) < len(vals) {
			dates, numbers = append(dates, false), append(numbers, false)
		}
		for i, v := range vals {
			switch {
			case sample:
				d := ""
				if i < len(disp) {
					d = disp[i]
				}
				vals[i] = cellText(v, d, date1904)
				if _, err := strconv.ParseFloat(v, 64); err == nil {
					if vals[i] != v {
						dates[i] = true
					} else {
						numbers[i] = true
					}
				}
			case dates[i] && !numbers[i]:
				if t, ok := serialText(v, date1904); ok {
					vals[i] = t
					continue
				}
				fallthrough
			default:
				vals[i] = lineBreaks.Replace(v)
			}
		}
		for len(vals) < width {
			vals = append(vals, "")
		}
		if err := cw.Write(vals); err != nil {
			return err
		}
		cw.Flush() // before the next raw "\n", and to stream
		if err := cw.Error(); err != nil {
			return err
		}
	}
	return stored.Error()
}

// styleRows is how many leading rows writeSheet judges cell by cell:
// enough for every column to show its numbers' format.
const styleRows = 100

var lineBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// cellText is a cell's text: a number shown as a date or time is an Excel
// date serial (see serialText); every other cell is its stored text.
func cellText(stored, shown string, date1904 bool) string {
	if stored != shown && looksDate(shown) {
		if t, ok := serialText(stored, date1904); ok {
			return t
		}
	}
	return lineBreaks.Replace(stored)
}

// serialText reads an Excel date serial (days since 1899-12-30 less the
// 1900 leap-year bug, or since 1904-01-01 in a 1904 workbook, as
// excelize.ExcelDateToTime reads them) and writes it as
// "2006-01-02 15:04:05.000", to the millisecond (a serial's float holds
// about a microsecond), or "15:04:05" for a time of day alone (below 1).
func serialText(stored string, date1904 bool) (string, bool) {
	v, err := strconv.ParseFloat(stored, 64)
	if err != nil || v < 0 {
		return "", false
	}
	t, err := excelize.ExcelDateToTime(v, date1904)
	if err != nil {
		return "", false
	}
	t = t.Round(time.Millisecond)
	if v < 1 {
		return t.Format("15:04:05"), true
	}
	return t.Format("2006-01-02 15:04:05.000"), true
}

// looksDate reports whether a cell as shown reads as a date or time: it
// has a ':' or '/', or a '-' between a digit and a digit or letter
// (2024-01-31, 31-Jan-24) rather than before a number (-5, 1E-05).
func looksDate(s string) bool {
	if strings.ContainsAny(s, ":/") {
		return true
	}
	for i := 1; i+1 < len(s); i++ {
		if s[i] == '-' && isDigit(s[i-1]) && (isDigit(s[i+1]) || isLetter(s[i+1])) {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
