// Package report builds hedgeflow's report from a completed run and writes
// it as report.json.
//
// report.json is a contract: later versions add fields, never remove or
// change one. Money is in USD; losses are positive; vols and probabilities
// are fractions. The "unhedged" metrics at the top level pool every path
// of every scenario at the one-year horizon; scenario_metrics holds each
// scenario's own. Every number derives from the run's seed and inputs, so
// two runs with the same seed and inputs give identical numbers whatever
// the number of workers or the partition size (run_id and timing aside).
package report
