package generate

import (
	"errors"
	"io"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// WriteLinked writes a linked pair of exports of the same cases, as two
// systems of one organisation would: the ticket log and its truth as
// Write writes them, and the call records of the phone contacts and
// their truth as WriteCalls writes them. An answered call's ticket column
// is the case id of the ticket logged against it, and it ends a second
// before the ticket's first event; the calls without a ticket (abandoned
// in the queue, or ended in the VRU) belong to no case. Joined on the
// ticket number (ingest.Join, the config's [[input]] tables), each phone
// case's stays are VRU, queue (when the call waited), then the ticket's
// stays: its calls are answered by KCC agents and its phone tickets start
// in the KCC, so read with --call-agent-department KCC the answer and
// the ticket are one KCC stay (without it, an agent stay comes between).
// Stats are those of the ticket log; CallTruth the calls'.
func WriteLinked(cfg Config, cc CallsConfig, tickets, truth, calls, callTruth io.Writer) (Stats, CallTruth, error) {
	cw := &countingWriter{w: tickets}
	var cs *callSink
	st, err := simulate(cfg, truth, func(p *plan, c *clock) (sink, error) {
		t, err := eventSink(p, c, cw, memory.DefaultAllocator)
		if err != nil {
			return nil, err
		}
		if cs, err = newCallSink(p, cc, calls, callTruth); err != nil {
			t.close()
			return nil, err
		}
		return sinks{t, cs}, nil
	})
	st.Bytes = cw.n
	if cs == nil {
		return st, CallTruth{}, err
	}
	return st, cs.tot, err
}

// sinks hands each case to every sink in turn.
type sinks []sink

func (ss sinks) add(k *kase) error {
	for _, s := range ss {
		if err := s.add(k); err != nil {
			return err
		}
	}
	return nil
}

func (ss sinks) close() error {
	var errs []error
	for _, s := range ss {
		errs = append(errs, s.close())
	}
	return errors.Join(errs...)
}
