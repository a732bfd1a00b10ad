package mining_test

import (
	"cmp"
	"compress/gzip"
	"encoding/csv"
	"encoding/xml"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/internal/realdata"
)

// rawEvent is one event as the raw file has it.
type rawEvent struct {
	at   time.Time
	unit string
}

// rawLog is a real log read straight from its file with encoding/csv or
// encoding/xml, without package ingest: the cases in file order.
type rawLog struct {
	order  []string
	events map[string][]rawEvent
}

func (l *rawLog) add(c string, e rawEvent) {
	if l.events == nil {
		l.events = map[string][]rawEvent{}
	}
	if _, ok := l.events[c]; !ok {
		l.order = append(l.order, c)
	}
	l.events[c] = append(l.events[c], e)
}

// readRawCSV reads the case, time (in layout; without a zone, UTC) and unit
// columns of a comma-separated file.
func readRawCSV(t *testing.T, rel, caseCol, timeCol, unitCol, layout string) *rawLog {
	t.Helper()
	f, err := os.Open(realdata.Path(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	ci, ti, ui := slices.Index(head, caseCol), slices.Index(head, timeCol), slices.Index(head, unitCol)
	var l rawLog
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		at, err := time.Parse(layout, rec[ti])
		if err != nil {
			t.Fatal(err)
		}
		l.add(rec[ci], rawEvent{at, rec[ui]})
	}
	return &l
}

// readRawXES reads the traces of a gzipped XES file: the trace's
// concept:name, each event's time:timestamp and the unit attribute.
func readRawXES(t *testing.T, rel, unitKey string) *rawLog {
	t.Helper()
	f, err := os.Open(realdata.Path(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(z)
	var l rawLog
	var id string
	var evs []rawEvent
	var e *rawEvent
	inTrace := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			attr := func(name string) string {
				for _, a := range x.Attr {
					if a.Name.Local == name {
						return a.Value
					}
				}
				return ""
			}
			switch key, val := attr("key"), attr("value"); {
			case x.Name.Local == "trace":
				inTrace, id, evs = true, "", nil
			case x.Name.Local == "event" && inTrace:
				e = &rawEvent{}
			case e != nil && key == "time:timestamp":
				if e.at, err = time.Parse(time.RFC3339, val); err != nil {
					t.Fatal(err)
				}
			case e != nil && key == unitKey:
				e.unit = val
			case e == nil && inTrace && key == "concept:name":
				id = val
			}
		case xml.EndElement:
			switch x.Name.Local {
			case "event":
				if e != nil {
					evs = append(evs, *e)
					e = nil
				}
			case "trace":
				for _, ev := range evs {
					l.add(id, ev)
				}
				inTrace = false
			}
		}
	}
	return &l
}

// counted are the stay figures of a log, counted by recount.
type counted struct {
	handoffs, pingpong, pingCases, closing, revisits, revisitCases int
	returnCases                                                    int // with a ping-pong or a closing return
	top                                                            [2]string
	topCount                                                       int
}

// recount counts handoffs, direct ping-pong, closing returns and revisits
// from the raw events, as docs/definitions.md defines them: events of a
// case in time order (ties in file order), events whose unit is missing
// (an empty cell, a missing token, or, when placeholders, a placeholder
// such as EMPTY in any case) left out, runs of one unit one stay.
func recount(l *rawLog, placeholders bool) counted {
	missing := func(u string) bool {
		if slices.Contains(ingest.DefaultMissing, u) {
			return true
		}
		return placeholders && slices.ContainsFunc(ingest.DefaultPlaceholders, func(p string) bool { return strings.EqualFold(p, u) })
	}
	var c counted
	type pairCount struct{ n, cases int }
	pairs := map[[2]string]*pairCount{}
	for _, id := range l.order {
		evs := slices.Clone(l.events[id])
		slices.SortStableFunc(evs, func(a, b rawEvent) int { return a.at.Compare(b.at) })
		var st []string
		for _, e := range evs {
			if !missing(e.unit) && (len(st) == 0 || st[len(st)-1] != e.unit) {
				st = append(st, e.unit)
			}
		}
		c.handoffs += max(len(st)-1, 0)
		pp, rv := 0, 0
		seen := map[string]bool{}
		on := map[[2]string]bool{}
		for j, u := range st {
			if seen[u] {
				rv++
			}
			seen[u] = true
			if j < 2 || st[j-2] != u {
				continue
			}
			if j == len(st)-1 && u == st[0] {
				c.closing++
				continue
			}
			pp++
			k := [2]string{min(u, st[j-1]), max(u, st[j-1])}
			if pairs[k] == nil {
				pairs[k] = &pairCount{}
			}
			pairs[k].n++
			if !on[k] {
				on[k] = true
				pairs[k].cases++
			}
		}
		c.pingpong += pp
		c.revisits += rv
		if pp > 0 {
			c.pingCases++
		}
		if pp > 0 || len(st) > 2 && st[len(st)-1] == st[0] && st[len(st)-3] == st[0] {
			c.returnCases++
		}
		if rv > 0 {
			c.revisitCases++
		}
	}
	var best *pairCount
	for k, p := range pairs {
		if best == nil || cmp.Or(cmp.Compare(p.n, best.n), cmp.Compare(p.cases, best.cases),
			-cmp.Compare(k[0], c.top[0]), -cmp.Compare(k[1], c.top[1])) > 0 {
			best, c.top, c.topCount = p, k, p.n
		}
	}
	return c
}
