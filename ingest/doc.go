// Package ingest reads the event logs that CRM, ticketing and telephony
// systems export (CSV in its many dialects, and XES) into a caseflow
// event log held in Arrow columns (package eventlog).
//
// Reading is forgiving and loses nothing: every data row either becomes an
// event or a Reject with its file, line, column and reason, so that
// Result.Rows == Result.Log.Len() + Result.Rejected.
package ingest
