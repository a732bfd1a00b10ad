package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// table prints the results of a benchmark run.
type table struct {
	c                     *config
	log, commit           string
	size                  int64
	floor                 int64
	peer                  *Results
	tools                 []*tool
	duck, standin, target *tool
	// inMemory and budget: caseflow's JSON run and the same run under
	// --memory budgetRow (out of core; nil when analyze has no --memory),
	// whose reports must be equal.
	inMemory, budget *tool
}

func wall(r Run) float64  { return r.Wall }
func cpu(r Run) float64   { return r.CPU }
func rssOf(r Run) float64 { return float64(r.PeakRSS) }

// print writes the side-by-side table and the equality checks of got
// (caseflow's report) and stand (the stand-in) against the peer, and
// reports whether any check failed.
func (t *table) print(w io.Writer, got, stand *Results) bool {
	p := t.peer
	var loads []float64
	for _, tl := range t.tools {
		loads = append(loads, field(tl.runs, func(r Run) float64 { return r.Load })...)
	}
	fmt.Fprintf(w, "\ncaseflow vs DuckDB on the shared workload W1–W6 (issue 8)\n")
	fmt.Fprintf(w, "log        %s: %s cases, %s events, %s MB\n", filepath.Base(t.log), thousands(int64(p.Cases)), thousands(int64(p.Events)), thousands(t.size/1e6))
	fmt.Fprintf(w, "machine    %s; %s\n", machine(), p.Source)
	fmt.Fprintf(w, "caseflow   commit %s\n", t.commit)
	fmt.Fprintf(w, "runs       %d of each tool, interleaved; every figure is the median\n", t.c.runs)
	fmt.Fprintf(w, "load       1-minute load average before each run: %s (the previous run adds up to 2 of it)\n", loadRange(loads))
	fmt.Fprintf(w, "RSS floor  %s MiB: the harness's own peak, which Linux passes on to every child as its least peak RSS\n\n", mib(t.floor))

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\twall s\tuser+sys s\tpeak RSS MiB\t\n")
	row := func(name string, wall, cpu float64, rss int64) {
		r := "—"
		if rss > 0 {
			r = mib(rss)
		}
		fmt.Fprintf(tw, "%s\t%.2f\t%.2f\t%s\t\n", name, wall, cpu, r)
	}
	for _, tl := range t.tools {
		row(pad(tl.name), median(field(tl.runs, wall)), median(field(tl.runs, cpu)), int64(median(field(tl.runs, rssOf))))
		switch tl {
		case t.duck:
			w1 := stepSum(tl, func(s string) bool { return s == "W1" })
			rest := stepSum(tl, func(s string) bool { return s != "W1" })
			all := stepSum(tl, func(string) bool { return true })
			row(pad("  W1 load CSV (peak RSS so far)"), w1.wall, w1.cpu, w1.rss)
			row(pad("  W2–W6 (with order, stays)"), rest.wall, rest.cpu, 0)
			for _, name := range stepNames(tl) {
				if name != "W1" {
					s := stepSum(tl, func(x string) bool { return x == name })
					row(pad("    "+name), s.wall, s.cpu, 0)
				}
			}
			row(pad("  W1–W6 in-process"), all.wall, all.cpu, all.rss)
		case t.standin:
			for _, name := range stepNames(tl) {
				s := stepSum(tl, func(x string) bool { return x == name })
				row(pad("  "+name+" (peak RSS so far)"), s.wall, s.cpu, s.rss)
			}
		}
	}
	tw.Flush()

	for _, tl := range t.tools {
		if tl.answer == "" {
			fmt.Fprintf(w, "%s: standard output byte-identical in all runs: %s\n", tl.name, yes(tl.identical()))
		}
	}
	bad := false
	if t.budget != nil {
		// Identical in all runs and the first equal to the in-memory
		// run's: every report of both rows is the same.
		same := t.budget.identical() && t.inMemory.identical() && t.budget.hashes[0] == t.inMemory.hashes[0]
		fmt.Fprintf(w, "%s: report byte-identical to %s's: %s\n", t.budget.name, t.inMemory.name, yes(same))
		bad = !same
	}
	bad = checks(w, "DuckDB vs "+got.Source+" ("+t.target.name+")", compare(p, got)) || bad
	bad = checks(w, "DuckDB vs the stand-in (caseflow's ingest and mining packages, complete lists)", compare(p, stand)) || bad
	fmt.Fprintf(w, "\nW2–W6 answers equal: %s\n", yes(!bad))
	return bad
}

// targets prints caseflow's figures against issue 8's targets and reports
// whether one was missed.
func (t *table) targets(w io.Writer) bool {
	duck := stepSum(t.duck, func(string) bool { return true }).wall
	cfWall := median(field(t.target.runs, wall))
	rss := median(field(t.target.runs, rssOf))
	ratio := cfWall / duck
	okT, okM := ratio <= targetRatio, rss <= targetRSS
	fmt.Fprintf(w, "\nTargets for %s", t.target.name)
	fmt.Fprintf(w, "\n  time / DuckDB W1–W6 in-process  %5.2f   target ≤ %.2f   %s", ratio, targetRatio, verdict(okT))
	if !okT {
		fmt.Fprintf(w, " (%.2f s vs %.2f s: %.1f× too slow)", cfWall, duck, ratio/targetRatio)
	}
	// CPU time suffers less than wall time when other jobs share the cores.
	dc := stepSum(t.duck, func(string) bool { return true }).cpu
	cc := median(field(t.target.runs, cpu))
	fmt.Fprintf(w, "\n  user+sys / DuckDB's            %5.2f   (%.2f s vs %.2f s; less sensitive to load)", cc/dc, cc, dc)
	fmt.Fprintf(w, "\n  peak RSS %14s MiB         target ≤ %s MiB   %s\n", mib(int64(rss)), mib(targetRSS), verdict(okM))
	s := median(field(t.standin.runs, wall))
	fmt.Fprintf(w, "  (stand-in, ingest+mining only: %.2f s, ratio %.2f, peak RSS %s MiB)\n", s, s/duck, mib(int64(median(field(t.standin.runs, rssOf)))))
	return !okT || !okM
}

// checks prints one comparison and reports whether a check failed.
func checks(w io.Writer, title string, cs []Check) bool {
	fmt.Fprintf(w, "\n%s\n", title)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range cs {
		v := "equal"
		switch {
		case c.Skip != "":
			v = "not compared: " + c.Skip
		case !c.OK:
			v = "DIFFERENT"
		}
		detail := c.Diff
		if c.Skip != "" {
			detail = ""
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", c.W, c.What, v, detail)
	}
	tw.Flush()
	return failed(cs)
}

// span is the median wall, CPU and peak RSS of some steps over all runs.
type span struct {
	wall, cpu float64
	rss       int64
}

// stepSum sums the steps whose names match over each run, and takes the
// medians; rss is the peak after the last matching step.
func stepSum(t *tool, match func(string) bool) span {
	var walls, cpus, rss []float64
	for _, steps := range t.steps {
		var w, c float64
		var r int64
		for _, s := range steps {
			if match(s.Name) {
				w += s.Wall
				c += s.CPU
				r = s.PeakRSS
			}
		}
		walls, cpus, rss = append(walls, w), append(cpus, c), append(rss, float64(r))
	}
	return span{median(walls), median(cpus), int64(median(rss))}
}

func stepNames(t *tool) []string {
	if len(t.steps) == 0 {
		return nil
	}
	var out []string
	for _, s := range t.steps[0] {
		out = append(out, s.Name)
	}
	return out
}

// pad left-aligns a name in a right-aligned tabwriter column.
func pad(s string) string { return s + strings.Repeat(" ", max(0, 48-len([]rune(s)))) }

func mib(b int64) string { return thousands((b + 1<<19) >> 20) }

// thousands writes n with commas between groups of three digits.
func thousands(n int64) string { return english.Sprint(n) }

var english = message.NewPrinter(language.English)

func loadRange(xs []float64) string {
	if len(xs) == 0 || slices.Min(xs) < 0 {
		return "unknown"
	}
	return fmt.Sprintf("%.2f–%.2f, median %.2f", slices.Min(xs), slices.Max(xs), median(xs))
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "NO"
}
