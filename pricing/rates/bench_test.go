package rates

import (
	"testing"

	"github.com/hedgeflow/hedgeflow/pricing/curve"
)

var sink float64

// BenchmarkSwap30y: the batch "swap" case, 30y semiannual on a flat curve
// (PV, par rate and DV01).
func BenchmarkSwap30y(b *testing.B) {
	s := Swap{FixedRate: 0.03, Tenor: 30, Freq: 2, Payer: true}
	for b.Loop() {
		f, _ := s.Flat(0.037)
		sink += f.PV + f.ParRate + f.DV01
	}
}

// BenchmarkSwap10yRiskOnCurves: PV, DV01, convexity and 10 key rates on a
// five-node OIS/projection pair (14 curve revaluations).
func BenchmarkSwap10yRiskOnCurves(b *testing.B) {
	z, _ := curve.NewZero([]float64{0.5, 2, 5, 10, 30}, []float64{0.05, 0.045, 0.041, 0.04, 0.039})
	c := curve.Dual{Discount: z, Projection: z.Shift(curve.Parallel(0.002))}
	s := Swap{FixedRate: 0.042, Tenor: 10, Freq: 1, FloatFreq: 4, Payer: true}
	var krd [curve.NumKeys]float64
	for b.Loop() {
		r, _ := s.Risk(c, &krd)
		sink += r.PV + krd[7]
	}
}

// BenchmarkSwaptionNormal and BenchmarkSwaptionBlack: the batch "swaption"
// inputs of bench/quantlib.
func BenchmarkSwaptionNormal(b *testing.B) {
	s := Swaption{Strike: 0.045, Expiry: 5, Payer: true}
	for b.Loop() {
		v, _ := s.Normal(0.04, 7.5, 0.011)
		sink += v
	}
}

func BenchmarkSwaptionBlack(b *testing.B) {
	s := Swaption{Strike: 0.045, Expiry: 5, Payer: true}
	for b.Loop() {
		v, _ := s.Black(0.04, 7.5, 0.27)
		sink += v
	}
}

// BenchmarkSwaptionBlackOTM: strike 6%, d1 = -0.37 central and d2 = -0.97
// in the middle range, the kernel's slowest case (bench/quantlib's
// swaption_lognormal_otm).
func BenchmarkSwaptionBlackOTM(b *testing.B) {
	s := Swaption{Strike: 0.06, Expiry: 5, Payer: true}
	for b.Loop() {
		v, _ := s.Black(0.04, 7.5, 0.27)
		sink += v
	}
}

// BenchmarkBond10y: the batch "bond" case, 10y semiannual.
func BenchmarkBond10y(b *testing.B) {
	bd := Bond{Coupon: 0.05, Maturity: 10, Freq: 2}
	for b.Loop() {
		m, _ := bd.Price(0.045)
		sink += m.Price + m.ModifiedDuration + m.Convexity
	}
}

func BenchmarkBondYield10y(b *testing.B) {
	bd := Bond{Coupon: 0.05, Maturity: 10, Freq: 2}
	for b.Loop() {
		y, _ := bd.Yield(103.99)
		sink += y
	}
}
