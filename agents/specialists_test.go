package agents

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/hedgeflow/hedgeflow/agents/reasoner"
	"github.com/hedgeflow/hedgeflow/pricing/execution"
	"github.com/hedgeflow/hedgeflow/pricing/scenario"
	"github.com/hedgeflow/hedgeflow/pricing/sim"
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

// With holdings, the execution plan trades from the book to the programme:
// nothing when the book is the programme, the difference otherwise, and a
// line held but not in the programme is closed.
func TestExecutionTradesFromHoldings(t *testing.T) {
	n := sampleNumbers(t)
	ctx := context.Background()
	prior := map[string]*Output{}
	for _, role := range Roles {
		if role == Execution {
			break
		}
		out, err := RunRole(ctx, role, n, reasoner.Deterministic{}, prior)
		if err != nil {
			t.Fatalf("%s: %v", role, err)
		}
		prior[role] = out
	}
	p := chosenProgramme(n, prior)
	if len(p.Hedges) < 2 {
		t.Fatalf("a programme of %d hedges: no test", len(p.Hedges))
	}
	plan := func(held map[string]float64) *Output {
		t.Helper()
		n.Progs.Policy.Holdings = held
		out, err := RunRole(ctx, Execution, n, reasoner.Deterministic{}, prior)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	total := 0.0
	held := map[string]float64{}
	for _, h := range p.Hedges {
		held[h.ID] = h.NotionalUSD
		total += math.Abs(h.NotionalUSD)
	}
	if out := plan(held); out.Chosen != "none" || !strings.Contains(out.Decision, "the programme is the book held") {
		t.Errorf("book = programme: %q (%s)", out.Decision, out.Chosen)
	}
	// half of every line held, and a line not in the programme
	var extra string
	for _, h := range n.Progs.Hedges {
		if _, in := held[h.ID]; !in && (h.Kind == sim.FXForward || h.Kind == sim.SwapReceiver) {
			extra = h.ID
			break
		}
	}
	if extra == "" {
		t.Fatal("every FX forward and receiver swap is in the programme: no line to close")
	}
	half := map[string]float64{extra: 3e8}
	for id, v := range held {
		half[id] = v / 2
	}
	out := plan(half)
	s, ok := out.Details.(*execution.Schedule)
	if !ok {
		t.Fatalf("details %T", out.Details)
	}
	if want := total/2 + 3e8; math.Abs(s.Total.NotionalUSD-want) > 1e-6*want {
		t.Errorf("traded %v, want half the programme plus the closed line, %v", s.Total.NotionalUSD, want)
	}
	closed := false
	for _, b := range s.ByInstrument {
		closed = closed || b.Instrument == extra && math.Abs(b.NotionalUSD-3e8) < 1
	}
	if !closed {
		t.Errorf("the line held outside the programme (%s, 3e8) is not closed: %+v", extra, s.ByInstrument)
	}
	n.Progs.Policy.Holdings = nil
	if out := plan(nil); out.Details.(*execution.Schedule).Total.NotionalUSD < total*(1-1e-9) {
		t.Errorf("without holdings the plan trades %v, want the programme's %v", out.Details.(*execution.Schedule).Total.NotionalUSD, total)
	}
}
