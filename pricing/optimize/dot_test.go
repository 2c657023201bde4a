package optimize

import (
	"math"
	"math/rand/v2"
	"slices"
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

// cholesky gives the factor of the plain algorithm (one gonum dot product
// per entry) bit for bit, at every size to 40, so that its four-row
// assembly changes no solve.
func TestCholeskyFourRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for n := 1; n <= 40; n++ {
		b := make([]float64, n*n)
		for i := range b {
			b[i] = rng.NormFloat64()
		}
		a := make([]float64, n*n) // BᵀB + n·I, upper triangle as cholesky reads it
		for i := range n {
			for j := i; j < n; j++ {
				v := 0.0
				for k := range n {
					v += b[k*n+i] * b[k*n+j]
				}
				if i == j {
					v += float64(n)
				}
				a[i*n+j] = v
			}
		}
		want := slices.Clone(a)
		for j := range n { // the plain algorithm
			for i := j + 1; i < n; i++ {
				want[i*n+j] = want[j*n+i]
			}
		}
		for j := range n {
			rowj := want[j*n : j*n+j]
			d := math.Sqrt(want[j*n+j] - floats.Dot(rowj, rowj))
			want[j*n+j] = d
			for i := j + 1; i < n; i++ {
				want[i*n+j] = (want[i*n+j] - floats.Dot(want[i*n:i*n+j], rowj)) / d
			}
		}
		if !cholesky(a, n) {
			t.Fatalf("n %d: not positive definite", n)
		}
		for i := range n {
			for j := 0; j <= i; j++ {
				if math.Float64bits(a[i*n+j]) != math.Float64bits(want[i*n+j]) {
					t.Fatalf("n %d: L[%d][%d] = %v, plain %v", n, i, j, a[i*n+j], want[i*n+j])
				}
			}
		}
	}
}
