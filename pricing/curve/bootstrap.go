package curve

import (
	"fmt"
	"math"
	"sort"
)

// Deposit is a money-market deposit quote: a simply compounded Rate for
// Maturity years from today, so that DF(Maturity) = 1 / (1 + Rate Maturity).
type Deposit struct {
	Maturity, Rate float64
}

// Implied returns the deposit rate that curve z implies for d's maturity.
func (d Deposit) Implied(z Zero) float64 {
	return (1/z.DF(d.Maturity) - 1) / d.Maturity
}

// Par is a par swap quote starting today: the fixed Rate that makes a
// fixed-for-floating swap worth zero. The fixed leg pays Rate x accrual at
// the increasing times Fixed, the accrual of each payment being the time
// since the previous one (the first from 0). The floating leg pays simple
// forwards of the projection curve over the periods ending at Float (nil
// means the same times as Fixed); its last time must be the fixed leg's.
type Par struct {
	Rate  float64
	Fixed []float64
	Float []float64
}

// ParSwap returns the quote of a swap of maturity years with freq fixed and
// floating payments a year at t = i/freq. The maturity is rounded to a whole
// number of periods.
func ParSwap(rate, maturity float64, freq int) Par {
	n := int(math.Round(maturity * float64(freq)))
	fixed := make([]float64, n)
	for i := range fixed {
		fixed[i] = float64(i+1) / float64(freq)
	}
	return Par{Rate: rate, Fixed: fixed}
}

// Maturity returns the last payment time.
func (p Par) Maturity() float64 {
	if len(p.Fixed) == 0 {
		return 0
	}
	return p.Fixed[len(p.Fixed)-1]
}

// Annuity returns the fixed leg's value per unit rate, discounted on z.
func (p Par) Annuity(z Zero) float64 {
	a, prev := 0.0, 0.0
	for _, t := range p.Fixed {
		a += (t - prev) * z.DF(t)
		prev = t
	}
	return a
}

// Floating returns the floating leg's value per unit notional: forwards
// projected on d.Projection, discounted on d.Discount.
func (p Par) Floating(d Dual) float64 {
	float := p.Float
	if float == nil {
		float = p.Fixed
	}
	v, pPrev := 0.0, 1.0
	for _, t := range float {
		pt := d.Projection.DF(t)
		v += (pPrev/pt - 1) * d.Discount.DF(t)
		pPrev = pt
	}
	return v
}

// Implied returns the par rate that the curves d imply for p's schedule.
func (p Par) Implied(d Dual) float64 {
	return p.Floating(d) / p.Annuity(d.Discount)
}

// Bootstrap builds the curve that reprices every deposit and par swap quote,
// discounting and projecting on the same curve (single-curve, or an OIS
// curve from OIS quotes). There is one node at each instrument's maturity;
// maturities must differ. Zero rates are interpolated linearly in t between
// nodes and held flat outside them (Zero's rule), and each node is solved in
// turn by Brent's method to 1e-15 in the rate, so the curve reprices its
// quotes to about 1e-15.
func Bootstrap(deposits []Deposit, swaps []Par) (Zero, error) {
	return bootstrap(nil, deposits, swaps)
}

// BootstrapProjection builds a projection curve against a given discount
// curve (OIS discounting): deposits fix on the projection curve and swaps
// project their floating legs on it while discounting both legs on discount.
// Nodes and interpolation are as in Bootstrap.
func BootstrapProjection(discount Zero, deposits []Deposit, swaps []Par) (Zero, error) {
	if len(discount.Times) == 0 || len(discount.Times) != len(discount.Rates) {
		return Zero{}, fmt.Errorf("%w: empty discount curve", ErrInvalid)
	}
	return bootstrap(&discount, deposits, swaps)
}

func bootstrap(discount *Zero, deposits []Deposit, swaps []Par) (Zero, error) {
	type pillar struct {
		t   float64
		dep int // index into deposits, or -1
		swp int // index into swaps, or -1
	}
	ps := make([]pillar, 0, len(deposits)+len(swaps))
	for i, d := range deposits {
		if !(d.Maturity > 0) || math.IsInf(d.Maturity, 0) || !finite(d.Rate) || !(1+d.Rate*d.Maturity > 0) {
			return Zero{}, fmt.Errorf("%w: deposits[%d] = %+v", ErrInvalid, i, d)
		}
		ps = append(ps, pillar{d.Maturity, i, -1})
	}
	for i, s := range swaps {
		if err := s.validate(); err != nil {
			return Zero{}, fmt.Errorf("%w: swaps[%d]: %v", ErrInvalid, i, err)
		}
		ps = append(ps, pillar{s.Maturity(), -1, i})
	}
	if len(ps) == 0 {
		return Zero{}, fmt.Errorf("%w: no quotes", ErrInvalid)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].t < ps[j].t })
	times := make([]float64, len(ps))
	rates := make([]float64, len(ps))
	for i, p := range ps {
		if i > 0 && !(p.t > times[i-1]) {
			return Zero{}, fmt.Errorf("%w: two quotes mature at %v", ErrInvalid, p.t)
		}
		times[i] = p.t
		z := Zero{Times: times[:i+1], Rates: rates[:i+1]}
		if p.dep >= 0 {
			d := deposits[p.dep]
			rates[i] = math.Log1p(d.Rate*d.Maturity) / d.Maturity
			continue
		}
		s := swaps[p.swp]
		d := Dual{Discount: z, Projection: z}
		if discount != nil {
			d.Discount = *discount
		}
		f := func(x float64) float64 {
			rates[i] = x
			return s.Rate*s.Annuity(d.Discount) - s.Floating(d)
		}
		guess := s.Rate
		if i > 0 {
			guess = rates[i-1]
		}
		x, err := brent(f, guess)
		if err != nil {
			return Zero{}, fmt.Errorf("%w: swaps[%d] (rate %v, maturity %v): %v", ErrInvalid, p.swp, s.Rate, p.t, err)
		}
		rates[i] = x
	}
	return Zero{Times: times, Rates: rates}, nil
}

func (p Par) validate() error {
	if !finite(p.Rate) {
		return fmt.Errorf("rate %v", p.Rate)
	}
	if len(p.Fixed) == 0 {
		return fmt.Errorf("no fixed payments")
	}
	for _, leg := range [][]float64{p.Fixed, p.Float} {
		for i, t := range leg {
			if !(t > 0) || math.IsInf(t, 0) || (i > 0 && !(t > leg[i-1])) {
				return fmt.Errorf("payment times must be positive, finite and increasing, got %v", leg)
			}
		}
	}
	if p.Float != nil && p.Float[len(p.Float)-1] != p.Maturity() {
		return fmt.Errorf("floating leg ends at %v, fixed leg at %v", p.Float[len(p.Float)-1], p.Maturity())
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// brent finds a root of f by Brent's method (R. P. Brent, Algorithms for
// Minimization without Derivatives, 1973, ch. 4), first bracketing it by
// stepping out from guess within the rate range of NewZero.
func brent(f func(float64) float64, guess float64) (float64, error) {
	const lo, hi = -0.5, 1.0
	guess = math.Max(lo, math.Min(hi, guess))
	a, b := guess-0.005, guess+0.005
	fa, fb := f(a), f(b)
	for step := 0.01; fa*fb > 0; step *= 2 {
		if a <= lo && b >= hi {
			return 0, fmt.Errorf("no zero rate in [%v, %v] reprices it", lo, hi)
		}
		if (math.Abs(fa) < math.Abs(fb) && a > lo) || b >= hi {
			a = math.Max(lo, a-step)
			fa = f(a)
		} else {
			b = math.Min(hi, b+step)
			fb = f(b)
		}
	}
	if fa == 0 {
		return a, nil
	}
	c, fc := a, fa
	d := b - a
	e := d
	for iter := 0; iter < 200; iter++ {
		if fb*fc > 0 {
			c, fc = a, fa
			d = b - a
			e = d
		}
		if math.Abs(fc) < math.Abs(fb) {
			a, b, c = b, c, b
			fa, fb, fc = fb, fc, fb
		}
		tol := 2*0x1p-52*math.Abs(b) + 0.5e-15
		m := 0.5 * (c - b)
		if math.Abs(m) <= tol || fb == 0 {
			return b, nil
		}
		if math.Abs(e) >= tol && math.Abs(fa) > math.Abs(fb) {
			var p, q float64
			s := fb / fa
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
			if 2*p < math.Min(3*m*q-math.Abs(tol*q), math.Abs(e*q)) {
				e = d
				d = p / q
			} else {
				d = m
				e = d
			}
		} else {
			d = m
			e = d
		}
		a, fa = b, fb
		if math.Abs(d) > tol {
			b += d
		} else {
			b += math.Copysign(tol, m)
		}
		fb = f(b)
	}
	return 0, fmt.Errorf("no convergence")
}
