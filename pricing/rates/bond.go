package rates

import "math"

// Bond is a bullet fixed-coupon bond per 100 face: Coupon (annual rate, a
// fraction) paid in Freq equal instalments a year at t = i/Freq, face at
// Maturity, a whole number of periods from today (no accrued interest).
type Bond struct {
	Coupon, Maturity float64
	Freq             int
}

// Measures are a bond's price per 100 face, modified duration -(dP/dy)/P and
// convexity (d²P/dy²)/P, y compounded Freq times a year.
type Measures struct {
	Price, ModifiedDuration, Convexity float64
}

// Price returns the price and risk measures at yield y (a fraction,
// compounded Freq times a year; y > -Freq). It does not allocate.
func (b Bond) Price(y float64) (Measures, error) {
	n, err := b.validate()
	if err != nil {
		return Measures{}, err
	}
	f := float64(b.Freq)
	if !(y > -f) || math.IsInf(y, 0) {
		return Measures{}, errorf("yield must be finite and above -%v, got %v", f, y)
	}
	p, d1, d2 := b.price(n, y)
	return Measures{Price: p, ModifiedDuration: -d1 / p, Convexity: d2 / p}, nil
}

// price returns P(y), P'(y) and P”(y).
func (b Bond) price(n int, y float64) (p, d1, d2 float64) {
	f := float64(b.Freq)
	c := 100 * b.Coupon / f
	v := 1 / (1 + y/f)
	df := 1.0
	for i := 1; i <= n; i++ {
		df *= v
		cf := c
		if i == n {
			cf += 100
		}
		k := float64(i)
		p += cf * df
		d1 -= cf * k / f * df * v
		d2 += cf * k * (k + 1) / (f * f) * df * v * v
	}
	return p, d1, d2
}

// Yield returns the yield (compounded Freq times a year) at which the bond
// is worth price, by Newton's method on P(y) - price with a bisection step
// whenever Newton leaves the bracket (Numerical Recipes' rtsafe, Press et
// al., 3rd ed., §9.4), to 1e-14 in the yield.
func (b Bond) Yield(price float64) (float64, error) {
	n, err := b.validate()
	if err != nil {
		return 0, err
	}
	if !(price > 0) || math.IsInf(price, 0) {
		return 0, errorf("price must be positive and finite, got %v", price)
	}
	f := float64(b.Freq)
	g := func(y float64) (float64, float64) {
		p, d1, _ := b.price(n, y)
		return p - price, d1
	}
	// P is decreasing in y: find lo with P(lo) > price and hi with P(hi) < price.
	lo, hi := -0.05, 0.2
	glo, _ := g(lo)
	for glo < 0 {
		lo = -f + (lo+f)/4 // approaches -f, where P grows without bound
		if lo+f < 1e-12 {
			return 0, errorf("no yield gives price %v", price)
		}
		glo, _ = g(lo)
	}
	ghi, _ := g(hi)
	for ghi > 0 {
		hi *= 4
		if hi > 1e6 {
			return 0, errorf("no yield gives price %v", price)
		}
		ghi, _ = g(hi)
	}
	y := b.Coupon
	if !(y > lo && y < hi) {
		y = 0.5 * (lo + hi)
	}
	for iter := 0; iter < 200; iter++ {
		gy, dy := g(y)
		if gy == 0 {
			return y, nil
		}
		if gy > 0 {
			lo = y
		} else {
			hi = y
		}
		next := y - gy/dy
		if !(next > lo && next < hi) {
			next = 0.5 * (lo + hi)
		}
		if math.Abs(next-y) < 1e-14 || hi-lo < 1e-14 {
			return next, nil
		}
		y = next
	}
	return 0, errorf("yield for price %v did not converge", price)
}

func (b Bond) validate() (int, error) {
	if !(b.Coupon >= 0) || math.IsInf(b.Coupon, 0) {
		return 0, errorf("coupon must be >= 0 and finite, got %v", b.Coupon)
	}
	return periods(b.Maturity, b.Freq)
}
