// Package generate writes synthetic contact-centre event logs with planted,
// exactly known findings, for testing detectors and for benchmarks of any
// size.
//
// # The simulation
//
// A municipality's contact centre, the KCC, registers every case and answers
// it or routes it to one of seven back offices (Civil Affairs, Taxes,
// Permits, Social Services, Public Space, Waste Collection, Complaints) with
// probabilities that depend on the contact reason; a back office may forward
// the case to a second one, ask a third for advice and take the case back,
// or ask the customer for information. A case is closed by the department
// that resolves it or, a fifth of the time, back at the KCC.
//
// Arrivals follow weekday and hour-of-day seasonality in Europe/Amsterdam
// time; phone, chat, counter and letter arrive in opening hours only, email
// and web forms around the clock. Work happens Monday to Friday, 08:00-17:00
// local time: every step takes a log-normal amount of working time (median
// per department), so waiting spans nights and weekends. Each stay has an
// agent (e.g. "taxes-agent-004"); a colleague does some steps. One case in
// ten comes from an earlier customer. Cases are numbered in arrival order.
//
// Baseline step times are calibrated so that, without the silo plant, the
// wait on entering a department is like the gaps between events inside its
// stays: the ratio of medians lies between about 0.6 and 1.5 on boundaries
// with 30 or more handoffs (lower into the slow department, whose inside
// gaps are long). Step medians are either under an hour or days, so that
// neither median sits on the jump between "same day" and "next morning".
//
// # Planted patterns
//
// Each is off when its rate or factor is 0 (see Config for the exact rules):
//   - direct ping-pong between chosen pairs: A B A, a third of them A B A B A;
//   - longer returns: KCC B C KCC B;
//   - a silo boundary From→To: entry waits multiplied, work inside To normal;
//   - a slow department: every step inside it multiplied, entry waits normal;
//   - repeat contacts: the same customer about the same reason within 7 days;
//   - a demand spike: one day with SpikeFactor times the usual volume of one
//     reason, mostly by phone.
//
// # Pathologies of real exports
//
// Real service-desk logs are messier than the simulation; each of their
// pathologies can be switched on (see Config; all off by default, so the
// built-in sample and every existing output stay byte-identical, and all on
// with Config.Realistic, `caseflow generate --realistic`):
//   - bursts: events followed by one to three "Status updated" events of the
//     same department and agent at the same millisecond (BurstRate), so that
//     most departments' median gap between their own events is 0 s, as in
//     BPIC 2014; no other event moves;
//   - placeholders: "EMPTY", "unknown" or "N/A" instead of the department on
//     events that continue a stay (PlaceholderRate), as "EMPTY" in the BPI
//     receipt log; a reader that treats them as missing sees the same stays;
//   - bimodal, heavy-tailed lead times: staffed contacts resolved by the KCC
//     within minutes (QuickRate), and routed cases on hold for the customer
//     for a Pareto-distributed time of weeks (HoldRate), on top of the
//     baseline, which is already bimodal (KCC-only cases against back-office
//     cases) with a log-normal tail;
//   - designed closing returns: every routed case goes back to the KCC to be
//     closed (CloseAtKCC), KCC … back office → KCC.
//
// They draw from a random stream of their own, so a case they do not touch
// is the case it would be without them.
//
// # The log
//
// One row per event, grouped by case in arrival order, events of a case in
// time order; consecutive events of a case are at least one second apart,
// or exactly at the same instant in a burst, so sorting by (time, input
// order) never reorders a case at either style's resolution. Columns (see
// Columns):
//
//	ISO: case_id,customer_id,channel,contact_reason,activity,department,agent,timestamp
//	NL:  zaaknummer;klantnummer;kanaal;reden;activiteit;afdeling;medewerker;datum
//
// ISO timestamps are UTC with milliseconds (2024-03-05T09:12:44.123Z); NL
// ones are Europe/Amsterdam wall-clock times to the second (05-03-2024
// 10:12:44). Values are English in both styles. Portal events ("Web form
// submitted", "Customer reply received") have an empty department and agent;
// they belong to no stay, as do events with a placeholder. Mailbox events ("Email received", "Letter
// received") have the KCC but no agent. CSV follows RFC 4180 with a header
// row. Parquet has the same columns: ids as strings, the other text columns
// as dictionaries over fixed value lists, a missing department or agent as
// null, the timestamp as timestamp[ms, UTC]; row groups of at most 131,072
// rows, never splitting a case.
//
// # The truth
//
// JSON Lines, one object per line, keys always present and in this order.
// A "params" record comes first, then one "case" record per case in log
// order, then "department", "pair" and "spike" records with totals.
//
//	{"kind":"params","cases","seed","start","days","style","format","timezone",
//	 "pingpong_rate","pingpong_pairs","return_rate","silo","silo_factor","slow",
//	 "slow_factor","repeat_rate","spike_day","spike_reason","spike_factor",
//	 "burst_rate","placeholder_rate","quick_rate","hold_rate","close_at_kcc"}
//
// The effective parameters: a pattern that is off has empty pingpong_pairs,
// or null silo ("From>To"), slow, spike_day and spike_reason.
//
//	{"kind":"case","case_id","customer_id","channel","reason","arrival","events",
//	 "lead_ms","patterns","planted_pair","return","repeat_of","stays","pingpong"}
//
// arrival is the first event's ISO time; lead_ms is last minus first event
// (all events). patterns lists the planted patterns the case carries, in the
// order pingpong, return, silo (crossed the silo boundary), slow (stayed in
// the slow department), repeat, spike, first_contact (resolved at first
// contact), hold (on hold for the customer). planted_pair is [From, To] of its
// planted ping-pong or null; return is [KCC, B, C] or null; repeat_of is the
// case id it repeats or null. stays is the department of each stay: events
// in a row of one department collapsed, events without a department (or with
// a placeholder) ignored.
// pingpong lists every direct ping-pong occurrence in stays, a position i
// with stays[i] = stays[i+2] != stays[i+1] (overlaps count, so A B A B has
// two), as {"at":i,"pair":[X,Y],"cause":C} with X < Y by name. The cause is
// "planted" when stay i+1 or i+2 was inserted by the ping-pong plant;
// otherwise it is why the case came back to stays[i]: "closing" (to the KCC
// to be closed), "consult" (the back office again after asking stays[i+1]
// for advice), "advice" (asked for advice by the department it had passed
// the case to) or "forward" (forwarded back). Only "planted" occurrences are
// planted; the others are structural, but they are direct ping-pong by
// definition, so a detector must find them too. A "closing" occurrence is a
// closing return: stays[i+2] is the KCC, the case's first unit, and its last
// stay. Conversely every occurrence ending in the last stay at the KCC is
// "closing", unless it was planted: a planted bounce from the KCC after
// which the KCC closes the case (KCC Taxes KCC, answered at the KCC) has
// the same shape, as has a planted pair with the KCC as its bounce target
// (X:KCC) when the case then closes at the KCC.
//
//	{"kind":"department","name","agents","step_median_s","silo_from","slow","stays","cases"}
//
// One per department, sorted by name: silo_from names the planted silo's
// source when this department is its target (else null); slow is true for
// the planted slow department; stays and cases count over all cases.
//
//	{"kind":"pair","a","b","handoffs_ab","handoffs_ba","pingpong","pingpong_planted",
//	 "pingpong_cases","planted_pair","silo"}
//
// One per unordered pair a < b (by name) with any handoff or planted
// pattern: handoffs each way, direct ping-pong occurrences (all causes and
// planted only), cases with at least one, whether it is a planted ping-pong
// pair, and the silo boundary ("From>To") if it is this pair's.
//
//	{"kind":"spike","day","reason","factor","extra_cases","reason_cases"}
//
// Present only when the spike is on: the day (local date), the reason, the
// extra cases planted and all cases of that reason arriving that day.
//
// # Determinism and scale
//
// The same Config gives byte-identical output: randomness comes from
// math/rand/v2 PCG generators seeded from Config.Seed (arrivals from one,
// each case from its own, seeded by its number), and no map order reaches the
// output. Cases are generated and written one at a time; memory is bounded by
// a ring of recent cases for repeat contacts and by one Parquet row group,
// whatever the number of cases.
package generate
