package mining

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
)

var benchLogs sync.Map // cases -> *eventlog.Log, built once per process

func benchLog(b *testing.B, cases int) *eventlog.Log {
	if l, ok := benchLogs.Load(cases); ok {
		return l.(*eventlog.Log)
	}
	l := synth(b, memory.NewGoAllocator(), cases, 42)
	benchLogs.Store(cases, l)
	return l
}

func benchAnalyze(b *testing.B, cases int, opt Options) {
	l := benchLog(b, cases)
	b.SetBytes(int64(l.Len()) * 16) // activity, unit and time of each event
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Analyze(l, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(l.Len())*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkAnalyze10k(b *testing.B) { benchAnalyze(b, 10_000, Options{}) }

func BenchmarkAnalyze1M(b *testing.B) {
	if testing.Short() {
		b.Skip("1M cases take a few seconds to build; skipped with -short")
	}
	benchAnalyze(b, 1_000_000, Options{})
}

// The Hodges–Lehmann shift with its interval on samples the size of a
// million cases' lead times split by ping-pong, about 2.3·10¹¹ differences.
func BenchmarkShift1M(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	x, y := make([]int64, 370_000), make([]int64, 630_000)
	for i := range x {
		x[i] = int64(rng.ExpFloat64() * 1e11)
	}
	for i := range y {
		y[i] = int64(rng.ExpFloat64() * 5e10)
	}
	slices.Sort(x)
	slices.Sort(y)
	b.SetBytes(8 * int64(len(x)+len(y)))
	b.ReportAllocs()
	for b.Loop() {
		shift(nil, x, y, 0.95, 1)
	}
}

// BenchmarkPass times each pass of Analyze on its own, the passes before it
// run untimed, so a change to one pass shows in its own line. The effect
// estimate runs alongside the later passes in Analyze; here it is waited
// for within the lead-time pass that starts it.
func BenchmarkPass(b *testing.B) {
	passes := []struct {
		name string
		run  func(*analysis)
	}{
		{"scan", (*analysis).scan},
		{"flows", (*analysis).flows},
		{"pingpong", (*analysis).pingPong},
		{"silos", (*analysis).silos},
		{"edges", (*analysis).edges},
		{"where", (*analysis).where},
		{"paircosts", (*analysis).pairCosts},
	}
	for _, cases := range []int{100_000, 1_000_000} {
		for k, p := range passes {
			b.Run(fmt.Sprintf("cases=%d/%s", cases, p.name), func(b *testing.B) {
				if cases > 100_000 && testing.Short() {
					b.Skip("1M cases: run without -short")
				}
				timePass(b, benchLog(b, cases), Options{}, func(a *analysis) {
					for _, q := range passes[:k] {
						q.run(a)
					}
				}, func(a *analysis) {
					p.run(a)
					a.wait.Wait()
				})
			})
		}
	}
}

// timePass times pass on a fresh analysis of l under opt each iteration,
// before (the passes it needs) and the effect estimate it starts run
// untimed.
func timePass(b *testing.B, l *eventlog.Log, opt Options, before, pass func(*analysis)) {
	opt, err := opt.withDefaults()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(l.Len()) * 16)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		in, err := newInput(l, opt)
		if err != nil {
			b.Fatal(err)
		}
		a := &analysis{in: in, opt: opt, f: &Findings{Events: l.Len()}}
		before(a)
		a.wait.Wait()
		b.StartTimer()
		pass(a)
	}
}
