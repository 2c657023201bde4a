package execution

import (
	"math"
	"sort"
)

// Liquidity describes how an instrument trades. Spreads, impact and
// volatility are in bp of notional (price terms, not running spread or rate
// bp: a 0.2 bp rate bid-ask on a 10y swap of duration 8.5 is 1.7 bp here).
type Liquidity struct {
	// ADVUSD is the average daily traded notional in USD.
	ADVUSD float64
	// BidAskBps is the full quoted bid-ask spread; a trade pays half of it.
	BidAskBps float64
	// DepthUSD is the notional executable at the quoted touch; it sets the
	// number of child orders (clips) of a day's trade.
	DepthUSD float64
	// TempImpactBps is the linear temporary impact: the price concession, in
	// bp, of trading at a rate of one full ADV per day. Trading a fraction p
	// of ADV in a day costs p x TempImpactBps on that day's notional.
	TempImpactBps float64
	// PermImpactBps is the linear permanent impact: the lasting price move,
	// in bp, caused by trading one full ADV.
	PermImpactBps float64
	// VolDailyBps is the daily volatility of the price of one unit of
	// notional, in bp (for an IRS, duration times the daily rate vol).
	VolDailyBps float64
}

func (l Liquidity) validate(name string) error {
	switch {
	case !(l.ADVUSD > 0) || math.IsInf(l.ADVUSD, 0):
		return errorf("%s: ADVUSD = %g, want a finite positive daily volume", name, l.ADVUSD)
	case !(l.BidAskBps >= 0) || !(l.DepthUSD >= 0) || !(l.TempImpactBps >= 0) ||
		!(l.PermImpactBps >= 0) || !(l.VolDailyBps >= 0):
		return errorf("%s: bid-ask, depth, impact and volatility must be non-negative", name)
	case math.IsInf(l.BidAskBps+l.DepthUSD+l.TempImpactBps+l.PermImpactBps+l.VolDailyBps, 0):
		return errorf("%s: liquidity figures must be finite", name)
	}
	return nil
}

// Model returns the Almgren-Chriss model of trading notional (USD) over
// days daily periods with risk aversion lambda (per USD):
// σ = VolDailyBps/1e4, ε = BidAskBps/2e4, η = TempImpactBps/1e4/ADVUSD,
// γ = PermImpactBps/1e4/ADVUSD, τ = 1 day.
func (l Liquidity) Model(notional float64, days int, lambda float64) Model {
	return Model{
		X:       notional,
		N:       days,
		Tau:     1,
		Sigma:   l.VolDailyBps * 1e-4,
		Epsilon: l.BidAskBps * 0.5e-4,
		Eta:     l.TempImpactBps * 1e-4 / l.ADVUSD,
		Gamma:   l.PermImpactBps * 1e-4 / l.ADVUSD,
		Lambda:  lambda,
	}
}

// impactPerADV is the impact in bp of trading one full ADV in a day
// (temporary plus permanent).
func (l Liquidity) impactPerADV() float64 { return l.TempImpactBps + l.PermImpactBps }

// Kind is an instrument kind with a default [Liquidity].
type Kind string

// Instrument kinds of the default liquidity table.
const (
	FXForwardG10      Kind = "fx_forward_g10"
	FXOption          Kind = "fx_option"
	IRS               Kind = "irs"
	Swaption          Kind = "swaption"
	BondFuture        Kind = "bond_future"
	CDSIndexIG        Kind = "cds_index_ig"
	CDSIndexHY        Kind = "cds_index_hy"
	CDSSingleName     Kind = "cds_single_name"
	Tranche           Kind = "cds_tranche"
	EquityIndexOption Kind = "equity_index_option"
)

// Default is one row of the default liquidity table.
type Default struct {
	Kind Kind
	// TenorYears is the tenor bucket for IRS (2, 5, 10, 30) and 0 for the
	// other kinds.
	TenorYears float64
	Liquidity  Liquidity
	// Basis says where the figures come from; see the package documentation.
	Basis string
}

// Coefficients of the impact rule shared by every default row: the square-
// root-like fit of Almgren, Thum, Hauptmann and Li (2005), temporary impact
// 0.142 σ (p)^0.6 at participation p and permanent impact 0.314 σ per ADV,
// made linear at p = 10%: 0.142 x 0.1^0.6 / 0.1 = 0.357.
const (
	tempPerVol = 0.357
	permPerVol = 0.314
)

func row(k Kind, tenor, adv, bidAsk, depth, vol float64, basis string) Default {
	return Default{Kind: k, TenorYears: tenor, Basis: basis, Liquidity: Liquidity{
		ADVUSD: adv, BidAskBps: bidAsk, DepthUSD: depth, VolDailyBps: vol,
		TempImpactBps: tempPerVol * vol, PermImpactBps: permPerVol * vol,
	}}
}

// Defaults returns the default liquidity table, a new slice on every call.
// The figures are orders of magnitude for a liquid benchmark of each kind,
// meant to be overridden with a desk's own; the package documentation gives
// the reasoning for each.
func Defaults() []Default {
	return []Default{
		row(FXForwardG10, 0, 100e9, 1, 200e6, 50,
			"BIS Triennial Survey 2022: outright forwards $1.2trn/day, a major G10 pair a tenth to a fifth of it; 8% annual vol"),
		row(FXOption, 0, 20e9, 6, 50e6, 15,
			"BIS Triennial Survey 2022: FX options $0.3trn/day; 0.3 vol-point bid-ask x 20 bp vega per point (3m ATM); 25-delta price vol"),
		row(IRS, 2, 60e9, 0.4, 500e6, 11,
			"CFTC weekly swaps report, ISDA SwapsInfo: USD IRS hundreds of $bn/day across tenors; 0.2 bp rate bid-ask, 6 bp/day rate vol, duration 1.9"),
		row(IRS, 5, 40e9, 0.9, 300e6, 28,
			"as 2y; duration 4.6"),
		row(IRS, 10, 30e9, 1.7, 200e6, 51,
			"as 2y; duration 8.5"),
		row(IRS, 30, 10e9, 5, 100e6, 114,
			"as 2y; 0.25 bp rate bid-ask, duration 19"),
		row(Swaption, 0, 5e9, 8, 250e6, 25,
			"ISDA SwapsInfo, CFTC: USD swaptions tens of $bn/day over all expiries and tails; 1-2 bp normal-vol bid-ask; delta 0.5 of a 10y swap"),
		row(BondFuture, 0, 150e9, 1.4, 200e6, 40,
			"CME: 10y T-note future about 1.5m contracts/day of $100k face; bid-ask 1/64 point on 110"),
		row(CDSIndexIG, 0, 15e9, 1.1, 500e6, 13,
			"DTCC Trade Information Warehouse: CDX IG and iTraxx Main on-the-run $10-20bn/day; 0.25 bp running bid-ask x RPV01 4.5; 3 bp/day spread vol"),
		row(CDSIndexHY, 0, 4e9, 3, 100e6, 30,
			"DTCC: CDX HY and iTraxx Crossover a few $bn/day; bid-ask 1/32 point; 0.3 point/day price vol"),
		row(CDSSingleName, 0, 100e6, 22, 20e6, 45,
			"DTCC: the most traded names $100-500m/day; 5 bp running bid-ask x RPV01 4.5; 10 bp/day spread vol"),
		row(Tranche, 0, 50e6, 50, 10e6, 60,
			"DTCC: index tranches are thin since 2008, tens of $m/day per tranche; bid-ask about half a point upfront"),
		row(EquityIndexOption, 0, 50e9, 3, 100e6, 33,
			"Cboe: SPX options over $1trn/day notional, dated 3m OTM a few % of it; 0.15 vol-point bid-ask x 20 bp vega; delta 0.3 of 1.1%/day"),
	}
}

// DefaultLiquidity returns the default liquidity of an instrument kind. For
// IRS it takes the nearest tenor bucket (2, 5, 10, 30 years) to tenorYears;
// other kinds ignore tenorYears.
func DefaultLiquidity(k Kind, tenorYears float64) (Liquidity, error) {
	rows := Defaults()
	if k == IRS {
		if !(tenorYears > 0) || math.IsInf(tenorYears, 0) {
			return Liquidity{}, errorf("default liquidity: IRS tenor %g years, want > 0", tenorYears)
		}
		var irs []Default
		for _, r := range rows {
			if r.Kind == IRS {
				irs = append(irs, r)
			}
		}
		sort.SliceStable(irs, func(i, j int) bool {
			return math.Abs(irs[i].TenorYears-tenorYears) < math.Abs(irs[j].TenorYears-tenorYears)
		})
		return irs[0].Liquidity, nil
	}
	for _, r := range rows {
		if r.Kind == k {
			return r.Liquidity, nil
		}
	}
	return Liquidity{}, errorf("default liquidity: unknown kind %q", k)
}
