// Command peer is caseflow's end-to-end benchmark against DuckDB (issue 8):
// it builds caseflow from this working tree, generates (or reuses) a
// synthetic contact-centre log with `caseflow generate`, times `caseflow
// analyze` on it and the shared workload W1–W6 (workload.sql) in DuckDB
// through its Go driver, checks that both give the same W2–W6 answers, and
// prints a side-by-side table of medians with the targets.
//
//	cd benchmarks/peer && go run . [--cases 1000000] [--runs 5] [--keep] [--scale10]
//
// It lives in its own module so that caseflow stays pure Go and on
// arrow/go/v17 while the DuckDB driver brings cgo and arrow-go/v18.
//
// Every tool runs in a child process, so wall time, user+sys time and peak
// RSS come from wait4 for that child alone: DuckDB runs in the harness's
// own binary re-executed as `peer duckdb`, and `peer mining` runs
// caseflow's ingest and mining packages in-process, a stand-in for the JSON
// report with complete lists. The log is cached in benchmarks/out/, which
// git ignores; everything else goes to a temporary folder, removed unless
// --keep.
package main
