package sim

import (
	"math"
	"slices"
	"testing"
)

// The ziggurat's draws are standard normal: mean, variance and kurtosis
// within 5 standard errors, and the Kolmogorov-Smirnov distance to Φ
// below its 0.1% critical value 1.95/√n (Marsaglia, Tsang & Wang 2003).
func TestZigguratIsNormal(t *testing.T) {
	const n = 1_000_000
	g := newRNG(7, 8)
	xs := make([]float64, n)
	var m1, m2, m4 float64
	for i := range xs {
		x := g.norm()
		xs[i] = x
		m1 += x
		m2 += x * x
		m4 += x * x * x * x
	}
	m1, m2, m4 = m1/n, m2/n, m4/n
	if math.Abs(m1) > 5/math.Sqrt(n) || math.Abs(m2-1) > 5*math.Sqrt(2.0/n) || math.Abs(m4-3) > 5*math.Sqrt(96.0/n) {
		t.Errorf("moments: mean %v, variance %v, fourth %v", m1, m2, m4)
	}
	slices.Sort(xs)
	d := 0.0
	for i, x := range xs {
		f := normCDF(x)
		d = math.Max(d, math.Max(math.Abs(f-float64(i)/n), math.Abs(f-float64(i+1)/n)))
	}
	if d > 1.95/math.Sqrt(n) {
		t.Errorf("Kolmogorov-Smirnov distance %v above %v", d, 1.95/math.Sqrt(n))
	}
	// The tail beyond zigR is visited and has the right mass.
	tail := 0
	for _, x := range xs {
		if math.Abs(x) > zigR {
			tail++
		}
	}
	want := 2 * (1 - normCDF(zigR)) * n
	if math.Abs(float64(tail)-want) > 5*math.Sqrt(want) {
		t.Errorf("%d draws beyond %v, want %.0f", tail, zigR, want)
	}
}
