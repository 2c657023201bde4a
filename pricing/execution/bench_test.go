package execution

import "testing"

var sinkF float64
var sinkS *Schedule

// BenchmarkTrades: a 30-day optimal trade list into a reused slice; no
// allocation.
func BenchmarkTrades(b *testing.B) {
	m := paperModel(1e-6)
	m.N = 30
	buf := make([]float64, m.N)
	b.ReportAllocs()
	for b.Loop() {
		tr, e, v, _ := m.Optimal(buf)
		sinkF += tr[0] + e + v
	}
}

// BenchmarkPlanOptimal: a programme of 12 orders, horizon search over 30
// days each.
func BenchmarkPlanOptimal(b *testing.B) {
	var orders []Order
	for i, d := range Defaults() {
		orders = append(orders, Order{Instrument: string(d.Kind) + string(rune('a'+i)), Kind: d.Kind,
			NotionalUSD: d.Liquidity.ADVUSD * 0.5, Liquidity: d.Liquidity})
	}
	b.ReportAllocs()
	for b.Loop() {
		s, _ := Plan(orders, Optimal, nil, nil)
		sinkS = s
	}
}
