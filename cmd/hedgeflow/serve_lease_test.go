package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Two serve processes on one nats-server: one recalibrates (it holds the
// recalibrator's lease), the other stands by, so each recommendation is
// published once. When the leader is killed (SIGKILL: no release), the
// standby takes over once the lease has expired and makes the next
// recommendation.
func TestProcessesServeRecalibratorFailover(t *testing.T) {
	if testing.Short() {
		t.Skip("two serve processes and a nats-server")
	}
	url := realServer(t)
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	var mu sync.Mutex
	var recs []streams.Recommendation
	sub, err := nc.Subscribe(streams.RecommendationSubject, func(m *nats.Msg) {
		var r streams.Recommendation
		if streams.Decode(m.Data, &r) == nil {
			mu.Lock()
			recs = append(recs, r)
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(recs)
	}
	args := []string{"--nats", url, "--http", "", "--workers", "1", "--recal-scenarios", "20", "--recal-paths", "40"}
	a, _ := startServe(t, "serve a", url, args...)
	b, _ := startServe(t, "serve b", url, args...)
	procs := map[int]*proc{a.cmd.Process.Pid: a, b.cmd.Process.Pid: b}

	waitRecs := func(n int, within time.Duration) {
		t.Helper()
		deadline := time.Now().Add(within)
		for count() < n {
			if time.Now().After(deadline) {
				t.Fatalf("%d recommendations after %v, want %d\n--- a:\n%s\n--- b:\n%s", count(), within, n, a.output(), b.output())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	holder := func() *proc {
		t.Helper()
		kv, err := js.KeyValue(ctx, streams.LeaseBucket)
		if err != nil {
			t.Fatal(err)
		}
		e, err := kv.Get(ctx, "recalibrator")
		if err != nil {
			t.Fatalf("the recalibrator's lease: %v", err)
		}
		var pid int
		if i := strings.Index(string(e.Value()), " pid "); i < 0 {
			t.Fatalf("lease holder %q names no pid", e.Value())
		} else if _, err := fmt.Sscan(string(e.Value())[i+5:], &pid); err != nil {
			t.Fatalf("lease holder %q: %v", e.Value(), err)
		}
		p := procs[pid]
		if p == nil {
			t.Fatalf("lease holder %q is neither serve process", e.Value())
		}
		return p
	}

	waitRecs(1, 2*time.Minute)
	leader := holder()
	standby := a
	if leader == a {
		standby = b
	}
	time.Sleep(3 * time.Second) // a second recalibrator would have published by now
	if n := count(); n != 1 {
		t.Fatalf("%d recommendations for one market, want 1 (one recalibrator)", n)
	}
	if !strings.Contains(standby.output(), "standing by") {
		t.Errorf("the standby does not say it stands by:\n%s", standby.output())
	}
	if err := leader.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-leader.done
	killed := time.Now()
	waitRecs(2, 2*time.Minute)
	if d := time.Since(killed); d < streams.LeaseTTL/2 {
		t.Errorf("the standby recalibrated %v after the leader died, before its lease could expire", d)
	}
	if holder() != standby {
		t.Fatal("the lease did not pass to the standby")
	}
	mu.Lock()
	last := recs[len(recs)-1]
	mu.Unlock()
	if last.Mode != "run" || len(last.Lines) == 0 {
		t.Errorf("the new leader's first recommendation: mode %q, %d lines", last.Mode, len(last.Lines))
	}
}
