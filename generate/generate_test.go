package generate

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// The tests below read the generator's output back with encoding/csv and
// encoding/json and recompute everything from the rows, using only the
// definitions (stays, handoffs, direct ping-pong), never the generator's
// internals.

type row struct {
	caseID, customer, channel, reason, activity, dept, agent, ts string
	t                                                            time.Time
}

type truthCase struct {
	Kind        string   `json:"kind"`
	CaseID      string   `json:"case_id"`
	CustomerID  string   `json:"customer_id"`
	Channel     string   `json:"channel"`
	Reason      string   `json:"reason"`
	Arrival     string   `json:"arrival"`
	Events      int      `json:"events"`
	LeadMS      int64    `json:"lead_ms"`
	Patterns    []string `json:"patterns"`
	PlantedPair []string `json:"planted_pair"`
	Return      []string `json:"return"`
	RepeatOf    *string  `json:"repeat_of"`
	Stays       []string `json:"stays"`
	PingPong    []struct {
		At    int       `json:"at"`
		Pair  [2]string `json:"pair"`
		Cause string    `json:"cause"`
	} `json:"pingpong"`
}

type truthDept struct {
	Name     string  `json:"name"`
	SiloFrom *string `json:"silo_from"`
	Slow     bool    `json:"slow"`
	Stays    int     `json:"stays"`
}

type truthPair struct {
	A               string  `json:"a"`
	B               string  `json:"b"`
	HandoffsAB      int     `json:"handoffs_ab"`
	HandoffsBA      int     `json:"handoffs_ba"`
	PingPong        int     `json:"pingpong"`
	PingPongPlanted int     `json:"pingpong_planted"`
	PlantedPair     bool    `json:"planted_pair"`
	Silo            *string `json:"silo"`
}

type truthSpike struct {
	Day         string `json:"day"`
	Reason      string `json:"reason"`
	ReasonCases int    `json:"reason_cases"`
}

type truth struct {
	params struct {
		PingPongPairs [][2]string `json:"pingpong_pairs"`
		Silo          *string     `json:"silo"`
		Slow          *string     `json:"slow"`
		SpikeDay      *string     `json:"spike_day"`
		SpikeReason   *string     `json:"spike_reason"`
	}
	cases  []truthCase
	depts  []truthDept
	pairs  []truthPair
	spikes []truthSpike
}

func generate(t testing.TB, cfg Config) (events, truthJSON []byte) {
	t.Helper()
	var ev, tr bytes.Buffer
	st, err := Write(cfg, &ev, &tr)
	if err != nil {
		t.Fatal(err)
	}
	if st.Bytes != int64(ev.Len()) || st.Cases != int64(cfg.Cases) {
		t.Fatalf("stats %+v, wrote %d bytes for %d cases", st, ev.Len(), cfg.Cases)
	}
	return ev.Bytes(), tr.Bytes()
}

var amsterdam = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic(err)
	}
	return loc
}()

func parseLog(t testing.TB, data []byte, style Style) []row {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(data))
	r.ReuseRecord = true
	r.FieldsPerRecord = 8
	if style == NL {
		r.Comma = ';'
	}
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	if want := Columns(style); !slices.Equal(head, want) {
		t.Fatalf("header %q, want %q", head, want)
	}
	var rows []row
	for {
		f, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		x := row{caseID: f[0], customer: f[1], channel: f[2], reason: f[3], activity: f[4], dept: f[5], agent: f[6], ts: f[7]}
		if style == NL {
			x.t, err = time.ParseInLocation("02-01-2006 15:04:05", f[7], amsterdam)
		} else {
			x.t, err = time.Parse("2006-01-02T15:04:05.000Z", f[7])
		}
		if err != nil {
			t.Fatalf("line %d: %v", len(rows)+2, err)
		}
		rows = append(rows, x)
	}
	return rows
}

func parseTruth(t testing.TB, data []byte) *truth {
	t.Helper()
	tr := &truth{}
	for i, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		var k struct {
			Kind string `json:"kind"`
		}
		if err := json.Unmarshal(line, &k); err != nil {
			t.Fatalf("truth line %d: %v", i+1, err)
		}
		var err error
		switch k.Kind {
		case "params":
			err = json.Unmarshal(line, &tr.params)
		case "case":
			err = decode(&tr.cases, line)
		case "department":
			err = decode(&tr.depts, line)
		case "pair":
			err = decode(&tr.pairs, line)
		case "spike":
			err = decode(&tr.spikes, line)
		default:
			err = fmt.Errorf("unknown kind %q", k.Kind)
		}
		if err != nil {
			t.Fatalf("truth line %d: %v", i+1, err)
		}
	}
	return tr
}

func decode[T any](dst *[]T, line []byte) error {
	var v T
	err := json.Unmarshal(line, &v)
	*dst = append(*dst, v)
	return err
}

// logCase is one case recomputed from the rows.
type logCase struct {
	rows  []row
	stays []string // department per stay
	// first and last event of each stay
	first, last []time.Time
	gaps        [][]time.Duration // gaps between consecutive events of each stay
}

// realistic is the default configuration with every pathology on.
func realistic() Config {
	c := Default()
	c.Realistic()
	return c
}

// offAndOn runs check on the default configuration and on it with every
// pathology of real exports on.
func offAndOn(t *testing.T, check func(*testing.T, Config)) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{{"default", Default()}, {"realistic", realistic()}} {
		t.Run(tc.name, func(t *testing.T) { check(t, tc.cfg) })
	}
}

// missing reports whether a department field stands for no department: empty
// or one of the placeholders, as a reader treating them as missing sees it.
func missing(dept string) bool { return dept == "" || slices.Contains(Placeholders(), dept) }

// cases groups rows by case (rows of a case must be contiguous) and
// rebuilds the stays: consecutive events of one department form a stay; an
// event without a department (or with a placeholder) belongs to none and
// does not break a stay.
func cases(t testing.TB, rows []row) []logCase {
	t.Helper()
	var out []logCase
	seen := map[string]bool{}
	for i := 0; i < len(rows); {
		j := i
		for j < len(rows) && rows[j].caseID == rows[i].caseID {
			j++
		}
		if seen[rows[i].caseID] {
			t.Fatalf("case %s is not contiguous", rows[i].caseID)
		}
		seen[rows[i].caseID] = true
		c := logCase{rows: rows[i:j]}
		for _, r := range c.rows {
			if missing(r.dept) {
				continue
			}
			n := len(c.stays)
			if n > 0 && c.stays[n-1] == r.dept {
				c.gaps[n-1] = append(c.gaps[n-1], r.t.Sub(c.last[n-1]))
				c.last[n-1] = r.t
				continue
			}
			c.stays = append(c.stays, r.dept)
			c.first = append(c.first, r.t)
			c.last = append(c.last, r.t)
			c.gaps = append(c.gaps, nil)
		}
		out = append(out, c)
		i = j
	}
	return out
}

// directPingPongs counts positions i with s[i] = s[i+2] != s[i+1] per
// unordered pair (names sorted, joined by "|").
func directPingPongs(stays []string) map[string]int {
	m := map[string]int{}
	for i := 0; i+2 < len(stays); i++ {
		if stays[i] == stays[i+2] && stays[i] != stays[i+1] {
			m[pairKey(stays[i], stays[i+1])]++
		}
	}
	return m
}

func pairKey(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return a + "|" + b
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

func TestDeterministic(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cfg    Config
		style  Style
		format Format
	}{
		{"iso csv", Default(), ISO, CSV}, {"nl csv", Default(), NL, CSV}, {"parquet", Default(), ISO, Parquet},
		{"realistic iso csv", realistic(), ISO, CSV}, {"realistic parquet", realistic(), ISO, Parquet},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			cfg.Cases, cfg.Style, cfg.Format = 3000, tc.style, tc.format
			ev1, tr1 := generate(t, cfg)
			ev2, tr2 := generate(t, cfg)
			if !bytes.Equal(ev1, ev2) || !bytes.Equal(tr1, tr2) {
				t.Fatal("same seed gave different output")
			}
			cfg.Seed = 2
			ev3, tr3 := generate(t, cfg)
			if bytes.Equal(ev1, ev3) || bytes.Equal(tr1, tr3) {
				t.Fatal("different seeds gave the same output")
			}
		})
	}
}

// TestTruthMatchesLog recomputes the stays, direct ping-pong, lead times and
// labels from the rows and checks them against the truth, case by case, with
// the pathologies of real exports off and on.
func TestTruthMatchesLog(t *testing.T) { offAndOn(t, truthMatchesLog) }

func truthMatchesLog(t *testing.T, cfg Config) {
	cfg.Cases = 20000
	ev, tj := generate(t, cfg)
	rows := parseLog(t, ev, ISO)
	tr := parseTruth(t, tj)
	cs := cases(t, rows)
	if len(cs) != cfg.Cases || len(tr.cases) != cfg.Cases {
		t.Fatalf("%d cases in the log, %d in the truth, want %d", len(cs), len(tr.cases), cfg.Cases)
	}
	planted := map[string]bool{}
	for _, p := range tr.params.PingPongPairs {
		planted[pairKey(p[0], p[1])] = true
	}
	totals := map[string][2]int{} // pair -> all, planted occurrences
	var portal, plantedCases int
	for i, c := range cs {
		tc := tr.cases[i]
		first, last := c.rows[0], c.rows[len(c.rows)-1]
		if tc.CaseID != first.caseID || tc.CustomerID != first.customer || tc.Reason != first.reason || tc.Channel != first.channel {
			t.Fatalf("case %d: truth %s/%s/%s/%s, log %s/%s/%s/%s", i, tc.CaseID, tc.CustomerID, tc.Reason, tc.Channel,
				first.caseID, first.customer, first.reason, first.channel)
		}
		if tc.Events != len(c.rows) || tc.LeadMS != last.t.Sub(first.t).Milliseconds() || tc.Arrival != first.ts {
			t.Fatalf("%s: truth %d events, lead %d ms, arrival %s; log %d, %d, %s", tc.CaseID, tc.Events, tc.LeadMS,
				tc.Arrival, len(c.rows), last.t.Sub(first.t).Milliseconds(), first.ts)
		}
		// Events are in time order; the same instant twice only in a burst
		// inside a stay, never on entering a department.
		stay := ""
		for j, r := range c.rows {
			switch {
			case j == 0:
			case r.t.Before(c.rows[j-1].t):
				t.Fatalf("%s: event %d at %s is before %s", tc.CaseID, j, r.ts, c.rows[j-1].ts)
			case !r.t.Equal(c.rows[j-1].t):
			case cfg.BurstRate == 0:
				t.Fatalf("%s: event %d at %s, as the one before, without bursts", tc.CaseID, j, r.ts)
			case !missing(r.dept) && stay != "" && r.dept != stay:
				t.Fatalf("%s: event %d enters %s from %s in the same instant %s", tc.CaseID, j, r.dept, stay, r.ts)
			}
			if !missing(r.dept) {
				stay = r.dept
			}
		}
		for _, r := range c.rows {
			if r.dept == "" {
				portal++
				if r.agent != "" {
					t.Fatalf("%s: event without department has agent %q", tc.CaseID, r.agent)
				}
			}
		}
		if !slices.Equal(tc.Stays, c.stays) {
			t.Fatalf("%s: truth stays %q, log %q", tc.CaseID, tc.Stays, c.stays)
		}
		got := directPingPongs(c.stays)
		want := map[string]int{}
		for _, o := range tc.PingPong {
			if o.Pair[0] >= o.Pair[1] {
				t.Fatalf("%s: pair %q is not sorted", tc.CaseID, o.Pair)
			}
			a, b := c.stays[o.At], c.stays[o.At+1]
			if c.stays[o.At+2] != a || pairKey(a, b) != pairKey(o.Pair[0], o.Pair[1]) {
				t.Fatalf("%s: no %s ping-pong at %d in %q", tc.CaseID, o.Pair, o.At, c.stays)
			}
			closingReturn := c.stays[o.At+2] == "KCC" && o.At+3 == len(c.stays) // to the first unit, for the last stay
			switch o.Cause {
			case "closing":
				if !closingReturn {
					t.Fatalf("%s: closing ping-pong at %d in %q", tc.CaseID, o.At, c.stays)
				}
			case "planted", "consult", "advice", "forward":
				if closingReturn && o.Cause != "planted" { // a planted bounce can end the case at the KCC too
					t.Fatalf("%s: %s ping-pong at %d in %q is a closing return", tc.CaseID, o.Cause, o.At, c.stays)
				}
			default:
				t.Fatalf("%s: unknown cause %q", tc.CaseID, o.Cause)
			}
			k := pairKey(o.Pair[0], o.Pair[1])
			want[k]++
			tot := totals[k]
			tot[0]++
			if o.Cause == "planted" {
				tot[1]++
				if !planted[k] {
					t.Fatalf("%s: planted ping-pong between %s, which is not a planted pair", tc.CaseID, k)
				}
			}
			totals[k] = tot
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s: stays %q have ping-pong %v, truth %v", tc.CaseID, c.stays, got, want)
		}
		if slices.Contains(tc.Patterns, "pingpong") {
			plantedCases++
			a, b := tc.PlantedPair[0], tc.PlantedPair[1]
			found := false
			for j := 0; j+2 < len(c.stays); j++ {
				found = found || c.stays[j] == a && c.stays[j+1] == b && c.stays[j+2] == a
			}
			if !found {
				t.Fatalf("%s: labelled ping-pong %s→%s→%s but stays are %q", tc.CaseID, a, b, a, c.stays)
			}
		}
		if tc.Return != nil {
			a, b, x := tc.Return[0], tc.Return[1], tc.Return[2]
			found := false
			for j := 0; j+3 < len(c.stays); j++ {
				found = found || c.stays[j] == a && c.stays[j+1] == b && c.stays[j+2] == x && c.stays[j+3] == a
			}
			if !found {
				t.Fatalf("%s: labelled return %q but stays are %q", tc.CaseID, tc.Return, c.stays)
			}
		}
	}
	if plantedCases < cfg.Cases/50 {
		t.Errorf("only %d cases with planted ping-pong", plantedCases)
	}
	if share := float64(portal) / float64(len(rows)); share < 0.01 || share > 0.10 {
		t.Errorf("events without department: %.3f of all, want a small share", share)
	}
	for _, p := range tr.pairs {
		k := pairKey(p.A, p.B)
		if got := totals[k]; got[0] != p.PingPong || got[1] != p.PingPongPlanted {
			t.Errorf("pair %s: cases sum to %v ping-pong (all, planted), pair record says %d, %d", k, got, p.PingPong, p.PingPongPlanted)
		}
		if p.PlantedPair != planted[k] {
			t.Errorf("pair %s: planted_pair %v", k, p.PlantedPair)
		}
		if p.PlantedPair && p.PingPongPlanted == 0 {
			t.Errorf("planted pair %s has no planted occurrence", k)
		}
	}
}

// TestTruthRepeats checks planted repeat contacts against the log: same
// customer, same reason, earlier case, within seven days.
func TestTruthRepeats(t *testing.T) {
	cfg := Default()
	cfg.Cases = 10000
	ev, tj := generate(t, cfg)
	cs := cases(t, parseLog(t, ev, ISO))
	tr := parseTruth(t, tj)
	byID := map[string]logCase{}
	for _, c := range cs {
		byID[c.rows[0].caseID] = c
	}
	n := 0
	for i, tc := range tr.cases {
		if (tc.RepeatOf != nil) != slices.Contains(tc.Patterns, "repeat") {
			t.Fatalf("%s: repeat_of %v but patterns %q", tc.CaseID, tc.RepeatOf, tc.Patterns)
		}
		if tc.RepeatOf == nil {
			continue
		}
		n++
		old, now := byID[*tc.RepeatOf].rows[0], cs[i].rows[0]
		if old.customer != now.customer || old.reason != now.reason || old.caseID >= now.caseID {
			t.Fatalf("%s repeats %s: customer %s/%s, reason %s/%s", now.caseID, old.caseID, now.customer, old.customer, now.reason, old.reason)
		}
		if d := now.t.Sub(old.t); d < 0 || d > 7*24*time.Hour {
			t.Fatalf("%s repeats %s after %v", now.caseID, old.caseID, d)
		}
	}
	if want := cfg.RepeatRate * float64(cfg.Cases); float64(n) < want*0.7 || float64(n) > want*1.3 {
		t.Errorf("%d repeat contacts, want about %.0f", n, want)
	}
}

// TestSiloAndSlow checks the boundary penalty recomputed from the log: the
// planted silo boundary's median entry wait is many times the target's
// median gap inside its stays; every other boundary with at least 30
// handoffs stays below 2; the slow department works slowest inside.
func TestSiloAndSlow(t *testing.T) {
	cfg := Default()
	cfg.Cases = 20000
	ev, _ := generate(t, cfg)
	cs := cases(t, parseLog(t, ev, ISO))
	entry := map[[2]string][]time.Duration{}
	inside := map[string][]time.Duration{}
	for _, c := range cs {
		for i, d := range c.stays {
			inside[d] = append(inside[d], c.gaps[i]...)
			if i > 0 {
				k := [2]string{c.stays[i-1], d}
				entry[k] = append(entry[k], c.first[i].Sub(c.last[i-1]))
			}
		}
	}
	keys := make([][2]string, 0, len(entry))
	for k := range entry {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+">"+keys[i][1] < keys[j][0]+">"+keys[j][1] })
	silo := [2]string{cfg.Silo.From, cfg.Silo.To}
	tested := 0
	for _, k := range keys {
		if len(entry[k]) < 30 {
			continue
		}
		tested++
		in := median(inside[k[1]])
		ratio := float64(median(entry[k])) / float64(in)
		t.Logf("%s>%s: %d handoffs, median entry %v, median inside %v, ratio %.2f", k[0], k[1], len(entry[k]), median(entry[k]).Round(time.Minute), in.Round(time.Minute), ratio)
		if k == silo {
			if ratio < 3 {
				t.Errorf("silo boundary %s>%s: ratio %.2f, want at least 3", k[0], k[1], ratio)
			}
		} else if ratio >= 2 {
			t.Errorf("boundary %s>%s: ratio %.2f, want below 2", k[0], k[1], ratio)
		}
	}
	if tested < 20 {
		t.Errorf("only %d boundaries with 30 handoffs", tested)
	}
	// The slow department works slowest inside, by a wide margin, while its
	// entry waits are no longer than elsewhere (checked above: ratio < 2).
	slow := median(inside[cfg.Slow])
	for d, g := range inside {
		if d != cfg.Slow && median(g)*2 > slow {
			t.Errorf("slow department %s: median gap inside %v, %s has %v", cfg.Slow, slow, d, median(g))
		}
	}
}

// TestSpike checks that the spike day has the most cases of the spike reason
// (by local arrival date) and that the truth counts them right.
func TestSpike(t *testing.T) {
	cfg := Default()
	cfg.Cases = 20000
	ev, tj := generate(t, cfg)
	tr := parseTruth(t, tj)
	if len(tr.spikes) != 1 {
		t.Fatalf("%d spike records", len(tr.spikes))
	}
	sp := tr.spikes[0]
	perDay := map[string]int{}
	for _, c := range cases(t, parseLog(t, ev, ISO)) {
		if c.rows[0].reason == sp.Reason {
			perDay[c.rows[0].t.In(amsterdam).Format(time.DateOnly)]++
		}
	}
	if perDay[sp.Day] != sp.ReasonCases {
		t.Errorf("spike day %s: %d cases of %s in the log, truth says %d", sp.Day, perDay[sp.Day], sp.Reason, sp.ReasonCases)
	}
	for d, n := range perDay {
		if d != sp.Day && n >= perDay[sp.Day] {
			t.Errorf("%s has %d cases of %s, spike day %s only %d", d, n, sp.Reason, sp.Day, perDay[sp.Day])
		}
	}
}

// TestStylesAgree checks that the nl export is the iso export with local
// times, Dutch headers and semicolons, with the pathologies off and on.
func TestStylesAgree(t *testing.T) { offAndOn(t, stylesAgree) }

func stylesAgree(t *testing.T, cfg Config) {
	cfg.Cases = 5000
	iso, _ := generate(t, cfg)
	cfg.Style = NL
	nl, _ := generate(t, cfg)
	a, b := parseLog(t, iso, ISO), parseLog(t, nl, NL)
	if len(a) != len(b) {
		t.Fatalf("%d iso rows, %d nl rows", len(a), len(b))
	}
	for i := range a {
		x, y := a[i], b[i]
		want := x.t.In(amsterdam).Format("02-01-2006 15:04:05")
		x.ts, y.ts, x.t, y.t = "", "", time.Time{}, time.Time{}
		if x != y || b[i].ts != want {
			t.Fatalf("row %d: iso %+v %s, nl %+v %s (want %s)", i+2, x, a[i].ts, y, b[i].ts, want)
		}
	}
	// Within a case, written local times strictly increase (1 s
	// resolution), except in bursts, where they stay the same.
	for _, c := range cases(t, b) {
		for j := 1; j < len(c.rows); j++ {
			if x, y := c.rows[j-1].t, c.rows[j].t; y.Before(x) || y.Equal(x) && cfg.BurstRate == 0 {
				t.Fatalf("%s: %s not after %s", c.rows[j].caseID, c.rows[j].ts, c.rows[j-1].ts)
			}
		}
	}
}

// TestPatternsOff switches each planted pattern off and checks that its
// truth is empty, while the default configuration does plant it.
func TestPatternsOff(t *testing.T) {
	type check func(tr *truth) bool // reports whether the pattern is present
	label := func(name string) check {
		return func(tr *truth) bool {
			for _, c := range tr.cases {
				if slices.Contains(c.Patterns, name) {
					return true
				}
			}
			return false
		}
	}
	for _, tc := range []struct {
		name    string
		off     func(*Config)
		present []check
	}{
		{"pingpong", func(c *Config) { c.PingPongRate = 0 }, []check{label("pingpong"), func(tr *truth) bool {
			for _, c := range tr.cases {
				for _, o := range c.PingPong {
					if o.Cause == "planted" {
						return true
					}
				}
				if c.PlantedPair != nil {
					return true
				}
			}
			for _, p := range tr.pairs {
				if p.PlantedPair || p.PingPongPlanted > 0 {
					return true
				}
			}
			return len(tr.params.PingPongPairs) > 0
		}}},
		{"pingpong pairs", func(c *Config) { c.PingPongPairs = nil }, []check{label("pingpong")}},
		{"return", func(c *Config) { c.ReturnRate = 0 }, []check{label("return"), func(tr *truth) bool {
			for _, c := range tr.cases {
				if c.Return != nil {
					return true
				}
			}
			return false
		}}},
		{"silo", func(c *Config) { c.SiloFactor = 0 }, []check{label("silo"), func(tr *truth) bool {
			for _, d := range tr.depts {
				if d.SiloFrom != nil {
					return true
				}
			}
			for _, p := range tr.pairs {
				if p.Silo != nil {
					return true
				}
			}
			return tr.params.Silo != nil
		}}},
		{"slow", func(c *Config) { c.SlowFactor = 0 }, []check{label("slow"), func(tr *truth) bool {
			for _, d := range tr.depts {
				if d.Slow {
					return true
				}
			}
			return tr.params.Slow != nil
		}}},
		{"slow department", func(c *Config) { c.Slow = "" }, []check{label("slow")}},
		{"repeat", func(c *Config) { c.RepeatRate = 0 }, []check{label("repeat"), func(tr *truth) bool {
			for _, c := range tr.cases {
				if c.RepeatOf != nil {
					return true
				}
			}
			return false
		}}},
		{"spike", func(c *Config) { c.SpikeFactor = 0 }, []check{label("spike"), func(tr *truth) bool {
			return len(tr.spikes) > 0 || tr.params.SpikeDay != nil
		}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Default()
			cfg.Cases = 3000
			_, on := generate(t, cfg)
			tc.off(&cfg)
			_, off := generate(t, cfg)
			trOn, trOff := parseTruth(t, on), parseTruth(t, off)
			for i, present := range tc.present {
				if !present(trOn) {
					t.Errorf("check %d: pattern absent with the default configuration", i)
				}
				if present(trOff) {
					t.Errorf("check %d: pattern present although switched off", i)
				}
			}
		})
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Config)
		want string // part of the message; "" for valid
	}{
		{"default", func(*Config) {}, ""},
		{"zero cases", func(c *Config) { c.Cases = 0 }, ""},
		{"negative cases", func(c *Config) { c.Cases = -1 }, "cases -1"},
		{"no days", func(c *Config) { c.Days = 0 }, "days 0"},
		{"rate above one", func(c *Config) { c.ReturnRate = 1.5 }, "return rate"},
		{"negative rate", func(c *Config) { c.RepeatRate = -0.1 }, "repeat rate"},
		{"realistic", func(c *Config) { c.Realistic() }, ""},
		{"burst rate above one", func(c *Config) { c.BurstRate = 2 }, "burst rate 2"},
		{"hold rate not a number", func(c *Config) { c.HoldRate = math.NaN() }, "hold rate NaN"},
		{"factor below one", func(c *Config) { c.SiloFactor = 0.5 }, "silo factor"},
		{"unknown pair department", func(c *Config) { c.PingPongPairs = []Pair{{"KCC", "Parks"}} }, `unknown department "Parks"`},
		{"pair with itself", func(c *Config) { c.PingPongPairs = []Pair{{"Taxes", "Taxes"}} }, "must differ"},
		{"unknown silo department", func(c *Config) { c.Silo = Pair{"KCC", "IT"} }, `unknown department "IT"`},
		{"silo off ignores names", func(c *Config) { c.Silo, c.SiloFactor = Pair{"KCC", "IT"}, 0 }, ""},
		{"slow is silo target", func(c *Config) { c.Slow = "Permits" }, "also the silo's target"},
		{"unknown slow", func(c *Config) { c.Slow = "Parks" }, `unknown department "Parks"`},
		{"unknown spike reason", func(c *Config) { c.SpikeReason = "Dogs" }, `spike reason "Dogs"`},
		{"spike before period", func(c *Config) { c.SpikeDay = time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC) }, "outside the period"},
		{"spike on last day", func(c *Config) { c.SpikeDay = time.Date(2024, 12, 30, 0, 0, 0, 0, time.UTC) }, ""},
		{"spike after period", func(c *Config) { c.SpikeDay = time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC) }, "outside the period"},
		{"no start", func(c *Config) { c.Start = time.Time{} }, "start"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Default()
			tc.edit(&cfg)
			err := cfg.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tc.want != "" && (err == nil || !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want ErrConfig mentioning %q", err, tc.want)
			}
			if tc.want != "" {
				var buf bytes.Buffer
				if _, err := Write(cfg, &buf, &buf); err == nil || buf.Len() > 0 {
					t.Fatalf("Write accepted an invalid configuration (err %v, %d bytes)", err, buf.Len())
				}
			}
		})
	}
}

func TestZeroCases(t *testing.T) {
	cfg := Default()
	cfg.Cases = 0
	ev, tj := generate(t, cfg)
	if want := strings.Join(Columns(ISO), ",") + "\n"; string(ev) != want {
		t.Errorf("log %q, want only the header %q", ev, want)
	}
	tr := parseTruth(t, tj)
	if len(tr.cases) != 0 || len(tr.depts) != len(Departments()) {
		t.Errorf("truth has %d cases, %d departments", len(tr.cases), len(tr.depts))
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{{"default", Default()}, {"realistic", realistic()}} {
		b.Run(tc.name, func(b *testing.B) {
			cfg := tc.cfg
			cfg.Cases = 10000
			b.ReportAllocs()
			var n int64
			for b.Loop() {
				st, err := Write(cfg, io.Discard, nil)
				if err != nil {
					b.Fatal(err)
				}
				n = st.Bytes
			}
			b.SetBytes(n)
		})
	}
}

var errFull = errors.New("disk full")

// failWriter accepts n bytes, then fails.
type failWriter struct{ n int }

func (w *failWriter) Write(b []byte) (int, error) {
	if len(b) > w.n {
		k := w.n
		w.n = 0
		return k, errFull
	}
	w.n -= len(b)
	return len(b), nil
}

func TestWriteErrors(t *testing.T) {
	for _, tc := range []struct {
		name          string
		format        Format
		events, truth io.Writer
	}{
		{"csv log", CSV, &failWriter{n: 100000}, io.Discard},
		{"parquet log", Parquet, &failWriter{n: 100000}, io.Discard},
		{"truth", CSV, io.Discard, &failWriter{n: 100000}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Default()
			cfg.Cases, cfg.Format = 20000, tc.format
			if _, err := Write(cfg, tc.events, tc.truth); !errors.Is(err, errFull) {
				t.Fatalf("error %v, want %v", err, errFull)
			}
		})
	}
}

func TestQuoting(t *testing.T) {
	for _, tc := range []struct {
		in       string
		sep      byte
		csv, jsn string
	}{
		{"Public Space", ',', "Public Space", `"Public Space"`},
		{"a,b", ',', `"a,b"`, `"a,b"`},
		{"a,b", ';', "a,b", `"a,b"`},
		{"a;b", ';', `"a;b"`, `"a;b"`},
		{`say "hi"`, ',', `"say ""hi"""`, `"say \"hi\""`},
		{"two\nlines\\", ',', "\"two\nlines\\\"", `"two\u000alines\\"`},
		{"Zuidoost é", ',', "Zuidoost é", `"Zuidoost é"`},
	} {
		if got := string(csvField(tc.in, tc.sep)); got != tc.csv {
			t.Errorf("csvField(%q, %q) = %q, want %q", tc.in, tc.sep, got, tc.csv)
		}
		if got := string(appendJSON(nil, tc.in)); got != tc.jsn {
			t.Errorf("appendJSON(%q) = %s, want %s", tc.in, got, tc.jsn)
		}
	}
}
