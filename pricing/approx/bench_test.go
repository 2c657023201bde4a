package approx

import (
	"math"
	"testing"
)

var sink float64

// The benchmarks evaluate independent calls on 8 arguments of a typical
// range (times per call): throughput, as inside an option formula where
// the calls overlap. Compare each with the math.* benchmark beside it.

var (
	logArgs = [8]float64{0.986, 0.889, 1.12, 1.0004, 0.5, 3.7, 1e-3, 250}
	phiArgs = [8]float64{-0.3, 0.42, -1.05, 1.7, -2.4, 0.9, -3.3, 5.9}
)

func bench(b *testing.B, xs *[8]float64, f func(float64) float64) {
	s := 0.0
	for b.Loop() {
		for _, x := range xs {
			s += f(x)
		}
	}
	sink = s
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/8, "ns/call")
}

func BenchmarkLog(b *testing.B)     { bench(b, &logArgs, Log) }
func BenchmarkMathLog(b *testing.B) { bench(b, &logArgs, math.Log) }
func BenchmarkExp(b *testing.B)     { bench(b, &phiArgs, Exp) }
func BenchmarkMathExp(b *testing.B) { bench(b, &phiArgs, math.Exp) }
func BenchmarkGauss(b *testing.B)   { bench(b, &phiArgs, Gauss) }
func BenchmarkPhi(b *testing.B)     { bench(b, &phiArgs, Phi) }
func BenchmarkMathErfc(b *testing.B) {
	bench(b, &phiArgs, func(x float64) float64 { return 0.5 * math.Erfc(-x*(1/math.Sqrt2)) })
}

// BenchmarkBlack: Black on the batch swaption's inputs (both d in Cody's
// central range), and with the strike 40% out of the money (x2 = d2/√2 =
// -0.61: fdlibm's first range), 88% (x2 = -0.95: its second) and 150% (x2
// = -1.29: Cody's middle range, with the exponential, and x1 = -0.86 in
// fdlibm's second).
func BenchmarkBlack(b *testing.B) {
	sd := 0.27 * math.Sqrt(5)
	for b.Loop() {
		sink += Black(0.04, 0.045, sd, true)
	}
}

func BenchmarkBlackWing(b *testing.B) {
	sd := 0.27 * math.Sqrt(5)
	for b.Loop() {
		sink += Black(0.04, 0.056, sd, true)
	}
}

func BenchmarkBlackFarWing(b *testing.B) {
	sd := 0.27 * math.Sqrt(5)
	for b.Loop() {
		sink += Black(0.04, 0.075, sd, true)
	}
}

func BenchmarkBlackDeepWing(b *testing.B) {
	sd := 0.27 * math.Sqrt(5)
	for b.Loop() {
		sink += Black(0.04, 0.1, sd, true)
	}
}
