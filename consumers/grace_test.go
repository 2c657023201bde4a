package consumers

import (
	"context"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/producers"
	"github.com/hedgeflow/hedgeflow/streams"
)

// When a worker is told to stop (SIGTERM) while it prices a partition,
// it finishes and acks that partition within its grace period; with no
// grace it leaves the partition unacknowledged for redelivery.
func TestWorkerStopFinishesInFlightWithinGrace(t *testing.T) {
	for _, c := range []struct {
		name      string
		grace     time.Duration
		wantAcked bool
	}{
		{"grace", 10 * time.Second, true},
		{"no grace", 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, streams.Topology{AckWait: 30 * time.Second})
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			spec, parts := smallSpec(t, "grace", 2, 2)
			if err := producers.PublishRun(ctx, e.h, spec, parts); err != nil {
				t.Fatal(err)
			}
			w := NewWorker(e.h, "stopping", nil)
			w.Grace = c.grace
			wctx, stop := context.WithCancel(ctx)
			hooked := make(chan struct{})
			w.testHook = func(*streams.Partition) error {
				// The stop arrives after the result is published and
				// before the ack.
				stop()
				close(hooked)
				return nil
			}
			done := make(chan error, 1)
			go func() { done <- w.Run(wctx, 1) }()
			select {
			case <-hooked:
			case <-ctx.Done():
				t.Fatal("the worker never priced the partition")
			}
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-ctx.Done():
				t.Fatal("the worker did not stop")
			}
			info, err := e.h.Pricing.Info(ctx)
			if err != nil {
				t.Fatal(err)
			}
			acked := info.AckFloor.Stream == 1 && info.NumAckPending == 0
			if acked != c.wantAcked {
				t.Errorf("acked %v (ack floor %d, %d pending ack), want %v", acked, info.AckFloor.Stream, info.NumAckPending, c.wantAcked)
			}
		})
	}
}
