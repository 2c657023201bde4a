package agents

import (
	"context"
	"math"
	"testing"

	"github.com/hedgeflow/hedgeflow/consumers"
	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/pricing/scenario"
	"github.com/hedgeflow/hedgeflow/producers"
	"github.com/hedgeflow/hedgeflow/streams"
)

func sampleRun(t *testing.T, scenarios, paths, hedgePaths int) (*consumers.Collected, *consumers.RunModel) {
	t.Helper()
	params, err := scenario.Generate(scenarios, 42, nil)
	if err != nil {
		t.Fatal(err)
	}
	parts := producers.Partitions("t", params, 10)
	spec := streams.RunSpec{RunID: "t", Seed: 42, Scenarios: scenarios, Paths: paths, PartitionSize: 10, Partitions: len(parts),
		StepDays: 5, HorizonDays: []int{21, 63, 126, 252}, Threshold: 0.85,
		PortfolioFile: examples.PortfolioFile, PortfolioYAML: examples.Portfolio, MarketFile: examples.MarketFile, MarketYAML: examples.Market,
		ConfigYAML: []byte("simulation:\n  hedge_paths: " + itoa(hedgePaths) + "\n")}
	col, err := consumers.PriceLocal(context.Background(), spec, parts, 2)
	if err != nil {
		t.Fatal(err)
	}
	rm, err := consumers.BuildModel(spec)
	if err != nil {
		t.Fatal(err)
	}
	return col, rm
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// On the sample fund the recommended programme respects the budget, the
// trading rules and the FX hedge-ratio policy, and beats unhedged on CVaR
// 95 and funding-ratio volatility (issue 5's acceptance test); the robust
// programme's worst scenario is no worse than the median-optimal one's.
func TestRecommendedBeatsUnhedgedWithinBudget(t *testing.T) {
	col, rm := sampleRun(t, 40, 100, 100)
	out, err := Optimise(col, rm.Model, Policy{})
	if err != nil {
		t.Fatal(err)
	}
	rec := out.Recommended
	if rec.CostBps > out.Policy.BudgetBps*(1+1e-6) {
		t.Errorf("recommended costs %.2f bp, budget %.2f bp", rec.CostBps, out.Policy.BudgetBps)
	}
	if !(rec.Metrics.CVaR95 < out.Unhedged.CVaR95) {
		t.Errorf("recommended CVaR95 %.4g not below unhedged %.4g", rec.Metrics.CVaR95, out.Unhedged.CVaR95)
	}
	if !(rec.Metrics.FundingRatioVol < out.Unhedged.FundingRatioVol) {
		t.Errorf("recommended funding-ratio vol %.4f not below unhedged %.4f", rec.Metrics.FundingRatioVol, out.Unhedged.FundingRatioVol)
	}
	if len(rec.Hedges) == 0 || len(rec.Hedges) > out.Policy.MaxLines {
		t.Errorf("%d positions, want 1..%d", len(rec.Hedges), out.Policy.MaxLines)
	}
	for _, p := range rec.Hedges {
		if math.Abs(p.NotionalUSD) < out.Policy.MinTradeUSD*(1-1e-9) {
			t.Errorf("%s: notional %.4g below the minimum trade", p.ID, p.NotionalUSD)
		}
	}
	if out.Robust.Optimiser.WorstCVaR > out.MedianOptimal.Optimiser.WorstCVaR*(1+1e-6) {
		t.Errorf("robust worst CVaR %.4g above median-optimal's %.4g", out.Robust.Optimiser.WorstCVaR, out.MedianOptimal.Optimiser.WorstCVaR)
	}
	if len(out.Frontier) != len(FrontierLambdas) {
		t.Errorf("%d frontier points, want %d", len(out.Frontier), len(FrontierLambdas))
	}
	t.Logf("recommended at λ=%.1f: %d hedges, %.1f bp, CVaR95 %.3g -> %.3g, FR vol %.4f -> %.4f",
		out.RecommendedAt, len(rec.Hedges), rec.CostBps, out.Unhedged.CVaR95, rec.Metrics.CVaR95, out.Unhedged.FundingRatioVol, rec.Metrics.FundingRatioVol)
	for _, p := range rec.Hedges {
		t.Logf("  %-32s %12.0f", p.ID, p.NotionalUSD)
	}
}

func TestProhibitedInstrumentsStayOut(t *testing.T) {
	col, rm := sampleRun(t, 20, 60, 60)
	out, err := Optimise(col, rm.Model, Policy{Prohibited: []string{"equity_put", "swaption_receiver"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, prog := range append([]Programme{out.Recommended, out.Robust, out.MedianOptimal}, out.Frontier...) {
		for _, p := range prog.Hedges {
			if p.Instrument == "equity_put" || p.Instrument == "swaption_receiver" {
				t.Errorf("%s holds prohibited %s", prog.Name, p.ID)
			}
		}
	}
}
