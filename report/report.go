package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

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
	ByHorizon       []Horizon        `json:"by_horizon"`
	// CandidateHedges lists every instrument the workers valued on the
	// paths, with statistics of its one-year P&L per USD notional over the
	// hedge paths of all scenarios.
	CandidateHedges []CandidateHedge `json:"candidate_hedges"`
	HedgePaths      int              `json:"hedge_paths_per_scenario"`

	// MaxDrawdownNote says which hedge programmes' max_drawdown is null,
	// and why (see AddOnPaths).
	MaxDrawdownNote string `json:"max_drawdown_note,omitempty"`

	// The hedge programmes (issue 5): absent when the run had no hedging,
	// with HedgingError saying why when it failed.
	UnhedgedOnHedgePaths *ProgrammeMetrics `json:"unhedged_on_hedge_paths,omitempty"`
	// UnhedgedOnHedgePathsByHorizon: the same by horizon.
	UnhedgedOnHedgePathsByHorizon []*ProgrammeMetrics `json:"unhedged_on_hedge_paths_by_horizon,omitempty"`
	Recommended                   *Programme          `json:"recommended,omitempty"`
	MedianOptimal                 *Programme          `json:"median_optimal,omitempty"`
	Robust                        *Programme          `json:"robust,omitempty"`
	CostOfRobustness              *Robustness         `json:"cost_of_robustness,omitempty"`
	Frontier                      []FrontierPoint     `json:"frontier,omitempty"`
	HedgingPolicy                 *Policy             `json:"hedging_policy,omitempty"`
	HedgingError                  string              `json:"hedging_error,omitempty"`
	Agents                        []Agent             `json:"agents,omitempty"`
	ExecutionPlan                 any                 `json:"execution_plan,omitempty"`
	ExecutiveSummary              string              `json:"executive_summary,omitempty"`
	AgentsError                   string              `json:"agents_error,omitempty"`
	// Backtest holds the historical replays of hedgeflow replay (see
	// backtest.go); absent from a plain run.
	Backtest *Backtest `json:"backtest,omitempty"`

	Timing Timing `json:"timing"`
}

// CandidateHedge is a hedge instrument and what its P&L does across the
// scenarios. CorrWithSurplus is the correlation of its P&L with the
// one-year change in surplus on the same paths: a hedge gains when the
// surplus falls, so a good one correlates negatively.
type CandidateHedge struct {
	ID              string  `json:"id"`
	AssetClass      string  `json:"asset_class"`
	Instrument      string  `json:"instrument"`
	Underlying      string  `json:"underlying"`
	Tenor           string  `json:"tenor"`
	PremiumPerUSD   float64 `json:"premium_per_usd"`
	CostBps         float64 `json:"cost_bps"`
	MeanPnLPerUSD   float64 `json:"mean_pnl_per_usd"`
	StdPnLPerUSD    float64 `json:"std_pnl_per_usd"`
	CorrWithSurplus float64 `json:"corr_with_surplus_change"`
}

// Horizon holds the unhedged metrics at one horizon: pooled over every path
// of every scenario with 95% confidence intervals, and the distribution of
// each scenario's own metric across scenarios.
type Horizon struct {
	Days            int            `json:"days"`
	Years           float64        `json:"years"`
	Unhedged        risk.Metrics   `json:"unhedged"`
	UnhedgedCI95    risk.Intervals `json:"unhedged_ci95"`
	AcrossScenarios Spread         `json:"across_scenarios"`
}

// Spread is the distribution of scenario metrics across scenarios: each
// field of each object is that percentile of that metric taken separately
// (so a row does not describe one scenario). Worst is the largest value of
// every metric (all are "higher is worse").
type Spread struct {
	Median risk.Metrics `json:"median"`
	P05    risk.Metrics `json:"p05"`
	P95    risk.Metrics `json:"p95"`
	Worst  risk.Metrics `json:"worst"`
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
	Breakdown     bool         `json:"correlation_breakdown"`
	Unhedged      risk.Metrics `json:"unhedged"`
	// Hedged holds the recommended programme's one-year metrics on the
	// scenario's hedge paths, and UnhedgedOnHedgePaths the same paths
	// without hedges (the like-for-like comparison).
	Hedged               *ProgrammeMetrics `json:"hedged,omitempty"`
	UnhedgedOnHedgePaths *ProgrammeMetrics `json:"unhedged_on_hedge_paths,omitempty"`
	// ByHorizon holds the scenario's metrics at every horizon of the
	// report's by_horizon, in the same order.
	ByHorizon []risk.Metrics `json:"by_horizon"`
}

// Timing is where the run's time went, in seconds of wall time.
type Timing struct {
	TotalSeconds   float64 `json:"total_seconds"`
	PricingSeconds float64 `json:"pricing_seconds"`
	WorkerSeconds  float64 `json:"worker_seconds"`
	HedgingSeconds float64 `json:"hedging_seconds"`
	// CarrySeconds is the part of HedgingSeconds spent carrying the
	// recommended programme on the hedge paths' weekly steps.
	CarrySeconds float64 `json:"carry_seconds,omitempty"`
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
	all := func(q, h int) []float64 { // quantity q (0 assets, 1 liabilities, 2 drawdowns) at horizon h, pooled in scenario order
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
				CreditVol: p.CreditVol, EquityVol: p.EquityVol, Regime: p.Regime.String(), Breakdown: p.Breakdown,
				Unhedged: sr.Horizons[h], ByHorizon: sr.Horizons,
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
	if err := r.addHedges(col, model, h); err != nil {
		return nil, err
	}
	// The pooled metrics of each horizon (every path of every scenario),
	// the horizons on every CPU at once: they are independent, and the
	// report waits for them before the hedging stage goes on.
	byH := make([]Horizon, len(hz))
	errs := make([]error, len(hz))
	next := make(chan int, len(hz))
	for hi := range hz {
		next <- hi
	}
	close(next)
	var wg sync.WaitGroup
	for range min(len(hz), runtime.NumCPU()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var scratch []float64
			for hi := range next {
				days := hz[hi]
				hr := Horizon{Days: days, Years: float64(days) / sim.DaysPerYear}
				var err error
				hr.Unhedged, hr.UnhedgedCI95, scratch, err = risk.ComputeWithIntervals(risk.Sample{
					Years: hr.Years, Assets0: model.Assets0(), Liabilities0: model.Liabilities0(),
					Threshold: spec.Threshold, Assets: all(0, hi), Liabilities: all(1, hi), MaxDrawdown: all(2, hi),
				}, scratch)
				if err != nil {
					errs[hi] = fmt.Errorf("report: pooled metrics at %d days: %w", days, err)
					continue
				}
				hr.AcrossScenarios = spread(r.ScenarioMetrics, hi)
				byH[hi] = hr
			}
		}()
	}
	wg.Wait()
	for hi := range hz {
		if errs[hi] != nil {
			return nil, errs[hi]
		}
		r.ByHorizon = append(r.ByHorizon, byH[hi])
		if hi == h {
			r.Unhedged = byH[hi].Unhedged
		}
	}
	return r, nil
}

// spread returns the across-scenario percentiles of every metric at
// horizon h (nearest-rank percentiles).
func spread(sms []ScenarioMetric, h int) Spread {
	fields := func(m *risk.Metrics) []*float64 {
		return []*float64{&m.VaR95, &m.CVaR95, &m.VaR99, &m.CVaR99, &m.FundingRatioVol, &m.ShortfallProb, &m.MaxDrawdown}
	}
	var out Spread
	xs := make([]float64, len(sms))
	for f := range 7 {
		for i := range sms {
			xs[i] = *fields(&sms[i].ByHorizon[h])[f]
		}
		slices.Sort(xs)
		pct := func(p float64) float64 {
			k := int(math.Ceil(p*float64(len(xs)))) - 1
			return xs[min(max(k, 0), len(xs)-1)]
		}
		*fields(&out.Median)[f] = pct(0.5)
		*fields(&out.P05)[f] = pct(0.05)
		*fields(&out.P95)[f] = pct(0.95)
		*fields(&out.Worst)[f] = xs[len(xs)-1]
	}
	return out
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

// WriteFiles writes report.json and report.html (see [Report.HTML]) into
// dir (created if needed) and returns the path of report.json. Each file
// is written to a temporary name and renamed, so a reader never sees half
// a file.
func (r *Report) WriteFiles(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	b, err := r.JSON()
	if err != nil {
		return "", fmt.Errorf("report: json: %w", err)
	}
	h, err := r.HTML()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "report.json")
	if err := writeAtomic(path, b); err != nil {
		return "", err
	}
	if err := writeAtomic(filepath.Join(dir, "report.html"), h); err != nil {
		return "", err
	}
	return path, nil
}

func writeAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// addHedges fills the candidate-hedge statistics from the hedge paths.
func (r *Report) addHedges(col *consumers.Collected, model *sim.Model, h int) error {
	hs := model.Hedges()
	spec := col.Spec
	P, H := spec.Paths, len(model.Horizons())
	hp := model.HedgePaths()
	r.HedgePaths = hp
	if hp == 0 || len(hs) == 0 {
		return nil
	}
	if model.HedgeHorizonDays() != model.Horizons()[h] {
		return fmt.Errorf("report: hedges valued at %d days, report horizon %d", model.HedgeHorizonDays(), model.Horizons()[h])
	}
	n := len(hs)
	var cnt float64
	sx, sxx, sy, syy := make([]float64, n), make([]float64, n), 0.0, 0.0
	sxy := make([]float64, n)
	s0 := model.Assets0() - model.Liabilities0()
	for pi, res := range col.Results {
		vals, hv := col.PathValues[pi], col.HedgePnL[pi]
		if len(hv) != len(res.Scenarios)*hp*n {
			return fmt.Errorf("report: partition %d has %d hedge values, want %d", pi, len(hv), len(res.Scenarios)*hp*n)
		}
		for s := range res.Scenarios {
			for p := range hp {
				a := vals[(s*3+0)*H*P+h*P+p]
				l := vals[(s*3+1)*H*P+h*P+p]
				y := a - l - s0
				sy += y
				syy += y * y
				row := hv[(s*hp+p)*n : (s*hp+p+1)*n]
				for j, v := range row {
					x := float64(v)
					sx[j] += x
					sxx[j] += x * x
					sxy[j] += x * y
				}
				cnt++
			}
		}
	}
	vy := syy/cnt - (sy/cnt)*(sy/cnt)
	for j, hd := range hs {
		mx := sx[j] / cnt
		vx := sxx[j]/cnt - mx*mx
		c := CandidateHedge{ID: hd.ID, AssetClass: hd.AssetClass, Instrument: hd.Kind.String(), Underlying: hd.Underlying,
			Tenor: hd.Tenor, PremiumPerUSD: hd.Premium, CostBps: hd.CostBps, MeanPnLPerUSD: mx, StdPnLPerUSD: math.Sqrt(math.Max(vx, 0))}
		if vx > 0 && vy > 0 {
			c.CorrWithSurplus = (sxy[j]/cnt - mx*sy/cnt) / math.Sqrt(vx*vy)
		}
		r.CandidateHedges = append(r.CandidateHedges, c)
	}
	return nil
}
