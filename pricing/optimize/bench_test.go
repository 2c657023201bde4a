package optimize

import "testing"

var sink Result

// BenchmarkCVaR: N = 50,000 rows (1,000 scenarios × 50 paths), m = 60
// instruments, long/short bounds and a budget.
func BenchmarkCVaR(b *testing.B) {
	p := randProblem(42, 1000, 50, 60)
	p.Budget = 5e6
	b.ReportAllocs()
	for b.Loop() {
		r, err := CVaR(p, nil)
		if err != nil {
			b.Fatal(err)
		}
		sink = r
	}
	b.ReportMetric(float64(sink.Iterations), "iters")
}

// BenchmarkRobust: min max_s CVaR_s over S = 1,000 scenarios × 50 paths,
// m = 60 instruments.
func BenchmarkRobust(b *testing.B) {
	p := randProblem(43, 1000, 50, 60)
	p.Budget = 5e6
	b.ReportAllocs()
	for b.Loop() {
		r, err := Robust(p, nil)
		if err != nil {
			b.Fatal(err)
		}
		sink = r
	}
	b.ReportMetric(float64(sink.Iterations), "iters")
}
