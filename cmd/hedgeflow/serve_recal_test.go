package main

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/producers/feed"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go"
)

// Continuous recalibration in the built binary: serve runs the fund on
// today's market and publishes a first recommendation; an implied-vol
// quote sent to market.ingest by any client moves past its threshold and a
// repriced recommendation follows on hedge.recommendation, saying what
// moved; the recalibrator's run's report is stored like a requested run's.
func TestServeRecalibratesOnAVolMove(t *testing.T) {
	if testing.Short() {
		t.Skip("a hedged run in a process")
	}
	port, hport := freePort(t), freePort(t)
	url := fmt.Sprintf("nats://127.0.0.1:%d", port)
	p, nc := startServe(t, "serve", url, "--listen", fmt.Sprintf("127.0.0.1:%d", port),
		"--http", fmt.Sprintf("127.0.0.1:%d", hport), "--workers", "2", "--store", t.TempDir(),
		"--recal-scenarios", "20", "--recal-paths", "60")
	recs := make(chan streams.Recommendation, 8)
	sub, err := nc.Subscribe(streams.RecommendationSubject, func(m *nats.Msg) {
		var r streams.Recommendation
		if streams.Decode(m.Data, &r) == nil {
			recs <- r
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	latest := func() (streams.Recommendation, bool) {
		var r streams.Recommendation
		m, err := nc.Request("hedge.recommendation.latest", nil, 2*time.Second)
		if err != nil || m.Header.Get("Nats-Service-Error-Code") != "" {
			return r, false
		}
		return r, json.Unmarshal(m.Data, &r) == nil
	}
	deadline := time.Now().Add(3 * time.Minute)
	var first streams.Recommendation
	for {
		if r, ok := latest(); ok {
			first = r
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no first recommendation:\n%s", p.output())
		}
		time.Sleep(200 * time.Millisecond)
	}
	if first.Mode != "run" || len(first.Lines) == 0 || first.MarketTime.IsZero() {
		t.Fatalf("first recommendation: %+v", first)
	}
	// Its run's report is stored: hedge.report knows it.
	m, err := nc.Request("hedge.report", []byte(`{"run_id":"`+first.BaseRunID+`","without":["scenario_metrics"]}`), 10*time.Second)
	if err != nil || m.Header.Get("Nats-Service-Error-Code") != "" {
		t.Fatalf("hedge.report of the recalibrator's run %s: %v %v %s", first.BaseRunID, err, m.Header, m.Data)
	}

	q := streams.Quote{Time: first.MarketTime.Add(time.Hour), Kind: streams.KindFXVol, Key: "EUR", Value: 0.12, Source: "test"}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if r, err := feed.Send(ctx, nc, []streams.Quote{q}); err != nil || r.Accepted != 1 {
		t.Fatalf("market.ingest: %+v %v", r, err)
	}
	for {
		select {
		case r := <-recs:
			if r.Seq <= first.Seq {
				continue
			}
			if r.Mode != "reprice" || len(r.Moves) == 0 || r.Moves[0].Quantity != "fx.vol.EUR" || r.Why == "" {
				t.Fatalf("after an EUR vol move: %+v", r)
			}
			t.Logf("repriced in %.2f s: %s", r.LatencySeconds, r.Why)
			if err := p.stop(t); err != nil {
				t.Errorf("serve exited with %v after SIGTERM", err)
			}
			return
		case <-time.After(time.Until(deadline)):
			t.Fatalf("no recommendation after the vol move:\n%s", p.output())
		}
	}
}
