package export

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/caseflow/caseflow/eventlog"
)

// tracePrefix starts the column name of a trace attribute (see roleKeys).
const tracePrefix = "case:"

// xesAttr is a column written as XES attributes.
type xesAttr struct {
	*column
	tag   string // string, int, float, boolean or date
	key   []byte // escaped key on events
	trace []byte // escaped key on traces, or nil for event-only columns
}

var xesTags = map[eventlog.Kind]string{eventlog.String: "string", eventlog.Int: "int", eventlog.Float: "float",
	eventlog.Bool: "boolean", eventlog.Timestamp: "date"}

func newXESAttr(c *column, key, trace string) *xesAttr {
	a := &xesAttr{column: c, tag: xesTags[c.kind], key: escape(nil, key)}
	if trace != "" {
		a.trace = escape(nil, trace)
	}
	for k, v := range c.dict {
		c.dict[k] = string(escape(nil, v))
	}
	return a
}

// xesAttrs lays out the attribute columns: "case:KEY" columns may go on
// traces, the rest on events (see attrName for the names).
func xesAttrs(attrs []*column) (out []*xesAttr) {
	for _, c := range attrs {
		key := attrName(c.name)
		trace, _ := strings.CutPrefix(key, tracePrefix)
		if trace == key {
			trace = ""
		}
		out = append(out, newXESAttr(c, key, trace))
	}
	return out
}

// writeXES writes the log as XES; see the package documentation.
func writeXES(w io.Writer, l *eventlog.Log) error {
	role, cols := columns(l)
	attrs := xesAttrs(cols)
	// Attributes for the roles besides case, activity and time: the
	// channel on traces, the others on events.
	var events, traces []*xesAttr
	for _, r := range []string{eventlog.StartTime, eventlog.Department, eventlog.Resource, eventlog.Channel} {
		c, ok := role[r]
		if !ok {
			continue
		}
		if a := newXESAttr(c, roleKeys[r], strings.TrimPrefix(roleKeys[r], tracePrefix)); r == eventlog.Channel {
			traces = append(traces, a)
		} else {
			a.trace = nil
			events = append(events, a)
		}
	}
	for _, a := range attrs {
		if a.trace != nil {
			traces = append(traces, a)
		} else {
			events = append(events, a)
		}
	}
	cases := newXESAttr(role[eventlog.Case], strings.TrimPrefix(roleKeys[eventlog.Case], tracePrefix), "")
	acts := newXESAttr(role[eventlog.Activity], roleKeys[eventlog.Activity], "")
	times := newXESAttr(role[eventlog.Time], roleKeys[eventlog.Time], "")

	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<log xes.version="1849-2016" xmlns="http://www.xes-standard.org/">` + "\n" +
		`	<extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>` + "\n" +
		`	<extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>` + "\n" +
		`	<extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>` + "\n")
	for _, a := range attrs {
		if string(a.key) == "lifecycle:transition" {
			bw.WriteString(`	<extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>` + "\n")
		}
	}
	x := xesWriter{w: bw}
	off := l.Offsets()
	varies := make([]bool, len(traces))
	for k := range l.Cases() {
		lo, hi := off[k], off[k+1]
		bw.WriteString("\t<trace>\n")
		x.attr("\t\t", cases, cases.key, lo)
		for j, a := range traces {
			varies[j] = false
			for i := lo + 1; i < hi && !varies[j]; i++ {
				varies[j] = !a.same(lo, i)
			}
			if !varies[j] {
				x.attr("\t\t", a, a.trace, lo)
			}
		}
		for i := lo; i < hi; i++ {
			bw.WriteString("\t\t<event>\n")
			x.attr("\t\t\t", acts, acts.key, i)
			x.attr("\t\t\t", times, times.key, i)
			for _, a := range events {
				x.attr("\t\t\t", a, a.key, i)
			}
			for j, a := range traces {
				if varies[j] {
					x.attr("\t\t\t", a, a.key, i)
				}
			}
			bw.WriteString("\t\t</event>\n")
		}
		bw.WriteString("\t</trace>\n")
	}
	bw.WriteString("</log>\n")
	return bw.Flush()
}

type xesWriter struct {
	w   *bufio.Writer
	buf []byte
}

// attr writes attribute a of event i under key, unless it is null there.
func (x *xesWriter) attr(indent string, a *xesAttr, key []byte, i int) {
	if a.null(i) {
		return
	}
	b := append(x.buf[:0], indent...)
	b = append(b, '<')
	b = append(b, a.tag...)
	b = append(b, ` key="`...)
	b = append(b, key...)
	b = append(b, `" value="`...)
	switch a.kind {
	case eventlog.String:
		if a.dict != nil {
			b = append(b, a.dict[a.codes[i]]...)
		} else {
			b = escape(b, a.text(i))
		}
	case eventlog.Timestamp:
		us := a.micros(i)
		frac := ".000"
		if us%1000 != 0 {
			frac = ".000000"
		}
		b = appendTime(b, us, frac, "+00:00")
	case eventlog.Int:
		b = strconv.AppendInt(b, a.arr.(*array.Int64).Value(i), 10)
	case eventlog.Float:
		b = appendFloat(b, a.arr.(*array.Float64).Value(i), "INF", "-INF") // xs:double's spelling
	case eventlog.Bool:
		b = strconv.AppendBool(b, a.arr.(*array.Boolean).Value(i))
	}
	b = append(b, "\"/>\n"...)
	x.w.Write(b)
	x.buf = b
}

// escape appends s escaped for a double-quoted XML attribute value: the
// markup characters as entities, tab and line breaks as character
// references (attribute value normalisation would turn them into spaces),
// and characters XML 1.0 does not allow, and bytes that are not UTF-8, as
// U+FFFD.
func escape(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 || r == 0xFFFE || r == 0xFFFF {
				dst = append(dst, "\uFFFD"...)
			} else {
				dst = append(dst, s[i:i+n]...)
			}
			i += n
			continue
		}
		switch c {
		case '&':
			dst = append(dst, "&amp;"...)
		case '<':
			dst = append(dst, "&lt;"...)
		case '>':
			dst = append(dst, "&gt;"...)
		case '"':
			dst = append(dst, "&quot;"...)
		case '\t':
			dst = append(dst, "&#9;"...)
		case '\n':
			dst = append(dst, "&#10;"...)
		case '\r':
			dst = append(dst, "&#13;"...)
		default:
			if c < 0x20 {
				dst = append(dst, "\uFFFD"...)
			} else {
				dst = append(dst, c)
			}
		}
		i++
	}
	return dst
}
