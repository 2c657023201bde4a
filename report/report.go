package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hedgeflow/hedgeflow/consumers"
	"github.com/hedgeflow/hedgeflow/pricing/risk"
	"github.com/hedgeflow/hedgeflow/pricing/sim"
)

// Report is the content of report.json.
type Report struct {
	RunID           string           `json:"run_id"`
	Seed            uint64           `json:"seed"`
	Scenarios       int              `json:"scenarios"`
	Paths           int              `json:"paths"`
	Portfolio       Portfolio        `json:"portfolio"`
	Threshold       float64          `json:"funding_threshold"`
	HorizonDays     int              `json:"horizon_days"`
	Unhedged        risk.Metrics     `json:"unhedged"`
	ScenarioMetrics []ScenarioMetric `json:"scenario_metrics"`
	Timing          Timing           `json:"timing"`
}

// Portfolio summarises the fund today.
type Portfolio struct {
	Name           string  `json:"name"`
	AssetsUSD      float64 `json:"assets_usd"`
	LiabilitiesUSD float64 `json:"liabilities_usd"`
	FundedRatio    float64 `json:"funded_ratio"`
}

// ScenarioMetric is one scenario's hyperparameters and one-year metrics.
// IRVol is a normal vol in absolute rate units (0.0100 = 100 bp a year).
type ScenarioMetric struct {
	Index         int          `json:"index"`
	FXVol         float64      `json:"fx_vol"`
	IRVol         float64      `json:"ir_vol"`
	ShortRateMult float64      `json:"short_rate_mult"`
	CreditVol     float64      `json:"credit_vol"`
	EquityVol     float64      `json:"equity_vol"`
	Regime        string       `json:"regime"`
	Unhedged      risk.Metrics `json:"unhedged"`
}

// Timing is where the run's time went, in seconds of wall time.
type Timing struct {
	TotalSeconds   float64 `json:"total_seconds"`
	PricingSeconds float64 `json:"pricing_seconds"`
	WorkerSeconds  float64 `json:"worker_seconds"`
}

// Build assembles the report of a collected run valued by model.
func Build(col *consumers.Collected, model *sim.Model, portfolioName string) (*Report, error) {
	spec := col.Spec
	hz := model.Horizons()
	// The headline horizon: one year if the run has it, else its last.
	h := len(hz) - 1
	for i, d := range hz {
		if d == sim.DaysPerYear {
			h = i
		}
	}
	r := &Report{
		RunID: spec.RunID, Seed: spec.Seed, Scenarios: spec.Scenarios, Paths: spec.Paths,
		Threshold: spec.Threshold, HorizonDays: hz[h],
		Portfolio: Portfolio{Name: portfolioName, AssetsUSD: model.Assets0(), LiabilitiesUSD: model.Liabilities0(),
			FundedRatio: model.Assets0() / model.Liabilities0()},
		ScenarioMetrics: make([]ScenarioMetric, 0, spec.Scenarios),
	}
	P, H := spec.Paths, len(hz)
	all := func(q int) []float64 { // quantity q (0 assets, 1 liabilities, 2 drawdowns) at horizon h, pooled in scenario order
		out := make([]float64, 0, spec.Scenarios*P)
		for pi, res := range col.Results {
			vals := col.PathValues[pi]
			for s := range res.Scenarios {
				base := (s*3+q)*H*P + h*P
				out = append(out, vals[base:base+P]...)
			}
		}
		return out
	}
	for _, res := range col.Results {
		if res == nil {
			return nil, fmt.Errorf("report: run %s is missing a partition", spec.RunID)
		}
		r.Timing.WorkerSeconds += res.CPUSeconds
		for _, sr := range res.Scenarios {
			p := sr.Params
			r.ScenarioMetrics = append(r.ScenarioMetrics, ScenarioMetric{
				Index: p.Index, FXVol: p.FXVol, IRVol: p.IRVol, ShortRateMult: p.ShortRateMult,
				CreditVol: p.CreditVol, EquityVol: p.EquityVol, Regime: p.Regime.String(),
				Unhedged: sr.Horizons[h],
			})
		}
	}
	if len(r.ScenarioMetrics) != spec.Scenarios {
		return nil, fmt.Errorf("report: %d scenarios priced, run has %d", len(r.ScenarioMetrics), spec.Scenarios)
	}
	for i, sm := range r.ScenarioMetrics {
		if sm.Index != i {
			return nil, fmt.Errorf("report: scenario %d found at position %d", sm.Index, i)
		}
	}
	var err error
	r.Unhedged, _, err = risk.Compute(risk.Sample{
		Years: float64(hz[h]) / sim.DaysPerYear, Assets0: model.Assets0(), Liabilities0: model.Liabilities0(),
		Threshold: spec.Threshold, Assets: all(0), Liabilities: all(1), MaxDrawdown: all(2),
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("report: pooled metrics: %w", err)
	}
	return r, nil
}

// JSON returns the report as indented JSON with a final newline.
func (r *Report) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteFiles writes report.json into dir (created if needed) and returns
// its path.
func (r *Report) WriteFiles(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	b, err := r.JSON()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "report.json")
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return "", err
	}
	return path, os.Rename(tmp, path)
}
