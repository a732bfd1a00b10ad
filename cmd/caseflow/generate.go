package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/spf13/pflag"

	"github.com/caseflow/caseflow/export"
	"github.com/caseflow/caseflow/generate"
)

const generateUsage = `usage: caseflow generate [flags]

Simulates a municipal contact centre (the KCC) and its back offices and writes
the event log a CRM would export, one row per event, grouped by case in
arrival order, events of a case in time order. Patterns are planted with
known rates, and --truth records exactly what was planted, so detectors can be
checked against it. The same flags and seed give byte-identical files.

Columns (--style iso, comma-separated, UTC):
  case_id,customer_id,channel,contact_reason,activity,department,agent,timestamp
  C00000001,K00000001,phone,Parking,Call received,KCC,kcc-agent-017,2024-01-02T08:12:44.123Z
Columns (--style nl, semicolon-separated, Europe/Amsterdam local time):
  zaaknummer;klantnummer;kanaal;reden;activiteit;afdeling;medewerker;datum
  C00000001;K00000001;phone;Parking;Call received;KCC;kcc-agent-017;02-01-2024 09:12:44
Portal events ("Web form submitted", "Customer reply received") have no
department; mailbox events ("Email received", "Letter received") no agent.

Departments: %s
Reasons: %s

Truth (--truth FILE, JSON Lines, keys in a fixed order): first a "params"
record; then one "case" record per case (case_id, customer_id, channel,
reason, arrival, events, lead_ms, patterns, planted_pair, return, repeat_of,
stays, pingpong); then "department", "pair" and "spike" records with totals.
"stays" is the case's department sequence (consecutive events of a department
collapsed, events without one ignored); "pingpong" lists every direct
ping-pong s[i]=s[i+2]!=s[i+1] in it with its position, unordered pair (names
sorted) and cause: "planted", or the structural reason the case came back
("closing", "consult", "advice", "forward"). See 'go doc
github.com/caseflow/caseflow/generate' for every field.

Pathologies of real exports, all off by default, all on with --realistic
(flags given as well win): bursts of "Status updated" events logged at the
instant of the event before; placeholder departments (%s)
on events that continue a stay; first-contact resolution within minutes and
Pareto-tailed holds of weeks, which make lead times bimodal and
heavy-tailed; and every routed case closed back at the KCC. The truth
describes the log as written: a placeholder counts as no department, and
cases carry the patterns "first_contact" and "hold".

Other exports of the same cases (--shape): calls writes the call records of
the phone contacts in the columns of the shared call-centre file (UTC times,
a ticket column; some customers first abandon in the queue or leave in the
VRU, some rows are delivered twice) and --truth gets the calls' truth (a
"call" record per call, then a "calls" record: offered, answered,
abandoned, in_vru, within_20s, redelivered, linked, unlinked); audit writes
a field-change history (case_id, field, old_value, new_value, changed_at,
changed_by: assignment_group and state) with the event log's truth; linked
writes the event log as tickets to --out and the calls logged against them
to --calls (their truth to --calls-truth), to be joined by a config's
[[input]] tables (docs/reading.md).

Flags:
`

func runGenerate(args []string, stdout, stderr io.Writer) int {
	def := generate.Default()
	fs := pflag.NewFlagSet("generate", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	cases := fs.Int("cases", def.Cases, "number of cases (about 6.8 events each)")
	seed := fs.Uint64("seed", def.Seed, "random seed")
	out := fs.String("out", "-", "log file, in the format its name ends in (.csv, .csv.gz, .parquet); - writes to stdout")
	format := fs.String("format", "csv", "log format: csv, csv.gz or parquet; from --out's extension when not given")
	truth := fs.String("truth", "", "also write the planted ground truth to this JSON Lines file")
	style := fs.String("style", "iso", "export style: iso (',' UTC ISO 8601) or nl (';' dd-mm-yyyy HH:MM:SS local, Dutch headers)")
	start := fs.String("start", def.Start.Format(time.DateOnly), "first day of the arrival period (yyyy-mm-dd, local date)")
	days := fs.Int("days", def.Days, "length of the arrival period in days (cases may finish after it)")
	ppRate := fs.Float64("pingpong-rate", def.PingPongRate, "share of cases visiting a pair's first department that bounce A→B→A (35% of them A→B→A→B→A); 0 = off")
	ppPairs := fs.String("pingpong-pairs", pairsString(def.PingPongPairs, ":"), "comma-separated A:B department pairs for planted direct ping-pong")
	retRate := fs.Float64("return-rate", def.ReturnRate, "share of routed cases sent KCC→B→C→KCC (then to B again); 0 = off")
	silo := fs.String("silo", def.Silo.From+">"+def.Silo.To, "silo boundary FROM>TO whose handoffs wait much longer than work inside TO; empty = off")
	siloF := fs.Float64("silo-factor", def.SiloFactor, "how many times longer handoffs across the silo boundary wait; 0 = off")
	slow := fs.String("slow", def.Slow, "department with long handling (each step slower, entry waits normal); empty = off")
	slowF := fs.Float64("slow-factor", def.SlowFactor, "how many times longer each step in the slow department takes; 0 = off")
	repRate := fs.Float64("repeat-rate", def.RepeatRate, "share of cases from a customer back about the same reason within 7 days; 0 = off")
	spikeDay := fs.String("spike-day", "", "day of the demand spike (yyyy-mm-dd; default: first weekday on or after the middle of the period)")
	spikeRsn := fs.String("spike-reason", def.SpikeReason, "contact reason that surges on the spike day")
	spikeF := fs.Float64("spike-factor", def.SpikeFactor, "the spike reason's volume on the spike day, as a multiple of usual; 0 = off")
	var real generate.Config
	real.Realistic()
	realistic := fs.Bool("realistic", false, "switch on every pathology of real exports below at its value shown in brackets")
	burst := fs.Float64("burst-rate", 0, fmt.Sprintf("share of events with a department followed by 1-3 status updates at the same instant [%v]", real.BurstRate))
	placeholder := fs.Float64("placeholder-rate", 0, fmt.Sprintf("share of events continuing a stay with a placeholder department [%v]", real.PlaceholderRate))
	quick := fs.Float64("quick-rate", 0, fmt.Sprintf("share of phone, chat and counter contacts resolved by the KCC within minutes [%v]", real.QuickRate))
	hold := fs.Float64("hold-rate", 0, fmt.Sprintf("share of routed cases on hold for the customer for a Pareto-distributed time of weeks [%v]", real.HoldRate))
	closeKCC := fs.Bool("close-at-kcc", false, fmt.Sprintf("close every routed case back at the KCC [%v]", real.CloseAtKCC))
	var shapes shapeFlags
	shapes.register(fs)
	nights := fs.Int("nights", 0, fmt.Sprintf("write this many nightly logs into the folder --out, night-01.csv …, each of --days days (default %d) and a seed of its own, only the first --pingpong-pairs pair planted; 0 = one log", generate.NightDays))
	changeDay := fs.Int("change-day", 0, "with --nights: from this night on, the first pair's ping-pong rate is --change-factor times higher; 0 = no change")
	changeFactor := fs.Float64("change-factor", 2, "with --nights: what the change multiplies the ping-pong rate by")

	usage := func(w io.Writer) {
		fmt.Fprintf(w, generateUsage, strings.Join(generate.Departments(), ", "), strings.Join(generate.Reasons(), ", "), strings.Join(generate.Placeholders(), ", "))
		fmt.Fprint(w, flagUsages(fs))
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "caseflow generate: "+format+"\n", a...)
		fmt.Fprintln(stderr, "run 'caseflow generate --help' for usage")
		return exitUsage
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			usage(stdout)
			return exitOK
		}
		return fail("%v", err)
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q: generate takes only flags", fs.Arg(0))
	}

	cfg := def
	cfg.Cases, cfg.Seed, cfg.Days = *cases, *seed, *days
	cfg.PingPongRate, cfg.ReturnRate, cfg.RepeatRate = *ppRate, *retRate, *repRate
	cfg.SiloFactor, cfg.SlowFactor, cfg.SpikeFactor = *siloF, *slowF, *spikeF
	cfg.Slow, cfg.SpikeReason = *slow, *spikeRsn
	if *realistic {
		cfg.Realistic()
	}
	for _, f := range []struct {
		name string
		dst  *float64
		v    float64
	}{{"burst-rate", &cfg.BurstRate, *burst}, {"placeholder-rate", &cfg.PlaceholderRate, *placeholder},
		{"quick-rate", &cfg.QuickRate, *quick}, {"hold-rate", &cfg.HoldRate, *hold}} {
		if fs.Changed(f.name) {
			*f.dst = f.v
		}
	}
	if fs.Changed("close-at-kcc") {
		cfg.CloseAtKCC = *closeKCC
	}
	chosen := fmt.Sprintf("--format %q", *format)
	if f, gz, ok := export.FormatOf(*out); ok && !fs.Changed("format") {
		*format, chosen = string(f), fmt.Sprintf("--out %q", *out)
		if gz {
			*format += ".gz"
		}
	}
	gzipped := false
	switch *format {
	case "csv":
		cfg.Format = generate.CSV
	case "csv.gz":
		cfg.Format, gzipped = generate.CSV, true
	case "parquet":
		cfg.Format = generate.Parquet
	default:
		return fail("%s: generate writes csv, csv.gz or parquet", chosen)
	}
	switch *style {
	case "iso":
		cfg.Style = generate.ISO
	case "nl":
		cfg.Style = generate.NL
	default:
		return fail("--style %q: want iso or nl", *style)
	}
	var err error
	if cfg.Start, err = time.Parse(time.DateOnly, *start); err != nil {
		return fail("--start %q: want a date like 2024-01-01", *start)
	}
	if *spikeDay != "" {
		if cfg.SpikeDay, err = time.Parse(time.DateOnly, *spikeDay); err != nil {
			return fail("--spike-day %q: want a date like 2024-03-05", *spikeDay)
		}
	}
	if cfg.PingPongPairs, err = parsePairs(*ppPairs, ":"); err != nil {
		return fail("--pingpong-pairs: %v", err)
	}
	cfg.Silo = generate.Pair{}
	if *silo != "" {
		pairs, err := parsePairs(*silo, ">")
		if err != nil || len(pairs) != 1 {
			return fail("--silo %q: want one boundary FROM>TO, e.g. \"KCC>Permits\"", *silo)
		}
		cfg.Silo = pairs[0]
	}
	if err := cfg.Validate(); err != nil {
		return fail("%v", err)
	}
	if err := shapes.check(*format); err != nil {
		return fail("%v", err)
	}
	if *nights > 0 {
		if !fs.Changed("days") {
			cfg.Days = generate.NightDays
		}
		return writeNights(cfg, *nights, *changeDay, *changeFactor, *out, *truth != "" || gzipped, stderr)
	}
	if *truth == "-" && (*out == "-" || *out == "") {
		return fail("--truth - and the log cannot both go to stdout; give --out FILE")
	}

	events, closeEvents, err := create(*out, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "caseflow generate: %v\n", err)
		return exitData
	}
	if gzipped {
		zw, closeFile := gzip.NewWriter(events), closeEvents
		events, closeEvents = zw, func() error { return errors.Join(zw.Close(), closeFile()) }
	}
	var truthW io.Writer
	closeTruth := func() error { return nil }
	if *truth != "" {
		if truthW, closeTruth, err = create(*truth, stdout); err != nil {
			closeEvents()
			fmt.Fprintf(stderr, "caseflow generate: %v\n", err)
			return exitData
		}
	}
	err = shapes.write(cfg, events, truthW, *out, stdout, stderr)
	if cerr := closeEvents(); err == nil {
		err = cerr
	}
	if cerr := closeTruth(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(stderr, "caseflow generate: %v\n", err)
		return exitData
	}
	return exitOK
}

// create opens name for writing; "-" is stdout, which is not closed.
func create(name string, stdout io.Writer) (io.Writer, func() error, error) {
	if name == "-" || name == "" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.Create(name)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

// parsePairs reads "A:B,C:D" (sep ":") or "A>B" (sep ">").
func parsePairs(s, sep string) ([]generate.Pair, error) {
	var pairs []generate.Pair
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		a, b, ok := strings.Cut(item, sep)
		if !ok {
			return nil, fmt.Errorf("%q: want two departments joined by %q, e.g. \"KCC%sTaxes\"", item, sep, sep)
		}
		pairs = append(pairs, generate.Pair{From: strings.TrimSpace(a), To: strings.TrimSpace(b)})
	}
	return pairs, nil
}

func pairsString(pairs []generate.Pair, sep string) string {
	s := make([]string, len(pairs))
	for i, p := range pairs {
		s[i] = p.From + sep + p.To
	}
	return strings.Join(s, ",")
}
