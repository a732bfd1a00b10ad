package ingest

// A purpose-built tokenizer for the XML subset XES uses: elements,
// attributes in single or double quotes, the five predefined entities and
// numeric character references, comments, processing instructions, CDATA
// and a DOCTYPE without declarations. encoding/xml's reflection-free
// RawToken still reads under 80 MB/s; this reads the BPIC 2013 log at about
// 400 MB/s and refuses entity declarations outright.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

type tokKind uint8

const (
	tokNone tokKind = iota // markup that carries nothing (comment, PI, …)
	tokStart
	tokEnd
	tokEOF
)

type xmlAttr struct{ name, val []byte }

// errNeedMore asks the caller to read more input and scan the token again.
var errNeedMore = errors.New("more input needed")

// xmlScanner tokenizes a stream through a window buffer. Positions are
// indexes into buf; lines are counted lazily (with bytes.Count) up to the
// positions asked for, which only move forward.
type xmlScanner struct {
	r        io.Reader
	file     string
	buf      []byte
	pos, end int
	base     int64 // file offset of buf[0]
	eof      bool
	rerr     error // a read error other than io.EOF

	line      int64 // line of buf[counted]
	counted   int
	lineStart int64 // file offset where that line starts

	// The current token; slices are valid until the next call to next.
	tag     int // index of its '<'
	name    []byte
	attrs   []xmlAttr
	self    bool // a start tag closed by "/>"
	scratch []byte

	forced  bool // the encoding was given by the caller, not the declaration
	latin1  bool
	badUTF8 int
}

// next returns the next start or end tag, or tokEOF.
func (s *xmlScanner) next() (tokKind, error) {
	for {
		i := bytes.IndexByte(s.buf[s.pos:s.end], '<')
		if i < 0 {
			// Character data: XES has none that matters.
			s.pos = s.end
			more, err := s.fill(s.end)
			if err != nil {
				return 0, err
			}
			if !more {
				if s.rerr != nil {
					return 0, s.rerr
				}
				return tokEOF, nil
			}
			continue
		}
		s.pos += i
		s.tag = s.pos
		k, err := s.markup()
		if err == errNeedMore {
			more, err := s.fill(s.tag)
			if err != nil {
				return 0, err
			}
			if !more {
				if s.rerr != nil {
					return 0, s.rerr
				}
				return 0, s.errAt(s.tag, "the file ends inside this tag: it is truncated; export or download it again")
			}
			continue
		}
		if err != nil || k != tokNone {
			return k, err
		}
	}
}

// fill drops buf[:keep], moves the rest to the front and reads more after
// it. It reports false at the end of the input (or a read error, in rerr).
func (s *xmlScanner) fill(keep int) (bool, error) {
	if s.eof {
		return false, nil
	}
	s.position(keep) // count the lines about to leave the window
	n := copy(s.buf, s.buf[keep:s.end])
	s.base += int64(keep)
	s.counted -= keep
	s.pos -= keep
	s.tag -= keep
	s.end = n
	if s.end == len(s.buf) {
		if len(s.buf) >= xesMaxTag {
			return false, s.errAt(0, "one tag is longer than %d MiB; this is not a usable XES file (a missing '>' or quote?)", xesMaxTag>>20)
		}
		s.buf = append(s.buf, make([]byte, len(s.buf))...)
	}
	for {
		m, err := s.r.Read(s.buf[s.end:])
		s.end += m
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.rerr = err
			}
			return m > 0, nil
		}
		if m > 0 {
			return true, nil
		}
	}
}

// position returns the 1-based line and byte column of buf[p].
func (s *xmlScanner) position(p int) (line, col int64) {
	p = max(0, min(p, s.end))
	if p >= s.counted {
		seg := s.buf[s.counted:p]
		if n := bytes.Count(seg, []byte{'\n'}); n > 0 {
			s.line += int64(n)
			s.lineStart = s.base + int64(s.counted+bytes.LastIndexByte(seg, '\n')+1)
		}
		s.counted = p
		return s.line, s.base + int64(p) - s.lineStart + 1
	}
	// Behind the counted position (an error about an earlier byte of the
	// window): count back.
	seg := s.buf[p:s.counted]
	line = s.line - int64(bytes.Count(seg, []byte{'\n'}))
	start := s.lineStart
	if line != s.line {
		start = s.base + int64(bytes.LastIndexByte(s.buf[:p], '\n')+1)
	}
	return line, s.base + int64(p) - start + 1
}

func (s *xmlScanner) errAt(p int, format string, args ...any) error {
	line, col := s.position(p)
	return &ParseError{File: s.file, Line: line, Column: col, Err: fmt.Errorf(format, args...)}
}

// markup scans the token at s.tag. On errNeedMore it has not moved s.pos.
func (s *xmlScanner) markup() (tokKind, error) {
	b := s.buf[:s.end]
	p := s.tag + 1
	if p >= len(b) {
		return 0, errNeedMore
	}
	switch b[p] {
	case '/':
		j := bytes.IndexByte(b[p:], '>')
		if j < 0 {
			return 0, errNeedMore
		}
		s.name = bytes.TrimRight(b[p+1:p+j], " \t\r\n")
		if len(s.name) == 0 || len(s.name) > xesMaxName || bytes.ContainsAny(s.name, " \t\r\n<\"'") {
			return 0, s.errAt(s.tag, "malformed end tag %q; it should read </name>", b[s.tag:p+j+1])
		}
		s.pos = p + j + 1
		return tokEnd, nil
	case '?':
		return tokNone, s.pi()
	case '!':
		return tokNone, s.bang()
	}
	return s.startTag()
}

// pi skips a processing instruction, reading the encoding from the XML
// declaration.
func (s *xmlScanner) pi() error {
	b := s.buf[:s.end]
	j := bytes.Index(b[s.tag+2:], []byte("?>"))
	if j < 0 {
		if len(b)-s.tag < 4096 && !s.eof {
			return errNeedMore // declarations are short: get it whole
		}
		s.pos = s.tag + 2
		return s.skipPast("?>", "processing instruction")
	}
	body := b[s.tag+2 : s.tag+2+j]
	if len(body) > 3 && string(body[:3]) == "xml" && xmlSpace(body[3]) && !s.forced {
		if err := s.declaration(body); err != nil {
			return err
		}
	}
	s.pos = s.tag + 2 + j + 2
	return nil
}

func (s *xmlScanner) declaration(body []byte) error {
	i := bytes.Index(body, []byte("encoding"))
	if i < 0 {
		return nil
	}
	v := bytes.TrimLeft(body[i+len("encoding"):], " \t\r\n")
	v, ok := bytes.CutPrefix(v, []byte("="))
	v = bytes.TrimLeft(v, " \t\r\n")
	if !ok || len(v) == 0 || (v[0] != '"' && v[0] != '\'') {
		return nil
	}
	end := bytes.IndexByte(v[1:], v[0])
	if end < 0 {
		return nil
	}
	switch enc := strings.ToLower(string(v[1 : 1+end])); enc {
	case "utf-8", "utf8", "us-ascii", "ascii":
		s.latin1 = false
	case "iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252Runes", "iso-8859-15":
		s.latin1 = true
	default:
		return s.errAt(s.tag, "the XML declaration names encoding %q, which caseflow does not read; re-save the file as UTF-8", enc)
	}
	return nil
}

// bang skips comments, CDATA and a DOCTYPE without declarations.
func (s *xmlScanner) bang() error {
	rest := s.buf[s.tag:s.end]
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		s.pos = s.tag + 4
		return s.skipPast("-->", "comment")
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		s.pos = s.tag + 9
		return s.skipPast("]]>", "CDATA section")
	case bytes.HasPrefix(rest, []byte("<!DOCTYPE")):
		return s.doctype()
	case len(rest) < 9 && !s.eof:
		return errNeedMore
	}
	return s.errAt(s.tag, "unexpected markup %q; XES has elements, comments and CDATA only", rest[:min(len(rest), 12)])
}

// skipPast moves s.pos past the next pat, reading as needed with a window
// that does not grow: a huge comment costs time, not memory.
func (s *xmlScanner) skipPast(pat, what string) error {
	line, col := s.position(s.tag)
	for {
		if i := bytes.Index(s.buf[s.pos:s.end], []byte(pat)); i >= 0 {
			s.pos += i + len(pat)
			return nil
		}
		keep := max(s.pos, s.end-len(pat)+1)
		s.pos = keep
		more, err := s.fill(keep)
		if err != nil {
			return err
		}
		if !more {
			if s.rerr != nil {
				return s.rerr
			}
			return &ParseError{File: s.file, Line: line, Column: col,
				Err: fmt.Errorf("this %s is never closed with %q: the file is truncated or broken", what, pat)}
		}
	}
}

func (s *xmlScanner) doctype() error {
	line, col := s.position(s.tag)
	s.pos = s.tag + len("<!DOCTYPE")
	for {
		seg := s.buf[s.pos:s.end]
		if i := bytes.IndexAny(seg, "[>"); i >= 0 {
			if seg[i] == '[' {
				return &ParseError{File: s.file, Line: line, Column: col, Err: errors.New(
					"the file declares a DTD (<!DOCTYPE … [ … ]>) that may define entities; XES never needs one and caseflow does not expand entities " +
						"(an entity-expansion or \"billion laughs\" attack looks like this): remove the <!DOCTYPE …> block")}
			}
			s.pos += i + 1
			return nil
		}
		s.pos = s.end
		more, err := s.fill(s.end)
		if err != nil {
			return err
		}
		if !more {
			if s.rerr != nil {
				return s.rerr
			}
			return &ParseError{File: s.file, Line: line, Column: col, Err: errors.New("this <!DOCTYPE is never closed: the file is truncated or broken")}
		}
	}
}

// nameStop marks the bytes that end an element or attribute name.
var nameStop = func() (t [256]bool) {
	for _, c := range []byte(" \t\r\n/>=<\"'&") {
		t[c] = true
	}
	return t
}()

func xmlSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (s *xmlScanner) startTag() (tokKind, error) {
	b := s.buf[:s.end]
	p := s.tag + 1
	for p < len(b) && !nameStop[b[p]] {
		p++
	}
	if p == len(b) {
		return 0, errNeedMore
	}
	if p == s.tag+1 {
		return 0, s.errAt(s.tag, "'<' is not followed by an element name (write &lt; for a literal '<')")
	}
	if p-s.tag-1 > xesMaxName {
		return 0, s.errAt(s.tag, "an element name longer than %d bytes; this is not an XES file", xesMaxName)
	}
	s.name = b[s.tag+1 : p]
	s.attrs = s.attrs[:0]
	s.scratch = s.scratch[:0]
	for {
		for p < len(b) && xmlSpace(b[p]) {
			p++
		}
		if p == len(b) {
			return 0, errNeedMore
		}
		switch b[p] {
		case '>':
			s.self = false
			s.pos = p + 1
			return tokStart, nil
		case '/':
			if p+1 == len(b) {
				return 0, errNeedMore
			}
			if b[p+1] != '>' {
				return 0, s.errAt(p, "expected '>' after '/' in <%s>", s.name)
			}
			s.self = true
			s.pos = p + 2
			return tokStart, nil
		}
		a := p
		for p < len(b) && !nameStop[b[p]] {
			p++
		}
		if p == len(b) {
			return 0, errNeedMore
		}
		if p == a {
			return 0, s.errAt(p, "unexpected %q in <%s>; is a quote or '>' missing?", b[p], s.name)
		}
		an := b[a:p]
		for p < len(b) && xmlSpace(b[p]) {
			p++
		}
		if p == len(b) {
			return 0, errNeedMore
		}
		if b[p] != '=' {
			return 0, s.errAt(p, "attribute %s of <%s> has no value; write %s=\"…\"", an, s.name, an)
		}
		p++
		for p < len(b) && xmlSpace(b[p]) {
			p++
		}
		if p == len(b) {
			return 0, errNeedMore
		}
		q := b[p]
		if q != '"' && q != '\'' {
			return 0, s.errAt(p, "the value of attribute %s in <%s> must be in quotes", an, s.name)
		}
		p++
		j := bytes.IndexByte(b[p:], q)
		if j < 0 && bytes.IndexByte(b[p:], '<') >= 0 {
			// Values cannot hold '<', so the quote will not come.
			return 0, s.errAt(p-1, "the quoted value of %s= in <%s> is never closed; add the missing %c", an, s.name, q)
		}
		if j < 0 && len(b)-p <= xesMaxValue {
			return 0, errNeedMore
		}
		if j < 0 || j > xesMaxValue {
			return 0, s.errAt(p, "the value of attribute %s in <%s> is longer than %d MiB (an unclosed quote?); caseflow refuses values that long", an, s.name, xesMaxValue>>20)
		}
		v, err := s.value(b[p:p+j], p)
		if err != nil {
			return 0, err
		}
		s.attrs = append(s.attrs, xmlAttr{an, v})
		p += j + 1
	}
}

// valueSpecial marks the value bytes that need more than copying: references,
// a stray '<', white space that XML turns into spaces, non-ASCII.
var valueSpecial = func() (t [256]bool) {
	for _, c := range []byte("&<\t\n\r") {
		t[c] = true
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = true
	}
	return t
}()

var cp1252Runes = func() (t [256]rune) {
	for c := range t {
		t[c] = charmap.Windows1252.DecodeByte(byte(c))
	}
	return t
}()

// value decodes an attribute value that starts at buf[at]. Plain values (the
// norm) are returned in place; others are decoded into s.scratch.
func (s *xmlScanner) value(v []byte, at int) ([]byte, error) {
	i := 0
	for i < len(v) && !valueSpecial[v[i]] {
		i++
	}
	if i == len(v) {
		return v, nil
	}
	start := len(s.scratch)
	out := append(s.scratch, v[:i]...)
	for i < len(v) {
		c := v[i]
		switch {
		case c == '&':
			r, n, msg := xmlEntity(v[i:])
			if msg != "" {
				return nil, s.errAt(at+i, "%s", msg)
			}
			out = utf8.AppendRune(out, r)
			i += n
		case c == '<':
			return nil, s.errAt(at+i, "'<' inside an attribute value (a missing quote, or write &lt;)")
		case c == '\r':
			// Attribute-value normalisation (XML 1.0 §3.3.3): line ends and
			// tabs read as spaces.
			out = append(out, ' ')
			i++
			if i < len(v) && v[i] == '\n' {
				i++
			}
		case c == '\t' || c == '\n':
			out = append(out, ' ')
			i++
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		case s.latin1:
			out = utf8.AppendRune(out, cp1252Runes[c])
			i++
		default:
			r, n := utf8.DecodeRune(v[i:])
			if r == utf8.RuneError && n == 1 {
				out = append(out, "\uFFFD"...)
				s.badUTF8++
			} else {
				out = append(out, v[i:i+n]...)
			}
			i += n
		}
	}
	s.scratch = out
	return out[start:], nil
}

// xmlEntity decodes the reference at the start of v; msg says what is wrong.
func xmlEntity(v []byte) (r rune, n int, msg string) {
	j := bytes.IndexByte(v[:min(len(v), 16)], ';')
	if j < 0 {
		return 0, 0, "'&' does not start an entity reference such as &amp; (write &amp; for a literal '&')"
	}
	name := v[1:j]
	switch string(name) {
	case "lt":
		return '<', j + 1, ""
	case "gt":
		return '>', j + 1, ""
	case "amp":
		return '&', j + 1, ""
	case "quot":
		return '"', j + 1, ""
	case "apos":
		return '\'', j + 1, ""
	}
	if len(name) > 1 && name[0] == '#' {
		var c uint64
		var err error
		if name[1] == 'x' {
			c, err = strconv.ParseUint(string(name[2:]), 16, 32)
		} else {
			c, err = strconv.ParseUint(string(name[1:]), 10, 32)
		}
		ok := err == nil && (c == 0x9 || c == 0xA || c == 0xD || 0x20 <= c && c <= 0xD7FF ||
			0xE000 <= c && c <= 0xFFFD || 0x10000 <= c && c <= 0x10FFFF)
		if !ok {
			return 0, 0, fmt.Sprintf("&%s; is not a character XML allows", name)
		}
		return rune(c), j + 1, ""
	}
	return 0, 0, fmt.Sprintf("&%s; is not one of the predefined entities (&lt; &gt; &amp; &quot; &apos;) or a character reference; XES files declare no others and caseflow expands no others", name)
}

// attr returns the value of the tag's attribute called name.
func (s *xmlScanner) attr(name string) ([]byte, bool) {
	for _, a := range s.attrs {
		if string(a.name) == name {
			return a.val, true
		}
	}
	return nil, false
}
