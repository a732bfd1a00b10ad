package mining_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/generate"
	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/mining"
)

// TestPlantedTruth runs `caseflow generate`'s simulation for five seeds,
// reads each log through ingest as a user's export would be read, and
// checks the findings against the truth the generator wrote: every direct
// ping-pong it lists is found, per case and per pair, and nothing else (the
// definition is exact), with the returns it labels "closing" counted apart
// as closing returns, case by case (and the planted bounces that have their
// very shape: see below); the planted silo boundary is flagged,
// with at most one false boundary over all seeds; the planted slow
// department is ranked first for where long cases (by the default rule,
// above the P90 of lead times) lose time. All of it with the generator's
// defaults, and again with every pathology of real exports on (bursts of
// same-instant updates, placeholder departments, first-contact resolutions
// and Pareto holds, every routed case closed at the KCC).
func TestPlantedTruth(t *testing.T) {
	for _, realistic := range []bool{false, true} {
		t.Run(map[bool]string{false: "default", true: "realistic"}[realistic], func(t *testing.T) { plantedTruth(t, realistic) })
	}
}

// generated analyses the log the generator writes under cfg, read back
// through ingest, and returns the findings and the generator's truth.
func generated(t *testing.T, cfg generate.Config, opt mining.Options) (*mining.Findings, *bytes.Buffer) {
	t.Helper()
	var logBuf, truthBuf bytes.Buffer
	if _, err := generate.Write(cfg, &logBuf, &truthBuf); err != nil {
		t.Fatal(err)
	}
	res, err := ingest.Read([]string{"-"}, ingest.Options{Stdin: &logBuf, Mem: memory.NewGoAllocator()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(res.Release) // the findings name their cases from the log
	f, err := mining.Analyze(res.Log, opt)
	if err != nil {
		t.Fatal(err)
	}
	return f, &truthBuf
}

func plantedTruth(t *testing.T, realistic bool) {
	falseBoundaries := 0
	for seed := uint64(1); seed <= 5; seed++ {
		cfg := generate.Default()
		if realistic {
			cfg.Realistic()
		}
		cfg.Cases = 20000
		cfg.Seed = seed
		f, truthBuf := generated(t, cfg, mining.Options{Seed: seed})

		// Truth: ping-pong occurrences per case and per unordered pair.
		perCase := map[string]int{}
		closing := map[string]bool{}
		plantedClosing := 0
		perPair := map[[2]string]int{}
		sc := bufio.NewScanner(truthBuf)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var rec struct {
				Kind     string   `json:"kind"`
				CaseID   string   `json:"case_id"`
				Stays    []string `json:"stays"`
				PingPong []struct {
					At    int       `json:"at"`
					Pair  [2]string `json:"pair"`
					Cause string    `json:"cause"`
				} `json:"pingpong"`
			}
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil || rec.Kind != "case" {
				continue // department records have other field types
			}
			perCase[rec.CaseID] = 0
			for _, p := range rec.PingPong {
				// A closing return goes back to the first department for
				// the last stay. The planted bounce KCC → Taxes → KCC that
				// ends the case has that shape too, indistinguishable in the
				// log from the designed round trip (only the activity names
				// differ), so it is a closing return as well.
				last := p.At+3 == len(rec.Stays) && rec.Stays[p.At+2] == rec.Stays[0]
				if p.Cause == "closing" && !last {
					t.Fatalf("seed %d, case %s: truth labels a return closing that is not the last stay: %+v", seed, rec.CaseID, rec)
				}
				if last {
					closing[rec.CaseID] = true
					if p.Cause == "planted" {
						plantedClosing++
					}
					continue
				}
				perCase[rec.CaseID]++
				perPair[p.Pair]++
			}
		}
		if len(perCase) != cfg.Cases || len(f.Cases) != cfg.Cases {
			t.Fatalf("seed %d: %d truth cases, %d analysed, want %d", seed, len(perCase), len(f.Cases), cfg.Cases)
		}
		for k, c := range f.Cases {
			if id := f.CaseID(k); int(c.PingPong) != perCase[id] || c.Closing != closing[id] {
				t.Errorf("seed %d, case %s: %d ping-pong occurrences found, closing return %v; truth lists %d, %v",
					seed, id, c.PingPong, c.Closing, perCase[id], closing[id])
			}
		}
		if f.PingPong.Closing != len(closing) || len(closing) == plantedClosing {
			t.Errorf("seed %d: %d closing returns found, truth has %d (%d of them planted bounces)", seed, f.PingPong.Closing, len(closing), plantedClosing)
		}
		t.Logf("seed %d: %d events; ping-pong %d in %d cases; %d closing returns, %d of them planted bounces that end the case; %d boundaries tested; %d long cases",
			seed, f.Events, f.PingPong.Occurrences, f.PingPong.Cases, len(closing), plantedClosing, len(f.Silos.Boundaries), f.LeadTime.Long)
		found := map[[2]string]int{}
		for _, p := range f.PingPong.Pairs {
			found[[2]string{p.A, p.B}] = p.Occurrences
		}
		if len(found) != len(perPair) {
			t.Errorf("seed %d: %d ping-pong pairs found, truth has %d", seed, len(found), len(perPair))
		}
		for pair, n := range perPair {
			if found[pair] != n {
				t.Errorf("seed %d: pair %v has %d occurrences, truth %d", seed, pair, found[pair], n)
			}
		}

		silo := false
		for _, b := range f.Silos.Boundaries {
			switch {
			case b.From == cfg.Silo.From && b.To == cfg.Silo.To:
				silo = b.Silo
			case b.Silo:
				falseBoundaries++
				t.Logf("seed %d: boundary %s→%s flagged (ratio %.2f, adjusted p %.3g) but not planted", seed, b.From, b.To, b.Ratio, b.PAdjusted)
			}
		}
		if !silo {
			t.Errorf("seed %d: planted silo boundary %s→%s not flagged", seed, cfg.Silo.From, cfg.Silo.To)
		}
		if units := f.LeadTime.Where.Units; len(units) == 0 || units[0].Unit != cfg.Slow {
			t.Errorf("seed %d: %v ranked first for where long cases lose time, want the planted slow department %s", seed, units[:min(1, len(units))], cfg.Slow)
		}
	}
	if falseBoundaries > 1 {
		t.Errorf("%d false silo boundaries over 5 seeds, want at most 1", falseBoundaries)
	}
}
