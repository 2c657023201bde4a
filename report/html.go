package report

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"

	"github.com/hedgeflow/hedgeflow/pricing/execution"
)

//go:embed html.tmpl
var htmlFS embed.FS

var htmlTemplate = template.Must(template.New("html.tmpl").ParseFS(htmlFS, "html.tmpl"))

// HTML returns report.html: a self-contained page (inline CSS and SVG, no
// script, no external reference) with the executive summary, the
// recommended programme, the metrics unhedged and hedged, the charts, the
// agents' decisions and the execution plan, all from the fields of r.
// Sections whose data the run does not have (no hedging, no agents) are
// replaced by a note saying so.
func (r *Report) HTML() ([]byte, error) {
	v := r.view()
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("report: html: %w", err)
	}
	return buf.Bytes(), nil
}

// htmlView is what the template shows, formatted.
type htmlView struct {
	Title     string
	Facts     []fact
	Summary   string
	NoSummary string

	Programme   *programmeView
	NoProgramme string

	Horizons []horizonRow
	Hedged   []hedgedRow
	Compare  *compareView

	Charts []chartView

	Agents   []agentView
	NoAgents string

	Exec   *execView
	NoExec string

	Backtest *backtestView
}

type fact struct{ Name, Value string }

type programmeView struct {
	Hedges                      []hedgeRow
	CostBps, BudgetBps, CostUSD string
	OverBudget                  bool
	Method                      string
	// HeldBook, for a run given holdings, is its keep-or-rebalance
	// decision and the cost of trading to the recommendation.
	HeldBook string
}

type hedgeRow struct{ ID, Instrument, Underlying, Tenor, Notional, Ratio, CostBps string }

type horizonRow struct {
	Days, Years                                  string
	VaR95, CVaR95, CVaR99, FRVol, Shortfall      string
	CVaR95Lo, CVaR95Hi, ShortfallLo, ShortfallHi string
	FRVolLo, FRVolHi                             string
	MedianCVaR95, WorstCVaR95                    string
}

// hedgedRow is one horizon unhedged and hedged on the hedge paths: CVaR
// 95, CVaR 99, funding-ratio vol, shortfall probability and drawdown,
// each a pair of unhedged and recommended.
type hedgedRow struct {
	Days  string
	Pairs [][2]string
}

type compareView struct {
	Columns    []string
	Rows       []compareRow
	Robustness []fact
	HedgePaths int
}

type compareRow struct {
	Name  string
	Cells []string
}

type chartView struct {
	ID, Title, Caption string
	SVG                template.HTML
	Missing            string
}

type agentView struct {
	Name, Role, Decision, Chosen, Rationale, Backend, Fallback string
	Figures                                                    []fact
}

type execView struct {
	Approach   string
	Total      []fact
	Roadmap    []roadmapRow
	Violations []string
}

type roadmapRow struct{ Rank, Instrument, Kind, Tier, Days, Notional, CostUSD, CostBps string }

func (r *Report) view() *htmlView {
	v := &htmlView{Title: "hedgeflow report"}
	if r.Portfolio.Name != "" {
		v.Title = r.Portfolio.Name + ": hedgeflow report"
	}
	v.Facts = []fact{
		{"Run", r.RunID}, {"Seed", fmt.Sprint(r.Seed)},
		{"Scenarios x paths", fmt.Sprintf("%d x %d", r.Scenarios, r.Paths)},
		{"Assets", fmtUSD(r.Portfolio.AssetsUSD)}, {"Liabilities", fmtUSD(r.Portfolio.LiabilitiesUSD)},
		{"Funded ratio", fmtPct(r.Portfolio.FundedRatio)}, {"Funding threshold", fmtPct(r.Threshold)},
		{"Headline horizon", fmt.Sprintf("%d trading days", r.HorizonDays)},
	}
	v.Summary = r.ExecutiveSummary
	if v.Summary == "" {
		v.NoSummary = "No executive summary: " + r.missingAgents()
	}
	r.programmeView(v)
	for _, h := range r.ByHorizon {
		ci := h.UnhedgedCI95
		row := horizonRow{Days: fmt.Sprint(h.Days), Years: fmt.Sprintf("%.2f", h.Years),
			VaR95: fmtUSD(h.Unhedged.VaR95), CVaR95: fmtUSD(h.Unhedged.CVaR95), CVaR99: fmtUSD(h.Unhedged.CVaR99),
			FRVol: fmtPct(h.Unhedged.FundingRatioVol), Shortfall: fmtPct(h.Unhedged.ShortfallProb),
			CVaR95Lo: fmtUSD(ci.CVaR95.Lo), CVaR95Hi: fmtUSD(ci.CVaR95.Hi),
			FRVolLo: fmtPct(ci.FundingRatioVol.Lo), FRVolHi: fmtPct(ci.FundingRatioVol.Hi),
			ShortfallLo: fmtPct(ci.ShortfallProb.Lo), ShortfallHi: fmtPct(ci.ShortfallProb.Hi),
			MedianCVaR95: fmtUSD(h.AcrossScenarios.Median.CVaR95), WorstCVaR95: fmtUSD(h.AcrossScenarios.Worst.CVaR95)}
		v.Horizons = append(v.Horizons, row)
	}
	r.hedgedView(v)
	r.compareView(v)
	v.Charts = r.charts()
	r.agentsView(v)
	r.execView(v)
	v.Backtest = r.backtestView()
	return v
}

// missingAgents says why the agents' outputs are absent.
func (r *Report) missingAgents() string {
	switch {
	case r.AgentsError != "":
		return "the agents failed: " + r.AgentsError
	case r.Recommended == nil:
		return "this run had no hedging, so the agents did not run."
	}
	return "the agents did not run."
}

// missingHedging says why the programmes are absent.
func (r *Report) missingHedging() string {
	if r.HedgingError != "" {
		return "The hedge optimisation failed: " + r.HedgingError
	}
	return "This run had no hedging (--no-hedging, or no hedge paths): no programme was optimised."
}

func (r *Report) programmeView(v *htmlView) {
	if r.Recommended == nil {
		v.NoProgramme = r.missingHedging()
		return
	}
	p := &programmeView{CostBps: fmtBps(r.Recommended.CostBps), CostUSD: fmtUSD(r.Recommended.CostUSD), Method: r.Recommended.Method}
	if r.HedgingPolicy != nil {
		p.BudgetBps = fmtBps(r.HedgingPolicy.BudgetBps)
		p.OverBudget = r.Recommended.CostBps > r.HedgingPolicy.BudgetBps+1e-9
		if d := r.HedgingPolicy.RebalanceDecision; d != "" {
			p.HeldBook = d + "; trading from the book to the recommendation costs " + fmtUSD(r.Recommended.TradeCostUSD) + "."
		}
	}
	for _, h := range r.Recommended.Hedges {
		row := hedgeRow{ID: h.ID, Instrument: h.Instrument, Underlying: h.Underlying, Tenor: h.Tenor,
			Notional: fmtUSD(h.NotionalUSD), Ratio: "n/a", CostBps: fmtBps(h.CostBps)}
		if h.HedgeRatio != nil {
			row.Ratio = fmtPct(*h.HedgeRatio)
		}
		p.Hedges = append(p.Hedges, row)
	}
	v.Programme = p
}

// hedgedView pairs the unhedged and recommended metrics by horizon on
// the hedge paths, when the run carried the programme on the weekly path.
func (r *Report) hedgedView(v *htmlView) {
	if r.Recommended == nil {
		return
	}
	un, he := r.UnhedgedOnHedgePathsByHorizon, r.Recommended.ByHorizon
	if len(un) != len(r.ByHorizon) || len(he) != len(r.ByHorizon) {
		return
	}
	pair := func(i int, f func(*ProgrammeMetrics) string) [2]string {
		return [2]string{f(un[i]), f(he[i])}
	}
	for i, h := range r.ByHorizon {
		if un[i] == nil || he[i] == nil {
			return
		}
		v.Hedged = append(v.Hedged, hedgedRow{Days: fmt.Sprint(h.Days), Pairs: [][2]string{
			pair(i, func(m *ProgrammeMetrics) string { return fmtUSD(m.CVaR95) }),
			pair(i, func(m *ProgrammeMetrics) string { return fmtUSD(m.CVaR99) }),
			pair(i, func(m *ProgrammeMetrics) string { return fmtPct(m.FundingRatioVol) }),
			pair(i, func(m *ProgrammeMetrics) string { return fmtPct(m.ShortfallProb) }),
			pair(i, func(m *ProgrammeMetrics) string { return fmtPctPtr(m.MaxDrawdown) }),
		}})
	}
}

func (r *Report) compareView(v *htmlView) {
	if r.Recommended == nil || r.UnhedgedOnHedgePaths == nil {
		return
	}
	c := &compareView{Columns: []string{"unhedged"}, HedgePaths: r.HedgePaths}
	ms := []*ProgrammeMetrics{r.UnhedgedOnHedgePaths}
	ps := []*Programme{nil}
	for _, x := range []struct {
		name string
		p    *Programme
	}{{"recommended", r.Recommended}, {"median-optimal", r.MedianOptimal}, {"robust", r.Robust}} {
		if x.p != nil && x.p.Metrics != nil {
			c.Columns = append(c.Columns, x.name)
			ms, ps = append(ms, x.p.Metrics), append(ps, x.p)
		}
	}
	row := func(name string, f func(*ProgrammeMetrics) string) {
		cr := compareRow{Name: name}
		for _, m := range ms {
			cr.Cells = append(cr.Cells, f(m))
		}
		c.Rows = append(c.Rows, cr)
	}
	row("VaR 95", func(m *ProgrammeMetrics) string { return fmtUSD(m.VaR95) })
	row("CVaR 95", func(m *ProgrammeMetrics) string { return fmtUSD(m.CVaR95) })
	row("VaR 99", func(m *ProgrammeMetrics) string { return fmtUSD(m.VaR99) })
	row("CVaR 99", func(m *ProgrammeMetrics) string { return fmtUSD(m.CVaR99) })
	row("funding-ratio vol", func(m *ProgrammeMetrics) string { return fmtPct(m.FundingRatioVol) })
	row("shortfall probability", func(m *ProgrammeMetrics) string { return fmtPct(m.ShortfallProb) })
	row("mean max drawdown", func(m *ProgrammeMetrics) string { return fmtPctPtr(m.MaxDrawdown) })
	prow := func(name string, f func(*Programme) string) {
		cr := compareRow{Name: name}
		for _, p := range ps {
			if p == nil {
				cr.Cells = append(cr.Cells, "")
				continue
			}
			cr.Cells = append(cr.Cells, f(p))
		}
		c.Rows = append(c.Rows, cr)
	}
	prow("worst-scenario CVaR 95", func(p *Programme) string { return fmtUSD(p.WorstCVaR95) })
	prow(fmt.Sprintf("mean CVaR 95 of the worst %.0f%% of scenarios", 100*r.tailShare()), func(p *Programme) string { return fmtUSD(p.TailCVaR95) })
	prow("median-scenario CVaR 95", func(p *Programme) string { return fmtUSD(p.MedianCVaR95) })
	prow("cost (bp of assets a year)", func(p *Programme) string { return fmtBps(p.CostBps) })
	prow("cost (USD a year)", func(p *Programme) string { return fmtUSD(p.CostUSD) })
	if rb := r.CostOfRobustness; rb != nil {
		eff := "n/a (nothing given up)"
		if rb.Efficiency != nil {
			name, _ := r.tailMeasure()
			eff = fmt.Sprintf("%.2f USD of %s saved per USD given up", *rb.Efficiency, name)
		}
		c.Robustness = []fact{
			{"Median-scenario CVaR 95 given up", fmtUSD(rb.MedianGivenUpUSD)},
			{"Extra cost a year", fmtUSD(rb.ExtraCostUSD)},
			{"Worst-scenario CVaR 95 saved", fmtUSD(rb.WorstSavedUSD)},
			{fmt.Sprintf("Mean CVaR 95 of the worst %.0f%% of scenarios saved", 100*r.tailShare()), fmtUSD(rb.TailSavedUSD)},
			{"Efficiency", eff},
		}
	}
	v.Compare = c
}

func (r *Report) charts() []chartView {
	var out []chartView
	n := len(r.ScenarioMetrics)
	noScen := "The report has no scenario metrics."
	hedged := r.Recommended != nil && n > 0 && r.ScenarioMetrics[0].Hedged != nil

	// 1. Funding-ratio vol across scenarios.
	c := chartView{ID: "chart-fr-dist", Title: "Funded-ratio volatility at 1y across scenarios, unhedged and hedged"}
	if n == 0 {
		c.Missing = noScen
	} else {
		un, he := make([]float64, n), []float64(nil)
		for i, s := range r.ScenarioMetrics {
			un[i] = s.Unhedged.FundingRatioVol
			if hedged && s.Hedged != nil {
				he = append(he, s.Hedged.FundingRatioVol)
			}
		}
		c.SVG = template.HTML(histogramChart(c.ID, c.Title, "funding-ratio vol at 1y (annualised)", fmtPct, un, "unhedged", he, "hedged (recommended)"))
		c.Caption = fmt.Sprintf("Histogram over the %d scenarios of each scenario's one-year funding-ratio volatility "+
			"(standard deviation of the log change of the funded ratio, annualised): unhedged on all %d paths of the scenario", n, r.Paths)
		if hedged {
			c.Caption += fmt.Sprintf("; hedged with the recommended programme on the scenario's %d hedge paths", r.HedgePaths)
		} else {
			c.Caption += "; no hedged distribution: " + r.missingHedging()
		}
		c.Caption += ". It is a distribution across scenarios, not of the funded ratio over paths: report.json does not carry per-path values."
	}
	out = append(out, c)

	// 2. Hedge effectiveness against FX vol.
	c = chartView{ID: "chart-effectiveness", Title: "Hedge effectiveness against FX vol across scenarios"}
	if !hedged {
		c.Missing = r.missingHedging()
	} else {
		var xs, ys []float64
		like := true
		for _, s := range r.ScenarioMetrics {
			base := s.Unhedged.CVaR95
			if s.UnhedgedOnHedgePaths != nil {
				base = s.UnhedgedOnHedgePaths.CVaR95
			} else {
				like = false
			}
			if s.Hedged != nil && base > 0 {
				xs, ys = append(xs, s.FXVol), append(ys, 1-s.Hedged.CVaR95/base)
			}
		}
		c.SVG = template.HTML(scatterChart(c.ID, c.Title, "scenario FX vol (annualised)", "CVaR 95 reduction at 1y", fmtPct, fmtPct, xs, ys, colHedged, "one scenario"))
		c.Caption = fmt.Sprintf("One point per scenario (%d of %d with a positive unhedged CVaR 95): its FX vol against 1 - hedged CVaR 95 / unhedged CVaR 95, "+
			"hedged being the recommended programme on the scenario's %d hedge paths", len(xs), n, r.HedgePaths)
		if like {
			c.Caption += " and unhedged the same paths without hedges."
		} else {
			c.Caption += fmt.Sprintf(" and unhedged the scenario's CVaR 95 on all its %d paths.", r.Paths)
		}
	}
	out = append(out, c)

	// 3. Frontier.
	c = chartView{ID: "chart-frontier", Title: "Cost versus tail risk: the frontier from median-optimal to robust"}
	if len(r.Frontier) == 0 {
		c.Missing = r.missingHedging()
	} else {
		c.SVG = template.HTML(frontierChart(r))
		name, _ := r.tailMeasure()
		c.Caption = fmt.Sprintf("The %d frontier programmes (minimising (1-λ) median-scenario CVaR 95 + λ %s, λ from 0 to 1) by annual cost: "+
			"%s (upper line) and median-scenario CVaR 95 (lower line). Diamonds mark the median-optimal and robust programmes; the ring marks the recommended one.",
			len(r.Frontier), name, name)
		if rb := r.CostOfRobustness; rb != nil {
			saved := rb.WorstSavedUSD
			if r.HedgingPolicy != nil && r.HedgingPolicy.Robustness == "tail" {
				saved = rb.TailSavedUSD
			}
			c.Caption += fmt.Sprintf(" Going from median-optimal to robust saves %s of %s for %s of median-scenario CVaR 95 and %s a year of cost.",
				fmtUSD(saved), name, fmtUSD(rb.MedianGivenUpUSD), fmtUSD(rb.ExtraCostUSD))
		}
	}
	out = append(out, c)

	// 4. Heatmap.
	c = chartView{ID: "chart-heatmap", Title: "Unhedged CVaR 95 at 1y over FX vol x rates vol"}
	if n == 0 {
		c.Missing = noScen
	} else {
		c.SVG = template.HTML(heatmapChart(r.ScenarioMetrics))
		c.Caption = fmt.Sprintf("The %d scenarios binned by their FX vol and rates normal vol (equal-width bins over the sampled range); each cell shows the mean of its scenarios' unhedged one-year CVaR 95 (all paths). Grey cells hold no scenario.", n)
	}
	out = append(out, c)

	// 5. Execution.
	c = chartView{ID: "chart-execution", Title: "Execution schedule: notional traded per day"}
	s, err := r.schedule()
	switch {
	case err != nil:
		c.Missing = "The execution plan could not be read: " + err.Error()
	case s == nil || len(s.Rows) == 0:
		c.Missing = "No execution plan: " + r.missingAgents()
	default:
		rows := make([]execRow, len(s.Rows))
		for i, x := range s.Rows {
			rows[i] = execRow{Day: x.Day, Instrument: x.Instrument, NotionalUSD: x.NotionalUSD}
		}
		c.SVG = template.HTML(executionChart(rows, instruments(s)))
		c.Caption = fmt.Sprintf("The %s schedule chosen by the Execution agent: notional traded each trading day, stacked by instrument (%d trades over %d days).",
			s.Approach, len(s.Rows), s.Total.LastDay)
	}
	out = append(out, c)
	return out
}

// instruments lists a schedule's instruments in roadmap order, then any
// others in order of appearance.
func instruments(s *execution.Schedule) []string {
	var out []string
	for _, st := range s.Roadmap {
		if !slices.Contains(out, st.Instrument) {
			out = append(out, st.Instrument)
		}
	}
	for _, x := range s.Rows {
		if !slices.Contains(out, x.Instrument) {
			out = append(out, x.Instrument)
		}
	}
	return out
}

// schedule reads the execution plan: a *execution.Schedule in a run's
// report, or its JSON (execution.Schedule's snake_case keys) when the
// report was decoded from report.json.
func (r *Report) schedule() (*execution.Schedule, error) {
	switch p := r.ExecutionPlan.(type) {
	case nil:
		return nil, nil
	case *execution.Schedule:
		return p, nil
	}
	b, err := json.Marshal(r.ExecutionPlan)
	if err != nil {
		return nil, fmt.Errorf("report: execution plan: %w", err)
	}
	var s execution.Schedule
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("report: execution plan: %w", err)
	}
	return &s, nil
}

func (r *Report) agentsView(v *htmlView) {
	if len(r.Agents) == 0 {
		v.NoAgents = "No agent decisions: " + r.missingAgents()
		return
	}
	for _, a := range r.Agents {
		av := agentView{Name: a.Name, Role: a.Role, Decision: a.Decision, Chosen: a.Chosen, Rationale: a.Rationale, Backend: a.Backend, Fallback: a.Fallback}
		keys := make([]string, 0, len(a.Figures))
		for k := range a.Figures {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			av.Figures = append(av.Figures, fact{k, fmtFigure(k, a.Figures[k])})
		}
		v.Agents = append(v.Agents, av)
	}
}

func (r *Report) execView(v *htmlView) {
	s, err := r.schedule()
	switch {
	case err != nil:
		v.NoExec = "The execution plan could not be read: " + err.Error()
		return
	case s == nil:
		v.NoExec = "No execution plan: " + r.missingAgents()
		for _, a := range r.Agents {
			if a.Role == "execution" && a.Chosen == "none" {
				v.NoExec = "No execution plan: " + a.Decision + "."
			}
		}
		return
	}
	e := &execView{Approach: string(s.Approach), Total: []fact{
		{"Notional", fmtUSD(s.Total.NotionalUSD)}, {"Expected cost", fmtUSD(s.Total.CostUSD)},
		{"Expected cost (bp of notional)", fmtBps(s.Total.CostBps)}, {"Cost standard deviation", fmtUSD(s.Total.StdDevUSD)},
		{"Days", fmt.Sprintf("%d to %d", s.Total.FirstDay, s.Total.LastDay)},
	}}
	for _, st := range s.Roadmap {
		e.Roadmap = append(e.Roadmap, roadmapRow{Rank: fmt.Sprint(st.Rank), Instrument: st.Instrument, Kind: string(st.Kind), Tier: st.Tier,
			Days: fmt.Sprintf("%d-%d", st.FirstDay, st.LastDay), Notional: fmtUSD(st.NotionalUSD), CostUSD: fmtUSD(st.CostUSD), CostBps: fmtBps(st.CostBps)})
	}
	for _, x := range s.Violations {
		e.Violations = append(e.Violations, fmt.Sprintf("%s: %s on day %d: %g against a limit of %g", x.Instrument, x.Constraint, x.Day, x.Value, x.Limit))
	}
	v.Exec = e
}

// fmtFigure formats an agent's figure by what its name says it is: USD
// amounts (suffix _usd or _by_robust, or a VaR or CVaR), bp (suffix _bps), else a
// plain number.
func fmtFigure(name string, x float64) string {
	switch {
	case strings.HasSuffix(name, "_bps"):
		return fmtBps(x)
	case strings.HasSuffix(name, "_usd") || strings.HasSuffix(name, "_by_robust") ||
		strings.Contains(name, "cvar") || strings.Contains(name, "var95") || strings.Contains(name, "var99"):
		return fmtUSD(x)
	}
	return fmtNum(x)
}

// fmtUSD formats an amount in USD with a k, m or bn suffix.
func fmtUSD(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "n/a"
	}
	sign := ""
	if x < 0 {
		sign, x = "-", -x
	}
	switch {
	case x >= 1e9:
		return fmt.Sprintf("%s$%.2fbn", sign, x/1e9)
	case x >= 1e6:
		return fmt.Sprintf("%s$%.1fm", sign, x/1e6)
	case x >= 1e3:
		return fmt.Sprintf("%s$%.0fk", sign, x/1e3)
	}
	return fmt.Sprintf("%s$%.0f", sign, x)
}

// fmtPct formats a fraction as a percentage.
func fmtPct(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*x)
}

// fmtPctPtr formats a fraction that may be null (n/a).
func fmtPctPtr(x *float64) string {
	if x == nil {
		return "n/a"
	}
	return fmtPct(*x)
}

func fmtBps(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.1f bp", x)
}

// tailShare is the policy's share of worst scenarios in its tail measure
// (0.10 for reports written before the policy recorded it).
func (r *Report) tailShare() float64 {
	if hp := r.HedgingPolicy; hp != nil && hp.TailShare > 0 {
		return hp.TailShare
	}
	return 0.10
}
