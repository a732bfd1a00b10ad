// Package export writes a caseflow event log (package eventlog) to files
// that other process-mining tools read: CSV, XES (IEEE 1849-2016, for ProM,
// Disco, pm4py), Parquet and Arrow IPC (for data teams). Reading any of
// them back through package ingest gives the same events and attributes;
// the exceptions are listed per format below.
//
// # CSV
//
// RFC 4180 quoting, comma-separated, UTF-8 without a byte-order mark, "\n"
// line ends (so that a value's own line breaks survive a round trip). The
// header names the roles as XES and pm4py do — case:concept:name,
// concept:name, time:timestamp, start_timestamp (when the log has start
// times), org:group (department), org:resource, case:channel — rather than
// by their source columns (a joined activity has none) or caseflow's role
// names: each is the first name the CSV reader looks for in its role, so
// the file reads back with the same roles without flags, whatever the
// attribute columns are called, and ProM, Disco and pm4py recognise them.
// The attribute columns follow under their own names; one that a role's
// name takes (concept:name when the activity was joined from concept:name
// and lifecycle:transition; org:group when the department came from
// another column) is called "attr:" + name. The provenance columns file
// and row are left out. Times are ISO 8601 in UTC with microseconds
// (2024-03-05T09:12:44.123000Z); numbers as Go's shortest exact decimal;
// booleans as true/false; null as an empty cell. Text cells (and header
// names) that a spreadsheet would run as a formula are neutralised with a
// leading quote (see internal/safecsv), so such a value reads back with the
// quote; numbers are written as they are.
//
// # XES
//
// One <trace> per case, in log order, with the case id as concept:name,
// then one <event> per event with concept:name (activity), time:timestamp,
// start_timestamp (pm4py's key for a start time), org:group (department)
// and org:resource (resource) where present, and every attribute column
// with its type: string, int, float, boolean or date. Columns named
// "case:KEY" (pm4py's and caseflow's spelling of trace attributes) and the
// channel become trace attributes KEY and channel for each case in which
// they have one value; in a case where they vary they are written on each
// event under their column name, which the XES reader puts in the same
// column. An attribute column whose key a role uses is written as "attr:" +
// name, as in CSV, so that reading the file back does not give it the
// role. Dates are
// xs:dateTime in UTC with milliseconds, or microseconds where the value has
// them. Values are escaped for XML attributes (tabs and line breaks as
// character references); characters XML 1.0 cannot hold at all (control
// characters other than tab and line breaks) become U+FFFD. XES has no
// null: a missing value is an absent attribute, so an attribute column
// without any value does not appear in the file.
//
// # Parquet and Arrow IPC
//
// The log's record as it is, every column included, with the Arrow schema
// stored in the Parquet metadata so that dictionary columns and timestamp
// types come back as written. Parquet is zstd-compressed, dictionary
// encoded except for the time, start_time and row columns, in row groups
// of up to 1,048,576 rows. IPC is the file format (Feather v2),
// uncompressed, one record batch.
//
// WriteFile writes to a temporary file beside the target and renames it
// into place, so a failed write never leaves a partial file.
package export
