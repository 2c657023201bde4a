package sim

import (
	"math"
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
