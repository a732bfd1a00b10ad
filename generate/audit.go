package generate

import (
	"bufio"
	"io"
)

// AuditHeader is the header of the field-change history WriteAudit
// writes (ServiceNow's sys_audit, renamed).
const AuditHeader = "case_id,field,old_value,new_value,changed_at,changed_by"

// The fields the history changes: the department (a stay starts at each
// change) and the activity.
const (
	auditDept   = "assignment_group"
	auditStatus = "state"
)

// auditSink writes each case's events as changes of two fields: before an
// event in another department than the case's last, a change of
// assignment_group from that department (empty at first) to the event's;
// then, for every event, a change of state from the previous activity
// (empty at first) to the event's. Both rows have the event's time (UTC,
// ISO 8601) and agent. Placeholder departments are not written: a history
// records the assignment, not what a screen showed.
type auditSink struct {
	w     *bufio.Writer
	sep   byte
	depts [nDepts][]byte
	acts  [nActivities][]byte
	b     []byte
}

func newAuditSink(w io.Writer) (*auditSink, error) {
	s := &auditSink{w: bufio.NewWriterSize(w, 1<<20), sep: ','}
	for i, d := range departments {
		s.depts[i] = csvField(d.name, s.sep)
	}
	for i, a := range activities {
		s.acts[i] = csvField(a, s.sep)
	}
	_, err := s.w.WriteString(AuditHeader + "\n")
	return s, err
}

func (s *auditSink) add(k *kase) error {
	b := s.b[:0]
	dept, act := int8(noDept), -1
	for _, e := range k.events {
		who := ""
		if e.agent >= 0 {
			who = agentName(int(e.dept), int(e.agent))
		}
		if e.dept != noDept && e.dept != dept {
			var old []byte
			if dept != noDept {
				old = s.depts[dept]
			}
			b = s.row(b, k.no, auditDept, old, s.depts[e.dept], e.t, who)
			dept = e.dept
		}
		var old []byte
		if act >= 0 {
			old = s.acts[act]
		}
		b = s.row(b, k.no, auditStatus, old, s.acts[e.act], e.t, who)
		act = int(e.act)
	}
	s.b = b
	_, err := s.w.Write(b)
	return err
}

func (s *auditSink) row(b []byte, no int64, field string, old, val []byte, t int64, who string) []byte {
	b = appendID(b, 'C', no)
	b = append(b, s.sep)
	b = append(b, field...)
	b = append(b, s.sep)
	b = append(b, old...)
	b = append(b, s.sep)
	b = append(b, val...)
	b = append(b, s.sep)
	b = appendISO(b, t)
	b = append(b, s.sep)
	b = append(b, who...)
	return append(b, '\n')
}

func (s *auditSink) close() error { return s.w.Flush() }

// WriteAudit simulates cfg's cases as Write does and writes them as a
// field-change history (AuditHeader; see auditSink), with the same truth
// as Write: read with --shape audit, a case's stays, handoffs, ping-pong
// and lead time are the truth's. A truth record's events counts the
// events of the event log; the history has a row for each of them plus
// one per stay. cfg.Style and cfg.Format do not apply.
func WriteAudit(cfg Config, history, truth io.Writer) (Stats, error) {
	cw := &countingWriter{w: history}
	st, err := simulate(cfg, truth, func(*plan, *clock) (sink, error) { return newAuditSink(cw) })
	st.Bytes = cw.n
	return st, err
}
