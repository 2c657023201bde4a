package rates

import (
	"math"

	"github.com/hedgeflow/hedgeflow/pricing/curve"
)

// FRA is a forward rate agreement on notional 1 over [Start, End] (years,
// accrual End - Start) at fixed Rate (simple). The long side pays fixed: it
// gains when the fixing is above Rate.
type FRA struct {
	Start, End, Rate float64
}

// PV returns the long side's value: the market settlement at Start of
// τ (F - K) / (1 + τ F), F the simple forward of c.Projection over the
// period, discounted on c.Discount from Start.
func (f FRA) PV(c curve.Dual) (float64, error) {
	switch {
	case !(f.Start >= 0) || math.IsInf(f.Start, 0):
		return 0, errorf("FRA start must be >= 0 and finite, got %v", f.Start)
	case !(f.End > f.Start) || math.IsInf(f.End, 0):
		return 0, errorf("FRA end %v must be after start %v", f.End, f.Start)
	case !finite(f.Rate):
		return 0, errorf("FRA rate must be finite, got %v", f.Rate)
	}
	tau := f.End - f.Start
	fwd := c.Simple(f.Start, f.End)
	return tau * (fwd - f.Rate) / (1 + tau*fwd) * c.Discount.DF(f.Start), nil
}

// Forward returns the FRA's fair rate on c.
func (f FRA) Forward(c curve.Dual) float64 { return c.Simple(f.Start, f.End) }
