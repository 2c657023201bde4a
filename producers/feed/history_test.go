package feed_test

import (
	"context"
	"math"
	"os"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/producers/feed"
	"github.com/hedgeflow/hedgeflow/streams"
)

// A week of the 2008 crisis from ../shared/data (HEDGEFLOW_DATA):
// one market state per business day, stamped 21:00 UTC, published and
// read back as the state of the last day.
func TestHistoryQuotes(t *testing.T) {
	dir := os.Getenv("HEDGEFLOW_DATA")
	if dir == "" {
		t.Skip("HEDGEFLOW_DATA is not set: skipping the test against real market history (see docs/market-data.md)")
	}
	from, to := time.Date(2008, 9, 15, 0, 0, 0, 0, time.UTC), time.Date(2008, 9, 19, 0, 0, 0, 0, time.UTC)
	qs, err := feed.LoadHistory(dir, sample(t), from, to)
	if err != nil {
		t.Fatal(err)
	}
	days := map[time.Time]int{}
	for _, q := range qs {
		if q.Time.Hour() != 21 || q.Source != "history" {
			t.Fatalf("%+v", q)
		}
		days[q.Time]++
	}
	// 37 snapshot quotes and 4 equity levels each day.
	if len(days) != 5 || days[to.Add(feed.CloseUTC)] != 41 {
		t.Fatalf("days %v", days)
	}
	e := newEnv(t)
	if n, err := feed.Replay(ctxT(t, 30*time.Second), qs, feed.Max, e.pub.Publish); err != nil || n != len(qs) {
		t.Fatal(n, err)
	}
	s, levels, latest, err := streams.LoadMarketState(context.Background(), e.kv, nil)
	if err != nil {
		t.Fatal(err)
	}
	// VIXCLS is 32.07 and ^GSPC 1255.08 on 2008-09-19 (../shared/data).
	if math.Abs(s.EquityVol-0.3207) > 1e-12 || !latest.Equal(to.Add(feed.CloseUTC)) || math.Abs(levels["SPX"]-1255.08) > 0.005 {
		t.Errorf("state: vol %v, latest %v, levels %v", s.EquityVol, latest, levels)
	}
}
