// Package bench holds hedgeflow's whole-run benchmarks; the per-kernel ones
// live beside their packages. Results, with the date, commit, machine and
// command, are in the README and RESULTS.md files of the folders here.
//
//	go test -run X -bench . -benchtime 1x ./bench/
//
// HEDGEFLOW_BENCH_SCENARIOS and HEDGEFLOW_BENCH_PATHS set the size (default
// 100 x 1000). BenchmarkPipeline prices through JetStream (embedded
// server, work queue, object store, aggregator); BenchmarkLocal prices
// the same partitions in-process without NATS, with the same number of
// goroutines: the difference is the pipeline's overhead.
package bench
