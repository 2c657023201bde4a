package agents

import (
	"context"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/hedgeflow/hedgeflow/streams/streamstest"
	"github.com/nats-io/nats.go/jetstream"
)

// The DAG over a real embedded nats-server: every role decides once, in
// an order Needs allows, driven by messages and the runs bucket only.
func TestDAGOnJetStream(t *testing.T) {
	_, js := streamstest.Start(t, streams.ServerOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	h, err := streams.Ensure(ctx, js, streams.Topology{})
	if err != nil {
		t.Fatal(err)
	}
	n := sampleNumbers(t)
	svc := NewService(h, nil)
	done := make(chan error, 1)
	sctx, stop := context.WithCancel(ctx)
	go func() { done <- svc.Run(sctx, 1) }()
	outs, err := svc.Decide(ctx, "dagtest", n)
	stop()
	<-done
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Roles {
		if outs[r] == nil || outs[r].Chosen == "" {
			t.Errorf("role %s: %+v", r, outs[r])
		}
	}
}

// A trigger delivered and never acknowledged (a service stopped with a
// late duplicate in its buffer, as at the end of every run) must not hold
// up the next run's triggers for that role until its ack wait of 2
// minutes: in a weekly replay one recalibration took 120 s for that.
func TestDAGNotBlockedByAbandonedTrigger(t *testing.T) {
	_, js := streamstest.Start(t, streams.ServerOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	h, err := streams.Ensure(ctx, js, streams.Topology{})
	if err != nil {
		t.Fatal(err)
	}
	cons, err := streams.EnsureAgents(ctx, h.JS, 1, Roles)
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range Roles {
		if _, err := h.JS.Publish(ctx, streams.AgentSubject("gone", role), nil); err != nil {
			t.Fatal(err)
		}
		b, err := cons[role].Fetch(1, jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for range b.Messages() {
			got++ // and never acknowledged
		}
		if got != 1 {
			t.Fatalf("role %s: fetched %d abandoned triggers, want 1", role, got)
		}
	}
	svc := NewService(h, nil)
	done := make(chan error, 1)
	sctx, stop := context.WithCancel(ctx)
	go func() { done <- svc.Run(sctx, 1) }()
	dctx, dcancel := context.WithTimeout(ctx, 20*time.Second)
	defer dcancel()
	t0 := time.Now()
	outs, err := svc.Decide(dctx, "after", sampleNumbers(t))
	stop()
	<-done
	if err != nil {
		t.Fatalf("Decide behind abandoned triggers: %v after %v", err, time.Since(t0))
	}
	if len(outs) != len(Roles) {
		t.Fatalf("%d outputs of %d roles", len(outs), len(Roles))
	}
	t.Logf("decided in %v behind %d abandoned triggers", time.Since(t0), len(Roles))
}
