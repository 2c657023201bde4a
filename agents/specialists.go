package agents

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/hedgeflow/hedgeflow/agents/reasoner"
	"github.com/hedgeflow/hedgeflow/pricing/execution"
	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/pricing/risk"
	"github.com/hedgeflow/hedgeflow/pricing/scenario"
	"github.com/hedgeflow/hedgeflow/pricing/sim"
)

// The roles, in the order of the DAG: the risk manager first, then the
// currency, rates and credit specialists in parallel, then execution,
// then integration.
const (
	RiskManager = "risk_manager"
	Currency    = "currency"
	Rates       = "rates"
	Credit      = "credit"
	Execution   = "execution"
	Integration = "integration"
)

// Needs lists each role's prerequisites: the DAG.
var Needs = map[string][]string{
	RiskManager: nil,
	Currency:    {RiskManager},
	Rates:       {RiskManager},
	Credit:      {RiskManager},
	Execution:   {Currency, Rates, Credit},
	Integration: {Execution},
}

// Roles lists the roles in a topological order of Needs.
var Roles = []string{RiskManager, Currency, Rates, Credit, Execution, Integration}

// Objectives of the fund (issue 5): funded ratio kept above 0.85, funding
// ratio vol under 8%, tail risk (CVaR 95) down 35%, cost within budget,
// robust efficiency (share of the robust programme's tail saving captured,
// in the policy's tail measure) at least 80%.
const (
	targetFRVol      = 0.08
	targetTailCut    = 0.35
	targetRobustness = 0.80
	materiality      = 0.02
	nonlinearity     = 0.15
	targetFXEffect   = 0.85
	durationDrift    = 0.25
)

// Output is an agent's structured output: its decision, the figures it
// used and its rationale.
type Output struct {
	Role      string             `json:"role"`
	Decision  string             `json:"decision"`
	Chosen    string             `json:"chosen"`
	Rationale string             `json:"rationale"`
	Figures   map[string]float64 `json:"figures"`
	Details   any                `json:"details,omitempty"`
	Backend   string             `json:"backend"`
	Fallback  string             `json:"fallback,omitempty"`
}

// Numbers is what the agents reason over: the run's programmes, rows and
// model, with each scenario's hyperparameters.
type Numbers struct {
	Progs     *Programmes
	Model     *sim.Model
	Scenarios []scenario.Params
	Threshold float64
	Inputs    *Inputs // the fund and market, for static stress tests
}

// agentFunc runs one role given the outputs of its prerequisites.
type agentFunc func(ctx context.Context, n *Numbers, r reasoner.Reasoner, prior map[string]*Output) (*Output, error)

// Agents maps each role to its function.
var agents = map[string]agentFunc{
	RiskManager: riskManager,
	Currency:    currency,
	Rates:       rates,
	Credit:      credit,
	Execution:   executionAgent,
	Integration: integration,
}

// RunRole runs one role; prior holds its prerequisites' outputs.
func RunRole(ctx context.Context, role string, n *Numbers, r reasoner.Reasoner, prior map[string]*Output) (*Output, error) {
	f, ok := agents[role]
	if !ok {
		return nil, fmt.Errorf("%w: unknown role %q", ErrInvalid, role)
	}
	for _, need := range Needs[role] {
		if prior[need] == nil {
			return nil, fmt.Errorf("agents: %s needs %s's output first", role, need)
		}
	}
	return f(ctx, n, r, prior)
}

// jsonTool wraps a Go function returning a value as a reasoner tool.
func jsonTool(name, desc string, f func() any) reasoner.Tool {
	return reasoner.Tool{Name: name, Description: desc, Call: func(ctx context.Context, _ json.RawMessage) (json.RawMessage, error) {
		return json.Marshal(f())
	}}
}

// decide runs the reasoner and turns its decision into an Output.
func decide(ctx context.Context, r reasoner.Reasoner, t reasoner.Task, figures map[string]float64, details any) (*Output, error) {
	d, err := r.Decide(ctx, t)
	if err != nil {
		// A failed model call falls back to the deterministic reasoner,
		// visibly.
		det, derr := reasoner.Deterministic{}.Decide(ctx, t)
		if derr != nil {
			return nil, fmt.Errorf("%s: %w (and the deterministic reasoner: %v)", t.Role, err, derr)
		}
		d = det
		d.Fallback = &reasoner.Fallback{Reason: "model call failed: " + err.Error()}
	}
	out := &Output{Role: t.Role, Chosen: d.Chosen, Rationale: d.Rationale, Figures: figures, Details: details, Backend: d.Backend}
	for _, c := range t.Candidates {
		if c.ID == d.Chosen {
			out.Decision = c.Label
		}
	}
	if d.Fallback != nil {
		out.Fallback = d.Fallback.Reason
	}
	return out, nil
}

// --- Portfolio Risk Manager ---

// Exposure is a risk-factor exposure.
type Exposure struct {
	Factor   string  `json:"factor"`
	USD      float64 `json:"usd"`  // value at risk to the factor (exposure, or DV01/CS01 in USD per bp)
	Kind     string  `json:"kind"` // delta, dv01, cs01
	ShareOfA float64 `json:"share_of_assets"`
	Critical bool    `json:"critical"`
	Reason   string  `json:"reason,omitempty"`
}

func exposures(n *Numbers) []Exposure {
	m := n.Model
	assets := m.Assets0()
	var out []Exposure
	fx := m.FXExposure()
	for c := market.EUR; c < market.NumCcy; c++ {
		if fx[c] == 0 {
			continue
		}
		e := Exposure{Factor: c.String() + "USD", USD: fx[c], Kind: "delta", ShareOfA: fx[c] / assets}
		if math.Abs(e.ShareOfA) >= materiality {
			e.Critical, e.Reason = true, fmt.Sprintf("net FX exposure above %.0f%% of assets", 100*materiality)
		}
		out = append(out, e)
	}
	dv := n.Inputs.dv01()
	for _, c := range []market.Ccy{market.USD, market.EUR, market.GBP, market.JPY, market.CHF, market.AUD, market.CAD} {
		d := dv[c]
		if d.liabs == 0 && d.assets == 0 {
			continue
		}
		gap := d.liabs - d.assets // USD lost per bp fall in rates
		e := Exposure{Factor: c.String() + " rates", USD: gap, Kind: "dv01_gap", ShareOfA: gap * 200 / assets}
		// Nonlinearity: a 200 bp fall by full revaluation against the
		// linear DV01 extrapolation.
		full := n.Inputs.parallelLoss(c, -0.02)
		if lin := gap * 200; lin != 0 && math.Abs(full-lin)/math.Abs(lin) > nonlinearity {
			e.Critical, e.Reason = true, fmt.Sprintf("convexity: -200 bp moves the surplus by %.3g, %.0f%% from the linear %.3g", full, 100*math.Abs(full-lin)/math.Abs(lin), lin)
		}
		if math.Abs(e.ShareOfA) >= materiality {
			e.Critical = true
			if e.Reason == "" {
				e.Reason = fmt.Sprintf("200 bp moves the surplus by more than %.0f%% of assets", 100*materiality)
			}
		}
		out = append(out, e)
	}
	cs := n.Inputs.cs01()
	for r, v := range cs {
		if v == 0 {
			continue
		}
		e := Exposure{Factor: market.Rating(r).String() + " spreads", USD: v, Kind: "cs01", ShareOfA: v * 100 / assets}
		if math.Abs(e.ShareOfA) >= materiality {
			e.Critical, e.Reason = true, "a 100 bp widening costs more than 2% of assets"
		}
		out = append(out, e)
	}
	eq := m.EquityByCcy()
	for c, v := range eq {
		if v == 0 {
			continue
		}
		e := Exposure{Factor: market.Ccy(c).String() + " equities", USD: v, Kind: "delta", ShareOfA: v / assets}
		e.Critical = e.ShareOfA >= materiality
		if e.Critical {
			e.Reason = "equity holding above 2% of assets"
		}
		out = append(out, e)
	}
	return out
}

// objectives scores a programme against the fund's objectives.
type objectiveStatus struct {
	ShortfallProb  float64 `json:"shortfall_prob"`
	FRVol          float64 `json:"funding_ratio_vol"`
	TailCut        float64 `json:"tail_cut"`
	CostBps        float64 `json:"cost_bps"`
	RobustCaptured float64 `json:"robust_captured"`
	Met            int     `json:"objectives_met"`
}

func objectives(n *Numbers, p *Programme) objectiveStatus {
	ps := n.Progs
	u := ps.Unhedged
	s := objectiveStatus{ShortfallProb: p.Metrics.ShortfallProb, FRVol: p.Metrics.FundingRatioVol,
		TailCut: 1 - p.Metrics.CVaR95/u.CVaR95, CostBps: p.CostBps}
	_, _, um, _ := ps.Evaluate(make([]float64, len(ps.Hedges)))
	pol := &ps.Policy
	if saved := pol.robustMeasure(um) - pol.robustMeasure(ps.Robust.Optimiser); saved > 0 {
		s.RobustCaptured = (pol.robustMeasure(um) - pol.robustMeasure(p.Optimiser)) / saved
	}
	for _, ok := range []bool{s.ShortfallProb < u.ShortfallProb, s.FRVol < targetFRVol, s.TailCut >= targetTailCut,
		s.CostBps <= ps.Policy.BudgetBps+1e-9, s.RobustCaptured >= targetRobustness} {
		if ok {
			s.Met++
		}
	}
	return s
}

func riskManager(ctx context.Context, n *Numbers, r reasoner.Reasoner, _ map[string]*Output) (*Output, error) {
	ex := exposures(n)
	ps := n.Progs
	var critical []Exposure
	for _, e := range ex {
		if e.Critical {
			critical = append(critical, e)
		}
	}
	// Tail focus: which scenarios make the worst 5% of scenario CVaRs.
	type scn struct {
		i    int
		cvar float64
	}
	var ss []scn
	for i, m := range ps.UnhedgedByScn {
		ss = append(ss, scn{i, m.CVaR95})
	}
	sort.Slice(ss, func(a, b int) bool { return ss[a].cvar > ss[b].cvar })
	k := max(1, len(ss)/20)
	tail := map[string]float64{}
	for _, s := range ss[:k] {
		p := n.Scenarios[s.i]
		tail["share_"+p.Regime.String()] += 1 / float64(k)
		if p.Breakdown {
			tail["share_breakdown"] += 1 / float64(k)
		}
		tail["mean_fx_vol"] += p.FXVol / float64(k)
		tail["mean_equity_vol"] += p.EquityVol / float64(k)
	}
	progs := []*Programme{&ps.MedianOptimal, &ps.Recommended, &ps.Robust}
	var cands []reasoner.Candidate
	for _, p := range progs {
		o := objectives(n, p)
		cands = append(cands, reasoner.Candidate{ID: p.Name, Label: strings.ReplaceAll(p.Name, "_", "-") + " programme",
			Score: float64(o.Met) + o.TailCut/10, Figures: []reasoner.Figure{{Name: "objectives_met", Value: float64(o.Met)},
				{Name: "tail_cut", Value: o.TailCut}, {Name: "funding_ratio_vol", Value: o.FRVol}, {Name: "cost_bps", Value: o.CostBps}}})
	}
	figs := map[string]float64{"critical_exposures": float64(len(critical)), "unhedged_cvar95": ps.Unhedged.CVaR95,
		"unhedged_funding_ratio_vol": ps.Unhedged.FundingRatioVol, "unhedged_shortfall_prob": ps.Unhedged.ShortfallProb}
	for k, v := range tail {
		figs["tail_"+k] = v
	}
	task := reasoner.Task{Role: "Portfolio Risk Manager",
		Instructions: "Choose the programme the specialists refine: the one meeting most of the fund's objectives (funded ratio above the threshold, funding-ratio vol under 8%, tail risk down 35%, cost within budget, 80% of the robust tail saving), ties to the larger tail cut.",
		Tools: []reasoner.Tool{
			jsonTool("exposures", "Exposures by risk factor, with the critical ones flagged", func() any { return ex }),
			jsonTool("tail_drivers", "Make-up of the worst 5% of scenarios", func() any { return tail }),
		},
		Candidates: cands}
	return decide(ctx, r, task, figs, map[string]any{"exposures": ex, "critical": critical, "tail_drivers": tail,
		"objectives": map[string]any{"funding_ratio_above": n.Threshold, "funding_ratio_vol_below": targetFRVol,
			"tail_risk_cut": targetTailCut, "cost_bps_within": ps.Policy.BudgetBps, "robust_efficiency": targetRobustness}})
}

// chosenProgramme returns the programme the risk manager chose.
func chosenProgramme(n *Numbers, prior map[string]*Output) *Programme {
	switch prior[RiskManager].Chosen {
	case "median_optimal":
		return &n.Progs.MedianOptimal
	case "robust":
		return &n.Progs.Robust
	}
	return &n.Progs.Recommended
}

// --- Currency Risk Specialist ---

// fxStructure is a way of hedging every material currency.
type fxStructure struct {
	ID, Label string
	X         []float64
}

func currency(ctx context.Context, n *Numbers, r reasoner.Reasoner, prior map[string]*Output) (*Output, error) {
	ps := n.Progs
	hs := ps.Hedges
	base := chosenProgramme(n, prior)
	idx := map[string]int{}
	for i, h := range hs {
		idx[h.ID] = i
	}
	exp := n.Model.FXExposure()
	// The programme's ratio per currency, kept by every structure.
	ratio := map[market.Ccy]float64{}
	for _, p := range base.Hedges {
		if p.HedgeRatio != nil {
			ratio[hs[idx[p.ID]].Ccy] += *p.HedgeRatio
		}
	}
	nonFX := slices.Clone(base.X())
	for i, h := range hs {
		if h.AssetClass == "fx" {
			nonFX[i] = 0
		}
	}
	build := func(id, label string, kind sim.HedgeKind, suffix string, share float64, full bool) fxStructure {
		x := slices.Clone(nonFX)
		for c := market.EUR; c < market.NumCcy; c++ {
			e := exp[c]
			rt, ok := ratio[c]
			if full {
				rt, ok = 1, true
			}
			if !ok || e == 0 {
				continue
			}
			fi, okf := idx["fx_forward_"+c.String()]
			if !okf {
				continue
			}
			cover := rt * e
			if kind == sim.FXForward || e < 0 { // options hedge long exposures only
				x[fi] = cover
				continue
			}
			oi, oko := idx[fmt.Sprintf("%s_%s_%s", kind, c, suffix)]
			if !oko {
				x[fi] = cover
				continue
			}
			x[fi] = cover * (1 - share)
			x[oi] = cover * share / math.Abs(hs[oi].Delta)
		}
		return fxStructure{ID: id, Label: label, X: x}
	}
	structs := []fxStructure{
		build("forwards", "forwards at the programme's hedge ratios", sim.FXForward, "", 0, false),
		build("forwards_rr", "forwards plus a risk-reversal overlay on half the cover", sim.RiskReversal, "95_105", 0.5, false),
		build("forwards_seagull", "forwards plus a seagull overlay on half the cover", sim.Seagull, "95_85_107", 0.5, false),
		build("naive_100", "static 100% forwards (naive)", sim.FXForward, "", 0, true),
	}
	// Hedge effectiveness by dollar offset: the share of each currency's
	// exposure P&L variance the FX hedges remove (1 - Var(exposure +
	// hedge)/Var(exposure)), over all rows, the FX-vol >= 30% scenarios and
	// the correlation-breakdown scenarios. The exposure's P&L is -e times
	// the forward's P&L (selling one USD of the currency forward gains
	// exactly what one USD of the holding loses, net of carry).
	rows := len(ps.pr.p.Base)
	scen := ps.pr.scen
	effect := func(x []float64, keep func(s int) bool) float64 {
		var ve, vr, me, mr float64
		cnt := 0.0
		for r := range rows {
			if !keep(scen[r]) {
				continue
			}
			ex, res := 0.0, 0.0
			for c := market.EUR; c < market.NumCcy; c++ {
				fi, ok := idx["fx_forward_"+c.String()]
				if !ok || exp[c] == 0 {
					continue
				}
				ex += -exp[c] * ps.pr.pnl(r, fi)
			}
			res = ex
			for j, h := range hs {
				if h.AssetClass == "fx" && x[j] != 0 {
					res += x[j] * ps.pr.pnl(r, j)
				}
			}
			cnt++
			d := ex - me
			me += d / cnt
			ve += d * (ex - me)
			d2 := res - mr
			mr += d2 / cnt
			vr += d2 * (res - mr)
		}
		if ve == 0 {
			return 0
		}
		return 1 - vr/ve
	}
	all := func(int) bool { return true }
	hiVol := func(s int) bool { return n.Scenarios[s].FXVol >= 0.30 }
	brk := func(s int) bool { return n.Scenarios[s].Breakdown }
	var cands []reasoner.Candidate
	details := []map[string]float64{}
	assets := n.Model.Assets0()
	for _, st := range structs {
		eAll, eHi, eBrk := effect(st.X, all), effect(st.X, hiVol), effect(st.X, brk)
		cost := 0.0
		for j, h := range hs {
			if h.AssetClass == "fx" {
				cost += math.Abs(st.X[j]) * h.CostBps / assets
			}
		}
		m, _, _, err := ps.Evaluate(st.X)
		if err != nil {
			return nil, err
		}
		worst := math.Min(eAll, math.Min(eHi, eBrk))
		score := worst
		if cost > ps.Policy.BudgetBps || (st.ID == "naive_100" && ps.Policy.FXRatioMax < 1) {
			// Over budget alone, or outside the policy's hedge-ratio band:
			// shown for comparison, not chosen.
			score = worst - 2
		}
		cands = append(cands, reasoner.Candidate{ID: st.ID, Label: st.Label, Score: score, Figures: []reasoner.Figure{
			{Name: "effectiveness_all", Value: eAll}, {Name: "effectiveness_fx_vol_30", Value: eHi},
			{Name: "effectiveness_breakdown", Value: eBrk}, {Name: "fx_cost_bps", Value: cost}, {Name: "programme_cvar95", Value: m.CVaR95}}})
		details = append(details, map[string]float64{"effectiveness_all": eAll, "effectiveness_fx_vol_30": eHi,
			"effectiveness_breakdown": eBrk, "fx_cost_bps": cost, "programme_cvar95": m.CVaR95})
	}
	ratios := map[string]float64{}
	for c, v := range ratio {
		ratios[c.String()] = v
	}
	task := reasoner.Task{Role: "Currency Risk Specialist",
		Instructions: "Choose the FX hedge structure whose worst hedge effectiveness (dollar offset, share of exposure variance removed) across all scenarios, the FX-vol >= 30% scenarios and the correlation-breakdown scenarios is highest; the target is 85%. Structures outside the policy's hedge-ratio band or over budget score 2 less.",
		Tools: []reasoner.Tool{jsonTool("hedge_ratios", "The programme's hedge ratio per currency", func() any { return ratios }),
			jsonTool("fx_exposures", "Net FX exposure per currency, USD", func() any {
				out := map[string]float64{}
				for c := market.EUR; c < market.NumCcy; c++ {
					if exp[c] != 0 {
						out[c.String()] = exp[c]
					}
				}
				return out
			})},
		Candidates: cands}
	figs := map[string]float64{"target_effectiveness": targetFXEffect}
	for c, v := range ratios {
		figs["hedge_ratio_"+c] = v
	}
	out, err := decide(ctx, r, task, figs, map[string]any{"structures": structs2map(structs, details), "hedge_ratios": ratios})
	if err != nil {
		return nil, err
	}
	for i, st := range structs {
		if st.ID == out.Chosen {
			for k, v := range details[i] {
				out.Figures[k] = v
			}
		}
	}
	return out, nil
}

func structs2map(ss []fxStructure, det []map[string]float64) []map[string]any {
	var out []map[string]any
	for i, s := range ss {
		out = append(out, map[string]any{"id": s.ID, "label": s.Label, "figures": det[i]})
	}
	return out
}

// --- Interest Rate Strategist ---

func rates(ctx context.Context, n *Numbers, r reasoner.Reasoner, prior map[string]*Output) (*Output, error) {
	ps := n.Progs
	in := n.Inputs
	var cands []reasoner.Candidate
	type row struct {
		Programme string             `json:"programme"`
		GapYears  map[string]float64 `json:"duration_gap_years"`
		Stress    map[string]float64 `json:"stress_funded_ratio_change"`
	}
	var table []row
	for _, p := range []*Programme{&ps.MedianOptimal, &ps.Recommended, &ps.Robust} {
		gaps := in.durationGaps(ps.Hedges, p.X())
		stress := in.stressTable(ps.Hedges, p.X())
		worst := 0.0
		for _, v := range stress {
			worst = math.Min(worst, v)
		}
		maxGap := 0.0
		for _, g := range gaps {
			maxGap = math.Max(maxGap, math.Abs(g))
		}
		cands = append(cands, reasoner.Candidate{ID: p.Name, Label: "rates leg of the " + strings.ReplaceAll(p.Name, "_", "-") + " programme",
			Score: worst - 0.01*math.Max(0, maxGap-durationDrift), Figures: []reasoner.Figure{
				{Name: "worst_stress_funded_ratio_change", Value: worst}, {Name: "max_duration_gap_years", Value: maxGap}}})
		table = append(table, row{p.Name, gaps, stress})
	}
	unhedged := in.stressTable(ps.Hedges, make([]float64, len(ps.Hedges)))
	task := reasoner.Task{Role: "Interest Rate Strategist",
		Instructions: "Choose the rates leg whose worst funded-ratio change across the stress tests (+-200 bp parallel, 200 bp steepening and flattening, butterfly, volatility doubling, aggressive tightening +300 short / +50 long) is least bad, penalising key-rate duration drift beyond 0.25 years.",
		Tools: []reasoner.Tool{jsonTool("stress_unhedged", "Funded-ratio change under each stress, unhedged", func() any { return unhedged }),
			jsonTool("stress_by_programme", "Duration gaps and stress results per programme", func() any { return table })},
		Candidates: cands}
	figs := map[string]float64{"duration_drift_limit_years": durationDrift}
	for k, v := range unhedged {
		figs["unhedged_"+k] = v
	}
	out, err := decide(ctx, r, task, figs, map[string]any{"stress_unhedged": unhedged, "programmes": table})
	if err != nil {
		return nil, err
	}
	for _, t := range table {
		if t.Programme == out.Chosen {
			for k, v := range t.Stress {
				out.Figures["hedged_"+k] = v
			}
			for k, v := range t.GapYears {
				out.Figures["duration_gap_years_"+k] = v
			}
		}
	}
	return out, nil
}

// --- Credit Exposure Analyst ---

func credit(ctx context.Context, n *Numbers, r reasoner.Reasoner, prior map[string]*Output) (*Output, error) {
	ps := n.Progs
	in := n.Inputs
	conc := in.concentration()
	stress := in.creditStress(ps.Hedges, chosenProgramme(n, prior).X())
	// Candidates: the programme as it is, and with credit-index
	// protection sized to the credit book's CS01, for each index held.
	base := chosenProgramme(n, prior).X()
	var cands []reasoner.Candidate
	cs01 := 0.0
	for _, v := range in.cs01() {
		cs01 += v
	}
	mk := func(id, label string, x []float64) error {
		m, _, om, err := ps.Evaluate(x)
		if err != nil {
			return err
		}
		cost := ps.pr.p.CostPerYear(x) / n.Model.Assets0() * 1e4
		score := -m.CVaR95
		if cost > ps.Policy.BudgetBps*(1+1e-9) {
			score -= 1e12 // over budget
		}
		cands = append(cands, reasoner.Candidate{ID: id, Label: label, Score: score, Figures: []reasoner.Figure{
			{Name: "cvar95", Value: m.CVaR95}, {Name: "worst_scenario_cvar95", Value: om.WorstCVaR},
			{Name: "tail_scenarios_cvar95", Value: om.TailCVaR}, {Name: "cost_bps", Value: cost}}})
		return nil
	}
	if err := mk("programme", "the programme's credit hedges as they are", base); err != nil {
		return nil, err
	}
	for j, h := range ps.Hedges {
		if (h.Kind != sim.CDSIndex && h.Kind != sim.SingleNameCDS) || base[j] != 0 || ps.pr.p.Upper[j] == 0 {
			continue
		}
		x := slices.Clone(base)
		if h.Kind == sim.SingleNameCDS {
			// Protection on the whole reference holding.
			x[j] = ps.pr.p.Upper[j]
			if err := mk("add_"+h.ID, "add single-name protection on "+h.Underlying+", the holding's full size", x); err != nil {
				return nil, err
			}
			continue
		}
		x[j] = math.Min(cs01/math.Max(h.Delta, 1e-12), ps.pr.p.Upper[j])
		if err := mk("add_"+h.ID, "add "+h.Underlying+" protection sized to the credit book's CS01", x); err != nil {
			return nil, err
		}
	}
	task := reasoner.Task{Role: "Credit Exposure Analyst",
		Instructions: "Choose between the programme's credit hedges, adding index protection sized to the credit book's CS01, and adding single-name protection on one of the largest holdings: the lowest one-year CVaR 95 within budget. Single-name CDS hedge a holding's spread and systematic default risk (the model has no issuer-specific default paths).",
		Tools: []reasoner.Tool{jsonTool("concentration", "Herfindahl index, sector shares and largest buckets", func() any { return conc }),
			jsonTool("credit_stress", "Credit stress tests: loss in USD, unhedged and with the programme", func() any { return stress })},
		Candidates: cands}
	figs := map[string]float64{"herfindahl": conc.Herfindahl, "financials_share": conc.Sectors["financials"], "credit_cs01_usd_per_bp": cs01}
	for k, v := range stress {
		figs[k] = v
	}
	return decide(ctx, r, task, figs, map[string]any{"concentration": conc, "stress_usd": stress})
}

// --- Execution Strategy ---

func execKind(h *sim.Hedge) (execution.Kind, float64) {
	switch h.Kind {
	case sim.FXForward:
		return execution.FXForwardG10, 1
	case sim.FXPut, sim.RiskReversal, sim.Seagull:
		return execution.FXOption, 1
	case sim.SwapPayer, sim.SwapReceiver:
		return execution.IRS, h.TenorYears()
	case sim.SwaptionPayer, sim.SwaptionReceiver:
		return execution.Swaption, h.TenorYears()
	case sim.CDSIndex:
		if strings.Contains(h.Underlying, "HY") || strings.Contains(h.Underlying, "XOVER") {
			return execution.CDSIndexHY, 5
		}
		return execution.CDSIndexIG, 5
	case sim.SingleNameCDS:
		return execution.CDSSingleName, 5
	case sim.FRAPayer, sim.FRAReceiver:
		return execution.IRS, 2
	case sim.XCCYSwap:
		return execution.IRS, 5 // a cross-currency swap trades like a swap of its tenor, with wider spreads in practice
	case sim.BondFuture:
		return execution.BondFuture, 10
	case sim.TrancheProtection:
		return execution.Tranche, 5
	}
	return execution.EquityIndexOption, 1
}

func executionAgent(ctx context.Context, n *Numbers, r reasoner.Reasoner, prior map[string]*Output) (*Output, error) {
	ps := n.Progs
	p := chosenProgramme(n, prior)
	idx := map[string]int{}
	for i, h := range ps.Hedges {
		idx[h.ID] = i
	}
	// The orders are the trades from the book held (Policy.Holdings) to
	// the chosen programme: each line of either by the difference, so that
	// a kept line is not traded and a line held but not wanted is closed.
	// Without holdings, the programme's notionals.
	held := ps.Policy.Holdings
	target := map[string]float64{}
	ids := make([]string, 0, len(p.Hedges)+len(held))
	for _, pos := range p.Hedges {
		target[pos.ID] = pos.NotionalUSD
		ids = append(ids, pos.ID)
	}
	var closing []string
	for id := range held {
		if _, ok := target[id]; !ok {
			closing = append(closing, id)
		}
	}
	slices.Sort(closing)
	ids = append(ids, closing...)
	var orders []execution.Order
	for _, id := range ids {
		trade := target[id] - held[id]
		if math.Abs(trade) < 1 { // USD: a line kept as it is
			continue
		}
		j, ok := idx[id]
		if !ok {
			return nil, fmt.Errorf("%w: holdings: %s is not a hedge of this fund's catalogue", ErrInvalid, id)
		}
		k, ten := execKind(&ps.Hedges[j])
		liq, err := execution.DefaultLiquidity(k, ten)
		if err != nil {
			return nil, err
		}
		orders = append(orders, execution.Order{Instrument: id, Kind: k, NotionalUSD: math.Abs(trade), Liquidity: liq})
	}
	if len(orders) == 0 {
		why := "nothing to execute"
		if held != nil {
			why = "nothing to execute: the programme is the book held"
		}
		return &Output{Role: "Execution Strategy", Decision: why, Chosen: "none", Rationale: why, Figures: map[string]float64{}, Backend: "deterministic"}, nil
	}
	var cands []reasoner.Candidate
	plans := map[string]*execution.Schedule{}
	for _, a := range execution.Approaches() {
		sig := (*execution.Signals)(nil)
		if a == execution.Opportunistic || a == execution.VolatilityAdaptive {
			continue // they need market signals; the plan uses the deterministic approaches
		}
		s, err := execution.Plan(orders, a, sig, nil)
		violations := 0
		if err != nil {
			var ce *execution.ConstraintError
			if !errorsAs(err, &ce) {
				return nil, fmt.Errorf("execution plan %s: %w", a, err)
			}
			violations = len(ce.Violations)
		}
		plans[string(a)] = s
		score := -s.Total.CostUSD
		if violations > 0 {
			score -= 1e15
		}
		cands = append(cands, reasoner.Candidate{ID: string(a), Label: string(a) + " execution", Score: score, Figures: []reasoner.Figure{
			{Name: "cost_usd", Value: s.Total.CostUSD}, {Name: "cost_bps", Value: s.Total.CostBps},
			{Name: "days", Value: float64(s.Total.LastDay)}, {Name: "violations", Value: float64(violations)}}})
	}
	task := reasoner.Task{Role: "Execution Strategy",
		Instructions: "Choose the execution approach with the lowest expected cost that keeps every trade under 15% of daily volume, 5 bp of impact and 30 days; liquid hedges go first.",
		Tools:        []reasoner.Tool{jsonTool("orders", "The programme's orders and their liquidity", func() any { return orders })},
		Candidates:   cands}
	out, err := decide(ctx, r, task, map[string]float64{}, nil)
	if err != nil {
		return nil, err
	}
	s := plans[out.Chosen]
	out.Figures["cost_usd"], out.Figures["cost_bps"], out.Figures["days"] = s.Total.CostUSD, s.Total.CostBps, float64(s.Total.LastDay)
	out.Details = s
	return out, nil
}

// --- Integration and executive summary ---

func integration(ctx context.Context, n *Numbers, r reasoner.Reasoner, prior map[string]*Output) (*Output, error) {
	ps := n.Progs
	p := chosenProgramme(n, prior)
	x := p.X()
	// Cross-hedge interactions: each asset class's hedges alone against
	// all together (CVaR 95 reduction).
	u := ps.Unhedged.CVaR95
	classes := map[string]float64{}
	sumAlone := 0.0
	for _, cl := range []string{"fx", "rates", "credit", "equity"} {
		xc := make([]float64, len(x))
		any := false
		for j, h := range ps.Hedges {
			if h.AssetClass == cl && x[j] != 0 {
				xc[j], any = x[j], true
			}
		}
		if !any {
			continue
		}
		m, _, _, err := ps.Evaluate(xc)
		if err != nil {
			return nil, err
		}
		classes["cvar95_cut_"+cl+"_alone"] = u - m.CVaR95
		sumAlone += u - m.CVaR95
	}
	together := u - p.Metrics.CVaR95
	// Robustness score: scenarios whose hedged funding-ratio vol meets 8%.
	meet := 0
	for _, m := range p.ByScenario {
		if m.FundingRatioVol <= targetFRVol {
			meet++
		}
	}
	score := float64(meet) / float64(max(len(p.ByScenario), 1))
	// Naive hedging: static 100% FX forwards, and duration-only receiver
	// swaps matching the liabilities' DV01 gap per currency.
	naiveFX := make([]float64, len(x))
	exp := n.Model.FXExposure()
	for j, h := range ps.Hedges {
		if h.Kind == sim.FXForward {
			naiveFX[j] = exp[h.Ccy]
		}
	}
	naiveDur := make([]float64, len(x))
	dv := n.Inputs.dv01()
	for j, h := range ps.Hedges {
		if h.Kind == sim.SwapReceiver && h.TenorYears() == 30 {
			if gap := dv[h.Ccy].liabs - dv[h.Ccy].assets; gap > 0 {
				naiveDur[j] = gap / h.Delta
			}
		}
	}
	eval := func(x []float64) (risk.Metrics, float64, error) {
		m, _, _, err := ps.Evaluate(x)
		return m, ps.pr.p.CostPerYear(x) / n.Model.Assets0() * 1e4, err
	}
	mFX, cFX, err := eval(naiveFX)
	if err != nil {
		return nil, err
	}
	mDur, cDur, err := eval(naiveDur)
	if err != nil {
		return nil, err
	}
	figs := map[string]float64{"unhedged_cvar95": u, "hedged_cvar95": p.Metrics.CVaR95, "cvar95_cut_together": together,
		"cvar95_cut_sum_alone": sumAlone, "cost_bps": p.CostBps, "budget_bps": ps.Policy.BudgetBps, "robustness_score": score,
		"naive_fx_cvar95": mFX.CVaR95, "naive_fx_cost_bps": cFX, "naive_duration_cvar95": mDur.CVaR95, "naive_duration_cost_bps": cDur,
		"unhedged_funding_ratio_vol": ps.Unhedged.FundingRatioVol, "hedged_funding_ratio_vol": p.Metrics.FundingRatioVol,
		"worst_cvar_saved_by_robust": ps.Robustness.WorstSaved, "tail_cvar_saved_by_robust": ps.Robustness.TailSaved,
		"median_given_up_by_robust": ps.Robustness.MedianGivenUp}
	for k, v := range classes {
		figs[k] = v
	}
	cands := []reasoner.Candidate{
		{ID: "recommended", Label: "the recommended programme", Score: -p.Metrics.CVaR95, Figures: []reasoner.Figure{{Name: "cvar95", Value: p.Metrics.CVaR95}, {Name: "cost_bps", Value: p.CostBps}}},
		{ID: "naive_fx", Label: "static 100% FX forwards", Score: -mFX.CVaR95 - boolPenalty(cFX > ps.Policy.BudgetBps), Figures: []reasoner.Figure{{Name: "cvar95", Value: mFX.CVaR95}, {Name: "cost_bps", Value: cFX}}},
		{ID: "naive_duration", Label: "duration-only receiver swaps", Score: -mDur.CVaR95 - boolPenalty(cDur > ps.Policy.BudgetBps), Figures: []reasoner.Figure{{Name: "cvar95", Value: mDur.CVaR95}, {Name: "cost_bps", Value: cDur}}},
		{ID: "unhedged", Label: "no hedging", Score: -u, Figures: []reasoner.Figure{{Name: "cvar95", Value: u}}},
	}
	task := reasoner.Task{Role: "Integration",
		Instructions: "Confirm the programme for the investment committee: the lowest one-year CVaR 95 within budget among the recommended programme, naive hedges and no hedging.",
		Tools:        []reasoner.Tool{jsonTool("interactions", "CVaR 95 cut by each asset class's hedges alone", func() any { return classes })},
		Candidates:   cands}
	out, err := decide(ctx, r, task, figs, nil)
	if err != nil {
		return nil, err
	}
	out.Details = map[string]any{"executive_summary": summary(n, p, prior, figs)}
	return out, nil
}

func boolPenalty(b bool) float64 {
	if b {
		return 1e15
	}
	return 0
}

// summary writes the executive summary for trustees from the figures.
func summary(n *Numbers, p *Programme, prior map[string]*Output, f map[string]float64) string {
	bn := func(x float64) string { return fmt.Sprintf("$%.2fbn", x/1e9) }
	pc := func(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }
	var b strings.Builder
	ps := n.Progs
	fmt.Fprintf(&b, "Across %d volatility scenarios, the fund's one-year tail loss (CVaR 95 of the surplus) is %s unhedged. ",
		len(n.Scenarios), bn(f["unhedged_cvar95"]))
	fmt.Fprintf(&b, "The recommended programme of %d hedges costs %.1f bp a year, within the %.0f bp budget, and brings it to %s (a cut of %s); ",
		len(p.Hedges), p.CostBps, ps.Policy.BudgetBps, bn(f["hedged_cvar95"]), pc(1-f["hedged_cvar95"]/f["unhedged_cvar95"]))
	fmt.Fprintf(&b, "funding-ratio volatility falls from %s to %s. ", pc(f["unhedged_funding_ratio_vol"]), pc(f["hedged_funding_ratio_vol"]))
	fmt.Fprintf(&b, "Static 100%% FX forwards alone would leave %s, and duration-only swaps %s. ", bn(f["naive_fx_cvar95"]), bn(f["naive_duration_cvar95"]))
	if ps.Policy.Robustness == "worst" {
		fmt.Fprintf(&b, "Robustness: the fully robust programme would give up %s in the median scenario to save %s in the worst one; the recommendation sits at weight %.1f on the worst case. ",
			bn(f["median_given_up_by_robust"]), bn(f["worst_cvar_saved_by_robust"]), ps.RecommendedAt)
	} else {
		fmt.Fprintf(&b, "Robustness: the fully robust programme would give up %s in the median scenario to save %s on average over the worst %.0f%% of scenarios; the recommendation sits at weight %.1f on them. ",
			bn(f["median_given_up_by_robust"]), bn(f["tail_cvar_saved_by_robust"]), 100*ps.Policy.TailShare, ps.RecommendedAt)
	}
	fmt.Fprintf(&b, "Hedged funding-ratio volatility is under 8%% in %s of scenarios. ", pc(f["robustness_score"]))
	switch e := prior[Execution]; {
	case e != nil && e.Chosen == "none":
		fmt.Fprintf(&b, "Execution: %s.", e.Decision)
	case e != nil:
		fmt.Fprintf(&b, "Execution: %s over %.0f days at an expected %s.", e.Decision, e.Figures["days"], bn(e.Figures["cost_usd"]))
	}
	return b.String()
}
