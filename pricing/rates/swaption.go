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
	if !(modest(forward) && modest(s.Strike) && moderate(s.Expiry) && moderate(vol) && modestNonNegative(annuity)) {
		return s.refused(forward, annuity, vol, false)
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
// fraction): A [F N(d1) - K N(d2)] for a payer (approx.Black). Forward and
// strike must be positive.
func (s Swaption) Black(forward, annuity, vol float64) (float64, error) {
	// The formula needs only σ√T: one test of it stands for two of σ and
	// T (a negative, zero, infinite or NaN expiry or vol makes it fail).
	sd := vol * math.Sqrt(s.Expiry)
	if !(modestPositive(forward) && modestPositive(s.Strike) && moderate(sd) && modestNonNegative(annuity)) {
		return s.refused(forward, annuity, vol, true)
	}
	return annuity * approx.Black(forward, s.Strike, sd, s.Payer), nil
}

// refused is Normal or Black (lognormal) for inputs their quick tests
// refused: the error for invalid inputs, else the value by the same
// formula with its limits where it breaks down. The quick tests are
// integer comparisons of the bits (errors.go) that keep the formulas'
// intermediates (σ²T, 1/σ√T, (F-K)²) finite and nonzero, and the rest is
// here so that Normal's and Black's own paths hold no call that returns to
// them, across which the compiler would keep every input on the stack
// (that and floating comparisons had cost Black a quarter of its time).
func (s Swaption) refused(forward, annuity, vol float64, lognormal bool) (float64, error) {
	if err := s.check(forward, annuity, vol); err != nil {
		return 0, err
	}
	sd := vol * math.Sqrt(s.Expiry)
	x := forward - s.Strike
	if !s.Payer {
		x = -x
	}
	var v float64
	switch {
	case lognormal && (!(forward > 0) || !(s.Strike > 0)):
		return 0, errorf("Black needs a positive forward and strike, got %v and %v", forward, s.Strike)
	case sd < 0x1p-1000: // no time value left that a float64 holds
		v = annuity * math.Max(x, 0)
	case lognormal && sd > 0x1p1000: // Φ(d1) = 1 and Φ(d2) = 0
		v = annuity * s.Strike
		if s.Payer {
			v = annuity * forward
		}
	case lognormal:
		v = annuity * approx.Black(forward, s.Strike, sd, s.Payer)
	default:
		d := x / sd
		g := approx.Gauss(d)
		v = annuity * (x*approx.PhiWith(d, g) + sd*g*invSqrt2Pi)
	}
	if !finite(v) {
		return 0, errorf("the value overflows: forward %v, strike %v, expiry %v, vol %v, annuity %v",
			forward, s.Strike, s.Expiry, vol, annuity)
	}
	return v, nil
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
