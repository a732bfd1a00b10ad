package html

import (
	"math"
	"slices"

	"github.com/caseflow/caseflow/internal/drawing"
	"github.com/caseflow/caseflow/mining"
)

// landmarks are the durations labelled on a log time axis, in seconds.
var landmarks = []struct {
	s     float64
	label string
}{
	{1, "1 s"}, {10, "10 s"}, {60, "1 min"}, {600, "10 min"}, {3600, "1 h"}, {6 * 3600, "6 h"},
	{86400, "1 d"}, {7 * 86400, "1 wk"}, {30 * 86400, "30 d"}, {365 * 86400, "1 y"}, {3650 * 86400, "10 y"},
}

// leadHist draws the histogram of the positive lead times of the measured
// cases on a log axis, bins of equal width in log time (a fifth of a
// decade, or wider when the times span many decades), long cases stacked
// over the others, with the median, P90 and P95 of all measured cases
// (mining's figures, zeros included) and the long-case threshold marked.
// Zero lead times have no place on a log axis; the page counts them
// instead. It returns "" when no case has a positive lead time.
func (l *lang) leadHist(f *mining.Findings) string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range f.Cases {
		if c.Measured && c.Lead > 0 {
			lo, hi = min(lo, c.Lead), max(hi, c.Lead)
		}
	}
	if math.IsInf(lo, 1) {
		return ""
	}
	perDecade := 5.0
	switch span := math.Log10(hi / lo); {
	case span > 9:
		perDecade = 3
	case span > 6:
		perDecade = 4
	}
	a := math.Floor(math.Log10(lo)*perDecade) / perDecade
	b := math.Ceil(math.Log10(hi)*perDecade) / perDecade
	if b <= a {
		b = a + 1/perDecade
	}
	bins := int(math.Round((b - a) * perDecade))
	long, other := make([]int, bins), make([]int, bins)
	for _, c := range f.Cases {
		if !c.Measured || c.Lead <= 0 {
			continue
		}
		i := max(0, min(bins-1, int(math.Floor((math.Log10(c.Lead)-a)*perDecade))))
		if c.Long {
			long[i]++
		} else {
			other[i]++
		}
	}
	tallest := 1
	for i := range bins {
		tallest = max(tallest, long[i]+other[i])
	}
	yMax := nice(float64(tallest))

	const (
		w, h                   = 920.0, 330.0
		left, right, top, foot = 58.0, 24.0, 64.0, 46.0
	)
	pw, ph := w-left-right, h-top-foot
	xOf := func(s float64) float64 { return left + (math.Log10(s)-a)/(b-a)*pw }
	yOf := func(n float64) float64 { return top + ph - n/yMax*ph }

	var s drawing.SVG
	s.F(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-label="%s">`,
		drawing.Num(w), drawing.Num(h), drawing.Num(w), drawing.Num(h), drawing.Esc(l.f("Lead-time distribution")))
	l.gridY(&s, left, pw, yMax, yOf)
	// Bars.
	bw := pw / float64(bins)
	for i := range bins {
		if long[i]+other[i] == 0 {
			continue
		}
		from, to := math.Pow(10, a+float64(i)/perDecade), math.Pow(10, a+float64(i+1)/perDecade)
		x := left + float64(i)*bw
		s.F(`<g><title>%s</title>`, drawing.Esc(l.f("%s – %s: %s cases, %s of them long", l.dur(from), l.dur(to), l.count(long[i]+other[i]), l.count(long[i]))))
		y0 := yOf(float64(other[i]))
		s.F(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`, drawing.Num(x+0.5), drawing.Num(y0), drawing.Num(bw-1), drawing.Num(yOf(0)-y0), colOther)
		if long[i] > 0 {
			y1 := yOf(float64(other[i] + long[i]))
			s.F(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`, drawing.Num(x+0.5), drawing.Num(y1), drawing.Num(bw-1), drawing.Num(y0-y1), colLong)
		}
		s.F(`</g>`)
	}
	// X axis with landmark durations.
	s.F(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#9aa5b1"/>`, drawing.Num(left), drawing.Num(top+ph), drawing.Num(left+pw), drawing.Num(top+ph))
	for _, m := range landmarks {
		lg := math.Log10(m.s)
		if lg < a || lg > b {
			continue
		}
		x := xOf(m.s)
		s.F(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#9aa5b1"/>`, drawing.Num(x), drawing.Num(top+ph), drawing.Num(x), drawing.Num(top+ph+5))
		s.Text(x, top+ph+18, ` font-size="11" text-anchor="middle" fill="`+drawing.ColMuted+`"`, l.f(m.label))
	}
	s.Text(left+pw/2, h-8, ` font-size="12" text-anchor="middle" fill="`+drawing.ColMuted+`"`, l.f("lead time (log scale)"))
	s.Text(14, top+ph/2, ` font-size="12" text-anchor="middle" fill="`+drawing.ColMuted+`" transform="rotate(-90 14 `+drawing.Num(top+ph/2)+`)"`, l.f("cases"))

	// Markers, each with its own label row above the plot.
	lt := &f.LeadTime
	type mark struct {
		at          float64
		label, dash string
		col         string
	}
	marks := []mark{
		{lt.Median, l.f("median %s", l.dur(lt.Median)), "", drawing.ColText},
		{lt.P90, "P90 " + l.dur(lt.P90), "6 3", drawing.ColText},
		{lt.P95, "P95 " + l.dur(lt.P95), "2 3", drawing.ColText},
	}
	if s := lt.Strata; len(s) == 1 && s[0].Judged && s[0].Limit > 0 {
		// Under the default rule the limit is the P90, marked already.
		if i := slices.IndexFunc(marks, func(m mark) bool { return m.at == s[0].Limit }); i >= 0 {
			marks[i].label = l.f("%s: long above", marks[i].label)
			marks[i].col = colLong
		} else {
			marks = append(marks, mark{s[0].Limit, l.f("long: %s", l.longRule(lt)), "9 3 2 3", colLong})
		}
	}
	for i, m := range marks {
		if m.at <= 0 {
			continue
		}
		lg := math.Log10(m.at)
		if lg < a || lg > b {
			continue
		}
		x := xOf(m.at)
		dash := ""
		if m.dash != "" {
			dash = ` stroke-dasharray="` + m.dash + `"`
		}
		y := 14 + 14*float64(i)
		s.F(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.6"%s/>`, drawing.Num(x), drawing.Num(y+3), drawing.Num(x), drawing.Num(top+ph), m.col, dash)
		anchor := "start"
		tx := x + 4
		if x > left+pw*0.8 {
			anchor, tx = "end", x-4
		}
		s.Text(tx, y, ` font-size="11" font-weight="600" text-anchor="`+anchor+`" fill="`+m.col+`"`, m.label)
	}
	s.F(`</svg>`)
	return s.String()
}

// nice rounds x up to 1, 2, 4 or 8 times a power of ten, so that axis
// ticks at quarters are whole round numbers; at least 4.
func nice(x float64) float64 {
	x = max(x, 4)
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 4, 8, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}

// gridY draws a chart's y axis: five grid lines from 0 to yMax across the
// plot (left to left+width), each with its count.
func (l *lang) gridY(s *drawing.SVG, left, width, yMax float64, yOf func(float64) float64) {
	for k := 0; k <= 4; k++ {
		v := yMax * float64(k) / 4
		y := yOf(v)
		s.F(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#e4e7eb"/>`, drawing.Num(left), drawing.Num(y), drawing.Num(left+width), drawing.Num(y))
		s.Text(left-6, y+4, ` font-size="11" text-anchor="end" fill="`+drawing.ColMuted+`"`, l.count(int(v)))
	}
}
