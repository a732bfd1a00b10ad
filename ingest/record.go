package ingest

import (
	"bytes"
	"errors"
	"fmt"
)

// errUnterminated is reported for a record whose quoted field runs to the
// end of the input; the field's column is in recordReader.errCol.
var errUnterminated = errors.New("a quoted field is never closed: the rest of the file was read into it; close the quote or fix the export")

// errTooWide and errCellTooLong are reported for a record beyond the
// limits in split.go; recordReader.errCol is the first column past them.
var (
	errTooWide     = fmt.Errorf("the row has more than %d fields, the most caseflow reads; check the delimiter (--delimiter) and the quoting", maxColumns)
	errCellTooLong = fmt.Errorf("the field is longer than %d MiB, the most caseflow reads in one cell; check for a quote that is never closed", maxCell>>20)
)

// recordReader splits CSV records out of a chunk. It is lenient the way
// spreadsheets are: a quote inside an unquoted field is kept as text, and
// text after a closing quote is appended to the field.
type recordReader struct {
	data   []byte
	pos    int
	start  int   // where the last record starts
	line   int64 // line of the next record
	delim  byte
	errCol int // 1-based column of the last record's error
	fields [][]byte
	// scratch holds unescaped quoted fields; fields may point into it.
	scratch []byte
}

// next returns the fields of the next record, the record's raw bytes and
// its first line. fields is nil for a blank line. ok is false at the end.
// The slices are valid until the next call. A record beyond the limits
// comes with errTooWide (and only its first maxColumns fields) or
// errCellTooLong.
func (r *recordReader) next() (fields [][]byte, raw []byte, line int64, err error, ok bool) {
	fields, raw, line, err, ok = r.split()
	if err == nil && len(fields) > maxColumns {
		fields, r.fields, err, r.errCol = fields[:maxColumns], fields[:maxColumns], errTooWide, maxColumns+1
	}
	for i, f := range fields {
		if err == nil && len(f) > maxCell {
			err, r.errCol = errCellTooLong, i+1
		}
	}
	return fields, raw, line, err, ok
}

// split is next without the limits, except that it keeps no more than
// maxColumns+1 fields.
func (r *recordReader) split() (fields [][]byte, raw []byte, line int64, err error, ok bool) {
	if r.pos >= len(r.data) {
		return nil, nil, 0, nil, false
	}
	start, line := r.pos, r.line
	r.start = start
	rest := r.data[r.pos:]
	nl := bytes.IndexByte(rest, '\n')
	var rec []byte
	if nl < 0 {
		rec = rest
	} else {
		rec = rest[:nl]
	}
	if bytes.IndexByte(rec, '"') < 0 {
		// Fast path: no quotes, the record is this line.
		r.pos += len(rec) + 1
		r.line++
		rec = trimCR(rec)
		raw = rec
		if len(rec) == 0 {
			return nil, rec, line, nil, true
		}
		r.fields = r.fields[:0]
		for {
			i := bytes.IndexByte(rec, r.delim)
			if i < 0 || len(r.fields) == maxColumns {
				r.fields = append(r.fields, rec)
				break
			}
			r.fields = append(r.fields, rec[:i])
			rec = rec[i+1:]
		}
		return r.fields, raw, line, nil, true
	}
	err = r.quoted()
	raw = r.data[start:r.pos]
	raw = trimCR(bytes.TrimSuffix(raw, []byte{'\n'}))
	return r.fields, raw, line, err, true
}

// resume goes back to the second line of the last record, which started
// at line, so that a stray quote on its first line does not swallow the
// lines after it.
func (r *recordReader) resume(line int64) {
	r.pos = r.start + bytes.IndexByte(r.data[r.start:], '\n') + 1
	r.line = line + 1
}

func trimCR(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\r' {
		return b[:n-1]
	}
	return b
}

// quoted parses one record that contains quotes, with a small state
// machine, advancing r.pos past the record's newline.
func (r *recordReader) quoted() error {
	r.fields = r.fields[:0]
	r.scratch = r.scratch[:0]
	// Fields are first recorded as offsets into scratch, because scratch may
	// grow and move.
	var spans [8]span
	sp := spans[:0]
	d := r.data
	i := r.pos
	fieldStart := len(r.scratch)
	for {
		// At the start of a field.
		if i < len(d) && d[i] == '"' {
			i++
			for {
				j := bytes.IndexByte(d[i:], '"')
				if j < 0 {
					r.scratch = append(r.scratch, d[i:]...)
					r.line += int64(bytes.Count(d[i:], []byte{'\n'}))
					i = len(d)
					sp = append(sp, span{fieldStart, len(r.scratch)})
					r.pos = i
					r.errCol = len(sp)
					r.setFields(sp)
					return errUnterminated
				}
				r.scratch = append(r.scratch, d[i:i+j]...)
				r.line += int64(bytes.Count(d[i:i+j], []byte{'\n'}))
				i += j + 1
				if i < len(d) && d[i] == '"' { // doubled quote
					r.scratch = append(r.scratch, '"')
					i++
					continue
				}
				break
			}
		}
		// Unquoted text, or text after a closing quote, up to the delimiter
		// or the end of the line.
		for i < len(d) && d[i] != r.delim && d[i] != '\n' {
			r.scratch = append(r.scratch, d[i])
			i++
		}
		end := len(r.scratch)
		if i >= len(d) || d[i] == '\n' {
			if end > fieldStart && r.scratch[end-1] == '\r' && (i >= len(d) || d[i] == '\n') {
				end--
			}
			sp = append(sp, span{fieldStart, end})
			if i < len(d) {
				i++
			}
			r.line++
			r.pos = i
			r.setFields(sp)
			return nil
		}
		if len(sp) <= maxColumns { // the rest of a too wide record is only skipped
			sp = append(sp, span{fieldStart, end})
		}
		i++ // delimiter
		fieldStart = len(r.scratch)
	}
}

type span struct{ lo, hi int }

func (r *recordReader) setFields(sp []span) {
	for _, s := range sp {
		r.fields = append(r.fields, r.scratch[s.lo:s.hi])
	}
}
