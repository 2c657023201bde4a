package curve

import "testing"

var sink float64

func benchCurve() Zero {
	z, _ := NewZero([]float64{0.25, 0.5, 1, 2, 3, 5, 7, 10, 15, 20, 30}, []float64{0.053, 0.052, 0.05, 0.046, 0.0435, 0.041, 0.0402, 0.04, 0.0405, 0.0408, 0.0395})
	return z
}

// BenchmarkDF: one discount factor on an 11-node curve.
func BenchmarkDF(b *testing.B) {
	z := benchCurve()
	for b.Loop() {
		sink += z.DF(6.3)
	}
}

// BenchmarkShiftedDF: one discount factor under a key-rate bump, the inner
// step of key-rate risk.
func BenchmarkShiftedDF(b *testing.B) {
	z := benchCurve()
	s := KeyRate(6, 0.0001)
	for b.Loop() {
		sink += z.ShiftedDF(6.3, s)
	}
}

// BenchmarkBootstrap: three deposits and nine annual par swaps to 30y (the
// QuantLib reference set).
func BenchmarkBootstrap(b *testing.B) {
	deps := []Deposit{{1.0 / 12, 0.053}, {0.25, 0.0535}, {0.5, 0.0525}}
	var swaps []Par
	for _, q := range []struct{ m, r float64 }{{1, 0.05}, {2, 0.046}, {3, 0.0435}, {5, 0.041}, {7, 0.0402}, {10, 0.04}, {15, 0.0405}, {20, 0.0408}, {30, 0.0395}} {
		swaps = append(swaps, ParSwap(q.r, q.m, 1))
	}
	b.ReportAllocs()
	for b.Loop() {
		z, _ := Bootstrap(deps, swaps)
		sink += z.Rates[0]
	}
}
