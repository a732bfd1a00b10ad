package html

import (
	"fmt"
	"html/template"
	"math"
	"strings"
	"time"
)

// Trend is one headline metric over the runs of a history (caseflow
// analyze --history), drawn as a small line chart.
type Trend struct {
	// Name is the metric (e.g. pingpong.case_rate), Label it in words.
	Name, Label string
	// Share is true for a rate (shown in per cent), false for seconds.
	Share bool
	// Points, oldest first; the last is this run.
	Points []TrendPoint
}

// TrendPoint is a metric's value in one run, and whether that run found
// it significantly changed against the runs before it, and for the worse.
// Time is when the run was made; zero (not shown) for this run, so that
// the page does not depend on the clock.
type TrendPoint struct {
	Run            string
	Time           time.Time
	Value          float64
	Changed, Worse bool
}

// Change is a significant change since earlier runs, in words (the
// text report's SINCE LAST TIME lines).
type Change struct {
	Text  string
	Worse bool
}

type trendView struct {
	Name, Label, Last string
	Chart             template.HTML
}

// Size of a trend chart, in CSS pixels, and its margin for the dots.
const (
	trendW, trendH, trendPad = 260, 64, 6
)

// trends draws each trend server-side as an inline SVG: a polyline and
// one dot per run, a significant change as a larger dot (red when worse),
// each dot titled with its run, time and value. No script is needed, so
// the page's Content Security Policy is unchanged.
func (l *lang) trends(ts []Trend) []trendView {
	out := make([]trendView, 0, len(ts))
	for _, t := range ts {
		if len(t.Points) == 0 {
			continue
		}
		format := func(x float64) string {
			if t.Share {
				return l.pct(x)
			}
			return l.dur(x)
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, p := range t.Points {
			lo, hi = min(lo, p.Value), max(hi, p.Value)
		}
		if hi == lo { // a flat line in the middle
			lo, hi = lo-1, hi+1
		}
		x := func(i int) float64 {
			if len(t.Points) == 1 {
				return trendW / 2
			}
			return trendPad + float64(i)*(trendW-2*trendPad)/float64(len(t.Points)-1)
		}
		y := func(v float64) float64 { return trendPad + (hi-v)/(hi-lo)*(trendH-2*trendPad) }
		var b strings.Builder
		fmt.Fprintf(&b, `<svg class="trend" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
			trendW, trendH, trendW, trendH, template.HTMLEscapeString(t.Label))
		b.WriteString(`<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="`)
		for i, p := range t.Points {
			fmt.Fprintf(&b, "%.1f,%.1f ", x(i), y(p.Value))
		}
		b.WriteString(`"/>`)
		for i, p := range t.Points {
			class, r, fill := "pt", 2.5, "currentColor"
			if p.Changed {
				class, r, fill = "pt changed", 4.5, "#1a7f37"
			}
			if p.Worse {
				class, fill = "pt changed worse", "#c62828"
			}
			note := ""
			if p.Changed {
				note = l.f(" · significant change")
				if p.Worse {
					note = l.f(" · significant change, for the worse")
				}
			}
			when := ""
			if !p.Time.IsZero() {
				when = p.Time.UTC().Format(" · " + l.f("2006-01-02") + " 15:04 UTC")
			}
			fmt.Fprintf(&b, `<circle class="%s" cx="%.1f" cy="%.1f" r="%.1f" fill="%s"><title>%s%s · %s%s</title></circle>`,
				class, x(i), y(p.Value), r, fill, template.HTMLEscapeString(p.Run), when,
				template.HTMLEscapeString(format(p.Value)), note)
		}
		b.WriteString(`</svg>`)
		out = append(out, trendView{Name: t.Name, Label: t.Label, Last: format(t.Points[len(t.Points)-1].Value),
			Chart: template.HTML(b.String())})
	}
	return out
}
