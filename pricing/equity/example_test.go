package equity_test

import (
	"fmt"

	"github.com/hedgeflow/hedgeflow/pricing/equity"
)

func ExampleOption_Price() {
	// Hull, Example 17.1: a 2-month call on an index.
	o := equity.Option{Strike: 900, Expiry: 2.0 / 12, Call: true}
	g, err := o.Price(equity.Market{Spot: 930, Rate: 0.08, Div: 0.03}, 0.2)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.2f, delta %.3f\n", g.PV, g.Delta)
	// Output: 51.83, delta 0.703
}
