package feed_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/producers/feed"
	"github.com/hedgeflow/hedgeflow/streams"
)

// runIngest starts the bridge and returns a stop function that waits for
// it.
func runIngest(t *testing.T, e *env, opts ...feed.IngestOption) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- feed.RunIngest(ctx, e.nc, e.js, e.kv, opts...) }()
	// A request before the subscription exists finds no responder: wait
	// for a first answer.
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := e.nc.Request(streams.IngestSubject, []byte(`ping`), 200*time.Millisecond)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ingest bridge not answering: %v", err)
		}
	}
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("RunIngest did not return within 10 s of its ctx's end")
			return nil
		}
	}
	t.Cleanup(func() { stop() })
	return stop
}

func request(t *testing.T, e *env, body string) feed.IngestReply {
	t.Helper()
	m, err := e.nc.Request(streams.IngestSubject, []byte(body), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var r feed.IngestReply
	if err := json.Unmarshal(m.Data, &r); err != nil {
		t.Fatalf("reply %q: %v", m.Data, err)
	}
	return r
}

func TestIngestAcceptsAndRejects(t *testing.T) {
	e := newEnv(t)
	var mu sync.Mutex
	var rejected []error
	accepted := 0
	stop := runIngest(t, e, feed.WithMaxBytes(4096),
		feed.WithErrorHandler(func(err error) { mu.Lock(); rejected = append(rejected, err); mu.Unlock() }),
		feed.WithAccepted(func(qs []streams.Quote) { mu.Lock(); accepted += len(qs); mu.Unlock() }))
	base := e.count(t)

	r := request(t, e, `{"time":"2025-01-02T15:00:00Z","kind":"fx.vol","key":"EUR","value":0.09}`)
	if r.Accepted != 1 || r.Error != "" {
		t.Fatalf("one quote: %+v", r)
	}
	r = request(t, e, `[{"time":"2025-01-02T15:00:00Z","kind":"rates.zero","key":"USD","tenors":[10],"values":[4.6]},
		{"time":"2025-01-02T15:00:00Z","kind":"credit.index","key":"CDX_IG","value":55}]`)
	if r.Accepted != 2 || r.Error != "" {
		t.Fatalf("an array: %+v", r)
	}
	for _, c := range []struct{ body, want string }{
		{`{"time":"2025-01-02T15:00:00Z","kind":"fx.vol","key":"EUR","value":9}`, "value: must be in (0, 5)"},
		{`[{"time":"2025-01-02T15:00:00Z","kind":"fx.vol","key":"EUR","value":0.1},{"time":"2025-01-02T15:00:00Z","kind":"fx.vol","key":"EURO","value":0.1}]`, `[1]: key: unknown currency "EURO"`},
		{"\x00\x01garbage", "not JSON"},
		{`{"time":"2025-01-02T15:00:00Z","kind":"fx.vol","key":"EUR","value":0.09,"note":"` + strings.Repeat("x", 5000) + `"}`, "bytes, more than the limit of 4096"},
	} {
		r := request(t, e, c.body)
		if r.Accepted != 0 || !strings.Contains(r.Error, c.want) {
			t.Errorf("%.50q: %+v, want an error with %q", c.body, r, c.want)
		}
	}
	// Nothing of a rejected message reached the stream: 3 quotes, no more.
	if n := e.count(t) - base; n != 3 {
		t.Errorf("%d quotes on the stream, want 3", n)
	}
	// A message without a reply subject is published all the same.
	if err := e.nc.Publish(streams.IngestSubject, []byte(`{"time":"2025-01-02T15:00:01Z","kind":"fx.spot","key":"GBP","value":1.26}`)); err != nil {
		t.Fatal(err)
	}
	// Send, the Go client, and the state bucket.
	if r, err := feed.Send(context.Background(), e.nc, []streams.Quote{{Time: time.Date(2025, 1, 2, 15, 0, 2, 0, time.UTC), Kind: streams.KindEquityVol, Key: "SPX", Value: 0.2}}); err != nil || r.Accepted != 1 {
		t.Fatalf("Send: %+v %v", r, err)
	}
	if _, err := feed.Send(context.Background(), e.nc, []streams.Quote{{Time: time.Now(), Kind: streams.KindEquityVol, Key: "SPX", Value: 7}}); err == nil || !strings.Contains(err.Error(), "value: must be in (0, 5)") {
		t.Errorf("Send of a bad quote: %v", err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if n := e.count(t) - base; n != 5 {
		t.Errorf("%d quotes on the stream, want 5", n)
	}
	ent, err := e.kv.Get(context.Background(), "fx.spot.GBP")
	if err != nil {
		t.Fatal(err)
	}
	var q streams.Quote
	if err := streams.Decode(ent.Value(), &q); err != nil || q.Value != 1.26 {
		t.Errorf("state of GBP: %+v %v", q, err)
	}
	mu.Lock()
	defer mu.Unlock()
	// 4 rejected plus the bad Send, plus the pings of runIngest.
	if accepted != 5 || len(rejected) < 5 {
		t.Errorf("handlers saw %d accepted, %d rejected", accepted, len(rejected))
	}
}

func TestIngestOptions(t *testing.T) {
	e := newEnv(t)
	for _, o := range []feed.IngestOption{feed.WithMaxBytes(10), feed.WithQueue("")} {
		if err := feed.RunIngest(context.Background(), e.nc, e.js, e.kv, o); err == nil {
			t.Error("invalid option accepted")
		}
	}
}
