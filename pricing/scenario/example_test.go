package scenario_test

import (
	"fmt"

	"github.com/hedgeflow/hedgeflow/pricing/scenario"
)

// Four scenarios by Latin hypercube from run seed 42: each draws its own
// vols and correlation regime, and its paths come from Seeds(42, index).
func ExampleGenerate() {
	ps, err := scenario.Generate(4, 42, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range ps {
		fmt.Printf("%d fx %.3f ir %3.0fbp equity %.3f %s\n", p.Index, p.FXVol, p.IRVol*1e4, p.EquityVol, p.Regime)
	}
	// Output:
	// 0 fx 0.097 ir  61bp equity 0.316 normal
	// 1 fx 0.309 ir 164bp equity 0.453 stress
	// 2 fx 0.057 ir 120bp equity 0.212 normal
	// 3 fx 0.165 ir  91bp equity 0.149 stress
}
