package optimize

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

// The greedy drop-and-refit answer obeys MinTrade and MaxInstruments, its
// objective lies above the relaxed lower bound, and an exhaustive search
// over every support and sign pattern (3^4 = 81 convex problems, each
// solved to Tol 1e-9) finds nothing below the relaxed bound and nothing
// the reported IntegralityGap does not cover.
func TestMinTradeCardinalityExhaustive(t *testing.T) {
	p := randProblem(17, 6, 25, 4)
	p.MinTrade = 1.2e8
	p.MaxInstruments = 2
	s := &Settings{Tol: 1e-9}
	res, err := CVaR(p, s)
	if err != nil {
		t.Fatal(err)
	}
	nz := 0
	for j, v := range res.X {
		if v != 0 {
			nz++
			if math.Abs(v) < p.MinTrade*(1-1e-9) {
				t.Errorf("x[%d] = %v below MinTrade", j, v)
			}
		}
	}
	if nz > p.MaxInstruments {
		t.Errorf("%d instruments, cap %d", nz, p.MaxInstruments)
	}
	if res.Objective < res.LowerBound-1e-6 || res.IntegralityGap < 0 {
		t.Errorf("objective %v, bound %v, gap %v", res.Objective, res.LowerBound, res.IntegralityGap)
	}
	// Exhaustive: each instrument 0, >= MinTrade or <= -MinTrade.
	m := p.M()
	best := math.Inf(1)
	pattern := make([]int, m)
	for code := 0; code < 81; code++ {
		c := code
		active := 0
		for j := 0; j < m; j++ {
			pattern[j] = c % 3
			c /= 3
			if pattern[j] != 0 {
				active++
			}
		}
		if active > p.MaxInstruments {
			continue
		}
		q := *p
		q.MinTrade, q.MaxInstruments = 0, 0
		q.Lower = append([]float64(nil), p.Lower...)
		q.Upper = append([]float64(nil), p.Upper...)
		for j := 0; j < m; j++ {
			switch pattern[j] {
			case 0:
				q.Lower[j], q.Upper[j] = 0, 0
			case 1:
				q.Lower[j] = p.MinTrade
			case 2:
				q.Upper[j] = -p.MinTrade
			}
		}
		r, err := CVaR(&q, s)
		if errors.Is(err, ErrInfeasible) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		best = math.Min(best, r.Objective)
	}
	if best < res.LowerBound-1e-6*3e7 {
		t.Errorf("exhaustive optimum %v below the relaxed bound %v", best, res.LowerBound)
	}
	if res.Objective < best-1e-6*3e7 {
		t.Errorf("heuristic %v below the exhaustive optimum %v", res.Objective, best)
	}
	t.Logf("relaxed %v, heuristic %v (gap %.3g), exhaustive %v", res.LowerBound, res.Objective, res.IntegralityGap, best)
}

// A prohibited instrument (bounds 0) stays at zero and the others absorb
// the hedge.
func TestProhibited(t *testing.T) {
	p := randProblem(4, 4, 30, 3)
	p.Lower[1], p.Upper[1] = 0, 0
	res, err := CVaR(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.X[1] != 0 {
		t.Errorf("prohibited instrument traded %v", res.X[1])
	}
}

// Six bands, each of one cheap instrument and four dear ones, where only
// the cheap ones fit the budget: the relaxed solution holds every
// instrument, the cheap ones smallest. Dropping to the cap of 8 in one go
// drops every cheap one, and a backtrack that keeps the largest dropped
// position keeps dear ones that do not help, until more than the cap are
// kept. enforce then drops one instrument at a time, so that a failed
// refit names the instrument it needs: it keeps the six cheap ones and
// meets the cap. The refit here is a stand-in for the convex solve (a
// programme is feasible when every band still has its cheap instrument).
func TestCardinalityBacktrackKeepsWhatRestoresFeasibility(t *testing.T) {
	const bands, per, cap = 6, 5, 8
	m := bands * per
	p := &Problem{Cost: make([]float64, m), MaxInstruments: cap}
	cheap := func(j int) bool { return j%per == 0 }
	for b := range bands {
		a := make([]float64, m)
		for i := range per {
			a[b*per+i] = 1
		}
		p.Constraints = append(p.Constraints, Constraint{Name: fmt.Sprint("band ", b), A: a, Lo: 1, Hi: 100})
	}
	lo0, hi0 := make([]float64, m), make([]float64, m)
	x0, sigma := make([]float64, m), make([]float64, m)
	for j := range m {
		hi0[j] = 10
		x0[j] = 1
		sigma[j] = 2 + float64(j%per) + 0.01*float64(j) // dear ones larger
		if cheap(j) {
			sigma[j] = 0.1 + 0.01*float64(j)
		}
	}
	fits := 0
	fit := func(lo, hi []float64) ([]float64, float64, error) {
		fits++
		for b := range bands {
			if hi[b*per] <= 0 {
				return nil, 0, fmt.Errorf("%w: band %d over budget without its cheap instrument", ErrInfeasible, b)
			}
		}
		x := make([]float64, m)
		for j := range m {
			x[j] = math.Min(math.Max(1, lo[j]), hi[j])
		}
		return x, 0, nil
	}
	x, _, err := enforce(p, x0, 0, sigma, lo0, hi0, fit)
	if err != nil {
		t.Fatalf("enforce: %v (after %d refits)", err, fits)
	}
	nz := 0
	for j, v := range x {
		if v != 0 {
			nz++
		}
		if cheap(j) && v == 0 {
			t.Errorf("cheap instrument %d dropped", j)
		}
	}
	if nz > cap {
		t.Errorf("%d instruments, cap %d", nz, cap)
	}
	t.Logf("%d instruments after %d refits", nz, fits)
}
