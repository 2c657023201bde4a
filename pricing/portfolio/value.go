package portfolio

import (
	"math"

	"github.com/hedgeflow/hedgeflow/pricing/market"
)

// Valuation is a portfolio valued on one snapshot, in USD.
type Valuation struct {
	Equities, Bonds, Alternatives float64
	Assets, Liabilities           float64
	FundedRatio                   float64
	LiabilitiesByCcy              [market.NumCcy]float64
}

// PricePerFace returns the price of one unit of face of bond b at time 0 on
// the curve of its currency plus spread s.
func PricePerFace(b *Bond, m *market.Snapshot, s float64) float64 {
	z := m.Curves[b.Ccy]
	n := int(math.Round(b.Maturity * float64(b.Freq)))
	c := b.Coupon / float64(b.Freq)
	pv := 0.0
	for i := 1; i <= n; i++ {
		t := float64(i) / float64(b.Freq)
		pv += c * math.Exp(-(z.Rate(t)+s)*t)
	}
	return pv + math.Exp(-(z.Rate(b.Maturity)+s)*b.Maturity)
}

// FaceLocal returns the face amount, in local currency, implied by the bond's
// stated USD market value.
func FaceLocal(b *Bond, m *market.Snapshot) float64 {
	return b.ValueUSD / (m.FX[b.Ccy] * PricePerFace(b, m, BondSpread(b, m)))
}

// LiabilityPVLocal returns the present value, in local currency, of l on m
// with spread s over the curve.
func LiabilityPVLocal(l *Liability, m *market.Snapshot, s float64) float64 {
	z := m.Curves[l.Ccy]
	pv := 0.0
	for i, cf := range l.Cashflows {
		t := float64(i + 1)
		pv += cf * math.Exp(-(z.Rate(t)+s)*t)
	}
	return pv
}

// Value values p on m. Assets are at their stated market values (bond faces
// are implied from them); liabilities are discounted.
func (p *Portfolio) Value(m *market.Snapshot) Valuation {
	var v Valuation
	for _, e := range p.Equities {
		v.Equities += e.ValueUSD
	}
	for _, b := range p.Bonds {
		v.Bonds += b.ValueUSD
	}
	for _, a := range p.Alternatives {
		v.Alternatives += a.ValueUSD
	}
	v.Assets = v.Equities + v.Bonds + v.Alternatives
	for i := range p.Liabilities {
		l := &p.Liabilities[i]
		usd := LiabilityPVLocal(l, m, p.LiabilitySpread) * m.FX[l.Ccy]
		v.LiabilitiesByCcy[l.Ccy] += usd
		v.Liabilities += usd
	}
	v.FundedRatio = v.Assets / v.Liabilities
	return v
}
