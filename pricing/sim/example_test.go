package sim_test

import (
	"fmt"

	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/input"
	"github.com/hedgeflow/hedgeflow/pricing/scenario"
	"github.com/hedgeflow/hedgeflow/pricing/sim"
)

// Simulate one scenario of the sample fund: 200 paths, weekly steps, and
// read its assets and liabilities at the four horizons. The same scenario
// index and run seed give the same paths on any machine.
func ExampleSim_Simulate() {
	p, _ := input.ParsePortfolio(examples.PortfolioFile, examples.Portfolio)
	mk, _ := input.ParseMarket(examples.MarketFile, examples.Market)
	m, err := sim.NewModel(p, mk, sim.Config{Paths: 200})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("today: assets $%.2fbn, liabilities $%.2fbn, %d candidate hedges\n", m.Assets0()/1e9, m.Liabilities0()/1e9, len(m.Hedges()))
	sp := scenario.Params{Index: 0, FXVol: 0.10, IRVol: 0.01, ShortRateMult: 1, CreditVol: 0.3, EquityVol: 0.18, Regime: scenario.Normal}
	var r sim.Result
	if err := m.NewSim().Simulate(sp, 42, &r); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d horizons x %d paths; hedge P&L on %d paths x %d hedges\n", r.Horizons, r.Paths, r.HedgePaths, r.Hedges)
	// Output:
	// today: assets $25.00bn, liabilities $28.41bn, 156 candidate hedges
	// 4 horizons x 200 paths; hedge P&L on 50 paths x 156 hedges
}
