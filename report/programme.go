package report

import (
	"math"

	"github.com/hedgeflow/hedgeflow/agents"
	"github.com/hedgeflow/hedgeflow/pricing/risk"
)

// ProgrammeMetrics are a metrics object for a hedged (or unhedged, for
// comparison) programme on the hedge paths at one year. MaxDrawdown needs
// the programme carried on the weekly steps of the paths: it is null for
// the programmes that were not (Report.MaxDrawdownNote says which, and
// why).
type ProgrammeMetrics struct {
	VaR95           float64  `json:"var95"`
	CVaR95          float64  `json:"cvar95"`
	VaR99           float64  `json:"var99"`
	CVaR99          float64  `json:"cvar99"`
	FundingRatioVol float64  `json:"funding_ratio_vol"`
	ShortfallProb   float64  `json:"shortfall_prob"`
	MaxDrawdown     *float64 `json:"max_drawdown"`
}

func programmeMetrics(m risk.Metrics) *ProgrammeMetrics {
	pm := &ProgrammeMetrics{VaR95: m.VaR95, CVaR95: m.CVaR95, VaR99: m.VaR99, CVaR99: m.CVaR99,
		FundingRatioVol: m.FundingRatioVol, ShortfallProb: m.ShortfallProb}
	if !math.IsNaN(m.MaxDrawdown) {
		d := m.MaxDrawdown
		pm.MaxDrawdown = &d
	}
	return pm
}

// Programme is a hedge programme in report.json.
type Programme struct {
	Metrics *ProgrammeMetrics `json:"metrics"`
	// ByHorizon holds the programme's metrics at every horizon of the
	// report's by_horizon, with the programme carried on the weekly path
	// (recommended programme only).
	ByHorizon []*ProgrammeMetrics `json:"by_horizon,omitempty"`
	CostBps   float64             `json:"cost_bps"`
	CostUSD   float64             `json:"cost_usd_per_year"`
	// TradeCostUSD is the bid-ask of trading from the policy's holdings
	// to the programme (absent when no holdings were given).
	TradeCostUSD   float64           `json:"trade_cost_usd,omitempty"`
	Hedges         []agents.Position `json:"hedges"`
	WorstCVaR95    float64           `json:"worst_scenario_cvar95"`
	MedianCVaR95   float64           `json:"median_scenario_cvar95"`
	TailCVaR95     float64           `json:"tail_scenarios_cvar95"`
	Method         string            `json:"method"`
	DualityGap     float64           `json:"duality_gap"`
	IntegralityGap float64           `json:"integrality_gap"`
}

// FrontierPoint is a programme between median-optimal (lambda 0) and
// robust (lambda 1): it minimises (1-λ)·median-scenario CVaR + λ·tail
// measure, the policy's robustness: the mean CVaR of the worst share of
// scenarios ("tail") or the worst scenario's CVaR ("worst").
type FrontierPoint struct {
	Lambda float64 `json:"lambda"`
	Programme
}

// Robustness is the cost of robustness in figures: what the robust
// programme gives up in the median scenario and costs extra, against what
// it saves in the worst scenario and the tail of scenarios (USD; CVaR 95
// at one year).
type Robustness struct {
	MedianGivenUpUSD float64 `json:"median_cvar95_given_up_usd"`
	ExtraCostUSD     float64 `json:"extra_cost_usd_per_year"`
	WorstSavedUSD    float64 `json:"worst_cvar95_saved_usd"`
	TailSavedUSD     float64 `json:"tail_cvar95_saved_usd"`
	// Efficiency is the CVaR saved in the policy's tail measure
	// (hedging_policy.robustness: the worst share of scenarios, or the
	// worst scenario) per USD given up in the median scenario and in
	// cost; null when nothing is given up.
	Efficiency *float64 `json:"efficiency"`
}

// Policy is the hedging policy the programmes obey.
type Policy struct {
	BudgetBps       float64  `json:"budget_bps"`
	FXHedgeRatioMin float64  `json:"fx_hedge_ratio_min"`
	FXHedgeRatioMax float64  `json:"fx_hedge_ratio_max"`
	MinTradeUSD     float64  `json:"min_trade_usd"`
	MaxLines        int      `json:"max_lines"`
	Prohibited      []string `json:"prohibited,omitempty"`
	Objective       string   `json:"objective"`
	RobustCapture   float64  `json:"robust_capture"`
	// Robustness is the tail measure the robust programme minimises:
	// "tail", the mean CVaR 95 of the worst TailShare of scenarios, or
	// "worst", the worst scenario's.
	Robustness        string  `json:"robustness"`
	TailShare         float64 `json:"tail_share"`
	RecommendedLambda float64 `json:"recommended_lambda"`
	// RebalanceDecision, when the run was given holdings, says whether
	// the recommendation keeps them or rebalances, and why.
	RebalanceDecision string `json:"rebalance_decision,omitempty"`
	OptimisationRows  int    `json:"optimisation_rows"`
}

func programme(p *agents.Programme) *Programme {
	return &Programme{Metrics: programmeMetrics(p.Metrics), CostBps: p.CostBps, CostUSD: p.CostUSD, TradeCostUSD: p.TradeCostUSD, Hedges: p.Hedges,
		WorstCVaR95: p.Optimiser.WorstCVaR, MedianCVaR95: p.Optimiser.MedianCVaR, TailCVaR95: p.Optimiser.TailCVaR,
		Method: p.Method, DualityGap: p.Gap, IntegralityGap: p.IntGap}
}

// AddProgrammes puts the hedge programmes of a run into the report.
func (r *Report) AddProgrammes(ps *agents.Programmes) {
	r.MaxDrawdownNote = "max_drawdown is null for every programme: none was carried on the weekly steps of the hedge paths, " +
		"and the optimiser's one-year rows have no drawdowns"
	r.UnhedgedOnHedgePaths = programmeMetrics(ps.Unhedged)
	r.Recommended = programme(&ps.Recommended)
	r.MedianOptimal = programme(&ps.MedianOptimal)
	r.Robust = programme(&ps.Robust)
	for i := range ps.Frontier {
		r.Frontier = append(r.Frontier, FrontierPoint{Lambda: ps.Frontier[i].Lambda, Programme: *programme(&ps.Frontier[i])})
	}
	rb := ps.Robustness
	var eff *float64
	e := rb.TailEfficiency
	if ps.Policy.Robustness == "worst" {
		e = rb.Efficiency
	}
	if !math.IsInf(e, 0) && !math.IsNaN(e) {
		eff = &e
	}
	r.CostOfRobustness = &Robustness{MedianGivenUpUSD: rb.MedianGivenUp, ExtraCostUSD: rb.ExtraCost,
		WorstSavedUSD: rb.WorstSaved, TailSavedUSD: rb.TailSaved, Efficiency: eff}
	p := ps.Policy
	r.HedgingPolicy = &Policy{BudgetBps: p.BudgetBps, FXHedgeRatioMin: p.FXRatioMin, FXHedgeRatioMax: p.FXRatioMax,
		MinTradeUSD: p.MinTradeUSD, MaxLines: p.MaxLines, Prohibited: p.Prohibited, Objective: p.Objective,
		RobustCapture: p.RobustCapture, Robustness: p.Robustness, TailShare: p.TailShare,
		RecommendedLambda: ps.RecommendedAt, OptimisationRows: ps.Rows,
		RebalanceDecision: ps.Decision}
	for i := range r.ScenarioMetrics {
		if i < len(ps.Recommended.ByScenario) {
			r.ScenarioMetrics[i].Hedged = programmeMetrics(ps.Recommended.ByScenario[i])
		}
	}
}

// AddAgents puts the agents' outputs into the report: one object per
// agent in DAG order, the execution plan and the executive summary.
func (r *Report) AddAgents(outs map[string]*agents.Output) {
	for _, role := range agents.Roles {
		o := outs[role]
		if o == nil {
			continue
		}
		a := Agent{Role: role, Name: o.Role, Decision: o.Decision, Chosen: o.Chosen, Rationale: o.Rationale,
			Figures: o.Figures, Backend: o.Backend, Fallback: o.Fallback}
		switch role {
		case agents.Execution:
			r.ExecutionPlan = o.Details
		case agents.Integration:
			if d, ok := o.Details.(map[string]any); ok {
				if s, ok := d["executive_summary"].(string); ok {
					r.ExecutiveSummary = s
				}
			}
		default:
			a.Details = o.Details
		}
		r.Agents = append(r.Agents, a)
	}
}

// Agent is one agent's output in report.json.
type Agent struct {
	Role      string             `json:"role"`
	Name      string             `json:"name"`
	Decision  string             `json:"decision"`
	Chosen    string             `json:"chosen"`
	Rationale string             `json:"rationale"`
	Figures   map[string]float64 `json:"figures"`
	Details   any                `json:"details,omitempty"`
	Backend   string             `json:"backend"`
	Fallback  string             `json:"fallback,omitempty"`
}

// AddOnPaths replaces the recommended programme's metrics (and the
// unhedged comparison on the same paths) by those measured with the
// programme carried on the weekly paths, drawdowns included, at every
// horizon, pooled and per scenario.
//
// The median-optimal, robust and frontier programmes are not carried:
// each would cost about as much again as the recommended one (on the
// default run, median-optimal as much and robust two thirds as much,
// measured), more than the default run's time allows; their drawdowns
// stay null and MaxDrawdownNote says so (Timing.CarrySeconds has the cost).
func (r *Report) AddOnPaths(unhedged, rec *agents.OnPaths) {
	if r.Recommended == nil || unhedged == nil || rec == nil {
		return
	}
	// The carry's time goes to timing, not here: the numbers of a report
	// must be the same for the same seed.
	r.MaxDrawdownNote = "max_drawdown is measured for the recommended programme only, carried on the weekly steps of " +
		"the hedge paths of every scenario (timing.carry_seconds says how long that took). It is null for median_optimal, " +
		"robust and frontier, whose metrics are the optimiser's one-year rows: carrying each of them too would cost about " +
		"as long again, more than a default run can spend."
	r.Timing.CarrySeconds = rec.Seconds
	h := len(rec.Horizons) - 1
	for i, d := range rec.Horizons {
		if d == r.HorizonDays {
			h = i
		}
	}
	r.UnhedgedOnHedgePaths = programmeMetrics(unhedged.Pooled[h])
	r.Recommended.Metrics = programmeMetrics(rec.Pooled[h])
	r.Recommended.ByHorizon = nil
	r.UnhedgedOnHedgePathsByHorizon = nil
	for i := range rec.Horizons {
		r.Recommended.ByHorizon = append(r.Recommended.ByHorizon, programmeMetrics(rec.Pooled[i]))
		r.UnhedgedOnHedgePathsByHorizon = append(r.UnhedgedOnHedgePathsByHorizon, programmeMetrics(unhedged.Pooled[i]))
	}
	for i := range r.ScenarioMetrics {
		if i < len(rec.ByScenario) && rec.ByScenario[i] != nil {
			r.ScenarioMetrics[i].Hedged = programmeMetrics(rec.ByScenario[i][h])
		}
		if i < len(unhedged.ByScenario) && unhedged.ByScenario[i] != nil {
			r.ScenarioMetrics[i].UnhedgedOnHedgePaths = programmeMetrics(unhedged.ByScenario[i][h])
		}
	}
}
