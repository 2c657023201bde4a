package rates_test

import (
	"fmt"

	"github.com/hedgeflow/hedgeflow/pricing/curve"
	"github.com/hedgeflow/hedgeflow/pricing/rates"
)

func ExampleSwap_Risk() {
	z, err := curve.NewZero([]float64{0.5, 2, 5, 10, 30}, []float64{0.05, 0.045, 0.041, 0.04, 0.039})
	if err != nil {
		panic(err)
	}
	s := rates.Swap{FixedRate: 0.04, Tenor: 10, Freq: 1, FloatFreq: 4, Payer: true}
	var krd [curve.NumKeys]float64
	r, err := s.Risk(curve.Single(z), &krd)
	if err != nil {
		panic(err)
	}
	fmt.Printf("pv %.5f par %.4f%% dv01 %.6f 10y key rate %.6f\n", r.PV, 100*r.ParRate, r.DV01, krd[7])
	// Output: pv 0.00852 par 4.1062% dv01 0.000836 10y key rate 0.000721
}

func ExampleBond_Yield() {
	b := rates.Bond{Coupon: 0.05, Maturity: 10, Freq: 2}
	y, err := b.Yield(103.99)
	if err != nil {
		panic(err)
	}
	m, _ := b.Price(y)
	fmt.Printf("yield %.4f%%, modified duration %.3f, convexity %.2f\n", 100*y, m.ModifiedDuration, m.Convexity)
	// Output: yield 4.5001%, modified duration 7.859, convexity 74.55
}
