package backtest

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/producers/feed"
	"github.com/hedgeflow/hedgeflow/producers/history"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/hedgeflow/hedgeflow/streams/streamstest"
	"github.com/nats-io/nats.go/jetstream"
)

func testJetStream(t *testing.T) jetstream.JetStream {
	t.Helper()
	_, js := streamstest.Start(t, streams.ServerOptions{})
	return js
}

// publish puts days on the MARKET stream as the replayer does and returns
// the range they occupy.
func publish(t *testing.T, ctx context.Context, js jetstream.JetStream, days []*Day) StreamRange {
	t.Helper()
	if _, err := feed.BindMarket(ctx, js, 1); err != nil {
		t.Fatal(err)
	}
	first, err := LastSequence(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	var hd []history.Day
	for _, d := range days {
		hd = append(hd, history.Day{Date: d.Date, Market: d.Market, Equity: d.Equity})
	}
	if _, err := feed.Replay(ctx, feed.HistoryQuotes(hd), feed.Max, feed.NewPublisherKV(js, nil).Publish); err != nil {
		t.Fatal(err)
	}
	last, err := LastSequence(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	return StreamRange{First: first + 1, Last: last}
}

// Days published as quotes and read back by the backtest consumer are the
// days published: every quantity of the snapshot (zero rates to the
// rounding of percent units) and every equity level.
func TestStreamDaysRoundTrip(t *testing.T) {
	ctx := context.Background()
	js := testJetStream(t)
	days := synthDays(t, 7)
	// A day without a FTSE level carries the last one.
	delete(days[3].Equity, "UKX")
	r := publish(t, ctx, js, days)
	var got []*Day
	for d, err := range StreamDays(ctx, js, r, nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, d)
	}
	if len(got) != len(days) {
		t.Fatalf("%d days read back, %d published", len(got), len(days))
	}
	for i, d := range got {
		w := days[i]
		if !d.Date.Equal(w.Date) || d.Market.Date != w.Date.Format(time.DateOnly) {
			t.Fatalf("day %d: %s, want %s", i, d.Date, w.Date)
		}
		if err := d.Market.Validate(); err != nil {
			t.Fatalf("day %d: %v", i, err)
		}
		a, b := d.Market, w.Market
		for c := range a.Curves {
			for k, rate := range b.Curves[c].Rates {
				if math.Abs(a.Curves[c].Rates[k]-rate) > 1e-17 || a.Curves[c].Times[k] != b.Curves[c].Times[k] {
					t.Errorf("day %d curve %d node %d: %v, want %v", i, c, k, a.Curves[c].Rates[k], rate)
				}
			}
		}
		if a.FX != b.FX || a.FXVol != b.FXVol || a.EquityVol != b.EquityVol {
			t.Errorf("day %d: FX or vols differ", i)
		}
		for k := range a.Spread {
			if math.Abs(a.Spread[k]-b.Spread[k]) > 1e-17 {
				t.Errorf("day %d spread %d: %v, want %v", i, k, a.Spread[k], b.Spread[k])
			}
		}
		for k := range a.IndexSpread {
			if math.Abs(a.IndexSpread[k]-b.IndexSpread[k]) > 1e-17 {
				t.Errorf("day %d index %d: %v, want %v", i, k, a.IndexSpread[k], b.IndexSpread[k])
			}
		}
		for k, v := range w.Equity {
			if d.Equity[k] != v {
				t.Errorf("day %d %s: %v, want %v", i, k, d.Equity[k], v)
			}
		}
	}
	if got[3].Equity["UKX"] != days[2].Equity["UKX"] {
		t.Errorf("missing UKX not carried: %v", got[3].Equity["UKX"])
	}
	// A window's dates select its days from a longer range.
	n := 0
	for d, err := range StreamDays(ctx, js, StreamRange{First: r.First, Last: r.Last, From: days[2].Date, To: days[4].Date.Add(24 * time.Hour)}, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if !d.Date.Equal(days[2+n].Date) {
			t.Errorf("selected day %d is %s", n, d.Date)
		}
		n++
	}
	if n != 3 {
		t.Errorf("%d days selected, want 3", n)
	}
}

// The stream drives the same backtest as the days themselves.
func TestBacktestFromStream(t *testing.T) {
	ctx := context.Background()
	js := testJetStream(t)
	days := synthDays(t, 8)
	r := publish(t, ctx, js, days)
	cfg := Config{Recalibrator: &Static{Notional: map[string]float64{"fx_forward_EUR": 1e9, "swap_receiver_EUR_20y": 2e9}}}
	direct, err := Run(ctx, "direct", sampleFund(t), Slice(days), cfg)
	if err != nil {
		t.Fatal(err)
	}
	streamed, err := Run(ctx, "stream", sampleFund(t), StreamDays(ctx, js, r, nil), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := range direct.Series.Dates {
		for _, p := range [][2][]float64{{direct.Series.FundedRatioHedged, streamed.Series.FundedRatioHedged},
			{direct.Series.FundedRatioUnhedged, streamed.Series.FundedRatioUnhedged}} {
			if math.Abs(p[0][i]-p[1][i]) > 1e-12 {
				t.Errorf("day %d: %v from the days, %v from the stream", i, p[0][i], p[1][i])
			}
		}
	}
}

func TestStreamDaysErrors(t *testing.T) {
	ctx := context.Background()
	js := testJetStream(t)
	r := publish(t, ctx, js, synthDays(t, 2))
	for _, c := range []struct {
		name string
		r    StreamRange
	}{
		{"empty range", StreamRange{First: 5, Last: 4}},
		{"no quote in the dates", StreamRange{First: r.First, Last: r.Last, From: time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(1999, 2, 1, 0, 0, 0, 0, time.UTC)}},
	} {
		var err error
		for _, e := range StreamDays(ctx, js, c.r, nil) {
			if e != nil {
				err = e
			}
		}
		if !errors.Is(err, ErrData) {
			t.Errorf("%s: error %v", c.name, err)
		}
	}
}
