// Package report builds hedgeflow's report from a completed run and writes
// it as report.json and report.html.
//
// report.json is a contract: later versions add fields, never remove or
// change one. Money is in USD; losses are positive; vols and probabilities
// are fractions. The "unhedged" metrics at the top level pool every path
// of every scenario at the one-year horizon; scenario_metrics holds each
// scenario's own. Every number derives from the run's seed and inputs, so
// two runs with the same seed and inputs give identical numbers whatever
// the number of workers or the partition size (run_id and timing aside).
//
// # report.html
//
// [Report.HTML] renders the same Report as one self-contained page: inline
// CSS with a print stylesheet, inline SVG charts drawn by hand
// (charts.go: linear axes, bars, points, heatmap cells), no script and no
// external reference, so it opens offline and prints to PDF. It reads only
// the Report's fields, so a report decoded from report.json gives the same
// page. Marks carry classes (pt, bar, cell, mark) and data attributes for
// tests. A section whose data the run lacks (no hedging, failed agents)
// is replaced by a sentence saying why; the page never fails for missing
// data.
package report
