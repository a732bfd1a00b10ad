// Package history keeps the headline figures of every nightly run of
// caseflow analyze and compares a run with the runs before it.
//
// # The store
//
// A store is a folder: a manifest, caseflow-history.json, that names the
// format ({"format": "caseflow.history/v1"}), and one Parquet file per run,
// run-<time>-<hash>.parquet, with one row per metric. Any tool that reads
// Parquet can query it, e.g. in DuckDB:
//
//	SELECT time, value FROM 'hist/*.parquet' WHERE metric = 'pingpong.case_rate' ORDER BY time
//
// A run is written to a hidden temporary name in the same folder, synced,
// and renamed into place (internal/atomicfile), so a run killed while
// writing leaves the store as it was (the temporary file is ignored, and
// removed by a later run once it is an hour old). A store of a newer
// format, or a file that cannot be read, is an error naming the file and
// what to do, never a silent reset.
//
// # What a run holds
//
// The caseflow version, the run's time, the input's fingerprint (file
// names without folders, sizes, rows), a hash of the options that change
// figures, the log's time span, and the headline metrics. A metric is one
// of:
//   - a rate, k of n (Num of Den), compared by the two-proportion z test;
//   - durations: the sample itself (milliseconds, ascending), compared by
//     Mann–Whitney with the Hodges–Lehmann shift; a sample of more than
//     MaxSamples values is kept as MaxSamples of its order statistics at
//     evenly spaced ranks (deterministic; the tests then count it as a
//     sample of MaxSamples);
//   - a quantile of another metric's durations, compared by the quantile
//     test on the pooled sample;
//   - a value kept for the trend only, never tested (a figure whose
//     sample the run did not keep).
//
// # Comparisons
//
// Compare sets a run against the previous run with the same options hash
// and against the last K such runs pooled, then adjusts all p-values of
// the run by Benjamini & Hochberg (1995). Runs with another options hash
// are kept but never compared: their figures measure something else.
package history
