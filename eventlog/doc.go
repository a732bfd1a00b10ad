// Package eventlog defines caseflow's event log: one Arrow record whose rows
// are events, grouped by case and ordered within a case by (timestamp, input
// order). It is the contract between the readers (package ingest) and the
// analysis (package mining), so neither has to import the other.
//
// # Columns
//
// Role columns have fixed names (see the constants Case, Activity, …):
//
//	case        dictionary<int*, utf8>, never null; cases in order of first appearance
//	activity    dictionary<int*, utf8>, never null
//	time        timestamp[us, UTC], never null
//	start_time  timestamp[us, UTC], nullable; present only when a start time was mapped
//	department  dictionary<int*, utf8>, nullable
//	resource    dictionary<int*, utf8>, nullable
//	channel     dictionary<int*, utf8>, nullable
//	file        dictionary<int*, utf8>, the source file of the event
//	row         int32 (int64 when a line number needs it), the 1-based line (CSV)
//	            or element line (XES) the event came from; Log.Rows reads either
//
// Every other input column follows as an attribute column under its source
// name (prefixed with "attr:" if that name is taken by a role column): strings
// as dictionary<int*, utf8>, and, where the source is typed, int64, float64,
// boolean or timestamp[us, UTC]. A role column's field metadata key
// "caseflow.source" names the input column(s) it came from.
//
// int* is the narrowest index type that holds the dictionary: int8 up to
// 128 distinct values, int16 up to 32,768, int32 beyond. Activities,
// departments and channels rarely need more than int8, so their columns
// take a byte per event; Log.Codes reads any of them as int32.
//
// Events are grouped by case, cases in the order their first event appears
// in the input, and within a case sorted stably by time, so events with equal
// timestamps keep their input order. Build a Log with a Builder, or wrap a
// record read back from Parquet or Arrow IPC with New.
//
// # Memory
//
// A Builder made by NewBuilderIn(m) grows its columns and dictionaries in
// m, a *spill.Memory (file-backed memory, for logs larger than the
// machine's memory), and so does the Log it finishes, with what the Log
// makes per event or case (Codes, Narrow, CaseCodes, Rows, Starts,
// Filter's log): the Go heap then holds little more than the log's
// structure. The log is the same whichever memory holds it. Slices of it
// stay valid until m is closed, after the Log's Release too, as on the
// heap; a copy made for one call can be given back early (Codes.Free,
// Narrow.Free).
package eventlog
