package liability_test

import (
	"fmt"

	"github.com/hedgeflow/hedgeflow/pricing/curve"
	"github.com/hedgeflow/hedgeflow/pricing/liability"
)

func ExampleCashflows_Risk() {
	z, err := curve.NewZero([]float64{1, 10, 30}, []float64{0.045, 0.04, 0.039})
	if err != nil {
		panic(err)
	}
	c := liability.Cashflows{Currency: "USD", Amounts: []float64{100, 100, 100, 100, 100, 100, 100, 100, 100, 100}}
	var krd [curve.NumKeys]float64
	r, err := c.Risk(liability.Basis{Curve: z, Spread: 0.01}, &krd)
	if err != nil {
		panic(err)
	}
	fmt.Printf("pv %.2f pv01 %.4f duration %.2f 5y key rate %.4f\n", r.PV, r.PV01, r.Duration, krd[5])
	// Output: pv 760.29 pv01 -0.3870 duration 5.09 5y key rate -0.0765
}
