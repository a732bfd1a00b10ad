package html

import (
	"html/template"
	"math"
	"time"

	"github.com/caseflow/caseflow/internal/drawing"
	"github.com/caseflow/caseflow/mining"
)

// journeyView is the FCR table and the daily inflow chart of the page; nil
// without a customer column.
type journeyView struct {
	Summary string
	Rows    []fcrRow
	Chart   template.HTML
}

type fcrRow struct {
	By, Name       string
	N, Repeated    int
	FCR, Low, High float64
}

// journeyTable lists first-contact resolution with its Wilson interval by
// channel, reason and closing department, as mining.Journeys has them.
func (l *lang) journeyTable(j *mining.Journeys) *journeyView {
	if j == nil {
		return nil
	}
	v := &journeyView{Chart: template.HTML(l.inflowChart(j))} // built from numbers and escaped names only
	if j.FCR.N == 0 {
		v.Summary = l.f("%d contacts of %d customers; none could be followed for the whole window.", j.Contacts, j.Customers)
		return v
	}
	v.Summary = l.f("First-contact resolution %s (95 %% interval %s to %s): %d of %d contacts were not followed by another contact of the same customer within %s of their end; %d contacts in the log's last %s are left out, %d cases without a known customer too.",
		l.pct(j.FCR.FCR), l.pct(j.FCR.Low), l.pct(j.FCR.High), j.FCR.N-j.FCR.Repeated, j.FCR.N, l.dur(j.Window), j.Contacts-j.FCR.N, l.dur(j.Window), j.Unidentified)
	for _, g := range []struct {
		by   string
		rows []mining.Group
	}{{"channel", j.ByChannel}, {"reason", j.ByReason}, {"closed by", j.ByDepartment}} {
		for _, r := range g.rows {
			v.Rows = append(v.Rows, fcrRow{By: l.f(g.by), Name: clean(r.Name), N: r.N, FCR: r.FCR, Low: r.Low, High: r.High, Repeated: r.Repeated})
		}
	}
	return v
}

// inflowChart draws the cases started per day as bars, spike days in
// orange with their reasons and extra cases in the bar's tooltip, and the
// first of each month labelled; "" for a log of less than two days.
func (l *lang) inflowChart(j *mining.Journeys) string {
	days := len(j.Inflow)
	first, err := time.Parse(time.DateOnly, j.FirstDay)
	if days < 2 || err != nil {
		return ""
	}
	spikes := map[string][]mining.Spike{}
	for _, s := range j.Spikes {
		spikes[s.Day] = append(spikes[s.Day], s)
	}
	tallest := 1
	for _, n := range j.Inflow {
		tallest = max(tallest, n)
	}
	yMax := nice(float64(tallest))
	const (
		w, h                   = 920.0, 260.0
		left, right, top, foot = 58.0, 24.0, 16.0, 46.0
	)
	pw, ph := w-left-right, h-top-foot
	bw := pw / float64(days)
	yOf := func(n float64) float64 { return top + ph - n/yMax*ph }
	var s drawing.SVG
	s.F(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-label="%s">`,
		drawing.Num(w), drawing.Num(h), drawing.Num(w), drawing.Num(h), drawing.Esc(l.f("Cases started per day")))
	l.gridY(&s, left, pw, yMax, yOf)
	labelled := math.Inf(-1) // x of the last month label, so labels never overlap
	for d, n := range j.Inflow {
		day := first.AddDate(0, 0, d)
		x := left + float64(d)*bw
		if (day.Day() == 1 || d == 0) && x-labelled >= 60 {
			labelled = x
			s.F(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#9aa5b1"/>`, drawing.Num(x), drawing.Num(top+ph), drawing.Num(x), drawing.Num(top+ph+5))
			s.Text(x, top+ph+18, ` font-size="11" text-anchor="start" fill="`+drawing.ColMuted+`"`, day.Format(l.f("Jan 2006")))
		}
		if n == 0 {
			continue
		}
		label := l.f("%s: %s cases", day.Format(l.f("2006-01-02")), l.count(n))
		col := colOther
		for _, sp := range spikes[day.Format(time.DateOnly)] {
			col = colLong
			label += l.f("; spike of %s: %s against a usual %s", sp.Reason, l.count(sp.Cases), l.short(sp.Baseline))
		}
		y := yOf(float64(n))
		s.F(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`,
			drawing.Num(x), drawing.Num(y), drawing.Num(max(bw-0.5, 0.5)), drawing.Num(yOf(0)-y), col, drawing.Esc(label))
	}
	s.F(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#9aa5b1"/>`, drawing.Num(left), drawing.Num(top+ph), drawing.Num(left+pw), drawing.Num(top+ph))
	s.Text(14, top+ph/2, ` font-size="12" text-anchor="middle" fill="`+drawing.ColMuted+`" transform="rotate(-90 14 `+drawing.Num(top+ph/2)+`)"`, l.f("cases"))
	s.F(`</svg>`)
	return s.String()
}
