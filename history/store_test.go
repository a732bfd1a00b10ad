package history

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// run is a small run made by hand, at minute i.
func run(i int, hash string) *Run {
	return &Run{
		Time:    time.Date(2026, 12, 1, 2, i, 0, 123456789, time.UTC),
		Version: "v1.0.0", OptionsHash: hash,
		Inputs: []Input{{"night.csv", 1234, 99}, {"calls.csv", 10, 2}},
		From:   time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 30, 17, 0, 0, 1000, time.UTC),
		Metrics: []Metric{
			{Name: "pingpong.case_rate", Kind: Rate, Value: 0.1, N: 100, Num: 10, Den: 100, Changed: true, Worse: i%2 == 0},
			{Name: "lead_time.median_s", Kind: Durations, Value: 2, N: 3, Samples: []int64{1000, 2000, int64(3000 + i)}},
			{Name: "lead_time.p90_s", Kind: Quantile, Value: 2.8, N: 3, Q: 0.9, Of: "lead_time.median_s"},
			{Name: "silos.boundary[A → B].median_wait_s", Kind: Value, Value: 60, N: 31},
			{Name: "journeys.fcr", Kind: Rate, Value: 0.5, N: 2, Num: 1, Den: 2, HigherBetter: true},
		},
	}
}

func TestRoundTrip(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := filepath.Join(t.TempDir(), "hist")
	s, err := Open(dir, mem)
	if err != nil || len(s.Runs()) != 0 {
		t.Fatalf("a missing folder: %v runs, error %v; want an empty store", len(s.Runs()), err)
	}
	var want []Run
	for i := range 3 {
		r := run(i, "h")
		if err := s.Append(r); err != nil {
			t.Fatal(err)
		}
		want = append(want, *r)
	}
	s2, err := Open(dir, mem)
	if err != nil {
		t.Fatal(err)
	}
	if got := s2.Runs(); !reflect.DeepEqual(got, want) {
		t.Errorf("read back\n%+v\nwant\n%+v", got, want)
	}
	ids := []string{want[0].ID, want[1].ID, want[2].ID}
	if !slices.IsSorted(ids) || !strings.HasPrefix(ids[0], "run-20261201T020000.123456789Z-") {
		t.Errorf("ids %v: want run-TIME-HASH in time order", ids)
	}
}

func TestSubsample(t *testing.T) {
	x := make([]int64, 3*MaxSamples+7)
	for i := range x {
		x[i] = int64(i)
	}
	s := Subsample(x)
	if len(s) != MaxSamples || s[0] != 0 || s[len(s)-1] != x[len(x)-1] || !slices.IsSorted(s) {
		t.Fatalf("subsample of %d: %d values from %d to %d", len(x), len(s), s[0], s[len(s)-1])
	}
	// Evenly spaced ranks: the middle order statistic is the middle value.
	if mid := s[MaxSamples/2]; mid < int64(len(x))/2-3 || mid > int64(len(x))/2+3 {
		t.Errorf("middle of the subsample %d, want about %d", mid, len(x)/2)
	}
	if small := []int64{1, 2}; !slices.Equal(Subsample(small), small) {
		t.Error("a small sample must be kept whole")
	}
}

func TestRefused(t *testing.T) {
	for _, tc := range []struct {
		name, manifest string
		file           func(dir string) // spoils the store after one good run
		want           []string
	}{
		{"future manifest", `{"format": "caseflow.history/v9"}`, nil,
			[]string{Manifest, "caseflow.history/v9", "newer caseflow", "new folder"}},
		{"foreign manifest", `{"format": "something"}`, nil, []string{Manifest, "not a caseflow history"}},
		{"not json", `nonsense`, nil, []string{Manifest, "not a caseflow history manifest"}},
		{"truncated run", "", func(dir string) {
			names, _ := filepath.Glob(filepath.Join(dir, "run-*.parquet"))
			data, _ := os.ReadFile(names[0])
			os.WriteFile(names[0], data[:len(data)/2], 0o644)
		}, []string{"run-2026", "not a readable run file", "move it out of the folder"}},
		{"manifest lost", "", func(dir string) { os.Remove(filepath.Join(dir, Manifest)) },
			[]string{Manifest, "missing", "1 run files"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s, _ := Open(dir, nil)
			if err := s.Append(run(0, "h")); err != nil {
				t.Fatal(err)
			}
			if tc.manifest != "" {
				os.WriteFile(filepath.Join(dir, Manifest), []byte(tc.manifest), 0o644)
			}
			if tc.file != nil {
				tc.file(dir)
			}
			_, err := Open(dir, nil)
			if err == nil {
				t.Fatal("opened; want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// TestAppendKilled kills a writer with SIGKILL after its run file is
// complete under the temporary name and before the rename, the last
// moment the store could be left half-changed, and checks that the
// next run reads the store as it was and can add to it.
func TestAppendKilled(t *testing.T) {
	if dir := os.Getenv("HISTORY_KILL_DIR"); dir != "" {
		// The child: write one run and stop, waiting to be killed.
		failPoint = func(string) error {
			os.WriteFile(filepath.Join(dir, "..", "ready"), nil, 0o644)
			time.Sleep(time.Minute)
			return nil
		}
		s, err := Open(dir, nil)
		if err == nil {
			err = s.Append(run(5, "h"))
		}
		t.Fatal("not killed:", err)
	}
	root := t.TempDir()
	dir := filepath.Join(root, "hist")
	s, _ := Open(dir, nil)
	if err := s.Append(run(0, "h")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestAppendKilled$")
	cmd.Env = append(os.Environ(), "HISTORY_KILL_DIR="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := filepath.Join(root, "ready")
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(ready); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the writer never reached the rename")
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".run-*")); len(tmp) != 1 {
		t.Fatalf("the killed writer left %v, want one temporary file: was it killed at the failure point?", tmp)
	}
	s, err := Open(dir, nil)
	if err != nil {
		t.Fatalf("after the kill: %v", err)
	}
	if len(s.Runs()) != 1 {
		t.Fatalf("after the kill the store has %d runs, want the 1 before it", len(s.Runs()))
	}
	if err := s.Append(run(6, "h")); err != nil {
		t.Fatal(err)
	}
	// Another hour on, the next run removes the killed one's leftover.
	tmp, _ := filepath.Glob(filepath.Join(dir, ".run-*"))
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(tmp[0], old, old)
	if err := s.Append(run(7, "h")); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".run-*")); len(left) != 0 {
		t.Errorf("an old temporary file was left: %v", left)
	}
	if s, err := Open(dir, nil); err != nil || len(s.Runs()) != 3 {
		t.Fatalf("the next run: %v", err)
	}
}
