package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// exp agrees with math.Exp within 4 ulp (relative 8.9e-16) over the range the hot loop uses and
// beyond; the reference is Go's math.Exp (itself within 1 ulp of e^x).
func TestExpMatchesMathExp(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	check := func(x float64) {
		got, want := exp(x), math.Exp(x)
		if want == 0 || math.IsInf(want, 0) {
			if got != want {
				t.Fatalf("exp(%v) = %v, want %v", x, got, want)
			}
			return
		}
		if d := math.Abs(got-want) / want; d > 4*0x1p-52 {
			t.Fatalf("exp(%v) = %v, want %v (rel %g)", x, got, want, d)
		}
	}
	for range 1_000_000 {
		check((r.Float64()*2 - 1) * 5)
		check((r.Float64()*2 - 1) * 700)
	}
	for _, x := range []float64{0, 1e-300, -1e-300, 0.5 * math.Ln2, -0.5 * math.Ln2, 699.9, -699.9, 710, -750, math.Inf(1), math.Inf(-1)} {
		check(x)
	}
	if !math.IsNaN(exp(math.NaN())) {
		t.Error("exp(NaN) is not NaN")
	}
}

var expSink float64

func BenchmarkExp(b *testing.B) {
	x := 0.0
	for b.Loop() {
		x += exp(-0.3 + x*1e-20)
	}
	expSink = x
}

func BenchmarkMathExp(b *testing.B) {
	x := 0.0
	for b.Loop() {
		x += math.Exp(-0.3 + x*1e-20)
	}
	expSink = x
}

// fastNormCDF is within 7.5e-8 of Φ (Abramowitz & Stegun 26.2.17's bound).
func TestFastNormCDF(t *testing.T) {
	for x := -40.0; x <= 40; x += 0.001 {
		if d := math.Abs(fastNormCDF(x) - normCDF(x)); d > 7.5e-8 {
			t.Fatalf("x=%v: %v vs %v", x, fastNormCDF(x), normCDF(x))
		}
	}
}
