package credit_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/hedgeflow/hedgeflow/pricing/credit"
)

// A 5y CDS with a 100 bp coupon on a hazard curve bootstrapped from par
// spreads, discounted at a flat 3%.
func ExampleBootstrap() {
	d := credit.Discount{Rate: 0.03}
	quotes := []credit.Quote{{Maturity: 1, Spread: 0.005}, {Maturity: 3, Spread: 0.008}, {Maturity: 5, Spread: 0.011}}
	h, err := credit.Bootstrap(quotes, 0.4, 4, d)
	if err != nil {
		fmt.Println(err)
		return
	}
	c := credit.CDS{Maturity: 5, Coupon: 0.01, Recovery: 0.4, Freq: 4}
	l, _ := c.Price(h, d)
	cs01, _ := credit.CS01(c, quotes, d)
	fmt.Printf("hazards %.5f %.5f %.5f\n", h.Rates[0], h.Rates[1], h.Rates[2])
	fmt.Printf("par %.2f bp, RPV01 %.4f, PV %.6f, CS01 %.7f\n", l.ParSpread*1e4, l.Annuity, l.PV, cs01)
	// Output:
	// hazards 0.00830 0.01594 0.02673
	// par 110.00 bp, RPV01 4.4633, PV 0.004463, CS01 0.0004444
}

// Upfront of 5y CDX HY quoted at 450 bp against its 500 bp coupon.
func ExampleIndex_Value() {
	v, err := credit.CDXHY.Value(0.045, 5, credit.Discount{Rate: 0.04})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("upfront %.4f, price %.2f\n", v.Upfront, 100*v.Price)
	// Output:
	// upfront -0.0194, price 101.94
}

// Expected loss of a 3-7% mezzanine tranche in a large pool with 5% default
// probability, 40% recovery and 30% correlation.
func ExampleTrancheLoss() {
	el, err := credit.TrancheLoss(0.03, 0.07, 0.05, 0.3, 0.3, 0.4)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f\n", el)
	// Output:
	// 0.1958
}

// Default times of three names, two in one sector, for one seeded scenario.
func ExampleCopula_Times() {
	c, err := credit.NewCopula([]float64{0.5, 0.5, 0.5}, []int{0, 0, 1}, []float64{0.4, 0.4, 0.4})
	if err != nil {
		fmt.Println(err)
		return
	}
	curves := []credit.Hazard{credit.FlatHazard(0.02), credit.FlatHazard(0.05), credit.FlatHazard(0.2)}
	rng := rand.New(rand.NewPCG(1, 2))
	factors, tau := make([]float64, c.Sectors()), make([]float64, c.Names())
	if err := c.Times(rng, curves, factors, tau); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.2f %.2f %.2f\n", tau[0], tau[1], tau[2])
	// Output:
	// 15.02 12.51 0.09
}
