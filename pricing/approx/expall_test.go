package approx

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ExpAll is Exp bit for bit, edges included.
func TestExpAll(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	v := []float64{0, 1, -1, 1e-300, -1e-300, 699.9, -699.9, 700, -700, 710, -750, math.Inf(1), math.Inf(-1), math.NaN()}
	for range 200_000 {
		v = append(v, (rng.Float64()*2-1)*50, (rng.Float64()*2-1)*700)
	}
	want := make([]float64, len(v))
	for i, x := range v {
		want[i] = Exp(x)
	}
	ExpAll(v)
	for i := range v {
		if math.Float64bits(v[i]) != math.Float64bits(want[i]) && !(math.IsNaN(v[i]) && math.IsNaN(want[i])) {
			t.Fatalf("ExpAll entry %d: %v, Exp %v", i, v[i], want[i])
		}
	}
}

// ExpAll is Exp bit for bit at every length and with an out-of-range
// argument or a NaN at every position: on amd64 with AVX2 that covers the
// four-lane loop, the masked tail and the hand-over to math.Exp.
func TestExpAllLengths(t *testing.T) {
	if !hasAVX2 {
		t.Log("no AVX2 (or purego): ExpAll is the scalar loop")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	odd := []float64{700, -700, 710, -750, math.Inf(1), math.Inf(-1), math.NaN()}
	for n := range 19 {
		for bad := -1; bad < n; bad++ {
			for _, o := range odd {
				v := make([]float64, n+1)
				for i := range v {
					v[i] = (rng.Float64()*2 - 1) * 40
				}
				if bad >= 0 {
					v[bad] = o
				}
				sentinel := v[n]
				want := make([]float64, n)
				for i := range want {
					want[i] = Exp(v[i])
				}
				ExpAll(v[:n])
				for i := range want {
					if math.Float64bits(v[i]) != math.Float64bits(want[i]) && !(math.IsNaN(v[i]) && math.IsNaN(want[i])) {
						t.Fatalf("length %d, odd %v at %d: entry %d is %v, Exp %v", n, o, bad, i, v[i], want[i])
					}
				}
				if math.Float64bits(v[n]) != math.Float64bits(sentinel) {
					t.Fatalf("length %d: ExpAll wrote past the slice", n)
				}
				if bad < 0 {
					break
				}
			}
		}
	}
}

var expAllArgs = func() []float64 {
	rng := rand.New(rand.NewPCG(7, 8))
	v := make([]float64, 42)
	for i := range v {
		v[i] = (rng.Float64()*2 - 1) * 3
	}
	return v
}()

// BenchmarkExpAll exponentiates 42 arguments, a simulation step's count;
// BenchmarkExpAllScalar with the Go loop.
func BenchmarkExpAll(b *testing.B)       { benchExpAll(b, ExpAll) }
func BenchmarkExpAllScalar(b *testing.B) { benchExpAll(b, expAllGo) }

func benchExpAll(b *testing.B, f func([]float64)) {
	v := make([]float64, len(expAllArgs))
	for b.Loop() {
		copy(v, expAllArgs)
		f(v)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(v)), "ns/exp")
}
