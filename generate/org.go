package generate

import "time"

// The simulated organisation: a municipal contact centre (the KCC) and the
// back offices it routes cases to. Tables are indexed by small integers so
// that the hot path never touches a map.

// kcc is the department index of the contact centre; every case starts there.
const kcc = 0

// noDept marks an event that belongs to no department (the customer portal).
const noDept = -1

type department struct {
	name   string
	slug   string        // agent name prefix, e.g. "taxes" in "taxes-agent-004"
	agents int           // head count, roughly proportional to workload
	step   time.Duration // median working time per step (log-normal)
	sigma  float64       // log-normal shape of the step times
}

// departments lists KCC first; back offices follow. Step medians are working
// time, so a step that does not fit before 17:00 continues the next working
// morning: elapsed waits span nights and weekends. Medians are either well
// under an hour or several working days, never half a day: a half-day step
// finishes the same day about half the time, which makes the median elapsed
// gap jump between hours and a night, and a boundary penalty measured on a
// few dozen handoffs noisy.
var departments = []department{
	{"KCC", "kcc", 60, 5 * time.Minute, 0.9},
	{"Civil Affairs", "civil-affairs", 25, 45 * time.Minute, 0.8},
	{"Taxes", "taxes", 30, 2 * workday, 0.8},
	{"Permits", "permits", 20, 3 * workday, 0.8},
	{"Social Services", "social-services", 35, 2 * workday, 0.8},
	{"Public Space", "public-space", 25, 3 * workday / 2, 0.8},
	{"Waste Collection", "waste-collection", 12, time.Hour, 0.8},
	{"Complaints", "complaints", 10, 4 * workday, 0.8},
}

// Back-office indices, for readable reason tables.
const (
	civilAffairs = iota + 1
	taxes
	permits
	social
	public
	waste
	complaints
	nDepts
)

type channel struct {
	name  string
	first uint8 // activity of the first event
	// registered by the portal rather than the KCC: first event has no department
	portal bool
	// received by a system mailbox: first event has the KCC but no agent
	mailbox bool
}

const (
	phone = iota
	email
	chat
	webForm
	counter
	letter
	nChannels
)

var channels = [nChannels]channel{
	phone:   {"phone", actCall, false, false},
	email:   {"email", actEmail, false, true},
	chat:    {"chat", actChat, false, false},
	webForm: {"web form", actWebForm, true, false},
	counter: {"counter", actCounter, false, false},
	letter:  {"letter", actLetter, false, true},
}

// Channel mixes by situation: staffed channels only during opening hours.
var (
	channelsOpen  = [nChannels]float64{phone: 48, email: 12, chat: 10, webForm: 14, counter: 9, letter: 7}
	channelsShut  = [nChannels]float64{email: 45, webForm: 55}
	channelsSpike = [nChannels]float64{phone: 70, email: 10, chat: 10, webForm: 10}
)

// Activities.
const (
	actCall = iota
	actEmail
	actChat
	actWebForm
	actCounter
	actLetter
	actRegistered
	actAnswered
	actForwarded
	actReceived
	actAssessed
	actInfoRequested
	actReply
	actAdviceRequested
	actAdviceGiven
	actAdviceReceived
	actDecision
	actSentBack
	actReturned
	actInformed
	actClosed
	actUpdated // only in bursts (Config.BurstRate), so it is last
	nActivities
)

var activities = [nActivities]string{
	actCall:            "Call received",
	actEmail:           "Email received",
	actChat:            "Chat started",
	actWebForm:         "Web form submitted",
	actCounter:         "Counter visit",
	actLetter:          "Letter received",
	actRegistered:      "Case registered",
	actAnswered:        "Question answered",
	actForwarded:       "Forwarded",
	actReceived:        "Case received",
	actAssessed:        "Case assessed",
	actInfoRequested:   "Information requested",
	actReply:           "Customer reply received",
	actAdviceRequested: "Advice requested",
	actAdviceGiven:     "Advice given",
	actAdviceReceived:  "Advice received",
	actDecision:        "Decision made",
	actSentBack:        "Sent back",
	actReturned:        "Case returned",
	actInformed:        "Customer informed",
	actClosed:          "Case closed",
	actUpdated:         "Status updated",
}

type reason struct {
	name    string
	weight  float64
	kccOnly float64         // share answered by the KCC without a back office
	route   [nDepts]float64 // first back office, by weight
	forward float64         // chance the first back office forwards to a second
	next    [nDepts]float64 // second back office, by weight (own department excluded)
}

var reasons = []reason{
	{"Passport and ID", 12, 0.50, w(civilAffairs, 1), 0.03, w(complaints, 1)},
	{"Moving house", 8, 0.35, w(civilAffairs, 0.8, taxes, 0.2), 0.12, w(taxes, 1, waste, 1)},
	{"Municipal taxes", 12, 0.30, w(taxes, 1), 0.10, w(social, 1)},
	{"Parking", 9, 0.30, w(permits, 0.6, public, 0.4), 0.15, w(permits, 1, public, 1, taxes, 0.5)},
	{"Building permit", 5, 0.15, w(permits, 1), 0.20, w(public, 1, civilAffairs, 0.3)},
	{"Benefits", 9, 0.20, w(social, 1), 0.10, w(taxes, 1)},
	{"Care and support", 6, 0.15, w(social, 1), 0.08, w(civilAffairs, 1, complaints, 0.3)},
	{"Public space", 8, 0.30, w(public, 1), 0.10, w(waste, 1, permits, 0.5)},
	{"Waste collection", 10, 0.40, w(waste, 0.9, public, 0.1), 0.08, w(public, 1, taxes, 0.5)},
	{"Complaint", 4, 0.10, w(complaints, 1), 0.30, w(civilAffairs, 1, taxes, 1, permits, 1, social, 1, public, 1, waste, 1)},
	{"General information", 12, 0.85, w(civilAffairs, 1, taxes, 1, permits, 1, social, 1, public, 1, waste, 1), 0, w()},
}

// w builds a department weight table from (department, weight) pairs.
func w(pairs ...float64) (t [nDepts]float64) {
	for i := 0; i+1 < len(pairs); i += 2 {
		t[int(pairs[i])] = pairs[i+1]
	}
	return t
}

// Probabilities of the baseline process (not planted patterns).
const (
	pCloseAtKCC    = 0.20 // a back office hands the decided case to the KCC to close
	pConsult       = 0.03 // a back office asks another for advice and takes the case back
	pInfoRequest   = 0.08 // a back office asks the customer for information
	pColleague     = 0.12 // an event of a stay is done by a colleague of the stay's agent
	pReturning     = 0.10 // a case comes from an earlier customer (any reason)
	pPingPongAgain = 0.35 // a planted ping-pong goes round once more (A B A B A)
	repeatWindow   = 7 * 24 * time.Hour
	replyMedian    = 2 * 24 * time.Hour // customers answer in calendar time
	replySigma     = 0.8
)

// The pathologies of real exports (Config.BurstRate and the rates after it).
const (
	burstMax   = 3           // status updates in a burst, at least one
	quickStep  = time.Minute // median elapsed time of a step of a first-contact resolution
	quickSigma = 0.6
	holdMin    = 7 * 24 * time.Hour // a hold lasts at least a week (Pareto scale)…
	holdShape  = 1.2                // …with Pareto shape 1.2: median 12.5 d, P90 48 d, P99 325 d…
	holdMax    = 365 * 24 * time.Hour
	// …and at most a year, so no case outlives the clock's zone table.
	pathologySalt = 0x6a09e667f3bcc909 // separates the pathology stream from a case's own
)

// placeholders stand in for a department in real exports: "EMPTY" as in the
// BPI receipt log, "unknown" and "N/A" as in many CRM exports.
var placeholders = [...]string{"EMPTY", "unknown", "N/A"}

// Placeholders returns the values Config.PlaceholderRate writes instead of
// a department.
func Placeholders() []string { return placeholders[:] }

// Arrival seasonality: relative volume per weekday (Monday first) and per
// local hour on working days and weekends.
var (
	weekdayWeight = [7]float64{1.30, 1.15, 1.05, 1.00, 0.85, 0.20, 0.15}
	hourWorkday   = [24]float64{0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.5, 6, 9, 9, 8.5, 7, 8, 8, 7, 6, 1.5, 1.2, 1.2, 1.2, 1, 0.6, 0.4}
	hourWeekend   = [24]float64{0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.4}
)

// Working hours, local time, Monday to Friday.
const (
	openHour  = 8
	closeHour = 17
	workday   = (closeHour - openHour) * time.Hour
)

// Departments returns the department names, the contact centre first.
func Departments() []string {
	return names(len(departments), func(i int) string { return departments[i].name })
}

// Reasons returns the contact reason names.
func Reasons() []string { return names(len(reasons), func(i int) string { return reasons[i].name }) }

// Channels returns the channel names.
func Channels() []string { return names(nChannels, func(i int) string { return channels[i].name }) }

// Activities returns the activity names; the last, "Status updated", occurs
// only in bursts.
func Activities() []string { return names(nActivities, func(i int) string { return activities[i] }) }

func names(n int, f func(int) string) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = f(i)
	}
	return s
}

func deptIndex(name string) int {
	for i, d := range departments {
		if d.name == name {
			return i
		}
	}
	return -1
}

func reasonIndex(name string) int {
	for i, r := range reasons {
		if r.name == name {
			return i
		}
	}
	return -1
}
