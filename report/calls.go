package report

import (
	"github.com/caseflow/caseflow/mining"
)

// callsDoc is mining.Calls in the JSON document; nil (null) for a log not
// read from call records.
type callsDoc struct {
	ThresholdS num            `json:"service_level_threshold_s"`
	All        callGroupDoc   `json:"all"`
	ByType     []callGroupDoc `json:"by_type"`
	ByHour     []callGroupDoc `json:"by_hour"`
}

type callGroupDoc struct {
	Name           string `json:"name,omitempty"`
	Calls          int    `json:"calls"`
	InVRU          int    `json:"ended_in_vru"`
	Offered        int    `json:"offered"`
	Answered       int    `json:"answered"`
	Abandoned      int    `json:"abandoned"`
	AbandonedShare num    `json:"abandoned_share"`
	AbandonMedianS num    `json:"abandon_median_s"`
	Queued         int    `json:"queued"`
	WaitMedianS    num    `json:"wait_median_s"`
	WaitP90S       num    `json:"wait_p90_s"`
	ServiceLevel   num    `json:"service_level"`
	HandleMedianS  num    `json:"handle_median_s"`
	HandleMeanS    num    `json:"handle_mean_s"`
}

// calls converts the call figures; a figure over no calls (the median
// wait of a group none of whose calls queued) is none, null in the JSON.
func calls(f *mining.Findings) *callsDoc {
	c := f.Calls
	if c == nil {
		return nil
	}
	d := &callsDoc{ThresholdS: secs(c.Threshold), All: callGroup(c.All), ByType: []callGroupDoc{}, ByHour: []callGroupDoc{}}
	for _, g := range c.ByType {
		d.ByType = append(d.ByType, callGroup(g))
	}
	for _, g := range c.ByHour {
		d.ByHour = append(d.ByHour, callGroup(g))
	}
	return d
}

func callGroup(g mining.CallGroup) callGroupDoc {
	over := func(n int, x num) num {
		if n == 0 {
			return none
		}
		return x
	}
	return callGroupDoc{Name: g.Name, Calls: g.Calls, InVRU: g.InVRU, Offered: g.Offered, Answered: g.Answered, Abandoned: g.Abandoned,
		AbandonedShare: over(g.Offered, frac(g.AbandonedShare)), AbandonMedianS: over(g.Abandoned, secs(g.AbandonMedian)),
		Queued: g.Queued, WaitMedianS: over(g.Queued, secs(g.WaitMedian)), WaitP90S: over(g.Queued, secs(g.WaitP90)),
		ServiceLevel:  over(g.Offered, frac(g.ServiceLevel)),
		HandleMedianS: over(g.Answered, secs(g.HandleMedian)), HandleMeanS: over(g.Answered, secs(g.HandleMean))}
}

// calls writes the CALLS section, for call records only: the totals, then
// the table by call type and by hour of arrival.
func (t *textWriter) calls(d *document) {
	c := d.Calls
	if c == nil {
		return
	}
	a := c.All
	t.heading("CALLS", t.callLine(a))
	t.printf("  %d calls: %d ended in the VRU, %d asked for an agent (offered); %d of them queued\n", a.Calls, a.InVRU, a.Offered, a.Queued)
	if a.Queued > 0 {
		t.printf("  queue wait: median %s, P90 %s; service level %s answered within %s of queueing (abandoned calls count against it)\n",
			t.duration(float64(a.WaitMedianS)), t.duration(float64(a.WaitP90S)), dash(t.percent, a.ServiceLevel), t.duration(float64(c.ThresholdS)))
	}
	if a.Answered > 0 {
		t.printf("  handling time: median %s, mean (AHT) %s\n", t.duration(float64(a.HandleMedianS)), t.duration(float64(a.HandleMeanS)))
	}
	for _, g := range []struct {
		title string
		rows  []callGroupDoc
	}{{"type", c.ByType}, {"hour", c.ByHour}} {
		header := t.words(g.title, "calls", "offered", "answered", "abandoned", "median wait", "P90 wait")
		rows := [][]string{append(header, t.Sprintf("within %s", t.duration(float64(c.ThresholdS))), t.Sprintf("AHT"))}
		for _, r := range g.rows {
			rows = append(rows, []string{short(r.Name), t.thousands(r.Calls), t.thousands(r.Offered), t.thousands(r.Answered), dash(t.percent, r.AbandonedShare),
				dash(t.duration, r.WaitMedianS), dash(t.duration, r.WaitP90S), dash(t.percent, r.ServiceLevel), dash(t.duration, r.HandleMeanS)})
		}
		t.table("lrrrrrrrr", rows)
	}
}

// callLine is the CALLS heading: what was offered and what became of it.
func (t *textWriter) callLine(a callGroupDoc) string {
	if a.Abandoned > 0 {
		return t.Sprintf("%d offered, %d answered, %d abandoned (%s, median %s before hanging up)", a.Offered, a.Answered, a.Abandoned,
			dash(t.percent, a.AbandonedShare), t.duration(float64(a.AbandonMedianS)))
	}
	return t.Sprintf("%d offered, %d answered, %d abandoned (%s)", a.Offered, a.Answered, a.Abandoned, dash(t.percent, a.AbandonedShare))
}
