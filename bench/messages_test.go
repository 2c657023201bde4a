package bench

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/consumers"
	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/pricing/scenario"
	"github.com/hedgeflow/hedgeflow/producers"
	"github.com/hedgeflow/hedgeflow/run"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// handles connects a benchmark to JetStream and ensures the topology: to
// the server at HEDGEFLOW_BENCH_NATS when it is set (bench/run points it
// at the nats-server that `nats bench` measures), else to an embedded
// server in-process on a temporary store, as `hedgeflow run` does.
func handles(b *testing.B) *streams.Handles {
	b.Helper()
	var nc *nats.Conn
	if url := os.Getenv("HEDGEFLOW_BENCH_NATS"); url != "" {
		var err error
		if nc, err = nats.Connect(url, nats.Name("hedgeflow bench")); err != nil {
			b.Fatal(err)
		}
	} else {
		srv, err := streams.StartServer(streams.ServerOptions{StoreDir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(srv.Shutdown)
		if nc, err = srv.Connect(); err != nil {
			b.Fatal(err)
		}
	}
	b.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		b.Fatal(err)
	}
	h, err := streams.Ensure(context.Background(), js, streams.Topology{})
	if err != nil {
		b.Fatal(err)
	}
	return h
}

// trivialSpec is a run of n partitions of 50 scenarios of the sample fund
// whose pricing is as small as the model allows while keeping the default
// run's messages: partitions of 50 scenarios and results with metrics at
// four horizons. One path and weekly horizons of 1 to 4 weeks make a
// partition's pricing take well under a millisecond, against seconds in
// the default run.
func trivialSpec(runID string, n int) (streams.RunSpec, []streams.Partition, error) {
	params, err := scenario.Generate(50*n, 42, nil)
	if err != nil {
		return streams.RunSpec{}, nil, err
	}
	parts := producers.Partitions(runID, params, 50)
	return streams.RunSpec{RunID: runID, Seed: 42, Scenarios: 50 * n, Paths: 1, PartitionSize: 50, Partitions: n,
		StepDays: 5, HorizonDays: []int{5, 10, 15, 20}, Threshold: 0.85,
		PortfolioFile: examples.PortfolioFile, PortfolioYAML: examples.Portfolio,
		MarketFile: examples.MarketFile, MarketYAML: examples.Market}, parts, nil
}

// BenchmarkMessages measures the pipeline's message path alone, through
// the code a run uses: partitions published by producers.PublishRun,
// pulled, priced, answered and acknowledged by consumers.Worker (one
// goroutine per CPU, as in a run), and collected by consumers.Aggregator,
// for a run whose pricing is trivial (see trivialSpec; its cost, the
// pricing time the workers record in each result divided by the number of
// goroutines, is reported as pricing-ms for the work stage and
// e2e-pricing-ms for the end-to-end run). Each stage first runs alone, so
// that its rate
// compares with one `nats bench` command (bench/run runs them on the same
// server):
//
//	publish-msg/s   PublishRun, no worker running: async publish with message ids
//	work-part/s     Worker on the stored partitions: pull one, publish the result, double ack
//	collect-msg/s   Aggregator on the stored results: ordered consumer, state in KV
//
// then a second run with all three together as `hedgeflow run` does
// (e2e-part/s, e2e-ms). HEDGEFLOW_BENCH_PARTITIONS sets the number of
// partitions (default 2000); the sub-benchmark partitions=20 is the
// default run's count.
func BenchmarkMessages(b *testing.B) {
	n := 2000
	if v := os.Getenv("HEDGEFLOW_BENCH_PARTITIONS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("HEDGEFLOW_BENCH_PARTITIONS=%q: want a positive integer", v)
		}
	}
	h := handles(b)
	for _, np := range []int{n, 20} {
		b.Run(fmt.Sprintf("partitions=%d", np), func(b *testing.B) {
			var sum struct{ publish, work, collect, e2e, pricing, e2ePricing time.Duration }
			var partB, resB int
			for b.Loop() {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
				st, err := messagePath(ctx, h, np, runtime.NumCPU())
				cancel()
				if err != nil {
					b.Fatal(err)
				}
				sum.publish += st.publish
				sum.work += st.work
				sum.collect += st.collect
				sum.e2e += st.e2e
				sum.pricing += st.pricing
				sum.e2ePricing += st.e2ePricing
				partB, resB = st.partitionBytes, st.resultBytes
			}
			rate := func(d time.Duration) float64 { return float64(np*b.N) / d.Seconds() }
			b.ReportMetric(rate(sum.publish), "publish-msg/s")
			b.ReportMetric(rate(sum.work), "work-part/s")
			b.ReportMetric(rate(sum.collect), "collect-msg/s")
			b.ReportMetric(rate(sum.e2e), "e2e-part/s")
			b.ReportMetric(sum.e2e.Seconds()*1e3/float64(b.N), "e2e-ms")
			b.ReportMetric(sum.pricing.Seconds()*1e3/float64(b.N), "pricing-ms")
			b.ReportMetric(sum.e2ePricing.Seconds()*1e3/float64(b.N), "e2e-pricing-ms")
			b.ReportMetric(float64(partB), "partition-B")
			b.ReportMetric(float64(resB), "result-B")
		})
	}
}

type stageTimes struct {
	publish, work, collect, e2e time.Duration
	// pricing and e2ePricing are the time the workers spent pricing in the
	// work stage and in the end-to-end run, per goroutine.
	pricing, e2ePricing         time.Duration
	partitionBytes, resultBytes int
}

// messagePath runs the stages of BenchmarkMessages once, on two fresh runs
// of n partitions, with the given number of pricing goroutines.
func messagePath(ctx context.Context, h *streams.Handles, n, workers int) (stageTimes, error) {
	var st stageTimes
	spec, parts, err := trivialSpec(run.NewRunID(), n)
	if err != nil {
		return st, err
	}
	if b, err := streams.Encode(&parts[0]); err == nil {
		st.partitionBytes = len(b)
	}
	t0 := time.Now()
	if err := producers.PublishRun(ctx, h, spec, parts); err != nil {
		return st, err
	}
	st.publish = time.Since(t0)

	wctx, stop := context.WithCancel(ctx)
	w := consumers.NewWorker(h, "bench", nil)
	werr := make(chan error, 1)
	t0 = time.Now()
	go func() { werr <- w.Run(wctx, workers) }()
	for {
		ci, err := h.Pricing.Info(ctx)
		if err != nil {
			stop()
			<-werr
			return st, err
		}
		if ci.NumPending == 0 && ci.NumAckPending == 0 {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	st.work = time.Since(t0)
	stop()
	if err := <-werr; err != nil {
		return st, err
	}

	t0 = time.Now()
	col, err := consumers.NewAggregator(h, spec).Run(ctx)
	if err != nil {
		return st, err
	}
	st.collect = time.Since(t0)
	if col.Duplicates != 0 {
		return st, fmt.Errorf("run %s: %d duplicate results", spec.RunID, col.Duplicates)
	}
	st.pricing = pricingTime(col, workers)
	// A result as the worker sends it when its path values fit inline.
	r := *col.Results[0]
	r.Data = make([]byte, 8*r.PathValues()+4*r.HedgeValues())
	if b, err := streams.Encode(&r); err == nil {
		st.resultBytes = len(b)
	}

	// End to end, as run.Execute: workers up, publish, collect.
	if spec, parts, err = trivialSpec(run.NewRunID(), n); err != nil {
		return st, err
	}
	wctx, stop = context.WithCancel(ctx)
	defer stop()
	go func() { werr <- w.Run(wctx, workers) }()
	t0 = time.Now()
	if err := producers.PublishRun(ctx, h, spec, parts); err != nil {
		return st, err
	}
	if col, err = consumers.NewAggregator(h, spec).Run(ctx); err != nil {
		return st, err
	}
	st.e2e = time.Since(t0)
	st.e2ePricing = pricingTime(col, workers)
	stop()
	return st, <-werr
}

// pricingTime is the time the workers spent pricing a run's partitions
// (they record it in each result), per goroutine.
func pricingTime(col *consumers.Collected, workers int) time.Duration {
	var sec float64
	for _, r := range col.Results {
		sec += r.CPUSeconds
	}
	return time.Duration(sec / float64(workers) * float64(time.Second))
}

// BenchmarkBlobs measures what the default run moves beside its messages:
// each partition's path values and hedge P&L, stored in the object store
// by the worker (streams.PutBlob) and read back by the aggregator. One
// partition of 50 scenarios of the default run (HEDGEFLOW_BENCH_PATHS
// paths, default 1000) is priced first, so that the sizes reported are the
// default run's: partition-B and result-B (the result message, which then
// only points at its blob) are the sizes bench/run gives `nats bench`.
func BenchmarkBlobs(b *testing.B) {
	_, paths := size(b)
	params, err := scenario.Generate(50, 42, nil)
	if err != nil {
		b.Fatal(err)
	}
	runID := run.NewRunID()
	parts := producers.Partitions(runID, params, 50)
	spec := streams.RunSpec{RunID: runID, Seed: 42, Scenarios: 50, Paths: paths, PartitionSize: 50, Partitions: 1,
		StepDays: 5, HorizonDays: []int{21, 63, 126, 252}, Threshold: 0.85,
		PortfolioFile: examples.PortfolioFile, PortfolioYAML: examples.Portfolio, MarketFile: examples.MarketFile, MarketYAML: examples.Market}
	rm, err := consumers.BuildModel(spec)
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	res, data, err := consumers.NewPricer(rm).Price(&parts[0], nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	// The result message as the worker sends it once the values are in
	// the object store.
	res.Blob, res.Worker, res.CPUSeconds = streams.BlobName(runID, 0), "bench", time.Since(t0).Seconds()
	msg, err := streams.Encode(res)
	if err != nil {
		b.Fatal(err)
	}
	part, err := streams.Encode(&parts[0])
	if err != nil {
		b.Fatal(err)
	}

	h := handles(b)
	ctx := context.Background()
	var put, get time.Duration
	i := 0
	for b.Loop() {
		name := fmt.Sprintf("%s/bench%d", runID, i)
		i++
		t0 := time.Now()
		if err := streams.PutBlob(ctx, h, name, data); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		got, err := h.Blobs.GetBytes(ctx, name)
		if err != nil {
			b.Fatal(err)
		}
		get += time.Since(t1)
		put += t1.Sub(t0)
		if len(got) != len(data) {
			b.Fatalf("read %d bytes of %s, stored %d", len(got), name, len(data))
		}
		if err := h.Blobs.Delete(ctx, name); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(put.Seconds()*1e3/float64(b.N), "put-ms")
	b.ReportMetric(get.Seconds()*1e3/float64(b.N), "get-ms")
	b.ReportMetric(float64(len(data))*float64(b.N)/(put+get).Seconds()/1e6, "MB/s")
	b.ReportMetric(float64(len(data)), "blob-B")
	b.ReportMetric(float64(len(part)), "partition-B")
	b.ReportMetric(float64(len(msg)), "result-B")
}
