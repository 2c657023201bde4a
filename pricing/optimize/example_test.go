package optimize_test

import (
	"fmt"

	"github.com/hedgeflow/hedgeflow/pricing/optimize"
)

// A fund loses 1m USD for each 10% fall of EUR; a short EUR forward gains
// 0.1 USD per USD of notional for the same fall. Minimising CVaR 95 buys
// 10m USD of it, which removes the loss, at 1 bp a year.
func ExampleCVaR() {
	moves := []float64{-0.2, -0.1, 0, 0.05, 0.1, 0.15, -0.3, 0.02, -0.05, 0.08}
	p := &optimize.Problem{
		Cost:  []float64{0.0001},
		Upper: []float64{2e7},
	}
	for _, m := range moves {
		p.Base = append(p.Base, -1e7*m)
		p.PnL = append(p.PnL, -m)
	}
	res, err := optimize.CVaR(p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("notional %.1f m USD, CVaR %.0f USD, cost %.0f USD/yr\n", res.X[0]/1e6, res.Objective, res.CostPerYear)
	// Output:
	// notional 10.0 m USD, CVaR 0 USD, cost 1000 USD/yr
}
