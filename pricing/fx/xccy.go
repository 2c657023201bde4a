package fx

import (
	"math"

	"github.com/hedgeflow/hedgeflow/pricing/curve"
)

// XCCY is a floating-for-floating cross-currency swap starting today, with
// notionals exchanged at the start and returned at Maturity: we pay
// NotionalDom domestic today and receive domestic floating coupons on it, and
// receive NotionalFgn foreign today and pay foreign floating plus Spread on
// it. Coupons are paid Freq times a year at t = i/Freq; Maturity is a whole
// number of periods.
type XCCY struct {
	NotionalDom, NotionalFgn float64
	Spread, Maturity         float64
	Freq                     int
}

// PV returns the value in domestic currency at spot (domestic per foreign).
// Each leg projects on its curve pair's Projection and discounts on its
// Discount; for the foreign leg that should be the basis-adjusted curve
// (curve.Basis.Foreign) so that FX forwards are priced consistently.
func (x XCCY) PV(spot float64, dom, fgn curve.Dual) (float64, error) {
	if err := x.validate(spot); err != nil {
		return 0, err
	}
	ld, _ := x.leg(dom)
	lf, af := x.leg(fgn)
	return x.NotionalDom*ld - spot*x.NotionalFgn*(lf+x.Spread*af), nil
}

// ParSpread returns the foreign-leg spread at which PV is zero.
func (x XCCY) ParSpread(spot float64, dom, fgn curve.Dual) (float64, error) {
	if err := x.validate(spot); err != nil {
		return 0, err
	}
	ld, _ := x.leg(dom)
	lf, af := x.leg(fgn)
	return (x.NotionalDom*ld/(spot*x.NotionalFgn) - lf) / af, nil
}

// leg returns the value per unit notional of a floating leg with exchanges
// (-1 today, coupons, +1 at maturity) and its annuity (value of a spread of
// 1).
func (x XCCY) leg(c curve.Dual) (v, annuity float64) {
	n := int(math.Round(x.Maturity * float64(x.Freq)))
	tau := 1 / float64(x.Freq)
	v = -1
	prev := 0.0
	for i := 1; i <= n; i++ {
		t := float64(i) * tau
		df := c.Discount.DF(t)
		v += c.Simple(prev, t) * tau * df
		annuity += tau * df
		prev = t
	}
	return v + c.Discount.DF(prev), annuity
}

func (x XCCY) validate(spot float64) error {
	switch {
	case !(spot > 0) || math.IsInf(spot, 0):
		return errorf("spot must be positive and finite, got %v", spot)
	case !(x.NotionalDom > 0) || !(x.NotionalFgn > 0) || math.IsInf(x.NotionalDom, 0) || math.IsInf(x.NotionalFgn, 0):
		return errorf("notionals must be positive and finite, got %v and %v", x.NotionalDom, x.NotionalFgn)
	case !finite(x.Spread):
		return errorf("spread must be finite, got %v", x.Spread)
	case x.Freq < 1 || x.Freq > 12:
		return errorf("freq must be 1 to 12, got %d", x.Freq)
	case !(x.Maturity > 0) || x.Maturity > 100:
		return errorf("maturity must be in (0, 100] years, got %v", x.Maturity)
	case math.Abs(x.Maturity*float64(x.Freq)-math.Round(x.Maturity*float64(x.Freq))) > 1e-9:
		return errorf("maturity %v is not a whole number of periods at freq %d", x.Maturity, x.Freq)
	}
	return nil
}
