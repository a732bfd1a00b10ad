package benchmarks

import (
	"bytes"
	"os"
	"runtime/debug"
	"strconv"
	"testing"

	"github.com/caseflow/caseflow/internal/spill"
)

// BenchmarkSpill writes int64s in order through slices from spill.Make
// and reads them back: 256 MiB on the heap (a nil Memory), in a
// file-backed slice with no limit, and under a 64 MiB limit that makes
// the pager drop most of it on the way; and (without -short) 2 GiB in
// eight slices under a 256 MiB limit. Besides time, it reports the
// process's peak resident memory during the loop (VmHWM, reset through
// /proc/self/clear_refs; Linux only) and what the pager paged out.
func BenchmarkSpill(b *testing.B) {
	for _, tc := range []struct {
		name   string
		slices int   // of 256 MiB each
		limit  int64 // -1: a nil Memory
	}{
		{"heap/256MiB", 1, -1},
		{"file/256MiB", 1, 0},
		{"file/256MiB/limit=64MiB", 1, 64 << 20},
		{"file/2GiB/limit=256MiB", 8, 256 << 20},
	} {
		b.Run(tc.name, func(b *testing.B) {
			if tc.slices > 1 && testing.Short() {
				b.Skip("large benchmark: run without -short")
			}
			var m *spill.Memory
			if tc.limit >= 0 {
				var err error
				if m, err = spill.New(b.TempDir(), tc.limit); err != nil {
					b.Fatal(err)
				}
				defer m.Close()
			}
			const n = 32 << 20 // int64s in a slice: 256 MiB
			b.SetBytes(int64(tc.slices) * 8 * n)
			b.ReportAllocs()
			resetPeak()
			for b.Loop() {
				ss := make([][]int64, tc.slices)
				for k := range ss {
					ss[k] = spill.Make[int64](m, n)
					for i := range ss[k] {
						ss[k][i] = int64(k*n + i)
					}
				}
				var sum int64
				for _, s := range ss {
					for _, v := range s {
						sum += v
					}
					spill.Free(m, s)
				}
				if all := int64(tc.slices) * n; sum != all*(all-1)/2 {
					b.Fatalf("sum %d", sum)
				}
			}
			if peak := peakResident(); peak > 0 {
				b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
			}
			if err := m.Err(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(m.Stats().PagedOut)/float64(b.N)/(1<<20), "paged-out-MiB/op")
		})
	}
}

// resetPeak gives the heap's free memory back to the system and makes the
// kernel forget the process's peak resident memory.
func resetPeak() {
	debug.FreeOSMemory()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakResident returns the process's peak resident memory in bytes since
// resetPeak, 0 where it cannot be read.
func peakResident() int64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	_, rest, ok := bytes.Cut(status, []byte("VmHWM:"))
	if !ok {
		return 0
	}
	kib, _, _ := bytes.Cut(bytes.TrimSpace(rest), []byte(" "))
	n, _ := strconv.ParseInt(string(kib), 10, 64)
	return n << 10
}
