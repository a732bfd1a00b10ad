package calendar

import (
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkBetween is one working duration — two binary searches in the
// table of five years of office hours with Dutch holidays — and building
// that table.
func BenchmarkBetween(b *testing.B) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		b.Skip("no zone data:", err)
	}
	c := &Calendar{Zone: ams, Dutch: true}
	for d := time.Monday; d <= time.Friday; d++ {
		c.Week[d] = []Shift{{Start: 8*3600 + 1800, End: 17 * 3600}}
	}
	from, to := time.Date(2020, 1, 1, 0, 0, 0, 0, ams), time.Date(2025, 1, 1, 0, 0, 0, 0, ams)
	b.Run("table", func(b *testing.B) {
		for b.Loop() {
			c.Table(from, to)
		}
	})
	tab := c.Table(from, to)
	rng := rand.New(rand.NewPCG(1, 2))
	span := to.UnixMicro() - from.UnixMicro()
	at := make([]int64, 1<<12)
	for i := range at {
		at[i] = from.UnixMicro() + rng.Int64N(span)
	}
	b.Run("between", func(b *testing.B) {
		var sum int64
		i := 0
		for b.Loop() {
			sum += tab.Between(at[i&(len(at)-1)], at[(i+1)&(len(at)-1)])
			i++
		}
		_ = sum
	})
}
