package report

import (
	"io"

	"github.com/caseflow/caseflow/mining"
)

// journeysDoc is mining.Journeys in the JSON document; nil (null) without
// a customer column. Customer ids never appear, only counts.
type journeysDoc struct {
	CustomerColumn string      `json:"customer_column"`
	ReasonColumn   *string     `json:"reason_column"`
	WindowS        num         `json:"window_s"`
	Contacts       int         `json:"contacts"`
	Unidentified   int         `json:"unidentified"`
	Customers      int         `json:"customers"`
	OneContact     int         `json:"one_contact"`
	Windows        []windowDoc `json:"windows"`
	Observed       int         `json:"observed"`
	Censored       int         `json:"censored"`
	Repeated       int         `json:"repeated"`
	FCR            num         `json:"fcr"`
	FCRLow         num         `json:"fcr_low"`
	FCRHigh        num         `json:"fcr_high"`
	SameRepeated   *int        `json:"same_reason_repeated"`
	FCRSame        num         `json:"fcr_same_reason"`
	FCRSameLow     num         `json:"fcr_same_reason_low"`
	FCRSameHigh    num         `json:"fcr_same_reason_high"`
	ByChannel      []groupDoc  `json:"by_channel"`
	ByReason       []groupDoc  `json:"by_reason"`
	ByDepartment   []groupDoc  `json:"by_department"`
	Repeats        int         `json:"repeats"`
	Switching      switchDoc   `json:"switching"`
	Failure        failureDoc  `json:"failure_demand"`
	SpikeTests     int         `json:"spike_tests"`
	SpikeCount     int         `json:"spike_count"`
	Spikes         []spikeDoc  `json:"spikes"`
}

type windowDoc struct {
	WindowS    num `json:"window_s"`
	Observed   int `json:"observed"`
	Censored   int `json:"censored"`
	Repeated   int `json:"repeated"`
	SameReason int `json:"same_reason"`
	Rate       num `json:"rate"`
	SameRate   num `json:"same_rate"`
}

type groupDoc struct {
	Name     string `json:"name"`
	Contacts int    `json:"contacts"`
	Repeated int    `json:"repeated"`
	FCR      num    `json:"fcr"`
	FCRLow   num    `json:"fcr_low"`
	FCRHigh  num    `json:"fcr_high"`
}

type switchDoc struct {
	Between  int           `json:"between"`
	Switched int           `json:"switched"`
	Share    num           `json:"share"`
	Table    []switchCount `json:"table"`
}

type switchCount struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Count int    `json:"count"`
}

type loadDoc struct {
	Name     string `json:"name,omitempty"`
	Contacts int    `json:"contacts"`
	Repeats  int    `json:"repeats"`
	Chasers  int    `json:"chasers"`
	Failure  int    `json:"failure"`
	Share    num    `json:"share"`
}

type failureDoc struct {
	loadDoc
	ByChannel []loadDoc `json:"by_channel"`
	ByWeek    []loadDoc `json:"by_week"`
}

type spikeDoc struct {
	Day       string       `json:"day"`
	Reason    string       `json:"reason"`
	Cases     int          `json:"cases"`
	Baseline  num          `json:"baseline"`
	Extra     num          `json:"extra"`
	Ratio     num          `json:"ratio"`
	P         num          `json:"p"`
	PAdjusted num          `json:"p_adjusted"`
	Channels  []channelDoc `json:"channels"`
	// What followed: the cases of any reason started in following_days
	// from the day, against the median of the weeks before.
	FollowingDays    int `json:"following_days"`
	Handoffs         int `json:"handoffs"`
	HandoffsBaseline num `json:"handoffs_baseline"`
	PingPong         int `json:"pingpong"`
	PingPongBaseline num `json:"pingpong_baseline"`
}

type channelDoc struct {
	Name  string `json:"name"`
	Cases int    `json:"cases"`
}

// rate writes a Rate's FCR and interval; nulls when no contact was observed.
func rate(r mining.Rate) (fcr, low, high num) {
	if r.N == 0 {
		return none, none, none
	}
	return frac(r.FCR), frac(r.Low), frac(r.High)
}

func journeys(f *mining.Findings) *journeysDoc {
	j := f.Journeys
	if j == nil {
		return nil
	}
	o := f.Options
	d := &journeysDoc{CustomerColumn: o.Customer, WindowS: secs(j.Window), Contacts: j.Contacts, Unidentified: j.Unidentified,
		Customers: j.Customers, OneContact: j.OneContact, Observed: j.FCR.N, Censored: j.Contacts - j.FCR.N,
		Repeated: j.FCR.Repeated, FCRSame: none, FCRSameLow: none, FCRSameHigh: none, Repeats: len(j.Pairs),
		SpikeTests: j.Tests, SpikeCount: len(j.Spikes)}
	d.FCR, d.FCRLow, d.FCRHigh = rate(j.FCR)
	if j.Reasons {
		d.ReasonColumn = &o.Reason
		d.SameRepeated = &j.Same.Repeated
		d.FCRSame, d.FCRSameLow, d.FCRSameHigh = rate(j.Same)
	}
	d.Windows = make([]windowDoc, len(j.Windows))
	for i, w := range j.Windows {
		d.Windows[i] = windowDoc{secs(w.Window), w.Observed, w.Censored, w.Repeated, w.SameReason, none, none}
		if w.Observed > 0 {
			d.Windows[i].Rate = frac(w.Rate)
			if j.Reasons {
				d.Windows[i].SameRate = frac(w.SameRate)
			}
		}
	}
	d.ByChannel, d.ByReason, d.ByDepartment = groupDocs(j.ByChannel), groupDocs(j.ByReason), groupDocs(j.ByDepartment)
	d.Switching = switchDoc{Between: j.Between, Switched: j.Switched, Share: none, Table: make([]switchCount, len(j.Switches))}
	if j.Between > 0 {
		d.Switching.Share = frac(float64(j.Switched) / float64(j.Between))
	}
	for i, s := range j.Switches {
		d.Switching.Table[i] = switchCount{s.From, s.To, s.Count}
	}
	d.Failure = failureDoc{loadDoc: load(j.Failure.Load), ByChannel: loadDocs(j.Failure.ByChannel), ByWeek: loadDocs(j.Failure.ByWeek)}
	d.Spikes = make([]spikeDoc, len(j.Spikes))
	for i, s := range j.Spikes {
		chs := make([]channelDoc, len(s.Channels))
		for k, c := range s.Channels {
			chs[k] = channelDoc{c.Name, c.Cases}
		}
		d.Spikes[i] = spikeDoc{s.Day, s.Reason, s.Cases, exact(s.Baseline), exact(s.Extra), frac(s.Ratio), frac(s.P), frac(s.PAdjusted), chs,
			s.Following, s.Handoffs, exact(s.HandoffsBaseline), s.PingPong, exact(s.PingPongBaseline)}
	}
	return d
}

func groupDocs(gs []mining.Group) []groupDoc {
	out := make([]groupDoc, len(gs))
	for i, g := range gs {
		out[i] = groupDoc{Name: g.Name, Contacts: g.N, Repeated: g.Repeated}
		out[i].FCR, out[i].FCRLow, out[i].FCRHigh = rate(g.Rate)
	}
	return out
}

func load(l mining.Load) loadDoc {
	return loadDoc{l.Name, l.Contacts, l.Repeats, l.Chasers, l.Failure, frac(l.Share)}
}

func loadDocs(ls []mining.Load) []loadDoc {
	out := make([]loadDoc, len(ls))
	for i, l := range ls {
		out[i] = load(l)
	}
	return out
}

// shortJourneys cuts the journey lists to k entries, for the JSON.
func shortJourneys(j *journeysDoc, k int) *journeysDoc {
	if j == nil {
		return nil
	}
	c := *j
	c.ByChannel, c.ByReason, c.ByDepartment = head(c.ByChannel, k), head(c.ByReason, k), head(c.ByDepartment, k)
	c.Switching.Table = head(c.Switching.Table, k)
	c.Failure.ByChannel, c.Failure.ByWeek = head(c.Failure.ByChannel, k), head(c.Failure.ByWeek, k)
	c.Spikes = head(c.Spikes, k)
	return &c
}

// Lines of the journey tables in the text report.
const textJourneyRows = 5

// journeys writes the JOURNEYS section: one line without a customer column.
func (t *textWriter) journeys(d *document) {
	j := d.Journeys
	if j == nil {
		t.heading("JOURNEYS", t.Sprintf("no customer column, so no repeat contacts or first-contact resolution (name one with --customer)"))
		return
	}
	days := float64(j.WindowS) / 86400
	if j.Observed == 0 {
		t.heading("JOURNEYS", t.Sprintf("%d contacts of %d customers, none followed for %s", j.Contacts, j.Customers, t.duration(float64(j.WindowS))))
	} else {
		t.heading("JOURNEYS", t.Sprintf("first-contact resolution %s (95 %% CI %s to %s): %d of %d contacts not repeated within %s",
			t.percent(float64(j.FCR)), t.percent(float64(j.FCRLow)), t.percent(float64(j.FCRHigh)), j.Observed-j.Repeated, j.Observed, t.days(days)))
	}
	t.printf("  %d customers (%d with one contact); %d cases without a known customer left out; %d contacts in the last %s not yet followed for the whole window\n",
		j.Customers, j.OneContact, j.Unidentified, j.Censored, t.days(days))
	if j.SameRepeated != nil && j.Observed > 0 {
		t.printf("  about the same reason: FCR %s (95 %% CI %s to %s)\n", t.percent(float64(j.FCRSame)), t.percent(float64(j.FCRSameLow)), t.percent(float64(j.FCRSameHigh)))
	}
	rows := [][]string{t.words("window", "followed", "repeated", "same reason")}
	for _, w := range j.Windows {
		rate, same := "-", "-"
		if w.Observed > 0 {
			rate = t.percent(float64(w.Rate))
			if j.SameRepeated != nil {
				same = t.percent(float64(w.SameRate))
			}
		}
		rows = append(rows, []string{t.days(float64(w.WindowS) / 86400), t.thousands(w.Observed), rate, same})
	}
	t.table("lrrr", rows)
	for _, g := range []struct {
		title string
		rows  []groupDoc
	}{{"channel", j.ByChannel}, {"reason", j.ByReason}, {"closed by", j.ByDepartment}} {
		rows := [][]string{t.words(g.title, "contacts", "FCR", "95 %% CI")}
		for _, r := range head(g.rows, textJourneyRows) {
			rows = append(rows, []string{short(r.Name), t.thousands(r.Contacts), t.percent(float64(r.FCR)),
				t.Sprintf("%s to %s", t.percent(float64(r.FCRLow)), t.percent(float64(r.FCRHigh)))})
		}
		t.table("lrrr", rows)
	}
	if s := j.Switching; s.Between > 0 {
		t.printf("  %d of %d repeats (%s) came through another channel\n", s.Switched, s.Between, t.percent(float64(s.Share)))
	}
	if f := j.Failure; f.Contacts > 0 {
		t.printf("  failure demand (Seddon 2003): %s of contacts (%d repeats, %d chasers)\n", t.percent(float64(f.Share)), f.Repeats, f.Chasers)
	}
	switch {
	case j.ReasonColumn == nil:
		t.printf("  no reason column, so no inflow spikes (name one with --reason)\n")
	case j.SpikeCount == 0:
		t.printf("  no inflow spike among %d reason × day tests\n", j.SpikeTests)
	default:
		t.printf("  %s among %d reason × day tests:\n", t.count(j.SpikeCount, "%d inflow spike", "%d inflow spikes"), j.SpikeTests)
		rows := [][]string{t.words("day", "reason", "cases", "usual", "extra", "handoffs next 7 days", "usual")}
		for _, s := range head(j.Spikes, textJourneyRows) {
			rows = append(rows, []string{t.date(s.Day), short(s.Reason), t.thousands(s.Cases), t.plain(float64(s.Baseline)), t.plain(float64(s.Extra)),
				t.thousands(s.Handoffs), t.plain(float64(s.HandoffsBaseline))})
		}
		t.table("llrrrrr", rows)
	}
}

// days writes a number of days, "1 day", "7 days", "1.5 days".
func (t *textWriter) days(d float64) string {
	if d == 1 {
		return t.Sprintf("1 day")
	}
	return t.Sprintf("%v days", d)
}

// writeRepeats writes repeats.csv: each contact with a repeat within the
// window, by case id (never the customer's), in log order.
func (r *Report) writeRepeats(w io.Writer) error {
	t := newTable(w, "case", "repeat_case", "gap_s", "same_reason", "censored", "channel", "repeat_channel")
	if r.journeys != nil {
		for _, p := range r.journeys.Pairs {
			t.text(r.caseID(p.First)).text(r.caseID(p.Repeat)).num(secs(p.Gap)).bool(p.SameReason).bool(p.Censored).text(p.FirstChannel).text(p.Channel)
			t.end()
		}
	}
	return t.flush()
}

// writeSpikes writes spikes.csv: every inflow spike, by day then reason.
func (r *Report) writeSpikes(w io.Writer) error {
	t := newTable(w, "day", "reason", "cases", "baseline", "extra", "ratio", "p", "p_adjusted", "channels",
		"following_days", "handoffs", "handoffs_baseline", "pingpong", "pingpong_baseline")
	if r.doc.Journeys != nil {
		for _, s := range r.doc.Journeys.Spikes {
			mix := ""
			for i, c := range s.Channels {
				if i > 0 {
					mix += "; "
				}
				mix += english.Sprintf("%s %d", c.Name, c.Cases)
			}
			t.text(s.Day).text(s.Reason).int(int64(s.Cases)).num(s.Baseline).num(s.Extra).num(s.Ratio).num(s.P).num(s.PAdjusted).text(mix).
				int(int64(s.FollowingDays)).int(int64(s.Handoffs)).num(s.HandoffsBaseline).int(int64(s.PingPong)).num(s.PingPongBaseline)
			t.end()
		}
	}
	return t.flush()
}
