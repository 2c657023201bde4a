package agents

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"

	"github.com/hedgeflow/hedgeflow/consumers"
	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/pricing/optimize"
	"github.com/hedgeflow/hedgeflow/pricing/risk"
	"github.com/hedgeflow/hedgeflow/pricing/sim"
)

// ErrInvalid is wrapped by errors about invalid policy settings.
var ErrInvalid = errors.New("agents: invalid")

// Policy is the fund's hedging policy. The zero value of a field means its
// documented default.
type Policy struct {
	BudgetBps      float64  // all-in annual cost budget, bp of assets; default 25
	FXRatioMin     float64  // default 0.50
	FXRatioMax     float64  // default 0.95
	MinTradeUSD    float64  // default 10m
	MaxLines       int      // instruments (counterparty lines); default 12
	Prohibited     []string // hedge ids or kinds (e.g. "equity_put") not allowed
	RobustCapture  float64  // share of the robust tail saving the recommendation must capture; default 0.80
	MaterialityPct float64  // FX exposures below this share of assets are not ratio-bound; default 2%
	Objective      string   // "cvar" (default) or "variance"
	// Holdings, when not nil, are the hedges held today: USD notional by
	// hedge id. The optimiser then charges each hedge's bid-ask
	// (sim.Hedge.TradeCostBps) on the notional traded away from them, so
	// that a recalibration keeps what still does the job instead of
	// switching to a near-equivalent hedge. An empty map means nothing is
	// held (building the programme costs its bid-ask too). CVaR objective
	// only.
	Holdings map[string]float64
	// RebalanceMin applies with Holdings: the held programme stays the
	// recommendation while it meets the policy (limits, budget, FX hedge
	// ratios, lines, tail capture, lower funding-ratio vol) unless the
	// best programme improves on it, at the recommendation's frontier
	// weight and net of its trading cost, by more than this share of the
	// held programme's objective. The improvement a fresh sample promises
	// is partly the sample's noise; default 0.01 (1%).
	RebalanceMin float64
	// Robustness is the tail measure the robust programme minimises and
	// the frontier weighs against the median scenario:
	//   - "worst" (default): the worst scenario's CVaR;
	//   - "tail": the CVaR across scenarios of the scenario CVaRs, the
	//     mean of the worst TailShare of them.
	// The worst scenario's CVaR 95 rests on the worst 5% of one
	// scenario's hedge paths (2.5 paths of 50), so the programme that
	// minimises it, and the recommendation measured against it, move
	// with the random seed; the tail's mean over a hundred scenarios
	// does not. The tail is not the default because its frontier needs
	// more cutting-plane iterations and its recommendation sits at a
	// larger frontier weight, so a recalibration solves more points:
	// 1.37 s instead of 0.72 s (median) on the default set, over the
	// 1 s target (README, Recalibration).
	Robustness string
	// TailShare is the share of worst scenarios the "tail" measure
	// averages; default 0.10.
	TailShare float64
}

// robustMeasure is the policy's tail measure of the optimiser's metrics.
func (p *Policy) robustMeasure(m optimize.Metrics) float64 {
	if p.Robustness == "worst" {
		return m.WorstCVaR
	}
	return m.TailCVaR
}

// robustWord names the measure in messages.
func (p *Policy) robustWord() string {
	if p.Robustness == "worst" {
		return "worst-scenario"
	}
	return fmt.Sprintf("worst-%.0f%%-of-scenarios", p.TailShare*100)
}

func (p *Policy) setDefaults() {
	def := func(x *float64, d float64) {
		if *x == 0 {
			*x = d
		}
	}
	def(&p.BudgetBps, 25)
	def(&p.FXRatioMin, 0.50)
	def(&p.FXRatioMax, 0.95)
	def(&p.MinTradeUSD, 10e6)
	def(&p.RobustCapture, 0.80)
	def(&p.MaterialityPct, 0.02)
	def(&p.RebalanceMin, 0.01)
	def(&p.TailShare, 0.10)
	if p.Robustness == "" {
		p.Robustness = "worst"
	}
	if p.MaxLines == 0 {
		p.MaxLines = 12
	}
	if p.Objective == "" {
		p.Objective = "cvar"
	}
}

// Check validates the policy after defaults, so that a run can refuse a
// bad policy before it prices anything.
func (p Policy) Check() error {
	p.setDefaults()
	return p.validate()
}

func (p *Policy) validate() error {
	switch {
	case !(p.BudgetBps > 0 && p.BudgetBps <= 1000):
		return fmt.Errorf("%w: budget_bps must be in (0, 1000], got %v", ErrInvalid, p.BudgetBps)
	case !(p.FXRatioMin >= 0 && p.FXRatioMin <= p.FXRatioMax && p.FXRatioMax <= 2):
		return fmt.Errorf("%w: fx hedge ratio bounds [%v, %v]", ErrInvalid, p.FXRatioMin, p.FXRatioMax)
	case !(p.MinTradeUSD >= 0) || p.MaxLines < 0:
		return fmt.Errorf("%w: min trade %v, max lines %d", ErrInvalid, p.MinTradeUSD, p.MaxLines)
	case !(p.RobustCapture > 0 && p.RobustCapture <= 1):
		return fmt.Errorf("%w: robust_capture must be in (0, 1], got %v", ErrInvalid, p.RobustCapture)
	case p.Objective != "cvar" && p.Objective != "variance":
		return fmt.Errorf("%w: objective must be cvar or variance, got %q", ErrInvalid, p.Objective)
	case p.Robustness != "tail" && p.Robustness != "worst":
		return fmt.Errorf("%w: robustness must be tail or worst, got %q", ErrInvalid, p.Robustness)
	case !(p.TailShare > 0 && p.TailShare <= 1):
		return fmt.Errorf("%w: tail_share must be in (0, 1], got %v", ErrInvalid, p.TailShare)
	case !(p.RebalanceMin >= 0 && p.RebalanceMin < 1):
		return fmt.Errorf("%w: rebalance_min must be in [0, 1), got %v", ErrInvalid, p.RebalanceMin)
	case p.Holdings != nil && p.Objective != "cvar":
		return fmt.Errorf("%w: holdings (a trading cost in USD) need the cvar objective, got %q", ErrInvalid, p.Objective)
	}
	for id, v := range p.Holdings {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: holdings: %s has notional %v", ErrInvalid, id, v)
		}
	}
	return nil
}

// Position is one hedge of a programme.
type Position struct {
	ID          string   `json:"id"`
	AssetClass  string   `json:"asset_class"`
	Instrument  string   `json:"instrument"`
	Underlying  string   `json:"underlying"`
	Tenor       string   `json:"tenor"`
	NotionalUSD float64  `json:"notional_usd"`
	HedgeRatio  *float64 `json:"hedge_ratio,omitempty"` // FX: share of the currency's net exposure
	CostBps     float64  `json:"cost_bps"`              // this position's annual cost, bp of assets
}

// Programme is a set of hedges with its figures.
type Programme struct {
	Name    string     `json:"name"`
	Lambda  float64    `json:"lambda"` // frontier weight on the tail measure (Policy.Robustness)
	Method  string     `json:"method"`
	Hedges  []Position `json:"hedges"`
	CostBps float64    `json:"cost_bps"`
	CostUSD float64    `json:"cost_usd_per_year"`
	// TradeCostUSD is the bid-ask of trading from Policy.Holdings to this
	// programme, paid once; 0 without holdings.
	TradeCostUSD float64      `json:"trade_cost_usd,omitempty"`
	Metrics      risk.Metrics `json:"-"` // pooled over the hedge paths, one year
	Optimiser    optimize.Metrics
	Gap          float64 `json:"duality_gap"`
	IntGap       float64 `json:"integrality_gap"`
	// ByScenario holds the programme's one-year metrics per scenario on
	// the hedge paths.
	ByScenario []risk.Metrics `json:"-"`
	x          []float64
}

// Programmes are the answers of one run.
type Programmes struct {
	Policy        Policy
	Hedges        []sim.Hedge
	Rows          int
	Unhedged      risk.Metrics   // the same hedge paths, no hedge
	UnhedgedByScn []risk.Metrics // per scenario on the hedge paths
	MedianOptimal Programme
	Robust        Programme
	Recommended   Programme
	Frontier      []Programme
	Robustness    optimize.Robustness
	RecommendedAt float64 // λ of the recommended frontier point
	// PartialFrontier is set when a re-optimisation solved the frontier
	// only up to the recommended point (Reoptimise).
	PartialFrontier bool
	// With Policy.Holdings: Kept is set when the recommendation is the
	// held programme, and Decision says why it was kept or rebalanced.
	Kept     bool
	Decision string

	pr    *problem // the rows, for the agents' tools
	model *sim.Model
	thr   float64
	set   *optimize.Settings
	// pools are the cuts of each solve (median, robust, frontier_<λ>),
	// to warm-start a re-optimisation.
	pools map[string]*optimize.CutPool
	// starts are each solve's relaxed solution.
	starts map[string][]float64
	// eval evaluates the agents' alternatives on pr, checked once.
	evalOnce sync.Once
	eval     *optimize.Evaluator
	evalErr  error
}

// Evaluate returns the one-year metrics (pooled, per scenario) and the
// optimiser's scenario metrics of any notionals x on the run's rows.
func (ps *Programmes) Evaluate(x []float64) (risk.Metrics, []risk.Metrics, optimize.Metrics, error) {
	m, per, err := ps.pr.metrics(ps.model, x, ps.thr, len(ps.UnhedgedByScn))
	if err != nil {
		return m, per, optimize.Metrics{}, err
	}
	ps.evalOnce.Do(func() { ps.eval, ps.evalErr = optimize.NewEvaluator(&ps.pr.p, ps.set) })
	if ps.evalErr != nil {
		return m, per, optimize.Metrics{}, ps.evalErr
	}
	om, err := ps.eval.Evaluate(x)
	return m, per, om, err
}

// X returns a programme's notionals by hedge index.
func (p *Programme) X() []float64 { return p.x }

// problem holds the assembled optimisation data.
type problem struct {
	p      optimize.Problem
	assets []float64 // per row, unhedged assets at the horizon
	liabs  []float64
	scen   []int
	// shifted marks rows whose hedge P&L were shifted from a run's
	// (Reoptimise).
	shifted bool
}

func prohibited(pol *Policy, h *sim.Hedge) bool {
	for _, x := range pol.Prohibited {
		if x == h.ID || x == h.Kind.String() || x == h.AssetClass {
			return true
		}
	}
	return false
}

// rows reads the optimisation rows (one per scenario and hedge path) from
// a collected run: the unhedged loss and every hedge's P&L at the hedge
// horizon.
func rows(col *consumers.Collected, model *sim.Model) (*problem, error) {
	hs := model.Hedges()
	M := len(hs)
	hp := model.HedgePaths()
	if M == 0 || hp == 0 {
		return nil, fmt.Errorf("%w: the run valued no candidate hedges (they need a horizon on a half-year, e.g. 252 days)", ErrInvalid)
	}
	hz := model.Horizons()
	h := len(hz) - 1
	for i, d := range hz {
		if d == model.HedgeHorizonDays() {
			h = i
		}
	}
	P, H := col.Spec.Paths, len(hz)
	S := col.Spec.Scenarios
	N := S * hp
	pr := &problem{assets: make([]float64, 0, N), liabs: make([]float64, 0, N), scen: make([]int, 0, N)}
	pr.p.Base = make([]float64, 0, N)
	pr.p.PnL = make([]float64, 0, N*M)
	s0 := model.Assets0() - model.Liabilities0()
	scn := 0
	for pi, res := range col.Results {
		vals, hv := col.PathValues[pi], col.HedgePnL[pi]
		for s := range res.Scenarios {
			for p := range hp {
				a := vals[(s*3+0)*H*P+h*P+p]
				l := vals[(s*3+1)*H*P+h*P+p]
				pr.assets = append(pr.assets, a)
				pr.liabs = append(pr.liabs, l)
				pr.scen = append(pr.scen, scn)
				pr.p.Base = append(pr.p.Base, s0-(a-l))
				for _, v := range hv[(s*hp+p)*M : (s*hp+p+1)*M] {
					pr.p.PnL = append(pr.p.PnL, float64(v))
				}
			}
			scn++
		}
	}
	pr.p.Scenario = pr.scen
	return pr, nil
}

// shiftedRows returns pr's rows with hedge j's P&L less shift[j] on every
// row (its premium moved; the paths did not), without copying them: the
// optimiser and the metrics apply the shift (optimize.Problem.Shift).
func (pr *problem) shiftedRows(shift []float64) *problem {
	q := &problem{assets: pr.assets, liabs: pr.liabs, scen: pr.scen, shifted: true}
	q.p.Base, q.p.Scenario, q.p.PnL = pr.p.Base, pr.p.Scenario, pr.p.PnL
	q.p.Shift = append([]float64(nil), shift...)
	return q
}

// pnl returns the P&L of one USD of hedge j in row r.
func (pr *problem) pnl(r, j int) float64 {
	v := pr.p.PnL[r*(len(pr.p.PnL)/len(pr.p.Base))+j]
	if pr.p.Shift != nil {
		v -= pr.p.Shift[j]
	}
	return v
}

// constrain sets the problem's costs, position limits, budget, FX
// hedge-ratio constraints and holdings from the model (today's market) and
// the policy.
func (pr *problem) constrain(model *sim.Model, pol *Policy) error {
	hs := model.Hedges()
	M := len(hs)
	N := len(pr.p.Base)
	assets := model.Assets0()
	pr.p.Cost = make([]float64, M)
	pr.p.Lower = make([]float64, M)
	pr.p.Upper = make([]float64, M)
	// Position limits: no hedge larger than what it hedges. FX: the
	// currency's net exposure; rates: the liabilities in the currency;
	// credit indices: the credit book; equity puts: the equities held in
	// the currency.
	exp := model.FXExposure()
	byCcy, credit, equity := model.LiabilitiesByCcy(), model.CreditValue(), model.EquityByCcy()
	for j, hd := range hs {
		pr.p.Cost[j] = hd.CostBps / 1e4
		switch hd.AssetClass {
		case "fx": // enough notional to cover the exposure by delta
			pr.p.Upper[j] = math.Abs(exp[hd.Ccy]) / math.Max(math.Abs(hd.Delta), 0.2)
		case "rates":
			pr.p.Upper[j] = byCcy[hd.Ccy]
		case "credit":
			pr.p.Upper[j] = credit
			if l := hd.Limit(); l > 0 { // a single name: its reference holding
				pr.p.Upper[j] = math.Min(l, credit)
			}
		case "equity":
			pr.p.Upper[j] = equity[hd.Ccy]
		}
		if hd.Kind == sim.FXForward {
			pr.p.Lower[j] = -pr.p.Upper[j] // a forward may buy the currency too
		}
		if prohibited(pol, &hd) {
			pr.p.Lower[j], pr.p.Upper[j] = 0, 0
		}
	}
	pr.p.Budget = pol.BudgetBps / 1e4 * assets
	pr.p.MinTrade = pol.MinTradeUSD
	pr.p.MaxInstruments = pol.MaxLines
	// FX hedge ratios: for every material net currency exposure, the FX
	// hedges' delta-weighted notional covers between the policy's bounds.
	for c := market.EUR; c < market.NumCcy; c++ {
		e := exp[c]
		if math.Abs(e) < pol.MaterialityPct*assets {
			continue
		}
		a := make([]float64, M)
		any := false
		for j, hd := range hs {
			if hd.AssetClass == "fx" && hd.Ccy == c && pr.p.Upper[j] > pr.p.Lower[j] {
				a[j] = -hd.Delta // USD of exposure removed per USD notional
				any = true
			}
		}
		if !any {
			continue
		}
		lo, hi := pol.FXRatioMin*e, pol.FXRatioMax*e
		if e < 0 {
			lo, hi = hi, lo
		}
		pr.p.Constraints = append(pr.p.Constraints, optimize.Constraint{Name: "fx_hedge_ratio_" + c.String(), A: a, Lo: lo, Hi: hi})
	}
	pr.p.Holdings, pr.p.TradeCost = nil, nil
	if pol.Holdings != nil {
		pr.p.Holdings, pr.p.TradeCost = make([]float64, M), make([]float64, M)
		byID := make(map[string]int, M)
		for j := range hs {
			byID[hs[j].ID] = j
			pr.p.TradeCost[j] = hs[j].TradeCostBps() / 1e4
		}
		for id, v := range pol.Holdings {
			j, ok := byID[id]
			if !ok {
				return fmt.Errorf("%w: holdings: %s is not a hedge of this fund's catalogue", ErrInvalid, id)
			}
			pr.p.Holdings[j] = v
		}
	}
	if pol.Objective == "variance" {
		pr.p.FRBase = make([]float64, N)
		pr.p.FRPnL = make([]float64, N*M)
		fr0 := model.Assets0() / model.Liabilities0()
		for r := range N {
			pr.p.FRBase[r] = pr.assets[r]/pr.liabs[r] - fr0
			for j := range M {
				pr.p.FRPnL[r*M+j] = pr.pnl(r, j) / pr.liabs[r]
			}
		}
	}
	return nil
}

// metrics computes the one-year metrics of notionals x on the rows, pooled
// and per scenario. Drawdowns need the programme on the weekly path, which
// the rows do not hold: MaxDrawdown is NaN.
func (pr *problem) metrics(model *sim.Model, x []float64, threshold float64, S int) (risk.Metrics, []risk.Metrics, error) {
	N := len(pr.p.Base)
	M := len(x)
	a := make([]float64, N)
	sx := 0.0 // the premium shift's P&L, the same on every row
	for j, s := range pr.p.Shift {
		sx += s * x[j]
	}
	for r := range N {
		v := pr.assets[r] - sx
		row := pr.p.PnL[r*M : (r+1)*M]
		for j, xj := range x {
			if xj != 0 {
				v += xj * row[j]
			}
		}
		a[r] = v
	}
	zero := make([]float64, N)
	years := float64(model.HedgeHorizonDays()) / sim.DaysPerYear
	sample := func(lo, hi int) risk.Sample {
		return risk.Sample{Years: years, Assets0: model.Assets0(), Liabilities0: model.Liabilities0(), Threshold: threshold,
			Assets: a[lo:hi], Liabilities: pr.liabs[lo:hi], MaxDrawdown: zero[lo:hi]}
	}
	pooled, scratch, err := risk.Compute(sample(0, N), nil)
	if err != nil {
		return risk.Metrics{}, nil, err
	}
	pooled.MaxDrawdown = math.NaN()
	per := make([]risk.Metrics, S)
	hp := N / S
	for s := range S {
		per[s], scratch, err = risk.Compute(sample(s*hp, (s+1)*hp), scratch)
		if err != nil {
			return risk.Metrics{}, nil, err
		}
		per[s].MaxDrawdown = math.NaN()
	}
	return pooled, per, nil
}

// FrontierLambdas are the weights on the worst case of the frontier's
// programmes, from median-optimal (0) to robust (1).
var FrontierLambdas = []float64{0, 0.2, 0.4, 0.6, 0.8, 1}

// Optimise assembles the run's hedging problem under the policy and
// returns the median-optimal and robust programmes, the frontier between
// them, the cost of robustness and the recommendation: the frontier point
// with the least weight on the tail measure (Policy.Robustness; so the
// most median-efficient) that captures at least RobustCapture of the
// robust programme's saving in that measure and lowers funding-ratio vol,
// among those within budget; failing that, the frontier point with the
// lowest funding-ratio vol.
func Optimise(col *consumers.Collected, model *sim.Model, pol Policy) (*Programmes, error) {
	return optimise(col, model, pol, nil, nil)
}

// Reoptimise is Optimise for the run col (whose programmes are prev) with
// every hedge's P&L less shift[j] on every row (the option premiums moved,
// the paths did not), on the model of the new market. The rows are prev's,
// shifted, not assembled again, and every solve starts from prev's cuts,
// shifted, which stay exact minorants of the moved objectives
// (optimize.CutPool.Shifted).
func Reoptimise(col *consumers.Collected, model *sim.Model, pol Policy, prev *Programmes, shift []float64) (*Programmes, error) {
	if prev == nil || len(shift) != len(model.Hedges()) {
		return nil, fmt.Errorf("%w: re-optimisation needs the previous programmes and one shift per hedge", ErrInvalid)
	}
	if err := finiteAll("shift", shift); err != nil {
		return nil, err
	}
	if prev.pr != nil && prev.pr.shifted {
		return nil, fmt.Errorf("%w: re-optimisation needs the programmes of the run itself, not of an earlier re-optimisation (their cuts are for other premiums)", ErrInvalid)
	}
	return optimise(col, model, pol, prev, shift)
}

func finiteAll(name string, v []float64) error {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%w: %s[%d] is %v", ErrInvalid, name, i, x)
		}
	}
	return nil
}

func optimise(col *consumers.Collected, model *sim.Model, pol Policy, prev *Programmes, shift []float64) (*Programmes, error) {
	pol.setDefaults()
	if err := pol.validate(); err != nil {
		return nil, err
	}
	if prev != nil && (prev.Policy.Robustness != pol.Robustness || prev.Policy.TailShare != pol.TailShare) {
		return nil, fmt.Errorf("%w: re-optimisation with robustness %q (tail share %v), the run's programmes were for %q (%v): their cuts do not apply",
			ErrInvalid, pol.Robustness, pol.TailShare, prev.Policy.Robustness, prev.Policy.TailShare)
	}
	var pr *problem
	if prev != nil && prev.pr != nil && len(prev.pr.p.PnL) == len(prev.pr.p.Base)*len(shift) {
		pr = prev.pr.shiftedRows(shift)
	} else {
		var err error
		if pr, err = rows(col, model); err != nil {
			return nil, err
		}
		if prev != nil {
			pr = pr.shiftedRows(shift)
		}
	}
	if err := pr.constrain(model, &pol); err != nil {
		return nil, err
	}
	var err error
	S := col.Spec.Scenarios
	out := &Programmes{Policy: pol, Hedges: model.Hedges(), Rows: len(pr.p.Base), pr: pr, model: model, thr: col.Spec.Threshold,
		set: &optimize.Settings{TailShare: pol.TailShare}, pools: map[string]*optimize.CutPool{}, starts: map[string][]float64{}}
	zero := make([]float64, len(model.Hedges()))
	if out.Unhedged, out.UnhedgedByScn, err = pr.metrics(model, zero, col.Spec.Threshold, S); err != nil {
		return nil, err
	}
	set := &optimize.Settings{TailShare: pol.TailShare}
	unhedgedEval, err := optimize.Evaluate(&pr.p, zero, set)
	if err != nil {
		return nil, err
	}
	build := func(name string, res optimize.Result) (Programme, error) {
		p := Programme{Name: name, Method: res.Method, Optimiser: res.Metrics, Gap: res.DualityGap, IntGap: res.IntegralityGap, x: res.X}
		assets := model.Assets0()
		exp := model.FXExposure()
		for j, xj := range res.X {
			if math.Abs(xj) < 0.5 { // below a dollar: numerically zero
				continue
			}
			hd := model.Hedges()[j]
			pos := Position{ID: hd.ID, AssetClass: hd.AssetClass, Instrument: hd.Kind.String(), Underlying: hd.Underlying,
				Tenor: hd.Tenor, NotionalUSD: xj, CostBps: hd.CostBps * math.Abs(xj) / assets}
			if hd.AssetClass == "fx" && exp[hd.Ccy] != 0 {
				r := -hd.Delta * xj / exp[hd.Ccy]
				pos.HedgeRatio = &r
			}
			p.Hedges = append(p.Hedges, pos)
		}
		p.CostUSD = res.CostPerYear
		p.TradeCostUSD = res.TradeCost
		p.CostBps = res.CostPerYear / assets * 1e4
		var err error
		p.Metrics, p.ByScenario, err = pr.metrics(model, res.X, col.Spec.Threshold, S)
		return p, err
	}
	// The solves are independent: median-optimal, robust, and the
	// frontier's interior points (λ = 0 and 1 are the median-optimal and
	// robust objectives themselves), queued in that order on every CPU,
	// each CPU taking the next as soon as it is free. Each is
	// deterministic, so the answers do not depend on the order.
	for _, l := range FrontierLambdas {
		if !(l >= 0 && l <= 1) {
			return nil, fmt.Errorf("%w: frontier weight %v outside [0, 1]", ErrInvalid, l)
		}
	}
	type job struct {
		name   string
		lambda float64
		res    optimize.Result
		err    error
		done   chan struct{}
	}
	ends := []*job{{name: "median"}, {name: "robust", lambda: 1}}
	jobs := append([]*job(nil), ends...)
	byLambda := map[float64]*job{0: ends[0], 1: ends[1]}
	for _, l := range FrontierLambdas {
		if _, ok := byLambda[l]; !ok {
			j := &job{name: fmt.Sprintf("frontier_%g", l), lambda: l}
			jobs = append(jobs, j)
			byLambda[l] = j
		}
	}
	cancel := make(chan struct{})
	queue := make(chan *job, len(jobs))
	for _, j := range jobs {
		j.done = make(chan struct{})
		queue <- j
	}
	close(queue)
	var wg sync.WaitGroup
	for range min(runtime.NumCPU(), len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range queue {
				select {
				case <-cancel: // not needed any more: not started
					j.err = optimize.ErrCanceled
					close(j.done)
					continue
				default:
				}
				s := &optimize.Settings{Cancel: cancel, TailShare: pol.TailShare}
				if prev != nil {
					s.Warm = prev.pools[j.name].Shifted(shift)
					s.Start = prev.starts[j.name]
				}
				switch j.name {
				case "median":
					j.res, j.err = optimize.Median(&pr.p, s)
				case "robust":
					if pol.Robustness == "worst" {
						j.res, j.err = optimize.Robust(&pr.p, s)
					} else {
						j.res, j.err = optimize.TailRobust(&pr.p, s)
					}
				default:
					frontier := optimize.TailFrontier
					if pol.Robustness == "worst" {
						frontier = optimize.Frontier
					}
					var pts []optimize.Point
					if pts, j.err = frontier(&pr.p, s, []float64{j.lambda}); j.err == nil {
						j.res = pts[0].Result
					}
				}
				close(j.done)
			}
		}()
	}
	// Whatever happens below, the workers stop (the unneeded solves
	// cancelled) before optimise returns.
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			close(cancel)
			wg.Wait()
		}
	}
	defer stop()
	result := func(j *job) (optimize.Result, error) {
		<-j.done
		if j.err != nil {
			return j.res, fmt.Errorf("%s programme: %w", strings.ReplaceAll(j.name, "_", " "), j.err)
		}
		return j.res, nil
	}
	med, err := result(ends[0])
	if err != nil {
		return nil, err
	}
	rob, err := result(ends[1])
	if err != nil {
		return nil, err
	}
	if out.MedianOptimal, err = build("median_optimal", med); err != nil {
		return nil, err
	}
	if out.Robust, err = build("robust", rob); err != nil {
		return nil, err
	}
	out.Robustness = optimize.CostOfRobustness(med, rob)
	// The recommendation is the least-λ point that captures the tail
	// saving within budget and lowers funding-ratio vol. A run reports
	// every point; a re-optimisation takes the points in λ order only
	// until one qualifies (the same choice, with less work), cancels the
	// solves still running, and its frontier is then partial.
	need := pol.RobustCapture * (pol.robustMeasure(unhedgedEval) - pol.robustMeasure(rob.Metrics))
	qualifies := func(r optimize.Result, prog *Programme) bool {
		return pol.robustMeasure(unhedgedEval)-pol.robustMeasure(r.Metrics) >= need && r.CostPerYear <= pr.p.Budget*(1+1e-9) &&
			prog.Metrics.FundingRatioVol < out.Unhedged.FundingRatioVol
	}
	var pts []optimize.Point
	chosen := -1
	for i, l := range FrontierLambdas {
		if chosen >= 0 && prev != nil {
			break
		}
		r, err := result(byLambda[l])
		if err != nil {
			return nil, err
		}
		prog, err := build(fmt.Sprintf("frontier_%.1f", l), r)
		if err != nil {
			return nil, err
		}
		prog.Lambda = l
		out.Frontier = append(out.Frontier, prog)
		pts = append(pts, optimize.Point{Lambda: l, Result: r})
		if chosen < 0 && qualifies(r, &prog) {
			chosen = i
		}
	}
	stop()
	for _, j := range jobs {
		if j.err == nil {
			out.pools[j.name] = j.res.Pool
			out.starts[j.name] = j.res.Relaxed
			if j.res.Relaxed == nil {
				out.starts[j.name] = j.res.X
			}
		}
	}
	out.PartialFrontier = len(out.Frontier) < len(FrontierLambdas)
	recQualifies := chosen >= 0
	if chosen < 0 {
		// No point both captures the tail saving and lowers funding-ratio
		// vol: take the one with the lowest funding-ratio vol.
		chosen = 0
		for i, p := range out.Frontier {
			if p.Metrics.FundingRatioVol < out.Frontier[chosen].Metrics.FundingRatioVol {
				chosen = i
			}
		}
	}
	out.Recommended = out.Frontier[chosen]
	out.Recommended.Name = "recommended"
	out.RecommendedAt = pts[chosen].Lambda
	if pol.Holdings != nil {
		if err := out.keepOrRebalance(pr, &pol, set, build, qualifies, recQualifies); err != nil {
			return nil, err
		}
	}
	if pol.Objective == "variance" {
		v, err := optimize.Variance(&pr.p, set)
		if err != nil {
			return nil, fmt.Errorf("variance programme: %w", err)
		}
		if out.Recommended, err = build("recommended", v); err != nil {
			return nil, err
		}
		out.Recommended.Name = "recommended"
	}
	return out, nil
}

// keepOrRebalance applies Policy.RebalanceMin: the held programme replaces
// the recommendation when it meets the policy and the recommendation's
// gain over it, net of trading cost, is not material. recQualifies says
// whether the recommendation itself captures the tail saving and lowers
// funding-ratio vol; when no frontier point does (it is then the one with
// the lowest funding-ratio vol), the held programme is not asked to
// either, only to beat the recommendation on the objective.
func (out *Programmes) keepOrRebalance(pr *problem, pol *Policy, set *optimize.Settings,
	build func(string, optimize.Result) (Programme, error), qualifies func(optimize.Result, *Programme) bool, recQualifies bool) error {
	// The held programme, trimmed to today's limits at the least bid-ask
	// (position limits, hedge-ratio bands and the budget move with the
	// market, and the optimiser leaves positions at their edges), is the
	// alternative to a rebalance; the trim's cost is charged to it.
	xh, err := optimize.Repair(&pr.p)
	if err != nil {
		out.Decision = "rebalance: the held programme cannot be trimmed to today's limits: " + err.Error()
		return nil
	}
	trimmed := 0
	for j, h := range pr.p.Holdings {
		if xh[j] != h {
			trimmed++
		}
	}
	if why := pr.p.Violation(xh, 1e-6); why != "" {
		out.Decision = "rebalance: the held programme breaks the policy on today's market: " + out.describe(why)
		return nil
	}
	om, err := optimize.Evaluate(&pr.p, xh, set)
	if err != nil {
		return err
	}
	method := "held programme, kept: the best rebalance is not material (Policy.RebalanceMin)"
	if trimmed > 0 {
		method = fmt.Sprintf("held programme, %d positions trimmed to today's limits at the least bid-ask, kept: the best rebalance is not material (Policy.RebalanceMin)", trimmed)
	}
	held, err := build("held", optimize.Result{X: xh, Metrics: om, CostPerYear: pr.p.CostPerYear(xh),
		TradeCost: pr.p.TradeCostOf(xh), Method: method})
	if err != nil {
		return err
	}
	if recQualifies && !qualifies(optimize.Result{X: xh, Metrics: om, CostPerYear: held.CostUSD}, &held) {
		out.Decision = fmt.Sprintf("rebalance: the held programme no longer captures %.0f%% of the robust programme's %s saving "+
			"within budget, or no longer lowers funding-ratio vol", pol.RobustCapture*100, pol.robustWord())
		return nil
	}
	l := out.RecommendedAt
	rec := &out.Recommended
	objH := (1-l)*om.MedianCVaR + l*pol.robustMeasure(om) + held.TradeCostUSD
	objR := (1-l)*rec.Optimiser.MedianCVaR + l*pol.robustMeasure(rec.Optimiser) + rec.TradeCostUSD
	gain := (objH - objR) / math.Abs(objH)
	if gain > pol.RebalanceMin {
		out.Decision = fmt.Sprintf("rebalance: at λ = %.1f it improves on the held programme by %.2f%% net of $%.1fm trading cost (threshold %.2f%%)",
			l, gain*100, rec.TradeCostUSD/1e6, pol.RebalanceMin*100)
		return nil
	}
	held.Name, held.Lambda = "recommended", l
	out.Recommended, out.Kept = held, true
	out.Decision = fmt.Sprintf("keep: the best rebalance (λ = %.1f) improves on the held programme by %.2f%% net of $%.1fm trading cost, under the %.2f%% threshold",
		l, gain*100, rec.TradeCostUSD/1e6, pol.RebalanceMin*100)
	if trimmed > 0 {
		out.Decision += fmt.Sprintf("; %d positions trimmed to today's limits ($%.1fm)", trimmed, held.TradeCostUSD/1e6)
	}
	return nil
}

// describe replaces "instrument j" in an optimize message by the hedge id.
func (out *Programmes) describe(why string) string {
	var j int
	if _, err := fmt.Sscanf(why, "instrument %d:", &j); err == nil && j >= 0 && j < len(out.Hedges) {
		return out.Hedges[j].ID + why[len(fmt.Sprintf("instrument %d", j)):]
	}
	return why
}
