package agents

import (
	"context"
	"strings"
	"testing"

	"github.com/hedgeflow/hedgeflow/agents/reasoner"
	"github.com/hedgeflow/hedgeflow/pricing/scenario"
)

func sampleNumbers(t *testing.T) *Numbers {
	t.Helper()
	col, rm := sampleRun(t, 30, 80, 80)
	progs, err := Optimise(col, rm.Model, Policy{})
	if err != nil {
		t.Fatal(err)
	}
	in, err := LoadInputs(col.Spec)
	if err != nil {
		t.Fatal(err)
	}
	var scn []scenario.Params
	for _, res := range col.Results {
		for _, sr := range res.Scenarios {
			scn = append(scn, sr.Params)
		}
	}
	return &Numbers{Progs: progs, Model: rm.Model, Scenarios: scn, Threshold: 0.85, Inputs: in}
}

// Every role runs in DAG order with the deterministic reasoner, decides
// among its candidates, and the executive summary quotes the figures.
func TestRolesInOrder(t *testing.T) {
	n := sampleNumbers(t)
	ctx := context.Background()
	prior := map[string]*Output{}
	for _, role := range Roles {
		out, err := RunRole(ctx, role, n, reasoner.Deterministic{}, prior)
		if err != nil {
			t.Fatalf("%s: %v", role, err)
		}
		if out.Chosen == "" || out.Rationale == "" {
			t.Errorf("%s: empty decision %+v", role, out)
		}
		prior[role] = out
		t.Logf("%s: %s", role, out.Decision)
	}
	sum := prior[Integration].Details.(map[string]any)["executive_summary"].(string)
	for _, want := range []string{"CVaR 95", "bp a year", "budget", "Execution:"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q: %s", want, sum)
		}
	}
	if _, err := RunRole(ctx, Execution, n, reasoner.Deterministic{}, map[string]*Output{RiskManager: prior[RiskManager]}); err == nil {
		t.Error("execution ran without the specialists' outputs")
	}
}
