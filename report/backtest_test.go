package report

import (
	"math"
	"strings"
	"testing"
)

// A hand-made window: funded ratio 1.00, 1.10, 0.99, 1.05 unhedged on
// liabilities of 100; the hedged path loses 1 on the first day (costs)
// and gains later. Drawdowns by hand: unhedged 1 - 0.99/1.10 = 10%,
// surplus from 10 to -1 = 11; hedged from the common start 1.00 to 0.99
// then peak 1.04, trough 1.01: max(1%, 1 - 1.01/1.04).
func testWindow() *BacktestWindow {
	w := &BacktestWindow{Name: "2020", Series: BacktestSeries{
		Dates:             []string{"2020-03-02", "2020-03-03", "2020-03-04", "2020-03-05"},
		AssetsUnhedgedUSD: []float64{100, 110, 99, 105},
		AssetsHedgedUSD:   []float64{99, 104, 101, 106},
		LiabilitiesUSD:    []float64{100, 100, 100, 100},
		HedgePnLUSD:       []float64{0, -5, 3, 2},
		CostsUSD:          []float64{1, 1, 1, 1},
		HedgeNotionalUSD:  []float64{50, 50, 50, 50},
	}, Trades: []BacktestRebalance{{Date: "2020-03-02"}, {Date: "2020-03-04", Error: "run failed"}}, Rebalances: 1}
	w.Series.FundedRatioUnhedged = []float64{1, 1.1, 0.99, 1.05}
	w.Series.FundedRatioHedged = []float64{0.99, 1.04, 1.01, 1.06}
	w.Summarise()
	return w
}

func TestBacktestSummarise(t *testing.T) {
	w := testWindow()
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("%s %v, want %v", name, got, want)
		}
	}
	near("unhedged max drawdown", w.Unhedged.MaxDrawdown, 0.1)
	near("unhedged surplus drawdown", w.Unhedged.SurplusMaxDrawdownUSD, 11)
	near("hedged max drawdown", w.Hedged.MaxDrawdown, 1-1.01/1.04)
	near("hedged surplus drawdown", w.Hedged.SurplusMaxDrawdownUSD, 3)
	near("hedged start", w.Hedged.FundedRatioStart, 1)
	near("hedged surplus change", w.Hedged.SurplusChangeUSD, 6)
	near("hedged min", w.Hedged.FundedRatioMin, 0.99)
	near("reduction", *w.DrawdownReduction, 1-(1-1.01/1.04)/0.1)
	near("surplus reduction", *w.SurplusDrawdownReduction, 1-3.0/11)
	if w.Days != 4 || w.From != "2020-03-02" || w.To != "2020-03-05" || w.HedgePnLUSD != 2 || w.CostsUSD != 1 {
		t.Errorf("totals %+v", w)
	}
	flat := &BacktestWindow{Series: BacktestSeries{Dates: []string{"a", "b"}, AssetsUnhedgedUSD: []float64{1, 2}, AssetsHedgedUSD: []float64{1, 2},
		LiabilitiesUSD: []float64{1, 1}, HedgePnLUSD: []float64{0, 0}, CostsUSD: []float64{0, 0}}}
	flat.Summarise()
	if flat.DrawdownReduction != nil {
		t.Errorf("no unhedged drawdown, reduction %v", *flat.DrawdownReduction)
	}
}

// report.html shows the backtest section only when there is one, with a
// chart per window: two lines of every day and a dot per rebalance that
// traded.
func TestBacktestHTML(t *testing.T) {
	r := &Report{}
	h, err := r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(h), `id="backtest"`) {
		t.Error("a report without a backtest shows the section")
	}
	r.Backtest = &Backtest{Rebalance: "weekly", Scenarios: 200, Paths: 100, Seed: 42, CostModel: "bid-ask <and> running",
		Assumptions: []string{"one"}, Windows: []*BacktestWindow{testWindow()}}
	h, err = r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	page := string(h)
	for _, want := range []string{`<section id="backtest">`, `id="chart-backtest-2020"`, `data-series="unhedged" data-n="4"`,
		`data-series="hedged (recalibrated)" data-n="4"`, `<td class="num">10.0%</td>`, "bid-ask &lt;and&gt; running", "<li>one</li>",
		"200 scenarios x 100 paths, seed 42"} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %s", want)
		}
	}
	if n := strings.Count(page, `class="pt" data-date=`); n != 1 {
		t.Errorf("%d rebalance dots, want 1 (the failed rebalance has none)", n)
	}
}
