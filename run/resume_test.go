package run

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/consumers"
	"github.com/hedgeflow/hedgeflow/input/runconfig"
	"github.com/hedgeflow/hedgeflow/pricing/scenario"
	"github.com/hedgeflow/hedgeflow/producers"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/hedgeflow/hedgeflow/streams/streamstest"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// resumeServer starts an embedded server and returns a connection and the
// topology's handles.
func resumeServer(t *testing.T) (*nats.Conn, *streams.Handles) {
	t.Helper()
	nc, js := streamstest.Start(t, streams.ServerOptions{})
	h, err := streams.Ensure(context.Background(), js, streams.Topology{})
	if err != nil {
		t.Fatal(err)
	}
	return nc, h
}

func runState(t *testing.T, h *streams.Handles, id string) streams.RunState {
	t.Helper()
	e, err := h.Runs.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var s streams.RunState
	if err := streams.Decode(e.Value(), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// A run whose process stopped mid-run (its aggregator gone, some
// partitions priced, the rest in the work queue) resumes from JetStream:
// the same numbers as an undisturbed run, nothing counted twice.
func TestResumeInterruptedRun(t *testing.T) {
	ref := sampleOptions()
	ref.PartitionSize = 3
	want, err := Execute(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}

	nc, h := resumeServer(t)
	o := sampleOptions()
	o.PartitionSize, o.Conn, o.Workers, o.RunID = 3, nc, -1, "interrupted"
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := Execute(ctx, o); done <- err }()
	// Price three partitions, then stop the run as a dying process would.
	w := consumers.NewWorker(h, "before", nil)
	wctx, stopWorker := context.WithCancel(context.Background())
	wdone := make(chan error, 1)
	go func() { wdone <- w.Run(wctx, 1) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if e, err := h.Runs.Get(context.Background(), o.RunID); err == nil {
			var s streams.RunState
			if streams.Decode(e.Value(), &s) == nil && s.Done >= 3 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("three partitions not priced in 30 s")
		}
		time.Sleep(2 * time.Millisecond)
	}
	stopWorker()
	stop()
	if err := <-wdone; err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run returned %v", err)
	}
	if s := runState(t, h, o.RunID); s.Status != streams.StatusRunning || s.Done >= s.Partitions {
		t.Fatalf("state after the interruption: %+v", s)
	}

	rctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	got, err := Resume(rctx, Options{Conn: nc, RunID: o.RunID, Workers: 1, NoHedging: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.RunID != o.RunID {
		t.Errorf("resumed report is for run %q", got.RunID)
	}
	if !bytes.Equal(numbers(t, got), numbers(t, want)) {
		t.Error("the resumed run's numbers differ from an undisturbed run's")
	}
	if s := runState(t, h, o.RunID); s.Status != streams.StatusComplete || s.Done != s.Partitions {
		t.Errorf("state after the resume: %+v", s)
	}
}

// A process that died while publishing a run's partitions left some never
// published: Resume publishes them and the run completes with the numbers
// of an undisturbed run.
func TestResumePublishesMissingPartitions(t *testing.T) {
	ref := sampleOptions()
	ref.PartitionSize = 5
	want, err := Execute(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}

	nc, h := resumeServer(t)
	ctx := context.Background()
	// What Execute stores and publishes, cut short after two partitions.
	cfg, err := runconfig.Parse("", nil)
	if err != nil {
		t.Fatal(err)
	}
	o := sampleOptions()
	params, err := scenario.Generate(o.Scenarios, o.Seed, &cfg.Scenario)
	if err != nil {
		t.Fatal(err)
	}
	id := "cut-short"
	parts := producers.Partitions(id, params, 5)
	spec := streams.RunSpec{RunID: id, Seed: o.Seed, Scenarios: o.Scenarios, Paths: o.Paths, PartitionSize: 5, Partitions: len(parts),
		StepDays: 5, HorizonDays: []int{21, 63, 126, 252}, Threshold: 0.85,
		PortfolioFile: o.PortfolioFile, PortfolioYAML: o.PortfolioYAML, MarketFile: o.MarketFile, MarketYAML: o.MarketYAML}
	b, err := streams.Encode(&spec)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Runs.Put(ctx, streams.SpecKey(id), b); err != nil {
		t.Fatal(err)
	}
	if err := publishPartitions(ctx, h, parts, []int{0, 2}); err != nil {
		t.Fatal(err)
	}

	rctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	got, err := Resume(rctx, Options{Conn: nc, RunID: id, Workers: 2, NoHedging: true})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(numbers(t, got), numbers(t, want)) {
		t.Error("the resumed run's numbers differ from an undisturbed run's")
	}
	if s := runState(t, h, id); s.Status != streams.StatusComplete || s.Done != len(parts) {
		t.Errorf("state after the resume: %+v", s)
	}
	// Partitions 0 and 2 were in the queue: published again, they were
	// deduplicated, so the work queue took exactly one message per
	// partition and the result stream one result per partition.
	st, err := h.JS.Stream(ctx, streams.ResultStream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx, jetstream.WithSubjectFilter(streams.ResultSubject(id)))
	if err != nil {
		t.Fatal(err)
	}
	if n := info.State.Subjects[streams.ResultSubject(id)]; n != uint64(len(parts)) {
		t.Errorf("%d results stored for %d partitions", n, len(parts))
	}
	ci, err := h.Pricing.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ci.Delivered.Consumer != uint64(len(parts)) {
		t.Errorf("%d partitions delivered to workers, want %d", ci.Delivered.Consumer, len(parts))
	}
}

func TestResumeRefuses(t *testing.T) {
	nc, h := resumeServer(t)
	ctx := context.Background()
	if _, err := Resume(ctx, Options{Conn: nc, RunID: "nobody", NoHedging: true}); !errors.Is(err, ErrUnknownRun) {
		t.Errorf("unknown run: %v", err)
	}
	if _, err := Resume(ctx, Options{Conn: nc, RunID: "a.b", NoHedging: true}); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad run id: %v", err)
	}
	// A failed run stays failed.
	o := sampleOptions()
	spec := streams.RunSpec{RunID: "failed", Scenarios: 1, Paths: 1, PartitionSize: 1, Partitions: 1,
		PortfolioFile: o.PortfolioFile, PortfolioYAML: o.PortfolioYAML, MarketFile: o.MarketFile, MarketYAML: o.MarketYAML}
	b, _ := streams.Encode(&spec)
	if _, err := h.Runs.Put(ctx, streams.SpecKey("failed"), b); err != nil {
		t.Fatal(err)
	}
	b, _ = streams.Encode(&streams.RunState{RunID: "failed", Status: streams.StatusFailed, Error: "partition 0 exhausted its deliveries"})
	if _, err := h.Runs.Put(ctx, "failed", b); err != nil {
		t.Fatal(err)
	}
	_, err := Resume(ctx, Options{Conn: nc, RunID: "failed", NoHedging: true})
	if !errors.Is(err, ErrRunFailed) || !bytes.Contains([]byte(err.Error()), []byte("exhausted its deliveries")) {
		t.Errorf("failed run: %v", err)
	}
}
