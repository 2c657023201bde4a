package rates

import (
	"math"

	"github.com/hedgeflow/hedgeflow/pricing/curve"
)

// Swap is a fixed-for-floating interest rate swap on notional 1 starting
// today. The fixed leg pays FixedRate/Freq at t = i/Freq, i = 1..Tenor*Freq;
// the floating leg pays simple forwards over periods of 1/FloatFreq years
// (FloatFreq 0 means Freq). A payer swap pays fixed and receives floating.
type Swap struct {
	FixedRate, Tenor float64
	Freq, FloatFreq  int
	Payer            bool
}

// Bp is one basis point in rate units.
const Bp = 0.0001

// Flat is the value of a swap on one flat continuously compounded curve.
// DV01 is PV(r + 1 bp) - PV(r).
type Flat struct {
	PV, ParRate, DV01 float64
}

// Flat values the swap on a single flat continuously compounded rate r,
// the floating leg at par (1 - DF(Tenor)). It does not allocate.
func (s Swap) Flat(r float64) (Flat, error) {
	n, err := s.validate()
	if err != nil {
		return Flat{}, err
	}
	if !(r >= -1 && r <= 1) {
		return Flat{}, errorf("rate must be in [-1, 1], got %v", r)
	}
	pv, par := s.flat(n, r)
	up, _ := s.flat(n, r+Bp)
	return Flat{PV: pv, ParRate: par, DV01: up - pv}, nil
}

// flat returns PV and par rate at flat rate r. The annuity is the
// geometric sum (1/f) Σ q^i = (1/f) q (1 - q^n)/(1 - q), q = exp(-r/f),
// written with expm1 so that it keeps full relative accuracy as r -> 0.
func (s Swap) flat(n int, r float64) (pv, par float64) {
	f := float64(s.Freq)
	float := -math.Expm1(-r * s.Tenor)
	var annuity float64
	if r == 0 {
		annuity = float64(n) / f
	} else {
		annuity = math.Exp(-r/f) * float / -math.Expm1(-r/f) / f
	}
	pv = float - s.FixedRate*annuity
	if !s.Payer {
		pv = -pv
	}
	return pv, float / annuity
}

// Risk is the value of a swap on curves and its sensitivities. DV01 is the
// PV change for a parallel +1 bp shift of both curves; Convexity is
// d²PV/dr² for a parallel shift r (per 1.00² of rate, by central difference
// with 1 bp steps). Key-rate DV01s go to a caller's array.
type Risk struct {
	PV, ParRate, DV01, Convexity float64
}

// PV values the swap on curves c: fixed flows and floating forwards (from
// c.Projection) discounted on c.Discount.
func (s Swap) PV(c curve.Dual) (float64, error) {
	n, err := s.validate()
	if err != nil {
		return 0, err
	}
	m, err := s.floatPeriods()
	if err != nil {
		return 0, err
	}
	pv, _ := s.curvePV(n, m, c, curve.Shock{})
	return pv, nil
}

// Risk values the swap on curves c with DV01 and convexity, and writes into
// krd (if not nil) the key-rate DV01s: the PV change for a +1 bp
// curve.KeyRate bump of both curves at each key tenor. It does not allocate.
func (s Swap) Risk(c curve.Dual, krd *[curve.NumKeys]float64) (Risk, error) {
	n, err := s.validate()
	if err != nil {
		return Risk{}, err
	}
	m, err := s.floatPeriods()
	if err != nil {
		return Risk{}, err
	}
	pv, annuity := s.curvePV(n, m, c, curve.Shock{})
	up, _ := s.curvePV(n, m, c, curve.Parallel(Bp))
	down, _ := s.curvePV(n, m, c, curve.Parallel(-Bp))
	float := pv + s.FixedRate*annuity
	if !s.Payer {
		float = s.FixedRate*annuity - pv
	}
	r := Risk{PV: pv, ParRate: float / annuity, DV01: up - pv, Convexity: (up - 2*pv + down) / (Bp * Bp)}
	if krd != nil {
		for k := range krd {
			v, _ := s.curvePV(n, m, c, curve.KeyRate(k, Bp))
			krd[k] = v - pv
		}
	}
	return r, nil
}

func (s Swap) floatPeriods() (int, error) {
	ff := s.FloatFreq
	if ff == 0 {
		ff = s.Freq
	}
	return periods(s.Tenor, ff)
}

// curvePV returns the PV on shifted curves and the fixed-leg annuity.
func (s Swap) curvePV(n, m int, c curve.Dual, sh curve.Shock) (pv, annuity float64) {
	f := float64(s.Freq)
	for i := 1; i <= n; i++ {
		annuity += c.Discount.ShiftedDF(float64(i)/f, sh)
	}
	annuity /= f
	fm := float64(m)
	float, pPrev := 0.0, 1.0
	for j := 1; j <= m; j++ {
		t := float64(j) * s.Tenor / fm
		p := c.Projection.ShiftedDF(t, sh)
		float += (pPrev/p - 1) * c.Discount.ShiftedDF(t, sh)
		pPrev = p
	}
	pv = float - s.FixedRate*annuity
	if !s.Payer {
		pv = -pv
	}
	return pv, annuity
}

func (s Swap) validate() (int, error) {
	if !finite(s.FixedRate) {
		return 0, errorf("fixed rate must be finite, got %v", s.FixedRate)
	}
	if s.FloatFreq < 0 {
		return 0, errorf("float freq must be >= 0, got %d", s.FloatFreq)
	}
	return periods(s.Tenor, s.Freq)
}
