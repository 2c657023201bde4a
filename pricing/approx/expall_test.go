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
