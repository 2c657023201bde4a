package run

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hedgeflow/hedgeflow/agents"
	"github.com/hedgeflow/hedgeflow/consumers"
	"github.com/hedgeflow/hedgeflow/input"
	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/pricing/sim"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go/jetstream"
)

// Thresholds say when a market move is material: a recalibration starts
// when a quantity has moved past its threshold since the market of the
// last recommendation (so that small moves add up). Zero fields take the
// defaults.
type Thresholds struct {
	FXSpotPct      float64 `yaml:"fx_spot_pct"`      // relative move, percent; default 0.5
	FXVolPts       float64 `yaml:"fx_vol_pts"`       // vol points; default 0.5
	SwaptionVolBps float64 `yaml:"swaption_vol_bps"` // bp a year; default 5
	CurveBps       float64 `yaml:"curve_bps"`        // largest move of any zero rate; default 5
	SpreadBps      float64 `yaml:"spread_bps"`       // credit spreads by rating; default 5
	IndexBps       float64 `yaml:"index_bps"`        // credit index spreads; default 5
	EquityVolPts   float64 `yaml:"equity_vol_pts"`   // vol points; default 1
}

func (t *Thresholds) setDefaults() {
	def := func(p *float64, v float64) {
		if *p == 0 {
			*p = v
		}
	}
	def(&t.FXSpotPct, 0.5)
	def(&t.FXVolPts, 0.5)
	def(&t.SwaptionVolBps, 5)
	def(&t.CurveBps, 5)
	def(&t.SpreadBps, 5)
	def(&t.IndexBps, 5)
	def(&t.EquityVolPts, 1)
}

func (t *Thresholds) validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"fx_spot_pct", t.FXSpotPct}, {"fx_vol_pts", t.FXVolPts}, {"swaption_vol_bps", t.SwaptionVolBps},
		{"curve_bps", t.CurveBps}, {"spread_bps", t.SpreadBps}, {"index_bps", t.IndexBps}, {"equity_vol_pts", t.EquityVolPts}} {
		if !(f.v > 0) || math.IsInf(f.v, 0) {
			return fmt.Errorf("%w: thresholds.%s: must be positive and finite, got %v", ErrInvalid, f.name, f.v)
		}
	}
	return nil
}

// RecalOptions configure a Recalibrator.
type RecalOptions struct {
	// Base are the options of every run the recalibrator makes (fund,
	// configuration, scenarios, paths, seed, policy). Base.Conn is
	// required; Base.MarketYAML is the market to start from when the
	// MARKET_STATE bucket is empty (it is then published as quotes).
	Base       Options
	Thresholds Thresholds
	// Holdings, if set, is called before every full run and reprice for
	// the hedges held then (agents.Policy.Holdings, replacing
	// Base.Policy.Holdings): a service reads its holdings file again, so
	// that the book the risk team updates after it trades is the one the
	// next recommendation keeps or trades away from. An error fails that
	// recalibration (the previous recommendation stands).
	Holdings func() (map[string]float64, error)
	// Coalesce is how long to wait, after a material move, for more quotes
	// of the same burst before recalibrating; default 20 ms. Quotes that
	// arrive during a recalibration are coalesced into the next one.
	Coalesce time.Duration
	Log      *slog.Logger
	// OnRecommendation, if set, is called after each recommendation is
	// published.
	OnRecommendation func(*streams.Recommendation)
	// Slot, if set, is called before every full run (the first, and each
	// rerun) and its release after: a service passes its run slots
	// (serve.Server.RunSlot), so that a rerun queues with the requested
	// runs instead of competing with them for the CPUs. A reprice (about
	// a second of optimisation) does not wait for one.
	Slot func(ctx context.Context) (release func(), err error)
}

// A Recalibrator keeps the recommendation current: it runs the fund on
// today's market, then follows the MARKET stream and, when a move is
// material, recalibrates on the same scenario seeds and publishes a new
// recommendation saying what changed and why.
//
// When only implied vols moved since the last full run, the run's paths
// do not change (they are driven by the scenarios' own vols): only the
// option hedges' premiums do, and the hedge P&L on every path shifts by
// the premium change (sim.PremiumShift, exact). The programme is then
// re-optimised on the shifted numbers, without simulating again
// ("reprice"). Any other move re-simulates the scenarios with the same
// seeds ("rerun").
type Recalibrator struct {
	o  RecalOptions
	mu sync.Mutex
	// base is the last full run; baseMarket its market.
	base       *Result
	baseMarket *market.Snapshot
	// recMarket is the market of the last recommendation; last the
	// recommendation.
	recMarket *market.Snapshot
	last      *streams.Recommendation
	seq       uint64
}

// NewRecalibrator checks o and returns a recalibrator.
func NewRecalibrator(o RecalOptions) (*Recalibrator, error) {
	if o.Base.Conn == nil {
		return nil, fmt.Errorf("%w: recalibrator: a NATS connection is required", ErrInvalid)
	}
	if o.Base.NoHedging {
		return nil, fmt.Errorf("%w: recalibrator: there is nothing to recalibrate without hedging", ErrInvalid)
	}
	o.Thresholds.setDefaults()
	if err := o.Thresholds.validate(); err != nil {
		return nil, err
	}
	if o.Coalesce == 0 {
		o.Coalesce = 20 * time.Millisecond
	}
	if o.Coalesce < 0 || o.Coalesce > time.Minute {
		return nil, fmt.Errorf("%w: coalesce: must be in [0, 1m], got %v", ErrInvalid, o.Coalesce)
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Recalibrator{o: o}, nil
}

// Latest returns the latest recommendation, nil before the first.
func (r *Recalibrator) Latest() *streams.Recommendation {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last
}

type arrival struct {
	q  streams.Quote
	at time.Time // when JetStream stored it
}

// Run makes the first recommendation on the current market state, then
// follows the market until ctx ends.
func (r *Recalibrator) Run(ctx context.Context) error {
	js, err := jetstream.New(r.o.Base.Conn)
	if err != nil {
		return err
	}
	st, kv, err := streams.EnsureMarket(ctx, js, r.o.Base.Topology.Replicas)
	if err != nil {
		return err
	}
	if _, err := streams.EnsureRecommendations(ctx, js, r.o.Base.Topology.Replicas); err != nil {
		return err
	}
	h, err := streams.Ensure(ctx, js, r.o.Base.Topology)
	if err != nil {
		return err
	}
	seed, err := input.ParseMarket(r.o.Base.MarketFile, r.o.Base.MarketYAML)
	if err != nil {
		return fmt.Errorf("recalibrator: starting market: %w", err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return err
	}
	from := info.State.LastSeq + 1
	mk, _, latest, err := streams.LoadMarketState(ctx, kv, seed)
	if err != nil {
		return err
	}
	if latest.IsZero() {
		// An empty state: today's market is the starting file.
		t, err := time.Parse("2006-01-02", seed.Date)
		if err != nil {
			t = time.Now().UTC()
		}
		latest = t
		qs := streams.QuotesOf(seed, t, "recalibrator: "+r.o.Base.MarketFile)
		for i := range qs {
			if err := streams.PublishQuote(ctx, js, kv, &qs[i]); err != nil {
				return err
			}
		}
		info, err := st.Info(ctx)
		if err != nil {
			return err
		}
		from = info.State.LastSeq + 1
		mk = seed
	} else {
		mk.Date = latest.UTC().Format("2006-01-02")
	}
	// A quote older than the last one of its quantity is ignored, as the
	// state bucket ignores it: a replay of historical quotes onto the
	// same MARKET stream (hedgeflow replay --nats) must not move the live
	// market.
	asOf, err := streams.MarketStateTimes(ctx, kv)
	if err != nil {
		return err
	}
	current := func(q *streams.Quote) bool {
		sub := q.Subject()
		if t, ok := asOf[sub]; ok && q.Time.Before(t) {
			r.o.Log.Debug("market quote older than the last of its quantity ignored", "subject", sub, "time", q.Time, "last", t)
			return false
		}
		asOf[sub] = q.Time
		return true
	}
	if err := r.fullRun(ctx, h, mk, nil, time.Now(), latest); err != nil {
		return err
	}

	cons, err := js.OrderedConsumer(ctx, streams.MarketStream, jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: from,
	})
	if err != nil {
		return fmt.Errorf("recalibrator: following %s: %w", streams.MarketStream, err)
	}
	in := make(chan arrival, 1024)
	msgs, err := cons.Messages()
	if err != nil {
		return err
	}
	go func() {
		<-ctx.Done()
		msgs.Stop()
	}()
	go func() {
		defer close(in)
		for {
			m, err := msgs.Next()
			if err != nil {
				return
			}
			var q streams.Quote
			if err := streams.Decode(m.Data(), &q); err != nil {
				r.o.Log.Warn("undecodable market quote ignored", "subject", m.Subject(), "err", err)
				continue
			}
			at := time.Now()
			if md, err := m.Metadata(); err == nil {
				at = md.Timestamp
			}
			select {
			case in <- arrival{q, at}:
			case <-ctx.Done():
				return
			}
		}
	}()

	cur := mk
	for {
		var a arrival
		var ok bool
		select {
		case <-ctx.Done():
			return nil
		case a, ok = <-in:
			if !ok {
				return ctx.Err()
			}
		}
		next := copySnapshot(cur)
		if _, err := streams.Apply(next, &a.q); err != nil {
			r.o.Log.Warn("invalid market quote ignored", "subject", a.q.Subject(), "err", err)
			continue
		}
		if !current(&a.q) {
			continue
		}
		cur = next
		marketTime := a.q.Time
		if moves := r.material(cur); len(moves) == 0 {
			continue
		}
		// A burst: take what else arrives within the coalescing window.
		trigger := a.at
		timer := time.NewTimer(r.o.Coalesce)
	burst:
		for {
			select {
			case b, ok := <-in:
				if !ok {
					break burst
				}
				next := copySnapshot(cur)
				if _, err := streams.Apply(next, &b.q); err != nil {
					r.o.Log.Warn("invalid market quote ignored", "subject", b.q.Subject(), "err", err)
					continue
				}
				if !current(&b.q) {
					continue
				}
				cur = next
				if b.q.Time.After(marketTime) {
					marketTime = b.q.Time
				}
			case <-timer.C:
				break burst
			case <-ctx.Done():
				timer.Stop()
				return nil
			}
		}
		cur.Date = marketTime.UTC().Format("2006-01-02")
		if err := r.Recalibrate(ctx, h, cur, trigger, marketTime); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			r.o.Log.Error("recalibration failed; the last recommendation stands", "err", err)
		}
	}
}

func copySnapshot(s *market.Snapshot) *market.Snapshot {
	c := *s
	return &c
}

// material lists the quantities that moved past their threshold between
// the last recommendation's market and mk.
func (r *Recalibrator) material(mk *market.Snapshot) []streams.MarketMove {
	r.mu.Lock()
	from := r.recMarket
	r.mu.Unlock()
	if from == nil {
		return nil
	}
	return moves(from, mk, &r.o.Thresholds, false)
}

// moves compares two markets quantity by quantity; with all it lists every
// change, else only those past their threshold.
func moves(a, b *market.Snapshot, t *Thresholds, all bool) []streams.MarketMove {
	var out []streams.MarketMove
	add := func(q string, from, to, d, thr float64, unit string) {
		if (all && from != to) || math.Abs(d) >= thr {
			out = append(out, streams.MarketMove{Quantity: q, From: from, To: to, Threshold: thr, Unit: unit})
		}
	}
	for c := market.Ccy(0); c < market.NumCcy; c++ {
		if c != market.USD {
			add(streams.KindFXSpot+"."+c.String(), a.FX[c], b.FX[c], 100*(b.FX[c]/a.FX[c]-1), t.FXSpotPct, "USD per unit (threshold in percent)")
			add(streams.KindFXVol+"."+c.String(), a.FXVol[c]*100, b.FXVol[c]*100, 100*(b.FXVol[c]-a.FXVol[c]), t.FXVolPts, "vol points")
		}
		add(streams.KindSwaptionVol+"."+c.String(), a.SwaptionVol[c]*1e4, b.SwaptionVol[c]*1e4, 1e4*(b.SwaptionVol[c]-a.SwaptionVol[c]), t.SwaptionVolBps, "bp")
		// The largest zero-rate move over both curves' tenors.
		za, zb := a.Curves[c], b.Curves[c]
		worst, wt := 0.0, 0.0
		ts := append(slices.Clone(za.Times), zb.Times...)
		for _, tn := range ts {
			if d := zb.Rate(tn) - za.Rate(tn); math.Abs(d) > math.Abs(worst) {
				worst, wt = d, tn
			}
		}
		if worst != 0 || (all && !slices.Equal(za.Times, zb.Times)) {
			add(fmt.Sprintf("%s.%s@%gy", streams.KindZero, c, wt), za.Rate(wt)*100, zb.Rate(wt)*100, worst*1e4, t.CurveBps, "percent (threshold in bp)")
		}
	}
	for k := market.Rating(0); k < market.NumRating; k++ {
		add(streams.KindCreditSpread+"."+k.String(), a.Spread[k]*1e4, b.Spread[k]*1e4, 1e4*(b.Spread[k]-a.Spread[k]), t.SpreadBps, "bp")
	}
	for i := market.Index(0); i < market.NumIndex; i++ {
		add(streams.KindCreditIndex+"."+i.String(), a.IndexSpread[i]*1e4, b.IndexSpread[i]*1e4, 1e4*(b.IndexSpread[i]-a.IndexSpread[i]), t.IndexBps, "bp")
	}
	add(streams.KindEquityVol, a.EquityVol*100, b.EquityVol*100, 100*(b.EquityVol-a.EquityVol), t.EquityVolPts, "vol points")
	return out
}

// onlyVols reports whether every move is of an implied vol.
func onlyVols(ms []streams.MarketMove) bool {
	for _, m := range ms {
		if !strings.HasPrefix(m.Quantity, streams.KindFXVol+".") && !strings.HasPrefix(m.Quantity, streams.KindSwaptionVol+".") &&
			m.Quantity != streams.KindEquityVol {
			return false
		}
	}
	return true
}

// Recalibrate makes a recommendation for market mk (the trigger's arrival
// time for the latency, marketTime the latest quote's time) and publishes
// it.
func (r *Recalibrator) Recalibrate(ctx context.Context, h *streams.Handles, mk *market.Snapshot, trigger, marketTime time.Time) error {
	r.mu.Lock()
	base, baseMarket, recMarket := r.base, r.baseMarket, r.recMarket
	r.mu.Unlock()
	var material []streams.MarketMove
	if recMarket != nil {
		material = moves(recMarket, mk, &r.o.Thresholds, false)
	}
	if base != nil && onlyVols(moves(baseMarket, mk, &r.o.Thresholds, true)) {
		err := r.reprice(ctx, h, base, mk, material, trigger, marketTime)
		if err == nil || !errors.Is(err, sim.ErrNotPremiumOnly) {
			return err
		}
		r.o.Log.Info("implied vols moved more than premiums; simulating again", "why", err)
	}
	return r.fullRun(ctx, h, mk, material, trigger, marketTime)
}

// fullRun runs the fund on mk with the base options and the same seed.
func (r *Recalibrator) fullRun(ctx context.Context, h *streams.Handles, mk *market.Snapshot, material []streams.MarketMove, trigger, marketTime time.Time) error {
	y, err := input.MarshalMarket(mk, "hedgeflow market state")
	if err != nil {
		return err
	}
	o := r.o.Base
	o.MarketYAML, o.MarketFile = y, "market state "+mk.Date
	o.RunID = ""
	if o.Policy, err = r.withHoldings(o.Policy); err != nil {
		return err
	}
	o.Progress = nil
	var res *Result
	user := r.o.Base.OnResult
	o.OnResult = func(x *Result) {
		res = x
		if user != nil {
			user(x) // a service keeps and charts the recalibrator's reports too
		}
	}
	if r.o.Slot != nil {
		release, err := r.o.Slot(ctx)
		if err != nil {
			return err
		}
		defer release()
	}
	if _, err := Execute(ctx, o); err != nil {
		return err
	}
	if res.Programmes == nil {
		return fmt.Errorf("recalibrator: run %s made no programme: %s", res.Spec.RunID, res.Report.HedgingError)
	}
	r.mu.Lock()
	r.base, r.baseMarket = res, mk
	r.mu.Unlock()
	mode := "rerun"
	if material == nil && r.Latest() == nil {
		mode = "run"
	}
	return r.publish(ctx, h, res.Spec.RunID, mode, res.Programmes, mk, material, trigger, marketTime)
}

// withHoldings is pol with the holdings RecalOptions.Holdings reads now,
// or pol as it is without that option.
func (r *Recalibrator) withHoldings(pol agents.Policy) (agents.Policy, error) {
	if r.o.Holdings == nil {
		return pol, nil
	}
	h, err := r.o.Holdings()
	if err != nil {
		return pol, fmt.Errorf("recalibrator: holdings: %w", err)
	}
	pol.Holdings = h
	return pol, nil
}

// reprice re-optimises the base run's numbers with the hedge P&L shifted
// by the premium change of every option.
func (r *Recalibrator) reprice(ctx context.Context, h *streams.Handles, base *Result, mk *market.Snapshot, material []streams.MarketMove, trigger, marketTime time.Time) error {
	y, err := input.MarshalMarket(mk, "hedgeflow market state")
	if err != nil {
		return err
	}
	spec := base.Spec
	spec.MarketYAML, spec.MarketFile = y, "market state "+mk.Date
	rm, err := consumers.BuildModel(spec)
	if err != nil {
		return err
	}
	shift, err := sim.PremiumShift(base.Model, rm.Model)
	if err != nil {
		return err
	}
	col := *base.Collected
	col.Spec = spec
	pol, err := r.withHoldings(base.Policy)
	if err != nil {
		return err
	}
	progs, err := agents.Reoptimise(&col, rm.Model, pol, base.Programmes, shift)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return r.publish(ctx, h, base.Spec.RunID, "reprice", progs, mk, material, trigger, marketTime)
}

func (r *Recalibrator) publish(ctx context.Context, h *streams.Handles, runID, mode string, progs *agents.Programmes, mk *market.Snapshot, material []streams.MarketMove, trigger, marketTime time.Time) error {
	rec := &streams.Recommendation{
		Time: time.Now().UTC(), MarketTime: marketTime.UTC(), BaseRunID: runID, Mode: mode, Moves: material,
		CostBps: progs.Recommended.CostBps, CVaR95: progs.Recommended.Metrics.CVaR95, UnhedgedCVaR95: progs.Unhedged.CVaR95,
		FundingVol: progs.Recommended.Metrics.FundingRatioVol, UnhedgedFRVol: progs.Unhedged.FundingRatioVol,
	}
	for _, p := range progs.Recommended.Hedges {
		rec.Lines = append(rec.Lines, streams.RecommendedLine{ID: p.ID, AssetClass: p.AssetClass, Instrument: p.Instrument, NotionalUSD: p.NotionalUSD, CostBps: p.CostBps})
	}
	r.mu.Lock()
	prev := r.last
	r.seq++
	rec.Seq = r.seq
	r.mu.Unlock()
	rec.Changes = lineChanges(prev, rec)
	rec.Why = why(prev, rec)
	rec.LatencySeconds = time.Since(trigger).Seconds()
	if err := streams.PublishRecommendation(ctx, h, rec); err != nil {
		return err
	}
	r.mu.Lock()
	r.last, r.recMarket = rec, mk
	r.mu.Unlock()
	r.o.Log.Info("recommendation published", "seq", rec.Seq, "mode", mode, "moves", len(material), "changes", len(rec.Changes),
		"latency_s", fmt.Sprintf("%.3f", rec.LatencySeconds))
	if r.o.OnRecommendation != nil {
		r.o.OnRecommendation(rec)
	}
	return nil
}

// lineChanges compares two recommendations line by line: lines added,
// removed, or resized by more than 1%.
func lineChanges(prev, cur *streams.Recommendation) []streams.LineChange {
	if prev == nil {
		return nil
	}
	was := map[string]float64{}
	for _, l := range prev.Lines {
		was[l.ID] = l.NotionalUSD
	}
	var out []streams.LineChange
	seen := map[string]bool{}
	for _, l := range cur.Lines {
		seen[l.ID] = true
		w, ok := was[l.ID]
		switch {
		case !ok:
			out = append(out, streams.LineChange{ID: l.ID, Change: "added", To: l.NotionalUSD})
		case math.Abs(l.NotionalUSD-w) > 0.01*math.Abs(w):
			out = append(out, streams.LineChange{ID: l.ID, Change: "resized", From: w, To: l.NotionalUSD})
		}
	}
	for _, l := range prev.Lines {
		if !seen[l.ID] {
			out = append(out, streams.LineChange{ID: l.ID, Change: "removed", From: l.NotionalUSD})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return math.Abs(out[i].To-out[i].From) > math.Abs(out[j].To-out[j].From)
	})
	return out
}

func bn(v float64) string { return fmt.Sprintf("$%.2fbn", v/1e9) }

// why says in words what moved, what the programme did about it, and what
// it costs: built from the figures only.
func why(prev, cur *streams.Recommendation) string {
	var b strings.Builder
	if prev == nil {
		fmt.Fprintf(&b, "First recommendation on this market (run %s): %d hedges costing %.1f bp a year; CVaR 95 %s against %s unhedged, funding-ratio vol %.1f%% against %.1f%%.",
			cur.BaseRunID, len(cur.Lines), cur.CostBps, bn(cur.CVaR95), bn(cur.UnhedgedCVaR95), 100*cur.FundingVol, 100*cur.UnhedgedFRVol)
		return b.String()
	}
	var ms []string
	for _, m := range cur.Moves {
		ms = append(ms, fmt.Sprintf("%s %.4g → %.4g", m.Quantity, m.From, m.To))
	}
	how := "the scenarios were simulated again with the same seeds"
	if cur.Mode == "reprice" {
		how = "only option premiums changed, so the same paths were re-used with the hedges repriced"
	}
	fmt.Fprintf(&b, "Market moved past its thresholds (%s); %s. ", strings.Join(ms, ", "), how)
	if len(cur.Changes) == 0 {
		b.WriteString("The programme stands: no line changed by more than 1%. ")
	} else {
		var cs []string
		for i, c := range cur.Changes {
			if i == 4 {
				cs = append(cs, fmt.Sprintf("and %d more", len(cur.Changes)-4))
				break
			}
			switch c.Change {
			case "added":
				cs = append(cs, fmt.Sprintf("added %s %s", c.ID, bn(c.To)))
			case "removed":
				cs = append(cs, fmt.Sprintf("removed %s (was %s)", c.ID, bn(c.From)))
			default:
				cs = append(cs, fmt.Sprintf("%s %s → %s", c.ID, bn(c.From), bn(c.To)))
			}
		}
		fmt.Fprintf(&b, "Changes: %s. ", strings.Join(cs, "; "))
	}
	fmt.Fprintf(&b, "Cost %.1f → %.1f bp a year; CVaR 95 %s → %s (unhedged %s); funding-ratio vol %.2f%% → %.2f%%.",
		prev.CostBps, cur.CostBps, bn(prev.CVaR95), bn(cur.CVaR95), bn(cur.UnhedgedCVaR95), 100*prev.FundingVol, 100*cur.FundingVol)
	return b.String()
}
