package generate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestNights(t *testing.T) {
	base := Default()
	base.Days, base.Cases = NightDays, 3000
	cfgs, err := Nights(base, 4, 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cfgs {
		wantRate := base.PingPongRate
		if i+1 >= 3 {
			wantRate *= 2
		}
		if c.PingPongRate != wantRate || len(c.PingPongPairs) != 1 || c.PingPongPairs[0] != base.PingPongPairs[0] || c.SpikeFactor != 0 {
			t.Errorf("night %d: rate %v, pairs %v, spike %v; want %v, the first pair alone, no spike", i+1, c.PingPongRate, c.PingPongPairs, c.SpikeFactor, wantRate)
		}
		if want := base.Start.AddDate(0, 0, 7*i); !c.Start.Equal(want) || c.Seed != 1000+uint64(i+1) {
			t.Errorf("night %d starts %v with seed %d, want %v and %d", i+1, c.Start, c.Seed, want, 1000+i+1)
		}
	}
	// The truth counts the planted bounces: twice as many after the change
	// (3000 cases, each planted with probability 4 % then 8 %: about 120
	// and 240, whose ratio lies within 1.5 to 2.6 about 98 times in 100;
	// the seeds are fixed, so the test is deterministic).
	planted := func(c Config) int {
		var truth bytes.Buffer
		if _, err := Write(c, io.Discard, &truth); err != nil {
			t.Fatal(err)
		}
		n := 0
		sc := bufio.NewScanner(&truth)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var rec struct {
				Kind    string
				A, B    string
				Cases   int `json:"pingpong_cases"`
				Planted int `json:"pingpong_planted"`
			}
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Kind == "pair" && rec.A == "KCC" && rec.B == "Taxes" {
				n = rec.Planted
			}
		}
		return n
	}
	before, after := planted(cfgs[1]), planted(cfgs[2])
	if r := float64(after) / float64(before); before == 0 || r < 1.5 || r > 2.6 {
		t.Errorf("planted KCC–Taxes bounces %d before the change, %d after: want about twice", before, after)
	}
	for _, tc := range []struct {
		nights, change int
		factor         float64
	}{{0, 0, 2}, {3, 4, 2}, {3, -1, 2}, {3, 2, 0.5}, {3, 2, 30}} {
		if _, err := Nights(base, tc.nights, tc.change, tc.factor); !errors.Is(err, ErrConfig) {
			t.Errorf("Nights(%d, %d, %v): %v, want an ErrConfig", tc.nights, tc.change, tc.factor, err)
		}
	}
	small := Default()
	small.Cases, small.Days, small.Start = 20, 1, time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	cfgs, _ = Nights(small, 2, 0, 1)
	paths, err := WriteNights(cfgs, filepath.Join(t.TempDir(), "n"))
	if err != nil || len(paths) != 2 || filepath.Base(paths[1]) != "night-02.csv" {
		t.Fatalf("WriteNights: %v, %v", paths, err)
	}
	if b, _ := os.ReadFile(paths[0]); !bytes.HasPrefix(b, []byte("case_id,")) {
		t.Errorf("night-01.csv starts %q", b[:min(len(b), 20)])
	}
}
