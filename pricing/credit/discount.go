package credit

import (
	"errors"
	"math"

	"github.com/hedgeflow/hedgeflow/pricing/curve"
)

// ErrInvalid is wrapped by every error about bad input to this package.
var ErrInvalid = errors.New("credit: invalid input")

// Discount gives discount factors: from Curve when it has nodes, otherwise
// from the flat continuously compounded Rate. The zero value discounts at 0%.
type Discount struct {
	Rate  float64
	Curve curve.Zero
}

// DF returns the discount factor to time t (1 for t <= 0).
func (d Discount) DF(t float64) float64 {
	if len(d.Curve.Times) > 0 {
		return d.Curve.DF(t)
	}
	if t <= 0 {
		return 1
	}
	return math.Exp(-d.Rate * t)
}

func (d Discount) validate() error {
	if len(d.Curve.Times) > 0 {
		if len(d.Curve.Rates) != len(d.Curve.Times) {
			return errorf("discount curve: %d times and %d rates", len(d.Curve.Times), len(d.Curve.Rates))
		}
		return nil
	}
	if !finite(d.Rate) {
		return errorf("discount rate: must be finite, got %v", d.Rate)
	}
	return nil
}
