package optimize

import (
	"errors"
	"math"
	"sort"
	"testing"

	"github.com/hedgeflow/hedgeflow/pricing/risk"
)

// The cutting-plane optimum agrees with the Rockafellar-Uryasev LP solved by
// gonum's simplex (an independent solver) on random problems with bounds,
// a budget and a two-sided group constraint. Tolerance: 1e-6 of the RMS
// loss, looser than Settings.Tol = 1e-9 to allow for the simplex's own
// tolerance 1e-10 on the unscaled data.
func TestCVaRMatchesSimplex(t *testing.T) {
	for seed := uint64(1); seed <= 6; seed++ {
		p := simplexCase(seed)
		want, _ := ruLP(t, p, 0.95)
		got, err := CVaR(p, &Settings{Tol: 1e-9})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		scale := 3e7
		if !close(got.Objective, want, 1e-6*scale, 0) {
			t.Errorf("seed %d: CVaR %v, simplex %v (diff %.3g)", seed, got.Objective, want, got.Objective-want)
		}
		if got.LowerBound > want+1e-6*scale {
			t.Errorf("seed %d: lower bound %v above the LP optimum %v", seed, got.LowerBound, want)
		}
		if got.DualityGap > 1e-8 || got.DualityGap < -1e-12 {
			t.Errorf("seed %d: duality gap %v", seed, got.DualityGap)
		}
		if p.hasBudget() && got.CostPerYear > p.Budget*(1+1e-7) {
			t.Errorf("seed %d: cost %v over budget %v", seed, got.CostPerYear, p.Budget)
		}
		for _, c := range p.Constraints {
			v := dot(c.A, got.X)
			if v < c.Lo-1e-6*c.Hi || v > c.Hi*(1+1e-7) {
				t.Errorf("seed %d: constraint %s = %v outside [%v, %v]", seed, c.Name, v, c.Lo, c.Hi)
			}
		}
	}
}

// The CVaR of the sample agrees with pricing/risk's Acerbi-Tasche estimator
// (same definition) to 1e-9 relative.
func TestCVaRMatchesRiskPackage(t *testing.T) {
	p := randProblem(3, 3, 37, 2)
	x := []float64{1e8, -5e7}
	mt, err := Evaluate(p, x, nil)
	if err != nil {
		t.Fatal(err)
	}
	loss := make([]float64, len(p.Base))
	for r := range loss {
		loss[r] = p.Base[r] - dot(p.PnL[r*2:r*2+2], x)
	}
	sort.Float64s(loss)
	want := risk.CVaR(loss, 0.95)
	if !close(mt.CVaR, want, 0, 1e-9) {
		t.Fatalf("CVaR %v, risk.CVaR %v", mt.CVaR, want)
	}
}

// Exhaustive search: with two instruments the CVaR on a 201×201 grid of
// the box never beats the solver's optimum, and the best grid value is
// within the grid's resolution of it (the CVaR is Lipschitz with constant
// max_r |PnL_r|·step).
func TestCVaRGridSearch(t *testing.T) {
	p := randProblem(11, 5, 20, 2)
	p.Lower = []float64{-2e8, -2e8}
	p.Upper = []float64{2e8, 2e8}
	res, err := CVaR(p, &Settings{Tol: 1e-10})
	if err != nil {
		t.Fatal(err)
	}
	const k = 200
	step := 4e8 / k
	best := math.Inf(1)
	lip := 0.0
	for r := range p.Base {
		lip = math.Max(lip, math.Abs(p.PnL[2*r])+math.Abs(p.PnL[2*r+1]))
	}
	x := make([]float64, 2)
	for a := 0; a <= k; a++ {
		for b := 0; b <= k; b++ {
			x[0], x[1] = -2e8+float64(a)*step, -2e8+float64(b)*step
			mt, _ := Evaluate(p, x, nil)
			if mt.CVaR < res.Objective-1e-6 {
				t.Fatalf("grid point %v has CVaR %v below the optimum %v", x, mt.CVaR, res.Objective)
			}
			best = math.Min(best, mt.CVaR)
		}
	}
	if best-res.Objective > lip*step/2 {
		t.Errorf("best grid CVaR %v, optimum %v: farther than the grid resolution %v", best, res.Objective, lip*step/2)
	}
}

// Closed form: one instrument whose P&L equals the base loss and costs
// nothing hedges fully (x = 1 USD per USD of loss), leaving zero loss.
func TestCVaRPerfectHedge(t *testing.T) {
	p := randProblem(5, 2, 50, 1)
	for r := range p.Base {
		p.PnL[r] = p.Base[r] / 1e8
	}
	p.Cost = []float64{0}
	p.Lower, p.Upper = []float64{0}, []float64{5e8}
	res, err := CVaR(p, &Settings{Tol: 1e-10})
	if err != nil {
		t.Fatal(err)
	}
	if !close(res.X[0], 1e8, 0, 1e-7) || math.Abs(res.Objective) > 1e-8*3e7 {
		t.Fatalf("x = %v, CVaR = %v; want 1e8 and 0", res.X[0], res.Objective)
	}
}

func TestCVaRInvalid(t *testing.T) {
	good := func() *Problem { return randProblem(1, 2, 10, 2) }
	cases := map[string]func(p *Problem){
		"NaN base":       func(p *Problem) { p.Base[3] = math.NaN() },
		"negative cost":  func(p *Problem) { p.Cost[1] = -1 },
		"budget":         func(p *Problem) { p.Budget = -1 },
		"pnl shape":      func(p *Problem) { p.PnL = p.PnL[:5] },
		"constraint len": func(p *Problem) { p.Constraints = []Constraint{{A: []float64{1}, Lo: 0, Hi: 1}} },
		"unbounded":      func(p *Problem) { p.Upper = nil },
		"scenario":       func(p *Problem) { p.Scenario[0] = -2 },
		"min trade":      func(p *Problem) { p.MinTrade = math.Inf(1) },
	}
	for name, mod := range cases {
		p := good()
		mod(p)
		if _, err := CVaR(p, nil); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: error %v, want ErrInvalid", name, err)
		}
	}
	if _, err := CVaR(good(), &Settings{Alpha: 1.5}); !errors.Is(err, ErrInvalid) {
		t.Errorf("alpha 1.5: error %v, want ErrInvalid", err)
	}
	inf := map[string]func(p *Problem){
		"bounds":      func(p *Problem) { p.Lower[0], p.Upper[0] = 1, 0 },
		"constraints": func(p *Problem) { p.Constraints = []Constraint{{Name: "sum", A: []float64{1, 1}, Lo: 2e9, Hi: 3e9}} },
		"budget":      func(p *Problem) { p.Budget = 1e3; p.Lower[0] = 4e8 },
		"lo>hi":       func(p *Problem) { p.Constraints = []Constraint{{A: []float64{1, 0}, Lo: 2, Hi: 1}} },
	}
	for name, mod := range inf {
		p := good()
		mod(p)
		if _, err := CVaR(p, nil); !errors.Is(err, ErrInfeasible) {
			t.Errorf("%s: error %v, want ErrInfeasible", name, err)
		}
	}
}
