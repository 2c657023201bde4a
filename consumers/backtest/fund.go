package backtest

import (
	"fmt"
	"math"
	"time"

	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/pricing/portfolio"
	"github.com/hedgeflow/hedgeflow/pricing/sim"
)

// EquityIndexOf is the equity index that moves each currency's equities
// and alternatives: the S&P 500 for USD, the EURO STOXX 50 for EUR, the
// FTSE 100 for GBP and MSCI EAFE (in USD, see USDIndex) for the others.
var EquityIndexOf = [market.NumCcy]string{
	market.USD: "SPX", market.EUR: "SX5E", market.GBP: "UKX",
	market.JPY: "EAFE", market.CHF: "EAFE", market.AUD: "EAFE", market.CAD: "EAFE",
}

// USDIndex lists the indices quoted in USD rather than in the currency
// they stand for: EAFE is the iShares MSCI EAFE ETF, a USD price, so it is
// converted to local currency (divided by the currency's USD price) before
// it moves a JPY, CHF, AUD or CAD holding, and the holding's USD value
// then moves exactly with the index.
var USDIndex = map[string]bool{"EAFE": true}

// localLevels returns the level of each currency's equity market in that
// currency on a day (zero where the day has no level), and an error naming
// the index when a currency in need has none.
func localLevels(d *Day, need *[market.NumCcy]bool) ([market.NumCcy]float64, error) {
	var out [market.NumCcy]float64
	for c := range market.NumCcy {
		k := EquityIndexOf[c]
		v, ok := d.Equity[k]
		if !ok || !(v > 0) || math.IsInf(v, 0) {
			if need[c] {
				return out, fmt.Errorf("%w: %s: equity level %s (for %s equities): missing or not positive (%v)", ErrData, d.Date.Format(time.DateOnly), k, c, v)
			}
			continue
		}
		if USDIndex[k] {
			v /= d.Market.FX[c]
		}
		out[c] = v
	}
	return out, nil
}

// equityNeeds lists the currencies whose equity index the fund's
// equities and alternatives follow.
func equityNeeds(p *portfolio.Portfolio) [market.NumCcy]bool {
	var need [market.NumCcy]bool
	for _, e := range p.Equities {
		need[e.Ccy] = true
	}
	for _, a := range p.Alternatives {
		need[a.Ccy] = true
	}
	return need
}

// fund is the pension fund held through a window: its holdings bought on
// the first day and marked on every later one.
//
// Equities are worth their first-day value times the local index return
// times the FX return; alternatives their first-day value times 1 + beta ×
// (local index return - 1) times the FX return (no idiosyncratic move:
// the history has none). Bonds keep the face implied on the first day
// (portfolio.FaceLocal) and are repriced on each day's curve plus the
// spread of their rating, their remaining cash flows shortened by the time
// elapsed (ACT/365). Liabilities are the remaining benefit payments on the
// day's curve plus the portfolio's liability spread. Coupons and
// redemptions received and benefits paid go to a USD cash account
// (converted at the day's FX) that earns the USD overnight accrual.
type fund struct {
	p      *portfolio.Portfolio
	d0     time.Time
	fx0    [market.NumCcy]float64
	eq0    [market.NumCcy]float64
	faces  []float64 // per bond, local currency
	cash   float64   // USD
	accUSD float64   // the USD accrual when cash was last grown
	// paid counts the coupons received per bond and benefits paid per
	// liability, so that each cash flow is settled once.
	paidBond, paidLiab []int
}

func newFund(p *portfolio.Portfolio, at *sim.Mark) *fund {
	f := &fund{p: p, d0: at.Date, fx0: at.Market.FX, eq0: at.Equity,
		faces: make([]float64, len(p.Bonds)), paidBond: make([]int, len(p.Bonds)), paidLiab: make([]int, len(p.Liabilities)),
		accUSD: at.Accrual[market.USD]}
	for i := range p.Bonds {
		f.faces[i] = portfolio.FaceLocal(&p.Bonds[i], at.Market)
	}
	return f
}

// valuation is the fund on one day, in USD.
type valuation struct {
	Equities, Bonds, Alternatives, Cash float64
	Assets, Liabilities                 float64
	// Holdings is the value of each holding, in the portfolio's order:
	// equities, bonds, alternatives.
	Holdings []float64
}

// mark settles the cash flows due by at.Date, grows the cash account and
// values the fund at at. Marks must come in date order.
func (f *fund) mark(at *sim.Mark) valuation {
	m := at.Market
	e := sim.YearFraction(f.d0, at.Date)
	f.cash *= math.Exp(at.Accrual[market.USD] - f.accUSD)
	f.accUSD = at.Accrual[market.USD]
	v := valuation{Holdings: make([]float64, 0, len(f.p.Equities)+len(f.p.Bonds)+len(f.p.Alternatives))}
	for _, q := range f.p.Equities {
		x := q.ValueUSD * at.Equity[q.Ccy] / f.eq0[q.Ccy] * m.FX[q.Ccy] / f.fx0[q.Ccy]
		v.Equities += x
		v.Holdings = append(v.Holdings, x)
	}
	for i := range f.p.Bonds {
		b := &f.p.Bonds[i]
		z, s := m.Curves[b.Ccy], portfolio.BondSpread(b, m)
		n := int(math.Round(b.Maturity * float64(b.Freq)))
		cpn := b.Coupon / float64(b.Freq)
		pv := 0.0
		for k := 1; k <= n; k++ {
			cf := cpn
			if k == n {
				cf++
			}
			tau := float64(k)/float64(b.Freq) - e
			if tau <= 0 {
				if k > f.paidBond[i] {
					f.cash += f.faces[i] * cf * m.FX[b.Ccy]
					f.paidBond[i] = k
				}
				continue
			}
			pv += cf * math.Exp(-(z.Rate(tau)+s)*tau)
		}
		x := f.faces[i] * pv * m.FX[b.Ccy]
		v.Bonds += x
		v.Holdings = append(v.Holdings, x)
	}
	for _, a := range f.p.Alternatives {
		ret := at.Equity[a.Ccy] / f.eq0[a.Ccy]
		x := a.ValueUSD * (1 + a.Beta*(ret-1)) * m.FX[a.Ccy] / f.fx0[a.Ccy]
		v.Alternatives += x
		v.Holdings = append(v.Holdings, x)
	}
	for i := range f.p.Liabilities {
		l := &f.p.Liabilities[i]
		z := m.Curves[l.Ccy]
		pv := 0.0
		for k, cf := range l.Cashflows {
			tau := float64(k+1) - e
			if tau <= 0 {
				if k+1 > f.paidLiab[i] {
					f.cash -= cf * m.FX[l.Ccy]
					f.paidLiab[i] = k + 1
				}
				continue
			}
			pv += cf * math.Exp(-(z.Rate(tau)+f.p.LiabilitySpread)*tau)
		}
		v.Liabilities += pv * m.FX[l.Ccy]
	}
	v.Cash = f.cash
	v.Assets = v.Equities + v.Bonds + v.Alternatives + v.Cash
	return v
}

// current returns the portfolio as held on a day, for a recalibration run:
// every holding at its marked value, bonds with their remaining maturity
// rounded to the nearest coupon period (at least one) and liabilities
// without the payments already made. The run's model needs bonds on a
// coupon grid and benefits at whole years from its valuation date, so a
// remaining maturity of 9.3 years is taken as 9.5 and the benefits still
// due are taken as due at the end of years 1, 2, ...; the cash account is
// left out (the run hedges the invested fund).
func (f *fund) current(v valuation, at time.Time) *portfolio.Portfolio {
	e := sim.YearFraction(f.d0, at)
	p := &portfolio.Portfolio{Name: f.p.Name, LiabilitySpread: f.p.LiabilitySpread}
	i := 0
	for _, q := range f.p.Equities {
		q.ValueUSD = v.Holdings[i]
		i++
		p.Equities = append(p.Equities, q)
	}
	for bi, b := range f.p.Bonds {
		x := v.Holdings[i]
		i++
		per := 1 / float64(b.Freq)
		rem := b.Maturity - e
		if f.paidBond[bi] >= int(math.Round(b.Maturity*float64(b.Freq))) || x <= 0 {
			continue // redeemed
		}
		b.Maturity = math.Max(per, math.Round(rem/per)*per)
		b.ValueUSD = x
		p.Bonds = append(p.Bonds, b)
	}
	for _, a := range f.p.Alternatives {
		a.ValueUSD = math.Max(v.Holdings[i], 0)
		i++
		p.Alternatives = append(p.Alternatives, a)
	}
	for li, l := range f.p.Liabilities {
		cfs := l.Cashflows[f.paidLiab[li]:]
		if len(cfs) == 0 {
			continue
		}
		p.Liabilities = append(p.Liabilities, portfolio.Liability{Ccy: l.Ccy, Cashflows: append([]float64(nil), cfs...)})
	}
	return p
}
