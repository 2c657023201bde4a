package curve

// Dual is a pair of curves for post-2008 collateralised pricing: cash flows
// are discounted on Discount (the OIS curve of the collateral currency) and
// floating rates are projected from Projection (the curve of the index
// tenor, e.g. 3m or 6m). When both are the same curve, a floating leg is worth
// par.
type Dual struct {
	Discount   Zero
	Projection Zero
}

// Single returns the Dual that discounts and projects on z.
func Single(z Zero) Dual { return Dual{Discount: z, Projection: z} }

// Simple returns the simply compounded forward rate between t1 < t2 implied
// by the projection curve, (P(t1)/P(t2) - 1) / (t2 - t1), which is what a
// floating coupon accruing over [t1, t2] is expected to fix at.
func (d Dual) Simple(t1, t2 float64) float64 {
	return (d.Projection.DF(t1)/d.Projection.DF(t2) - 1) / (t2 - t1)
}
