package html

import (
	"github.com/caseflow/caseflow/mining"
)

// callView is the page's call-centre section; nil for a log not read from
// call records.
type callView struct {
	Summary string
	Rows    []callRow
}

// callRow is one call type or hour of day.
type callRow struct {
	By, Name                 string
	Calls, Offered, Answered int
	Abandoned, Level         callCell // shares of the offered calls
	Wait, P90, AHT           callCell // seconds
}

// callCell is a figure as shown (S) and as sorted (V); a figure over no calls
// shows "–" and sorts first.
type callCell struct {
	V float64
	S string
}

func (l *lang) callShare(n int, x float64) callCell {
	if n == 0 {
		return callCell{-1, "–"}
	}
	return callCell{x, l.pct(x)}
}

func (l *lang) callSecs(n int, x float64) callCell {
	if n == 0 {
		return callCell{-1, "–"}
	}
	return callCell{x, l.dur(x)}
}

// callTable lists the call figures by call type and by hour of arrival.
func (l *lang) callTable(c *mining.Calls) *callView {
	if c == nil {
		return nil
	}
	a := c.All
	v := &callView{Summary: l.f("%s calls offered to an agent, %s answered, %s abandoned (%s, after a median %s in queue); %s more ended in the VRU. Queue wait of the %s queued calls: median %s, P90 %s; %s of the offered calls answered within %s (abandoned calls count against it); mean handling time (AHT) %s.",
		l.count(a.Offered), l.count(a.Answered), l.count(a.Abandoned), l.callShare(a.Offered, a.AbandonedShare).S, l.callSecs(a.Abandoned, a.AbandonMedian).S, l.count(a.InVRU),
		l.count(a.Queued), l.callSecs(a.Queued, a.WaitMedian).S, l.callSecs(a.Queued, a.WaitP90).S, l.callShare(a.Offered, a.ServiceLevel).S, l.dur(c.Threshold), l.callSecs(a.Answered, a.HandleMean).S)}
	for _, g := range []struct {
		by   string
		rows []mining.CallGroup
	}{{"type", c.ByType}, {"hour", c.ByHour}} {
		for _, r := range g.rows {
			v.Rows = append(v.Rows, callRow{By: l.f(g.by), Name: clean(r.Name), Calls: r.Calls, Offered: r.Offered, Answered: r.Answered,
				Abandoned: l.callShare(r.Offered, r.AbandonedShare), Level: l.callShare(r.Offered, r.ServiceLevel),
				Wait: l.callSecs(r.Queued, r.WaitMedian), P90: l.callSecs(r.Queued, r.WaitP90), AHT: l.callSecs(r.Answered, r.HandleMean)})
		}
	}
	return v
}
