package optimize

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats"
)

// dot4 is gonum's floats.Dot bit for bit, at every length to 41 (every
// remainder mod 4), with values of mixed signs and scales.
func TestDot4(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	draw := func(n int) []float64 {
		v := make([]float64, n+3) // longer than x, as the rows may be
		for i := range v {
			v[i] = (rng.Float64()*2 - 1) * math.Pow(10, float64(rng.IntN(12)-6))
		}
		return v
	}
	for n := range 42 {
		x := draw(n)[:n]
		ys := [4][]float64{draw(n), draw(n), draw(n), draw(n)}
		got := dot4(x, ys[0], ys[1], ys[2], ys[3])
		for k, y := range ys {
			if want := floats.Dot(x, y[:n]); math.Float64bits(got[k]) != math.Float64bits(want) {
				t.Fatalf("length %d, row %d: %v, gonum %v", n, k, got[k], want)
			}
		}
	}
}
