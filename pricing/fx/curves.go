package fx

import "github.com/hedgeflow/hedgeflow/pricing/curve"

// MarketAt returns the flat Market equivalent to the curves at t: rd and rf
// are the zero rates at t and Basis the basis spread at t, so that the
// Market's forward and discount factors at t are the curves'. Use it to price
// options and forwards expiring at t on term structures.
func MarketAt(spot float64, domestic, foreign curve.Zero, basis curve.Basis, t float64) Market {
	return Market{Spot: spot, Rd: domestic.Rate(t), Rf: foreign.Rate(t), Basis: basis.At(t)}
}
