package main

import (
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/spf13/pflag"

	"github.com/caseflow/caseflow/generate"
)

// generateShapes are the exports generate --shape writes.
var generateShapes = []string{"events", "calls", "audit", "linked"}

// shapeFlags are generate's flags of the other export shapes: call
// records, a field-change history, and a linked pair of tickets and calls.
type shapeFlags struct {
	shape, calls, callsTruth string
	cc                       generate.CallsConfig
}

func (s *shapeFlags) register(fs *pflag.FlagSet) {
	s.cc = generate.DefaultCalls()
	fs.StringVar(&s.shape, "shape", "events", "what to write: events (the event log), calls (call records of the phone contacts), audit (a field-change history), linked (the event log as tickets, and --calls)")
	fs.StringVar(&s.calls, "calls", "", "--shape linked: write the call records, logged against the tickets, to this file")
	fs.StringVar(&s.callsTruth, "calls-truth", "", "--shape linked: write the calls' truth (JSON Lines: a call record per call, then the totals) to this file; --shape calls writes it to --truth")
	fs.Float64Var(&s.cc.AbandonRate, "abandon-rate", s.cc.AbandonRate, "calls, linked: share of phone contacts first abandoned in the queue")
	fs.Float64Var(&s.cc.VRURate, "vru-rate", s.cc.VRURate, "calls, linked: share of phone contacts first ended in the VRU")
	fs.Float64Var(&s.cc.QueueRate, "queue-rate", s.cc.QueueRate, "calls, linked: share of answered calls that waited in the queue")
	fs.Float64Var(&s.cc.DuplicateRate, "duplicate-rate", s.cc.DuplicateRate, "calls, linked: share of call rows delivered twice")
}

// check says what is wrong with the shape flags for a log in format.
func (s *shapeFlags) check(format string) error {
	switch {
	case !slices.Contains(generateShapes, s.shape):
		return fmt.Errorf("--shape %q: want events, calls, audit or linked", s.shape)
	case (s.shape == "calls" || s.shape == "audit") && format == "parquet":
		return fmt.Errorf("--shape %s writes CSV: give --format csv or csv.gz", s.shape)
	case s.shape == "linked" && s.calls == "":
		return errors.New("--shape linked: name the call records' file with --calls FILE")
	case s.shape != "linked" && (s.calls != "" || s.callsTruth != ""):
		return errors.New("--calls and --calls-truth go with --shape linked")
	}
	return nil
}

// write writes the export of the shape to events (truth as for the
// event log, or the calls' truth for --shape calls), and says what it
// wrote on stderr when it went to a file.
func (s *shapeFlags) write(cfg generate.Config, events, truth io.Writer, out string, stdout, stderr io.Writer) error {
	switch s.shape {
	case "calls":
		tot, err := generate.WriteCalls(cfg, s.cc, events, truth)
		if err == nil && out != "-" {
			fmt.Fprintf(stderr, "caseflow generate: %d calls (%d answered, %d abandoned, %d in the VRU), %d rows to %s\n",
				tot.Calls, tot.Answered, tot.Abandoned, tot.InVRU, tot.Rows, out)
		}
		return err
	case "audit":
		st, err := generate.WriteAudit(cfg, events, truth)
		if err == nil && out != "-" {
			fmt.Fprintf(stderr, "caseflow generate: %d cases as a field-change history, %d bytes to %s\n", st.Cases, st.Bytes, out)
		}
		return err
	case "linked":
		calls, closeCalls, err := create(s.calls, stdout)
		if err != nil {
			return err
		}
		var ct io.Writer
		closeCT := func() error { return nil }
		if s.callsTruth != "" {
			if ct, closeCT, err = create(s.callsTruth, stdout); err != nil {
				closeCalls()
				return err
			}
		}
		st, tot, err := generate.WriteLinked(cfg, s.cc, events, truth, calls, ct)
		err = errors.Join(err, closeCalls(), closeCT())
		if err == nil && out != "-" {
			fmt.Fprintf(stderr, "caseflow generate: %d tickets, %d events to %s; %d calls (%d logged against a ticket) to %s\n",
				st.Cases, st.Events, out, tot.Calls, tot.Linked, s.calls)
			// The KCC answers the calls: without this the joined log has an
			// agent → KCC handoff in every linked case (docs/reading.md).
			fmt.Fprintf(stderr, "caseflow generate: join them with two [[input]] tables (join = \"case_id\" and \"ticket\"), the calls' with call-agent-department = \"KCC\"\n")
		}
		return err
	}
	st, err := generate.Write(cfg, events, truth)
	if err == nil && out != "-" {
		fmt.Fprintf(stderr, "caseflow generate: %d cases, %d events, %d bytes to %s\n", st.Cases, st.Events, st.Bytes, out)
	}
	return err
}
