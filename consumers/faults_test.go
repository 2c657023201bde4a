package consumers

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/producers"
	"github.com/hedgeflow/hedgeflow/streams"
)

// sameAsLocal checks a collected run against the same partitions priced
// in-process: nothing lost, nothing counted twice, the same numbers.
func sameAsLocal(t *testing.T, col *Collected, spec streams.RunSpec, parts []streams.Partition) {
	t.Helper()
	want, err := PriceLocal(context.Background(), spec, parts, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i := range parts {
		if col.Results[i] == nil {
			t.Fatalf("partition %d missing", i)
		}
		a, b := col.PathValues[i], want.PathValues[i]
		if len(a) != len(b) {
			t.Fatalf("partition %d: %d path values, want %d", i, len(a), len(b))
		}
		for j := range a {
			if a[j] != b[j] {
				t.Fatalf("partition %d value %d: %v, undisturbed %v", i, j, a[j], b[j])
			}
		}
		if len(col.HedgePnL[i]) != len(want.HedgePnL[i]) {
			t.Fatalf("partition %d: hedge values differ in number", i)
		}
	}
}

// A worker that hangs on a partition (no ack, no progress) loses nothing:
// after the ack wait the partition goes to a healthy worker and is counted
// once.
func TestHangingWorker(t *testing.T) {
	e := newEnv(t, streams.Topology{AckWait: time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	spec, parts := smallSpec(t, "hang", 8, 2)
	if err := producers.PublishRun(ctx, e.h, spec, parts); err != nil {
		t.Fatal(err)
	}
	hung := NewWorker(e.h, "hung", nil)
	var took atomic.Int32
	hung.testBefore = func(*streams.Partition) error { took.Add(1); return errHang }
	hctx, hcancel := context.WithCancel(ctx)
	defer hcancel()
	go hung.Run(hctx, 1)
	for took.Load() == 0 && ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
	healthy := NewWorker(e.h, "healthy", nil)
	wctx, wcancel := context.WithCancel(ctx)
	defer wcancel()
	go healthy.Run(wctx, 2)
	col, err := NewAggregator(e.h, spec).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sameAsLocal(t, col, spec, parts)
}

// A partition that fails on every delivery exhausts MaxDeliver and fails
// the run visibly (the max-deliveries advisory), never a silent gap.
func TestMaxDeliveriesFailRunVisibly(t *testing.T) {
	e := newEnv(t, streams.Topology{AckWait: time.Second, MaxDeliver: 3})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	spec, parts := smallSpec(t, "poisoned", 4, 2)
	w := NewWorker(e.h, "w", nil)
	var tries atomic.Int32
	w.testBefore = func(p *streams.Partition) error {
		if p.Index == 1 {
			tries.Add(1)
			return errors.New("pricing keeps failing")
		}
		return nil
	}
	agg := NewAggregator(e.h, spec)
	errc := make(chan error, 1)
	go func() { _, err := agg.Run(ctx); errc <- err }()
	time.Sleep(200 * time.Millisecond)
	if err := producers.PublishRun(ctx, e.h, spec, parts); err != nil {
		t.Fatal(err)
	}
	wctx, wcancel := context.WithCancel(ctx)
	defer wcancel()
	go w.Run(wctx, 1)
	select {
	case err := <-errc:
		if !errors.Is(err, ErrPartitionFailed) {
			t.Fatalf("aggregator returned %v, want ErrPartitionFailed", err)
		}
	case <-ctx.Done():
		t.Fatal("the failed partition went unnoticed")
	}
	if n := tries.Load(); n != 3 {
		t.Errorf("partition 1 tried %d times, want MaxDeliver = 3", n)
	}
}

// Results that would pass the server's max payload go to the object store
// (path values, or the whole result when even the metrics are too large)
// and the run completes with the same numbers.
func TestResultsOverMaxPayload(t *testing.T) {
	srv, err := streams.StartServer(streams.ServerOptions{StoreDir: t.TempDir(), MaxPayload: 32 << 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	h := handles(t, srv, streams.Topology{})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// 150 scenarios in one partition: the metrics alone pass 32 KB.
	spec, parts := smallSpec(t, "big", 150, 150)
	spec.Paths = 4
	if err := producers.PublishRun(ctx, h, spec, parts); err != nil {
		t.Fatal(err)
	}
	w := NewWorker(h, "w", nil)
	wctx, wcancel := context.WithCancel(ctx)
	defer wcancel()
	go w.Run(wctx, 1)
	col, err := NewAggregator(h, spec).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sameAsLocal(t, col, spec, parts)
	// The message on the stream was only a pointer to the whole result.
	st, err := h.JS.Stream(ctx, streams.ResultStream)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := st.GetLastMsgForSubject(ctx, streams.ResultSubject(spec.RunID))
	if err != nil {
		t.Fatal(err)
	}
	var ptr streams.PartitionResult
	if err := streams.Decode(raw.Data, &ptr); err != nil || ptr.ResultBlob == "" || len(raw.Data) > 32<<10 {
		t.Errorf("result message of %d bytes (err %v), result blob %q: want a small pointer", len(raw.Data), err, ptr.ResultBlob)
	}
}

// Publishing a run twice (a producer retrying after a lost ack) stores each
// partition once: the message ids deduplicate, and the run completes with
// every partition counted once.
func TestDuplicatePublishDeduplicated(t *testing.T) {
	e := newEnv(t, streams.Topology{})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	spec, parts := smallSpec(t, "dup", 6, 2)
	for range 2 {
		if err := producers.PublishRun(ctx, e.h, spec, parts); err != nil {
			t.Fatal(err)
		}
	}
	st, err := e.h.JS.Stream(ctx, streams.ScenarioStream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != uint64(len(parts)) {
		t.Errorf("%d partition messages stored, want %d", info.State.Msgs, len(parts))
	}
	w := NewWorker(e.h, "w", nil)
	wctx, wcancel := context.WithCancel(ctx)
	defer wcancel()
	go w.Run(wctx, 2)
	col, err := NewAggregator(e.h, spec).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sameAsLocal(t, col, spec, parts)
	if col.Duplicates != 0 {
		t.Errorf("%d duplicate results reached the aggregator", col.Duplicates)
	}
}
