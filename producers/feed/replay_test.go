package feed_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/producers/feed"
	"github.com/hedgeflow/hedgeflow/streams"
)

// streamsOf is a varied set of quotes: the sample market at two times.
func streamsOf(t testing.TB) []streams.Quote {
	t.Helper()
	s := sample(t)
	t0 := time.Date(2025, 1, 2, 15, 0, 0, 0, time.UTC)
	qs := streams.QuotesOf(s, t0, "test")
	s.FX[1] *= 1.01
	s.EquityVol = 0.25
	qs = append(qs, streams.QuotesOf(s, t0.Add(time.Minute), "test")...)
	qs = append(qs, streams.Quote{Time: t0.Add(2 * time.Minute), Kind: streams.KindEquityLevel, Key: "SPX", Value: 5881.63, Source: "test"})
	return qs
}

func sameQuotes(t *testing.T, got, want []streams.Quote) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d quotes, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if !g.Time.Equal(w.Time) || g.Subject() != w.Subject() || g.Value != w.Value || g.Source != w.Source || len(g.Values) != len(w.Values) {
			t.Fatalf("quote %d: %+v, want %+v", i, g, w)
		}
		for j := range w.Values {
			if g.Values[j] != w.Values[j] || g.Tenors[j] != w.Tenors[j] {
				t.Fatalf("quote %d point %d: %+v, want %+v", i, j, g, w)
			}
		}
	}
}

func TestParseSpeed(t *testing.T) {
	for in, want := range map[string]feed.Speed{"3600x": 3600, "1x": 1, "0.5x": 0.5, "MAX": feed.Max, " 36000X ": 36000} {
		got, err := feed.ParseSpeed(in)
		if err != nil || got != want {
			t.Errorf("%q: %v %v, want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "3600", "x", "0x", "-1x", "NaNx", "infx", "fast", "1e13x"} {
		if _, err := feed.ParseSpeed(in); !errors.Is(err, feed.ErrSpeed) {
			t.Errorf("%q: %v", in, err)
		}
	}
	if s := feed.Speed(3600).String(); s != "3600x" {
		t.Errorf("String %q", s)
	}
}

// Two quotes an hour apart at 36000x take 100 ms; at max, no wait. The
// bounds are loose: only the order of magnitude is the point.
func TestReplaySpeed(t *testing.T) {
	t0 := time.Date(2025, 1, 2, 15, 0, 0, 0, time.UTC)
	mk := func() []streams.Quote {
		return []streams.Quote{
			{Time: t0.Add(time.Hour), Kind: streams.KindFXSpot, Key: "EUR", Value: 1.04},
			{Time: t0, Kind: streams.KindFXSpot, Key: "EUR", Value: 1.03},
		}
	}
	var got []float64
	var at []time.Duration
	start := time.Now()
	pub := func(_ context.Context, q *streams.Quote) error {
		got = append(got, q.Value)
		at = append(at, time.Since(start))
		return nil
	}
	n, err := feed.Replay(context.Background(), mk(), 36000, pub)
	if err != nil || n != 2 {
		t.Fatal(n, err)
	}
	if got[0] != 1.03 || got[1] != 1.04 {
		t.Errorf("time order: %v", got)
	}
	// start is taken before Replay's own clock starts, so at[1] is at
	// least the 100 ms however late the first quote went out.
	if at[1] < 100*time.Millisecond || at[1] > 3*time.Second {
		t.Errorf("an hour at 36000x took %v, want about 100 ms", at[1])
	}
	got, at, start = nil, nil, time.Now()
	if _, err := feed.Replay(context.Background(), mk(), feed.Max, pub); err != nil {
		t.Fatal(err)
	}
	if d := at[1] - at[0]; d > 50*time.Millisecond {
		t.Errorf("max speed waited %v", d)
	}
	// At 1x the hour is not waited out when ctx ends.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	got = nil
	n, err = feed.Replay(ctx, mk(), 1, pub)
	if n != 1 || !errors.Is(err, context.DeadlineExceeded) || len(got) != 1 {
		t.Errorf("cancelled replay: %d published, %v", n, err)
	}
	if _, err := feed.Replay(context.Background(), mk(), feed.Speed(math.NaN()), pub); err == nil {
		t.Error("NaN speed")
	}
}

// A recording of the stream, replayed onto another server and recorded
// there, gives the same quotes in the same order.
func TestRecordReplayRoundTrip(t *testing.T) {
	a, b := newEnv(t), newEnv(t)
	qs := streamsOf(t)
	for i := range qs {
		if err := a.pub.Publish(context.Background(), &qs[i]); err != nil {
			t.Fatal(err)
		}
	}
	var rec bytes.Buffer
	st, err := feed.Record(ctxT(t, 10*time.Second), a.js, &rec, feed.RecordOptions{All: true, Max: len(qs)})
	if err != nil || st.Quotes != len(qs) || st.LastSeq != uint64(len(qs)) {
		t.Fatalf("record: %+v %v", st, err)
	}
	lines, err := feed.ReadJSONL("rec.jsonl", bytes.NewReader(rec.Bytes()))
	if err != nil || len(lines.Errors) != 0 {
		t.Fatal(err, lines.Errors)
	}
	sameQuotes(t, lines.Quotes, qs)
	n, err := feed.Replay(ctxT(t, 10*time.Second), lines.Quotes, feed.Max, b.pub.Publish)
	if err != nil || n != len(qs) {
		t.Fatal(n, err)
	}
	var again bytes.Buffer
	if _, err := feed.Record(ctxT(t, 10*time.Second), b.js, &again, feed.RecordOptions{All: true, Max: len(qs)}); err != nil {
		t.Fatal(err)
	}
	if again.String() != rec.String() {
		t.Errorf("the replayed stream records differently:\n%s\nvs\n%s", again.String(), rec.String())
	}
	// The state bucket of the replay holds the latest of each quantity.
	s, levels, latest, err := streams.LoadMarketState(ctxT(t, 10*time.Second), b.kv, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.EquityVol != 0.25 || levels["SPX"] != 5881.63 || !latest.Equal(qs[len(qs)-1].Time) {
		t.Errorf("state: vol %v levels %v latest %v", s.EquityVol, levels, latest)
	}
}
