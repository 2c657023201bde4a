package rates

import (
	"math"

	"github.com/hedgeflow/hedgeflow/pricing/approx"
)

// Swaption is a European option to enter a swap at Strike (a rate) at
// Expiry (years). A payer swaption is a call on the forward swap rate, a
// receiver a put. Values are the option formula times the forward annuity,
// in the annuity's units (per unit notional when the annuity is).
type Swaption struct {
	Strike, Expiry float64
	Payer          bool
}

// Normal values the swaption under Bachelier's model with normal vol (in
// absolute rate units per year^½, 0.01 is 100 bp): A [(F-K) N(d) + σ√T n(d)]
// for a payer, d = (F-K)/(σ√T). Forward and strike may be negative.
func (s Swaption) Normal(forward, annuity, vol float64) (float64, error) {
	if !s.valid(forward, annuity, vol) {
		return 0, s.check(forward, annuity, vol)
	}
	sd := vol * math.Sqrt(s.Expiry)
	x := forward - s.Strike
	if !s.Payer {
		x = -x
	}
	d := x / sd
	// e^(-d²/2) for both φ(d) and Φ(d), its argument x²/(2σ²T) taken
	// without the square root so that the exponential need not wait for
	// it; as accurate as d itself (a few ulps either way)
	g := approx.Exp(-0.5 * (x * x) / (vol * vol * s.Expiry))
	return annuity * (x*approx.PhiWith(d, g) + sd*g*invSqrt2Pi), nil
}

// Black values the swaption under Black's model with lognormal vol (a
// fraction): A [F N(d1) - K N(d2)] for a payer. Forward and strike must be
// positive.
func (s Swaption) Black(forward, annuity, vol float64) (float64, error) {
	// Signs, then finiteness of all five at once: a sum is finite only if
	// every term is (inputs near MaxFloat64 whose sum overflows are
	// checked one by one)
	if !(forward > 0 && s.Strike > 0 && s.Expiry > 0 && vol > 0 && annuity >= 0) ||
		!(math.Abs(forward+s.Strike+s.Expiry+vol+annuity) <= math.MaxFloat64) {
		if err := s.check(forward, annuity, vol); err != nil {
			return 0, err
		}
		if !(forward > 0) || !(s.Strike > 0) {
			return 0, errorf("Black needs a positive forward and strike, got %v and %v", forward, s.Strike)
		}
	}
	sd := vol * math.Sqrt(s.Expiry)
	isd := 1 / sd // overlaps the logarithm
	fk := forward / s.Strike
	// log(F/K) to a few roundings (approx.LogFast): d1 divides it by
	// σ√T and adds σ√T/2, which costs as many
	d1 := approx.LogFast(fk)*isd + 0.5*sd
	d2 := d1 - sd
	if s.Payer {
		n1, n2 := approx.BlackPhi(d1, d2, fk)
		return annuity * (forward*n1 - s.Strike*n2), nil
	}
	n1, n2 := approx.BlackPhi(-d1, -d2, fk)
	return annuity * (s.Strike*n2 - forward*n1), nil
}

// valid is check's verdict without its error: comparisons the compiler
// inlines, so that a valid call does not pay for check's call and spills
// (a third of Normal's time).
func (s Swaption) valid(forward, annuity, vol float64) bool {
	const max = math.MaxFloat64
	return math.Abs(s.Strike) <= max && s.Expiry > 0 && s.Expiry <= max && math.Abs(forward) <= max &&
		annuity >= 0 && annuity <= max && vol > 0 && vol <= max
}

// check returns the error for the first invalid input, nil if valid.
func (s Swaption) check(forward, annuity, vol float64) error {
	switch {
	case !finite(s.Strike):
		return errorf("strike must be finite, got %v", s.Strike)
	case !(s.Expiry > 0) || math.IsInf(s.Expiry, 0):
		return errorf("expiry must be positive and finite, got %v", s.Expiry)
	case !finite(forward):
		return errorf("forward must be finite, got %v", forward)
	case !(annuity >= 0) || math.IsInf(annuity, 0):
		return errorf("annuity must be >= 0 and finite, got %v", annuity)
	case !(vol > 0) || math.IsInf(vol, 0):
		return errorf("vol must be positive and finite, got %v", vol)
	}
	return nil
}

const invSqrt2Pi = 0.3989422804014327 // 1/√(2π)
