// Package report turns mining's findings into what people and pipelines
// read: a one-screen text report, a JSON document (schema
// "caseflow.report/v2", described by docs/report.schema.json), CSV tables,
// and the activity process map and the unit handoff graph as Graphviz DOT
// and SVG. docs/report.md describes every file and field.
//
// New builds a Report from mining.Findings and an Input summary (plain
// values, so this package reads no files and no flags). Every list keeps a
// fixed, documented order and every number a fixed format, so the same
// findings always give byte-identical outputs.
//
// # Privacy
//
// At the resource level the units are people. Unless Options.Reveal is set,
// every unit name is then replaced by a pseudonym: "res-" and the first 12
// hex digits of HMAC-SHA256(key, name) (RFC 2104), stable for a key, so
// nightly reports can be compared without showing who is who. Lists whose
// order breaks ties by name are re-sorted by pseudonym, so the order does
// not leak the names' alphabetical order either. Case attributes are never
// written, except the values of Options.By in the lead-time strata.
//
// # Files
//
// Outputs lists every file of a report directory. OpenDir locks a report
// directory against other runs and Dir.Write replaces its report as one
// step: the files go to a new directory beside it, which is then exchanged
// with the old one (files.go).
//
// Each graph is built once and written twice: as DOT, for the user's own
// Graphviz, and as SVG drawn by internal/drawing's layered layout, the
// one the HTML page's process map uses (graph.go).
package report
