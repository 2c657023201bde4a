package credit

import "math"

// Quote is a par spread quote: the coupon (fraction per year) that gives a
// CDS to Maturity (years) zero value.
type Quote struct {
	Maturity float64
	Spread   float64
}

// Bootstrap returns the piecewise-constant hazard curve with one node per
// quote maturity that reprices every quote: a CDS with premiums at freq, the
// given recovery and discounting, and coupon equal to the quoted spread has
// zero value on it (to about 1e-15 per unit notional). Quotes must have
// strictly increasing maturities and positive spreads. It fails if a quote
// needs a negative hazard rate (a spread curve falling too steeply).
func Bootstrap(quotes []Quote, recovery float64, freq int, d Discount) (Hazard, error) {
	if len(quotes) == 0 {
		return Hazard{}, errorf("quotes: none")
	}
	if err := d.validate(); err != nil {
		return Hazard{}, err
	}
	for i, q := range quotes {
		c := CDS{Maturity: q.Maturity, Coupon: q.Spread, Recovery: recovery, Freq: freq}
		if err := c.Validate(); err != nil {
			return Hazard{}, errorf("quotes[%d]: %v", i, err)
		}
		if !(q.Spread > 0) {
			return Hazard{}, errorf("quotes[%d]: spread must be positive, got %v", i, q.Spread)
		}
		if i > 0 && !(q.Maturity > quotes[i-1].Maturity) {
			return Hazard{}, errorf("quotes[%d]: maturity %v not after %v", i, q.Maturity, quotes[i-1].Maturity)
		}
	}
	times := make([]float64, len(quotes))
	rates := make([]float64, len(quotes))
	for k, q := range quotes {
		times[k] = q.Maturity
		h := Hazard{Times: times[:k+1], Rates: rates[:k+1]}
		c := CDS{Maturity: q.Maturity, Coupon: q.Spread, Recovery: recovery, Freq: freq}
		pv := func(x float64) float64 {
			rates[k] = x
			return c.price(h, d).PV
		}
		// The credit triangle s = (1-R) h is the first guess and sets the bracket.
		guess := q.Spread / (1 - recovery)
		hi := 2 * guess
		for pv(hi) < 0 {
			hi *= 2
			if hi > 1e4 {
				return Hazard{}, errorf("quotes[%d]: no hazard rate reprices spread %v", k, q.Spread)
			}
		}
		if pv(0) > 0 {
			return Hazard{}, errorf("quotes[%d]: spread %v needs a negative hazard rate", k, q.Spread)
		}
		x, ok := brent(pv, 0, hi, 1e-16)
		if !ok {
			return Hazard{}, errorf("quotes[%d]: bootstrap did not converge", k)
		}
		rates[k] = x
	}
	return Hazard{Times: times, Rates: rates}, nil
}

// brent finds a root of f in [a, b], f(a) <= 0 <= f(b), to within tol in x,
// by Brent's method (R. P. Brent, Algorithms for Minimization without
// Derivatives, 1973, ch. 4, procedure zero).
func brent(f func(float64) float64, a, b, tol float64) (float64, bool) {
	fa, fb := f(a), f(b)
	if fa == 0 {
		return a, true
	}
	if fb == 0 {
		return b, true
	}
	c, fc := a, fa
	d := b - a
	e := d
	for iter := 0; iter < 200; iter++ {
		if (fb > 0) == (fc > 0) {
			c, fc = a, fa
			d = b - a
			e = d
		}
		if math.Abs(fc) < math.Abs(fb) {
			a, b, c = b, c, b
			fa, fb, fc = fb, fc, fb
		}
		t := 2*2.220446049250313e-16*math.Abs(b) + 0.5*tol
		m := 0.5 * (c - b)
		if math.Abs(m) <= t || fb == 0 {
			return b, true
		}
		if math.Abs(e) < t || math.Abs(fa) <= math.Abs(fb) {
			d = m
			e = m
		} else {
			s := fb / fa
			var p, q float64
			if a == c {
				p = 2 * m * s
				q = 1 - s
			} else {
				q = fa / fc
				r := fb / fc
				p = s * (2*m*q*(q-r) - (b-a)*(r-1))
				q = (q - 1) * (r - 1) * (s - 1)
			}
			if p > 0 {
				q = -q
			} else {
				p = -p
			}
			if 2*p < 3*m*q-math.Abs(t*q) && p < math.Abs(0.5*e*q) {
				e = d
				d = p / q
			} else {
				d = m
				e = m
			}
		}
		a, fa = b, fb
		if math.Abs(d) > t {
			b += d
		} else if m > 0 {
			b += t
		} else {
			b -= t
		}
		fb = f(b)
	}
	return b, false
}

// CS01 returns the change in value of c when every quote rises by 1 bp, the
// hazard curve bootstrapped from quotes before and after (with c's recovery
// and frequency).
func CS01(c CDS, quotes []Quote, d Discount) (float64, error) {
	if err := c.Validate(); err != nil {
		return 0, err
	}
	base, err := Bootstrap(quotes, c.Recovery, c.Freq, d)
	if err != nil {
		return 0, err
	}
	up := make([]Quote, len(quotes))
	for i, q := range quotes {
		up[i] = Quote{Maturity: q.Maturity, Spread: q.Spread + 1e-4}
	}
	bumped, err := Bootstrap(up, c.Recovery, c.Freq, d)
	if err != nil {
		return 0, err
	}
	return c.price(bumped, d).PV - c.price(base, d).PV, nil
}
