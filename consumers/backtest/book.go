package backtest

import (
	"fmt"
	"math"
	"sort"

	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/pricing/sim"
	"github.com/hedgeflow/hedgeflow/report"
)

// Target is a recalibration's answer: the programme to hold from a
// rebalance date on.
type Target struct {
	RunID string
	// Market is the market the hedges were priced on (their inception).
	Market *market.Snapshot
	// Hedges are the instruments by id, as priced on Market; Notional the
	// USD notional to hold of each (ids absent are closed).
	Hedges   map[string]*sim.Hedge
	Notional map[string]float64
	// CostBps is the programme's all-in annual cost in bp of assets, as
	// the run priced it.
	CostBps float64
	// Report is the recalibration run's report.
	Report *report.Report
	// Relaxed says how the policy was relaxed to find a programme (empty
	// when it was not).
	Relaxed string
	// Decision is the run's keep-or-rebalance verdict (empty without
	// holdings).
	Decision string
}

// lot is notional of one instrument bought on one day at that day's
// strikes: a programme's position grows by new lots and shrinks pro rata.
type lot struct {
	h        *sim.Hedge
	at       *sim.Mark // inception
	notional float64   // USD
	v0       float64   // value per USD at inception: the price paid
}

// minLotUSD is the notional below which a lot is closed rather than kept.
const minLotUSD = 1.0

// book is the hedge book: open lots, the P&L realised on what was sold and
// the costs paid.
type book struct {
	lots         []*lot
	realised     float64
	byClass      map[string]float64 // realised P&L by asset class
	tradeCosts   float64
	runningCosts float64
	traded       float64
}

// held returns the notional held per instrument id.
func (b *book) held() map[string]float64 {
	out := map[string]float64{}
	for _, l := range b.lots {
		out[l.h.ID] += l.notional
	}
	return out
}

// gross is the sum of |notional| held.
func (b *book) gross() float64 {
	g := 0.0
	for _, l := range b.lots {
		g += math.Abs(l.notional)
	}
	return g
}

// unrealised is the P&L of the open lots at now, USD.
func (b *book) unrealised(now *sim.Mark) (float64, error) {
	u := 0.0
	for _, l := range b.lots {
		v, err := l.h.Value(l.at, now)
		if err != nil {
			return 0, err
		}
		u += l.notional * (v - l.v0)
	}
	return u, nil
}

// accrue charges the running costs of what is held for years.
func (b *book) accrue(years float64) {
	for _, l := range b.lots {
		b.runningCosts += math.Abs(l.notional) * l.h.RunningCostBps() / 1e4 * years
	}
}

// trade moves the book to t at now (the day's market; inception is the
// same day on the market the target's hedges were priced on), realising
// the P&L of what it sells and paying the bid-ask of every notional
// traded. It returns the positions held afterwards, the notional traded
// and its cost.
func (b *book) trade(t *Target, now, inception *sim.Mark) ([]report.BacktestHolding, float64, float64, error) {
	cur := b.held()
	ids := make([]string, 0, len(cur)+len(t.Notional))
	for id := range cur {
		ids = append(ids, id)
	}
	for id := range t.Notional {
		if _, ok := cur[id]; !ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	var out []report.BacktestHolding
	traded, cost := 0.0, 0.0
	for _, id := range ids {
		have, want := cur[id], t.Notional[id]
		if math.IsNaN(want) || math.IsInf(want, 0) {
			return nil, 0, 0, fmt.Errorf("%w: programme notional of %s is %v", ErrInvalid, id, want)
		}
		h := t.Hedges[id]
		if want != 0 && h == nil {
			return nil, 0, 0, fmt.Errorf("%w: programme holds %s, which its run did not price", ErrInvalid, id)
		}
		d := want - have
		if math.Abs(d) < minLotUSD {
			if want != 0 {
				out = append(out, report.BacktestHolding{ID: id, NotionalUSD: have})
			}
			continue
		}
		costOf := h
		if costOf == nil {
			costOf = b.lastHedge(id)
		}
		// Sell pro rata when the position shrinks or changes sign; buy a
		// new lot at today's strikes for what it grows by.
		keep := 1.0
		if have != 0 && (want/have < 0 || math.Abs(want) < math.Abs(have)) {
			keep = math.Max(want/have, 0)
		}
		if keep < 1 {
			if err := b.sell(id, keep, now); err != nil {
				return nil, 0, 0, err
			}
		}
		if buy := want - have*keep; math.Abs(buy) >= minLotUSD {
			v0, err := h.Value(inception, inception)
			if err != nil {
				return nil, 0, 0, err
			}
			b.lots = append(b.lots, &lot{h: h, at: inception, notional: buy, v0: v0})
		}
		c := math.Abs(d) * costOf.TradeCostBps() / 1e4
		traded += math.Abs(d)
		cost += c
		if want != 0 {
			out = append(out, report.BacktestHolding{ID: id, NotionalUSD: want, TradedUSD: d})
		} else {
			out = append(out, report.BacktestHolding{ID: id, NotionalUSD: 0, TradedUSD: d})
		}
	}
	b.tradeCosts += cost
	b.traded += traded
	return out, traded, cost, nil
}

// realise books P&L of a sale.
func (b *book) realise(class string, pnl float64) {
	b.realised += pnl
	if b.byClass == nil {
		b.byClass = map[string]float64{}
	}
	b.byClass[class] += pnl
}

// pnlByClass is the P&L by asset class: realised, plus the open lots
// marked at now.
func (b *book) pnlByClass(now *sim.Mark) (map[string]float64, error) {
	out := map[string]float64{}
	for k, v := range b.byClass {
		out[k] = v
	}
	for _, l := range b.lots {
		v, err := l.h.Value(l.at, now)
		if err != nil {
			return nil, err
		}
		out[l.h.AssetClass] += l.notional * (v - l.v0)
	}
	return out, nil
}

// lastHedge is the instrument of the newest lot of id.
func (b *book) lastHedge(id string) *sim.Hedge {
	for i := len(b.lots) - 1; i >= 0; i-- {
		if b.lots[i].h.ID == id {
			return b.lots[i].h
		}
	}
	return nil
}

// sell keeps the fraction keep of every lot of id, realising the P&L of the
// rest at now, and drops lots that become negligible.
func (b *book) sell(id string, keep float64, now *sim.Mark) error {
	out := b.lots[:0]
	for _, l := range b.lots {
		if l.h.ID != id {
			out = append(out, l)
			continue
		}
		v, err := l.h.Value(l.at, now)
		if err != nil {
			return err
		}
		sold := l.notional * (1 - keep)
		l.notional -= sold
		if math.Abs(l.notional) < minLotUSD {
			sold += l.notional
			l.notional = 0
		}
		b.realise(l.h.AssetClass, sold*(v-l.v0))
		if l.notional == 0 {
			continue
		}
		out = append(out, l)
	}
	clear(b.lots[len(out):])
	b.lots = out
	return nil
}
