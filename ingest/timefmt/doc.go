// Package timefmt detects and parses the timestamp layouts of CRM and
// ticketing exports, fast enough for the CSV ingest hot path: Parse scans
// bytes by hand, converts civil dates with Howard Hinnant's
// days_from_civil arithmetic and does not allocate on success.
//
// Detect picks a Layout from sample values; Force builds one from
// --time-format (a Go reference layout, a strftime pattern, "unix" or
// "unixmilli"); Combine joins a date column and a time-of-day column.
// Parse returns microseconds since the Unix epoch in UTC.
//
// Layouts:
//
//   - ISO 8601 and its relatives: yyyy-mm-dd with 'T' or a space before
//     the time, minutes with or without seconds, a fraction of any length
//     (microseconds kept, the rest truncated), and an optional offset Z,
//     +01:00, +0100 or +01. Also yyyy/mm/dd and yyyy.mm.dd.
//   - Day-first d/m/yyyy, d-m-yyyy, d.m.yyyy with an optional H:MM[:SS]
//     time, zero padding optional; month-first m/d/yyyy (and '-', '.')
//     only when the values prove it (see Detect); AM/PM clocks.
//   - Epoch seconds and milliseconds, told apart by magnitude (see Detect).
//   - A time of day alone, for Combine.
//
// Validation: month 1-12; the day must exist in its month, leap years
// included (2024-02-29 is valid, 2023-02-29 is not); hour 0-23 (24:00 is
// refused so each instant has one spelling); minute and second 0-59 (a
// leap second 60 is refused, as Unix time cannot hold it); offsets up to
// ±23:59; years 0000-9999.
//
// Zone-less values are read in the layout's IANA location. Where clocks go
// back, the repeated hour resolves to the EARLIER instant (the first
// occurrence, still on summer time); where clocks go forward, a skipped
// time is read with the old offset, which moves it forward by the gap, as
// Go's time.Date normalises: in Europe/Amsterdam 2021-10-31 02:30 is
// 00:30 UTC and 2021-03-28 02:30 is 01:30 UTC (03:30 CEST). ParseGap
// reports such skipped values, for callers to count. Offsets for
// 1900-2099 come from a table built once per location from its transitions.
//
// Placeholder dates, which systems write for "no date", are errors
// wrapping ErrPlaceholder, for the caller to read as missing: 0001-01-01,
// 9999-12-31, 1900-01-01 and 1899-12-30 at any time of day, and
// 1970-01-01 00:00:00 as written or as the instant Unix 0 (see
// Placeholder).
//
// Errors from Parse are *Error values wrapping ErrSyntax or ErrRange and
// say in plain words what is wrong ("day 31 does not exist in April"); the
// caller adds file:line:column. They are only built on failure.
package timefmt
