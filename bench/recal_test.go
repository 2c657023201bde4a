package bench

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/agents"
	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/input"
	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/run"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go/jetstream"
)

// BenchmarkRecalibration: the latency from a vol-surface event (an EUR
// 1y ATM vol quote published on the MARKET stream) to the new
// recommendation published on hedge.recommendation, for the
// HEDGEFLOW_BENCH_SCENARIOS × HEDGEFLOW_BENCH_PATHS scenario set (default
// 100 × 1000; the figure is for 1000 scenarios). Each iteration is
// one event, alternating the vol 1 point above and below today's, so that
// each is material. Reports the median and 99th percentile latency.
func BenchmarkRecalibration(b *testing.B) {
	s, p := size(b)
	srv, err := streams.StartServer(streams.ServerOptions{StoreDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Shutdown()
	nc, err := srv.Connect()
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	recs := make(chan *streams.Recommendation, 4)
	r, err := run.NewRecalibrator(run.RecalOptions{
		Base: run.Options{
			PortfolioFile: examples.PortfolioFile, PortfolioYAML: examples.Portfolio,
			MarketFile: examples.MarketFile, MarketYAML: examples.Market,
			Scenarios: s, Paths: p, Seed: 42, Conn: nc,
			// HEDGEFLOW_BENCH_ROBUSTNESS=worst measures the minimax policy
			Policy: agents.Policy{Robustness: os.Getenv("HEDGEFLOW_BENCH_ROBUSTNESS")},
		},
		OnRecommendation: func(x *streams.Recommendation) { recs <- x },
	})
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	wait := func() *streams.Recommendation {
		select {
		case x := <-recs:
			return x
		case err := <-done:
			b.Fatalf("recalibrator stopped: %v", err)
		}
		return nil
	}
	first := wait()
	_, kv, err := streams.EnsureMarket(ctx, js, 0)
	if err != nil {
		b.Fatal(err)
	}
	mk, err := input.ParseMarket(examples.MarketFile, examples.Market)
	if err != nil {
		b.Fatal(err)
	}
	var lat []float64
	modes := map[string]int{}
	t0 := time.Date(2025, 1, 2, 14, 0, 0, 0, time.UTC)
	i := 0
	b.ResetTimer()
	for b.Loop() {
		v := mk.FXVol[market.EUR] + 0.01
		if i%2 == 1 {
			v = mk.FXVol[market.EUR] - 0.01
		}
		q := streams.Quote{Time: t0.Add(time.Duration(i) * time.Second), Kind: streams.KindFXVol, Key: "EUR", Value: v, Source: "bench"}
		if err := streams.PublishQuote(ctx, js, kv, &q); err != nil {
			b.Fatal(err)
		}
		rec := wait()
		lat = append(lat, rec.LatencySeconds)
		modes[rec.Mode]++
		i++
	}
	b.StopTimer()
	slices.Sort(lat)
	q := func(p float64) float64 { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	b.ReportMetric(q(0.5)*1e3, "p50-ms")
	b.ReportMetric(q(0.99)*1e3, "p99-ms")
	b.ReportMetric(first.LatencySeconds, "first-run-s")
	b.Logf("%d scenarios × %d paths: %d events, modes %v, latency p50 %.3f s, p99 %.3f s, max %.3f s; first recommendation (full run) %.1f s",
		s, p, len(lat), modes, q(0.5), q(0.99), lat[len(lat)-1], first.LatencySeconds)
}
