package agents

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/hedgeflow/hedgeflow/consumers"
	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/pricing/optimize"
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
	spec := streams.RunSpec{RunID: "t", Seed: 42, Scenarios: scenarios, Paths: paths, PartitionSize: 10, Partitions: len(parts), FundSteps: true,
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

// A re-optimisation with every hedge's P&L shifted by a constant (its
// premium moved) finds what Optimise finds on the shifted numbers, for the
// CVaR family and the variance objective, and its rows value any
// programme as the shifted rows do; a re-optimisation of a
// re-optimisation is refused (its cuts are for other premiums).
func TestReoptimiseIsOptimiseOnShiftedRows(t *testing.T) {
	col, rm := sampleRun(t, 20, 50, 50)
	M := len(rm.Model.Hedges())
	shift := make([]float64, M)
	for j := range shift {
		if j%4 == 0 {
			shift[j] = 0.003 * float64(j%3-1)
		}
	}
	moved := *col
	moved.HedgePnL = make([][]float32, len(col.HedgePnL))
	for i, hv := range col.HedgePnL {
		nv := make([]float32, len(hv))
		for k, v := range hv {
			nv[k] = float32(float64(v) - shift[k%M])
		}
		moved.HedgePnL[i] = nv
	}
	for _, pol := range []Policy{{}, {Objective: "variance"}} {
		base, err := Optimise(col, rm.Model, pol)
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := Optimise(&moved, rm.Model, pol)
		if err != nil {
			t.Fatal(err)
		}
		re, err := Reoptimise(col, rm.Model, pol, base, shift)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name   string
			re, fr Programme
		}{{"median", re.MedianOptimal, fresh.MedianOptimal}, {"robust", re.Robust, fresh.Robust}, {"recommended", re.Recommended, fresh.Recommended}} {
			if d := math.Abs(c.re.Metrics.CVaR95/c.fr.Metrics.CVaR95 - 1); d > 1e-4 {
				t.Errorf("%s %s: CVaR95 %.6g re-optimised, %.6g fresh", pol.Objective, c.name, c.re.Metrics.CVaR95, c.fr.Metrics.CVaR95)
			}
			if d := math.Abs(c.re.Metrics.FundingRatioVol - c.fr.Metrics.FundingRatioVol); d > 1e-5 {
				t.Errorf("%s %s: FR vol %.6f re-optimised, %.6f fresh", pol.Objective, c.name, c.re.Metrics.FundingRatioVol, c.fr.Metrics.FundingRatioVol)
			}
		}
		// The same notionals valued on both sets of rows.
		x := fresh.Recommended.X()
		a, _, oa, err := re.Evaluate(x)
		if err != nil {
			t.Fatal(err)
		}
		b, _, ob, err := fresh.Evaluate(x)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(a.CVaR95/b.CVaR95-1) > 1e-6 || math.Abs(oa.WorstCVaR/ob.WorstCVaR-1) > 1e-6 {
			t.Errorf("%s: the same programme valued %v / %v on the shifted rows, %v / %v on the moved run", pol.Objective, a.CVaR95, oa.WorstCVaR, b.CVaR95, ob.WorstCVaR)
		}
		if _, err := Reoptimise(col, rm.Model, pol, re, shift); !errors.Is(err, ErrInvalid) {
			t.Errorf("re-optimising a re-optimisation: err = %v, want ErrInvalid", err)
		}
	}
}

// Each robustness measure: the robust programme is no worse than the
// median-optimal one in it, the recommendation captures RobustCapture of
// the robust programme's saving in it (or is the fallback, the lowest
// funding-ratio vol), and the frontier's weight is on it; an unknown
// measure or tail share is refused, naming the field.
func TestRobustnessMeasures(t *testing.T) {
	col, rm := sampleRun(t, 40, 100, 100)
	for _, pol := range []Policy{{}, {Robustness: "tail"}, {Robustness: "tail", TailShare: 0.25}} {
		out, err := Optimise(col, rm.Model, pol)
		if err != nil {
			t.Fatal(err)
		}
		p := &out.Policy
		if p.Robustness == "" || p.TailShare == 0 {
			t.Fatalf("policy %+v: defaults not set", *p)
		}
		of := func(m optimize.Metrics) float64 {
			if p.Robustness == "worst" {
				return m.WorstCVaR
			}
			return m.TailCVaR
		}
		measure := func(prog *Programme) float64 { return of(prog.Optimiser) }
		if measure(&out.Robust) > measure(&out.MedianOptimal)*(1+1e-6) {
			t.Errorf("%s: robust %.4g above median-optimal %.4g", p.Robustness, measure(&out.Robust), measure(&out.MedianOptimal))
		}
		_, _, um, err := out.Evaluate(make([]float64, len(out.Hedges)))
		if err != nil {
			t.Fatal(err)
		}
		u := of(um)
		need := p.RobustCapture * (u - measure(&out.Robust))
		got := u - measure(&out.Recommended)
		fallback := true
		for _, f := range out.Frontier {
			if f.Metrics.FundingRatioVol < out.Recommended.Metrics.FundingRatioVol-1e-12 {
				fallback = false
			}
		}
		if got < need*(1-1e-9) && !fallback {
			t.Errorf("%s: the recommendation saves %.4g of the measure, the policy needs %.4g", p.Robustness, got, need)
		}
		// and it is the least weight that does
		for _, f := range out.Frontier {
			if f.Lambda < out.RecommendedAt && u-measure(&f) >= need && f.CostBps <= p.BudgetBps*(1+1e-9) &&
				f.Metrics.FundingRatioVol < out.Unhedged.FundingRatioVol {
				t.Errorf("%s: λ %.1f qualifies (saves %.4g of %.4g), the recommendation is at λ %.1f", p.Robustness, f.Lambda, u-measure(&f), need, out.RecommendedAt)
			}
		}
		t.Logf("%s (share %.2f): λ %.1f, %d lines, %.1f bp, saves %.3g of %.3g needed; robust %.1f bp",
			p.Robustness, p.TailShare, out.RecommendedAt, len(out.Recommended.Hedges), out.Recommended.CostBps, got, need, out.Robust.CostBps)
	}
	for _, pol := range []Policy{{Robustness: "median"}, {TailShare: 1.5}, {TailShare: -0.1}} {
		_, err := Optimise(col, rm.Model, pol)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("policy %+v: error %v, want ErrInvalid", pol, err)
		}
	}
	if err := (Policy{Robustness: "median"}).Check(); err == nil || !strings.Contains(err.Error(), "robustness") {
		t.Errorf("robustness median: %v", err)
	}
	if err := (Policy{TailShare: 2}).Check(); err == nil || !strings.Contains(err.Error(), "tail_share") {
		t.Errorf("tail share 2: %v", err)
	}
}
