package streams

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/hedgeflow/hedgeflow/pricing/curve"
	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/nats-io/nats.go/jetstream"
)

// Market data on JetStream: the MARKET stream holds one subject per
// quantity, market.<kind>.<key>, each message a Quote; the MARKET_STATE
// bucket holds the last quote of every quantity under <kind>.<key>.
// Publishers outside hedgeflow send JSON quotes to IngestSubject, where
// they are validated before they reach the stream (docs/market-data.md).
const (
	MarketStream      = "MARKET"
	MarketStateBucket = "MARKET_STATE"
	marketPrefix      = "market."
	// IngestSubject takes JSON quotes from any publisher (a request gets
	// a reply saying what was accepted or what was wrong).
	IngestSubject = "market.ingest"
	// MarketMaxAge bounds how long the stream keeps quotes.
	MarketMaxAge = 30 * 24 * time.Hour
)

// Kinds of quote and their units (the units of the market snapshot YAML).
const (
	// KindFXSpot: USD per unit of the currency Key (EUR, GBP, JPY, CHF,
	// AUD, CAD).
	KindFXSpot = "fx.spot"
	// KindFXVol: one-year ATM implied vol of Key against USD, a fraction
	// (0.08 = 8%).
	KindFXVol = "fx.vol"
	// KindZero: zero rates of currency Key in percent, continuously
	// compounded, at Tenors (years). A quote with a subset of a curve's
	// tenors updates those points; a new tenor is inserted.
	KindZero = "rates.zero"
	// KindSwaptionVol: 1y x 10y normal vol of currency Key in bp a year.
	KindSwaptionVol = "rates.swaption_vol"
	// KindCreditSpread: option-adjusted spread of rating Key (AAA, AA, A,
	// BBB, BB, B) in bp.
	KindCreditSpread = "credit.spread"
	// KindCreditIndex: 5-year spread of index Key (CDX_IG, CDX_HY,
	// ITRAXX_MAIN, ITRAXX_XOVER) in bp.
	KindCreditIndex = "credit.index"
	// KindEquityVol: one-year implied equity index vol, a fraction (VIX /
	// 100); Key names the index (e.g. SPX).
	KindEquityVol = "equity.vol"
	// KindEquityLevel: index level in local currency; Key names the index
	// (SPX, SX5E, UKX, EAFE). It moves the fund's equities in backtests
	// and is kept in the state; the snapshot holds no levels.
	KindEquityLevel = "equity.level"
)

// Kinds lists every kind of quote.
var Kinds = []string{KindFXSpot, KindFXVol, KindZero, KindSwaptionVol, KindCreditSpread, KindCreditIndex, KindEquityVol, KindEquityLevel}

// Quote is one market observation.
type Quote struct {
	Time   time.Time `msgpack:"t" json:"time"`
	Kind   string    `msgpack:"k" json:"kind"`
	Key    string    `msgpack:"key" json:"key"`
	Value  float64   `msgpack:"v,omitempty" json:"value,omitempty"`
	Tenors []float64 `msgpack:"tn,omitempty" json:"tenors,omitempty"`
	Values []float64 `msgpack:"vs,omitempty" json:"values,omitempty"`
	Source string    `msgpack:"src,omitempty" json:"source,omitempty"`
}

// MarketSubject is the subject of a kind and key: market.fx.spot.EUR.
func MarketSubject(kind, key string) string { return marketPrefix + kind + "." + key }

// Subject is the subject the quote is published on.
func (q *Quote) Subject() string { return MarketSubject(q.Kind, q.Key) }

// StateKey is the MARKET_STATE key of the quote's quantity.
func (q *Quote) StateKey() string { return q.Kind + "." + q.Key }

// MsgID deduplicates a quote: the same quantity at the same time.
func (q *Quote) MsgID() string {
	return q.StateKey() + "@" + q.Time.UTC().Format(time.RFC3339Nano)
}

// ErrQuote is wrapped by every error about an invalid quote.
var ErrQuote = errors.New("invalid quote")

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Validate checks a quote received from anywhere; the error names the
// field.
func (q *Quote) Validate() error {
	bad := func(field, format string, a ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrQuote, field, fmt.Sprintf(format, a...))
	}
	if q.Time.IsZero() {
		return bad("time", "missing")
	}
	if q.Time.Year() < 1900 || q.Time.Year() > 2200 {
		return bad("time", "year %d out of range", q.Time.Year())
	}
	if u := strings.ToUpper(q.Key); u != q.Key && q.Kind != KindEquityVol && q.Kind != KindEquityLevel {
		return bad("key", "%q must be written %q (one subject and state key per quantity)", q.Key, u)
	}
	ccy := func() error {
		c, err := market.ParseCcy(q.Key)
		if err != nil {
			return bad("key", "unknown currency %q", q.Key)
		}
		if c == market.USD && (q.Kind == KindFXSpot || q.Kind == KindFXVol) {
			return bad("key", "USD is the base currency")
		}
		return nil
	}
	scalar := func(lo, hi float64, unit string) error {
		if len(q.Tenors) > 0 || len(q.Values) > 0 {
			return bad("values", "a %s quote has one value, not tenors", q.Kind)
		}
		if !finite(q.Value) || !(q.Value > lo && q.Value < hi) {
			return bad("value", "must be in (%g, %g) %s, got %v", lo, hi, unit, q.Value)
		}
		return nil
	}
	switch q.Kind {
	case KindFXSpot:
		if err := ccy(); err != nil {
			return err
		}
		return scalar(0, 1e6, "USD per unit")
	case KindFXVol:
		if err := ccy(); err != nil {
			return err
		}
		return scalar(0, 5, "(a fraction)")
	case KindSwaptionVol:
		if err := ccy(); err != nil {
			return err
		}
		return scalar(0, 1000, "bp")
	case KindZero:
		if err := ccy(); err != nil {
			return err
		}
		if len(q.Tenors) == 0 || len(q.Tenors) != len(q.Values) {
			return bad("tenors", "need as many tenors as values, at least one (got %d and %d)", len(q.Tenors), len(q.Values))
		}
		if q.Value != 0 {
			return bad("value", "a curve quote carries values, not value")
		}
		for i, t := range q.Tenors {
			if !finite(t) || !(t > 0 && t <= 100) {
				return bad(fmt.Sprintf("tenors[%d]", i), "must be in (0, 100] years, got %v", t)
			}
			if i > 0 && !(t > q.Tenors[i-1]) {
				return bad(fmt.Sprintf("tenors[%d]", i), "must increase")
			}
			if v := q.Values[i]; !finite(v) || !(v > -20 && v < 100) {
				return bad(fmt.Sprintf("values[%d]", i), "zero rate must be in (-20, 100) percent, got %v", v)
			}
		}
		return nil
	case KindCreditSpread:
		if _, err := market.ParseRating(q.Key); err != nil {
			return bad("key", "unknown rating %q", q.Key)
		}
		if len(q.Tenors) > 0 || len(q.Values) > 0 || !finite(q.Value) || !(q.Value >= 0 && q.Value < 10000) {
			return bad("value", "must be in [0, 10000) bp, got %v", q.Value)
		}
		return nil
	case KindCreditIndex:
		if _, err := market.ParseIndex(q.Key); err != nil {
			return bad("key", "unknown credit index %q", q.Key)
		}
		return scalar(0, 10000, "bp")
	case KindEquityVol, KindEquityLevel:
		if q.Key == "" || len(q.Key) > 32 || strings.ContainsAny(q.Key, ".*> \t") {
			return bad("key", "an index name of 1 to 32 characters without '.', '*', '>' or spaces, got %q", q.Key)
		}
		if q.Kind == KindEquityVol {
			return scalar(0, 5, "(a fraction)")
		}
		return scalar(0, 1e9, "index points")
	case "":
		return bad("kind", "missing (one of %s)", strings.Join(Kinds, ", "))
	default:
		return bad("kind", "unknown %q (one of %s)", q.Kind, strings.Join(Kinds, ", "))
	}
}

// Apply sets the quote's quantity in s. It validates q first and leaves s
// unchanged on error. An equity level changes nothing in a snapshot
// (changed is false); a quote equal to what s holds is not a change.
func Apply(s *market.Snapshot, q *Quote) (changed bool, err error) {
	if err := q.Validate(); err != nil {
		return false, err
	}
	set := func(p *float64, v float64) bool {
		if *p == v {
			return false
		}
		*p = v
		return true
	}
	switch q.Kind {
	case KindFXSpot:
		c, _ := market.ParseCcy(q.Key)
		return set(&s.FX[c], q.Value), nil
	case KindFXVol:
		c, _ := market.ParseCcy(q.Key)
		return set(&s.FXVol[c], q.Value), nil
	case KindSwaptionVol:
		c, _ := market.ParseCcy(q.Key)
		return set(&s.SwaptionVol[c], q.Value/1e4), nil
	case KindCreditSpread:
		r, _ := market.ParseRating(q.Key)
		return set(&s.Spread[r], q.Value/1e4), nil
	case KindCreditIndex:
		i, _ := market.ParseIndex(q.Key)
		return set(&s.IndexSpread[i], q.Value/1e4), nil
	case KindEquityVol:
		return set(&s.EquityVol, q.Value), nil
	case KindEquityLevel:
		return false, nil
	case KindZero:
		c, _ := market.ParseCcy(q.Key)
		old := s.Curves[c]
		pts := map[float64]float64{}
		for i, t := range old.Times {
			pts[t] = old.Rates[i]
		}
		for i, t := range q.Tenors {
			r := q.Values[i] / 100
			if cur, ok := pts[t]; !ok || cur != r {
				changed = true
				pts[t] = r
			}
		}
		if !changed {
			return false, nil
		}
		ts := make([]float64, 0, len(pts))
		for t := range pts {
			ts = append(ts, t)
		}
		sort.Float64s(ts)
		rs := make([]float64, len(ts))
		for i, t := range ts {
			rs[i] = pts[t]
		}
		z, err := curve.NewZero(ts, rs)
		if err != nil {
			return false, fmt.Errorf("%w: values: the curve %s would be invalid: %v", ErrQuote, q.Key, err)
		}
		s.Curves[c] = z
		return true, nil
	}
	return false, fmt.Errorf("%w: kind: unknown %q", ErrQuote, q.Kind)
}

// QuotesOf decomposes a snapshot into quotes stamped t: one per quantity
// the snapshot holds (every curve whole). Applying them to an empty
// snapshot rebuilds s.
func QuotesOf(s *market.Snapshot, t time.Time, source string) []Quote {
	var qs []Quote
	add := func(kind, key string, v float64) {
		qs = append(qs, Quote{Time: t, Kind: kind, Key: key, Value: v, Source: source})
	}
	for c := market.Ccy(0); c < market.NumCcy; c++ {
		z := s.Curves[c]
		if len(z.Times) > 0 {
			vs := make([]float64, len(z.Rates))
			for i, r := range z.Rates {
				vs[i] = r * 100
			}
			qs = append(qs, Quote{Time: t, Kind: KindZero, Key: c.String(), Tenors: append([]float64(nil), z.Times...), Values: vs, Source: source})
		}
		if c != market.USD {
			add(KindFXSpot, c.String(), s.FX[c])
			add(KindFXVol, c.String(), s.FXVol[c])
		}
		add(KindSwaptionVol, c.String(), s.SwaptionVol[c]*1e4)
	}
	for r := market.Rating(0); r < market.NumRating; r++ {
		add(KindCreditSpread, r.String(), s.Spread[r]*1e4)
	}
	for i := market.Index(0); i < market.NumIndex; i++ {
		add(KindCreditIndex, i.String(), s.IndexSpread[i]*1e4)
	}
	add(KindEquityVol, "SPX", s.EquityVol)
	return qs
}

// EnsureMarket creates or updates the MARKET stream and the MARKET_STATE
// bucket. replicas 0 means 1.
func EnsureMarket(ctx context.Context, js jetstream.JetStream, replicas int) (jetstream.Stream, jetstream.KeyValue, error) {
	if replicas == 0 {
		replicas = 1
	}
	st, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        MarketStream,
		Description: "hedgeflow: market quotes, one subject per quantity (market.<kind>.<key>)",
		Subjects:    []string{marketPrefix + "fx.>", marketPrefix + "rates.>", marketPrefix + "credit.>", marketPrefix + "equity.>"},
		Retention:   jetstream.LimitsPolicy,
		Replicas:    replicas,
		Duplicates:  DuplicateWindow,
		MaxAge:      MarketMaxAge,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("streams: creating %s: %w", MarketStream, err)
	}
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      MarketStateBucket,
		Description: "hedgeflow: the last quote of every market quantity",
		Replicas:    replicas,
		History:     1,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("streams: creating KV %s: %w", MarketStateBucket, err)
	}
	return st, kv, nil
}

// PublishQuote validates q, publishes it on its subject (deduplicated by
// MsgID) and records it as the last state of its quantity, unless the
// state holds a later quote.
func PublishQuote(ctx context.Context, js jetstream.JetStream, kv jetstream.KeyValue, q *Quote) error {
	if err := q.Validate(); err != nil {
		return err
	}
	data, err := Encode(q)
	if err != nil {
		return err
	}
	if _, err := js.Publish(ctx, q.Subject(), data, jetstream.WithMsgID(q.MsgID())); err != nil {
		return fmt.Errorf("streams: publishing %s: %w", q.Subject(), err)
	}
	if kv == nil {
		return nil
	}
	for range 5 {
		e, err := kv.Get(ctx, q.StateKey())
		switch {
		case errors.Is(err, jetstream.ErrKeyNotFound):
			if _, err := kv.Create(ctx, q.StateKey(), data); err == nil {
				return nil
			}
			continue
		case err != nil:
			return fmt.Errorf("streams: market state %s: %w", q.StateKey(), err)
		}
		var cur Quote
		if Decode(e.Value(), &cur) == nil && cur.Time.After(q.Time) {
			return nil // the state holds a later quote
		}
		if _, err := kv.Update(ctx, q.StateKey(), data, e.Revision()); err == nil {
			return nil
		}
	}
	return fmt.Errorf("streams: market state %s: too many concurrent updates", q.StateKey())
}

// LoadMarketState applies every quote of the state bucket to a copy of
// base (nil for an empty snapshot) and returns it, with the equity levels
// and the time of the latest quote.
func LoadMarketState(ctx context.Context, kv jetstream.KeyValue, base *market.Snapshot) (*market.Snapshot, map[string]float64, time.Time, error) {
	s := &market.Snapshot{}
	if base != nil {
		*s = *base
	}
	s.FX[market.USD] = 1
	levels := map[string]float64{}
	var latest time.Time
	qs, err := stateQuotes(ctx, kv)
	if err != nil {
		return nil, nil, latest, err
	}
	for i := range qs {
		q := &qs[i]
		if _, err := Apply(s, q); err != nil {
			return nil, nil, latest, fmt.Errorf("streams: market state %s: %w", q.StateKey(), err)
		}
		if q.Kind == KindEquityLevel {
			levels[q.Key] = q.Value
		}
		if q.Time.After(latest) {
			latest = q.Time
		}
	}
	return s, levels, latest, nil
}

// MarketStateTimes returns the time of the last quote of each quantity in
// the state bucket, by subject (Quote.Subject): a follower of the MARKET
// stream applies the same rule as the bucket, that an older quote never
// replaces a newer one.
func MarketStateTimes(ctx context.Context, kv jetstream.KeyValue) (map[string]time.Time, error) {
	qs, err := stateQuotes(ctx, kv)
	if err != nil {
		return nil, err
	}
	out := make(map[string]time.Time, len(qs))
	for _, q := range qs {
		out[q.Subject()] = q.Time
	}
	return out, nil
}

// stateQuotes reads every quote of the state bucket, in key order.
func stateQuotes(ctx context.Context, kv jetstream.KeyValue) ([]Quote, error) {
	keys, err := kv.ListKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("streams: listing %s: %w", MarketStateBucket, err)
	}
	var names []string
	for k := range keys.Keys() {
		names = append(names, k)
	}
	sort.Strings(names) // deterministic order
	var qs []Quote
	for _, k := range names {
		e, err := kv.Get(ctx, k)
		if err != nil {
			if errors.Is(err, jetstream.ErrKeyNotFound) {
				continue
			}
			return nil, fmt.Errorf("streams: market state %s: %w", k, err)
		}
		var q Quote
		if err := Decode(e.Value(), &q); err != nil {
			return nil, fmt.Errorf("streams: market state %s: %w", k, err)
		}
		qs = append(qs, q)
	}
	return qs, nil
}
