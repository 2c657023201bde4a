package optimize

import (
	"math"
	"testing"
)

// gridCheck evaluates metric on a (k+1)×(k+1) grid over the box [-B, B]² of
// a two-instrument problem and checks that no grid point beats opt by
// more than 1e-9 of its size (the solver was asked for Tol = 1e-10), and that the best grid point is within the grid
// resolution (Lipschitz constant × half a step) of opt.
func gridCheck(t *testing.T, name string, p *Problem, s *Settings, opt float64, metric func(Metrics) float64) {
	t.Helper()
	const k = 120
	B := p.Upper[0]
	step := 2 * B / k
	lip := 0.0
	for r := range p.Base {
		lip = math.Max(lip, math.Abs(p.PnL[2*r])+math.Abs(p.PnL[2*r+1]))
	}
	best := math.Inf(1)
	x := make([]float64, 2)
	for a := 0; a <= k; a++ {
		for b := 0; b <= k; b++ {
			x[0], x[1] = -B+float64(a)*step, -B+float64(b)*step
			mt, err := Evaluate(p, x, s)
			if err != nil {
				t.Fatal(err)
			}
			v := metric(mt)
			if v < opt-1e-9*math.Abs(opt)-1e-6 {
				t.Fatalf("%s: grid point %v gives %v below the optimum %v", name, x, v, opt)
			}
			best = math.Min(best, v)
		}
	}
	if best-opt > lip*step/2 {
		t.Errorf("%s: best grid value %v, optimum %v: farther than the resolution %v", name, best, opt, lip*step/2)
	}
}

func twoInstruments(seed uint64) *Problem {
	p := randProblem(seed, 9, 20, 2)
	p.Lower = []float64{-2e8, -2e8}
	p.Upper = []float64{2e8, 2e8}
	return p
}

// Exhaustive search on a fine grid for every scenario-based objective
// (robust minimax, CVaR across scenarios, median band, a frontier point).
func TestScenarioObjectivesGrid(t *testing.T) {
	s := &Settings{Tol: 1e-10, TailShare: 0.3, MedianBand: 3}
	p := twoInstruments(21)
	rob, err := Robust(p, s)
	if err != nil {
		t.Fatal(err)
	}
	gridCheck(t, "robust", p, s, rob.Objective, func(m Metrics) float64 { return m.WorstCVaR })
	tr, err := TailRobust(p, s)
	if err != nil {
		t.Fatal(err)
	}
	gridCheck(t, "tail", p, s, tr.Objective, func(m Metrics) float64 { return m.TailCVaR })
	med, err := Median(p, s)
	if err != nil {
		t.Fatal(err)
	}
	gridCheck(t, "median", p, s, med.Objective, func(m Metrics) float64 { return m.MedianCVaR })
	pts, err := Frontier(p, s, []float64{0.4})
	if err != nil {
		t.Fatal(err)
	}
	gridCheck(t, "frontier 0.4", p, s, pts[0].Result.Objective, func(m Metrics) float64 { return 0.6*m.MedianCVaR + 0.4*m.WorstCVaR })
	tpts, err := TailFrontier(p, s, []float64{0.3})
	if err != nil {
		t.Fatal(err)
	}
	gridCheck(t, "tail frontier 0.3", p, s, tpts[0].Result.Objective, func(m Metrics) float64 { return 0.7*m.MedianCVaR + 0.3*m.TailCVaR })
	for _, r := range []Result{rob, tr, med, pts[0].Result, tpts[0].Result} {
		if r.DualityGap > 1e-9 || r.LowerBound > r.Objective+1e-6 {
			t.Errorf("%s: gap %v, bound %v, objective %v", r.Method, r.DualityGap, r.LowerBound, r.Objective)
		}
	}
}

// The frontier runs from the median-optimal to the robust programme: its
// ends agree with Median and Robust, the worst-case metric falls and the
// median metric rises with λ (a property of exact weighted-sum
// scalarisation, checked to 1e-6 of the loss scale), and the cost of
// robustness has the signs it must have.
func TestFrontier(t *testing.T) {
	p := randProblem(8, 30, 40, 4)
	p.Budget = 2e6
	s := &Settings{Tol: 1e-9}
	pts, err := Frontier(p, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 11 {
		t.Fatalf("%d points, want 11", len(pts))
	}
	med, err := Median(p, s)
	if err != nil {
		t.Fatal(err)
	}
	rob, err := Robust(p, s)
	if err != nil {
		t.Fatal(err)
	}
	tol := 1e-6 * 3e7
	if !close(pts[0].Result.Metrics.MedianCVaR, med.Objective, tol, 0) {
		t.Errorf("λ=0: median %v, Median %v", pts[0].Result.Metrics.MedianCVaR, med.Objective)
	}
	if !close(pts[10].Result.Metrics.WorstCVaR, rob.Objective, tol, 0) {
		t.Errorf("λ=1: worst %v, Robust %v", pts[10].Result.Metrics.WorstCVaR, rob.Objective)
	}
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1].Result.Metrics, pts[i].Result.Metrics
		if b.WorstCVaR > a.WorstCVaR+tol || b.MedianCVaR < a.MedianCVaR-tol {
			t.Errorf("λ %v→%v: worst %v→%v, median %v→%v", pts[i-1].Lambda, pts[i].Lambda, a.WorstCVaR, b.WorstCVaR, a.MedianCVaR, b.MedianCVaR)
		}
		if b.Cost > p.Budget*(1+1e-7) {
			t.Errorf("λ %v: cost %v over budget", pts[i].Lambda, b.Cost)
		}
	}
	c := CostOfRobustness(med, rob)
	if c.MedianGivenUp < -tol || c.WorstSaved < -tol {
		t.Errorf("cost of robustness %+v: negative give-up or saving", c)
	}
	if c.WorstSaved > tol && !(c.Efficiency > 0) {
		t.Errorf("efficiency %v with saving %v", c.Efficiency, c.WorstSaved)
	}
}

// The median objective is the CVaR of the median band's rows alone.
func TestMedianIsCVaROfBand(t *testing.T) {
	p := randProblem(13, 7, 30, 3)
	s := &Settings{Tol: 1e-9, MedianBand: 3}
	med, err := Median(p, s)
	if err != nil {
		t.Fatal(err)
	}
	sm := newSample(p, 0.95)
	rows, scen := sm.medianRows(3)
	if len(scen) != 3 {
		t.Fatalf("band %v", scen)
	}
	sub := *p
	sub.Base = make([]float64, len(rows))
	sub.PnL = make([]float64, len(rows)*3)
	sub.Scenario = nil
	for i, r := range rows {
		sub.Base[i] = p.Base[r]
		copy(sub.PnL[i*3:], p.PnL[int(r)*3:int(r)*3+3])
	}
	want, _ := ruLP(t, &sub, 0.95)
	if !close(med.Objective, want, 1e-6*3e7, 0) {
		t.Errorf("median %v, simplex on the band's rows %v", med.Objective, want)
	}
}

// The tail frontier runs from the median-optimal to the TailRobust
// programme, the tail measure falling and the median one rising with λ,
// and the cost of robustness measured in the tail has the right signs.
func TestTailFrontier(t *testing.T) {
	p := randProblem(8, 30, 40, 4)
	p.Budget = 2e6
	s := &Settings{Tol: 1e-9, TailShare: 0.2}
	pts, err := TailFrontier(p, s, []float64{0, 0.25, 0.5, 0.75, 1})
	if err != nil {
		t.Fatal(err)
	}
	med, err := Median(p, s)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := TailRobust(p, s)
	if err != nil {
		t.Fatal(err)
	}
	tol := 1e-6 * 3e7
	if !close(pts[0].Result.Metrics.MedianCVaR, med.Objective, tol, 0) {
		t.Errorf("λ=0: median %v, Median %v", pts[0].Result.Metrics.MedianCVaR, med.Objective)
	}
	if !close(pts[4].Result.Metrics.TailCVaR, tr.Objective, tol, 0) || !close(pts[4].Result.Objective, tr.Objective, tol, 0) {
		t.Errorf("λ=1: tail %v (objective %v), TailRobust %v", pts[4].Result.Metrics.TailCVaR, pts[4].Result.Objective, tr.Objective)
	}
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1].Result.Metrics, pts[i].Result.Metrics
		if b.TailCVaR > a.TailCVaR+tol || b.MedianCVaR < a.MedianCVaR-tol {
			t.Errorf("λ %v→%v: tail %v→%v, median %v→%v", pts[i-1].Lambda, pts[i].Lambda, a.TailCVaR, b.TailCVaR, a.MedianCVaR, b.MedianCVaR)
		}
	}
	if pts[4].Result.Metrics.TailCVaR >= pts[0].Result.Metrics.TailCVaR-tol {
		t.Errorf("the tail measure does not fall along the frontier: %v to %v", pts[0].Result.Metrics.TailCVaR, pts[4].Result.Metrics.TailCVaR)
	}
	c := CostOfRobustness(med, tr)
	if c.TailSaved < -tol || !(c.TailEfficiency > 0) {
		t.Errorf("cost of robustness in the tail %+v", c)
	}
}
