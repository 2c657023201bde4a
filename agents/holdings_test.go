package agents

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// traded is Σ|x_j - held_j| over the hedges, and its bid-ask.
func traded(ps *Programmes, x []float64, held map[string]float64) (notional, cost float64) {
	for j, h := range ps.Hedges {
		d := math.Abs(x[j] - held[h.ID])
		notional += d
		cost += d * h.TradeCostBps() / 1e4
	}
	return notional, cost
}

// A recalibration on another sample of scenarios, given last time's
// recommendation as holdings, trades less than one from scratch (the
// churn of the weekly backtests), charges the bid-ask it reports, and
// still meets the policy; and the holdings' errors name the field.
func TestHoldingsCutTurnover(t *testing.T) {
	colA, rmA := sampleRun(t, 40, 100, 100)
	first, err := Optimise(colA, rmA.Model, Policy{})
	if err != nil {
		t.Fatal(err)
	}
	held := map[string]float64{}
	for _, p := range first.Recommended.Hedges {
		held[p.ID] = p.NotionalUSD
	}
	// The same run given its own recommendation keeps it.
	again, err := Optimise(colA, rmA.Model, Policy{Holdings: held})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := traded(again, again.Recommended.X(), held); !again.Kept || n != 0 {
		t.Errorf("given its own recommendation, the run trades $%.3gbn (kept %v: %s)", n/1e9, again.Kept, again.Decision)
	}
	colB, rmB := sampleRun(t, 30, 100, 100) // another Latin hypercube: next week's sample
	scratch, err := Optimise(colB, rmB.Model, Policy{})
	if err != nil {
		t.Fatal(err)
	}
	aware, err := Optimise(colB, rmB.Model, Policy{Holdings: held})
	if err != nil {
		t.Fatal(err)
	}
	nS, cS := traded(scratch, scratch.Recommended.X(), held)
	nA, cA := traded(aware, aware.Recommended.X(), held)
	t.Logf("from scratch: %d lines, traded $%.2fbn at $%.1fm; with holdings: %d lines, traded $%.2fbn at $%.1fm; %s",
		len(scratch.Recommended.Hedges), nS/1e9, cS/1e6, len(aware.Recommended.Hedges), nA/1e9, cA/1e6, aware.Decision)
	if !strings.HasPrefix(aware.Decision, "keep: ") && !strings.HasPrefix(aware.Decision, "rebalance: ") || scratch.Decision != "" {
		t.Errorf("decisions %q with holdings and %q without", aware.Decision, scratch.Decision)
	}
	if !(cA < cS) {
		t.Errorf("with holdings the rebalance costs $%.3gm, from scratch $%.3gm: want less", cA/1e6, cS/1e6)
	}
	if d := math.Abs(aware.Recommended.TradeCostUSD - cA); d > 1e-9*math.Max(cA, 1) {
		t.Errorf("reported trade cost %v, recomputed %v", aware.Recommended.TradeCostUSD, cA)
	}
	if scratch.Recommended.TradeCostUSD != 0 {
		t.Errorf("without holdings the trade cost is reported as %v", scratch.Recommended.TradeCostUSD)
	}
	rec := aware.Recommended
	if rec.CostBps > aware.Policy.BudgetBps*(1+1e-6) || len(rec.Hedges) > aware.Policy.MaxLines {
		t.Errorf("with holdings: %.2f bp, %d lines: outside the policy", rec.CostBps, len(rec.Hedges))
	}
	if !(rec.Metrics.CVaR95 < aware.Unhedged.CVaR95) {
		t.Errorf("with holdings the recommendation's CVaR95 %v does not beat unhedged %v", rec.Metrics.CVaR95, aware.Unhedged.CVaR95)
	}

	for name, c := range map[string]struct {
		pol  Policy
		want string
	}{
		"unknown id": {Policy{Holdings: map[string]float64{"no_such_hedge": 1e9}}, "no_such_hedge"},
		"NaN":        {Policy{Holdings: map[string]float64{"fx_forward_EUR": math.NaN()}}, "fx_forward_EUR"},
		"variance":   {Policy{Holdings: map[string]float64{}, Objective: "variance"}, "cvar objective"},
		"threshold":  {Policy{Holdings: map[string]float64{}, RebalanceMin: 1.5}, "rebalance_min"},
	} {
		_, err := Optimise(colB, rmB.Model, c.pol)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want ErrInvalid naming %q", name, err, c.want)
		}
	}
}
