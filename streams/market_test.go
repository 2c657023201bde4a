package streams_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/input"
	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/hedgeflow/hedgeflow/streams/streamstest"
)

func sample(t *testing.T) *market.Snapshot {
	t.Helper()
	s, err := input.ParseMarket("market.yaml", examples.Market)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sameSnapshot(t *testing.T, a, b *market.Snapshot) {
	t.Helper()
	near := func(what string, x, y float64) {
		if math.Abs(x-y) > 1e-12*math.Max(1, math.Abs(x)) {
			t.Errorf("%s: %v != %v", what, x, y)
		}
	}
	for c := market.Ccy(0); c < market.NumCcy; c++ {
		if len(a.Curves[c].Times) != len(b.Curves[c].Times) {
			t.Fatalf("curve %s: %d tenors != %d", c, len(a.Curves[c].Times), len(b.Curves[c].Times))
		}
		for i := range a.Curves[c].Times {
			near("curve "+c.String()+" tenor", a.Curves[c].Times[i], b.Curves[c].Times[i])
			near("curve "+c.String()+" rate", a.Curves[c].Rates[i], b.Curves[c].Rates[i])
		}
		near("fx "+c.String(), a.FX[c], b.FX[c])
		near("fx vol "+c.String(), a.FXVol[c], b.FXVol[c])
		near("swaption vol "+c.String(), a.SwaptionVol[c], b.SwaptionVol[c])
	}
	for r := range market.NumRating {
		near("spread "+r.String(), a.Spread[r], b.Spread[r])
	}
	for i := range market.NumIndex {
		near("index "+i.String(), a.IndexSpread[i], b.IndexSpread[i])
	}
	near("equity vol", a.EquityVol, b.EquityVol)
}

func TestQuotesRebuildTheSnapshot(t *testing.T) {
	s := sample(t)
	got := &market.Snapshot{Date: s.Date, FX: [market.NumCcy]float64{market.USD: 1}}
	for _, q := range streams.QuotesOf(s, time.Date(2024, 12, 31, 21, 0, 0, 0, time.UTC), "test") {
		if _, err := streams.Apply(got, &q); err != nil {
			t.Fatalf("%s: %v", q.Subject(), err)
		}
	}
	sameSnapshot(t, s, got)
	if err := got.Validate(); err != nil {
		t.Fatal(err)
	}
	// And the YAML a run would carry reads back to the same market.
	y, err := input.MarshalMarket(got, "quotes")
	if err != nil {
		t.Fatal(err)
	}
	back, err := input.ParseMarket("state.yaml", y)
	if err != nil {
		t.Fatalf("%v\n%s", err, y)
	}
	sameSnapshot(t, s, back)
}

func TestApplyPointAndNoChange(t *testing.T) {
	s := sample(t)
	tm := time.Date(2025, 1, 2, 15, 0, 0, 0, time.UTC)
	q := streams.Quote{Time: tm, Kind: streams.KindZero, Key: "USD", Tenors: []float64{10}, Values: []float64{4.60}}
	ch, err := streams.Apply(s, &q)
	if err != nil || !ch {
		t.Fatalf("changed %v err %v", ch, err)
	}
	if got := s.Curves[market.USD].Rate(10); math.Abs(got-0.046) > 1e-12 {
		t.Errorf("10y after the point quote: %v", got)
	}
	if n := len(s.Curves[market.USD].Times); n != 8 {
		t.Errorf("the point replaced the 10y tenor, so 8 tenors, got %d", n)
	}
	if ch, _ := streams.Apply(s, &q); ch {
		t.Error("the same quote again is no change")
	}
	q = streams.Quote{Time: tm, Kind: streams.KindZero, Key: "USD", Tenors: []float64{7}, Values: []float64{4.5}}
	if _, err := streams.Apply(s, &q); err != nil || len(s.Curves[market.USD].Times) != 9 {
		t.Fatalf("a new tenor is inserted: %v, %d tenors", err, len(s.Curves[market.USD].Times))
	}
	lv := streams.Quote{Time: tm, Kind: streams.KindEquityLevel, Key: "SPX", Value: 5881.63}
	if ch, err := streams.Apply(s, &lv); ch || err != nil {
		t.Errorf("an equity level changes no snapshot: %v %v", ch, err)
	}
}

func TestBadQuotesNameTheField(t *testing.T) {
	tm := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		q     streams.Quote
		field string
	}{
		{streams.Quote{Kind: streams.KindFXSpot, Key: "EUR", Value: 1.03}, "time"},
		{streams.Quote{Time: tm, Key: "EUR", Value: 1}, "kind"},
		{streams.Quote{Time: tm, Kind: "fx.spt", Key: "EUR", Value: 1}, "kind"},
		{streams.Quote{Time: tm, Kind: streams.KindFXSpot, Key: "XYZ", Value: 1}, "key"},
		{streams.Quote{Time: tm, Kind: streams.KindFXSpot, Key: "USD", Value: 1}, "key"},
		{streams.Quote{Time: tm, Kind: streams.KindFXSpot, Key: "eur", Value: 1}, "key"},
		{streams.Quote{Time: tm, Kind: streams.KindFXVol, Key: "EUR", Value: -0.1}, "value"},
		{streams.Quote{Time: tm, Kind: streams.KindFXVol, Key: "EUR", Value: math.NaN()}, "value"},
		{streams.Quote{Time: tm, Kind: streams.KindSwaptionVol, Key: "USD", Value: math.Inf(1)}, "value"},
		{streams.Quote{Time: tm, Kind: streams.KindZero, Key: "USD", Tenors: []float64{1, 2}, Values: []float64{4}}, "tenors"},
		{streams.Quote{Time: tm, Kind: streams.KindZero, Key: "USD", Tenors: []float64{2, 1}, Values: []float64{4, 4}}, "tenors[1]"},
		{streams.Quote{Time: tm, Kind: streams.KindZero, Key: "USD", Tenors: []float64{1}, Values: []float64{math.NaN()}}, "values[0]"},
		{streams.Quote{Time: tm, Kind: streams.KindCreditSpread, Key: "CCC", Value: 500}, "key"},
		{streams.Quote{Time: tm, Kind: streams.KindCreditIndex, Key: "CDX_IG", Value: 0}, "value"},
		{streams.Quote{Time: tm, Kind: streams.KindEquityLevel, Key: "S.PX", Value: 10}, "key"},
	} {
		err := c.q.Validate()
		if !errors.Is(err, streams.ErrQuote) || !strings.Contains(err.Error(), ": "+c.field+": ") {
			t.Errorf("%+v: want an error naming %q, got %v", c.q, c.field, err)
		}
		s := sample(t)
		before, _ := input.MarshalMarket(s, "")
		if _, err := streams.Apply(s, &c.q); err == nil {
			t.Errorf("%+v applied", c.q)
		}
		if after, _ := input.MarshalMarket(s, ""); string(after) != string(before) {
			t.Errorf("%+v changed the snapshot though invalid", c.q)
		}
	}
}

func TestMarketStateOnJetStream(t *testing.T) {
	_, js := streamstest.Start(t, streams.ServerOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, kv, err := streams.EnsureMarket(ctx, js, 0)
	if err != nil {
		t.Fatal(err)
	}
	s := sample(t)
	t0 := time.Date(2024, 12, 31, 21, 0, 0, 0, time.UTC)
	qs := streams.QuotesOf(s, t0, "test")
	for i := range qs {
		if err := streams.PublishQuote(ctx, js, kv, &qs[i]); err != nil {
			t.Fatal(err)
		}
	}
	// A later EUR vol, then a stale one that must not win, then a
	// duplicate that the stream drops.
	later := streams.Quote{Time: t0.Add(time.Hour), Kind: streams.KindFXVol, Key: "EUR", Value: 0.09}
	stale := streams.Quote{Time: t0.Add(-time.Hour), Kind: streams.KindFXVol, Key: "EUR", Value: 0.05}
	for _, q := range []*streams.Quote{&later, &stale, &later} {
		if err := streams.PublishQuote(ctx, js, kv, q); err != nil {
			t.Fatal(err)
		}
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := uint64(len(qs) + 2); info.State.Msgs != want {
		t.Errorf("stream holds %d quotes, want %d (the duplicate dropped)", info.State.Msgs, want)
	}
	got, _, latest, err := streams.LoadMarketState(ctx, kv, &market.Snapshot{Date: s.Date})
	if err != nil {
		t.Fatal(err)
	}
	if got.FXVol[market.EUR] != 0.09 || !latest.Equal(later.Time) {
		t.Errorf("state EUR vol %v at %v, want 0.09 at %v", got.FXVol[market.EUR], latest, later.Time)
	}
	got.FXVol[market.EUR] = s.FXVol[market.EUR]
	sameSnapshot(t, s, got)
	bad := streams.Quote{Time: t0, Kind: streams.KindFXVol, Key: "EUR", Value: -1}
	if err := streams.PublishQuote(ctx, js, kv, &bad); !errors.Is(err, streams.ErrQuote) {
		t.Errorf("a bad quote is refused before publishing: %v", err)
	}
}
