package agents

import (
	"context"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/hedgeflow/hedgeflow/streams/streamstest"
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
