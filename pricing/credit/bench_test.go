package credit

import (
	"math/rand/v2"
	"testing"

	"github.com/hedgeflow/hedgeflow/pricing/curve"
)

var sink float64

// BenchmarkCDS5yQuarterly: the batch "cds" case, flat hazard and rate.
func BenchmarkCDS5yQuarterly(b *testing.B) {
	c := CDS{Maturity: 5, Coupon: 0.01, Recovery: 0.4, Freq: 4}
	h := FlatHazard(0.02)
	d := Discount{Rate: 0.03}
	for b.Loop() {
		l, _ := c.Price(h, d)
		sink += l.PV
	}
}

// BenchmarkCDS5yOnCurves: five-node hazard curve, four-node zero curve.
func BenchmarkCDS5yOnCurves(b *testing.B) {
	z, _ := curve.NewZero([]float64{0.5, 2, 5, 10}, []float64{0.01, 0.02, 0.03, 0.035})
	d := Discount{Curve: z}
	h, _ := Bootstrap([]Quote{{1, 0.005}, {3, 0.008}, {5, 0.011}, {7, 0.013}, {10, 0.015}}, 0.4, 4, d)
	c := CDS{Maturity: 5, Coupon: 0.01, Recovery: 0.4, Freq: 4}
	for b.Loop() {
		l, _ := c.Price(h, d)
		sink += l.PV
	}
}

// BenchmarkBootstrap5Quotes: five quotes 1y-10y, quarterly, flat rate.
func BenchmarkBootstrap5Quotes(b *testing.B) {
	q := []Quote{{1, 0.005}, {3, 0.008}, {5, 0.011}, {7, 0.013}, {10, 0.015}}
	d := Discount{Rate: 0.03}
	for b.Loop() {
		h, _ := Bootstrap(q, 0.4, 4, d)
		sink += h.Rates[4]
	}
}

// BenchmarkTrancheLossLHP: one LHP tranche expected loss (the batch
// "tranche_lhp" case).
func BenchmarkTrancheLossLHP(b *testing.B) {
	for b.Loop() {
		el, _ := TrancheLoss(0.03, 0.07, 0.05, 0.3, 0.3, 0.4)
		sink += el
	}
}

// BenchmarkTranche5yQuarterly: a 5y tranche PV with base correlation (20
// points of the EL term structure, two base losses each).
func BenchmarkTranche5yQuarterly(b *testing.B) {
	tr := Tranche{Attach: 0.03, Detach: 0.07, RhoAttach: 0.15, RhoDetach: 0.25, Recovery: 0.4, Maturity: 5, Coupon: 0.01, Freq: 4}
	h := FlatHazard(0.015)
	d := Discount{Rate: 0.03}
	for b.Loop() {
		l, _ := tr.Price(h, d)
		sink += l.PV
	}
}

// BenchmarkIndexOption: 3m payer on a 5y index.
func BenchmarkIndexOption(b *testing.B) {
	o := Option{Expiry: 0.25, Maturity: 5.25, Strike: 0.01, Vol: 0.5, Payer: true, Recovery: 0.4, Freq: 4}
	h := FlatHazard(0.015)
	d := Discount{Rate: 0.03}
	for b.Loop() {
		v, _ := o.Price(h, d)
		sink += v.PV
	}
}

// BenchmarkCopulaTimes: one path of 125 names in 5 sectors, each with a
// three-node hazard curve; also reported per name.
func BenchmarkCopulaTimes(b *testing.B) {
	const n = 125
	global, load := make([]float64, n), make([]float64, n)
	sector := make([]int, n)
	curves := make([]Hazard, n)
	for i := range n {
		global[i], load[i], sector[i] = 0.5, 0.3, i%5
		curves[i] = Hazard{Times: []float64{1, 3, 5}, Rates: []float64{0.01, 0.015, 0.02 + 0.0001*float64(i)}}
	}
	c, err := NewCopula(global, sector, load)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	factors, tau := make([]float64, c.Sectors()), make([]float64, n)
	for b.Loop() {
		_ = c.Times(rng, curves, factors, tau)
		sink += tau[0]
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/name")
}
