package bench

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/hedgeflow/hedgeflow/consumers"
	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/pricing/scenario"
	"github.com/hedgeflow/hedgeflow/producers"
	"github.com/hedgeflow/hedgeflow/run"
	"github.com/hedgeflow/hedgeflow/streams"
)

func size(b *testing.B) (int, int) {
	get := func(k string, d int) int {
		if v := os.Getenv(k); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				b.Fatalf("%s=%q: want a positive integer", k, v)
			}
			return n
		}
		return d
	}
	return get("HEDGEFLOW_BENCH_SCENARIOS", 100), get("HEDGEFLOW_BENCH_PATHS", 1000)
}

// BenchmarkPipeline: a run through JetStream, without the hedge
// optimisation, with one pricing goroutine per CPU.
func BenchmarkPipeline(b *testing.B) {
	s, p := size(b)
	for b.Loop() {
		r, err := run.Execute(context.Background(), run.Options{
			PortfolioFile: examples.PortfolioFile, PortfolioYAML: examples.Portfolio,
			MarketFile: examples.MarketFile, MarketYAML: examples.Market,
			Scenarios: s, Paths: p, Seed: 42, NoHedging: true,
		})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(r.Timing.PricingSeconds, "pricing-s")
	}
	b.ReportMetric(float64(s)*float64(b.N)/b.Elapsed().Seconds(), "scenarios/s")
}

// BenchmarkLocal: the same partitions priced in-process, no NATS.
func BenchmarkLocal(b *testing.B) {
	s, p := size(b)
	params, err := scenario.Generate(s, 42, nil)
	if err != nil {
		b.Fatal(err)
	}
	parts := producers.Partitions("bench", params, 50)
	spec := streams.RunSpec{RunID: "bench", Seed: 42, Scenarios: s, Paths: p, PartitionSize: 50, Partitions: len(parts),
		StepDays: 5, HorizonDays: []int{21, 63, 126, 252}, Threshold: 0.85,
		PortfolioFile: examples.PortfolioFile, PortfolioYAML: examples.Portfolio, MarketFile: examples.MarketFile, MarketYAML: examples.Market}
	for b.Loop() {
		if _, err := consumers.PriceLocal(context.Background(), spec, parts, runtime.NumCPU()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(s)*float64(b.N)/b.Elapsed().Seconds(), "scenarios/s")
}
