package backtest

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/input"
	"github.com/hedgeflow/hedgeflow/pricing/curve"
	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/pricing/portfolio"
	"github.com/hedgeflow/hedgeflow/pricing/sim"
)

func sampleFund(t testing.TB) *portfolio.Portfolio {
	t.Helper()
	p, err := input.ParsePortfolio(examples.PortfolioFile, examples.Portfolio)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func sampleMarket(t testing.TB) *market.Snapshot {
	t.Helper()
	m, err := input.ParseMarket(examples.MarketFile, examples.Market)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// synthDays builds n business days from the sample market: each day the
// S&P 500 falls 1.5%, the other indices 1%, EUR and GBP lose 0.7%
// against USD, every curve falls 4 bp, spreads and vols rise by 3%.
func synthDays(t testing.TB, n int) []*Day {
	t.Helper()
	base := sampleMarket(t)
	d0 := time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC) // a Monday
	var out []*Day
	date := d0
	for k := range n {
		m := *base
		for c := range m.Curves {
			rs := make([]float64, len(base.Curves[c].Rates))
			for i, r := range base.Curves[c].Rates {
				rs[i] = r - 0.0004*float64(k)
			}
			z, err := curve.NewZero(base.Curves[c].Times, rs)
			if err != nil {
				t.Fatal(err)
			}
			m.Curves[c] = z
		}
		g := math.Pow(0.993, float64(k))
		m.FX[market.EUR] *= g
		m.FX[market.GBP] *= g
		up := math.Pow(1.03, float64(k))
		for r := range m.Spread {
			m.Spread[r] *= up
		}
		for i := range m.IndexSpread {
			m.IndexSpread[i] *= up
		}
		m.EquityVol *= up
		for c := range m.FXVol {
			m.FXVol[c] *= up
		}
		m.Date = date.Format(time.DateOnly)
		out = append(out, &Day{Date: date, Market: &m, Equity: map[string]float64{
			"SPX": 4000 * math.Pow(0.985, float64(k)), "SX5E": 3800 * math.Pow(0.99, float64(k)),
			"UKX": 6700 * math.Pow(0.99, float64(k)), "EAFE": 70 * math.Pow(0.99, float64(k)),
		}})
		date = date.AddDate(0, 0, 1)
		for date.Weekday() == time.Saturday || date.Weekday() == time.Sunday {
			date = date.AddDate(0, 0, 1)
		}
	}
	return out
}

// independentValue values the sample fund on day d (elapsed e years since
// d0) from first principles, written apart from fund.mark: no cash flow
// falls due in the synthetic windows.
func independentValue(p *portfolio.Portfolio, d0, d *Day, scale float64) (assets, liabs float64) {
	e := d.Date.Sub(d0.Date).Hours() / 24 / 365
	local := func(dd *Day, c market.Ccy) float64 {
		switch c {
		case market.USD:
			return dd.Equity["SPX"]
		case market.EUR:
			return dd.Equity["SX5E"]
		case market.GBP:
			return dd.Equity["UKX"]
		}
		return dd.Equity["EAFE"] / dd.Market.FX[c]
	}
	fxr := func(c market.Ccy) float64 { return d.Market.FX[c] / d0.Market.FX[c] }
	for _, q := range p.Equities {
		assets += q.ValueUSD * local(d, q.Ccy) / local(d0, q.Ccy) * fxr(q.Ccy)
	}
	for _, a := range p.Alternatives {
		assets += a.ValueUSD * (1 + a.Beta*(local(d, a.Ccy)/local(d0, a.Ccy)-1)) * fxr(a.Ccy)
	}
	for i := range p.Bonds {
		b := p.Bonds[i]
		face := b.ValueUSD / d0.Market.FX[b.Ccy] / portfolio.PricePerFace(&b, d0.Market, portfolio.BondSpread(&b, d0.Market))
		s := portfolio.BondSpread(&b, d.Market)
		z := d.Market.Curves[b.Ccy]
		pv := 0.0
		for k := 1; k <= int(b.Maturity*float64(b.Freq)+0.5); k++ {
			tau := float64(k)/float64(b.Freq) - e
			cf := b.Coupon / float64(b.Freq)
			if float64(k) == b.Maturity*float64(b.Freq) {
				cf++
			}
			pv += cf * math.Exp(-(z.Rate(tau)+s)*tau)
		}
		assets += face * pv * d.Market.FX[b.Ccy]
	}
	for _, l := range p.Liabilities {
		z := d.Market.Curves[l.Ccy]
		for k, cf := range l.Cashflows {
			tau := float64(k+1) - e
			liabs += scale * cf * math.Exp(-(z.Rate(tau)+p.LiabilitySpread)*tau) * d.Market.FX[l.Ccy]
		}
	}
	return assets, liabs
}

// The unhedged fund on every day is the independent valuation; on the
// first day it is portfolio.Value's, and scaled to the funded ratio asked.
func TestUnhedgedFundMarks(t *testing.T) {
	p := sampleFund(t)
	days := synthDays(t, 12)
	w, err := Run(context.Background(), "synthetic", p, Slice(days), Config{Recalibrator: &Static{}, FundedRatio: 0.95})
	if err != nil {
		t.Fatal(err)
	}
	if w.Days != 12 || len(w.Series.FundedRatioUnhedged) != 12 {
		t.Fatalf("%d days, %d values", w.Days, len(w.Series.FundedRatioUnhedged))
	}
	if d := math.Abs(w.Series.FundedRatioUnhedged[0] - 0.95); d > 1e-12 {
		t.Errorf("first funded ratio %v, want 0.95", w.Series.FundedRatioUnhedged[0])
	}
	v0 := p.Value(days[0].Market)
	if d := math.Abs(w.Series.AssetsUnhedgedUSD[0]/v0.Assets - 1); d > 1e-12 {
		t.Errorf("first assets %v, portfolio.Value %v", w.Series.AssetsUnhedgedUSD[0], v0.Assets)
	}
	if d := math.Abs(w.LiabilityScale - v0.Assets/(0.95*v0.Liabilities)); d > 1e-12 {
		t.Errorf("liability scale %v", w.LiabilityScale)
	}
	for i, d := range days {
		a, l := independentValue(p, days[0], d, w.LiabilityScale)
		if math.Abs(w.Series.AssetsUnhedgedUSD[i]/a-1) > 1e-12 || math.Abs(w.Series.LiabilitiesUSD[i]/l-1) > 1e-12 {
			t.Errorf("%s: assets %v liabilities %v, independent %v and %v", d.Date.Format(time.DateOnly),
				w.Series.AssetsUnhedgedUSD[i], w.Series.LiabilitiesUSD[i], a, l)
		}
	}
	// Equities fell and rates fell: the funded ratio ends lower.
	if !(w.Unhedged.FundedRatioEnd < w.Unhedged.FundedRatioStart && w.Unhedged.MaxDrawdown > 0) {
		t.Errorf("unhedged path %+v", w.Unhedged)
	}
	// No programme: hedged is unhedged.
	if !reflect.DeepEqual(w.Series.AssetsHedgedUSD, w.Series.AssetsUnhedgedUSD) || w.CostsUSD != 0 {
		t.Errorf("empty programme changed the fund: costs %v", w.CostsUSD)
	}
}

// A static programme bought on the first day and held (one rebalance in
// the month): its P&L is the sum of each hedge's own mark-to-market P&L,
// its costs the bid-ask on the notional bought plus the running costs for
// the days held, and the hedged surplus differs from the unhedged by
// exactly P&L - costs.
func TestStaticProgrammeAccounting(t *testing.T) {
	p := sampleFund(t)
	days := synthDays(t, 15)
	prog := map[string]float64{"fx_forward_EUR": 2e9, "swap_receiver_USD_30y": 5e9, "equity_put_USD_95": 3e9, "cds_index_CDX_IG": 1e9, "fx_forward_GBP": -0.5e9}
	w, err := Run(context.Background(), "static", p, Slice(days), Config{Recalibrator: &Static{Notional: prog}, Rebalance: Rebalance{Monthly: true}})
	if err != nil {
		t.Fatal(err)
	}
	if w.Rebalances != 1 || len(w.Trades) != 1 || len(w.Trades[0].Positions) != len(prog) {
		t.Fatalf("%d rebalances, trades %+v", w.Rebalances, w.Trades)
	}
	m, err := sim.NewModel(p, days[0].Market, sim.Config{Paths: 1})
	if err != nil {
		t.Fatal(err)
	}
	levels := func(d *Day) (out [market.NumCcy]float64) {
		for c := range market.NumCcy {
			out[c] = d.Equity[EquityIndexOf[c]]
			if USDIndex[EquityIndexOf[c]] {
				out[c] /= d.Market.FX[c]
			}
		}
		return out
	}
	// Accrual at the shortest zero rate, which the synthetic curves move.
	var acc [market.NumCcy]float64
	at0 := &sim.Mark{Date: days[0].Date, Market: days[0].Market, Equity: levels(days[0])}
	for i, d := range days[1:] {
		for c := range acc {
			acc[c] += days[i].Market.Curves[c].Rate(0) * sim.YearFraction(days[i].Date, d.Date)
		}
	}
	last := days[len(days)-1]
	at1 := &sim.Mark{Date: last.Date, Market: last.Market, Equity: levels(last), Accrual: acc}
	wantPnL, wantTrade, wantRun := 0.0, 0.0, 0.0
	years := sim.YearFraction(days[0].Date, last.Date)
	for _, h := range m.Hedges() {
		n, ok := prog[h.ID]
		if !ok {
			continue
		}
		pnl, err := h.PnL(at0, at1)
		if err != nil {
			t.Fatal(err)
		}
		wantPnL += n * pnl
		wantTrade += math.Abs(n) * h.TradeCostBps() / 1e4
		wantRun += math.Abs(n) * h.RunningCostBps() / 1e4 * years
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"hedge P&L", w.HedgePnLUSD, wantPnL}, {"trade costs", w.TradeCostsUSD, wantTrade}, {"running costs", w.RunningCostsUSD, wantRun}} {
		if math.Abs(c.got-c.want) > 1e-9*math.Max(1, math.Abs(c.want)) {
			t.Errorf("%s %v, want %v", c.name, c.got, c.want)
		}
	}
	if !(wantPnL > 0) {
		t.Errorf("EUR down, rates down, equities down, spreads up: the programme should gain, got %v", wantPnL)
	}
	diff := w.Hedged.SurplusChangeUSD - w.Unhedged.SurplusChangeUSD
	if want := w.HedgePnLUSD - w.CostsUSD; math.Abs(diff-want) > 1e-12*w.Series.AssetsUnhedgedUSD[0] {
		t.Errorf("hedged - unhedged surplus change %v, P&L - costs %v", diff, want)
	}
	sum := 0.0
	for _, v := range w.HedgePnLByClassUSD {
		sum += v
	}
	if math.Abs(sum-w.HedgePnLUSD) > 1e-6 || len(w.HedgePnLByClassUSD) != 4 {
		t.Errorf("P&L by asset class %v sums to %v, total %v", w.HedgePnLByClassUSD, sum, w.HedgePnLUSD)
	}
	if w.CostsUSD != w.TradeCostsUSD+w.RunningCostsUSD {
		t.Errorf("costs %v != %v + %v", w.CostsUSD, w.TradeCostsUSD, w.RunningCostsUSD)
	}
}

// Weekly rebalancing re-strikes what grows and sells pro rata what
// shrinks: with a programme that doubles, then halves, the book's notional
// follows, every trade pays bid-ask on the change only, and the P&L is
// realised plus marked.
func TestRebalanceTrades(t *testing.T) {
	p := sampleFund(t)
	days := synthDays(t, 15) // three ISO weeks
	r := &stepping{sizes: []float64{1e9, 2e9, 0.5e9}}
	w, err := Run(context.Background(), "weekly", p, Slice(days), Config{Recalibrator: r})
	if err != nil {
		t.Fatal(err)
	}
	if w.Rebalances != 3 {
		t.Fatalf("%d rebalances, want 3 (one per ISO week)", w.Rebalances)
	}
	traded := []float64{1e9, 1e9, -1.5e9}
	for i, tr := range w.Trades {
		if len(tr.Positions) != 1 || tr.Positions[0].TradedUSD != traded[i] || tr.Positions[0].NotionalUSD != r.sizes[i] {
			t.Errorf("rebalance %d: %+v", i, tr.Positions)
		}
	}
	if w.TradedNotionalUSD != 3.5e9 {
		t.Errorf("traded %v, want 3.5e9", w.TradedNotionalUSD)
	}
	last := len(w.Series.HedgeNotionalUSD) - 1
	if math.Abs(w.Series.HedgeNotionalUSD[last]-0.5e9) > 1e-3 {
		t.Errorf("held at the end %v, want 0.5e9", w.Series.HedgeNotionalUSD[last])
	}
	if diff, want := w.Hedged.SurplusChangeUSD-w.Unhedged.SurplusChangeUSD, w.HedgePnLUSD-w.CostsUSD; math.Abs(diff-want) > 1e-12*w.Series.AssetsUnhedgedUSD[0] {
		t.Errorf("hedged - unhedged surplus change %v, P&L - costs %v", diff, want)
	}
	// Realised on the sales plus marked on what is left.
	if fx := w.HedgePnLByClassUSD["fx"]; math.Abs(fx-w.HedgePnLUSD) > 1e-6 {
		t.Errorf("fx P&L %v, total %v", fx, w.HedgePnLUSD)
	}
}

// stepping holds a EUR forward of sizes[k] at the k-th rebalance.
type stepping struct {
	sizes []float64
	k     int
}

func (s *stepping) Recalibrate(ctx context.Context, d *Day, f *portfolio.Portfolio, held map[string]float64) (*Target, error) {
	st := &Static{Notional: map[string]float64{"fx_forward_EUR": s.sizes[s.k]}}
	s.k++
	return st.Recalibrate(ctx, d, f, held)
}

// A failed recalibration leaves the book as it is and is recorded.
func TestFailedRecalibrationKeepsBook(t *testing.T) {
	p := sampleFund(t)
	days := synthDays(t, 10)
	w, err := Run(context.Background(), "fail", p, Slice(days), Config{Recalibrator: &Static{Notional: map[string]float64{"no_such_hedge": 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if w.Rebalances != 0 || len(w.Trades) != 2 || !strings.Contains(w.Trades[0].Error, "no_such_hedge") {
		t.Errorf("rebalances %d, trades %+v", w.Rebalances, w.Trades)
	}
}

func TestRunRejectsBadDays(t *testing.T) {
	p := sampleFund(t)
	days := synthDays(t, 3)
	noSPX := *days[1]
	noSPX.Equity = map[string]float64{"SX5E": 1, "UKX": 1, "EAFE": 1}
	backwards := []*Day{days[1], days[0]}
	for _, c := range []struct {
		name string
		days []*Day
		want string
	}{
		{"no day", nil, "no day"},
		{"missing index", []*Day{days[0], &noSPX}, "equity level SPX"},
		{"dates out of order", backwards, "comes after"},
		{"no market", []*Day{{Date: days[0].Date}}, "has no market"},
	} {
		_, err := Run(context.Background(), c.name, p, Slice(c.days), Config{Recalibrator: &Static{}})
		if !errors.Is(err, ErrData) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming %q", c.name, err, c.want)
		}
	}
	if _, err := Run(context.Background(), "x", p, Slice(days), Config{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("no recalibrator: %v", err)
	}
}

func TestParseRebalance(t *testing.T) {
	for in, want := range map[string]Rebalance{"weekly": {}, "": {}, "Monthly": {Monthly: true}, "10": {Days: 10}, "5d": {Days: 5}, "3 days": {Days: 3}, "1 day": {Days: 1}} {
		got, err := ParseRebalance(in)
		if err != nil || got != want {
			t.Errorf("%q: %+v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"daily", "0", "-3", "x days", "99999"} {
		if _, err := ParseRebalance(bad); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "rebalance") {
			t.Errorf("%q: error %v", bad, err)
		}
	}
	// Weekly: Monday after a Friday; not Tuesday after Monday.
	fri, mon, tue := time.Date(2022, 1, 7, 0, 0, 0, 0, time.UTC), time.Date(2022, 1, 10, 0, 0, 0, 0, time.UTC), time.Date(2022, 1, 11, 0, 0, 0, 0, time.UTC)
	if !(Rebalance{}).due(3, fri, mon) || (Rebalance{}).due(4, mon, tue) {
		t.Error("weekly schedule wrong")
	}
	if !(Rebalance{Monthly: true}).due(5, time.Date(2022, 1, 31, 0, 0, 0, 0, time.UTC), time.Date(2022, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("monthly schedule wrong")
	}
}

func TestParseWindows(t *testing.T) {
	ws, err := ParseWindows("all")
	if err != nil || len(ws) != 3 || ws[0].Name != "2008" || !ws[2].To.Equal(time.Date(2022, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("all: %+v, %v", ws, err)
	}
	ws, err = ParseWindows("2020, 2015-01-05:2015-03-31")
	if err != nil || len(ws) != 2 || ws[1].Name != "2015-01-05:2015-03-31" || !ws[1].From.Equal(time.Date(2015, 1, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("list: %+v, %v", ws, err)
	}
	for _, bad := range []string{"2009", "2020-03-01", "2020-03-01:2020-02-01", "x:2020-01-01", "2020-01-01:y", ""} {
		if _, err := ParseWindows(bad); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "window") {
			t.Errorf("%q: error %v", bad, err)
		}
	}
}

// MarshalPortfolio writes what ParsePortfolio reads back to the same fund.
func TestMarshalPortfolioRoundTrip(t *testing.T) {
	p := sampleFund(t)
	p.Bonds[0].SpreadOverride = 0.0123
	b, err := MarshalPortfolio(p)
	if err != nil {
		t.Fatal(err)
	}
	q, err := input.ParsePortfolio("round-trip.yaml", b)
	if err != nil {
		t.Fatal(err)
	}
	// NaN spread overrides compare unequal: compare them apart.
	for i := range p.Bonds {
		po, qo := p.Bonds[i].SpreadOverride, q.Bonds[i].SpreadOverride
		if !(math.IsNaN(po) && math.IsNaN(qo)) && math.Abs(po-qo) > 1e-15 {
			t.Errorf("bond %d spread %v, read back %v", i, po, qo)
		}
		p.Bonds[i].SpreadOverride, q.Bonds[i].SpreadOverride = 0, 0
	}
	if !reflect.DeepEqual(p, q) {
		t.Errorf("read back differs:\n%+v\n%+v", p, q)
	}
}

// The fund as it stands on a later day, for a recalibration: values
// marked, bond maturities shortened to the coupon grid, the same
// liabilities while no benefit has been paid.
func TestCurrentFund(t *testing.T) {
	p := sampleFund(t)
	days := synthDays(t, 2)
	mk := func(d *Day) *sim.Mark {
		lv, err := localLevels(d, new([market.NumCcy]bool))
		if err != nil {
			t.Fatal(err)
		}
		return &sim.Mark{Date: d.Date, Market: d.Market, Equity: lv}
	}
	f := newFund(p, mk(days[0]))
	later := *days[1]
	later.Date = days[0].Date.AddDate(0, 4, 0) // four months on: 0.33 years
	v := f.mark(mk(&later))
	q := f.current(v, later.Date)
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	if q.Bonds[0].Maturity != 4.5 || q.Bonds[2].Maturity != 9.5 { // 5y and 10y bonds, 4 months on
		t.Errorf("maturities %v and %v, want 4.5 and 9.5", q.Bonds[0].Maturity, q.Bonds[2].Maturity)
	}
	sum := 0.0
	for _, e := range q.Equities {
		sum += e.ValueUSD
	}
	if math.Abs(sum-v.Equities) > 1e-3 {
		t.Errorf("equities %v, marked %v", sum, v.Equities)
	}
	if !reflect.DeepEqual(q.Liabilities, p.Liabilities) {
		t.Error("liabilities changed before any payment")
	}
}
