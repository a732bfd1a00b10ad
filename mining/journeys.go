package mining

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/internal/spill"
)

// Journeys are the figures across a customer's cases: repeat contacts,
// first-contact resolution, channel switching, failure demand and inflow
// spikes. A contact is a case; its customer, reason and channel are the
// first non-null value among its events, the department that closed it the
// last one, its start its first event's time and its end its last's.
//
// A contact i is repeated within a window W when the same customer's next
// contact j (by start, then log order) starts no later than W after i ends:
// start(j) − end(i) ≤ W, the boundary included, and a j that starts while i
// is still open counts. j is then a repeat contact, of i. It is repeated
// about the same reason when the customer's next contact with i's reason
// does so. A contact whose window is not over when the log ends (end(i) + W
// after the log's last event) is right-censored: whether it will be
// repeated is not known, so it is left out of every rate and counted.
// An empty log gives zero counts, Windows empty and the other lists nil.
type Journeys struct {
	// Window is Options.RepeatWindow in seconds. LogEnd is the log's last
	// event (µs since the epoch), the end of every window.
	Window float64
	// Contacts are the cases with an identified customer; Unidentified the
	// cases whose customer is null or one of Options.Unidentified.
	Contacts, Unidentified int
	// Customers counts the identified customers, OneContact those with
	// exactly one contact.
	Customers, OneContact int
	// Reasons says whether a reason column was given; without one every
	// same-reason figure, the chasers and the spikes are zero or empty.
	Reasons bool
	// Windows has the repeat rates at 1, 7 and 30 days and at Window,
	// shortest first, each once.
	Windows []Repeats
	// FCR is first-contact resolution at Window over any reason; Same over
	// the same reason (zero without Reasons).
	FCR, Same Rate
	// ByChannel, ByReason and ByDepartment split FCR (any reason) by the
	// first contact's channel, reason and closing department; rows for
	// contacts without a value are left out. By N descending, then name.
	ByChannel, ByReason, ByDepartment []Group
	// Pairs has one row per contact with a repeat within Window (censored
	// ones too, as their repeat was seen): in log order of the first.
	Pairs []RepeatPair
	// Switches is the channel of a repeat against that of the contact it
	// repeats, over the Pairs where both have one: by Count descending,
	// then From, then To. Switched counts those whose channels differ.
	Switches          []Switch
	Switched, Between int
	// Failure is the failure demand at Window.
	Failure FailureDemand
	// Inflow counts the cases started on each day from FirstDay (in
	// Options.Zone, "2006-01-02") to the last, for a daily chart.
	FirstDay string
	Inflow   []int
	// Spikes are the inflow spikes, by Day then Reason; Tests the number
	// of reason × day tests they were selected from.
	Spikes []Spike
	Tests  int
}

// Repeats are the repeat figures at one window: of the contacts, Censored
// were left out and Observed = Contacts − Censored were followed; Repeated
// of them had a repeat, SameReason one about the same reason. Rate and
// SameRate are their shares of Observed (0 when none).
type Repeats struct {
	Window                                   float64
	Observed, Censored, Repeated, SameReason int
	Rate, SameRate                           float64
}

// Rate is first-contact resolution over N observed contacts of which
// Repeated were repeated: FCR = 1 − Repeated/N, with the Wilson (1927)
// score interval [Low, High] at 95 %. All zero when N is 0.
type Rate struct {
	N, Repeated    int
	FCR, Low, High float64
}

// Group is the FCR of the contacts with one value of a column.
type Group struct {
	Name string
	Rate
}

// RepeatPair is a contact (First) and its repeat (Repeat), as indices of
// Findings.Cases, with the time from the end of the first to the start of the repeat in
// seconds (negative when the repeat came while the first was open).
type RepeatPair struct {
	First, Repeat         int
	Gap                   float64
	SameReason, Censored  bool
	FirstChannel, Channel string
}

// Switch counts repeats from a contact in channel From to one in To.
type Switch struct {
	From, To string
	Count    int
}

// FailureDemand is demand caused by a failure to do something, or do it
// right, for the customer, as against value demand, what the service is
// there for (Seddon 2003, Freedom from Command and Control, ch. 2): here a
// contact that is a repeat contact (within Window) or whose reason is one
// of Options.Chasers (asking after an earlier one). Every case counts in
// Contacts; an unidentified one can be failure demand as a chaser only.
type FailureDemand struct {
	Load
	// ByChannel by the contact's channel (without one: left out), by
	// Contacts descending then name; ByWeek by ISO week of the start in
	// Options.Zone ("2024-W07"), in time order.
	ByChannel, ByWeek []Load
}

// Load counts Contacts, the Repeats and Chasers among them, and Failure,
// those that are either; Share is Failure/Contacts.
type Load struct {
	Name                                string
	Contacts, Repeats, Chasers, Failure int
	Share                               float64
}

// Spike is a day on which more cases of one reason started than its
// weekday's baseline makes plausible. Baseline is the median count of the
// same weekday over up to SpikeWeeks preceding weeks; the count is tested
// against a Poisson distribution with mean max(Baseline, 1), one-sided
// (P = P(X ≥ Cases)), with the Benjamini & Hochberg (1995) adjustment over
// every reason × day test (PAdjusted); it is a spike when PAdjusted ≤
// SpikeFDR and Cases ≥ SpikeRatio × max(Baseline, 1). Extra = Cases −
// Baseline; Channels is the channel mix of the day's cases of the reason,
// by Cases descending then name (without a channel: left out).
//
// What followed: Handoffs and PingPong are the handoffs and direct
// ping-pong occurrences (closing returns not counted) of the cases of any
// reason that started in the Following days from Day (SpikeFollow, fewer at
// the log's end); HandoffsBaseline and PingPongBaseline are the medians of
// the same sums over the same weekdays in each of the SpikeMinWeeks weeks
// before, so an extra load of handoffs after the spike shows as Handoffs
// above HandoffsBaseline.
type Spike struct {
	Day, Reason                        string
	Cases                              int
	Baseline, Extra                    float64
	Ratio                              float64
	P, PAdjusted                       float64
	Channels                           []Count
	Following, Handoffs, PingPong      int
	HandoffsBaseline, PingPongBaseline float64
}

// Count is a name and a number of cases.
type Count struct {
	Name  string
	Cases int
}

// Spike detection constants: the baseline is the median of the same
// weekday in the last SpikeWeeks weeks, needing at least SpikeMinWeeks of
// them in the log (a robust baseline in the sense of the EARS C-family of
// syndromic surveillance, Hutwagner et al. 2003, with the median instead
// of the mean, as one earlier spike would otherwise raise it).
const (
	SpikeWeeks    = 8
	SpikeMinWeeks = 4
	SpikeFDR      = 0.05
	SpikeRatio    = 2
	SpikeFollow   = 7 // days from a spike whose cases are followed
)

// DefaultRepeatWindow is the repeat window when Options.RepeatWindow is 0.
const DefaultRepeatWindow = 7 * 24 * time.Hour

// reportedWindows are always reported besides Options.RepeatWindow.
var reportedWindows = []time.Duration{24 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour}

// contact is one case as the journey pass sees it.
type contact struct {
	start, end            int64
	customer, reason, chn int32 // -1 when none
	dept                  int32 // closing department, -1 when none
	next, nextSame        int32 // the customer's next contact (any, same reason), -1 when none
	prev                  int32 // the customer's previous contact, -1 when none
	day                   int32 // day of the start, from the log's first day
}

// journeyInput holds the codes the journey pass reads per case (see
// contact), read by the pass itself (read), so that they are not held
// while the scan runs; reason is nil without Options.Reason. They are
// the log's copies, in its memory: given back once the pass has them in
// its contacts, reason once the costs have read it.
type journeyInput struct {
	l                           *eventlog.Log
	customer, reason, chn, dept []int32
	reasons, chns, depts        []string
	unidentified                []bool // per customer code
	chaser                      []bool // per reason code
	// day is each case's start day from day0 (days since 1970-01-01 in
	// Options.Zone), set by the journey pass for followSpikes.
	day  []int32
	day0 int64
}

// stringColumn checks that the log has a string attribute column name.
func stringColumn(l *eventlog.Log, name, option string) error {
	col := l.Column(name)
	if col == nil {
		return fmt.Errorf("%w: %s: the log has no column %q; name a string attribute column", ErrOption, option, name)
	}
	d, ok := col.(*array.Dictionary)
	if !ok || !arrow.TypeEqual(d.Dictionary().DataType(), arrow.BinaryTypes.String) {
		return fmt.Errorf("%w: %s: column %q holds %s, not strings; name a string attribute column", ErrOption, option, name, col.DataType())
	}
	return nil
}

// newJourneyInput checks the columns of Options.Customer and Reason; nil
// without a customer column.
func newJourneyInput(l *eventlog.Log, opt Options) (*journeyInput, error) {
	if opt.Customer == "" {
		return nil, nil
	}
	if err := stringColumn(l, opt.Customer, "customer"); err != nil {
		return nil, err
	}
	if opt.Reason != "" {
		if err := stringColumn(l, opt.Reason, "reason"); err != nil {
			return nil, err
		}
	}
	return &journeyInput{l: l}, nil
}

// read reads each case's codes: the first customer, reason and channel
// and the last department (the one that closed it).
func (j *journeyInput) read(opt Options) {
	cust := j.l.CaseCodes(opt.Customer, false)
	chn, dept := j.l.CaseCodes(eventlog.Channel, false), j.l.CaseCodes(eventlog.Department, true)
	j.customer, j.chn, j.chns, j.dept, j.depts = cust.Index, chn.Index, chn.Names, dept.Index, dept.Names
	j.unidentified = spill.Make[bool](opt.Memory, len(cust.Names))
	for i, c := range cust.Names {
		j.unidentified[i] = slices.Contains(opt.Unidentified, c)
	}
	if opt.Reason != "" {
		r := j.l.CaseCodes(opt.Reason, false)
		j.reason, j.reasons = r.Index, r.Names
		j.chaser = make([]bool, len(r.Names))
		for i, n := range r.Names {
			j.chaser[i] = slices.Contains(opt.Chasers, n)
		}
	}
}

// firstOf is the first code ≥ 0 of codes[lo:hi], or −1.
func firstOf(codes []int32, lo, hi int) int32 {
	for _, c := range codes[lo:hi] {
		if c >= 0 {
			return c
		}
	}
	return -1
}

// journeys fills Findings.Journeys. It is a sort-based pass: cases are
// bucketed by customer (a counting sort) and each bucket sorted by start,
// so it costs O(n log k) for n cases and customers of at most k contacts,
// and its result does not depend on the workers.
func (a *analysis) journeys() {
	j := a.jin
	if j == nil {
		return
	}
	j.read(a.opt)
	in, m := a.in, a.opt.Memory
	n := in.cases()
	cs := spill.Make[contact](m, n)
	defer spill.Free(m, cs)
	for k := range cs {
		lo, hi := in.off[k], in.off[k+1]
		c := contact{start: in.t[lo], end: in.t[hi-1], customer: j.customer[k], reason: -1,
			chn: j.chn[k], dept: j.dept[k], next: -1, nextSame: -1, prev: -1}
		if c.customer >= 0 && j.unidentified[c.customer] {
			c.customer = -1
		}
		if j.reason != nil {
			c.reason = j.reason[k]
		}
		cs[k] = c
	}
	customers := len(j.unidentified)
	spill.Free(m, j.unidentified)
	spill.Free(j.l.Memory(), j.customer, j.chn, j.dept)
	j.customer, j.chn, j.dept, j.unidentified = nil, nil, nil, nil // in cs now
	z := newZone(a.opt.Zone)
	f := &Journeys{Window: a.opt.RepeatWindow.Seconds(), Reasons: j.reason != nil}
	a.f.Journeys = f
	if n == 0 {
		f.Windows = []Repeats{}
		return
	}
	logEnd := in.t[0]
	first := int64(math.MaxInt64)
	for _, c := range cs {
		logEnd = max(logEnd, c.end)
		first = min(first, c.start)
	}
	day0 := z.day(first)
	j.day, j.day0 = spill.Make[int32](m, n), day0
	for k := range cs {
		cs[k].day = int32(z.day(cs[k].start) - day0)
		j.day[k] = cs[k].day
	}
	f.FirstDay = date(day0)
	f.Inflow = make([]int, slices.Max(j.day)+1)
	for _, d := range j.day {
		f.Inflow[d]++
	}
	order := link(m, cs, customers, len(j.reasons))
	defer spill.Free(m, order)
	f.Contacts = len(order)
	f.Unidentified = n - len(order)
	for i, k := range order {
		if i == 0 || cs[order[i-1]].customer != cs[k].customer {
			f.Customers++
			if i == len(order)-1 || cs[order[i+1]].customer != cs[k].customer {
				f.OneContact++
			}
		}
	}
	w := a.opt.RepeatWindow.Microseconds()
	for _, d := range windows(a.opt.RepeatWindow) {
		f.Windows = append(f.Windows, repeatsAt(cs, order, d.Microseconds(), logEnd))
	}
	names := func(codes []string, c int32) string {
		if c < 0 {
			return ""
		}
		return codes[c]
	}
	var all, same Rate
	byChn, byRsn, byDept := make([]Rate, len(j.chns)), make([]Rate, len(j.reasons)), make([]Rate, len(j.depts))
	count := func(rates []Rate, key int32, rep bool) {
		if key >= 0 {
			rates[key].add(rep)
		}
	}
	switches := map[[2]int32]int{}
	for k := range cs {
		c := &cs[k]
		if c.customer < 0 {
			continue
		}
		rep := repeatedWithin(cs, c, c.next, w)
		censored := c.end+w > logEnd
		if rep {
			r := &cs[c.next]
			f.Pairs = append(f.Pairs, RepeatPair{First: k, Repeat: int(c.next),
				Gap: sec(float64(r.start - c.end)), SameReason: c.reason >= 0 && r.reason == c.reason, Censored: censored,
				FirstChannel: names(j.chns, c.chn), Channel: names(j.chns, r.chn)})
			if c.chn >= 0 && r.chn >= 0 {
				switches[[2]int32{c.chn, r.chn}]++
				f.Between++
				if c.chn != r.chn {
					f.Switched++
				}
			}
		}
		if censored {
			continue
		}
		all.add(rep)
		if j.reason != nil {
			same.add(repeatedWithin(cs, c, c.nextSame, w))
		}
		count(byChn, c.chn, rep)
		count(byRsn, c.reason, rep)
		count(byDept, c.dept, rep)
	}
	f.FCR, f.Same = all.wilson(), same.wilson()
	f.ByChannel, f.ByReason, f.ByDepartment = groups(byChn, j.chns), groups(byRsn, j.reasons), groups(byDept, j.depts)
	for key, c := range switches {
		f.Switches = append(f.Switches, Switch{j.chns[key[0]], j.chns[key[1]], c})
	}
	slices.SortFunc(f.Switches, func(x, y Switch) int {
		return cmp.Or(-cmp.Compare(x.Count, y.Count), strings.Compare(x.From, y.From), strings.Compare(x.To, y.To))
	})
	f.Failure = failure(cs, j, w, day0)
	f.Spikes, f.Tests = spikes(cs, j, day0)
}

// windows are the reported windows with w among them, ascending.
func windows(w time.Duration) []time.Duration {
	out := append(slices.Clone(reportedWindows), w)
	slices.Sort(out)
	return slices.Compact(out)
}

// repeatedWithin says whether contact next (of c's customer) starts no
// later than w after c ends.
func repeatedWithin(cs []contact, c *contact, next int32, w int64) bool {
	return next >= 0 && cs[next].start-c.end <= w
}

// link sets next, nextSame and prev of every contact with a customer and
// returns those contacts by customer, then start, then log order, in a
// slice from m. The buckets come from a counting sort on the customer
// code, so only the contacts of one customer are compared.
func link(m *spill.Memory, cs []contact, customers, reasons int) []int32 {
	at := spill.Make[int](m, customers+1)
	defer spill.Free(m, at)
	for _, c := range cs {
		if c.customer >= 0 {
			at[c.customer+1]++
		}
	}
	for i := 1; i < len(at); i++ {
		at[i] += at[i-1]
	}
	order := spill.Make[int32](m, at[customers])
	fill := spill.Clone(m, at[:customers])
	defer spill.Free(m, fill)
	for k, c := range cs {
		if c.customer >= 0 {
			order[fill[c.customer]] = int32(k)
			fill[c.customer]++
		}
	}
	lastSame := make([]int32, reasons)
	for i := range lastSame {
		lastSame[i] = -1
	}
	for u := range customers {
		b := order[at[u]:at[u+1]]
		// Log order within a bucket already; a stable sort by start keeps
		// it for equal starts.
		slices.SortStableFunc(b, func(x, y int32) int { return cmp.Compare(cs[x].start, cs[y].start) })
		for i := len(b) - 1; i >= 0; i-- {
			c := &cs[b[i]]
			if i+1 < len(b) {
				c.next = b[i+1]
			}
			if i > 0 {
				c.prev = b[i-1]
			}
			if c.reason >= 0 {
				c.nextSame = lastSame[c.reason]
				lastSame[c.reason] = b[i]
			}
		}
		for _, k := range b {
			if r := cs[k].reason; r >= 0 {
				lastSame[r] = -1
			}
		}
	}
	return order
}

// repeatsAt computes the repeat figures at window w (µs).
func repeatsAt(cs []contact, order []int32, w, logEnd int64) Repeats {
	r := Repeats{Window: sec(float64(w))}
	for _, k := range order {
		c := &cs[k]
		if c.end+w > logEnd {
			r.Censored++
			continue
		}
		r.Observed++
		if repeatedWithin(cs, c, c.next, w) {
			r.Repeated++
		}
		if repeatedWithin(cs, c, c.nextSame, w) {
			r.SameReason++
		}
	}
	if r.Observed > 0 {
		r.Rate = float64(r.Repeated) / float64(r.Observed)
		r.SameRate = float64(r.SameReason) / float64(r.Observed)
	}
	return r
}

func (r *Rate) add(repeated bool) {
	r.N++
	if repeated {
		r.Repeated++
	}
}

// wilson fills FCR and its Wilson (1927) score interval at 95 %: for p̂ =
// FCR over n, (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n), z the
// 0.975 normal quantile. Unlike p̂ ± z·√(p̂(1−p̂)/n) it stays within [0, 1]
// and does not collapse to a point when p̂ is 0 or 1 (Brown, Cai &
// DasGupta 2001 recommend it for this reason).
func (r Rate) wilson() Rate {
	if r.N == 0 {
		return r
	}
	r.FCR = 1 - float64(r.Repeated)/float64(r.N)
	r.Low, r.High = Wilson(r.N-r.Repeated, r.N, 0.95)
	return r
}

// groups turns counts per code into Groups, by N descending then name;
// codes without contacts are left out.
func groups(rates []Rate, names []string) []Group {
	out := []Group{}
	for c, r := range rates {
		if r.N > 0 {
			out = append(out, Group{names[c], r.wilson()})
		}
	}
	slices.SortFunc(out, func(x, y Group) int { return cmp.Or(-cmp.Compare(x.N, y.N), strings.Compare(x.Name, y.Name)) })
	return out
}

// failure counts the failure demand per channel and ISO week.
func failure(cs []contact, j *journeyInput, w int64, day0 int64) FailureDemand {
	var fd FailureDemand
	byChn := map[string]*Load{}
	byWeek := map[string]*Load{}
	load := func(m map[string]*Load, name string) *Load {
		l := m[name]
		if l == nil {
			l = &Load{Name: name}
			m[name] = l
		}
		return l
	}
	// Counted per day and channel code first, as a map per contact costs.
	days := int32(0)
	for _, c := range cs {
		days = max(days, c.day+1)
	}
	perDay, perChn := make([]Load, days), make([]Load, len(j.chns))
	for k := range cs {
		c := &cs[k]
		rep := c.prev >= 0 && c.start-cs[c.prev].end <= w
		chase := c.reason >= 0 && j.chaser[c.reason]
		perDay[c.day].add(rep, chase)
		fd.add(rep, chase)
		if c.chn >= 0 {
			perChn[c.chn].add(rep, chase)
		}
	}
	for d, l := range perDay {
		if l.Contacts > 0 {
			load(byWeek, isoWeek(day0+int64(d))).plus(l)
		}
	}
	for c, l := range perChn {
		if l.Contacts > 0 {
			load(byChn, j.chns[c]).plus(l)
		}
	}
	fd.share()
	fd.ByWeek, fd.ByChannel = loads(byWeek), loads(byChn)
	// ISO week names sort in time order.
	slices.SortFunc(fd.ByWeek, func(x, y Load) int { return strings.Compare(x.Name, y.Name) })
	slices.SortFunc(fd.ByChannel, func(x, y Load) int {
		return cmp.Or(-cmp.Compare(x.Contacts, y.Contacts), strings.Compare(x.Name, y.Name))
	})
	return fd
}

func loads(m map[string]*Load) []Load {
	out := make([]Load, 0, len(m))
	for _, l := range m {
		l.share()
		out = append(out, *l)
	}
	return out
}

func (l *Load) add(rep, chase bool) {
	l.Contacts++
	if rep {
		l.Repeats++
	}
	if chase {
		l.Chasers++
	}
	if rep || chase {
		l.Failure++
	}
}

func (l *Load) plus(o Load) {
	l.Contacts += o.Contacts
	l.Repeats += o.Repeats
	l.Chasers += o.Chasers
	l.Failure += o.Failure
}

func (l *Load) share() {
	if l.Contacts > 0 {
		l.Share = float64(l.Failure) / float64(l.Contacts)
	}
}

// date writes day d (days since 1970-01-01) as 2006-01-02.
func date(d int64) string { return time.Unix(d*86400, 0).UTC().Format(time.DateOnly) }

// isoWeek names the ISO 8601 week of day d (days since 1970-01-01).
func isoWeek(d int64) string {
	y, w := time.Unix(d*86400, 0).UTC().ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// zone turns instants into days in a time zone, caching the offset over
// the span it holds (time.Time.ZoneBounds), so a log costs a lookup per
// zone transition, not per case.
type zone struct {
	loc      *time.Location
	from, to int64 // µs span of off; to 0 when unknown
	off      int64 // µs
}

func newZone(loc *time.Location) *zone {
	if loc == nil {
		loc = time.UTC
	}
	return &zone{loc: loc}
}

// day is the day number (days since 1970-01-01) of instant us in the zone.
func (z *zone) day(us int64) int64 {
	if us < z.from || us >= z.to {
		t := time.UnixMicro(us).In(z.loc)
		_, off := t.Zone()
		z.off = int64(off) * 1e6
		s, e := t.ZoneBounds()
		z.from, z.to = math.MinInt64, math.MaxInt64
		if !s.IsZero() {
			z.from = s.UnixMicro()
		}
		if !e.IsZero() {
			z.to = e.UnixMicro()
		}
	}
	l := us + z.off
	d := l / 86400e6
	if l%86400e6 < 0 {
		d--
	}
	return d
}

// Words that name a customer or a contact reason column, in English and
// Dutch; a column is taken when exactly one name holds one of them.
var (
	customerWords = []string{"customer", "klant", "client", "caller", "burger"}
	reasonWords   = []string{"reason", "reden", "topic", "onderwerp", "subject"}
)

// JourneyColumns guesses the customer and reason columns among the column
// names of a log (role columns are never taken): the one name containing a
// customer word (customer_id, klantnummer), and the one containing a reason
// word (contact_reason, reden); "" when none or several do. Callers pass
// the string columns only, as the journeys read no others.
func JourneyColumns(names []string) (customer, reason string) {
	pick := func(words []string) string {
		found := ""
		for _, n := range names {
			switch n {
			case eventlog.Case, eventlog.Activity, eventlog.Time, eventlog.StartTime, eventlog.Department,
				eventlog.Resource, eventlog.Channel, eventlog.File, eventlog.Row:
				continue
			}
			low := strings.ToLower(n)
			if slices.ContainsFunc(words, func(w string) bool { return strings.Contains(low, w) }) {
				if found != "" {
					return ""
				}
				found = n
			}
		}
		return found
	}
	return pick(customerWords), pick(reasonWords)
}
