package rates

import "math"

// ConversionFactor returns the CBOT conversion factor of a bond deliverable
// into a Treasury bond or note future: the price per 1 of face of the bond,
// coupon (annual, a fraction, paid semiannually), at a 6% yield compounded
// semiannually, its time to maturity from the first day of the delivery
// month rounded down to whole quarters (months, below, is that time in
// whole months). For an odd quarter the bond is valued three months ahead,
// discounted back at sqrt(1.03) and the accrued coupon of that quarter taken
// off. Source: Hull, Options, Futures, and Other Derivatives, 8th ed., §6.2,
// and CME Group, "Calculating U.S. Treasury futures conversion factors".
func ConversionFactor(coupon float64, months int) (float64, error) {
	if !(coupon >= 0) || coupon > 1 {
		return 0, errorf("coupon must be in [0, 1], got %v", coupon)
	}
	if months < 3 || months > 1200 {
		return 0, errorf("months to maturity must be 3 to 1200, got %d", months)
	}
	q := months / 3 * 3 // round down to a quarter
	n := q / 6
	c := coupon / 2
	// value per 1 face at 6%/2 of n semiannual coupons and the face
	v := math.Pow(1.03, -float64(n))
	p := c*(1-v)/0.03 + v
	if q%6 == 0 {
		return p, nil
	}
	return (c+p)/math.Sqrt(1.03) - c/2, nil
}

// Deliverable is a bond in a futures delivery basket: its quoted clean
// price per 100 and its conversion factor.
type Deliverable struct {
	Price, Factor float64
}

// CheapestToDeliver returns the index of the bond that costs the short
// least to deliver against a futures price (per 100), and that cost,
// price - futures x factor (Hull, §6.2). This is the delivery-day rule; with
// time to delivery it approximates the CTD, ignoring carry and the
// delivery options.
func CheapestToDeliver(futures float64, basket []Deliverable) (int, float64, error) {
	if !(futures > 0) || math.IsInf(futures, 0) {
		return 0, 0, errorf("futures price must be positive and finite, got %v", futures)
	}
	if len(basket) == 0 {
		return 0, 0, errorf("empty delivery basket")
	}
	best, cost := -1, math.Inf(1)
	for i, d := range basket {
		if !(d.Price > 0) || !(d.Factor > 0) || math.IsInf(d.Price, 0) || math.IsInf(d.Factor, 0) {
			return 0, 0, errorf("basket[%d] = %+v: price and factor must be positive and finite", i, d)
		}
		if c := d.Price - futures*d.Factor; c < cost {
			best, cost = i, c
		}
	}
	return best, cost, nil
}
