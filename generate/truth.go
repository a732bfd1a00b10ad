package generate

import (
	"bufio"
	"io"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"
)

// truthWriter writes the ground truth as JSON Lines with keys in a fixed
// order: a params record, one case record per case as it is generated, then
// department, pair and spike records with totals over all cases.
type truthWriter struct {
	p      *plan
	c      *clock
	w      *bufio.Writer
	b      []byte
	occ    []occurrence
	byName []int // department indices sorted by name

	stays      [nDepts]int64
	deptCases  [nDepts]int64
	handoffs   [nDepts][nDepts]int64 // from, to
	pp         [nDepts][nDepts]int64 // occurrences per pair (a, b) in name order
	planted    [nDepts][nDepts]int64
	ppCases    [nDepts][nDepts]int64
	spikeCases int64
}

func newTruthWriter(p *plan, c *clock, w io.Writer) *truthWriter {
	t := &truthWriter{p: p, c: c, w: bufio.NewWriterSize(w, 1<<20)}
	for i := range departments {
		t.byName = append(t.byName, i)
	}
	sort.Slice(t.byName, func(i, j int) bool { return departments[t.byName[i]].name < departments[t.byName[j]].name })
	t.params()
	return t
}

func (t *truthWriter) params() {
	p := t.p
	b := append(t.b[:0], `{"kind":"params","cases":`...)
	b = strconv.AppendInt(b, int64(p.Cases), 10)
	b = append(b, `,"seed":`...)
	b = strconv.AppendUint(b, p.Seed, 10)
	b = append(b, `,"start":"`...)
	b = appendDate(b, p.startDay)
	b = append(b, `","days":`...)
	b = strconv.AppendInt(b, int64(p.Days), 10)
	b = append(b, `,"style":`...)
	b = appendJSON(b, [...]string{ISO: "iso", NL: "nl"}[p.Style])
	b = append(b, `,"format":`...)
	b = appendJSON(b, [...]string{CSV: "csv", Parquet: "parquet"}[p.Format])
	b = append(b, `,"timezone":"Europe/Amsterdam","pingpong_rate":`...)
	b = appendFloat(b, p.PingPongRate)
	b = append(b, `,"pingpong_pairs":[`...)
	for i, pr := range p.pairs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendNames(b, pr[0], pr[1])
	}
	b = append(b, `],"return_rate":`...)
	b = appendFloat(b, p.ReturnRate)
	b = append(b, `,"silo":`...)
	b = t.appendSilo(b)
	b = append(b, `,"silo_factor":`...)
	b = appendFloat(b, p.SiloFactor)
	b = append(b, `,"slow":`...)
	b = appendDept(b, p.slow)
	b = append(b, `,"slow_factor":`...)
	b = appendFloat(b, p.SlowFactor)
	b = append(b, `,"repeat_rate":`...)
	b = appendFloat(b, p.RepeatRate)
	b = append(b, `,"spike_day":`...)
	if p.spikeDay >= 0 {
		b = append(b, '"')
		b = appendDate(b, p.spikeDay)
		b = append(b, `","spike_reason":`...)
		b = appendJSON(b, reasons[p.spikeRsn].name)
	} else {
		b = append(b, `null,"spike_reason":null`...)
	}
	b = append(b, `,"spike_factor":`...)
	b = appendFloat(b, p.SpikeFactor)
	b = append(b, `,"burst_rate":`...)
	b = appendFloat(b, p.BurstRate)
	b = append(b, `,"placeholder_rate":`...)
	b = appendFloat(b, p.PlaceholderRate)
	b = append(b, `,"quick_rate":`...)
	b = appendFloat(b, p.QuickRate)
	b = append(b, `,"hold_rate":`...)
	b = appendFloat(b, p.HoldRate)
	b = append(b, `,"close_at_kcc":`...)
	b = strconv.AppendBool(b, p.CloseAtKCC)
	t.b = append(b, "}\n"...)
	t.w.Write(t.b)
}

func (t *truthWriter) appendSilo(b []byte) []byte {
	if t.p.siloFrom < 0 {
		return append(b, "null"...)
	}
	return appendJSON(b, departments[t.p.siloFrom].name+">"+departments[t.p.siloTo].name)
}

func (t *truthWriter) add(k *kase) error {
	b := append(t.b[:0], `{"kind":"case","case_id":"`...)
	b = appendID(b, 'C', k.no)
	b = append(b, `","customer_id":"`...)
	b = appendID(b, 'K', k.customer)
	b = append(b, `","channel":`...)
	b = appendJSON(b, channels[k.channel].name)
	b = append(b, `,"reason":`...)
	b = appendJSON(b, reasons[k.reason].name)
	b = append(b, `,"arrival":"`...)
	b = appendISO(b, k.events[0].t)
	b = append(b, `","events":`...)
	b = strconv.AppendInt(b, int64(len(k.events)), 10)
	b = append(b, `,"lead_ms":`...)
	b = strconv.AppendInt(b, k.events[len(k.events)-1].t-k.events[0].t, 10)
	b = append(b, `,"patterns":[`...)
	n := 0
	for i, name := range labelNames {
		if k.labels&(1<<i) != 0 {
			if n > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, name)
			n++
		}
	}
	b = append(b, `],"planted_pair":`...)
	if k.pair >= 0 {
		b = appendNames(b, t.p.pairs[k.pair][0], t.p.pairs[k.pair][1])
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"return":`...)
	if k.ret[0] >= 0 {
		b = appendNames(b, int(k.ret[0]), int(k.ret[1]), int(k.ret[2]))
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"repeat_of":`...)
	if k.repeatOf > 0 {
		b = append(b, '"')
		b = appendID(b, 'C', k.repeatOf)
		b = append(b, '"')
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"stays":[`...)
	var seen [nDepts]bool
	for i, s := range k.stays {
		if i > 0 {
			b = append(b, ',')
			t.handoffs[k.stays[i-1].dept][s.dept]++
		}
		b = appendJSON(b, departments[s.dept].name)
		t.stays[s.dept]++
		if !seen[s.dept] {
			seen[s.dept] = true
			t.deptCases[s.dept]++
		}
	}
	b = append(b, `],"pingpong":[`...)
	t.occ = pingPongs(t.occ[:0], k.stays)
	var pairSeen [nDepts][nDepts]bool
	for i, o := range t.occ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"at":`...)
		b = strconv.AppendInt(b, int64(o.at), 10)
		b = append(b, `,"pair":`...)
		b = appendNames(b, int(o.a), int(o.b))
		b = append(b, `,"cause":`...)
		b = appendJSON(b, o.cause)
		b = append(b, '}')
		t.pp[o.a][o.b]++
		if o.cause == originNames[originPlanted] {
			t.planted[o.a][o.b]++
		}
		if !pairSeen[o.a][o.b] {
			pairSeen[o.a][o.b] = true
			t.ppCases[o.a][o.b]++
		}
	}
	t.b = append(b, "]}\n"...)
	if t.p.spikeDay >= 0 && int(k.reason) == t.p.spikeRsn && floorDiv(t.c.local(k.t), msDay) == t.p.spikeDay {
		t.spikeCases++
	}
	_, err := t.w.Write(t.b)
	return err
}

// close writes the department, pair and spike records and flushes.
func (t *truthWriter) close(spikeExtra int) error {
	p := t.p
	for _, d := range t.byName {
		b := append(t.b[:0], `{"kind":"department","name":`...)
		b = appendJSON(b, departments[d].name)
		b = append(b, `,"agents":`...)
		b = strconv.AppendInt(b, int64(departments[d].agents), 10)
		b = append(b, `,"step_median_s":`...)
		b = strconv.AppendInt(b, int64(departments[d].step/time.Second), 10)
		b = append(b, `,"silo_from":`...)
		if d == p.siloTo {
			b = appendDept(b, p.siloFrom)
		} else {
			b = append(b, "null"...)
		}
		b = append(b, `,"slow":`...)
		b = strconv.AppendBool(b, d == p.slow)
		b = append(b, `,"stays":`...)
		b = strconv.AppendInt(b, t.stays[d], 10)
		b = append(b, `,"cases":`...)
		b = strconv.AppendInt(b, t.deptCases[d], 10)
		t.b = append(b, "}\n"...)
		t.w.Write(t.b)
	}
	for i, a := range t.byName {
		for _, bd := range t.byName[i+1:] {
			planted := false
			for _, pr := range p.pairs {
				planted = planted || pr[0] == a && pr[1] == bd || pr[0] == bd && pr[1] == a
			}
			silo := p.siloFrom >= 0 && (p.siloFrom == a && p.siloTo == bd || p.siloFrom == bd && p.siloTo == a)
			if t.handoffs[a][bd]+t.handoffs[bd][a]+t.pp[a][bd] == 0 && !planted && !silo {
				continue
			}
			b := append(t.b[:0], `{"kind":"pair","a":`...)
			b = appendJSON(b, departments[a].name)
			b = append(b, `,"b":`...)
			b = appendJSON(b, departments[bd].name)
			b = append(b, `,"handoffs_ab":`...)
			b = strconv.AppendInt(b, t.handoffs[a][bd], 10)
			b = append(b, `,"handoffs_ba":`...)
			b = strconv.AppendInt(b, t.handoffs[bd][a], 10)
			b = append(b, `,"pingpong":`...)
			b = strconv.AppendInt(b, t.pp[a][bd], 10)
			b = append(b, `,"pingpong_planted":`...)
			b = strconv.AppendInt(b, t.planted[a][bd], 10)
			b = append(b, `,"pingpong_cases":`...)
			b = strconv.AppendInt(b, t.ppCases[a][bd], 10)
			b = append(b, `,"planted_pair":`...)
			b = strconv.AppendBool(b, planted)
			b = append(b, `,"silo":`...)
			if silo {
				b = t.appendSilo(b)
			} else {
				b = append(b, "null"...)
			}
			t.b = append(b, "}\n"...)
			t.w.Write(t.b)
		}
	}
	if p.spikeDay >= 0 {
		b := append(t.b[:0], `{"kind":"spike","day":"`...)
		b = appendDate(b, p.spikeDay)
		b = append(b, `","reason":`...)
		b = appendJSON(b, reasons[p.spikeRsn].name)
		b = append(b, `,"factor":`...)
		b = appendFloat(b, p.SpikeFactor)
		b = append(b, `,"extra_cases":`...)
		b = strconv.AppendInt(b, int64(spikeExtra), 10)
		b = append(b, `,"reason_cases":`...)
		b = strconv.AppendInt(b, t.spikeCases, 10)
		t.b = append(b, "}\n"...)
		t.w.Write(t.b)
	}
	return t.w.Flush()
}

func appendFloat(b []byte, v float64) []byte { return strconv.AppendFloat(b, v, 'g', -1, 64) }

func appendDept(b []byte, d int) []byte {
	if d < 0 {
		return append(b, "null"...)
	}
	return appendJSON(b, departments[d].name)
}

// appendNames appends a JSON array of department names.
func appendNames(b []byte, depts ...int) []byte {
	b = append(b, '[')
	for i, d := range depts {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSON(b, departments[d].name)
	}
	return append(b, ']')
}

// appendJSON appends s as a JSON string (RFC 8259).
func appendJSON(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[r>>4], hex[r&15])
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}
