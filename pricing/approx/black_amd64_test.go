//go:build !purego

package approx

import (
	"math/rand/v2"
	"testing"
)

// TestBlackWithoutFMA: with hasFMA false (a processor without AVX2 or FMA)
// the kernel jumps to blackGo at once, whose value Black then is, bit for
// bit.
func TestBlackWithoutFMA(t *testing.T) {
	defer func(h bool) { hasFMA = h }(hasFMA)
	hasFMA = false
	rng := rand.New(rand.NewPCG(19, 20))
	for i := 0; i < 1000; i++ {
		f, k, sd := 0.01+rng.Float64()*0.05, 0.01+rng.Float64()*0.05, 0.01+rng.Float64()
		for _, call := range []bool{true, false} {
			if got, want := Black(f, k, sd, call), blackGo(f, k, sd, call); got != want {
				t.Fatalf("Black(%v, %v, %v, %v) = %v without FMA, blackGo %v", f, k, sd, call, got, want)
			}
		}
	}
}
