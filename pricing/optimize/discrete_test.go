package optimize

import (
	"errors"
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
