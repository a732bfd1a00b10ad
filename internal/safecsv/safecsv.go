// Package safecsv writes CSV that spreadsheets open without running
// anything: a cell starting with =, +, -, @, tab or carriage return is
// prefixed with a single quote, as OWASP's "CSV injection" guidance advises,
// because such cells are read as formulas.
package safecsv

import (
	"encoding/csv"
	"io"
)

// Writer is a csv.Writer that neutralises formula-like text cells.
type Writer struct {
	w   *csv.Writer
	row []string
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: csv.NewWriter(w)} }

// Neutralise returns s made safe for a spreadsheet cell.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// Write writes one record of text cells, neutralising each.
func (w *Writer) Write(cells ...string) error {
	w.row = w.row[:0]
	for _, c := range cells {
		w.row = append(w.row, Neutralise(c))
	}
	return w.w.Write(w.row)
}

// Flush flushes and returns the first write error, if any.
func (w *Writer) Flush() error {
	w.w.Flush()
	return w.w.Error()
}
