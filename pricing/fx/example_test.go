package fx_test

import (
	"fmt"

	"github.com/hedgeflow/hedgeflow/pricing/fx"
)

func ExampleOption_Price() {
	// A 6-month EUR call / USD put struck at 1.10, EUR/USD spot 1.085.
	o := fx.Option{Strike: 1.10, Expiry: 0.5, Call: true}
	g, err := o.Price(fx.Market{Spot: 1.085, Rd: 0.053, Rf: 0.039}, 0.075)
	if err != nil {
		panic(err)
	}
	fmt.Printf("pv %.5f USD per EUR, delta %.4f, vega %.4f\n", g.PV, g.Delta, g.Vega)
	// Output: pv 0.01917 USD per EUR, delta 0.4511, vega 0.2987
}

func ExampleSeagull() {
	m := fx.Market{Spot: 1.085, Rd: 0.053, Rf: 0.039}
	smile, err := fx.NewSmile(m, fx.Quotes{Expiry: 0.5, ATM: 0.075, RR25: -0.006, BF25: 0.0025})
	if err != nil {
		panic(err)
	}
	s, err := fx.Seagull(0.5, 1.00, 1.06, 1.13)
	if err != nil {
		panic(err)
	}
	g, err := s.Price(m, &smile)
	if err != nil {
		panic(err)
	}
	fmt.Printf("seagull costs %.5f USD per EUR, delta %.3f\n", g.PV, g.Delta)
	// Output: seagull costs -0.00072 USD per EUR, delta -0.464
}
