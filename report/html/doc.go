// Package html writes caseflow's report as one self-contained HTML page
// that people want to open: the findings of package mining drawn as an
// activity process map, a handoff graph and heat map of the units
// (departments or resources), and a lead-time histogram, with the
// ping-pong pairs and what they cost, the silo boundaries and
// communities, the slowest cases with their paths, the rejected rows and
// the input and options used. Write is the entry point; Input carries what
// the page says about the run, so this package reads no files and no
// flags.
//
// # One file, nothing from the network
//
// The page has no external reference at all: the style sheet, the SVG
// drawings and a small script that sorts and filters tables are inline,
// and the page reads fully with JavaScript off. A Content Security Policy
// (W3C CSP Level 2) in the page allows no loading and only the one script,
// by its SHA-256 hash. Everything that comes from the log (names, case
// ids, file names, rejected rows, the command line) is escaped by
// html/template in the page and by esc in the drawings, whose entities are
// XML's own so that every drawing is also well-formed XML; control
// characters and invalid UTF-8 become U+FFFD. A name such as
// <script>alert(1)</script> is shown as text, and even if escaping failed
// the policy would keep an injected script from running.
//
// # Drawings
//
// The drawings are SVG written by this package and internal/drawing (whose
// layered layout and writer also draw report's SVG files) from the
// numbers, with no graph or plotting library: a general plotting library
// draws charts but not graph layouts, and Graphviz (even compiled to
// WebAssembly) would bring a large runtime, its own text escaping and far
// less control over marking the painful edges. Text widths are estimated
// from per-character classes, so the output does not depend on the fonts
// of the machine.
//
// The process map is laid out in layers (Sugiyama, Tagawa & Toda 1981):
// cycles broken by the weighted greedy heuristic of Eades, Lin & Smyth
// (1993), ranks by longest path then balanced, edge labels as dummy
// vertices on rows of their own as in Graphviz's dot (Gansner et al.
// 1993), crossings reduced by barycenter sweeps, and x positions by
// isotonic regression row by row; edges are Catmull–Rom splines through
// their dummy vertices. It draws the most frequent transitions, enough to
// cover 95 % of the arcs (12 to 40), and marks the three where most case
// time goes. The handoff graph puts the busiest units on a circle,
// spread by the van der Corput sequence and then swapped so that units
// that hand off to each other are not close, and draws each handoff pair
// as an arc bending to its right, so that pairs in both directions form a
// lens; ping-pong pairs are vermillion and silo boundaries dashed blue
// (Okabe–Ito colours, told apart by dash and label text as well as
// colour). The heat map shows every handoff pair among the same units,
// ordered by community. The lead-time histogram has bins of equal width
// in log time, long cases stacked over the others, and the median, P90,
// P95 and the long-case threshold marked with distinct dash patterns.
//
// Long lists are cut (Max… constants) and the page says how many of how
// many it shows; the JSON and CSV reports hold everything. The report of
// BPIC 2013 incidents (7,554 cases, 649 teams) is about 200 kB.
//
// # Determinism
//
// Lists keep the findings' documented order, ties are broken by index,
// maps are only looked up, never ranged over, and numbers are formatted
// with strconv, so the same findings and input give the same bytes.
package html
