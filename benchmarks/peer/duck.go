package main

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"strings"
	"time"

	"github.com/caseflow/caseflow/eventlog"
	_ "github.com/duckdb/duckdb-go/v2"
)

//go:embed workload.sql
var workloadSQL string

// step is one statement of workload.sql.
type step struct {
	name, sql string
}

// steps splits workload.sql at its "-- step: NAME" lines and puts the CSV
// path and the waiting stages' departments in.
func steps(path string) []step {
	fill := strings.NewReplacer("{{file}}", literal(path),
		"{{waiting}}", literal(eventlog.CallVRUDepartment)+", "+literal(eventlog.CallQueueDepartment))
	var out []step
	for i, part := range strings.Split(workloadSQL, "\n-- step: ") {
		if i == 0 {
			continue // the file's header comment
		}
		name, body, _ := strings.Cut(part, "\n")
		out = append(out, step{strings.TrimSpace(name), fill.Replace(body)})
	}
	return out
}

// literal is s as an SQL string literal.
func literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Timing is the wall and CPU time of one step, and the process's peak RSS
// after it.
type Timing struct {
	Name    string  `json:"name"`
	Wall    float64 `json:"wall_s"`
	CPU     float64 `json:"cpu_s"`
	PeakRSS int64   `json:"peak_rss"`
}

// runDuck runs the workload on the CSV at path in an in-memory DuckDB and
// returns the results and the time of every step. tmp, when not empty, is
// DuckDB's spill directory.
func runDuck(ctx context.Context, path, tmp string) (*Results, []Timing, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	// One connection: temp tables live in it.
	db.SetMaxOpenConns(1)
	if tmp != "" {
		if _, err := db.ExecContext(ctx, "SET temp_directory = "+literal(tmp)); err != nil {
			return nil, nil, err
		}
	}
	var version string
	if err := db.QueryRowContext(ctx, "SELECT version()").Scan(&version); err != nil {
		return nil, nil, err
	}
	r := &Results{Source: "DuckDB " + version}
	var ts []Timing
	for _, s := range steps(path) {
		c0 := cpuNow()
		t0 := time.Now()
		if err := r.run(ctx, db, s); err != nil {
			return nil, nil, fmt.Errorf("step %s: %w", s.name, err)
		}
		ts = append(ts, Timing{Name: s.name, Wall: time.Since(t0).Seconds(), CPU: cpuNow() - c0, PeakRSS: peakRSS()})
	}
	// Untimed: the size of the log.
	if err := db.QueryRowContext(ctx, "SELECT count(*), count(DISTINCT case_id) FROM ev").Scan(&r.Events, &r.Cases); err != nil {
		return nil, nil, err
	}
	r.totals()
	return r, ts, nil
}

// run runs one step and keeps its answer in r.
func (r *Results) run(ctx context.Context, db *sql.DB, s step) error {
	if !strings.HasPrefix(s.name, "W") || s.name == "W1" {
		_, err := db.ExecContext(ctx, s.sql)
		return err
	}
	rows, err := db.QueryContext(ctx, s.sql)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		switch s.name {
		case "W2", "W3":
			var c Count
			if err := rows.Scan(&c.From, &c.To, &c.N); err != nil {
				return err
			}
			if s.name == "W2" {
				r.DFG = append(r.DFG, c)
			} else {
				r.Handoffs = append(r.Handoffs, c)
			}
		case "W4":
			var a, b sql.NullString
			var occ, cases, closing int
			if err := rows.Scan(&a, &b, &occ, &cases, &closing); err != nil {
				return err
			}
			if !a.Valid {
				r.Occurrences, r.PPCases, r.Closing = occ, cases, closing
			} else {
				r.Pairs = append(r.Pairs, Pair{A: a.String, B: b.String, Occurrences: occ, Cases: cases})
			}
		case "W5":
			var q [4]sql.NullFloat64
			if err := rows.Scan(&r.Lead.Cases, &q[0], &q[1], &q[2], &q[3], &r.Lead.AboveP95); err != nil {
				return err
			}
			for i := range q {
				r.Lead.Q[i] = q[i].Float64 / 1e6
			}
		case "W6":
			var steps string
			v := Variant{}
			if err := rows.Scan(&steps, &v.Cases, &r.Variants); err != nil {
				return err
			}
			v.Steps = strings.Split(steps, "\x1f")
			r.Top = append(r.Top, v)
		default:
			return fmt.Errorf("workload.sql: unknown step %q", s.name)
		}
	}
	return rows.Err()
}
