package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// fastNormCDF is within 7.5e-8 of Φ (Abramowitz & Stegun 26.2.17's bound).
func TestFastNormCDF(t *testing.T) {
	for x := -40.0; x <= 40; x += 0.001 {
		if d := math.Abs(fastNormCDF(x) - normCDF(x)); d > 7.5e-8 {
			t.Fatalf("x=%v: %v vs %v", x, fastNormCDF(x), normCDF(x))
		}
	}
}

// exactPV's four lanes sum what the direct formula Σ w·E·e^(-ds·τ) sums,
// to 1e-13 relative, for every length up to 130 (the lanes' tails), with
// and without a spread move.
func TestExactPVMatchesDirectSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n <= 130; n++ {
		for _, ds := range []float64{0, 0.004, -0.002, 0.05} {
			w, tau, e := make([]float64, n), make([]float64, n), make([]float64, n)
			want, scale := 0.0, 0.0
			for i := range n {
				tau[i] = 0.3 + 0.5*float64(i)
				w[i], e[i] = rng.Float64()*100, 0.5+rng.Float64()
				term := w[i] * e[i] * math.Exp(-ds*tau[i])
				want += term
				scale += math.Abs(term)
			}
			got := exactPV(w, tau, e, ds)
			if math.Abs(got-want) > 1e-13*scale {
				t.Fatalf("n %d ds %v: exactPV %.17g, direct sum %.17g", n, ds, got, want)
			}
		}
	}
}
