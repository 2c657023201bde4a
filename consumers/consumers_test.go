package consumers

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/pricing/scenario"
	"github.com/hedgeflow/hedgeflow/producers"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/hedgeflow/hedgeflow/streams/streamstest"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// env is a real embedded nats-server with the topology, on a temp dir.
type env struct {
	srv *streams.Server
	h   *streams.Handles
}

func newEnv(t *testing.T, topo streams.Topology) *env {
	t.Helper()
	srv := streamstest.Server(t, streams.ServerOptions{})
	return &env{srv: srv, h: handles(t, srv, topo)}
}

func handles(t *testing.T, srv *streams.Server, topo streams.Topology) *streams.Handles {
	t.Helper()
	_, js := streamstest.Connect(t, srv)
	h, err := streams.Ensure(context.Background(), js, topo)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func smallSpec(t *testing.T, runID string, scenarios, size int) (streams.RunSpec, []streams.Partition) {
	t.Helper()
	params, err := scenario.Generate(scenarios, 7, nil)
	if err != nil {
		t.Fatal(err)
	}
	parts := producers.Partitions(runID, params, size)
	return streams.RunSpec{
		RunID: runID, Seed: 7, Scenarios: scenarios, Paths: 40, PartitionSize: size, Partitions: len(parts),
		StepDays: 5, HorizonDays: []int{21, 63, 126, 252}, Threshold: 0.85,
		PortfolioFile: examples.PortfolioFile, PortfolioYAML: examples.Portfolio,
		MarketFile: examples.MarketFile, MarketYAML: examples.Market, FundSteps: true,
	}, parts
}

// A worker that dies after publishing a result but before acking it, and
// one that dies before publishing, lose nothing: the partitions are
// redelivered to a healthy worker, each is counted once, and the numbers
// equal those of an undisturbed pricing of the same partition.
func TestWorkerDeathLosesNothing(t *testing.T) {
	e := newEnv(t, streams.Topology{AckWait: time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	spec, parts := smallSpec(t, "death", 12, 3)

	// The dying worker has its own connection, closed when it dies.
	dyingH := handles(t, e.srv, streams.Topology{AckWait: time.Second})
	dying := NewWorker(dyingH, "dying", nil)
	var died atomic.Int32
	dying.testHook = func(p *streams.Partition) error {
		died.Add(1)
		dyingH.JS.Conn().Close()
		return errors.New("killed")
	}
	if err := producers.PublishRun(ctx, e.h, spec, parts); err != nil {
		t.Fatal(err)
	}
	// Let the dying worker take the first partition and die with it.
	dctx, dcancel := context.WithCancel(ctx)
	go dying.Run(dctx, 1)
	deadline := time.Now().Add(20 * time.Second)
	for died.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	dcancel()
	if died.Load() == 0 {
		t.Fatal("the dying worker never took a partition")
	}

	healthy := NewWorker(e.h, "healthy", nil)
	wctx, wcancel := context.WithCancel(ctx)
	defer wcancel()
	go healthy.Run(wctx, 2)
	col, err := NewAggregator(e.h, spec).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range col.Results {
		if r == nil {
			t.Fatalf("partition %d missing", i)
		}
	}
	// The dead worker's result was published once and its partition
	// redelivered: the server deduplicated the second result or the
	// aggregator ignored it; either way partition counts are exact.
	e2, err := e.h.Runs.Get(ctx, spec.RunID)
	if err != nil {
		t.Fatal(err)
	}
	var st streams.RunState
	if err := streams.Decode(e2.Value(), &st); err != nil {
		t.Fatal(err)
	}
	if st.Done != spec.Partitions || st.Status != streams.StatusComplete {
		t.Errorf("run state %+v, want %d done and complete", st, spec.Partitions)
	}
	// Same numbers as an undisturbed pricing.
	rm, err := BuildModel(spec)
	if err != nil {
		t.Fatal(err)
	}
	pr := NewPricer(rm)
	for i := range parts {
		want, data, err := pr.Price(&parts[i], nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := col.Results[i]
		for s := range want.Scenarios {
			if got.Scenarios[s].Horizons[3] != want.Scenarios[s].Horizons[3] {
				t.Errorf("partition %d scenario %d: %+v, undisturbed %+v", i, s, got.Scenarios[s].Horizons[3], want.Scenarios[s].Horizons[3])
			}
		}
		vals, hv, fund, err := decodeValues(want, data)
		if err != nil {
			t.Fatal(err)
		}
		for j := range vals {
			if vals[j] != col.PathValues[i][j] {
				t.Fatalf("partition %d path value %d differs", i, j)
			}
		}
		if len(hv) != want.HedgeValues() || len(hv) == 0 {
			t.Fatalf("partition %d: %d hedge values, want %d > 0", i, len(hv), want.HedgeValues())
		}
		for j := range hv {
			if hv[j] != col.HedgePnL[i][j] {
				t.Fatalf("partition %d hedge value %d differs", i, j)
			}
		}
		if len(fund) != want.FundStepValues() || len(fund) == 0 || !slices.Equal(fund, col.FundSteps[i]) {
			t.Fatalf("partition %d: %d fund values (want %d > 0), or they differ from the collected ones", i, len(fund), want.FundStepValues())
		}
	}
	// The work queue drains: every partition is acked (the last ack may
	// trail the aggregator's last result by a moment).
	var info *jetstream.ConsumerInfo
	for range 100 {
		if info, err = e.h.Pricing.Info(ctx); err != nil {
			t.Fatal(err)
		}
		if info.NumPending == 0 && info.NumAckPending == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if info.NumPending != 0 || info.NumAckPending != 0 {
		t.Errorf("consumer has %d pending and %d unacked", info.NumPending, info.NumAckPending)
	}
}

// A partition that cannot be decoded is terminated by the worker, and the
// aggregator fails the run visibly instead of waiting for ever.
func TestMalformedPartitionFailsRunVisibly(t *testing.T) {
	e := newEnv(t, streams.Topology{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	spec, parts := smallSpec(t, "poison", 2, 1)
	if err := producers.PublishRun(ctx, e.h, spec, parts[:1]); err == nil {
		t.Fatal("PublishRun accepted a partition count that disagrees with the spec")
	}
	spec.Partitions = 2
	b, _ := streams.Encode(&spec)
	if _, err := e.h.Runs.Put(ctx, streams.SpecKey(spec.RunID), b); err != nil {
		t.Fatal(err)
	}
	st, _ := streams.Encode(&streams.RunState{RunID: spec.RunID, Status: streams.StatusRunning, Partitions: 2})
	if _, err := e.h.Runs.Create(ctx, spec.RunID, st); err != nil {
		t.Fatal(err)
	}
	agg := NewAggregator(e.h, spec)
	errc := make(chan error, 1)
	go func() { _, err := agg.Run(ctx); errc <- err }()
	time.Sleep(200 * time.Millisecond) // the aggregator subscribes to advisories
	if _, err := e.h.JS.PublishMsg(ctx, &nats.Msg{Subject: streams.ScenarioSubject(spec.RunID), Data: []byte("\xc1 not msgpack")}); err != nil {
		t.Fatal(err)
	}
	w := NewWorker(e.h, "w", nil)
	wctx, wcancel := context.WithCancel(ctx)
	defer wcancel()
	go w.Run(wctx, 1)
	select {
	case err := <-errc:
		if !errors.Is(err, ErrPartitionFailed) {
			t.Fatalf("aggregator returned %v, want ErrPartitionFailed", err)
		}
	case <-ctx.Done():
		t.Fatal("aggregator did not notice the failed partition")
	}
	e2, _ := e.h.Runs.Get(ctx, spec.RunID)
	var rs streams.RunState
	_ = streams.Decode(e2.Value(), &rs)
	if rs.Status != streams.StatusFailed || rs.Error == "" {
		t.Errorf("run state %+v, want failed with an error", rs)
	}
}

// A run without hedging does not ask for the fund's values on the hedge
// paths: its results carry none, and decode.
func TestNoFundStepsWithoutHedging(t *testing.T) {
	spec, parts := smallSpec(t, "nofund", 4, 2)
	spec.FundSteps = false
	rm, err := BuildModel(spec)
	if err != nil {
		t.Fatal(err)
	}
	res, data, err := NewPricer(rm).Price(&parts[0], nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	vals, hv, fund, err := decodeValues(res, data)
	if err != nil {
		t.Fatal(err)
	}
	if res.Steps != 0 || len(fund) != 0 || len(vals) != res.PathValues() || len(hv) != res.HedgeValues() {
		t.Errorf("steps %d, %d fund values, %d path values (want %d), %d hedge values (want %d)",
			res.Steps, len(fund), len(vals), res.PathValues(), len(hv), res.HedgeValues())
	}
	if _, _, _, err := decodeValues(res, append(data, 0, 0, 0, 0, 0, 0, 0, 0)); err == nil {
		t.Error("eight bytes too many decoded")
	}
}
