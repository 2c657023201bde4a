package feed_test

import (
	"context"
	"math"
	"sort"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/producers/feed"
	"github.com/hedgeflow/hedgeflow/streams"
)

var start = time.Date(2025, 1, 2, 9, 0, 0, 0, time.UTC)

func TestSyntheticDeterministicForASeed(t *testing.T) {
	set := feed.SyntheticSettings{Seed: 7, Start: start, Levels: map[string]float64{"SPX": 5881.63, "UKX": 8173}}
	a, err := feed.NewSynthetic(sample(t), set)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := feed.NewSynthetic(sample(t), set)
	set.Seed = 8
	c, _ := feed.NewSynthetic(sample(t), set)
	differ := false
	for tick := range 24 * 120 {
		qa, qb, qc := a.Next(), b.Next(), c.Next()
		if len(qa) != len(qb) || len(qa) != 39 {
			t.Fatalf("tick %d: %d and %d quotes, want 37 + 2 levels", tick, len(qa), len(qb))
		}
		for i := range qa {
			if qa[i].Subject() != qb[i].Subject() || qa[i].Value != qb[i].Value || !qa[i].Time.Equal(qb[i].Time) {
				t.Fatalf("tick %d: %+v != %+v", tick, qa[i], qb[i])
			}
			for j := range qa[i].Values {
				if qa[i].Values[j] != qb[i].Values[j] {
					t.Fatalf("tick %d: %+v != %+v", tick, qa[i], qb[i])
				}
			}
			if qa[i].Value != qc[i].Value {
				differ = true
			}
			if err := qa[i].Validate(); err != nil {
				t.Fatalf("tick %d: %v", tick, err)
			}
		}
		if want := start.Add(time.Duration(tick+1) * time.Second); !qa[0].Time.Equal(want) {
			t.Fatalf("tick %d stamped %v, want %v", tick, qa[0].Time, want)
		}
	}
	if !differ {
		t.Error("seeds 7 and 8 gave the same market")
	}
	if err := a.Market().Validate(); err != nil {
		t.Error(err)
	}
}

// Over two simulated years with the default settings, spikes happen, lift
// the implied vols and spreads, and decay; without spikes the vols stay
// near their base levels; nothing leaves the valid ranges.
func TestSyntheticSpikesAndCalm(t *testing.T) {
	base := sample(t)
	run := func(set feed.SyntheticSettings) (eqMax, fxMax, bbbMax, eqMedian float64, spikes int) {
		g, err := feed.NewSynthetic(base, set)
		if err != nil {
			t.Fatal(err)
		}
		var eqs []float64
		for range 24 * 730 {
			g.Next()
			m := g.Market()
			if err := m.Validate(); err != nil {
				t.Fatal(err)
			}
			eqs = append(eqs, m.EquityVol)
			eqMax = math.Max(eqMax, m.EquityVol)
			fxMax = math.Max(fxMax, m.FXVol[market.EUR])
			bbbMax = math.Max(bbbMax, m.Spread[market.BBB])
		}
		sort.Float64s(eqs)
		return eqMax, fxMax, bbbMax, eqs[len(eqs)/2], g.Spikes()
	}
	eqMax, fxMax, bbbMax, eqMed, spikes := run(feed.SyntheticSettings{Seed: 1, Start: start})
	t.Logf("default: %d spikes in 2 years, equity vol max %.3f median %.3f, EUR vol max %.3f, BBB max %.0f bp", spikes, eqMax, eqMed, fxMax, bbbMax*1e4)
	if spikes < 5 || spikes > 30 {
		t.Errorf("%d spikes in 730 market days at 0.02 a day, want about 15", spikes)
	}
	if eqMax < 1.4*base.EquityVol || fxMax < 1.3*base.FXVol[market.EUR] || bbbMax < 1.5*base.Spread[market.BBB] {
		t.Errorf("spikes not visible: equity vol max %v, EUR vol max %v, BBB max %v", eqMax, fxMax, bbbMax)
	}
	if eqMed > 1.5*base.EquityVol {
		t.Errorf("the equity vol does not come back: median %v (base %v)", eqMed, base.EquityVol)
	}
	eqMax, _, _, _, spikes = run(feed.SyntheticSettings{Seed: 1, Start: start, NoSpikes: true})
	if spikes != 0 || eqMax > 1.3*base.EquityVol {
		t.Errorf("without spikes: %d spikes, equity vol max %v (base %v)", spikes, eqMax, base.EquityVol)
	}
	big, _, _, _, _ := run(feed.SyntheticSettings{Seed: 1, Start: start, SpikeProb: 0.05, SpikeSize: 2})
	if big < 2*base.EquityVol {
		t.Errorf("spikes of size 2: equity vol max %v, want at least twice the base %v", big, base.EquityVol)
	}
}

func TestSyntheticSettingsErrors(t *testing.T) {
	for _, set := range []feed.SyntheticSettings{
		{SpikeProb: 2}, {SpikeProb: -0.1}, {SpikeSize: -1}, {Step: -time.Second}, {Step: 40 * 24 * time.Hour},
		{Interval: -time.Second}, {Ticks: -1}, {Levels: map[string]float64{"SPX": -1}},
	} {
		if _, err := feed.NewSynthetic(sample(t), set); err == nil {
			t.Errorf("%+v accepted", set)
		}
	}
	if _, err := feed.NewSynthetic(nil, feed.SyntheticSettings{}); err == nil {
		t.Error("nil base accepted")
	}
}

// Run publishes every tick's quotes at Interval and stops after Ticks.
func TestSyntheticRunPublishes(t *testing.T) {
	e := newEnv(t)
	g, err := feed.NewSynthetic(sample(t), feed.SyntheticSettings{Seed: 3, Interval: 20 * time.Millisecond, Ticks: 4})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	n, err := g.Run(context.Background(), e.pub.Publish)
	if err != nil || n != 4 {
		t.Fatal(n, err)
	}
	if d := time.Since(t0); d < 60*time.Millisecond {
		t.Errorf("4 ticks 20 ms apart took %v", d)
	}
	if c := e.count(t); c != 4*37 {
		t.Errorf("%d quotes on the stream, want %d", c, 4*37)
	}
	// ctx's end is a clean stop: cancelled once the first tick is out
	// (not on a timer, which a loaded machine can beat), the run ends
	// before its second tick, an hour away, without an error.
	g, _ = feed.NewSynthetic(sample(t), feed.SyntheticSettings{Seed: 3, Interval: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	published := 0
	cancelAfterTick := func(ctx context.Context, q *streams.Quote) error {
		err := e.pub.Publish(ctx, q)
		if published++; published == 37 {
			cancel()
		}
		return err
	}
	if n, err := g.Run(ctx, cancelAfterTick); err != nil || n != 1 {
		t.Errorf("cancelled run: %d ticks, %v", n, err)
	}
}
