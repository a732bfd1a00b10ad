package generate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// NightDays is the period of each night's log unless the caller sets
// another: a week, so that every night holds the same weekdays and weekday
// seasonality (Friday's cases wait over the weekend) does not move the
// figures from night to night.
const NightDays = 7

// Nights returns the configurations of a series of nightly logs with a
// change planted from one night on, to test comparisons between runs
// (caseflow analyze --history): night i (from 1) has base's parameters,
// the arrivals of base.Days days from base.Start + (i−1)·base.Days days,
// and a seed of its own (base.Seed·1000 + i). Only base's first ping-pong
// pair is planted, at base.PingPongRate up to night change−1 and at factor
// times that rate from night change on; change 0 plants no change. The
// demand spike is off, so that the nights differ only by chance and by the
// change.
func Nights(base Config, nights, change int, factor float64) ([]Config, error) {
	switch {
	case nights < 1:
		return nil, fmt.Errorf("%w: %d nights: want at least 1", ErrConfig, nights)
	case change < 0 || change > nights:
		return nil, fmt.Errorf("%w: change on night %d: want a night from 1 to %d, or 0 for none", ErrConfig, change, nights)
	case len(base.PingPongPairs) == 0 || base.PingPongRate == 0:
		return nil, fmt.Errorf("%w: the nights' change doubles a planted ping-pong pair: give a pair and a rate", ErrConfig)
	case factor < 1 || base.PingPongRate*factor > 1:
		return nil, fmt.Errorf("%w: change factor %v: want at least 1, and at most %.3g so the rate stays a probability", ErrConfig, factor, 1/base.PingPongRate)
	}
	base.PingPongPairs = base.PingPongPairs[:1]
	base.SpikeFactor = 0
	out := make([]Config, nights)
	for i := range out {
		c := base
		c.Seed = base.Seed*1000 + uint64(i+1)
		c.Start = base.Start.AddDate(0, 0, i*base.Days)
		if change > 0 && i+1 >= change {
			c.PingPongRate *= factor
		}
		if err := c.Validate(); err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// WriteNights writes each configuration's log into dir (created if
// needed) as night-01.csv, night-02.csv, … (.parquet for Parquet) and
// returns the files' paths.
func WriteNights(cfgs []Config, dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	for i, c := range cfgs {
		ext := ".csv"
		if c.Format == Parquet {
			ext = ".parquet"
		}
		path := filepath.Join(dir, fmt.Sprintf("night-%02d%s", i+1, ext))
		f, err := os.Create(path)
		if err != nil {
			return nil, err
		}
		_, err = Write(c, f, nil)
		if err = errors.Join(err, f.Close()); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}
