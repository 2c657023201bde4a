package run

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/input"
	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/hedgeflow/hedgeflow/streams/streamstest"
	"github.com/nats-io/nats.go/jetstream"
)

// recalSetup starts a server and returns its JetStream, hedged run
// options of 20 x 50 on it, and a context that ends with the test, after
// d, or when cancelled.
func recalSetup(t *testing.T, d time.Duration) (jetstream.JetStream, Options, context.Context, context.CancelFunc) {
	t.Helper()
	nc, js := streamstest.Start(t, streams.ServerOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	base := sampleOptions()
	base.NoHedging = false
	base.Scenarios, base.Paths, base.Conn = 20, 50, nc
	return js, base, ctx, cancel
}

// The recalibrator makes a first recommendation, ignores moves below the
// thresholds, re-uses the paths when only implied vols moved (and then
// agrees with a fresh run on the new market with the same seed), and
// simulates again when spot moved.
func TestRecalibrator(t *testing.T) {
	if testing.Short() {
		t.Skip("hedged runs")
	}
	js, base, ctx, cancel := recalSetup(t, 4*time.Minute)
	var fullRuns atomic.Int32
	base.OnResult = func(*Result) { fullRuns.Add(1) }
	recs := make(chan *streams.Recommendation, 16)
	r, err := NewRecalibrator(RecalOptions{Base: base, OnRecommendation: func(x *streams.Recommendation) { recs <- x }})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	next := func(what string) *streams.Recommendation {
		t.Helper()
		select {
		case x := <-recs:
			return x
		case err := <-done:
			t.Fatalf("%s: recalibrator stopped: %v", what, err)
		case <-ctx.Done():
			t.Fatalf("%s: no recommendation", what)
		}
		return nil
	}
	first := next("first")
	if first.Mode != "run" || first.Seq != 1 || len(first.Lines) == 0 || first.BaseRunID == "" || first.MarketTime.IsZero() {
		t.Fatalf("first recommendation: %+v", first)
	}
	h, err := streams.Bind(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := streams.LatestRecommendation(ctx, h); err != nil || got.Seq != 1 {
		t.Fatalf("latest in KV: %+v, %v", got, err)
	}

	_, kv, err := streams.EnsureMarket(ctx, js, 0)
	if err != nil {
		t.Fatal(err)
	}
	mk, err := input.ParseMarket("m", base.MarketYAML)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2025, 1, 2, 14, 0, 0, 0, time.UTC)
	pub := func(q streams.Quote) {
		t.Helper()
		if err := streams.PublishQuote(ctx, js, kv, &q); err != nil {
			t.Fatal(err)
		}
	}
	// A historical quote (a replay onto the same stream, not into the
	// state bucket) older than the state's quote of its quantity: ignored,
	// so the next recommendation does not move GBP vol.
	if err := streams.PublishQuote(ctx, js, nil, &streams.Quote{Time: time.Date(2008, 10, 10, 0, 0, 0, 0, time.UTC),
		Kind: streams.KindFXVol, Key: "GBP", Value: 0.30, Source: "replay"}); err != nil {
		t.Fatal(err)
	}
	// Below the 0.5-point threshold: nothing. Then past it: a
	// recommendation whose move is measured from the last recommendation's
	// market (the two moves add up).
	pub(streams.Quote{Time: t0, Kind: streams.KindFXVol, Key: "EUR", Value: mk.FXVol[market.EUR] + 0.003})
	pub(streams.Quote{Time: t0.Add(time.Minute), Kind: streams.KindFXVol, Key: "EUR", Value: mk.FXVol[market.EUR] + 0.04})
	pub(streams.Quote{Time: t0.Add(time.Minute), Kind: streams.KindSwaptionVol, Key: "USD", Value: mk.SwaptionVol[market.USD]*1e4 + 20})
	rep := next("vol move")
	if rep.Seq != 2 || rep.Mode != "reprice" {
		t.Fatalf("after a vol move: seq %d mode %q, want 2 reprice", rep.Seq, rep.Mode)
	}
	var sawEUR bool
	for _, m := range rep.Moves {
		if m.Quantity == "fx.vol.GBP" {
			t.Errorf("a 2008 quote moved the live market: %+v", m)
		}
		if m.Quantity == "fx.vol.EUR" {
			sawEUR = true
			if math.Abs(m.To-m.From-4) > 1e-9 {
				t.Errorf("EUR vol move %v → %v, want 4 points", m.From, m.To)
			}
		}
	}
	if !sawEUR || rep.Why == "" || !strings.Contains(rep.Why, "fx.vol.EUR") || rep.LatencySeconds <= 0 {
		t.Errorf("reprice recommendation: %+v", rep)
	}

	// The repriced programme is the one a fresh run on the new market finds.
	mk1 := *mk
	mk1.FXVol[market.EUR] += 0.04
	mk1.SwaptionVol[market.USD] += 0.0020
	y, err := input.MarshalMarket(&mk1, "test")
	if err != nil {
		t.Fatal(err)
	}
	fresh := base
	fresh.MarketYAML = y
	fresh.OnResult = nil
	var res *Result
	fresh.OnResult = func(x *Result) { res = x }
	if _, err := Execute(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	got := res.Programmes.Recommended
	if rel := math.Abs(got.Metrics.CVaR95/rep.CVaR95 - 1); rel > 1e-4 {
		t.Errorf("repriced CVaR95 %v, fresh run %v (rel %g)", rep.CVaR95, got.Metrics.CVaR95, rel)
	}
	if rel := math.Abs(got.CostBps/rep.CostBps - 1); rel > 1e-3 {
		t.Errorf("repriced cost %v bp, fresh run %v bp", rep.CostBps, got.CostBps)
	}
	lines := map[string]float64{}
	for _, l := range rep.Lines {
		lines[l.ID] = l.NotionalUSD
	}
	for _, p := range got.Hedges {
		if w, ok := lines[p.ID]; !ok || math.Abs(w-p.NotionalUSD) > 1e-3*math.Abs(p.NotionalUSD)+1e6 {
			t.Errorf("%s: fresh run %v, repriced %v (present %v)", p.ID, p.NotionalUSD, w, ok)
		}
	}
	if len(got.Hedges) != len(rep.Lines) {
		t.Errorf("fresh run has %d lines, repriced %d", len(got.Hedges), len(rep.Lines))
	}

	// A spot move: the paths change, the scenarios are simulated again.
	pub(streams.Quote{Time: t0.Add(2 * time.Minute), Kind: streams.KindFXSpot, Key: "EUR", Value: mk.FX[market.EUR] * 0.97})
	rer := next("spot move")
	if rer.Seq != 3 || rer.Mode != "rerun" || rer.BaseRunID == rep.BaseRunID {
		t.Fatalf("after a spot move: seq %d mode %q base %s", rer.Seq, rer.Mode, rer.BaseRunID)
	}
	if n := fullRuns.Load(); n != 2 {
		t.Errorf("the caller's OnResult saw %d full runs, want 2 (the first and the rerun)", n)
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("recalibrator: %v", err)
	}
}

// RecalOptions.Holdings is read before every full run and reprice: the
// run optimises around that book (its decision says keep or rebalance),
// and a book that cannot be read fails that recalibration, saying so.
func TestRecalibratorReadsHoldings(t *testing.T) {
	if testing.Short() {
		t.Skip("hedged runs")
	}
	js, base, ctx, _ := recalSetup(t, 2*time.Minute)
	var res *Result
	base.OnResult = func(x *Result) { res = x }
	book := map[string]float64{"fx_forward_EUR": -1e9}
	reads := 0
	var unreadable error
	r, err := NewRecalibrator(RecalOptions{Base: base, Holdings: func() (map[string]float64, error) {
		reads++
		return book, unreadable
	}})
	if err != nil {
		t.Fatal(err)
	}
	h, err := streams.Ensure(ctx, js, base.Topology)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := streams.EnsureRecommendations(ctx, js, 0); err != nil {
		t.Fatal(err)
	}
	mk, err := input.ParseMarket("m", base.MarketYAML)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := r.Recalibrate(ctx, h, mk, now, now); err != nil {
		t.Fatal(err)
	}
	if reads != 1 || res == nil || res.Policy.Holdings["fx_forward_EUR"] != -1e9 || res.Programmes == nil || res.Programmes.Decision == "" {
		t.Fatalf("after %d reads: policy holdings %v, decision %q", reads, res.Policy.Holdings, res.Programmes.Decision)
	}
	unreadable = errors.New("book.yaml: no such file")
	if err := r.Recalibrate(ctx, h, mk, now, now); err == nil || !strings.Contains(err.Error(), "holdings: book.yaml: no such file") {
		t.Errorf("with an unreadable book: %v", err)
	}
	if reads != 2 {
		t.Errorf("%d reads of the book, want 2", reads)
	}
}

func TestRecalibratorOptions(t *testing.T) {
	if _, err := NewRecalibrator(RecalOptions{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("no connection: %v", err)
	}
}
