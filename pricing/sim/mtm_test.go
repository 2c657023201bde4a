package sim

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/pricing/curve"
	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/pricing/portfolio"
	"github.com/hedgeflow/hedgeflow/pricing/rates"
)

var mtmDay0 = time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)

// cloneMarket copies a snapshot deeply enough to change its curves.
func cloneMarket(m *market.Snapshot) *market.Snapshot {
	c := *m
	for i := range c.Curves {
		c.Curves[i].Times = append([]float64(nil), m.Curves[i].Times...)
		c.Curves[i].Rates = append([]float64(nil), m.Curves[i].Rates...)
	}
	return &c
}

// shifted returns m with every zero curve moved by dr (a fraction).
func shifted(t *testing.T, m *market.Snapshot, dr float64) *market.Snapshot {
	c := cloneMarket(m)
	for i := range c.Curves {
		for j := range c.Curves[i].Rates {
			c.Curves[i].Rates[j] += dr
		}
		if _, err := curve.NewZero(c.Curves[i].Times, c.Curves[i].Rates); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func mark0(t *testing.T) (*Model, *Mark) {
	m := sampleModel(t, Config{Paths: 10})
	_, mk := sample(t)
	at := &Mark{Date: mtmDay0, Market: mk}
	for c := range at.Equity {
		at.Equity[c] = 100
	}
	return m, at
}

func hedgeByID(t *testing.T, m *Model, id string) *Hedge {
	t.Helper()
	return &m.Hedges()[hedgeIndex(t, m, id)]
}

// At inception, on the same market and date, every position's P&L is zero
// and its value is its price: zero for linear instruments, the premium for
// options (to rounding: the catalogue prices them with the same formulas),
// the upfront for CDS indices to 1% (the catalogue's upfront uses the
// credit-triangle annuity, marking the bootstrapped one of
// credit.Index.Value; the largest gap, 0.6%, is on the high-yield indices).
func TestMarkAtInception(t *testing.T) {
	m, at := mark0(t)
	for i := range m.Hedges() {
		h := &m.Hedges()[i]
		v, err := h.Value(at, at)
		if err != nil {
			t.Fatalf("%s: %v", h.ID, err)
		}
		pnl, err := h.PnL(at, at)
		if err != nil || pnl != 0 {
			t.Errorf("%s: P&L at inception %v, %v", h.ID, pnl, err)
		}
		want, tol := h.Premium, 1e-13
		switch h.Kind {
		case FXForward, SwapReceiver, SwapPayer, FRAPayer, FRAReceiver, BondFuture, XCCYSwap:
			want = 0
		case CDSIndex, SingleNameCDS:
			tol = 0.01 * math.Abs(h.Premium)
		}
		if math.Abs(v-want) > tol {
			t.Errorf("%s: value at inception %v, want %v (tolerance %g)", h.ID, v, want, tol)
		}
	}
}

// Signs: each hedge gains in the move it hedges, and loses in the
// opposite one.
func TestMarkSigns(t *testing.T) {
	m, at := mark0(t)
	later := func(mk *market.Snapshot, eq float64) *Mark {
		n := &Mark{Date: mtmDay0.AddDate(0, 0, 7), Market: mk}
		for c := range n.Equity {
			n.Equity[c] = eq
		}
		return n
	}
	eurDown := cloneMarket(at.Market)
	eurDown.FX[market.EUR] *= 0.9
	eurUp := cloneMarket(at.Market)
	eurUp.FX[market.EUR] *= 1.1
	widen := cloneMarket(at.Market)
	tighten := cloneMarket(at.Market)
	for i := range widen.IndexSpread {
		widen.IndexSpread[i] *= 2
		tighten.IndexSpread[i] *= 0.5
	}
	for _, c := range []struct {
		id         string
		gain, loss *Mark
	}{
		{"fx_forward_EUR", later(eurDown, 100), later(eurUp, 100)},
		{"fx_put_EUR_95", later(eurDown, 100), later(eurUp, 100)},
		{"risk_reversal_EUR_95_105", later(eurDown, 100), later(eurUp, 100)},
		{"seagull_EUR_95_85_107", later(eurDown, 100), later(eurUp, 100)},
		{"xccy_swap_EURUSD_5y", later(eurDown, 100), later(eurUp, 100)},
		{"swap_payer_USD_10y", later(shifted(t, at.Market, 0.01), 100), later(shifted(t, at.Market, -0.01), 100)},
		{"swap_receiver_USD_10y", later(shifted(t, at.Market, -0.01), 100), later(shifted(t, at.Market, 0.01), 100)},
		{"swaption_payer_USD_1yx10y", later(shifted(t, at.Market, 0.01), 100), later(shifted(t, at.Market, -0.01), 100)},
		{"swaption_receiver_GBP_1yx10y", later(shifted(t, at.Market, -0.01), 100), later(shifted(t, at.Market, 0.01), 100)},
		{"fra_payer_EUR_1y", later(shifted(t, at.Market, 0.01), 100), later(shifted(t, at.Market, -0.01), 100)},
		{"bond_future_USD_10y", later(shifted(t, at.Market, -0.01), 100), later(shifted(t, at.Market, 0.01), 100)},
		{"cds_index_CDX_IG", later(widen, 100), later(tighten, 100)},
		{"cds_index_ITRAXX_XOVER", later(widen, 100), later(tighten, 100)},
		{"tranche_protection_CDX_IG_equity", later(widen, 100), later(tighten, 100)},
		{"equity_put_USD_95", later(at.Market, 80), later(at.Market, 120)},
	} {
		h := hedgeByID(t, m, c.id)
		g, err := h.PnL(at, c.gain)
		if err != nil {
			t.Fatal(err)
		}
		l, err := h.PnL(at, c.loss)
		if err != nil {
			t.Fatal(err)
		}
		if !(g > 0) || !(l < g) {
			t.Errorf("%s: P&L %v in its move, %v in the opposite one", c.id, g, l)
		}
		if h.Kind == FXPut || h.Kind == EquityPut || h.Kind == TrancheProtection {
			// Bought options lose at most their price.
			v0, _ := h.Value(at, at)
			if l < -v0-1e-15 {
				t.Errorf("%s: lost %v, more than its price %v", c.id, -l, v0)
			}
		}
	}
}

// Aged positions against independent closed forms, three months and half a
// year after inception on a moved market.
func TestMarkAgainstClosedForms(t *testing.T) {
	m, at := mark0(t)
	mk := shifted(t, at.Market, 0.0075)
	mk.FX[market.EUR] *= 0.93
	mk.FX[market.GBP] *= 1.04
	mk.FXVol[market.EUR] = 0.14
	mk.SwaptionVol[market.USD] = 0.0125
	mk.EquityVol = 0.31
	mk.IndexSpread[market.CDXIG] *= 1.7
	half := &Mark{Date: mtmDay0.Add(4380 * time.Hour), Market: mk} // 182.5 days: 0.5 years ACT/365
	half.Accrual[market.USD] = 0.021
	half.Accrual[market.EUR] = 0.013
	for c := range half.Equity {
		at.Equity[c] = 4000
		half.Equity[c] = 3500
	}
	if y := YearFraction(at.Date, half.Date); y != 0.5 {
		t.Fatalf("year fraction %v", y)
	}
	const tau = 0.5
	z := func(c market.Ccy) curve.Zero { return mk.Curves[c] }
	rel := mk.FX[market.EUR] / at.Market.FX[market.EUR]
	check := func(id string, want, tol float64) {
		t.Helper()
		got, err := hedgeByID(t, m, id).Value(at, half)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if math.Abs(got-want) > tol {
			t.Errorf("%s: value %.15g, closed form %.15g (diff %g, tolerance %g)", id, got, want, got-want, tol)
		}
	}
	// FX put and risk reversal: Garman-Kohlhagen (this package's gkPut and
	// gkCall, independent of pricing/fx) at the remaining half year.
	h := hedgeByID(t, m, "fx_put_EUR_90")
	rd, rf := z(market.USD).Rate(tau), z(market.EUR).Rate(tau)
	check(h.ID, gkPut(rel, 0.90*h.fwd, tau, rd, rf, 0.14), 1e-14)
	h = hedgeByID(t, m, "risk_reversal_EUR_95_105")
	check(h.ID, gkPut(rel, 0.95*h.fwd, tau, rd, rf, 0.14)-gkCall(rel, 1.05*h.fwd, tau, rd, rf, 0.14), 1e-14)
	// FX forward: sold at h.fwd, worth K DF_USD - S DF_EUR.
	h = hedgeByID(t, m, "fx_forward_EUR")
	check(h.ID, h.fwd*math.Exp(-rd*tau)-rel*math.Exp(-rf*tau), 1e-14)
	// A receiver swap just after its first coupon is a fresh 9.5-year
	// swap at the old fixed rate (rates.Swap on the moved curve), plus the
	// coupon received, less the floating interest paid (the accrual).
	h = hedgeByID(t, m, "swap_receiver_USD_10y")
	sw, err := rates.Swap{FixedRate: h.fwd, Tenor: 9.5, Freq: 2}.PV(curve.Single(z(market.USD)))
	if err != nil {
		t.Fatal(err)
	}
	check(h.ID, sw+0.5*h.fwd-0.021, 1e-14)
	h = hedgeByID(t, m, "swap_payer_EUR_5y")
	sw, err = rates.Swap{FixedRate: h.fwd, Tenor: 4.5, Freq: 2, Payer: true}.PV(curve.Single(z(market.EUR)))
	if err != nil {
		t.Fatal(err)
	}
	check(h.ID, (sw-0.5*h.fwd+0.013)*rel, 1e-14)
	// Swaption 1y x 10y, six months left: Bachelier on the forward swap
	// rate of the moved curve, the annuity computed here.
	h = hedgeByID(t, m, "swaption_payer_USD_1yx10y")
	a := 0.0
	for k := 1; k <= 20; k++ {
		a += 0.5 * z(market.USD).DF(0.5+0.5*float64(k))
	}
	f := (z(market.USD).DF(0.5) - z(market.USD).DF(10.5)) / a
	check(h.ID, a*bachelier(f, h.fwd, 0.0125, 0.5, false), 1e-14)
	// FRA 12x18 months, six months on: τ (F - K) DF(end) on the moved curve.
	h = hedgeByID(t, m, "fra_payer_USD_1y")
	d0, d1 := z(market.USD).DF(0.5), z(market.USD).DF(1)
	check(h.ID, 0.5*((d0/d1-1)/0.5-h.fwd)*d1, 1e-14)
	// Bond future: the 6% bond is a 9.5-year bond (portfolio.PricePerFace)
	// plus one coupon, financed at the accrual.
	h = hedgeByID(t, m, "bond_future_USD_10y")
	ctd := portfolio.Bond{Ccy: market.USD, Coupon: 0.06, Maturity: 9.5, Freq: 2}
	check(h.ID, (portfolio.PricePerFace(&ctd, mk, 0)+0.03)/h.fwd-math.Exp(0.021), 1e-14)
	// Cross-currency swap: receive a 4.5-year USD bond and one coupon, pay
	// a EUR one converted at today's rate.
	h = hedgeByID(t, m, "xccy_swap_EURUSD_5y")
	ub := portfolio.Bond{Ccy: market.USD, Coupon: h.rate, Maturity: 4.5, Freq: 2}
	eb := portfolio.Bond{Ccy: market.EUR, Coupon: h.fwd, Maturity: 4.5, Freq: 2}
	check(h.ID, portfolio.PricePerFace(&ub, mk, 0)+0.5*h.rate-rel*(portfolio.PricePerFace(&eb, mk, 0)+0.5*h.fwd), 1e-14)
	// Equity put: Black-Scholes (gkPut with no dividend) on the index
	// relative, the strike set at inception, at the 3-month rate.
	h = hedgeByID(t, m, "equity_put_USD_90")
	check(h.ID, gkPut(3500.0/4000, 0.9*h.fwd, tau, z(market.USD).Rate(0.25), 0, 0.31), 1e-14)
	// CDS index: the bootstrapped upfront over 4.5 years against the
	// credit-triangle upfront (rpv01) of the catalogue, less half a year of
	// the 100 bp coupon; the two annuities agree to 2e-4 of notional.
	h = hedgeByID(t, m, "cds_index_CDX_IG")
	s1 := mk.IndexSpread[market.CDXIG]
	check(h.ID, (s1-0.01)*rpv01(s1, z(market.USD).Rate(2.25), 0.4, 4.5)-0.005, 2e-4)
}

// An FX forward on an unchanged market earns its forward points as time
// passes: worth K DF_USD(τ) - DF_EUR(τ) with τ what is left, not zero.
func TestMarkCarry(t *testing.T) {
	m, at := mark0(t)
	h := hedgeByID(t, m, "fx_forward_EUR")
	now := &Mark{Date: mtmDay0.AddDate(0, 3, 0), Market: at.Market}
	tau := h.expiry - YearFraction(at.Date, now.Date)
	got, err := h.Value(at, now)
	if err != nil {
		t.Fatal(err)
	}
	z := at.Market.Curves
	want := h.fwd*math.Exp(-z[market.USD].Rate(tau)*tau) - math.Exp(-z[market.EUR].Rate(tau)*tau)
	if math.Abs(got-want) > 1e-14 || got == 0 {
		t.Errorf("forward after three months: %v, want %v", got, want)
	}
	// A bought put on an unchanged market loses time value.
	p := hedgeByID(t, m, "fx_put_EUR_95")
	pnl, err := p.PnL(at, now)
	if err != nil {
		t.Fatal(err)
	}
	if !(pnl < 0) {
		t.Errorf("put P&L after three months on an unchanged market: %v, want a loss", pnl)
	}
}

func TestMarkErrors(t *testing.T) {
	m, at := mark0(t)
	put := hedgeByID(t, m, "equity_put_EUR_95")
	noEq := &Mark{Date: mtmDay0, Market: at.Market}
	for _, c := range []struct {
		name    string
		h       *Hedge
		at, now *Mark
		want    string
	}{
		{"no equity level", put, noEq, noEq, "equity level of EUR"},
		{"before inception", put, at, &Mark{Date: mtmDay0.AddDate(0, 0, -1), Market: at.Market, Equity: at.Equity}, "before inception"},
		{"no market", put, at, &Mark{Date: mtmDay0}, "missing market"},
		{"no fx vol", hedgeByID(t, m, "fx_put_GBP_95"), at, func() *Mark {
			mk := cloneMarket(at.Market)
			mk.FXVol[market.GBP] = 0
			return &Mark{Date: mtmDay0, Market: mk}
		}(), "fx_vols.GBP"},
		{"no index spread", hedgeByID(t, m, "cds_index_CDX_HY"), at, func() *Mark {
			mk := cloneMarket(at.Market)
			mk.IndexSpread[market.CDXHY] = math.NaN()
			return &Mark{Date: mtmDay0, Market: mk}
		}(), "index_spreads_bps.CDX_HY"},
	} {
		_, err := c.h.Value(c.at, c.now)
		if !errors.Is(err, ErrMark) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming %q", c.name, err, c.want)
		}
	}
}

// Trade costs come from the same assumptions as CostBps: the risk
// reversal's is 5% of its gross premium (both legs, at inception), every
// one is positive, and running costs are collateral plus the counterparty
// charge (collateral alone for the exchange-traded future).
func TestMarkCosts(t *testing.T) {
	m, at := mark0(t)
	mk := at.Market
	for i := range m.Hedges() {
		h := &m.Hedges()[i]
		if tc := h.TradeCostBps(); !(tc > 0) || tc > h.CostBps*10 {
			t.Errorf("%s: trade cost %v bp (annual cost %v bp)", h.ID, tc, h.CostBps)
		}
		want := 2.0
		if h.Kind == BondFuture {
			want = 1
		}
		if rc := h.RunningCostBps(); rc != want || rc > h.CostBps {
			t.Errorf("%s: running cost %v bp, want %v", h.ID, rc, want)
		}
	}
	h := hedgeByID(t, m, "risk_reversal_GBP_95_105")
	rd, rf := mk.Curves[market.USD].Rate(1), mk.Curves[market.GBP].Rate(1)
	gross := gkPut(1, 0.95*h.fwd, 1, rd, rf, mk.FXVol[market.GBP]) + gkCall(1, 1.05*h.fwd, 1, rd, rf, mk.FXVol[market.GBP])
	if got := h.TradeCostBps(); math.Abs(got-0.05*gross*1e4) > 1e-9 {
		t.Errorf("risk reversal trade cost %v bp, want 5%% of %v = %v bp", got, gross, 0.05*gross*1e4)
	}
	// Half of a 0.5 bp bid-offer on the rate times the 10-year swap's
	// annuity, computed here on the USD curve.
	sw := hedgeByID(t, m, "swap_receiver_USD_10y")
	a := 0.0
	for k := 1; k <= 20; k++ {
		a += 0.5 * mk.Curves[market.USD].DF(0.5*float64(k))
	}
	if got := sw.TradeCostBps(); math.Abs(got-0.25*a) > 1e-12 {
		t.Errorf("10y swap trade cost %v bp, want 0.25 bp × annuity %v = %v", got, a, 0.25*a)
	}
	// Half of 3 bp of spread on the HY index times its risky annuity.
	hy := hedgeByID(t, m, "cds_index_CDX_HY")
	if got, want := hy.TradeCostBps(), 1.5*rpv01(hy.fwd, hy.rate, 0.3, 5); math.Abs(got-want) > 1e-9 {
		t.Errorf("HY index trade cost %v bp, want %v", got, want)
	}
}
