package mining_test

import (
	"bufio"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/caseflow/caseflow/generate"
	"github.com/caseflow/caseflow/mining"
)

// TestPlantedJourneys runs the generator for five seeds and checks the
// journey figures against its truth: every planted repeat contact (the
// same customer about the same reason within seven days of the earlier
// contact's arrival) is found, its earlier case marked repeated and the
// repeat linked to it, or to a contact of the same customer that came in
// between (the repeat then follows that one, by definition); precision is
// logged, as chance repeats are expected (a tenth of the cases come from a
// returning customer, some within a week). The planted spike is found on
// its day and reason with its extra cases within ±20 %, and no other spike
// is flagged in more than one seed.
func TestPlantedJourneys(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	falseSeeds := 0
	for seed := uint64(1); seed <= 5; seed++ {
		cfg := generate.Default()
		cfg.Cases = 20000
		cfg.Seed = seed
		f, truthBuf := generated(t, cfg, mining.Options{Customer: "customer_id", Reason: "contact_reason", Zone: ams, Seed: seed})
		j := f.Journeys

		type kase struct {
			customer string
			arrival  time.Time
			repeatOf *string
		}
		cases := map[string]kase{}
		var spike struct {
			Day, Reason string
			Extra       int `json:"extra_cases"`
		}
		sc := bufio.NewScanner(truthBuf)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var rec struct {
				Kind     string    `json:"kind"`
				CaseID   string    `json:"case_id"`
				Customer string    `json:"customer_id"`
				Arrival  time.Time `json:"arrival"`
				RepeatOf *string   `json:"repeat_of"`
			}
			if json.Unmarshal(sc.Bytes(), &rec) != nil {
				continue // other records have other field types
			}
			switch rec.Kind {
			case "case":
				cases[rec.CaseID] = kase{rec.Customer, rec.Arrival, rec.RepeatOf}
			case "spike":
				if err := json.Unmarshal(sc.Bytes(), &spike); err != nil {
					t.Fatal(err)
				}
			}
		}
		repeated := map[string]bool{} // first → found
		linked := map[string]string{} // repeat → first
		for _, p := range j.Pairs {
			repeated[f.CaseID(p.First)] = true
			linked[f.CaseID(p.Repeat)] = f.CaseID(p.First)
		}
		planted, found, between := 0, 0, 0
		for id, c := range cases {
			if c.repeatOf == nil {
				continue
			}
			planted++
			first := *c.repeatOf
			got, ok := linked[id]
			switch {
			case !repeated[first] || !ok:
				t.Errorf("seed %d: planted repeat %s of %s not found (earlier case repeated %v, repeat linked to %q)", seed, id, first, repeated[first], got)
			case got == first:
				found++
			case cases[got].customer == c.customer && cases[got].arrival.After(cases[first].arrival) && !cases[got].arrival.After(c.arrival):
				found++
				between++
			default:
				t.Errorf("seed %d: repeat %s linked to %s, truth says %s", seed, id, got, first)
			}
		}
		chance := 0
		for _, p := range j.Pairs {
			if cases[f.CaseID(p.Repeat)].repeatOf == nil {
				chance++
			}
		}
		t.Logf("seed %d: %d planted repeats, %d found (%d linked to a contact in between); %d repeats detected, precision %.3f (%d chance repeats); FCR %.3f [%.3f, %.3f] over %d contacts, %d censored",
			seed, planted, found, between, len(j.Pairs), float64(len(j.Pairs)-chance)/float64(len(j.Pairs)), chance,
			j.FCR.FCR, j.FCR.Low, j.FCR.High, j.FCR.N, j.Contacts-j.FCR.N)

		hit := false
		others := 0
		for _, s := range j.Spikes {
			if s.Day == spike.Day && s.Reason == spike.Reason {
				hit = true
				t.Logf("seed %d: spike %s %s: %d cases, baseline %.1f, extra %.1f, planted extra %d; adjusted p %.3g; the %d days from it: %d handoffs (usual %.1f), %d ping-pong (usual %.1f)",
					seed, s.Day, s.Reason, s.Cases, s.Baseline, s.Extra, spike.Extra, s.PAdjusted, s.Following, s.Handoffs, s.HandoffsBaseline, s.PingPong, s.PingPongBaseline)
				if math.Abs(s.Extra-float64(spike.Extra)) > 0.2*float64(spike.Extra) {
					t.Errorf("seed %d: spike extra %.1f, planted %d: more than 20 %% off", seed, s.Extra, spike.Extra)
				}
				continue
			}
			others++
			t.Logf("seed %d: other spike %s %s: %d cases, baseline %.1f, adjusted p %.3g", seed, s.Day, s.Reason, s.Cases, s.Baseline, s.PAdjusted)
		}
		if !hit {
			t.Errorf("seed %d: planted spike %s %s not found among %+v", seed, spike.Day, spike.Reason, j.Spikes)
		}
		if others > 0 {
			falseSeeds++
		}
	}
	if falseSeeds > 1 {
		t.Errorf("spikes other than the planted one in %d seeds, want at most one", falseSeeds)
	}
}
