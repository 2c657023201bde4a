package approx

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestExp: exp agrees with math.Exp to 2 ulps (both are within about 1 ulp
// of the true value) over the range the pricers use and at the edges.
func TestExp(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	xs := []float64{0, 1e-300, -1e-300, 1, -1, math.Ln2, 699.9, -699.9, 700, -700, 710, -750, math.Inf(1), math.Inf(-1)}
	for i := 0; i < 1_000_000; i++ {
		xs = append(xs, (rng.Float64()*2-1)*50)
	}
	for i := 0; i < 100_000; i++ {
		xs = append(xs, (rng.Float64()*2-1)*700)
	}
	for _, x := range xs {
		got, want := Exp(x), math.Exp(x)
		if got != want && math.Abs(got-want) > 2*ulp(want) {
			t.Fatalf("Exp(%v) = %v, math.Exp %v (%v ulps)", x, got, want, (got-want)/ulp(want))
		}
	}
	if !math.IsNaN(Exp(math.NaN())) {
		t.Error("Exp(NaN) not NaN")
	}
	for j, v := range exp2Table {
		if w := math.Exp2(float64(j) / expN); math.Abs(v-w) > ulp(w) {
			t.Errorf("table[%d] = %v, want %v", j, v, w)
		}
	}
}

func ulp(x float64) float64 {
	x = math.Abs(x)
	return math.Nextafter(x, math.Inf(1)) - x
}
