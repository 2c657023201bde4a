package streams

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

func testJS(t *testing.T) jetstream.JetStream {
	t.Helper()
	srv, err := StartServer(ServerOptions{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	nc, err := srv.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// A process that ensures the topology without options (a worker, a run
// against a cluster) keeps the settings it finds; defaults apply to what
// it creates.
func TestEnsureKeepsExistingSettings(t *testing.T) {
	ctx := context.Background()
	js := testJS(t)
	if _, err := Bind(ctx, js); !IsMissing(err) {
		t.Fatalf("Bind before Ensure: %v, want a missing-topology error", err)
	}
	h, err := Ensure(ctx, js, Topology{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := h.Pricing.CachedInfo().Config
	if cfg.AckWait != DefaultAckWait || cfg.MaxDeliver != DefaultMaxDeliver || cfg.MaxAckPending != 64 {
		t.Errorf("new consumer %v/%d/%d, want the defaults", cfg.AckWait, cfg.MaxDeliver, cfg.MaxAckPending)
	}
	if _, err := Ensure(ctx, js, Topology{AckWait: 2 * time.Second, MaxDeliver: 3, MaxAckPending: 8}); err != nil {
		t.Fatal(err)
	}
	h, err = Ensure(ctx, js, Topology{})
	if err != nil {
		t.Fatal(err)
	}
	cfg = h.Pricing.CachedInfo().Config
	if cfg.AckWait != 2*time.Second || cfg.MaxDeliver != 3 || cfg.MaxAckPending != 8 {
		t.Errorf("consumer %v/%d/%d after a zero Ensure, want 2s/3/8 kept", cfg.AckWait, cfg.MaxDeliver, cfg.MaxAckPending)
	}
	s, err := js.Stream(ctx, ScenarioStream)
	if err != nil {
		t.Fatal(err)
	}
	if r := s.CachedInfo().Config.Replicas; r != 1 {
		t.Errorf("replicas %d, want 1", r)
	}
	if _, err := Ensure(ctx, js, Topology{Replicas: 6}); err == nil {
		t.Error("Ensure accepted 6 replicas")
	}
	b, err := Bind(ctx, js)
	if err != nil {
		t.Fatalf("Bind after Ensure: %v", err)
	}
	if b.Pricing.CachedInfo().Name != PricingConsumer || b.Runs.Bucket() != RunsBucket {
		t.Errorf("Bind found %q and %q", b.Pricing.CachedInfo().Name, b.Runs.Bucket())
	}
}
