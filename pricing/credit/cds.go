package credit

import "math"

// MaxPeriods bounds the number of premium periods of one leg
// (maturity x freq), so that a request cannot make a pricer loop for long.
const MaxPeriods = 100 * 366

// CDS is a single-name credit default swap on notional 1, protection from
// time 0 to Maturity, premiums of Coupon/Freq paid Freq times a year.
type CDS struct {
	Maturity float64 // years, > 0
	Coupon   float64 // running coupon, fraction per year (0.01 = 100 bp)
	Recovery float64 // in [0, 1)
	Freq     int     // premium payments per year, >= 1
}

// Legs are the values of a CDS or tranche on notional 1.
type Legs struct {
	Protection float64 // value of the default payments
	Annuity    float64 // risky annuity (RPV01) per unit coupon, with accrual on default
	ParSpread  float64 // Protection / Annuity: the coupon that makes PV zero
	PV         float64 // Protection - Coupon x Annuity: protection buyer's value
}

// Validate reports whether the contract terms are usable.
func (c CDS) Validate() error {
	if !(c.Maturity > 0) || math.IsInf(c.Maturity, 0) {
		return errorf("maturity: must be positive and finite, got %v", c.Maturity)
	}
	if c.Freq < 1 || c.Freq > 366 {
		return errorf("freq: must be an integer in [1, 366], got %d", c.Freq)
	}
	if c.Maturity*float64(c.Freq) > MaxPeriods {
		return errorf("maturity: %v years at freq %d exceeds %d periods", c.Maturity, c.Freq, MaxPeriods)
	}
	if !finite(c.Coupon) {
		return errorf("coupon: must be finite, got %v", c.Coupon)
	}
	if !(c.Recovery >= 0 && c.Recovery < 1) {
		return errorf("recovery: must be in [0,1), got %v", c.Recovery)
	}
	return nil
}

// Price values the CDS on the hazard curve h with discounting d. It does not
// allocate.
func (c CDS) Price(h Hazard, d Discount) (Legs, error) {
	if err := c.Validate(); err != nil {
		return Legs{}, err
	}
	if err := checkHazard(h.Times, h.Rates); err != nil {
		return Legs{}, err
	}
	if err := d.validate(); err != nil {
		return Legs{}, err
	}
	return c.price(h, d), nil
}

func (c CDS) price(h Hazard, d Discount) Legs {
	ann, loss := legs(0, c.Maturity, c.Freq, h, d)
	return makeLegs((1-c.Recovery)*loss, ann, c.Coupon)
}

func makeLegs(prot, ann, coupon float64) Legs {
	l := Legs{Protection: prot, Annuity: ann, PV: prot - coupon*ann}
	if ann > 0 {
		l.ParSpread = prot / ann
	}
	return l
}

// periods returns the number of premium periods of protection from start to
// end at freq a year and whether they fall exactly on i/freq.
func periods(start, end float64, freq int) (n int, onGrid bool) {
	f := float64(freq)
	x := (end - start) * f
	n = int(math.Ceil(x - 1e-9))
	if n < 1 {
		n = 1
	}
	onGrid = start == 0 && math.Abs(float64(n)-x) <= 1e-9
	return n, onGrid
}

// payTime returns the end of period i in 1..n (see periods).
func payTime(i, n int, start, end float64, freq int, onGrid bool) float64 {
	switch {
	case i == n:
		return end
	case onGrid:
		return float64(i) / float64(freq)
	default:
		return end - float64(n-i)/float64(freq)
	}
}

// legs returns the risky annuity (premium leg per unit coupon, with accrual
// on default) and the protection leg per unit loss given default for
// protection from start to end, defaults at period mid-points.
//
// Survival and, on a flat rate, discount factors are carried from period to
// period by multiplying by exp(-increment), the exponential recomputed only
// when the increment changes (by more than 1e-14 relative): premium periods
// are all alike but the first and last, so a 5y quarterly CDS takes a handful
// of exponentials instead of sixty. The products drift from exp(-Λ(t)) by
// about 1e-14 x Λ(t) relative.
func legs(start, end float64, freq int, h Hazard, d Discount) (annuity, loss float64) {
	n, onGrid := periods(start, end, freq)
	flat := len(d.Curve.Times) == 0
	t0 := start
	lam0 := h.Integrated(t0)
	s0 := math.Exp(-lam0)
	df0 := d.DF(t0)
	var surv, disc, half expCache
	for i := 1; i <= n; i++ {
		t1 := payTime(i, n, start, end, freq, onGrid)
		lam1 := h.Integrated(t1)
		s1 := s0 * surv.exp(lam1-lam0)
		dt := t1 - t0
		var df1, dfMid float64
		if flat {
			df1 = df0 * disc.exp(d.Rate*dt)
			dfMid = df0 * half.exp(0.5*d.Rate*dt)
		} else {
			df1 = d.Curve.DF(t1)
			dfMid = d.Curve.DF(0.5 * (t0 + t1))
		}
		ds := s0 - s1
		annuity += dt*s1*df1 + 0.5*dt*ds*dfMid
		loss += ds * dfMid
		t0, lam0, s0, df0 = t1, lam1, s1, df1
	}
	return annuity, loss
}

// expCache returns exp(-x), reusing the last value when x is within 1e-14
// relative of the last argument.
type expCache struct {
	x, v float64
	ok   bool
}

func (c *expCache) exp(x float64) float64 {
	if !c.ok || math.Abs(x-c.x) > 1e-14*math.Abs(c.x) {
		c.x, c.v, c.ok = x, math.Exp(-x), true
	}
	return c.v
}
