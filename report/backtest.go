package report

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Backtest is report.json's "backtest" section: the fund replayed through
// historical windows (hedgeflow replay), hedged with the recommended
// programme recalibrated on each rebalance date against the same fund
// unhedged. Written by package consumers/backtest.
type Backtest struct {
	// Rebalance is the policy: "weekly", "monthly" or "every N days"
	// (business days of the data).
	Rebalance string `json:"rebalance"`
	// Scenarios, Paths and Seed are the size and seed of every
	// recalibration run (the same seed each time).
	Scenarios int    `json:"scenarios"`
	Paths     int    `json:"paths"`
	Seed      uint64 `json:"seed"`
	// HoldingsAware says whether each recalibration saw the book (its
	// holdings, and the bid-ask of trading away from them); false when
	// every rebalance was optimised from scratch (replay --from-scratch).
	HoldingsAware bool `json:"holdings_aware"`
	// CostModel states how costs are charged, in words.
	CostModel string `json:"cost_model"`
	// Assumptions lists the model's simplifications, in words.
	Assumptions []string          `json:"assumptions"`
	Windows     []*BacktestWindow `json:"windows"`
	// Seconds is the wall time of the whole replay.
	Seconds float64 `json:"seconds"`
}

// BacktestWindow is one historical window replayed.
type BacktestWindow struct {
	Name string `json:"name"` // "2008", "2020", "2022" or "FROM:TO"
	From string `json:"from"` // first business day replayed (YYYY-MM-DD)
	To   string `json:"to"`   // last business day replayed
	// CalibrationFrom is the start of the history before From that the
	// realised vols of the first days were estimated on.
	CalibrationFrom string `json:"calibration_from"`
	Days            int    `json:"days"`
	// Rebalances counts the rebalances that traded to a new programme;
	// FailedRebalances those whose recalibration failed (the book was
	// kept), RelaxedRebalances those that needed a relaxed policy.
	Rebalances        int `json:"rebalances"`
	FailedRebalances  int `json:"failed_rebalances"`
	RelaxedRebalances int `json:"relaxed_rebalances"`
	// LiabilityScale multiplies every liability cash flow so that the
	// fund starts the window at the funded ratio it has on its own market
	// (the portfolio file states 2024 values; on 2008 or 2020 curves the
	// same benefits are worth much more): 1 when not scaled.
	LiabilityScale float64 `json:"liability_scale"`
	// Unhedged and Hedged summarise the two funded-ratio paths.
	Unhedged BacktestPath `json:"unhedged"`
	Hedged   BacktestPath `json:"hedged"`
	// DrawdownReduction is 1 - hedged / unhedged maximum drawdown of the
	// funded ratio (null when the unhedged fund had none);
	// SurplusDrawdownReduction the same for the surplus in USD.
	DrawdownReduction        *float64 `json:"drawdown_reduction"`
	SurplusDrawdownReduction *float64 `json:"surplus_drawdown_reduction"`
	// HedgePnLUSD is the hedges' profit over the window (realised on
	// trades and marked on what is held at the end), premiums included;
	// costs are TradeCostsUSD (bid-ask on every notional traded) plus
	// RunningCostsUSD (collateral and counterparty charges while held).
	// Hedged.SurplusChangeUSD - Unhedged.SurplusChangeUSD = HedgePnLUSD -
	// TradeCostsUSD - RunningCostsUSD.
	HedgePnLUSD float64 `json:"hedge_pnl_usd"`
	// HedgePnLByClassUSD splits HedgePnLUSD by asset class (fx, rates,
	// credit, equity).
	HedgePnLByClassUSD map[string]float64 `json:"hedge_pnl_by_asset_class_usd"`
	TradeCostsUSD      float64            `json:"trade_costs_usd"`
	RunningCostsUSD    float64            `json:"running_costs_usd"`
	CostsUSD           float64            `json:"costs_usd"`
	// TradedNotionalUSD is the notional bought and sold over the window.
	TradedNotionalUSD float64 `json:"traded_notional_usd"`
	// Series holds the daily values.
	Series BacktestSeries `json:"series"`
	// Trades lists every rebalance.
	Trades []BacktestRebalance `json:"rebalances_detail"`
	// Seconds is the window's wall time, RunSeconds the part spent in
	// recalibration runs.
	Seconds    float64 `json:"seconds"`
	RunSeconds float64 `json:"run_seconds"`
}

// BacktestPath summarises one funded-ratio path from the fund as it stood
// before the first day's trades (the same start for hedged and unhedged).
// MaxDrawdown is the
// largest fall of the funded ratio from its running peak, as a fraction of
// the peak (as risk.Metrics.MaxDrawdown); SurplusMaxDrawdownUSD the
// largest fall of assets - liabilities from its running peak, in USD.
type BacktestPath struct {
	FundedRatioStart      float64 `json:"funded_ratio_start"`
	FundedRatioEnd        float64 `json:"funded_ratio_end"`
	FundedRatioMin        float64 `json:"funded_ratio_min"`
	MaxDrawdown           float64 `json:"max_drawdown"`
	SurplusStartUSD       float64 `json:"surplus_start_usd"`
	SurplusChangeUSD      float64 `json:"surplus_change_usd"`
	SurplusMaxDrawdownUSD float64 `json:"surplus_max_drawdown_usd"`
}

// BacktestSeries are the daily values of a window, one entry per business
// day. Assets are in USD; hedged assets include the cumulative hedge P&L
// less costs. HedgePnLUSD and CostsUSD are cumulative.
type BacktestSeries struct {
	Dates               []string  `json:"dates"`
	FundedRatioUnhedged []float64 `json:"funded_ratio_unhedged"`
	FundedRatioHedged   []float64 `json:"funded_ratio_hedged"`
	AssetsUnhedgedUSD   []float64 `json:"assets_unhedged_usd"`
	AssetsHedgedUSD     []float64 `json:"assets_hedged_usd"`
	LiabilitiesUSD      []float64 `json:"liabilities_usd"`
	HedgePnLUSD         []float64 `json:"hedge_pnl_usd"`
	CostsUSD            []float64 `json:"costs_usd"`
	// HedgeNotionalUSD is the gross notional held at each day's close.
	HedgeNotionalUSD []float64 `json:"hedge_notional_usd"`
}

// BacktestRebalance is one recalibration and the trades that followed.
type BacktestRebalance struct {
	Date  string `json:"date"`
	RunID string `json:"run_id,omitempty"`
	// Error says why the book was left unchanged (the run failed or
	// recommended nothing).
	Error string `json:"error,omitempty"`
	// PolicyRelaxed says how the hedging policy was relaxed when it could
	// not be met on the day's market (empty when it was met).
	PolicyRelaxed string `json:"policy_relaxed,omitempty"`
	// Decision says whether the run kept the held programme or
	// rebalanced, and why (Policy.rebalance_decision of its report).
	Decision          string            `json:"decision,omitempty"`
	ProgrammeCostBps  float64           `json:"programme_cost_bps"`
	Positions         []BacktestHolding `json:"positions"`
	TradedNotionalUSD float64           `json:"traded_notional_usd"`
	TradeCostUSD      float64           `json:"trade_cost_usd"`
	RunSeconds        float64           `json:"run_seconds"`
}

// BacktestHolding is a position held after a rebalance.
type BacktestHolding struct {
	ID          string  `json:"id"`
	NotionalUSD float64 `json:"notional_usd"`
	// TradedUSD is the change of notional at this rebalance.
	TradedUSD float64 `json:"traded_usd"`
}

// Summarise fills the paths, drawdown reductions and totals of w from its
// series (the last day's cumulative figures are the window's).
func (w *BacktestWindow) Summarise() {
	s := &w.Series
	n := len(s.Dates)
	w.Days = n
	if n == 0 {
		return
	}
	w.From, w.To = s.Dates[0], s.Dates[n-1]
	w.Unhedged = pathOf(s.AssetsUnhedgedUSD, s.LiabilitiesUSD, s.AssetsUnhedgedUSD[0])
	w.Hedged = pathOf(s.AssetsHedgedUSD, s.LiabilitiesUSD, s.AssetsUnhedgedUSD[0])
	w.DrawdownReduction = reduction(w.Unhedged.MaxDrawdown, w.Hedged.MaxDrawdown)
	w.SurplusDrawdownReduction = reduction(w.Unhedged.SurplusMaxDrawdownUSD, w.Hedged.SurplusMaxDrawdownUSD)
	w.HedgePnLUSD = s.HedgePnLUSD[n-1]
	w.CostsUSD = s.CostsUSD[n-1]
}

func reduction(un, he float64) *float64 {
	if !(un > 0) {
		return nil
	}
	r := 1 - he/un
	return &r
}

// pathOf summarises a path that starts from assets0 (the fund before any
// trade on the first day, the same for hedged and unhedged, so that the
// first day's trading costs count in the change and the drawdown).
func pathOf(assets, liabs []float64, assets0 float64) BacktestPath {
	p := BacktestPath{FundedRatioStart: assets0 / liabs[0], SurplusStartUSD: assets0 - liabs[0]}
	peakFR, peakS := p.FundedRatioStart, p.SurplusStartUSD
	p.FundedRatioMin = p.FundedRatioStart
	for i := range assets {
		fr, s := assets[i]/liabs[i], assets[i]-liabs[i]
		p.FundedRatioEnd, p.SurplusChangeUSD = fr, s-p.SurplusStartUSD
		p.FundedRatioMin = math.Min(p.FundedRatioMin, fr)
		peakFR, peakS = math.Max(peakFR, fr), math.Max(peakS, s)
		p.MaxDrawdown = math.Max(p.MaxDrawdown, 1-fr/peakFR)
		p.SurplusMaxDrawdownUSD = math.Max(p.SurplusMaxDrawdownUSD, peakS-s)
	}
	return p
}

// backtestView is the backtest section of report.html.
type backtestView struct {
	Rebalance, Size, CostModel string
	Assumptions                []string
	Rows                       []backtestRow
	Charts                     []chartView
}

type backtestRow struct {
	Name, From, To, Days, Rebalances                string
	DDUnhedged, DDHedged, DDReduction               string
	SDDUnhedged, SDDHedged, SDDReduction            string
	FREndUnhedged, FREndHedged, HedgePnL, Costs     string
	SurplusChangeUnhedged, SurplusChangeHedged, Sec string
	ByClass                                         string
}

func (r *Report) backtestView() *backtestView {
	b := r.Backtest
	if b == nil {
		return nil
	}
	v := &backtestView{Rebalance: b.Rebalance, CostModel: b.CostModel, Assumptions: b.Assumptions,
		Size: fmt.Sprintf("%d scenarios x %d paths, seed %d", b.Scenarios, b.Paths, b.Seed)}
	red := func(x *float64) string {
		if x == nil {
			return "n/a"
		}
		return fmtPct(*x)
	}
	for _, w := range b.Windows {
		rebal := fmt.Sprint(w.Rebalances)
		if w.RelaxedRebalances > 0 {
			rebal += fmt.Sprintf(" (%d relaxed)", w.RelaxedRebalances)
		}
		if w.FailedRebalances > 0 {
			rebal += fmt.Sprintf(" (%d failed)", w.FailedRebalances)
		}
		v.Rows = append(v.Rows, backtestRow{Name: w.Name, From: w.From, To: w.To, Days: fmt.Sprint(w.Days), Rebalances: rebal,
			DDUnhedged: fmtPct(w.Unhedged.MaxDrawdown), DDHedged: fmtPct(w.Hedged.MaxDrawdown), DDReduction: red(w.DrawdownReduction),
			SDDUnhedged: fmtUSD(w.Unhedged.SurplusMaxDrawdownUSD), SDDHedged: fmtUSD(w.Hedged.SurplusMaxDrawdownUSD), SDDReduction: red(w.SurplusDrawdownReduction),
			FREndUnhedged: fmtPct(w.Unhedged.FundedRatioEnd), FREndHedged: fmtPct(w.Hedged.FundedRatioEnd),
			SurplusChangeUnhedged: fmtUSD(w.Unhedged.SurplusChangeUSD), SurplusChangeHedged: fmtUSD(w.Hedged.SurplusChangeUSD),
			HedgePnL: fmtUSD(w.HedgePnLUSD), Costs: fmtUSD(w.CostsUSD), Sec: fmt.Sprintf("%.0f s", w.Seconds), ByClass: byClass(w.HedgePnLByClassUSD)})
		c := chartView{ID: "chart-backtest-" + chartID(w.Name), Title: fmt.Sprintf("Backtest %s: funded ratio hedged and unhedged, %s to %s", w.Name, w.From, w.To)}
		if len(w.Series.Dates) < 2 {
			c.Missing = "the window has fewer than two days."
		} else {
			c.SVG = template.HTML(backtestChart(c.ID, c.Title, w))
			c.Caption = fmt.Sprintf("Daily funded ratio (assets / liabilities) of the fund unhedged and hedged with the recommended programme, "+
				"recalibrated at %d rebalances (%s; dots). Maximum drawdown %s unhedged, %s hedged.",
				w.Rebalances, b.Rebalance, fmtPct(w.Unhedged.MaxDrawdown), fmtPct(w.Hedged.MaxDrawdown))
		}
		v.Charts = append(v.Charts, c)
	}
	return v
}

// byClass lists the P&L by asset class in a fixed order.
func byClass(m map[string]float64) string {
	var parts []string
	for _, k := range []string{"fx", "rates", "credit", "equity"} {
		if v, ok := m[k]; ok {
			parts = append(parts, k+" "+fmtUSD(v))
		}
	}
	return strings.Join(parts, ", ")
}

// chartID keeps letters and digits of a window name for an element id.
func chartID(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			out = append(out, c)
		} else {
			out = append(out, '-')
		}
	}
	return string(out)
}
