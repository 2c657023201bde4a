package rates

import (
	"math"
	"math/rand/v2"
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

// TestSwaptionValid: the inlined fast checks (valid, and Black's signs and
// finite sum) agree with check on every combination of ordinary and special
// inputs, MaxFloat64 among them (sums that overflow).
func TestSwaptionValid(t *testing.T) {
	vals := []float64{0.03, 0, -0.01, math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, -math.MaxFloat64, 5e-324}
	for _, k := range vals {
		for _, e := range vals {
			for _, f := range vals {
				for _, a := range vals {
					for _, v := range vals {
						s := Swaption{Strike: k, Expiry: e, Payer: true}
						if ok, err := s.valid(f, a, v), s.check(f, a, v); ok != (err == nil) {
							t.Fatalf("%+v f %v a %v vol %v: valid %v, check %v", s, f, a, v, ok, err)
						}
						_, berr := s.Black(f, a, v)
						if want := s.check(f, a, v) == nil && f > 0 && k > 0; (berr == nil) != want {
							t.Fatalf("%+v f %v a %v vol %v: Black's error %v, want an error: %v", s, f, a, v, berr, !want)
						}
					}
				}
			}
		}
	}
}
