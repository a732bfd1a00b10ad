package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Run is one measured run of a child process.
type Run struct {
	Wall    float64 // seconds, from start to exit as the harness sees it
	CPU     float64 // user+sys seconds of the child (all its threads)
	PeakRSS int64   // bytes: the child's ru_maxrss
	Load    float64 // 1-minute load average just before the run
	Exit    int     // exit status; -1 when killed by a signal
}

// measure runs name with args, standard output to the file out, and
// returns its wall time and resource usage from wait4.
//
// Linux carries the parent's peak RSS into a child's ru_maxrss at exec
// (Go starts children with vfork, so the child's old memory is the
// parent's), so the harness itself must stay small: floor measures that
// floor with a child that uses almost nothing.
func measure(ctx context.Context, out, name string, args ...string) (Run, error) {
	f, err := os.Create(out)
	if err != nil {
		return Run{}, err
	}
	defer f.Close()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout = f
	cmd.Stderr = &limited{b: &stderr, n: 64 << 10}
	r := Run{Load: loadAvg()}
	t0 := time.Now()
	err = cmd.Run()
	r.Wall = time.Since(t0).Seconds()
	if cmd.ProcessState != nil {
		r.Exit = cmd.ProcessState.ExitCode()
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.CPU = seconds(ru.Utime) + seconds(ru.Stime)
			r.PeakRSS = ru.Maxrss << 10 // KiB on Linux
		}
	}
	if err != nil {
		return r, fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return r, nil
}

// floor is the peak RSS the harness passes on to every child.
func floor(ctx context.Context, dir string) int64 {
	r, err := measure(ctx, dir+"/floor.out", "/bin/true")
	if err != nil {
		return 0
	}
	return r.PeakRSS
}

// limited keeps the first n bytes written to it.
type limited struct {
	b *bytes.Buffer
	n int
}

func (l *limited) Write(p []byte) (int, error) {
	if room := l.n - l.b.Len(); room > 0 {
		l.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func seconds(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }

// cpuNow is the user+sys time of this process so far, in seconds.
func cpuNow() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return seconds(ru.Utime) + seconds(ru.Stime)
}

// peakRSS is this process's peak resident set so far, in bytes.
func peakRSS() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Maxrss << 10
}

// loadAvg is the 1-minute load average, or -1 when /proc is not there.
func loadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	first, _, _ := strings.Cut(string(b), " ")
	x, err := strconv.ParseFloat(first, 64)
	if err != nil {
		return -1
	}
	return x
}

// median of xs (the mean of the middle two for an even count); 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// field collects one figure of every run.
func field[T any](rs []T, f func(T) float64) []float64 {
	out := make([]float64, len(rs))
	for i, r := range rs {
		out[i] = f(r)
	}
	return out
}
