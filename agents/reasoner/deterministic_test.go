package reasoner

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestDeterministicSameOutput(t *testing.T) {
	var inputs []string
	task := currencyTask(&inputs)
	a, err := Deterministic{}.Decide(context.Background(), task)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Deterministic{}.Decide(context.Background(), task)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !reflect.DeepEqual(a, b) || string(ja) != string(jb) {
		t.Fatalf("two runs differ:\n%s\n%s", ja, jb)
	}
	if a.Chosen != "fwd75" || a.Backend != "deterministic" || a.Fallback != nil {
		t.Errorf("decision %+v", a)
	}
	if len(inputs) != 2 || inputs[0] != `{"candidate":"fwd75"}` {
		t.Errorf("tool called with %q, want DefaultInput once per run", inputs)
	}
	for _, want := range []string{"Currency Risk Specialist chooses EUR forwards, 75% hedge ratio (fwd75)", "0.82", "Next best", "0.79", "cvar95_reduction_pct 38.2"} {
		if !strings.Contains(a.Rationale, want) {
			t.Errorf("rationale lacks %q: %s", want, a.Rationale)
		}
	}
	if a.Figures["hedge_metrics.cost_bps"].Call != 0 || a.Figures["candidate.fwd75.score"].Value != 0.82 {
		t.Errorf("figures %+v", a.Figures)
	}
}

// TestDeterministicRationalePassesCheck: the template only writes figures
// it was given, so the Bedrock checker accepts it.
func TestDeterministicRationalePassesCheck(t *testing.T) {
	task := currencyTask(nil)
	d, _ := Deterministic{}.Decide(context.Background(), task)
	var fs figureSet
	fs.addTask(task)
	for i, c := range d.ToolCalls {
		fs.addJSON(c.Tool, i, c.Output)
	}
	if _, invented := fs.checkRationale(d.Rationale, DefaultTolerance); len(invented) > 0 {
		t.Errorf("template wrote %v: %s", invented, d.Rationale)
	}
}

func TestDeterministicRule(t *testing.T) {
	cands := []Candidate{{ID: "a", Score: 2}, {ID: "b", Score: 5}, {ID: "c", Score: 5}, {ID: "d", Score: 1}}
	hi, _ := Deterministic{}.Decide(context.Background(), Task{Candidates: cands})
	lo, _ := Deterministic{}.Decide(context.Background(), Task{Candidates: cands, LowerIsBetter: true})
	if hi.Chosen != "b" || lo.Chosen != "d" {
		t.Errorf("highest %q (want b, the first of the tie), lowest %q (want d)", hi.Chosen, lo.Chosen)
	}
}

func TestDeterministicErrors(t *testing.T) {
	boom := errors.New("scenario store unavailable")
	task := currencyTask(nil)
	task.Tools[0].Call = func(context.Context, json.RawMessage) (json.RawMessage, error) { return nil, boom }
	if _, err := (Deterministic{}).Decide(context.Background(), task); !errors.Is(err, ErrTool) || !errors.Is(err, boom) {
		t.Errorf("err = %v, want ErrTool wrapping the tool's error", err)
	}
	for name, tk := range map[string]Task{
		"no candidates": {},
		"duplicate id":  {Candidates: []Candidate{{ID: "a"}, {ID: "a"}}},
		"tool name":     {Candidates: []Candidate{{ID: "a"}}, Tools: []Tool{{Name: "has space", Call: task.Tools[0].Call}}},
		"no func":       {Candidates: []Candidate{{ID: "a"}}, Tools: []Tool{{Name: "t"}}},
	} {
		if _, err := (Deterministic{}).Decide(context.Background(), tk); !errors.Is(err, ErrInvalidTask) {
			t.Errorf("%s: err = %v, want ErrInvalidTask", name, err)
		}
	}
}
