package streams_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/hedgeflow/hedgeflow/streams/streamstest"
	"github.com/nats-io/nats.go/jetstream"
)

const testTTL = time.Second

// holder runs a Lease in the background and records when its fn runs.
type holder struct {
	name    string
	mu      sync.Mutex
	starts  []time.Time
	stops   []time.Time
	cancel  context.CancelFunc
	done    chan error
	running chan struct{} // receives when fn starts
}

func startHolder(t *testing.T, kv jetstream.KeyValue, name string, fn func(ctx context.Context) error) *holder {
	t.Helper()
	h := &holder{name: name, done: make(chan error, 1), running: make(chan struct{}, 8)}
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	t.Cleanup(cancel)
	l := &streams.Lease{KV: kv, Key: "recalibrator", Holder: name, Log: slog.New(slog.NewTextHandler(t.Output(), nil))}
	go func() {
		h.done <- l.Hold(ctx, func(ctx context.Context) error {
			h.mu.Lock()
			h.starts = append(h.starts, time.Now())
			h.mu.Unlock()
			h.running <- struct{}{}
			var err error
			if fn != nil {
				err = fn(ctx)
			} else {
				<-ctx.Done()
			}
			h.mu.Lock()
			h.stops = append(h.stops, time.Now())
			h.mu.Unlock()
			return err
		})
	}()
	return h
}

func (h *holder) runs() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.starts)
}

func waitRunning(t *testing.T, h *holder, within time.Duration) time.Time {
	t.Helper()
	select {
	case <-h.running:
		h.mu.Lock()
		defer h.mu.Unlock()
		return h.starts[len(h.starts)-1]
	case <-time.After(within):
		t.Fatalf("%s did not take the lease within %v", h.name, within)
		return time.Time{}
	}
}

func leases(t *testing.T, js jetstream.JetStream) jetstream.KeyValue {
	t.Helper()
	kv, err := streams.EnsureLeases(context.Background(), js, 1, testTTL)
	if err != nil {
		t.Fatal(err)
	}
	return kv
}

// One holder at a time; a holder that stops releases the lease (deletes
// the key) and the standby takes over.
func TestLeaseOneHolderAndHandover(t *testing.T) {
	_, js := streamstest.Start(t, streams.ServerOptions{})
	kv := leases(t, js)
	a := startHolder(t, kv, "a", nil)
	waitRunning(t, a, 2*time.Second)
	b := startHolder(t, kv, "b", nil)
	time.Sleep(3 * testTTL) // several renewals and expiry periods
	if b.runs() != 0 || a.runs() != 1 {
		t.Fatalf("runs: a %d, b %d; want a 1, b 0", a.runs(), b.runs())
	}
	if e, err := kv.Get(context.Background(), "recalibrator"); err != nil || string(e.Value()) != "a" {
		t.Fatalf("lease value %v, %v; want a", e, err)
	}
	// b gives up waiting (it held nothing, so it releases nothing); a
	// stops and releases; a new holder c takes the lease.
	b.cancel()
	if err := <-b.done; err != nil || b.runs() != 0 {
		t.Fatalf("b: %v, runs %d", err, b.runs())
	}
	a.cancel()
	if err := <-a.done; err != nil {
		t.Fatalf("a: %v", err)
	}
	released(t, kv)
	waitRunning(t, startHolder(t, kv, "c", nil), 2*testTTL)
}

// released fails unless the lease key is deleted (released, not left to
// expire).
func released(t *testing.T, kv jetstream.KeyValue) {
	t.Helper()
	if e, err := kv.Get(context.Background(), "recalibrator"); !errors.Is(err, jetstream.ErrKeyNotFound) {
		t.Fatalf("lease not released when its holder stopped: %v, %v", e, err)
	}
}

// A holder that dies without releasing (its connection gone) stops its
// own work once it cannot renew, and the standby takes over only after the
// key has expired, so the two never run together.
func TestLeaseHolderDiesStandbyTakesOverAfterTTL(t *testing.T) {
	srv := streamstest.Server(t, streams.ServerOptions{})
	_, js := streamstest.Connect(t, srv)
	kv := leases(t, js)
	// a on its own connection to the same server, closed to kill it.
	nc2, js2 := streamstest.Connect(t, srv)
	kv2, err := js2.KeyValue(context.Background(), streams.LeaseBucket)
	if err != nil {
		t.Fatal(err)
	}
	a := startHolder(t, kv2, "a", nil)
	waitRunning(t, a, 2*time.Second)
	b := startHolder(t, kv, "b", nil)
	time.Sleep(testTTL / 2)
	nc2.Close()
	took := waitRunning(t, b, 4*testTTL)
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.stops) != 1 {
		t.Fatalf("a's work was not stopped when it could no longer renew (stops %v)", a.stops)
	}
	if !a.stops[0].Before(took) {
		t.Fatalf("b started at %v, before a stopped at %v", took, a.stops[0])
	}
}

// A holder whose key was taken from it (an operator overwrote it) stops
// its work at the next renewal and stands by; when the key is free again it
// takes the lease and runs again.
func TestLeaseLostThenRetaken(t *testing.T) {
	_, js := streamstest.Start(t, streams.ServerOptions{})
	kv := leases(t, js)
	a := startHolder(t, kv, "a", nil)
	waitRunning(t, a, 2*time.Second)
	ctx := context.Background()
	rev, err := kv.Put(ctx, "recalibrator", []byte("operator"))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * testTTL)
	for {
		a.mu.Lock()
		n := len(a.stops)
		a.mu.Unlock()
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a kept running after its lease was overwritten")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := kv.Delete(ctx, "recalibrator", jetstream.LastRevision(rev)); err != nil {
		t.Fatal(err)
	}
	waitRunning(t, a, 2*testTTL)
	if a.runs() != 2 {
		t.Fatalf("a ran %d times, want 2", a.runs())
	}
}

// fn's own error ends Hold with that error, and the lease is released
// (the key deleted, not left to expire).
func TestLeaseFnErrorReleases(t *testing.T) {
	_, js := streamstest.Start(t, streams.ServerOptions{})
	kv := leases(t, js)
	boom := errors.New("boom")
	release := make(chan struct{})
	a := startHolder(t, kv, "a", func(ctx context.Context) error { <-release; return boom })
	waitRunning(t, a, 2*time.Second)
	close(release)
	if err := <-a.done; !errors.Is(err, boom) {
		t.Fatalf("Hold returned %v, want fn's error", err)
	}
	released(t, kv)
	waitRunning(t, startHolder(t, kv, "b", nil), 2*testTTL)
}

// A bucket whose keys never expire cannot hold leases: a dead holder's
// would be held for ever.
func TestLeaseNeedsExpiringBucket(t *testing.T) {
	_, js := streamstest.Start(t, streams.ServerOptions{})
	kv, err := js.CreateKeyValue(context.Background(), jetstream.KeyValueConfig{Bucket: "NO_TTL"})
	if err != nil {
		t.Fatal(err)
	}
	l := &streams.Lease{KV: kv, Key: "k", Holder: "a"}
	err = l.Hold(context.Background(), func(context.Context) error { t.Fatal("ran without a lease"); return nil })
	if err == nil {
		t.Fatal("no error for a bucket without TTL")
	}
	if _, err := streams.EnsureLeases(context.Background(), js, 1, time.Millisecond); err == nil {
		t.Fatal("no error for a 1ms lease TTL")
	}
}
