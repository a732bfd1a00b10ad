package mining

import (
	"testing"
	"time"

	"github.com/caseflow/caseflow/calendar"
)

// BenchmarkWorkingTime is the overhead of --working-time on a generated
// log: the scan passes, where every duration is measured, with the tables
// laid out (newInput), in clock time and in working time (Monday to Friday
// 08:30–17:00 Europe/Amsterdam with Dutch holidays, and a night-shift
// calendar for one unit). Whole runs of Analyze are no fair comparison:
// the later passes' cost depends on the values (working waits have many
// ties at 0).
func BenchmarkWorkingTime(b *testing.B) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		b.Skip("no zone data:", err)
	}
	office := &calendar.Calendar{Zone: ams, Dutch: true}
	for d := time.Monday; d <= time.Friday; d++ {
		office.Week[d] = []calendar.Shift{{Start: 8*3600 + 1800, End: 17 * 3600}}
	}
	night := &calendar.Calendar{Zone: ams}
	for d := range night.Week {
		night.Week[d] = []calendar.Shift{{Start: 22 * 3600, End: 6 * 3600}}
	}
	l := benchLog(b, 100_000)
	units := l.Codes(string(Department)).Names
	for _, c := range []struct {
		name string
		opt  Options
	}{
		{"clock", Options{}},
		{"working", Options{Calendar: office, Calendars: map[string]*calendar.Calendar{units[0]: night}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			opt, err := c.opt.withDefaults()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				in, err := newInput(l, opt)
				if err != nil {
					b.Fatal(err)
				}
				a := &analysis{in: in, opt: opt, f: &Findings{Events: l.Len()}}
				a.scan()
				a.wait.Wait()
			}
			b.ReportMetric(float64(l.Len())*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
