// Package benchmarks holds caseflow's Go benchmarks across packages (ingest,
// mining, reports) and the notes of their results in RESULTS.md. Run them
// with
//
//	go test ./benchmarks/ -run '^$' -bench . -benchmem
//
// Benchmarks on the real logs skip when ../shared/data is absent.
package benchmarks
