package curve

import "math"

// Basis is a cross-currency basis: a continuously compounded spread b(t)
// added to the foreign currency's zero rate to get the foreign discount curve
// implied by FX swaps (collateral in the domestic currency). A forward is then
//
//	F(t) = S exp(-(rf(t) + b(t)) t) / exp(-rd(t) t).
//
// A negative basis (EUR/USD, USD/JPY quoted that way for years) raises the
// forward. The zero value is no basis.
type Basis struct {
	Spread Zero
}

// NewBasis validates the spread nodes as NewZero does.
func NewBasis(times, spreads []float64) (Basis, error) {
	z, err := NewZero(times, spreads)
	if err != nil {
		return Basis{}, err
	}
	return Basis{Spread: z}, nil
}

// At returns the basis spread at t (0 for the zero value).
func (b Basis) At(t float64) float64 {
	if len(b.Spread.Times) == 0 {
		return 0
	}
	return b.Spread.Rate(t)
}

// ForeignDF returns the basis-adjusted foreign discount factor
// exp(-(rf(t)+b(t)) t) at t.
func (b Basis) ForeignDF(foreign Zero, t float64) float64 {
	if t <= 0 {
		return 1
	}
	return math.Exp(-(foreign.Rate(t) + b.At(t)) * t)
}

// Foreign returns the basis-adjusted foreign curve as a new Zero.
func (b Basis) Foreign(foreign Zero) Zero {
	if len(b.Spread.Times) == 0 {
		return Zero{Times: append([]float64(nil), foreign.Times...), Rates: append([]float64(nil), foreign.Rates...)}
	}
	return foreign.Add(b.Spread)
}

// Forward returns the outright FX forward at t (domestic per foreign) from
// spot, the domestic curve, the foreign curve and the basis.
func (b Basis) Forward(spot float64, domestic, foreign Zero, t float64) float64 {
	return spot * b.ForeignDF(foreign, t) / domestic.DF(t)
}
