package sim

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/hedgeflow/hedgeflow/pricing/credit"
	"github.com/hedgeflow/hedgeflow/pricing/curve"
	"github.com/hedgeflow/hedgeflow/pricing/equity"
	"github.com/hedgeflow/hedgeflow/pricing/fx"
	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/pricing/rates"
)

// Marking to market: a candidate hedge bought on one date at one market
// (its inception, where its strikes, par rates and premium were set: the
// market the Model was built on) is valued on a later date at the market of
// that day, with the time elapsed shortening every expiry and maturity. This
// is what a backtest holds between rebalances.
//
// Conventions, per USD of notional at inception (foreign notionals are
// 1/FX0 units of their currency, converted to USD at the mark's FX):
//   - Value is the position's value at the mark plus the cash it paid or
//     received since inception (coupons, running CDS premium, floating
//     interest), undiscounted, in USD. At inception it is the fair price of
//     the position: the premium or upfront of options, CDS indices and
//     tranche protection, zero for forwards, swaps, FRAs, futures and
//     cross-currency swaps. The P&L from inception to a mark is
//     Value(mark) - Value(inception) (see PnL).
//   - Time is ACT/365 between the two marks' dates.
//   - Options are priced at the mark's implied vols (FXVol, SwaptionVol,
//     EquityVol), flat across strikes and expiries; rates at the mark's
//     zero curve at each cash flow's remaining time, except equity puts,
//     which discount at the currency's 3-month rate as the catalogue and
//     the simulation's equity drift do.
//   - Floating legs reset continuously: a swap's floating leg is worth
//     1 - DF(remaining) and has paid the increase in Mark.Accrual of its
//     currency since inception. A bond future is a financed long position
//     in its cheapest-to-deliver bond: it earns the bond's price change and
//     coupons and pays Accrual as financing, so that an unchanged curve
//     earns nothing (a futures price carries no coupon).
//   - Credit indices are valued from the mark's quoted index spread
//     (credit.Index.Value: flat hazard bootstrapped from the quote, O'Kane
//     2008 §10.4) over the remaining maturity; tranches as the large-pool
//     expected loss at the index's default probability, as in the
//     simulation. Defaults are in the quoted spreads, not simulated.
//   - An instrument past its expiry or maturity is worth its intrinsic
//     value at the mark (settled then, not earlier).
//
// Differences from the simulation's horizon values (valueHedgesOf): the
// simulation removes linear hedges' carry on the unshocked path and prices
// with a few flat rates; marking to market keeps carry (it is real money in
// a backtest) and uses the curve at each maturity. The inception value of
// every option equals its Premium to rounding; that of a CDS index differs
// from Premium by under 1% (the catalogue's upfront uses the credit
// triangle annuity, this the bootstrapped one).

// Mark is a market state at which hedges are marked to market.
type Mark struct {
	Date   time.Time
	Market *market.Snapshot
	// Equity is the level of each currency's equity market, in that
	// currency; only ratios between marks are used. Equity puts need it.
	Equity [market.NumCcy]float64
	// Accrual is, per currency, the running integral of the overnight
	// rate over time (rate × years, continuously compounded) from any
	// fixed origin: a floating leg pays its increase between two marks.
	Accrual [market.NumCcy]float64
}

// ErrMark is wrapped by errors about a mark that cannot value a hedge.
var ErrMark = errors.New("sim: cannot mark to market")

// YearFraction is the ACT/365 time from a to b in years.
func YearFraction(a, b time.Time) float64 {
	return b.Sub(a).Hours() / 24 / 365
}

// PnL is the hedge's profit from inception to now per USD of notional, in
// USD: Value(inception, now) - Value(inception, inception).
func (h *Hedge) PnL(inception, now *Mark) (float64, error) {
	v1, err := h.Value(inception, now)
	if err != nil {
		return 0, err
	}
	v0, err := h.Value(inception, inception)
	if err != nil {
		return 0, err
	}
	return v1 - v0, nil
}

// Value is the position's value at now plus the cash it paid or received
// since inception, per USD of notional, in USD (see the conventions
// above). inception must be the market the hedge was created on.
func (h *Hedge) Value(inception, now *Mark) (float64, error) {
	if inception == nil || now == nil || inception.Market == nil || now.Market == nil {
		return 0, fmt.Errorf("%w: %s: missing market", ErrMark, h.ID)
	}
	if now.Date.Before(inception.Date) {
		return 0, fmt.Errorf("%w: %s: mark date %s before inception %s", ErrMark, h.ID,
			now.Date.Format(time.DateOnly), inception.Date.Format(time.DateOnly))
	}
	t := YearFraction(inception.Date, now.Date)
	m0, m1 := inception.Market, now.Market
	c := h.Ccy
	if c >= market.NumCcy {
		return 0, fmt.Errorf("%w: %s: currency %v", ErrMark, h.ID, c)
	}
	if len(m1.Curves[c].Times) == 0 {
		return 0, fmt.Errorf("%w: %s: curves.%s: missing", ErrMark, h.ID, c)
	}
	if len(m1.Curves[market.USD].Times) == 0 {
		return 0, fmt.Errorf("%w: %s: curves.USD: missing", ErrMark, h.ID)
	}
	rel := 1.0 // USD value of the foreign notional now, per USD at inception
	if c != market.USD {
		if !(m0.FX[c] > 0) || !(m1.FX[c] > 0) || math.IsInf(m1.FX[c], 0) {
			return 0, fmt.Errorf("%w: %s: fx_usd_per_unit.%s: must be positive (inception %v, mark %v)", ErrMark, h.ID, c, m0.FX[c], m1.FX[c])
		}
		rel = m1.FX[c] / m0.FX[c]
	}
	z := m1.Curves[c]
	usd := m1.Curves[market.USD]
	accrued := now.Accrual[c] - inception.Accrual[c]
	var v float64
	switch h.Kind {
	case FXForward:
		tau := math.Max(h.expiry-t, 0)
		pv, err := fx.ForwardContract{Strike: h.fwd, Expiry: tau}.PV(fx.Market{Spot: rel, Rd: usd.Rate(tau), Rf: z.Rate(tau)})
		if err != nil {
			return 0, fmt.Errorf("%w: %s: %v", ErrMark, h.ID, err)
		}
		v = -pv // sold forward
	case FXPut, RiskReversal, Seagull:
		vol := m1.FXVol[c]
		if !(vol > 0) || math.IsInf(vol, 0) {
			return 0, fmt.Errorf("%w: %s: fx_vols.%s: must be positive, got %v", ErrMark, h.ID, c, vol)
		}
		tau := h.expiry - t
		mk := fx.Market{Spot: rel, Rd: usd.Rate(tau), Rf: z.Rate(tau)}
		opt := func(k float64, call bool) (float64, error) {
			k *= h.fwd
			if tau <= 1e-9 {
				if call {
					return math.Max(rel-k, 0), nil
				}
				return math.Max(k-rel, 0), nil
			}
			g, err := fx.Option{Strike: k, Expiry: tau, Call: call}.Price(mk, vol)
			return g.PV, err
		}
		type leg struct {
			k    float64 // strike relative to the forward
			call bool
			q    float64 // held (+1) or sold (-1)
		}
		legs := []leg{{h.strike[0], false, 1}}
		switch h.Kind {
		case RiskReversal:
			legs = append(legs, leg{h.strike[1], true, -1})
		case Seagull:
			legs = append(legs, leg{h.strike[1], false, -1}, leg{h.strike[2], true, -1})
		}
		for _, l := range legs {
			p, err := opt(l.k, l.call)
			if err != nil {
				return 0, fmt.Errorf("%w: %s: %v", ErrMark, h.ID, err)
			}
			v += l.q * p
		}
	case SwapReceiver, SwapPayer:
		// Fixed leg: semi-annual coupons at 0.5k from inception.
		paid, pv := 0.0, 0.0
		for k := 1; 0.5*float64(k) <= h.tenor+1e-9; k++ {
			if tk := 0.5*float64(k) - t; tk <= 1e-9 {
				paid += 0.5 * h.fwd
			} else {
				pv += 0.5 * h.fwd * z.DF(tk)
			}
		}
		if rem := h.tenor - t; rem > 1e-9 {
			pv += z.DF(rem) - 1 // notional against the floating leg at par
		}
		v = pv + paid - accrued
		if h.Kind == SwapPayer {
			v = -v
		}
		v *= rel
	case SwaptionReceiver, SwaptionPayer:
		st0, end := h.expiry-t, h.expiry+h.tenor-t
		a := 0.0
		for k := 1; 0.5*float64(k) <= h.tenor+1e-9; k++ {
			if tk := h.expiry + 0.5*float64(k) - t; tk > 1e-9 {
				a += 0.5 * z.DF(tk)
			}
		}
		if a > 0 {
			f := (z.DF(st0) - z.DF(end)) / a
			payer := h.Kind == SwaptionPayer
			if st0 <= 1e-9 { // expired into the swap: its intrinsic value
				if payer {
					v = a * math.Max(f-h.fwd, 0)
				} else {
					v = a * math.Max(h.fwd-f, 0)
				}
			} else {
				vol := m1.SwaptionVol[c]
				p, err := rates.Swaption{Strike: h.fwd, Expiry: st0, Payer: payer}.Normal(f, a, vol)
				if err != nil {
					return 0, fmt.Errorf("%w: %s: swaption_vols.%s: %v", ErrMark, h.ID, c, err)
				}
				v = p
			}
		}
		v *= rel
	case FRAPayer, FRAReceiver:
		st0 := math.Max(h.expiry-t, 0)
		p, err := rates.FRA{Start: st0, End: st0 + h.tenor, Rate: h.fwd}.PV(curve.Single(z))
		if err != nil {
			return 0, fmt.Errorf("%w: %s: %v", ErrMark, h.ID, err)
		}
		if h.Kind == FRAReceiver {
			p = -p
		}
		v = p * rel
	case BondFuture:
		p := 0.0
		n := int(math.Round(2 * h.tenor))
		for k := 1; k <= n; k++ {
			cf := h.coup / 2
			if k == n {
				cf++
			}
			if tk := 0.5*float64(k) - t; tk <= 1e-9 {
				p += cf
			} else {
				p += cf * z.DF(tk)
			}
		}
		v = (p/h.fwd - math.Exp(accrued)) * rel
	case XCCYSwap:
		leg := func(zz curve.Zero, cpn float64) float64 {
			s := 0.0
			n := int(math.Round(2 * h.tenor))
			for k := 1; k <= n; k++ {
				cf := 0.5 * cpn
				if k == n {
					cf++
				}
				if tk := 0.5*float64(k) - t; tk <= 1e-9 {
					s += cf
				} else {
					s += cf * zz.DF(tk)
				}
			}
			return s
		}
		v = leg(usd, h.rate) - rel*leg(z, h.fwd)
	case CDSIndex, SingleNameCDS:
		s1 := m1.IndexSpread[h.index]
		if h.Kind == SingleNameCDS {
			// The holding's spread keeps its ratio to its rating's
			// spread: the mark moves it with the rating.
			r0, r1 := m0.Spread[h.idxRating], m1.Spread[h.idxRating]
			if !(r0 > 0) || !(r1 >= 0) || math.IsInf(r1, 0) {
				return 0, fmt.Errorf("%w: %s: credit_spreads_bps.%s: must be positive (inception %v bp, mark %v bp)", ErrMark, h.ID, h.idxRating, r0*1e4, r1*1e4)
			}
			s1 = h.fwd * r1 / r0
		}
		if !(s1 > 0) || math.IsInf(s1, 0) {
			return 0, fmt.Errorf("%w: %s: index_spreads_bps.%s: must be positive, got %v bp", ErrMark, h.ID, h.index, s1*1e4)
		}
		if rem := h.tenor - t; rem > 1e-9 {
			ix := credit.Index{Coupon: h.coup, Recovery: h.recovery, Freq: 4}
			iv, err := ix.Value(s1, rem, credit.Discount{Curve: z})
			if err != nil {
				return 0, fmt.Errorf("%w: %s: %v", ErrMark, h.ID, err)
			}
			v = iv.Upfront
		}
		v = (v - h.coup*math.Min(t, h.tenor)) * rel // the buyer pays the running coupon
	case TrancheProtection:
		s1 := m1.IndexSpread[market.CDXIG]
		if !(s1 > 0) || math.IsInf(s1, 0) {
			return 0, fmt.Errorf("%w: %s: index_spreads_bps.%s: must be positive, got %v bp", ErrMark, h.ID, market.CDXIG, s1*1e4)
		}
		if rem := h.tenor - t; rem > 1e-9 {
			pd := 1 - math.Exp(-s1/(1-h.recovery)*rem)
			el, err := credit.TrancheLoss(h.strike[0], h.strike[1], math.Min(math.Max(pd, 1e-12), 1-1e-12), 0.30, 0.30, h.recovery)
			if err != nil {
				return 0, fmt.Errorf("%w: %s: %v", ErrMark, h.ID, err)
			}
			v = el
		}
	case EquityPut:
		e0, e1 := inception.Equity[c], now.Equity[c]
		if !(e0 > 0) || !(e1 > 0) || math.IsInf(e0, 0) || math.IsInf(e1, 0) {
			return 0, fmt.Errorf("%w: %s: equity level of %s must be positive (inception %v, mark %v)", ErrMark, h.ID, c, e0, e1)
		}
		s := e1 / e0
		k := h.strike[0] * h.fwd
		tau := h.expiry - t
		if tau <= 1e-9 {
			v = math.Max(k-s, 0)
		} else {
			g, err := equity.Option{Strike: k, Expiry: tau}.Price(equity.Market{Spot: s, Rate: z.Rate(0.25)}, m1.EquityVol)
			if err != nil {
				return 0, fmt.Errorf("%w: %s: equity_vol: %v", ErrMark, h.ID, err)
			}
			v = g.PV
		}
		v *= rel
	default:
		return 0, fmt.Errorf("%w: %s: unknown kind %v", ErrMark, h.ID, h.Kind)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%w: %s: value is %v", ErrMark, h.ID, v)
	}
	return v, nil
}

// Costs in a backtest. CostBps is an annual all-in figure that also counts
// option premiums (amortised) and negative carry; a position marked to
// market realises both in its Value, so a backtest that also charged
// CostBps would count them twice. It charges the rest, from the same
// assumptions (the cost constants above buildHedges):
//   - RunningCostBps, a year on the notional held: collateral funding and
//     the counterparty charge of an OTC derivative (collateral only for an
//     exchange-traded future).
//   - TradeCostBps, once on the notional bought or sold: options 5% of the
//     gross premium (every leg); FX forwards 2 bp; bond futures 0.5 bp;
//     swaps, FRAs, cross-currency swaps (two legs) and CDS indices half
//     their quoted bid-offer (0.5 bp of rate for swaps and FRAs, 0.5 bp of
//     spread for IG and 3 bp for HY indices) times their PV01 (annuity)
//     per unit notional: half a 30-year swap's bid-offer is about 5 bp of
//     notional, an IG index's about 1 bp.

// RunningCostBps is the hedge's holding cost in bp a year of notional.
func (h *Hedge) RunningCostBps() float64 {
	if h.Kind == BondFuture {
		return collateral
	}
	return collateral + cpCharge
}

// TradeCostBps is the bid-ask paid on each USD of notional traded, in bp.
func (h *Hedge) TradeCostBps() float64 {
	pv01 := math.Abs(h.Delta) * 1e4 // annuity per unit notional (swaps, FRAs, CDS indices)
	switch h.Kind {
	case FXForward:
		return bidAskFXFwd
	case FXPut, EquityPut, SwaptionReceiver, SwaptionPayer, TrancheProtection:
		return optionBidAsk * h.Premium * 1e4
	case RiskReversal, Seagull:
		// CostBps = max(premium, 0) + 5% of the gross premium + running.
		return math.Max(h.CostBps-math.Max(h.Premium, 0)*1e4-collateral-cpCharge, 0)
	case SwapReceiver, SwapPayer, FRAPayer, FRAReceiver:
		return bidAskSwap / 2 * pv01
	case XCCYSwap:
		// Two fixed legs of the swap's annuity, about 4.6 for five years.
		a := 0.0
		for k := 1; k <= int(math.Round(2*h.tenor)); k++ {
			a += 0.5 * math.Exp(-h.rate*0.5*float64(k))
		}
		return 2 * bidAskSwap / 2 * a
	case CDSIndex, SingleNameCDS:
		ba := math.Max(h.CostBps-h.fwd*1e4-collateral-cpCharge, 0) // the quoted bid-offer, bp
		return ba / 2 * pv01
	case BondFuture:
		return h.CostBps - collateral
	}
	return 0
}
