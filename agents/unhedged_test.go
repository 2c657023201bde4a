package agents

import (
	"context"
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
	want, err := CarryOnPaths(context.Background(), col.Spec, rm.Model, params, make([]float64, len(rm.Model.Hedges())), 2)
	if err != nil {
		t.Fatal(err)
	}
	got, err := UnhedgedOnPaths(col, rm.Model)
	if err != nil {
		t.Fatal(err)
	}
	for h := range want.Horizons {
		if got.Pooled[h] != want.Pooled[h] {
			t.Errorf("horizon %d pooled: %+v, re-simulated %+v", want.Horizons[h], got.Pooled[h], want.Pooled[h])
		}
		for s := range want.ByScenario {
			if got.ByScenario[s][h] != want.ByScenario[s][h] {
				t.Fatalf("scenario %d horizon %d: %+v, re-simulated %+v", s, h, got.ByScenario[s][h], want.ByScenario[s][h])
			}
		}
	}
}
