package generate

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// Stats summarises what Write produced.
type Stats struct {
	Cases  int64
	Events int64
	Bytes  int64 // written to the events writer
}

// Columns returns the header of the log in style: case, customer, channel,
// contact reason, activity, department, agent, timestamp.
func Columns(style Style) []string {
	if style == NL {
		return []string{"zaaknummer", "klantnummer", "kanaal", "reden", "activiteit", "afdeling", "medewerker", "datum"}
	}
	return []string{"case_id", "customer_id", "channel", "contact_reason", "activity", "department", "agent", "timestamp"}
}

// sink receives the cases in order and writes them in one format.
type sink interface {
	add(k *kase) error
	close() error
}

// Write simulates cfg.Cases cases and writes their events to events in
// cfg.Format and cfg.Style, and, when truth is not nil, the planted ground
// truth as JSON Lines (see the package documentation). Cases are generated
// and written one at a time in arrival order, so memory does not grow with
// the number of cases. Zero cases give a log with only a header (CSV) or an
// empty table (Parquet). An invalid cfg returns an error wrapping ErrConfig
// before anything is written.
func Write(cfg Config, events, truth io.Writer) (Stats, error) {
	return write(cfg, events, truth, memory.DefaultAllocator)
}

// write is Write with the allocator for Parquet's Arrow buffers.
func write(cfg Config, events, truth io.Writer, mem memory.Allocator) (Stats, error) {
	cw := &countingWriter{w: events}
	st, err := simulate(cfg, truth, func(p *plan, c *clock) (sink, error) { return eventSink(p, c, cw, mem) })
	st.Bytes = cw.n
	return st, err
}

// eventSink writes the event log in p's format.
func eventSink(p *plan, c *clock, cw *countingWriter, mem memory.Allocator) (sink, error) {
	if p.Format == Parquet {
		return newParquetSink(p, cw, mem)
	}
	return newCSVSink(p, c, cw)
}

// simulate generates the cases of cfg in arrival order and hands each to
// the sink newSink makes (the shapes of the export: write.go's event log,
// calls.go's call records, audit.go's field-change history) and, when
// truth is not nil, to the truth writer. Stats.Bytes is left to the caller.
func simulate(cfg Config, truth io.Writer, newSink func(p *plan, c *clock) (sink, error)) (Stats, error) {
	var st Stats
	p, err := cfg.resolve()
	if err != nil {
		return st, err
	}
	from := p.startDay*msDay - 2*msDay
	c, err := newClock(from, from+(int64(p.Days)+3*366)*msDay)
	if err != nil {
		return st, fmt.Errorf("load time zone: %w", err)
	}
	out, err := newSink(p, c)
	if err != nil {
		return st, fmt.Errorf("write log: %w", err)
	}
	var tw *truthWriter
	if truth != nil {
		tw = newTruthWriter(p, c, truth)
	}
	arr := newArrivals(p, c, rand.New(rand.NewPCG(mix(p.Seed), mix(p.Seed^0x5851f42d4c957f2d))))
	s := newSim(p, c)
	for {
		ct, ok := arr.next()
		if !ok {
			break
		}
		k := s.run(ct)
		if err := out.add(k); err != nil {
			out.close() // releases Arrow buffers; the first error is the one to report
			return st, fmt.Errorf("write log: %w", err)
		}
		if tw != nil {
			if err := tw.add(k); err != nil {
				out.close()
				return st, fmt.Errorf("write truth: %w", err)
			}
		}
		st.Cases++
		st.Events += int64(len(k.events))
	}
	if err := out.close(); err != nil {
		return st, fmt.Errorf("write log: %w", err)
	}
	if tw != nil {
		if err := tw.close(arr.spikeTotal); err != nil {
			return st, fmt.Errorf("write truth: %w", err)
		}
	}
	return st, nil
}

// countingWriter counts bytes and keeps the first error, which some
// writers (Parquet's footer) do not report.
type countingWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	if c.err == nil {
		c.err = err
	}
	return n, err
}

// appendID appends prefix and n zero-padded to eight digits.
func appendID(b []byte, prefix byte, n int64) []byte {
	b = append(b, prefix)
	for d := int64(10_000_000); d > 1 && n < d; d /= 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, n, 10)
}

// csvField quotes s for a CSV with separator sep when RFC 4180 requires it.
func csvField(s string, sep byte) []byte {
	if !strings.ContainsAny(s, string(sep)+"\"\r\n") {
		return []byte(s)
	}
	return []byte(`"` + strings.ReplaceAll(s, `"`, `""`) + `"`)
}

type csvSink struct {
	w        *bufio.Writer
	c        *clock
	nl       bool
	sep      byte
	channels [nChannels][]byte
	reasons  [][]byte
	acts     [nActivities][]byte
	depts    [nDepts][]byte
	ph       [len(placeholders) + 1][]byte // ph[0] unused
	agents   [nDepts][][]byte
}

func newCSVSink(p *plan, c *clock, w io.Writer) (*csvSink, error) {
	s := &csvSink{w: bufio.NewWriterSize(w, 1<<20), c: c, nl: p.Style == NL, sep: ','}
	if s.nl {
		s.sep = ';'
	}
	for i := range channels {
		s.channels[i] = csvField(channels[i].name, s.sep)
	}
	for _, r := range reasons {
		s.reasons = append(s.reasons, csvField(r.name, s.sep))
	}
	for i, a := range activities {
		s.acts[i] = csvField(a, s.sep)
	}
	for i, v := range placeholders {
		s.ph[i+1] = csvField(v, s.sep)
	}
	for i, d := range departments {
		s.depts[i] = csvField(d.name, s.sep)
		s.agents[i] = make([][]byte, d.agents)
		for j := range s.agents[i] {
			s.agents[i][j] = csvField(agentName(i, j), s.sep)
		}
	}
	for i, col := range Columns(p.Style) {
		if i > 0 {
			s.w.WriteByte(s.sep)
		}
		s.w.Write(csvField(col, s.sep))
	}
	_, err := s.w.WriteString("\n")
	return s, err
}

func agentName(dept, i int) string {
	return string(appendID3([]byte(departments[dept].slug+"-agent-"), i+1))
}

func appendID3(b []byte, n int) []byte {
	if n < 100 {
		b = append(b, '0')
	}
	if n < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(n), 10)
}

func (s *csvSink) add(k *kase) error {
	b := s.w.AvailableBuffer()
	start := len(b)
	b = appendID(b, 'C', k.no)
	b = append(b, s.sep)
	b = appendID(b, 'K', k.customer)
	b = append(b, s.sep)
	b = append(b, s.channels[k.channel]...)
	b = append(b, s.sep)
	b = append(b, s.reasons[k.reason]...)
	b = append(b, s.sep)
	prefix := len(b)
	for i, e := range k.events {
		if i > 0 {
			b = append(b, b[start:prefix]...)
		}
		b = append(b, s.acts[e.act]...)
		b = append(b, s.sep)
		switch {
		case e.ph > 0:
			b = append(b, s.ph[e.ph]...)
		case e.dept != noDept:
			b = append(b, s.depts[e.dept]...)
		}
		b = append(b, s.sep)
		if e.agent >= 0 {
			b = append(b, s.agents[e.dept][e.agent]...)
		}
		b = append(b, s.sep)
		if s.nl {
			b = appendNL(b, s.c.local(e.t))
		} else {
			b = appendISO(b, e.t)
		}
		b = append(b, '\n')
	}
	_, err := s.w.Write(b)
	return err
}

func (s *csvSink) close() error { return s.w.Flush() }
