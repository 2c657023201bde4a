package equity

import (
	"math"
	"testing"
)

// TestValid: Price's inlined validity test agrees with check on every
// combination of ordinary and special inputs, so that no valid input is
// turned away and no invalid one priced.
func TestValid(t *testing.T) {
	vals := []float64{4800, 0.05, 0, -0.01, math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, 5e-324}
	for _, s := range vals {
		for _, r := range vals {
			for _, k := range vals {
				for _, e := range vals {
					for _, v := range vals {
						o, m := Option{Strike: k, Expiry: e, Call: true}, Market{Spot: s, Rate: r, Div: r}
						if ok, err := o.valid(m, v), o.check(m, v); ok != (err == nil) {
							t.Fatalf("%+v %+v vol %v: valid %v, check %v", o, m, v, ok, err)
						}
					}
				}
			}
		}
	}
}
