package agents

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hedgeflow/hedgeflow/pricing/scenario"
)

// The unhedged metrics read from the run's path values are those of the
// hedge paths simulated again with no programme, exactly.
func TestUnhedgedOnPathsIsCarryWithNoProgramme(t *testing.T) {
	col, rm := sampleRun(t, 12, 40, 15)
	var params []scenario.Params
	for _, res := range col.Results {
		for _, sr := range res.Scenarios {
			params = append(params, sr.Params)
		}
	}
	want, err := CarryOnPaths(context.Background(), col.Spec, rm.Model, params, nil, make([]float64, len(rm.Model.Hedges())), 2)
	if err != nil {
		t.Fatal(err)
	}
	got, err := UnhedgedOnPaths(col, rm.Model)
	if err != nil {
		t.Fatal(err)
	}
	sameOnPaths(t, got, want, "re-simulated")
}

// sameOnPaths fails unless got's metrics equal want's exactly, pooled and
// per scenario, at every horizon; wantIs names how want was computed.
func sameOnPaths(t *testing.T, got, want *OnPaths, wantIs string) {
	t.Helper()
	for h := range want.Horizons {
		if got.Pooled[h] != want.Pooled[h] {
			t.Errorf("horizon %d pooled: %+v, %s %+v", want.Horizons[h], got.Pooled[h], wantIs, want.Pooled[h])
		}
		for s := range want.ByScenario {
			if got.ByScenario[s][h] != want.ByScenario[s][h] {
				t.Fatalf("scenario %d horizon %d: %+v, %s %+v", s, h, got.ByScenario[s][h], wantIs, want.ByScenario[s][h])
			}
		}
	}
}

// A programme carried on the fund's values the workers kept gives the
// metrics of carrying it with the fund valued again, to the last bit;
// wrong-sized fund values are refused.
func TestCarryOnKeptFundValues(t *testing.T) {
	col, rm := sampleRun(t, 12, 40, 15)
	var params []scenario.Params
	var fund [][]float64
	for pi, res := range col.Results {
		for s, sr := range res.Scenarios {
			params = append(params, sr.Params)
			f := col.ScenarioFundSteps(pi, s)
			if len(f) != 15*rm.Model.Steps()*2 {
				t.Fatalf("partition %d scenario %d: %d fund values, want %d", pi, s, len(f), 15*rm.Model.Steps()*2)
			}
			fund = append(fund, f)
		}
	}
	progs, err := Optimise(col, rm.Model, Policy{})
	if err != nil {
		t.Fatal(err)
	}
	x := progs.Recommended.X()
	want, err := CarryOnPaths(context.Background(), col.Spec, rm.Model, params, nil, x, 2)
	if err != nil {
		t.Fatal(err)
	}
	got, err := CarryOnPaths(context.Background(), col.Spec, rm.Model, params, fund, x, 2)
	if err != nil {
		t.Fatal(err)
	}
	sameOnPaths(t, got, want, "with the fund valued again")
	if want.Pooled[len(want.Horizons)-1].MaxDrawdown == 0 {
		t.Error("the carried programme has no drawdown: the comparison is empty")
	}
	fund[3] = fund[3][:len(fund[3])-2]
	if _, err := CarryOnPaths(context.Background(), col.Spec, rm.Model, params, fund, x, 2); err == nil || !strings.Contains(err.Error(), "fund values given") {
		t.Errorf("short fund values: error %v", err)
	}
	if _, err := CarryOnPaths(context.Background(), col.Spec, rm.Model, params, fund[:5], x, 2); !errors.Is(err, ErrInvalid) {
		t.Errorf("fund values for 5 of %d scenarios: error %v", len(params), err)
	}
}
