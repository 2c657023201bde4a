package rates

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestSwaptionKernels: Normal and Black (approx.Log, Gauss and PhiWith)
// against the same formulas written with math.Log and math.Erfc, over
// random payer and receiver swaptions from deep out of to deep in the
// money, tiny to huge vols. Tolerance 1e-12 relative or 1e-17 absolute
// (per unit annuity): the two differ only by the rounding of their
// elementary functions, a few ulps each, magnified where the formula
// cancels (deep out of the money).
func TestSwaptionKernels(t *testing.T) {
	phi := func(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
	rng := rand.New(rand.NewPCG(21, 22))
	for i := 0; i < 200_000; i++ {
		s := Swaption{Strike: 0.001 + 0.1*rng.Float64(), Expiry: math.Exp((rng.Float64()*2 - 1) * 4), Payer: i%2 == 0}
		f := s.Strike * math.Exp((rng.Float64()*2-1)*1.5)
		nvol := 0.0001 + 0.03*rng.Float64()
		lvol := 0.01 + 1.5*rng.Float64()

		got, err := s.Normal(f, 1, nvol)
		if err != nil {
			t.Fatal(err)
		}
		sd := nvol * math.Sqrt(s.Expiry)
		x := f - s.Strike
		if !s.Payer {
			x = -x
		}
		d := x / sd
		want := x*phi(d) + sd*math.Exp(-0.5*d*d)/math.Sqrt(2*math.Pi)
		if !closeTo(got, want) {
			t.Fatalf("%+v Normal(%v, 1, %v) = %v, math %v", s, f, nvol, got, want)
		}

		got, err = s.Black(f, 1, lvol)
		if err != nil {
			t.Fatal(err)
		}
		sd = lvol * math.Sqrt(s.Expiry)
		d1 := math.Log(f/s.Strike)/sd + 0.5*sd
		d2 := d1 - sd
		if s.Payer {
			want = f*phi(d1) - s.Strike*phi(d2)
		} else {
			want = s.Strike*phi(-d2) - f*phi(-d1)
		}
		if !closeTo(got, want) {
			t.Fatalf("%+v Black(%v, 1, %v) = %v, math %v", s, f, lvol, got, want)
		}
	}
}

func closeTo(got, want float64) bool {
	d := math.Abs(got - want)
	return d <= 1e-17 || d <= 1e-12*math.Abs(want)
}

// TestSwaptionValid: Normal and Black on every combination of ordinary and
// special inputs (MaxFloat64, the least subnormal, both zeros, 1e±200
// beyond the quick tests' range among them): an error exactly when check
// gives one (or, for Black, when forward or strike is not positive) or
// the value overflows, else a finite value, zero for a zero annuity.
func TestSwaptionValid(t *testing.T) {
	vals := []float64{0.03, 0, math.Copysign(0, -1), -0.01, math.Inf(1), math.Inf(-1), math.NaN(),
		math.MaxFloat64, -math.MaxFloat64, 5e-324, 1e-200, 1e200}
	for _, k := range vals {
		for _, e := range vals {
			for _, f := range vals {
				for _, a := range vals {
					for _, v := range vals {
						s := Swaption{Strike: k, Expiry: e, Payer: true}
						valid := s.check(f, a, v) == nil
						overflow := func(err error) bool { return err != nil && strings.Contains(err.Error(), "overflows") }
						nv, nerr := s.Normal(f, a, v)
						if (nerr == nil) != valid && !(valid && overflow(nerr)) || nerr == nil && !finite(nv) {
							t.Fatalf("%+v f %v a %v vol %v: Normal %v, error %v, check's %v", s, f, a, v, nv, nerr, s.check(f, a, v))
						}
						bv, berr := s.Black(f, a, v)
						if want := valid && f > 0 && k > 0; (berr == nil) != want && !(want && overflow(berr)) || berr == nil && !finite(bv) {
							t.Fatalf("%+v f %v a %v vol %v: Black %v, error %v, want an error: %v", s, f, a, v, bv, berr, !want)
						}
						if a == 0 && (nerr == nil && nv != 0 || berr == nil && bv != 0) {
							t.Fatalf("%+v f %v a %v vol %v: Normal %v, Black %v, want 0", s, f, a, v, nv, bv)
						}
					}
				}
			}
		}
	}
	for _, x := range append(vals, 0x1p-300, math.Nextafter(0x1p-300, 0), 0x1p300, math.Nextafter(0x1p300, 1e308),
		0x1p500, math.Nextafter(0x1p500, 0), -0x1p500, math.Nextafter(-0x1p500, 0)) {
		m := math.Abs(x) < 0x1p500
		if modest(x) != m || modestPositive(x) != (m && x > 0) || modestNonNegative(x) != (m && x >= 0 && !math.Signbit(x)) ||
			moderate(x) != (x >= 0x1p-300 && x <= 0x1p300) {
			t.Errorf("%v: modest %v, modestPositive %v, modestNonNegative %v, moderate %v",
				x, modest(x), modestPositive(x), modestNonNegative(x), moderate(x))
		}
	}
}
