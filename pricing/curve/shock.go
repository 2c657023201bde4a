package curve

import (
	"fmt"
	"math"
)

// NumKeys is the number of key-rate tenors.
const NumKeys = 10

// KeyTenors returns the key-rate tenors in years: 0.25, 0.5, 1, 2, 3, 5, 7,
// 10, 20 and 30.
func KeyTenors() [NumKeys]float64 {
	return [NumKeys]float64{0.25, 0.5, 1, 2, 3, 5, 7, 10, 20, 30}
}

// Shock is an additive shift of zero rates, piecewise linear in t between
// at most three knots and flat beyond the first and the last: a parallel
// move, a slope or curvature move, or one key-rate bump. Its zero value is no
// shift. Sizes are continuously compounded fractions (0.0001 is 1 bp).
type Shock struct {
	n int
	t [3]float64
	h [3]float64
}

// Parallel shifts every zero rate by h.
func Parallel(h float64) Shock {
	return Shock{n: 1, t: [3]float64{1}, h: [3]float64{h}}
}

// Slope steepens the curve by h: -h/2 up to 2y, +h/2 from 30y on, linear in
// t between. A negative h flattens it.
func Slope(h float64) Shock {
	return Shock{n: 2, t: [3]float64{2, 30}, h: [3]float64{-h / 2, h / 2}}
}

// Curvature raises the belly by h: 0 up to 2y and from 30y on, h at 10y,
// linear in t between. A negative h lowers the belly against the wings.
func Curvature(h float64) Shock {
	return Shock{n: 3, t: [3]float64{2, 10, 30}, h: [3]float64{0, h, 0}}
}

// KeyRate is the bump of size h at key tenor i (0 <= i < NumKeys, see
// KeyTenors): h at that tenor, falling linearly to 0 at the neighbouring key
// tenors, flat (h) before the first key tenor and after the last. The
// NumKeys key-rate bumps of one size add up to the parallel shift of that
// size at every t. KeyRate panics if i is out of range.
func KeyRate(i int, h float64) Shock {
	k := KeyTenors()
	if i < 0 || i >= NumKeys {
		panic(fmt.Sprintf("curve: key rate index %d out of [0, %d)", i, NumKeys))
	}
	switch i {
	case 0:
		return Shock{n: 2, t: [3]float64{k[0], k[1]}, h: [3]float64{h, 0}}
	case NumKeys - 1:
		return Shock{n: 2, t: [3]float64{k[i-1], k[i]}, h: [3]float64{0, h}}
	}
	return Shock{n: 3, t: [3]float64{k[i-1], k[i], k[i+1]}, h: [3]float64{0, h, 0}}
}

// At returns the shift of the zero rate at t.
func (s Shock) At(t float64) float64 {
	switch {
	case s.n == 0:
		return 0
	case t <= s.t[0]:
		return s.h[0]
	case t >= s.t[s.n-1]:
		return s.h[s.n-1]
	}
	i := 1
	for t > s.t[i] {
		i++
	}
	w := (t - s.t[i-1]) / (s.t[i] - s.t[i-1])
	return s.h[i-1] + w*(s.h[i]-s.h[i-1])
}

// ShiftedDF returns the discount factor at t of the curve shifted by s,
// exp(-(r(t)+s(t)) t), without building the shifted curve.
func (z Zero) ShiftedDF(t float64, s Shock) float64 {
	if t <= 0 {
		return 1
	}
	return math.Exp(-(z.Rate(t) + s.At(t)) * t)
}

// Shift returns a new curve whose zero rate is z.Rate(t) + s.At(t) at every
// t. Its nodes are the union of the curve's nodes and the shock's knots, so
// that linear interpolation of the sum is exact. Rates are not re-validated:
// a shock may take them outside NewZero's range.
func (z Zero) Shift(s Shock) Zero {
	times := make([]float64, 0, len(z.Times)+s.n)
	i, j := 0, 0
	for i < len(z.Times) || j < s.n {
		var t float64
		switch {
		case j >= s.n || (i < len(z.Times) && z.Times[i] < s.t[j]):
			t = z.Times[i]
			i++
		case i >= len(z.Times) || s.t[j] < z.Times[i]:
			t = s.t[j]
			j++
		default:
			t = z.Times[i]
			i++
			j++
		}
		times = append(times, t)
	}
	rates := make([]float64, len(times))
	for k, t := range times {
		rates[k] = z.Rate(t) + s.At(t)
	}
	return Zero{Times: times, Rates: rates}
}

// Add returns a new curve whose zero rate is z.Rate(t) + s.Rate(t), on the
// union of both curves' nodes (exact under linear interpolation with flat
// extrapolation). Use it to add a spread curve, such as a cross-currency
// basis (see Basis) or a credit spread, to a zero curve.
func (z Zero) Add(s Zero) Zero {
	times := make([]float64, 0, len(z.Times)+len(s.Times))
	i, j := 0, 0
	for i < len(z.Times) || j < len(s.Times) {
		var t float64
		switch {
		case j >= len(s.Times) || (i < len(z.Times) && z.Times[i] < s.Times[j]):
			t = z.Times[i]
			i++
		case i >= len(z.Times) || s.Times[j] < z.Times[i]:
			t = s.Times[j]
			j++
		default:
			t = z.Times[i]
			i++
			j++
		}
		times = append(times, t)
	}
	rates := make([]float64, len(times))
	for k, t := range times {
		rates[k] = z.Rate(t) + s.Rate(t)
	}
	return Zero{Times: times, Rates: rates}
}
