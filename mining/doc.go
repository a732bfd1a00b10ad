// Package mining turns an event log (package eventlog) into caseflow's
// findings: how cases flow between activities and departments, where they
// ping-pong, which department boundaries behave like silos, and where long
// cases lose their time. Analyze computes everything in one call; the
// result, Findings, is plain data whose lists have a documented, fixed
// order, so report writers print it as it is. docs/definitions.md defines
// every figure on a worked three-case example.
//
// # Definitions
//
// A unit is a department, or a resource (agent) with Options.Level =
// Resource. A stay is a maximal run of a case's events in one unit; an
// event without a unit belongs to no stay and does not break one. A
// handoff goes from one stay to the next; its delay runs from the last
// event of the old stay to the first of the new. A direct ping-pong is a
// position i of a case's stays with s[i] = s[i+2] ≠ s[i+1]; overlapping
// ones count (A B A B is two), each attributed to the unordered pair
// {s[i], s[i+1]}. A revisit is a stay in a unit the case visited before.
// The lead time runs from a case's first to its last event, or from its
// first From to its last To activity.
//
// # Statistics
//
// Quantiles interpolate linearly between order statistics (Hyndman & Fan
// 1996, definition 7, the default of R and pandas); the median is also
// given by nearest rank. The median's confidence interval is the
// distribution-free one from order statistics with exact binomial coverage
// (Conover 1999). Silos compare handoff delays with handoff delays: a
// boundary A→B's handoffs with B's other incoming ones, a unit's entries
// with all other handoffs; each by a one-sided Mann–Whitney test (Mann &
// Whitney 1947) in its normal approximation with tie and continuity
// correction (Hollander & Wolfe 1999) and a Hodges–Lehmann shift, with the
// Benjamini–Hochberg (1995) false discovery rate over all silo tests and a
// minimum effect. Internal gaps only describe a unit's pace. The effect of ping-pong on lead time is the Hodges–Lehmann
// shift (Hodges & Lehmann 1963) with Lehmann's (1975) interval, computed
// exactly without forming the n·m pairwise differences. Communities come
// from gonum's Louvain (Blondel et al. 2008) with a fixed seed; long cases
// lie above Tukey's (1977) upper fence of log lead time, or above an SLA.
//
// # Scale and determinism
//
// Cases are split into contiguous shards, one per worker. A first pass
// counts, per shard, the durations of every directly-follows edge, stay,
// handoff and ping-pong by key, and computes everything per case; later
// passes write the durations straight into their merged place (a counting
// sort in shard order), a kind or two at a time, each dropped once its
// figures are taken, so that the largest are never held together: the
// handoffs and returns in the pass that splits the lead times, then the
// internal gaps, then the directly-follows times. Counts and sums are
// integers, merged by addition, and samples are laid out in case order, so
// the findings are identical for any number of workers, and the partial
// results could as well come from partitions on many machines. Medians
// and other order statistics are exact: samples are radix-sorted or, when
// only a few order statistics are needed, radix-selected.
//
// With Options.Memory, every slice that grows with the events or the cases
// (samples, sort space, groupings, per-case arrays, Findings.Cases) lives
// in file-backed memory (package spill) and is given back as the stage
// that made it ends, so the heap holds little more than the figures; the
// same code runs on the heap without it, so the findings are the same.
//
// The package does no I/O and reads no flags.
package mining
