package generate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"slices"
	"testing"
	"time"
)

// TestPathologiesOffLeaveNoTrace compares the output with every pathology
// off against SHA-256 digests of the generator's output before they existed
// (commit 78638a6): the log is byte for byte the same in every style and
// format, and so is the truth after its params record, which gained the
// pathologies' keys. The embedded sample's own check is in cmd/caseflow.
func TestPathologiesOffLeaveNoTrace(t *testing.T) {
	const truthAfterParams = "3e53c0d683ae87ff2cdfdea02cd48ad8f697ac68f769a06aa0a5c284d0a040ca"
	for _, tc := range []struct {
		name   string
		style  Style
		format Format
		log    string
	}{
		{"iso csv", ISO, CSV, "0f7ea04f5c9ab1640cab320927c6de47486aa12f57a2142dd10acb3ed158b45b"},
		{"nl csv", NL, CSV, "7834cb8afc6f87f85bd34757199ced61fafa133f54b9a9640d04b4d5882eef04"},
		{"parquet", ISO, Parquet, "26b94f2accb883b54e280686e77366c0cd19783171e32d183f1bc2658bd18c4b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Default()
			cfg.Cases, cfg.Style, cfg.Format = 3000, tc.style, tc.format
			ev, tj := generate(t, cfg)
			if got := digest(ev); got != tc.log {
				t.Errorf("log digest %s, want %s", got, tc.log)
			}
			if got := digest(tj[bytes.IndexByte(tj, '\n')+1:]); got != truthAfterParams {
				t.Errorf("truth digest after params %s, want %s", got, truthAfterParams)
			}
		})
	}
}

func digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// pathologyCases is the number of cases of the pathology tests.
const pathologyCases = 10000

// generated is a log read back: its cases and its truth.
type generated struct {
	cases []logCase
	truth *truth
}

// switched generates the log with every pathology off (base), with only the
// one that set switches on (only), and with all but that one (allBut, whose
// Config is realistic() with unset applied).
func switched(t *testing.T, set, unset func(*Config)) (base, only, allBut generated) {
	t.Helper()
	read := func(cfg Config) generated {
		cfg.Cases = pathologyCases
		ev, tj := generate(t, cfg)
		g := generated{cases(t, parseLog(t, ev, ISO)), parseTruth(t, tj)}
		if len(g.cases) != pathologyCases {
			t.Fatalf("%d cases, want %d", len(g.cases), pathologyCases)
		}
		return g
	}
	cfg := Default()
	base = read(cfg)
	set(&cfg)
	only = read(cfg)
	cfg = realistic()
	unset(&cfg)
	return base, only, read(cfg)
}

// sameBut reports whether two rows agree in every field but the one blank
// clears.
func sameBut(a, b row, blank func(*row)) bool {
	blank(&a)
	blank(&b)
	return a == b
}

// within fails the test unless lo ≤ v ≤ hi.
func within(t *testing.T, what string, v, lo, hi float64) {
	t.Helper()
	t.Logf("%s: %.4g", what, v)
	if !(v >= lo && v <= hi) {
		t.Errorf("%s = %.4g, want between %.4g and %.4g", what, v, lo, hi)
	}
}

// Bursts: the log is the log without them plus "Status updated" events,
// each at the instant of the event before it, of its department and agent;
// a share BurstRate of the events with a department is followed by one to
// three (two on average); lead times and stays are unchanged. Most
// departments then have a median gap of 0 s between consecutive events of
// their stays, as in BPIC 2014. Off, no two events of a case share an
// instant and no status update is logged.
func TestBursts(t *testing.T) {
	rate := realistic().BurstRate
	b0, b1, b2 := switched(t, func(c *Config) { c.BurstRate = rate }, func(c *Config) { c.BurstRate = 0 })
	base, only, allBut := b0.cases, b1.cases, b2.cases
	var withDept, followed, updates int
	for i, c := range only {
		b := base[i]
		if !slices.Equal(c.stays, b.stays) || c.rows[len(c.rows)-1].t.Sub(c.rows[0].t) != b.rows[len(b.rows)-1].t.Sub(b.rows[0].t) {
			t.Fatalf("%s: stays or lead time changed by bursts", c.rows[0].caseID)
		}
		j := 0 // next row of b
		for k, r := range c.rows {
			if r.activity == "Status updated" {
				prev := c.rows[k-1]
				if r.dept != prev.dept || r.agent != prev.agent || !r.t.Equal(prev.t) {
					t.Fatalf("%s, event %d: %+v after %+v", r.caseID, k, r, prev)
				}
				if prev.activity != "Status updated" {
					followed++
				}
				updates++
				continue
			}
			if j == len(b.rows) || r != b.rows[j] {
				t.Fatalf("%s, event %d: %+v is not the next event without bursts", r.caseID, k, r)
			}
			if r.dept != "" {
				withDept++
			}
			j++
		}
		if j != len(b.rows) {
			t.Fatalf("%s: %d of %d events without bursts found", c.rows[0].caseID, j, len(b.rows))
		}
	}
	within(t, "share of events with a department followed by a burst", float64(followed)/float64(withDept), rate-0.02, rate+0.02)
	within(t, "status updates per burst", float64(updates)/float64(followed), 1.9, 2.1)
	gaps := map[string][]time.Duration{}
	for _, c := range only {
		for k, d := range c.stays {
			gaps[d] = append(gaps[d], c.gaps[k]...)
		}
	}
	zero := 0
	for _, g := range gaps {
		if median(g) == 0 {
			zero++
		}
	}
	if 2*zero <= len(gaps) {
		t.Errorf("%d of %d departments have a median gap of 0 s inside their stays, want most", zero, len(gaps))
	}
	for _, cs := range [][]logCase{base, allBut} {
		for _, c := range cs {
			for j := 1; j < len(c.rows); j++ {
				if c.rows[j].t.Equal(c.rows[j-1].t) || c.rows[j].activity == "Status updated" {
					t.Fatalf("%s: event %d at %s, %s, with bursts off", c.rows[j].caseID, j, c.rows[j].ts, c.rows[j].activity)
				}
			}
		}
	}
}

// Placeholders: only the department of some events changes, to one of the
// placeholders, never on the first event of a stay; a share PlaceholderRate
// of the events that continue a stay gets one. Off, none appears.
func TestPlaceholders(t *testing.T) {
	b0, b1, b2 := switched(t, func(c *Config) { c.PlaceholderRate = 0.05 }, func(c *Config) { c.PlaceholderRate = 0 })
	base, only, allBut := b0.cases, b1.cases, b2.cases
	values := map[string]int{}
	continuing, replaced := 0, 0
	for i, c := range only {
		b := base[i]
		if len(c.rows) != len(b.rows) {
			t.Fatalf("%s: %d events with placeholders, %d without", c.rows[0].caseID, len(c.rows), len(b.rows))
		}
		if !slices.Equal(c.stays, b.stays) {
			t.Fatalf("%s: stays %q with placeholders (read as missing), %q without", c.rows[0].caseID, c.stays, b.stays)
		}
		stay := ""
		for j, r := range c.rows {
			was := b.rows[j]
			if !sameBut(r, was, func(x *row) { x.dept = "" }) {
				t.Fatalf("%s, event %d: %+v with placeholders, %+v without", r.caseID, j, r, was)
			}
			if was.dept != "" && was.dept == stay {
				continuing++
			}
			if r.dept != was.dept {
				if !slices.Contains(Placeholders(), r.dept) || was.dept != stay {
					t.Fatalf("%s, event %d: department %q instead of %q (stay in %q)", r.caseID, j, r.dept, was.dept, stay)
				}
				replaced++
				values[r.dept]++
			}
			if was.dept != "" {
				stay = was.dept
			}
		}
	}
	within(t, "share of events continuing a stay with a placeholder", float64(replaced)/float64(continuing), 0.045, 0.055)
	for _, v := range Placeholders() {
		if values[v] == 0 {
			t.Errorf("placeholder %q never written: %v", v, values)
		}
	}
	for _, c := range allBut {
		for _, r := range c.rows {
			if slices.Contains(Placeholders(), r.dept) {
				t.Fatalf("%s: placeholder %q with placeholders off", r.caseID, r.dept)
			}
		}
	}
}

// First-contact resolution: cases the truth labels first_contact arrive by
// phone, chat or counter, are four KCC events within 15 minutes, and make
// up QuickRate of those channels' cases; every other case is as it was.
// Off, no case carries the label.
func TestFirstContact(t *testing.T) {
	b0, b1, b2 := switched(t, func(c *Config) { c.QuickRate = 0.5 }, func(c *Config) { c.QuickRate = 0 })
	base, only, tr := b0.cases, b1.cases, b1.truth
	staffed, quick := 0, 0
	for i, c := range only {
		ch := c.rows[0].channel
		if ch == "phone" || ch == "chat" || ch == "counter" {
			staffed++
		}
		if !slices.Contains(tr.cases[i].Patterns, "first_contact") {
			if !slices.Equal(c.rows, base[i].rows) {
				t.Fatalf("%s: not resolved at first contact, but changed", c.rows[0].caseID)
			}
			continue
		}
		quick++
		lead := c.rows[len(c.rows)-1].t.Sub(c.rows[0].t)
		if len(c.rows) != 4 || !slices.Equal(c.stays, []string{"KCC"}) || lead > 15*time.Minute || ch != "phone" && ch != "chat" && ch != "counter" {
			t.Fatalf("%s: resolved at first contact by %s in %d events, %q, %v", c.rows[0].caseID, ch, len(c.rows), c.stays, lead)
		}
	}
	within(t, "share of phone, chat and counter cases resolved at first contact", float64(quick)/float64(staffed), 0.46, 0.54)
	noLabel(t, b2.truth, "first_contact")
}

// noLabel checks that no case of tr carries label.
func noLabel(t *testing.T, tr *truth, label string) {
	t.Helper()
	for _, c := range tr.cases {
		if slices.Contains(c.Patterns, label) {
			t.Fatalf("%s carries %q with it off", c.CaseID, label)
		}
	}
}

// Holds: in cases the truth labels hold, the last event before the
// decision of the last back office is a customer reply that came a
// Pareto(7 d, 1.2) time after "Information requested", capped at a year:
// its median and 90th percentile match the distribution's (12.5 d, 47.6 d)
// within four standard errors. Every other case is as it was; HoldRate of
// the routed cases are held. Off, no case carries the label.
func TestHolds(t *testing.T) {
	b0, b1, b2 := switched(t, func(c *Config) { c.HoldRate = 0.125 }, func(c *Config) { c.HoldRate = 0 })
	base, only, tr := b0.cases, b1.cases, b1.truth
	routed := 0
	var waits []time.Duration
	for i, c := range only {
		if len(base[i].stays) > 1 {
			routed++
		}
		if !slices.Contains(tr.cases[i].Patterns, "hold") {
			if !slices.Equal(c.rows, base[i].rows) {
				t.Fatalf("%s: not held, but changed", c.rows[0].caseID)
			}
			continue
		}
		n := len(c.rows)
		j := slices.IndexFunc(c.rows, func(r row) bool { return r.activity == "Decision made" && r.dept == c.stays[len(c.stays)-1] })
		if last := c.stays[len(c.stays)-1]; last == "KCC" {
			j = n - 3 // closed at the KCC: Decision made, then Customer informed and Case closed at the KCC
		}
		if j < 2 || c.rows[j].activity != "Decision made" || c.rows[j-1].activity != "Customer reply received" || c.rows[j-2].activity != "Information requested" {
			t.Fatalf("%s: held, but the decision is not preceded by a request and a reply: %+v", c.rows[0].caseID, c.rows)
		}
		waits = append(waits, c.rows[j-1].t.Sub(c.rows[j-2].t))
	}
	within(t, "share of routed cases held", float64(len(waits))/float64(routed), 0.11, 0.14)
	slices.Sort(waits)
	day := float64(24 * time.Hour)
	q := func(p float64) float64 { return float64(waits[int(p*float64(len(waits)-1))]) / day }
	if q(0) < 7 || q(1) > 365 {
		t.Errorf("holds from %.1f d to %.1f d, want within [7 d, 365 d]", q(0), q(1))
	}
	// Standard errors of the sample quantiles, √(p(1-p)/n) over the Pareto
	// density there: median 0.4 d, P90 4.5 d with about 700 holds.
	within(t, "median hold, days", q(0.5), 7*math.Pow(2, 1/1.2)-1.6, 7*math.Pow(2, 1/1.2)+1.6)
	within(t, "90th percentile hold, days", q(0.9), 7*math.Pow(10, 1/1.2)-18, 7*math.Pow(10, 1/1.2)+18)
	noLabel(t, b2.truth, "hold")
}

// Closing at the KCC: every case with a back office ends at the KCC, and
// each is the case without it up to the last back office's decision; off,
// about a fifth of them do (the baseline's pCloseAtKCC).
func TestCloseAtKCC(t *testing.T) {
	b0, b1, b2 := switched(t, func(c *Config) { c.CloseAtKCC = true }, func(c *Config) { c.CloseAtKCC = false })
	base, only, allBut := b0.cases, b1.cases, b2.cases
	closed := func(cs []logCase) (routed, atKCC int) {
		for _, c := range cs {
			if len(c.stays) > 1 {
				routed++
				if c.stays[len(c.stays)-1] == "KCC" {
					atKCC++
				}
			}
		}
		return routed, atKCC
	}
	if routed, atKCC := closed(only); atKCC != routed || routed < pathologyCases/3 {
		t.Errorf("%d of %d routed cases close at the KCC, want all", atKCC, routed)
	}
	for _, cs := range [][]logCase{base, allBut} {
		routed, atKCC := closed(cs)
		within(t, "share of routed cases closing at the KCC when not designed", float64(atKCC)/float64(routed), 0.15, 0.3)
	}
	for i, c := range only {
		b := base[i].rows
		if len(b) > 1 && b[len(b)-1].dept != "KCC" && !slices.Equal(c.rows[:len(b)-1], b[:len(b)-1]) {
			t.Fatalf("%s: differs from the case closed in its back office before the close", c.rows[0].caseID)
		}
	}
}

// TestLeadTimesBimodal measures the lead times of the realistic log from
// the CSV: on a log scale (half-decade bins) they have a mode at minutes
// and a mode at weeks with a valley under a third of the smaller mode
// between them; over 30 % of cases end within 15 minutes, first-contact
// resolutions adding a tenth of all cases or more, and the tail is
// heavy: the 99th percentile is over 100 times the median, more than 1 %
// of cases take over 60 days, and holds make a quarter more cases take
// over 90 days than without them (the baseline's slow steps already give
// a log-normal tail of weeks).
func TestLeadTimesBimodal(t *testing.T) {
	leads := func(cfg Config) []time.Duration {
		cfg.Cases = 20000
		ev, _ := generate(t, cfg)
		var l []time.Duration
		for _, c := range cases(t, parseLog(t, ev, ISO)) {
			l = append(l, c.rows[len(c.rows)-1].t.Sub(c.rows[0].t))
		}
		slices.Sort(l)
		return l
	}
	share := func(l []time.Duration, f func(time.Duration) bool) float64 {
		n := 0
		for _, d := range l {
			if f(d) {
				n++
			}
		}
		return float64(n) / float64(len(l))
	}
	l := leads(realistic())
	var bins [16]int // bin k: lead time in [10^(k/2), 10^((k+1)/2)) seconds; bin 0 also holds 0
	for _, d := range l {
		k := 0
		if s := d.Seconds(); s >= 1 {
			k = min(int(2*math.Log10(s)), len(bins)-1)
		}
		bins[k]++
	}
	t.Logf("lead times by half decade of seconds: %v", bins)
	// The minutes mode: the fullest bin under an hour (10^3.5 s); the weeks
	// mode: the fullest at a day (10^5 s) or more; the valley between.
	peak := func(lo, hi int) int { return lo + argmax(bins[lo:hi]) }
	m1, m2 := peak(1, 7), peak(10, len(bins))
	valley := slices.Min(bins[m1+1 : m2])
	if small := min(bins[m1], bins[m2]); 3*valley >= small || small < len(l)/10 {
		t.Errorf("modes %d (bin %d) and %d (bin %d), valley %d: not bimodal", bins[m1], m1, bins[m2], m2, valley)
	}
	quarter := func(d time.Duration) bool { return d <= 15*time.Minute }
	noQuick := realistic()
	noQuick.QuickRate = 0
	within(t, "share ending within 15 minutes", share(l, quarter), 0.3, 0.6)
	within(t, "… of which first-contact resolutions add", share(l, quarter)-share(leads(noQuick), quarter), 0.1, 0.3)
	p := func(q float64) float64 { return float64(l[int(q*float64(len(l)-1))]) }
	within(t, "99th percentile over median", p(0.99)/p(0.5), 100, math.Inf(1))
	over := func(days int) func(time.Duration) bool {
		return func(d time.Duration) bool { return d > time.Duration(days)*24*time.Hour }
	}
	within(t, "share over 60 days", share(l, over(60)), 0.01, 0.1)
	noHold := realistic()
	noHold.HoldRate = 0
	l0 := leads(noHold)
	within(t, "share over 90 days, with holds over without", share(l, over(90))/share(l0, over(90)), 1.25, math.Inf(1))
}

func argmax(v []int) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}
