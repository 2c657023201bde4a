package execution_test

import (
	"fmt"

	"github.com/hedgeflow/hedgeflow/pricing/execution"
)

func ExamplePlan() {
	fx, _ := execution.DefaultLiquidity(execution.FXForwardG10, 0)
	irs, _ := execution.DefaultLiquidity(execution.IRS, 10)
	orders := []execution.Order{
		{Instrument: "USD IRS 10y", Kind: execution.IRS, NotionalUSD: 15e9, Liquidity: irs},
		{Instrument: "EURUSD 3m fwd", Kind: execution.FXForwardG10, NotionalUSD: 2e9, Liquidity: fx},
	}
	s, err := execution.Plan(orders, execution.Optimal, nil, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range s.Rows {
		fmt.Printf("day %d %-13s $%5.2fbn %5.1f%% of ADV impact %.2f bp cost %.2f bp\n",
			r.Day, r.Instrument, r.NotionalUSD/1e9, 100*r.Participation, r.ImpactBps, r.CostBps)
	}
	fmt.Printf("total $%.1fbn cost $%.2fm (%.2f bp), timing risk $%.1fm\n",
		s.Total.NotionalUSD/1e9, s.Total.CostUSD/1e6, s.Total.CostBps, s.Total.StdDevUSD/1e6)
	for _, st := range s.Roadmap {
		fmt.Printf("%d. %s (%s, days %d-%d)\n", st.Rank, st.Instrument, st.Tier, st.FirstDay, st.LastDay)
	}
	// Output:
	// day 1 EURUSD 3m fwd $ 1.56bn   1.6% of ADV impact 0.52 bp cost 0.78 bp
	// day 1 USD IRS 10y   $ 4.38bn  14.6% of ADV impact 5.00 bp cost 3.51 bp
	// day 2 EURUSD 3m fwd $ 0.44bn   0.4% of ADV impact 0.15 bp cost 0.82 bp
	// day 2 USD IRS 10y   $ 4.38bn  14.6% of ADV impact 5.00 bp cost 5.85 bp
	// day 3 USD IRS 10y   $ 3.98bn  13.3% of ADV impact 4.54 bp cost 7.94 bp
	// day 4 USD IRS 10y   $ 2.25bn   7.5% of ADV impact 2.57 bp cost 9.02 bp
	// total $17.0bn cost $9.46m (5.56 bp), timing risk $63.9m
	// 1. EURUSD 3m fwd (liquid, days 1-2)
	// 2. USD IRS 10y (moderate, days 1-4)
}

func ExamplePlan_immediate() {
	tr, _ := execution.DefaultLiquidity(execution.Tranche, 0)
	orders := []execution.Order{{Instrument: "iTraxx 3-6%", Kind: execution.Tranche, NotionalUSD: 40e6, Liquidity: tr}}
	_, err := execution.Plan(orders, execution.Immediate, nil, nil)
	fmt.Println(err)
	// Output:
	// execution: immediate schedule breaks participation: iTraxx 3-6% day 1 trades 80.0% of daily volume, limit 15.0% (and 1 more)
}
