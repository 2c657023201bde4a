package optimize

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
)

// Settings tunes the solvers. The zero value means the documented defaults.
type Settings struct {
	// Alpha is the CVaR confidence level; 0 means 0.95.
	Alpha float64
	// TailShare is the share β of worst scenarios averaged by TailRobust
	// and reported as Metrics.TailCVaR; 0 means 0.10.
	TailShare float64
	// MedianBand is the number of scenarios, centred on the median of the
	// unhedged scenario CVaRs, whose rows are pooled for the median
	// metric; 0 means 1 (the median scenario alone).
	MedianBand int
	// Tol is the relative optimality gap at which the cutting-plane
	// method stops, (UB - LB)/max(|UB|, scale) with scale the RMS of
	// Base; 0 means 1e-6.
	Tol float64
	// MaxIter caps the cutting-plane iterations of one convex solve; 0
	// means 2000.
	MaxIter int
	// Warm seeds the cutting-plane model of a CVaR-family solve with cuts
	// known to be minorants of its objective on this problem: the Pool of
	// an earlier solve of the same objective, Shifted when the P&L moved
	// by a constant per column. Nil starts cold. A wrong pool gives a
	// wrong lower bound: only pass cuts of the same objective.
	Warm *CutPool
	// Start is a point (USD notionals) to start the cutting planes from,
	// such as an earlier solve's Relaxed solution; it is projected onto
	// the feasible set first. Nil starts from the phase-one point.
	Start []float64
	// Cancel, when closed, stops a CVaR-family solve at its next
	// cutting-plane iteration with ErrCanceled: a caller that solved
	// several programmes speculatively drops the ones it no longer needs.
	Cancel <-chan struct{}
}

func (s *Settings) withDefaults() (Settings, error) {
	var v Settings
	if s != nil {
		v = *s
	}
	if v.Alpha == 0 {
		v.Alpha = 0.95
	}
	if !(v.Alpha > 0 && v.Alpha < 1) {
		return v, invalid("Settings.Alpha = %v, want 0 < Alpha < 1", v.Alpha)
	}
	if v.TailShare == 0 {
		v.TailShare = 0.10
	}
	if !(v.TailShare > 0 && v.TailShare <= 1) {
		return v, invalid("Settings.TailShare = %v, want 0 < TailShare <= 1", v.TailShare)
	}
	if v.MedianBand == 0 {
		v.MedianBand = 1
	}
	if v.MedianBand < 0 {
		return v, invalid("Settings.MedianBand = %d, want >= 0", v.MedianBand)
	}
	if v.Tol == 0 {
		v.Tol = 1e-6
	}
	if !(v.Tol > 0 && v.Tol < 1) {
		return v, invalid("Settings.Tol = %v, want 0 < Tol < 1", v.Tol)
	}
	if v.MaxIter == 0 {
		v.MaxIter = 2000
	}
	if v.MaxIter < 0 {
		return v, invalid("Settings.MaxIter = %d, want >= 0", v.MaxIter)
	}
	return v, nil
}

// Metrics are the risk figures of a notional vector.
type Metrics struct {
	// CVaR is the CVaR_α of the hedged loss over all rows, USD.
	CVaR float64
	// WorstCVaR is the largest scenario CVaR_α, USD, reached in
	// WorstScenario.
	WorstCVaR     float64
	WorstScenario int
	// MedianCVaR is the CVaR_α over the rows of the median band
	// (Settings.MedianBand scenarios around the median unhedged scenario
	// CVaR), USD.
	MedianCVaR float64
	// TailCVaR is the mean of the worst share β (Settings.TailShare) of
	// scenario CVaRs (the CVaR across scenarios), USD.
	TailCVaR float64
	// FRVol is the standard deviation of the hedged funded-ratio change
	// (a fraction; population formula over the rows), or 0 without
	// funded-ratio data.
	FRVol float64
	// Cost is Σ_j Cost[j]·|x_j|, USD per year.
	Cost float64
}

// KKT are the Karush-Kuhn-Tucker residuals of a quadratic programme's
// solution, relative to the scale of the data: stationarity of the
// Lagrangian, primal infeasibility, and the complementarity sum Σ slack ×
// multiplier. Multipliers are nonnegative by construction.
type KKT struct {
	Stationarity    float64
	Feasibility     float64
	Complementarity float64
}

// Result is the answer of an optimisation.
type Result struct {
	// X are the notionals in USD, one per instrument.
	X []float64
	// Objective is the minimised objective at X: USD for the CVaR
	// family (with Holdings, CVaR + TradeCost), the variance of the
	// funded-ratio change (a fraction squared) for Variance.
	Objective float64
	// LowerBound is a certified lower bound on the objective over the
	// convex feasible set (without MinTrade and MaxInstruments), from
	// the cutting-plane LP or the QP dual.
	LowerBound float64
	// DualityGap is the certified relative gap of the convex solve,
	// (relaxed objective - LowerBound)/max(|relaxed objective|, scale).
	DualityGap float64
	// Relaxed is the convex solution before MinTrade and MaxInstruments
	// were enforced; nil when they are not set.
	Relaxed []float64
	// IntegralityGap is (Objective - LowerBound)/|LowerBound|, the most
	// the MinTrade/MaxInstruments heuristic can be from the best
	// programme that obeys them; 0 when they are not set.
	IntegralityGap float64
	// CostPerYear is Σ_j Cost[j]·|X_j|, USD per year.
	CostPerYear float64
	// TradeCost is the one-off cost of trading from Problem.Holdings to
	// X, Σ_j TradeCost[j]·|X_j - Holdings[j]| in USD; 0 without Holdings.
	TradeCost float64
	Metrics   Metrics
	// Iterations counts cutting-plane iterations (CVaR family) or
	// interior-point iterations (Variance), over all solves.
	Iterations int
	// KKT holds the residuals of the Variance QP; zero otherwise.
	KKT    KKT
	Method string
	// Pool holds the cuts of the objective found by a CVaR-family solve
	// (with the Warm cuts it started from), to warm-start a later one.
	Pool *CutPool
}

// kind selects a CVaR-family objective.
type kind int

const (
	kindCVaR kind = iota
	kindWorst
	kindTail
	kindMedian
	kindMix
	kindTailMix
)

var methodName = [...]string{
	kindCVaR:    "CVaR: Rockafellar-Uryasev, level bundle cutting planes",
	kindWorst:   "Robust: min max_s CVaR_s, level bundle cutting planes",
	kindTail:    "TailRobust: min CVaR across scenarios of scenario CVaRs, level bundle cutting planes",
	kindMedian:  "Median: min CVaR of the median band, level bundle cutting planes",
	kindMix:     "Frontier: min (1-λ)·median + λ·worst, level bundle cutting planes",
	kindTailMix: "TailFrontier: min (1-λ)·median + λ·tail CVaR across scenarios, level bundle cutting planes",
}

// CVaR minimises the CVaR_α of the hedged loss over all rows.
func CVaR(p *Problem, s *Settings) (Result, error) { return solvePL(p, s, kindCVaR, 0) }

// Robust minimises the worst scenario CVaR_α, max_s CVaR_s(x).
func Robust(p *Problem, s *Settings) (Result, error) { return solvePL(p, s, kindWorst, 1) }

// TailRobust minimises the mean of the worst share β of scenario CVaRs
// (Settings.TailShare, default the worst 10%).
func TailRobust(p *Problem, s *Settings) (Result, error) { return solvePL(p, s, kindTail, 1) }

// Median minimises the CVaR_α over the rows of the median band: the
// Settings.MedianBand scenarios centred on the median of the unhedged
// scenario CVaRs.
func Median(p *Problem, s *Settings) (Result, error) { return solvePL(p, s, kindMedian, 0) }

// Point is one programme on the median-robust frontier.
type Point struct {
	Lambda float64
	Result Result
}

// Frontier minimises (1-λ)·MedianCVaR + λ·WorstCVaR for each λ in lambdas
// (nil means the 11 values 0, 0.1, ..., 1). λ = 0 is the median-optimal
// programme and λ = 1 the robust one.
func Frontier(p *Problem, s *Settings, lambdas []float64) ([]Point, error) {
	return frontier(p, s, lambdas, kindMix)
}

// TailFrontier is Frontier with the tail measure of TailRobust in place of
// the worst case: it minimises (1-λ)·MedianCVaR + λ·TailCVaR. λ = 1 is the
// TailRobust programme.
func TailFrontier(p *Problem, s *Settings, lambdas []float64) ([]Point, error) {
	return frontier(p, s, lambdas, kindTailMix)
}

func frontier(p *Problem, s *Settings, lambdas []float64, k kind) ([]Point, error) {
	if lambdas == nil {
		for i := 0; i <= 10; i++ {
			lambdas = append(lambdas, float64(i)/10)
		}
	}
	for i, l := range lambdas {
		if !(l >= 0 && l <= 1) {
			return nil, invalid("lambdas[%d] = %v, want 0 <= λ <= 1", i, l)
		}
	}
	pts := make([]Point, 0, len(lambdas))
	for _, l := range lambdas {
		r, err := solvePL(p, s, k, l)
		if err != nil {
			return pts, err
		}
		pts = append(pts, Point{Lambda: l, Result: r})
	}
	return pts, nil
}

// Robustness is the cost of robustness in figures: what the robust
// programme gives up in the median scenario and pays extra, against what it
// saves in the tail, all in USD (cost in USD per year).
type Robustness struct {
	// MedianGivenUp is robust minus median-optimal MedianCVaR.
	MedianGivenUp float64
	// ExtraCost is robust minus median-optimal CostPerYear.
	ExtraCost float64
	// WorstSaved is median-optimal minus robust WorstCVaR.
	WorstSaved float64
	// TailSaved is median-optimal minus robust TailCVaR.
	TailSaved float64
	// Efficiency is WorstSaved / (MedianGivenUp + ExtraCost), the tail
	// saved per USD given up; +Inf when nothing is given up and the tail
	// improves, 0 when the tail does not improve.
	Efficiency float64
	// TailEfficiency is Efficiency with TailSaved.
	TailEfficiency float64
}

// CostOfRobustness compares a median-optimal and a robust result.
func CostOfRobustness(median, robust Result) Robustness {
	r := Robustness{
		MedianGivenUp: robust.Metrics.MedianCVaR - median.Metrics.MedianCVaR,
		ExtraCost:     robust.CostPerYear - median.CostPerYear,
		WorstSaved:    median.Metrics.WorstCVaR - robust.Metrics.WorstCVaR,
		TailSaved:     median.Metrics.TailCVaR - robust.Metrics.TailCVaR,
	}
	given := r.MedianGivenUp + r.ExtraCost
	eff := func(saved float64) float64 {
		switch {
		case saved <= 0:
			return 0
		case given <= 0:
			return math.Inf(1)
		}
		return saved / given
	}
	r.Efficiency, r.TailEfficiency = eff(r.WorstSaved), eff(r.TailSaved)
	return r
}

// Evaluate returns the metrics of the notionals x (USD).
func Evaluate(p *Problem, x []float64, s *Settings) (Metrics, error) {
	e, err := NewEvaluator(p, s)
	if err != nil {
		return Metrics{}, err
	}
	return e.Evaluate(x)
}

// Evaluator gives the metrics of many sets of notionals on one problem. It
// checks the problem and groups its rows by scenario once, where Evaluate
// does both at every call: the P&L matrix of the default run has 8 million
// entries, and an agent weighing alternatives evaluates dozens. The
// problem must not change while the Evaluator is in use. Safe for
// concurrent use: each Evaluate works on scratch of its own.
type Evaluator struct {
	sm      *sample // read-only here: Evaluate works on a copy's scratch
	med     []int32
	beta    float64
	scratch sync.Pool
}

// NewEvaluator checks p and prepares its evaluation under s.
func NewEvaluator(p *Problem, s *Settings) (*Evaluator, error) {
	set, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := p.validate(true, false); err != nil {
		return nil, err
	}
	sm := newSample(p, set.Alpha)
	med, _ := sm.medianRows(set.MedianBand)
	return &Evaluator{sm: sm, med: med, beta: set.TailShare}, nil
}

// Evaluate returns the metrics of the notionals x (USD).
func (e *Evaluator) Evaluate(x []float64) (Metrics, error) {
	if len(x) != e.sm.m {
		return Metrics{}, invalid("x has %d entries, want len(Cost) = %d", len(x), e.sm.m)
	}
	if err := checkFinite("x", x); err != nil {
		return Metrics{}, err
	}
	sm, _ := e.scratch.Get().(*sample)
	if sm == nil {
		sm = e.sm.withScratch()
	}
	defer e.scratch.Put(sm)
	return sm.metrics(x, e.med, e.beta), nil
}

// metrics computes the Metrics of x.
func (sm *sample) metrics(x []float64, med []int32, beta float64) Metrics {
	p := sm.p
	var mt Metrics
	sm.losses(x)
	mt.CVaR = sm.rowsCVaR(sm.order, nil, nil, 0)
	mt.MedianCVaR = sm.rowsCVaR(med, nil, nil, 0)
	vals := sm.scenarioCVaRs()
	mt.WorstCVaR = math.Inf(-1)
	nsc := 0
	for s, v := range vals {
		if len(sm.rows(s)) == 0 {
			continue
		}
		if v > mt.WorstCVaR {
			mt.WorstCVaR, mt.WorstScenario = v, s
		}
		sm.sidx[nsc] = int32(s)
		nsc++
	}
	mt.TailCVaR, _ = tail(vals, sm.sidx[:nsc], 1-beta, sm.sw)
	mt.Cost = p.CostPerYear(x)
	if len(p.FRBase) > 1 {
		mt.FRVol = frVol(p, x)
	}
	return mt
}

// frVol is the population standard deviation of FRBase + FRPnL·x.
func frVol(p *Problem, x []float64) float64 {
	m := p.M()
	n := len(p.FRBase)
	mean := 0.0
	for r := 0; r < n; r++ {
		mean += p.FRBase[r] + dot(p.FRPnL[r*m:(r+1)*m], x)
	}
	mean /= float64(n)
	v := 0.0
	for r := 0; r < n; r++ {
		d := p.FRBase[r] + dot(p.FRPnL[r*m:(r+1)*m], x) - mean
		v += d * d
	}
	return math.Sqrt(v / float64(n))
}

const extraCuts = 8

// warmMaxIter caps the cutting-plane iterations of a warm-started relaxed
// solve before it restarts cold (cold solves take 15 to 60 here).
const warmMaxIter = 150

// solvePL runs a CVaR-family objective through the level bundle method and
// the MinTrade/MaxInstruments heuristic.
func solvePL(p *Problem, s *Settings, k kind, lambda float64) (Result, error) {
	set, err := s.withDefaults()
	if err != nil {
		return Result{}, err
	}
	if err := p.validate(true, false); err != nil {
		return Result{}, err
	}
	m := p.M()
	sm := newSample(p, set.Alpha)
	med, _ := sm.medianRows(set.MedianBand)
	var ob objective
	switch k {
	case kindCVaR:
		ob = &rowsObj{sm: sm, rows: sm.order, all: true}
	case kindMedian:
		ob = &rowsObj{sm: sm, rows: med}
	case kindWorst, kindMix:
		extra := extraCuts
		if lambda == 0 {
			extra = 0
		}
		ob = &worstObj{sm: sm, lambda: lambda, med: med, extra: extra}
	case kindTail, kindTailMix:
		ob = &tailObj{sm: sm, beta: set.TailShare, lambda: lambda, med: med}
	}
	fscale := 0.0
	for _, b := range p.Base {
		fscale += b * b
	}
	fscale = math.Sqrt(fscale / float64(len(p.Base)))
	if !(fscale > 0) {
		fscale = 1
	}
	bs := bundleSettings{tol: set.Tol, maxIter: set.MaxIter, fscale: fscale, cancel: set.Cancel}
	var w ipm
	iters := 0
	var seed *CutPool
	if set.Warm != nil {
		if set.Warm.M != m || len(set.Warm.G) != len(set.Warm.C0)*m {
			return Result{}, invalid("Settings.Warm holds cuts in %d instruments, the problem has %d", set.Warm.M, m)
		}
		if err := checkFinite("Settings.Warm", append(append([]float64(nil), set.Warm.C0...), set.Warm.G...)); err != nil {
			return Result{}, err
		}
		seed = set.Warm
	}
	// active receives the cuts binding at the end of the relaxed solve:
	// they seed the refits below, and a later warm start (Result.Pool).
	var active *CutPool
	if set.Start != nil {
		if len(set.Start) != m {
			return Result{}, invalid("Settings.Start has %d notionals, the problem %d", len(set.Start), m)
		}
		if err := checkFinite("Settings.Start", set.Start); err != nil {
			return Result{}, err
		}
	}
	start := set.Start
	fit := func(lo, hi []float64) (bundleResult, error) {
		md, err := newModel(p, lo, hi)
		if err != nil {
			return bundleResult{}, err
		}
		r, err := level(md, ob, bs, &w, seed, start, active)
		iters += r.iters
		return r, err
	}
	lo, hi := make([]float64, m), make([]float64, m)
	for j := 0; j < m; j++ {
		lo[j], hi[j] = p.effBounds(j)
	}
	warm := seed.Len() > 0 || start != nil
	if warm {
		// A warm start that does not converge quickly is dropped for a
		// cold one: the level method can stall on an unlucky cut set.
		bs.maxIter = min(set.MaxIter, warmMaxIter)
	}
	active = &CutPool{M: m}
	rel, err := fit(lo, hi)
	if errors.Is(err, ErrCanceled) {
		return Result{}, err
	}
	if warm && errors.Is(err, ErrNotConverged) {
		seed, start, bs.maxIter = nil, nil, set.MaxIter
		active = &CutPool{M: m}
		rel, err = fit(lo, hi)
	}
	bs.maxIter = set.MaxIter
	pool := active
	seed, active = pool, nil // the refits start from the relaxed solve's binding cuts
	if err != nil && !errors.Is(err, ErrNotConverged) {
		return Result{}, err
	}
	start = rel.x // the refits below start from the relaxed solution
	convErr := err
	res := Result{
		X:          rel.x,
		Objective:  rel.f,
		LowerBound: rel.lb,
		DualityGap: (rel.f - rel.lb) / math.Max(fscale, math.Abs(rel.f)),
		Method:     methodName[k],
	}
	if p.MinTrade > 0 || p.MaxInstruments > 0 {
		sigma := pnlScale(p.PnL, m, p.Shift)
		x, f, err := enforce(p, rel.x, rel.f, sigma, lo, hi, func(lo, hi []float64) ([]float64, float64, error) {
			r, err := fit(lo, hi)
			if errors.Is(err, ErrCanceled) {
				return nil, 0, err
			}
			if err != nil && !errors.Is(err, ErrNotConverged) {
				return nil, 0, err
			}
			return r.x, r.f, nil
		})
		if err != nil {
			return Result{}, err
		}
		res.Relaxed = rel.x
		res.X, res.Objective = x, f
		res.IntegralityGap = (f - rel.lb) / math.Max(math.Abs(rel.lb), 1e-12*fscale)
		res.Method += "; MinTrade/MaxInstruments by greedy drop-and-refit"
	}
	res.Iterations = iters
	res.Pool = pool
	res.CostPerYear = p.CostPerYear(res.X)
	res.TradeCost = p.TradeCostOf(res.X)
	res.Metrics = sm.metrics(res.X, med, set.TailShare)
	return res, convErr
}

// pnlScale returns the root mean square of each column of the row-major
// N×m matrix a less shift (nil: none), the size of one USD of notional in
// P&L terms.
func pnlScale(a []float64, m int, shift []float64) []float64 {
	s := make([]float64, m)
	sh := shift
	if sh == nil {
		sh = make([]float64, m)
	}
	n := len(a) / m
	for r := 0; r < n; r++ {
		row := a[r*m : (r+1)*m]
		for j, v := range row {
			d := v - sh[j]
			s[j] += d * d
		}
	}
	for j := range s {
		s[j] = math.Sqrt(s[j] / float64(max(n, 1)))
	}
	return s
}

// Repair returns the notionals nearest to p.Holdings in trading cost that
// meet the bounds, the linear constraints and the budget: the least
// T(x) = Σ_j TradeCost[j]·|x_j - Holdings[j]| over the convex feasible set,
// an LP. It trims a held programme to today's limits (position limits,
// hedge-ratio bands and the budget move with the market) at the least
// bid-ask; an instrument without a trading cost is charged a hundredth of
// a basis point, so that it too moves only if it must. It trims with the
// instruments held when it can, and adds others only when they cannot
// (a currency whose exposure became material, say). A position the trim
// leaves under MinTrade is closed when the others can still meet the
// limits without it (it would otherwise force a rebalance for the sake of
// a few dollars), and beyond MaxInstruments lines the smallest the limits
// can do without are closed one by one: a heuristic, not the least-cost
// closure, which is combinatorial. Check the answer with Violation.
func Repair(p *Problem) ([]float64, error) {
	if err := p.validate(true, false); err != nil {
		return nil, err
	}
	if p.Holdings == nil {
		return nil, invalid("Repair needs Holdings and TradeCost")
	}
	q := p.withBounds()
	for j, h := range p.Holdings {
		if h == 0 {
			q.Lower[j], q.Upper[j] = 0, 0
		}
	}
	x, err := repair(q)
	if err != nil {
		q = p.withBounds()
		if x, err = repair(q); err != nil {
			return nil, err
		}
	}
	// Close what the trim left under the minimum trade (all at once), and
	// while there are more lines than MaxInstruments the smallest line
	// the limits can do without, re-trimming after each; a closure the
	// limits refuse is not made, and Violation then reports the rule.
	closable := func(j int) bool { return x[j] != 0 && q.Lower[j] <= 0 && q.Upper[j] >= 0 }
	try := func(js []int) bool {
		r := q.withBounds()
		for _, j := range js {
			r.Lower[j], r.Upper[j] = 0, 0
		}
		y, err := repair(r)
		if err != nil {
			return false
		}
		q, x = r, y
		return true
	}
	for range 2 * p.M() {
		var dust []int
		for j, v := range x {
			if closable(j) && math.Abs(v) < p.MinTrade {
				dust = append(dust, j)
			}
		}
		if len(dust) > 0 && try(dust) {
			continue
		}
		if p.MaxInstruments == 0 || nonzero(x) <= p.MaxInstruments {
			break
		}
		var lines []int
		for j := range x {
			if closable(j) {
				lines = append(lines, j)
			}
		}
		slices.SortFunc(lines, func(a, b int) int { return cmp.Compare(math.Abs(x[a]), math.Abs(x[b])) })
		closed := false
		for _, j := range lines {
			if closed = try([]int{j}); closed {
				break
			}
		}
		if !closed {
			break
		}
	}
	return x, nil
}

// nonzero counts the nonzero entries of x.
func nonzero(x []float64) int {
	n := 0
	for _, v := range x {
		if v != 0 {
			n++
		}
	}
	return n
}

// withBounds is a copy of p with its own Lower and Upper, filled in.
func (p *Problem) withBounds() *Problem {
	q := *p
	q.Lower, q.Upper = make([]float64, p.M()), make([]float64, p.M())
	for j := range q.Lower {
		q.Lower[j], q.Upper[j] = p.lower(j), p.upper(j)
	}
	return &q
}

func repair(p *Problem) ([]float64, error) {
	q := *p
	q.TradeCost = make([]float64, p.M())
	for j, c := range p.TradeCost {
		q.TradeCost[j] = math.Max(c, 1e-6)
	}
	m := q.M()
	lo, hi := make([]float64, m), make([]float64, m)
	for j := range m {
		lo[j], hi[j] = q.effBounds(j)
	}
	md, err := newModel(&q, lo, hi)
	if err != nil {
		return nil, err
	}
	x := make([]float64, m)
	n := md.n
	if n == 0 {
		md.toX(nil, x)
		return x, nil
	}
	lp := &qp{n: n, c: make([]float64, n), l: md.l, u: md.u, G: md.G, h: md.h, E: md.E, f: md.f}
	copy(lp.c, md.lin)
	copy(lp.c[md.ny:], md.tc)
	if s := normInf(lp.c); s > 0 {
		for k := range lp.c {
			lp.c[k] /= s
		}
	}
	var w ipm
	if err := w.solve(lp, 1e-10, 200); err != nil {
		return nil, fmt.Errorf("%w: no programme meets the bounds, constraints and budget near the holdings: %v", ErrInfeasible, err)
	}
	md.toX(w.y[:n], x)
	// The interior point stops a hair from the vertex: what it left of a
	// trade of nothing is nothing, and what it left of a closed position
	// (a few dollars of a billion) is nothing.
	for j := range x {
		tol := 1e-7 * math.Max(hi[j]-lo[j], math.Abs(p.Holdings[j]))
		switch {
		case math.Abs(x[j]-p.Holdings[j]) <= tol:
			x[j] = p.Holdings[j]
		case math.Abs(x[j]) <= tol && lo[j] <= 0 && hi[j] >= 0:
			x[j] = 0
		}
	}
	return x, nil
}
