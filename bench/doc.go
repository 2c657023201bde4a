// Package bench holds hedgeflow's whole-run benchmarks; the per-kernel ones
// live beside their packages. Results, with the date, commit, machine and
// command, are in the README and RESULTS.md files of the folders here;
// bench/run runs them all.
//
//	go test -run X -bench 'Pipeline|Local' -benchtime 1x ./bench/
//	go test -run X -bench Messages -benchtime 1x ./bench/
//	go test -run X -bench Blobs -benchtime 20x ./bench/
//
// HEDGEFLOW_BENCH_SCENARIOS and HEDGEFLOW_BENCH_PATHS set the size (default
// 100 x 1000). BenchmarkPipeline prices through JetStream (embedded
// server, work queue, object store, aggregator); BenchmarkLocal prices
// the same partitions in-process without NATS, with the same number of
// goroutines: the difference is the pipeline's overhead.
//
// BenchmarkMessages measures the message path alone (producer, workers,
// aggregator on a run whose pricing is trivial; HEDGEFLOW_BENCH_PARTITIONS
// partitions, default 2000) and BenchmarkBlobs the object-store traffic of
// one default-run partition's path values (HEDGEFLOW_BENCH_PATHS paths).
// With HEDGEFLOW_BENCH_NATS set to a server's URL both use that server, so
// that `bench/run nats` compares them with `nats bench` on the same one;
// without it they start an embedded server, as `hedgeflow run` does.
package bench
