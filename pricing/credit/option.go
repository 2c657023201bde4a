package credit

import (
	"math"

	"github.com/hedgeflow/hedgeflow/pricing/approx"
)

// Option is a European option on a CDS index (an index swaption) on notional
// 1: a payer gives the right to buy protection from Expiry to Maturity at the
// Strike spread, a receiver the right to sell it. Exercise also delivers the
// losses of names that defaulted before expiry (the index is not knocked
// out), which is the front-end protection.
type Option struct {
	Expiry   float64 // years, > 0
	Maturity float64 // index maturity, years, > Expiry
	Strike   float64 // spread, fraction per year, > 0
	Vol      float64 // lognormal volatility of the spread, >= 0
	Payer    bool
	Recovery float64 // in [0,1)
	Freq     int     // premium payments per year
}

// OptionValue is an index option's value with the quantities behind it.
type OptionValue struct {
	PV       float64 // option value, paid by the holder
	Forward  float64 // forward spread: forward protection / Annuity
	Adjusted float64 // Forward + FEP/Annuity, the spread fed to Black
	Annuity  float64 // forward risky annuity from Expiry to Maturity, valued today
	FEP      float64 // front-end protection (1-R) (1-S(te)) DF(te)
}

// Price values the option with Black's formula on the forward spread
// adjusted for front-end protection, the market standard model of O'Kane
// 2008 §11.5:
//
//	payer    = A [F' N(d1) - K N(d2)],  receiver = A [K N(-d2) - F' N(-d1)],
//	F' = F + FEP/A,  d1,2 = (ln(F'/K) ± σ²te/2) / (σ √te),
//
// so that payer - receiver = forward protection + FEP - K A, the value of
// entering the index at K at expiry with the losses before it. It omits
// Pedersen's (2003) strike adjustment of the exercise price for the
// difference between the strike and the index coupon.
func (o Option) Price(h Hazard, d Discount) (OptionValue, error) {
	switch {
	case !(o.Expiry > 0) || math.IsInf(o.Expiry, 0):
		return OptionValue{}, errorf("expiry: must be positive and finite, got %v", o.Expiry)
	case !(o.Maturity > o.Expiry):
		return OptionValue{}, errorf("maturity: must be after expiry %v, got %v", o.Expiry, o.Maturity)
	case !(o.Strike > 0) || math.IsInf(o.Strike, 0):
		return OptionValue{}, errorf("strike: must be positive and finite, got %v", o.Strike)
	case !(o.Vol >= 0) || math.IsInf(o.Vol, 0):
		return OptionValue{}, errorf("vol: must be non-negative and finite, got %v", o.Vol)
	}
	c := CDS{Maturity: o.Maturity, Coupon: o.Strike, Recovery: o.Recovery, Freq: o.Freq}
	if err := c.Validate(); err != nil {
		return OptionValue{}, err
	}
	if err := checkHazard(h.Times, h.Rates); err != nil {
		return OptionValue{}, err
	}
	if err := d.validate(); err != nil {
		return OptionValue{}, err
	}
	ann, loss := legs(o.Expiry, o.Maturity, o.Freq, h, d)
	lgd := 1 - o.Recovery
	v := OptionValue{
		Annuity: ann,
		FEP:     lgd * (1 - h.Survival(o.Expiry)) * d.DF(o.Expiry),
	}
	if ann <= 0 {
		return v, errorf("hazard: no survival to expiry, forward annuity is zero")
	}
	v.Forward = lgd * loss / ann
	v.Adjusted = v.Forward + v.FEP/ann
	v.PV = ann * black(v.Adjusted, o.Strike, o.Vol*math.Sqrt(o.Expiry), o.Payer)
	return v, nil
}

// black returns Black's undiscounted call (payer) or put value for forward f,
// strike k > 0 and total volatility s = σ√T.
func black(f, k, s float64, call bool) float64 {
	if f <= 0 || s <= 0 {
		if call {
			return math.Max(f-k, 0)
		}
		return math.Max(k-f, 0)
	}
	return approx.Black(f, k, s, call)
}
