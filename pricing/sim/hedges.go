package sim

import (
	"fmt"
	"math"
	"slices"

	"github.com/hedgeflow/hedgeflow/pricing/approx"
	"github.com/hedgeflow/hedgeflow/pricing/credit"
	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/pricing/scenario"
)

// Candidate hedges. Each is one USD of notional at inception (foreign
// notionals are 1/FX0 units of their currency), valued on the same paths as
// the fund at the hedge horizon (one year, or the last horizon if shorter):
// its P&L there, in USD, is Value - Premium plus the carry it earned. The
// optimiser then needs no second simulation: the hedged loss is the
// unhedged loss minus Σ notional × P&L.
//
// Conventions per kind, all per USD of notional, expiries and swap starts
// measured from today:
//   - fx_forward: sell the currency one year forward at today's forward.
//   - fx_put: buy a one-year put on the currency at Strike × forward.
//   - risk_reversal: buy the Strike put, sell the Strike2 call.
//   - seagull: buy the Strike put, sell the Strike2 put, sell the Strike3 call.
//   - swap_receiver / swap_payer: receive (pay) the par fixed rate
//     semi-annually for Tenor years against a floating leg at par.
//   - swaption_receiver / swaption_payer: at-the-money (strike = today's
//     forward swap rate) Bachelier options to enter the swap at Expiry.
//   - cds_index: buy five-year protection on a credit index; its spread
//     follows the fund's worst-rated credit factor (β 1 for IG indices, 1.6
//     for high yield and crossover) and its defaults the Vasicek default rate
//     of that factor at the index's rating (BBB for IG, B for HY).
//   - equity_put: buy a one-year put on the equity market of Ccy at
//     Strike × forward.
//   - fra_payer / fra_receiver: pay (receive) today's forward rate on a
//     six-month period starting at Expiry (1 or 2 years), settled at its
//     start.
//   - bond_future: long a 10-year government bond future of Ccy, its
//     cheapest-to-deliver taken as a 6% semi-annual 10-year bond (the
//     standard notional coupon); P&L is the change in its price.
//   - xccy_swap: a five-year fixed-fixed cross-currency swap receiving USD
//     and paying Ccy (both at par today, notionals exchanged at the start
//     and the end); it hedges FX like a forward and carries both curves.
//     Cross-currency basis is not modelled (zero).
//   - tranche_protection: buy five-year protection on the CDX IG 0-3%
//     (equity) or 3-7% (mezzanine) tranche, valued as its Vasicek
//     large-pool expected loss (base correlation 0.30) at the index's
//     default probability, zero-rate upfront convention: P&L is the change
//     in expected tranche loss, realised losses included.
//
// Premiums are priced at today's implied vols from the market snapshot;
// values at the horizon at the scenario's own vols.
//
// Linear hedges (forwards, swaps, index CDS) are carried at zero expected
// carry: their P&L is measured from the value they reach on the unshocked
// path (forward points, roll-down and coupon carry removed), because
// carry is not protection and the optimiser would otherwise buy it as if
// it were; the cost of negative carry is charged in CostBps instead.

// HedgeKind is the kind of a candidate hedge.
type HedgeKind uint8

// Candidate hedge kinds.
const (
	FXForward HedgeKind = iota
	FXPut
	RiskReversal
	Seagull
	SwapReceiver
	SwapPayer
	SwaptionReceiver
	SwaptionPayer
	CDSIndex
	EquityPut
	FRAPayer
	FRAReceiver
	BondFuture
	XCCYSwap
	TrancheProtection
	SingleNameCDS
)

var hedgeKindNames = [...]string{"fx_forward", "fx_put", "risk_reversal", "seagull", "swap_receiver", "swap_payer",
	"swaption_receiver", "swaption_payer", "cds_index", "equity_put", "fra_payer", "fra_receiver", "bond_future",
	"xccy_swap", "tranche_protection", "cds_single_name"}

func (k HedgeKind) String() string {
	if int(k) < len(hedgeKindNames) {
		return hedgeKindNames[k]
	}
	return fmt.Sprintf("HedgeKind(%d)", k)
}

// Hedge is a candidate hedge instrument.
type Hedge struct {
	ID         string // unique, e.g. "swap_receiver_USD_10y"
	AssetClass string // fx, rates, credit, equity
	Kind       HedgeKind
	Underlying string // e.g. "EURUSD", "USD swap", "CDX_IG", "EUR equities"
	Tenor      string // e.g. "1y", "10y", "5y x 10y"
	Ccy        market.Ccy
	// Premium is paid today per USD of notional (options' premium, a CDS
	// index's upfront); Value-at-horizon P&L subtracts it.
	Premium float64
	// CostBps is the all-in annual cost in bp of notional: option premium
	// amortised over the option's life, negative carry (forward points),
	// bid-ask, collateral funding and a counterparty charge (see costs).
	CostBps float64
	// Delta is the hedge's first-order sensitivity to its underlying per
	// USD notional (for hedge ratios): -1 for a currency sold forward.
	Delta float64

	strike         [3]float64 // relative strikes
	lnStrike       [3]float64 // FX options: ln(strike·fwd), the legs' log strikes per unit spot
	expiry, tenor  float64    // years
	block          int        // rate block for rates instruments
	fx             int        // FX factor, -1 for USD
	eq             int        // equity factor
	index          market.Index
	credit         int     // credit factor index into Model.credits, -1 none
	beta           float64 // index spread sensitivity
	idxRating      market.Rating
	fwd            float64 // forward / spot (FX), e^{rT} (equity), par or ATM rate (rates)
	rate           float64 // flat discount rate for CDS indices
	recovery, coup float64
	carry          float64 // deterministic carry earned to the horizon (swaps)
	linear         bool    // measured net of its unshocked-path P&L
	limit          float64 // USD notional the hedge may not pass (its reference holding); 0 for none
}

// fxStep is an FX hedge's path-independent part at a step, τ to expiry,
// with the USD and foreign rates. A forward is a - rel·b: a = fwd·e^(-r_USD τ), b = e^(-r_f τ), or fwd
// and 1 at expiry. An option's legs need √τ, the discount factors dd =
// e^(-r_USD τ) and df = e^(-r_f τ), and (r_USD - r_f)τ.
type fxStep struct {
	tau, rd, rf    float64
	a, b           float64 // forward
	sq, dd, df, rt float64 // options
}

// tabulateFX fills m.fxAt, per hedge and step, for the FX hedges: a programme carried on the paths
// values its FX hedges at every step of every path, and their discount
// factors and √τ are the same on every path. The entries are computed as
// valueHedgesOf and fxOptionsValue computed them, so values are unchanged
// to the last bit.
func (m *Model) tabulateFX() {
	m.fxAt = make([][]fxStep, len(m.hedges))
	for i := range m.hedges {
		h := &m.hedges[i]
		switch h.Kind {
		case FXForward, FXPut, RiskReversal, Seagull:
		default:
			continue
		}
		rd, rf := m.usdRate, m.eqRate[h.Ccy]
		m.fxAt[i] = make([]fxStep, len(m.steps))
		for st, day := range m.steps {
			tau := h.expiry - float64(day)/DaysPerYear
			e := &m.fxAt[i][st]
			e.tau, e.rd, e.rf = tau, rd, rf
			if h.Kind == FXForward {
				e.a, e.b = h.fwd, 1
				if tau > 1e-9 {
					e.a, e.b = h.fwd*math.Exp(-rd*tau), math.Exp(-rf*tau)
				}
				continue
			}
			*e = optionStep(tau, rd, rf)
		}
	}
}

// optionStep is an FX option's path-independent part at τ to expiry.
func optionStep(tau, rd, rf float64) fxStep {
	e := fxStep{tau: tau, rd: rd, rf: rf}
	if tau > 1e-9 {
		e.sq = math.Sqrt(tau)
		e.dd, e.df = exp(-rd*tau), exp(-rf*tau)
		e.rt = (rd - rf) * tau
	}
	return e
}

// Limit is the largest notional the hedge is meant for, in USD: a
// single-name CDS protects at most its reference holding. 0 means no limit
// of its own.
func (h *Hedge) Limit() float64 { return h.limit }

// Linear reports whether the hedge's P&L is measured net of carry.
func (h *Hedge) Linear() bool { return h.linear }

// Hedges returns the candidate hedges of the model's fund.
func (m *Model) Hedges() []Hedge { return m.hedges }

// hedgeHorizon returns the horizon index at which hedges are valued: the
// one-year horizon if present, else the last.
func (m *Model) hedgeHorizon() int {
	h := len(m.cfg.HorizonDays) - 1
	for i, d := range m.cfg.HorizonDays {
		if d == DaysPerYear {
			h = i
		}
	}
	return h
}

// HedgeHorizonDays is the horizon, in days, at which hedge P&L is valued.
func (m *Model) HedgeHorizonDays() int { return m.cfg.HorizonDays[m.hedgeHorizon()] }

// Cost assumptions, bp a year of notional, stated once: bid-ask of FX
// forwards 2 bp, of swaps 0.5 bp, of CDS indices 0.5 bp (IG) and 3 bp (HY);
// options 5% of premium; collateral funding 1 bp and a counterparty charge
// of 1 bp on every OTC derivative.
const (
	bidAskFXFwd  = 2.0
	bidAskSwap   = 0.5
	bidAskIG     = 0.5
	bidAskHY     = 3.0
	optionBidAsk = 0.05
	collateral   = 1.0
	cpCharge     = 1.0
)

func (m *Model) buildHedges(mk *market.Snapshot) {
	T := float64(m.HedgeHorizonDays()) / DaysPerYear
	usd := mk.Curves[market.USD]
	rUSD := usd.Rate(1)
	// FX: for every foreign currency the fund holds.
	for c := market.EUR; c < market.NumCcy; c++ {
		f := m.fxOf[c]
		if f < 0 {
			continue
		}
		rf := mk.Curves[c].Rate(1)
		fwd := math.Exp((rUSD - rf) * 1) // F/S for one year
		pair := c.String() + "USD"
		vol := mk.FXVol[c]
		carryBps := math.Max(0, (rf-rUSD)*1e4) // selling a higher-yielding currency forward costs its points
		base := Hedge{AssetClass: "fx", Underlying: pair, Tenor: "1y", Ccy: c, fx: f, fwd: fwd, expiry: 1}
		h := base
		h.ID, h.Kind, h.Delta = "fx_forward_"+c.String(), FXForward, -1
		h.CostBps = bidAskFXFwd + carryBps + collateral + cpCharge
		m.hedges = append(m.hedges, h)
		for _, k := range []float64{0.95, 0.90} {
			h := base
			h.ID, h.Kind, h.strike[0] = fmt.Sprintf("fx_put_%s_%.0f", c, 100*k), FXPut, k
			h.Premium = gkPut(1, k*fwd, 1, rUSD, rf, vol)
			h.Delta = gkDelta(k*fwd, rUSD, rf, vol, false)
			h.CostBps = h.Premium*1e4*(1+optionBidAsk) + collateral + cpCharge
			m.hedges = append(m.hedges, h)
		}
		rr := base
		rr.ID, rr.Kind, rr.strike = "risk_reversal_"+c.String()+"_95_105", RiskReversal, [3]float64{0.95, 1.05}
		rr.Premium = gkPut(1, 0.95*fwd, 1, rUSD, rf, vol) - gkCall(1, 1.05*fwd, 1, rUSD, rf, vol)
		rr.Delta = gkDelta(0.95*fwd, rUSD, rf, vol, false) - gkDelta(1.05*fwd, rUSD, rf, vol, true)
		rr.CostBps = math.Max(rr.Premium, 0)*1e4 + optionBidAsk*1e4*(gkPut(1, 0.95*fwd, 1, rUSD, rf, vol)+gkCall(1, 1.05*fwd, 1, rUSD, rf, vol)) + collateral + cpCharge
		m.hedges = append(m.hedges, rr)
		sg := base
		sg.ID, sg.Kind, sg.strike = "seagull_"+c.String()+"_95_85_107", Seagull, [3]float64{0.95, 0.85, 1.07}
		p1, p2, c3 := gkPut(1, 0.95*fwd, 1, rUSD, rf, vol), gkPut(1, 0.85*fwd, 1, rUSD, rf, vol), gkCall(1, 1.07*fwd, 1, rUSD, rf, vol)
		sg.Premium = p1 - p2 - c3
		sg.Delta = gkDelta(0.95*fwd, rUSD, rf, vol, false) - gkDelta(0.85*fwd, rUSD, rf, vol, false) - gkDelta(1.07*fwd, rUSD, rf, vol, true)
		sg.CostBps = math.Max(sg.Premium, 0)*1e4 + optionBidAsk*1e4*(p1+p2+c3) + collateral + cpCharge
		m.hedges = append(m.hedges, sg)
	}
	for i := range m.hedges {
		if h := &m.hedges[i]; h.Kind == FXPut || h.Kind == RiskReversal || h.Kind == Seagull {
			for j, k := range h.strike {
				if k > 0 {
					h.lnStrike[j] = math.Log(k * h.fwd)
				}
			}
		}
	}
	// Rates: swaps and swaptions in every currency with rate exposure.
	for bi := range m.blocks {
		bl := &m.blocks[bi]
		c := bl.ccy
		z := mk.Curves[c]
		df := func(t float64) float64 { return math.Exp(-z.Rate(t) * t) }
		annuity := func(a, b float64) float64 { // semi-annual payments in (a, b]
			s := 0.0
			for k := 1; 0.5*float64(k) <= b+1e-9; k++ {
				if t := 0.5 * float64(k); t > a+1e-9 {
					s += 0.5 * df(t)
				}
			}
			return s
		}
		for _, ten := range []float64{2, 3, 5, 7, 10, 15, 20, 30} {
			par := (1 - df(ten)) / annuity(0, ten)
			// Carry to the horizon: fixed coupons less the floating
			// forwards of the periods paid by then.
			carry := 0.0
			for k := 1; 0.5*float64(k) <= T+1e-9 && 0.5*float64(k) <= ten; k++ {
				t0, t1 := 0.5*float64(k-1), 0.5*float64(k)
				fwdRate := (df(t0)/df(t1) - 1) / 0.5
				carry += 0.5 * (par - fwdRate) * df(t1)
			}
			for _, pay := range []bool{false, true} {
				h := Hedge{AssetClass: "rates", Underlying: c.String() + " swap", Tenor: fmt.Sprintf("%gy", ten), Ccy: c,
					block: bi, fx: bl.fx, tenor: ten, fwd: par, carry: carry, Kind: SwapReceiver}
				h.ID = fmt.Sprintf("swap_receiver_%s_%gy", c, ten)
				h.Delta = annuity(0, ten) * 1e-4 // DV01 per USD notional
				if pay {
					h.ID, h.Kind, h.carry, h.Delta = fmt.Sprintf("swap_payer_%s_%gy", c, ten), SwapPayer, -carry, -h.Delta
				}
				h.CostBps = bidAskSwap + collateral + cpCharge
				m.hedges = append(m.hedges, h)
			}
		}
		vol := mk.SwaptionVol[c]
		for _, sw := range []struct {
			exp, ten float64
			pay      bool
		}{{1, 10, false}, {2, 10, false}, {3, 10, false}, {5, 10, false}, {10, 10, false},
			{1, 20, false}, {5, 20, false}, {10, 20, false}, {1, 5, false},
			{1, 10, true}, {5, 10, true}, {1, 5, true}} {
			a := annuity(sw.exp, sw.exp+sw.ten)
			f := (df(sw.exp) - df(sw.exp+sw.ten)) / a
			h := Hedge{AssetClass: "rates", Underlying: c.String() + " swaption", Tenor: fmt.Sprintf("%gy x %gy", sw.exp, sw.ten),
				Ccy: c, block: bi, fx: bl.fx, expiry: sw.exp, tenor: sw.ten, fwd: f, Kind: SwaptionReceiver}
			h.ID = fmt.Sprintf("swaption_receiver_%s_%gyx%gy", c, sw.exp, sw.ten)
			if sw.pay {
				h.Kind, h.ID = SwaptionPayer, fmt.Sprintf("swaption_payer_%s_%gyx%gy", c, sw.exp, sw.ten)
			}
			h.Premium = a * bachelier(f, f, vol, sw.exp, !sw.pay)
			h.Delta = a * 0.5 * 1e-4 // ATM: half the forward swap's DV01
			if sw.pay {
				h.Delta = -h.Delta
			}
			h.CostBps = h.Premium*1e4/math.Max(sw.exp, 1)*(1+optionBidAsk) + collateral + cpCharge
			m.hedges = append(m.hedges, h)
		}
	}
	// Credit indices, when the fund holds credit.
	if len(m.credits) > 0 {
		ref := len(m.credits) - 1 // worst-rated factor
		for _, ix := range []struct {
			idx  market.Index
			ccy  market.Ccy
			coup float64
			rec  float64
			beta float64
			rat  market.Rating
			hy   bool
		}{
			{market.CDXIG, market.USD, 0.01, 0.40, 1, market.BBB, false},
			{market.CDXHY, market.USD, 0.05, 0.30, 1.6, market.B, true},
			{market.ITraxxMain, market.EUR, 0.01, 0.40, 1, market.BBB, false},
			{market.ITraxxCrossover, market.EUR, 0.05, 0.40, 1.6, market.B, true},
		} {
			f := m.fxOf[ix.ccy]
			if ix.ccy != market.USD && f < 0 {
				continue
			}
			s0 := mk.IndexSpread[ix.idx]
			r := mk.Curves[ix.ccy].Rate(2.5)
			h := Hedge{ID: "cds_index_" + ix.idx.String(), AssetClass: "credit", Kind: CDSIndex, Underlying: ix.idx.String(),
				Tenor: "5y", Ccy: ix.ccy, fx: f, index: ix.idx, credit: ref, beta: ix.beta, idxRating: ix.rat,
				rate: r, recovery: ix.rec, coup: ix.coup, tenor: 5, fwd: s0}
			h.Premium = (s0 - ix.coup) * rpv01(s0, r, ix.rec, 5)
			h.Delta = rpv01(s0, r, ix.rec, 5) * 1e-4 // CS01
			ba := bidAskIG
			if ix.hy {
				ba = bidAskHY
			}
			h.CostBps = s0*1e4 + ba + collateral + cpCharge
			m.hedges = append(m.hedges, h)
		}
		m.buildSingleNames(mk)
	}
	// FRAs, bond futures and cross-currency swaps per rate currency.
	for bi := range m.blocks {
		bl := &m.blocks[bi]
		c := bl.ccy
		z := mk.Curves[c]
		df := func(t float64) float64 { return math.Exp(-z.Rate(t) * t) }
		for _, start := range []float64{1, 2} {
			fwdRate := (df(start)/df(start+0.5) - 1) / 0.5
			for _, pay := range []bool{true, false} {
				h := Hedge{AssetClass: "rates", Underlying: c.String() + " FRA", Tenor: fmt.Sprintf("%gx%gm", 12*start, 12*start+6),
					Ccy: c, block: bi, fx: bl.fx, expiry: start, tenor: 0.5, fwd: fwdRate, Kind: FRAPayer}
				h.ID = fmt.Sprintf("fra_payer_%s_%gy", c, start)
				h.Delta = -0.5 * df(start+0.5) * 1e-4
				if !pay {
					h.Kind, h.ID, h.Delta = FRAReceiver, fmt.Sprintf("fra_receiver_%s_%gy", c, start), -h.Delta
				}
				h.CostBps = bidAskSwap + collateral + cpCharge
				m.hedges = append(m.hedges, h)
			}
		}
		// Bond future: a 6% 10-year bond's price per unit face today.
		p0 := 0.0
		for k := 1; k <= 20; k++ {
			p0 += 0.03 * df(0.5*float64(k))
		}
		p0 += df(10)
		bf := Hedge{ID: "bond_future_" + c.String() + "_10y", AssetClass: "rates", Kind: BondFuture, Underlying: c.String() + " 10y government future",
			Tenor: "10y", Ccy: c, block: bi, fx: bl.fx, tenor: 10, fwd: p0, coup: 0.06}
		bf.Delta = 0
		for k := 1; k <= 20; k++ {
			t := 0.5 * float64(k)
			cf := 0.03
			if k == 20 {
				cf += 1
			}
			bf.Delta += cf * df(t) * t * 1e-4 / p0
		}
		bf.CostBps = 0.5 + collateral // exchange-traded: no counterparty charge
		m.hedges = append(m.hedges, bf)
		// Cross-currency swap against USD.
		if c != market.USD && m.blocks[0].ccy == market.USD {
			ann := func(d func(float64) float64) float64 {
				s := 0.0
				for k := 1; k <= 10; k++ {
					s += 0.5 * d(0.5*float64(k))
				}
				return s
			}
			usd := mk.Curves[market.USD]
			dfu := func(t float64) float64 { return math.Exp(-usd.Rate(t) * t) }
			cu, cf := (1-dfu(5))/ann(dfu), (1-df(5))/ann(df)
			x := Hedge{ID: "xccy_swap_" + c.String() + "USD_5y", AssetClass: "fx", Kind: XCCYSwap, Underlying: c.String() + "USD",
				Tenor: "5y", Ccy: c, block: bi, fx: bl.fx, tenor: 5, fwd: cf, rate: cu, Delta: -1}
			carryBps := math.Max(0, (mk.Curves[c].Rate(5)-usd.Rate(5))*1e4)
			x.CostBps = 2*bidAskSwap + carryBps + collateral + cpCharge
			m.hedges = append(m.hedges, x)
		}
	}
	// Tranche protection on CDX IG, when the fund holds credit.
	if len(m.credits) > 0 {
		s0 := mk.IndexSpread[market.CDXIG]
		for _, tr := range []struct {
			a, d float64
			name string
		}{{0, 0.03, "equity"}, {0.03, 0.07, "mezzanine"}} {
			pd := 1 - math.Exp(-s0/(1-0.40)*5)
			el, err := credit.TrancheLoss(tr.a, tr.d, pd, 0.30, 0.30, 0.40)
			if err != nil {
				continue
			}
			h := Hedge{ID: "tranche_protection_CDX_IG_" + tr.name, AssetClass: "credit", Kind: TrancheProtection,
				Underlying: "CDX_IG " + tr.name + fmt.Sprintf(" %g-%g%%", 100*tr.a, 100*tr.d), Tenor: "5y", Ccy: market.USD, fx: -1,
				credit: len(m.credits) - 1, beta: 1, idxRating: market.BBB, tenor: 5, recovery: 0.40, fwd: s0,
				strike: [3]float64{tr.a, tr.d}, Premium: el}
			h.Delta = el * 1e-4 / s0 // rough CS01-like sensitivity per bp of index spread
			h.CostBps = el/5*1e4*(1+optionBidAsk) + collateral + cpCharge
			m.hedges = append(m.hedges, h)
		}
	}
	// Equity puts on every equity market held.
	for c := range market.NumCcy {
		e := m.eqOf[c]
		if e < 0 || m.eqValue[c] == 0 {
			continue
		}
		r := m.eqRate[c]
		fwd := math.Exp(r)
		for _, k := range []float64{0.95, 0.90} {
			h := Hedge{ID: fmt.Sprintf("equity_put_%s_%.0f", c, 100*k), AssetClass: "equity", Kind: EquityPut,
				Underlying: c.String() + " equities", Tenor: "1y", Ccy: c, fx: m.fxOf[c], eq: e, fwd: fwd, expiry: 1}
			h.strike[0] = k
			h.Premium = gkPut(1, k*fwd, 1, r, 0, mk.EquityVol)
			h.Delta = -normCDF(-gkD1(1, k*fwd, 1, r, 0, mk.EquityVol))
			h.CostBps = h.Premium*1e4*(1+optionBidAsk) + collateral + cpCharge
			m.hedges = append(m.hedges, h)
		}
	}
}

// valueHedges writes the P&L to the hedge horizon (time t years, step st)
// of every candidate hedge per USD notional into out.
func (s *Sim) valueHedges(sp scenario.Params, st int, t float64, out []float64) {
	s.valueHedgesOf(sp, st, t, nil, nil, nil, out)
}

// valueHedgesOf is valueHedges for the hedges listed in only (all when
// nil), with need[b] the longest maturity they read on rate block b
// (curveNeed; nil with only nil); out is indexed by hedge. With taylor
// (only's hedges' swapTaylor), the swaps it has are valued by it, and need
// is what the others read.
func (s *Sim) valueHedgesOf(sp scenario.Params, st int, t float64, only []int, need []float64, taylor [][]poly, out []float64) {
	m := s.m
	x := s.x
	for bi := range m.blocks {
		bl := &m.blocks[bi]
		hd := &bl.hz[st]
		n := len(hd.tau)
		if only != nil {
			// Only as far along the curve as the listed hedges read (the
			// grid runs out to the last liability cash flow); the points
			// are computed in order, so the ones kept are the same.
			if need[bi] == 0 {
				continue // none of them discounts on this curve
			}
			n = min(n, liveIndex(hd, need[bi])+1)
		}
		s.shockDF(hd, n, x[bl.rate], x[bl.rate+1], x[bl.rate+2])
		// Shocked risk-free discount factors at the live grid points, and
		// their running sums for annuities.
		df := s.hdf[bi][:n]
		cum := s.hcum[bi][:n+1]
		cum[0] = 0
		c := 0.0 // the running sum in a register, not re-read from cum
		for i := range n {
			d := hd.df0[i] * s.eBuf[i]
			df[i] = d
			c += d
			cum[i+1] = c
		}
	}
	// Each currency's relative FX move, taken once per call however many
	// hedges read it (the FX factors are the model's first).
	var fxc [market.NumCcy]float64
	var fxDone [market.NumCcy]bool
	if only != nil {
		// A programme: its currencies' moves, and its expanded swaps'
		// exponentials, taken together (approx.ExpAll) rather than each
		// waiting on its own.
		e := s.progExp[:0]
		for _, f := range s.progFX {
			e = append(e, x[f])
		}
		if taylor != nil {
			last := -1 // the curve of mon: swaps on one curve are listed together
			var mon [numMon]float64
			for k, tl := range taylor {
				if tl != nil {
					if rb := m.blocks[m.hedges[only[k]].block].rate; rb != last {
						mon, last = monomials(x[rb], x[rb+1], x[rb+2]), rb
					}
					e = append(e, dotMon(&tl[2*st].c, &mon), dotMon(&tl[2*st+1].c, &mon))
				}
			}
		}
		approx.ExpAll(e)
		for i, f := range s.progFX {
			fxc[f], fxDone[f] = e[i], true
		}
		e = e[len(s.progFX):]
		for k, tl := range taylor {
			if tl != nil {
				s.progSwapV[k] = tl[2*st].v0*e[0] + tl[2*st+1].v0*e[1]
				e = e[2:]
			}
		}
	}
	fxVol := sp.FXVol * math.Sqrt(s.h[0]) // the FX options' vol on this path now
	fxRel := func(f int) float64 {
		if f < 0 {
			return 1
		}
		if f < len(fxc) {
			if !fxDone[f] {
				fxc[f], fxDone[f] = exp(x[f]), true
			}
			return fxc[f]
		}
		return exp(x[f])
	}
	n := len(m.hedges)
	if only != nil {
		n = len(only)
	}
	for k := range n {
		i := k
		if only != nil {
			i = only[k]
		}
		h := &m.hedges[i]
		var v float64
		switch h.Kind {
		case FXForward, FXPut, RiskReversal, Seagull:
			rel := fxRel(h.fx)
			e := &m.fxAt[i][st]
			if h.Kind == FXForward {
				v = e.a - rel*e.b // fwd - rel at expiry
				break
			}
			v = fxOptionsAt(h, rel, fxVol, e) - h.Premium
		case SwapReceiver, SwapPayer, SwaptionReceiver, SwaptionPayer:
			bl := &m.blocks[h.block]
			hd := &bl.hz[st]
			ann := func(a, b float64) float64 { // Σ 0.5 DF over live grid points with a < τ <= b
				return 0.5 * (s.hcum[h.block][liveIndex(hd, b)] - s.hcum[h.block][liveIndex(hd, a)])
			}
			dfAt := func(tau float64) float64 {
				if tau <= 1e-9 {
					return 1
				}
				i := liveIndex(hd, tau) - 1
				return s.hdf[h.block][i]
			}
			switch h.Kind {
			case SwapReceiver, SwapPayer:
				rem := h.tenor - t
				switch {
				case rem <= 1e-9:
				case taylor != nil && taylor[k] != nil:
					v = s.progSwapV[k] - 1
				default:
					v = h.fwd*ann(0, rem) + dfAt(rem) - 1
				}
				if h.Kind == SwapPayer {
					v = -v
				}
				v = (v + h.carry) * fxRel(h.fx)
			default:
				recv := h.Kind == SwaptionReceiver
				st0, end := h.expiry-t, h.expiry+h.tenor-t
				a := ann(math.Max(st0, 0), end)
				if st0 <= 1e-9 { // expired into the swap: intrinsic value
					par := (dfAt(math.Max(st0, 0)) - dfAt(end)) / a
					if recv {
						v = a * math.Max(h.fwd-par, 0)
					} else {
						v = a * math.Max(par-h.fwd, 0)
					}
				} else {
					f := (dfAt(st0) - dfAt(end)) / a
					v = a * bachelier(f, h.fwd, sp.IRVol*math.Sqrt(s.h[1]), st0, recv)
				}
				// The premium was paid today, in USD at today's rate: it
				// does not move with the currency.
				v = v*fxRel(h.fx) - h.Premium
			}
		case CDSIndex, SingleNameCDS:
			sv := sp.CreditVol * h.beta
			y := x[m.creditIdx[h.credit]]
			spr := h.fwd * exp(h.beta*y-0.5*sv*sv*m.spreadVar[st])
			rem := h.tenor - t
			val := (spr - h.coup) * rpv01(spr, h.rate, h.recovery, rem)
			// Defaults in the index to the horizon: the Vasicek default rate
			// at the index's rating given the reference factor.
			dr := m.indexDefaultRate(sp, st, h.idxRating, y)
			v = (val - h.Premium - h.coup*t + (1-h.recovery)*dr) * fxRel(h.fx)
		case FRAPayer, FRAReceiver, BondFuture, XCCYSwap:
			bl := &m.blocks[h.block]
			hd := &bl.hz[st]
			dfAt := func(b int, tau float64) float64 {
				if tau <= 1e-9 {
					return 1
				}
				hdb := &m.blocks[b].hz[st]
				i := liveIndex(hdb, tau) - 1
				if i < 0 {
					return 1
				}
				return s.hdf[b][i]
			}
			switch h.Kind {
			case FRAPayer, FRAReceiver:
				// Settled at its start: the fixing's payoff, discounted from
				// the end of the period.
				st0 := h.expiry - t
				d0, d1 := dfAt(h.block, math.Max(st0, 0)), dfAt(h.block, st0+h.tenor)
				f := (d0/d1 - 1) / h.tenor
				v = h.tenor * (f - h.fwd) * d1
				if h.Kind == FRAReceiver {
					v = -v
				}
				v *= fxRel(h.fx)
			case BondFuture:
				p := 0.0
				for k := 1; k <= 20; k++ {
					tk := 0.5*float64(k) - t
					if tk <= 1e-9 {
						p += 0.03 // coupons received by the horizon
						continue
					}
					cf := 0.03
					if k == 20 {
						cf += 1
					}
					p += cf * dfAt(h.block, tk)
				}
				v = (p/h.fwd - 1) * fxRel(h.fx)
			case XCCYSwap:
				usdLeg, fLeg := 0.0, 0.0
				for k := 1; k <= 10; k++ {
					tk := 0.5*float64(k) - t
					if tk <= 1e-9 {
						usdLeg += 0.5 * h.rate
						fLeg += 0.5 * h.fwd
						continue
					}
					usdLeg += 0.5 * h.rate * dfAt(0, tk)
					fLeg += 0.5 * h.fwd * dfAt(h.block, tk)
				}
				usdLeg += dfAt(0, 5-t)
				fLeg += dfAt(h.block, 5-t)
				v = (usdLeg - 1) - fxRel(h.fx)*(fLeg-1) - (fxRel(h.fx) - 1)
				_ = hd
			}
		case TrancheProtection:
			sv := sp.CreditVol * h.beta
			y := x[m.creditIdx[h.credit]]
			spr := h.fwd * exp(h.beta*y-0.5*sv*sv*m.spreadVar[st])
			rem := h.tenor - t
			// Realised pool loss to the horizon (Vasicek default rate at the
			// index rating) and expected tranche loss over what remains.
			dr := m.indexDefaultRate(sp, st, h.idxRating, y)
			pdRem := 1 - math.Exp(-spr/(1-h.recovery)*rem)
			pd := dr + (1-dr)*pdRem
			el, err := credit.TrancheLoss(h.strike[0], h.strike[1], math.Min(math.Max(pd, 1e-9), 1-1e-9), 0.30, 0.30, h.recovery)
			if err != nil {
				el = h.Premium
			}
			v = el - h.Premium
		case EquityPut:
			rel := exp(x[h.eq])
			k := h.strike[0] * h.fwd
			if tau := h.expiry - t; tau > 1e-9 {
				v = gkPut(rel, k, tau, m.eqRate[h.Ccy], 0, sp.EquityVol*math.Sqrt(s.h[3]))
			} else {
				v = math.Max(k-rel, 0)
			}
			v = v*fxRel(h.fx) - h.Premium
		}
		out[i] = v
	}
}

// curveNeed returns the longest maturity from today (years) at which any
// of the hedges only reads the shocked discount factors of rate block b,
// 0 when none does.
func curveNeed(m *Model, only []int, b int) float64 {
	need := 0.0
	for _, i := range only {
		h := &m.hedges[i]
		switch h.Kind {
		case SwapReceiver, SwapPayer, SwaptionReceiver, SwaptionPayer, FRAPayer, FRAReceiver, BondFuture, XCCYSwap:
			if h.block == b || (h.Kind == XCCYSwap && b == 0) {
				need = math.Max(need, h.expiry+h.tenor)
			}
		}
	}
	return need
}

// indexDefaultRate is the Vasicek default rate to step st at rating r
// given the reference factor y (a log-spread move), 0 without defaults.
func (m *Model) indexDefaultRate(sp scenario.Params, st int, r market.Rating, y float64) float64 {
	if b := m.defaultSlope(sp, st); b > 0 && !m.cfg.Dynamics.NoDefaults {
		return fastNormCDF(m.pdY[st][r] + b*y)
	}
	return 0
}

// defaultSlope is, at step st of scenario sp, how the argument of the
// Vasicek default rate Φ((q + √ρ·z)/√(1-ρ)) moves with a log-spread move:
// z is the move standardised by its sd σ·spreadSD, so the argument is
// pdY + defaultSlope·move. 0 when the spreads do not move.
func (m *Model) defaultSlope(sp scenario.Params, st int) float64 {
	if sdv := sp.CreditVol * m.spreadSD[st]; sdv > 0 {
		return m.sqrtRho / (m.sqrt1mRho * sdv)
	}
	return 0
}

// liveIndex returns how many live grid points of hd have τ <= b (+ tolerance).
func liveIndex(hd *horizonData, b float64) int {
	if len(hd.tau) == 0 || b < hd.tau[0]-1e-9 {
		return 0
	}
	i := int(math.Floor((b-hd.tau[0])/0.5+1e-9)) + 1
	return min(i, len(hd.tau))
}

// fxOptionsValue values an FX option structure per unit of foreign notional
// relative to spot (spot today = 1), at relative spot rel and time t.
func fxOptionsValue(h *Hedge, rel, t, vol, rd, rf float64) float64 {
	e := optionStep(h.expiry-t, rd, rf)
	return fxOptionsAt(h, rel, vol, &e)
}

// fxOptionsAt is fxOptionsValue with its path-independent part e.
func fxOptionsAt(h *Hedge, rel, vol float64, e *fxStep) float64 {
	tau, rd, rf := e.tau, e.rd, e.rf
	f := h.fwd
	// Garman-Kohlhagen for every leg, with what the legs share computed
	// once: the log of spot (the strikes' logs are the hedge's), the
	// discount factors and the vol to expiry. At expiry a leg is its
	// intrinsic value; with no vol, gkPut and gkCall's discounted one.
	var v, iv, lnS, drift float64
	dd, df := e.dd, e.df
	leg := func(j int, call bool) float64 {
		d1 := (lnS - h.lnStrike[j] + drift) * iv
		d2 := d1 - v
		k := h.strike[j] * f
		if call {
			return rel*df*normCDF(d1) - k*dd*normCDF(d2)
		}
		return k*dd*normCDF(-d2) - rel*df*normCDF(-d1)
	}
	if tau > 1e-9 && vol > 0 {
		v = vol * e.sq
		iv = 1 / v
		lnS = approx.Log(rel)
		drift = e.rt + 0.5*v*v
	} else {
		leg = func(j int, call bool) float64 {
			k := h.strike[j] * f
			switch {
			case tau <= 1e-9 && call:
				return math.Max(rel-k, 0)
			case tau <= 1e-9:
				return math.Max(k-rel, 0)
			case call:
				return gkCall(rel, k, tau, rd, rf, vol)
			}
			return gkPut(rel, k, tau, rd, rf, vol)
		}
	}
	switch h.Kind {
	case FXPut:
		return leg(0, false)
	case RiskReversal:
		return leg(0, false) - leg(1, true)
	case Seagull:
		return leg(0, false) - leg(1, false) - leg(2, true)
	}
	return 0
}

// gkDelta is the one-year spot delta, per unit of foreign notional with
// spot 1, of a Garman-Kohlhagen call or put struck at k.
func gkDelta(k, rd, rf, vol float64, call bool) float64 {
	d1 := gkD1(1, k, 1, rd, rf, vol)
	if call {
		return math.Exp(-rf) * normCDF(d1)
	}
	return -math.Exp(-rf) * normCDF(-d1)
}

// gkD1 is Garman-Kohlhagen's d1.
func gkD1(s, k, t, rd, rf, vol float64) float64 {
	v := vol * math.Sqrt(t)
	return (approx.Log(s/k) + (rd-rf)*t + 0.5*v*v) / v
}

// gkCall and gkPut are Garman & Kohlhagen (1983) prices in domestic units
// per unit of foreign notional; with rf as a dividend yield they are Black
// & Scholes with dividends (Merton 1973).
func gkCall(s, k, t, rd, rf, vol float64) float64 {
	if vol <= 0 || t <= 0 {
		return math.Max(s*math.Exp(-rf*t)-k*math.Exp(-rd*t), 0)
	}
	d1 := gkD1(s, k, t, rd, rf, vol)
	d2 := d1 - vol*math.Sqrt(t)
	return s*exp(-rf*t)*normCDF(d1) - k*exp(-rd*t)*normCDF(d2)
}

func gkPut(s, k, t, rd, rf, vol float64) float64 {
	if vol <= 0 || t <= 0 {
		return math.Max(k*math.Exp(-rd*t)-s*math.Exp(-rf*t), 0)
	}
	d1 := gkD1(s, k, t, rd, rf, vol)
	d2 := d1 - vol*math.Sqrt(t)
	return k*exp(-rd*t)*normCDF(-d2) - s*exp(-rf*t)*normCDF(-d1)
}

// bachelier is the normal-model (Bachelier 1900) value of an option on a
// forward swap rate f with strike k, normal vol, expiry t, per unit annuity:
// a receiver pays max(k - S, 0), a payer max(S - k, 0).
func bachelier(f, k, vol, t float64, receiver bool) float64 {
	sd := vol * math.Sqrt(t)
	if sd <= 0 {
		if receiver {
			return math.Max(k-f, 0)
		}
		return math.Max(f-k, 0)
	}
	d := (f - k) / sd
	pdf := math.Exp(-0.5*d*d) / math.Sqrt(2*math.Pi)
	if receiver {
		return (k-f)*normCDF(-d) + sd*pdf
	}
	return (f-k)*normCDF(d) + sd*pdf
}

// rpv01 is the risky annuity of quarterly premiums on a flat hazard
// s/(1-R) and flat rate r over tau years (the credit triangle).
func rpv01(s, r, recovery, tau float64) float64 {
	if tau <= 0 {
		return 0
	}
	lam := s / (1 - recovery)
	n := int(math.Ceil(tau*4 - 1e-9))
	sum := 0.0
	for q := 1; q <= n; q++ {
		t := math.Min(0.25*float64(q), tau)
		sum += 0.25 * math.Exp(-(r+lam)*t)
	}
	return sum
}

// TenorYears is the hedge's swap tenor (rates), or its expiry or maturity
// in years for other kinds.
func (h *Hedge) TenorYears() float64 {
	if h.tenor > 0 {
		return h.tenor
	}
	return h.expiry
}

// SwapParams returns, for a swap or swaption, its currency block's
// currency, the fixed (or strike) rate, the option expiry (0 for a swap)
// and the swap tenor, so that callers can revalue it under static shocks.
func (h *Hedge) SwapParams() (rate, expiry, tenor float64, ok bool) {
	switch h.Kind {
	case SwapReceiver, SwapPayer:
		return h.fwd, 0, h.tenor, true
	case SwaptionReceiver, SwaptionPayer:
		return h.fwd, h.expiry, h.tenor, true
	}
	return 0, 0, 0, false
}

// Bachelier is the normal-model option value per unit annuity (exported
// for static stress tests of swaptions).
func Bachelier(f, k, vol, t float64, receiver bool) float64 { return bachelier(f, k, vol, t, receiver) }

// SetProgramme makes Simulate carry a hedge programme (USD notional per
// hedge, nil to clear) on every path and step: the fund's assets include
// the programme's P&L to date, so that every metric, drawdowns included,
// is of the hedged fund. Linear hedges count net of carry, as in HedgePnL.
func (s *Sim) SetProgramme(notional []float64) error {
	s.prog, s.progX = s.prog[:0], s.progX[:0]
	if notional == nil {
		return nil
	}
	if len(notional) != len(s.m.hedges) {
		return fmt.Errorf("%w: programme has %d notionals for %d hedges", ErrInvalid, len(notional), len(s.m.hedges))
	}
	for j, v := range notional {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: programme notional %d is %v", ErrInvalid, j, v)
		}
		if v != 0 {
			s.prog = append(s.prog, j)
			s.progX = append(s.progX, v)
		}
	}
	if len(s.prog) > 0 && s.progVal == nil {
		s.progVal = make([]float64, len(s.m.hedges))
	}
	s.progNeed = s.progNeed[:0]
	s.progTaylor = s.progTaylor[:0]
	var exact []int // the programme's hedges valued on the shocked curves at weekly steps too
	for _, j := range s.prog {
		tl := s.m.swapTaylor(j)
		s.progTaylor = append(s.progTaylor, tl)
		if tl == nil {
			exact = append(exact, j)
		}
	}
	s.progFX = s.progFX[:0]
	for _, j := range s.prog {
		if f := s.m.hedges[j].fx; f >= 0 && f < int(market.NumCcy) && !slices.Contains(s.progFX, f) {
			s.progFX = append(s.progFX, f)
		}
	}
	s.progExp = slices.Grow(s.progExp[:0], len(s.progFX)+len(s.prog))
	s.progSwapV = resize(s.progSwapV, len(s.prog))
	s.progNeedWeekly = s.progNeedWeekly[:0]
	for b := range s.m.blocks {
		s.progNeed = append(s.progNeed, curveNeed(s.m, s.prog, b))
		s.progNeedWeekly = append(s.progNeedWeekly, curveNeed(s.m, exact, b))
	}
	return nil
}

// swapTaylor returns, for a swap, its fixed leg with the notional as two
// classes of the rate block's Taylor expansion at every step, so that a
// programme carried on the paths values it at a weekly step as the fund
// values its bonds and liabilities (Sim.value) instead of shocking its
// whole curve: at 2·step the coupons fwd/2 at the live grid points to the
// tenor, at 2·step+1 the notional at the end. Apart, each is well inside
// the expansion's reach: the notional is one cash flow, whose logarithm is
// linear in the factors and so exact, and the coupons are spread evenly.
// Together, the bullet at the end makes the cash-flow times' distribution
// lopsided, and on extreme paths of a harsh scenario a 30-year leg missed
// by up to 2% of the notional (TestSwapTaylorOnPaths). nil for any other
// hedge, or a leg whose coupons are not positive (the expansion is of the
// logarithm).
func (m *Model) swapTaylor(j int) []poly {
	h := &m.hedges[j]
	if (h.Kind != SwapReceiver && h.Kind != SwapPayer) || !(h.fwd > 0) {
		return nil
	}
	bl := &m.blocks[h.block]
	out := make([]poly, 2*len(m.steps))
	for st, day := range m.steps {
		rem := h.tenor - float64(day)/DaysPerYear
		if rem <= 1e-9 {
			continue // matured: valued at 0 without the expansion
		}
		hd := &bl.hz[st]
		n := liveIndex(hd, rem)
		var coupons, notional taylor
		for i := range n {
			m.addFlow(&coupons, 0.5*h.fwd*hd.df0[i], hd.tau[i])
		}
		m.addFlow(&notional, hd.df0[n-1], hd.tau[n-1])
		coupons.toLog()
		notional.toLog()
		out[2*st], out[2*st+1] = polyOf(&coupons), polyOf(&notional)
	}
	return out
}

// programmeCarry tabulates, per step, the programme's linear hedges' value
// on the unshocked path (their carry to date), for one scenario.
func (s *Sim) programmeCarry(sp scenario.Params) {
	m := s.m
	s.progCarry = resize(s.progCarry, len(m.steps)*len(s.prog))
	clear(s.x)
	s.h = [4]float64{1, 1, 1, 1}
	for st, day := range m.steps {
		t := float64(day) / DaysPerYear
		s.valueProgramme(sp, st, t, slices.Contains(m.hzStep, st))
		for k, j := range s.prog {
			c := 0.0
			if m.hedges[j].linear {
				c = s.progVal[j]
			}
			s.progCarry[st*len(s.prog)+k] = c
		}
	}
}

// valueProgramme values the programme's hedges at step st into s.progVal:
// exactly at a horizon, its swaps by their Taylor expansion at a weekly step.
func (s *Sim) valueProgramme(sp scenario.Params, st int, t float64, exact bool) {
	if exact {
		s.valueHedgesOf(sp, st, t, s.prog, s.progNeed, nil, s.progVal)
		return
	}
	s.valueHedgesOf(sp, st, t, s.prog, s.progNeedWeekly, s.progTaylor, s.progVal)
}

// programmeValue is the programme's P&L at step st on the current path,
// exactly at a horizon.
func (s *Sim) programmeValue(sp scenario.Params, st int, t float64, exact bool) float64 {
	s.valueProgramme(sp, st, t, exact)
	v := 0.0
	for k, j := range s.prog {
		v += s.progX[k] * (s.progVal[j] - s.progCarry[st*len(s.prog)+k])
	}
	return v
}
