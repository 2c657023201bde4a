package curve

import (
	"errors"
	"fmt"
	"math"
)

// ErrInvalid is wrapped by every error about a malformed curve.
var ErrInvalid = errors.New("curve: invalid")

// Zero is a zero-rate curve on nodes Times (strictly increasing, > 0) with
// continuously compounded Rates. Build it with NewZero, which validates.
type Zero struct {
	Times []float64
	Rates []float64
}

// NewZero validates and returns a curve; the slices are copied.
func NewZero(times, rates []float64) (Zero, error) {
	if len(times) == 0 || len(times) != len(rates) {
		return Zero{}, fmt.Errorf("%w: %d times and %d rates", ErrInvalid, len(times), len(rates))
	}
	for i, t := range times {
		if !(t > 0) || math.IsInf(t, 0) {
			return Zero{}, fmt.Errorf("%w: times[%d] = %v must be positive and finite", ErrInvalid, i, t)
		}
		if i > 0 && !(t > times[i-1]) {
			return Zero{}, fmt.Errorf("%w: times[%d] = %v not after times[%d] = %v", ErrInvalid, i, t, i-1, times[i-1])
		}
		r := rates[i]
		if math.IsNaN(r) || math.IsInf(r, 0) || r < -0.5 || r > 1 {
			return Zero{}, fmt.Errorf("%w: rates[%d] = %v outside [-0.5, 1]", ErrInvalid, i, r)
		}
	}
	return Zero{Times: append([]float64(nil), times...), Rates: append([]float64(nil), rates...)}, nil
}

// Rate returns the continuously compounded zero rate at t.
func (z Zero) Rate(t float64) float64 {
	n := len(z.Times)
	if t <= z.Times[0] {
		return z.Rates[0]
	}
	if t >= z.Times[n-1] {
		return z.Rates[n-1]
	}
	// Binary search for the bracketing interval; curves are short.
	lo, hi := 0, n-1
	for hi-lo > 1 {
		m := (lo + hi) >> 1
		if z.Times[m] <= t {
			lo = m
		} else {
			hi = m
		}
	}
	w := (t - z.Times[lo]) / (z.Times[hi] - z.Times[lo])
	return z.Rates[lo] + w*(z.Rates[hi]-z.Rates[lo])
}

// DF returns the discount factor exp(-r(t) t); DF(0) = 1.
func (z Zero) DF(t float64) float64 {
	if t <= 0 {
		return 1
	}
	return math.Exp(-z.Rate(t) * t)
}

// Forward returns the continuously compounded forward rate between t1 < t2.
func (z Zero) Forward(t1, t2 float64) float64 {
	return (z.Rate(t2)*t2 - z.Rate(t1)*t1) / (t2 - t1)
}
