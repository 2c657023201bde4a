package runconfig

import (
	"strings"
	"testing"

	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/pricing/scenario"
)

// The example configuration lists the defaults: parsing it gives the same
// settings as an empty file once defaults are applied.
func TestExampleConfigIsTheDefaults(t *testing.T) {
	c, err := Parse(examples.RunConfigFile, examples.RunConfig)
	if err != nil {
		t.Fatal(err)
	}
	a, err := scenario.Generate(50, 1, &c.Scenario)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := scenario.Generate(50, 1, nil)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("scenario %d differs from the defaults: %+v vs %+v", i, a[i], b[i])
		}
	}
	if c.Sim.StepDays != 5 || len(c.Sim.HorizonDays) != 4 || c.Threshold != 0.85 {
		t.Errorf("simulation %+v threshold %v", c.Sim, c.Threshold)
	}
}

func TestConfigOverridesAndErrors(t *testing.T) {
	c, err := Parse("c.yaml", []byte("scenarios:\n  fx_vol: [0.30, 0.35]\n  sampling: sobol\nsimulation:\n  dynamics:\n    jumps: false\n"))
	if err != nil {
		t.Fatal(err)
	}
	ps, _ := scenario.Generate(20, 1, &c.Scenario)
	for _, p := range ps {
		if p.FXVol < 0.30 || p.FXVol > 0.35 {
			t.Fatalf("fx vol %v outside the configured range", p.FXVol)
		}
	}
	if !c.Sim.Dynamics.NoJumps || c.Sim.Dynamics.NoClustering {
		t.Errorf("dynamics %+v", c.Sim.Dynamics)
	}
	for _, bad := range []struct{ yaml, want string }{
		{"scenarios:\n  fx_vol: [0.5, 0.1]\n", "c.yaml:2: scenarios.fx_vol: range [0.5, 0.1]"},
		{"scenarios:\n  fx_vol: [0.1]\n", "c.yaml:2: scenarios.fx_vol: must be [low, high]"},
		{"scenarios:\n  regime_probs: {calm: 1}\n", `scenarios.regime_probs.calm: unknown regime "calm"`},
		{"simulation:\n  dynamics:\n    garch_beta: 0.99\n", "stationary"},
		{"simulation:\n  horizons_days: [252, 21]\n", "horizons: must be increasing"},
		{"simulation:\n  dynamics:\n    pd: {CCC: 0.1}\n", `unknown rating "CCC"`},
		{"risk:\n  funding_threshold: -1\n", "c.yaml:2: risk.funding_threshold: must be in (0, 10)"},
		{"simulation:\n  stepdays: 5\n", "field stepdays not found"},
	} {
		_, err := Parse("c.yaml", []byte(bad.yaml))
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: error %v, want %q", bad.yaml, err, bad.want)
		}
	}
}
