package optimize

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// randProblem draws a loss sample with S scenarios of P paths and m
// instruments: P&L of instrument j is a factor loading on the base loss
// plus noise, scenario volatilities differ, so that hedges matter and
// scenarios disagree. Notionals are in USD of order 1e8.
func randProblem(seed uint64, S, P, m int) *Problem {
	rng := rand.New(rand.NewPCG(seed, 7))
	n := S * P
	p := &Problem{
		Base:     make([]float64, n),
		PnL:      make([]float64, n*m),
		Scenario: make([]int, n),
		Cost:     make([]float64, m),
		Lower:    make([]float64, m),
		Upper:    make([]float64, m),
	}
	load := make([]float64, m)
	for j := range load {
		load[j] = rng.NormFloat64() * 0.1
		p.Cost[j] = 0.001 + 0.004*rng.Float64()
		p.Lower[j] = -5e8
		p.Upper[j] = 5e8
	}
	for s := 0; s < S; s++ {
		vol := 1 + 2*rng.Float64()
		for k := 0; k < P; k++ {
			r := s*P + k
			p.Scenario[r] = s
			f := rng.NormFloat64() * vol
			jump := 0.0
			if rng.Float64() < 0.05 {
				jump = 3 * vol
			}
			p.Base[r] = 3e7*(f+jump) + 1e7*rng.NormFloat64()
			for j := 0; j < m; j++ {
				// Loss f means the hedge gains load_j·f per USD.
				p.PnL[r*m+j] = load[j]*(f+0.5*jump*float64(j%2)) + 0.02*rng.NormFloat64()*vol
			}
		}
	}
	return p
}

// ruLP solves the Rockafellar-Uryasev LP of CVaR_α over all rows of p
// (bounds, constraints and budget included) with gonum's simplex, an
// independent check of the cutting-plane solver (Rockafellar & Uryasev
// 2000, J. Risk 2(3):21-41, eq. (17)). Variables: x (m), ζ, u (N), v (m,
// v_j >= |x_j| when there is a budget).
// simplexCase is the problem of the comparisons with gonum's simplex for
// seed: bounds only, a budget, or a two-sided group constraint, by seed
// mod 3.
func simplexCase(seed uint64) *Problem {
	p := randProblem(seed, 4, 15, 3)
	switch seed % 3 {
	case 1:
		p.Budget = 1.2e6
	case 2:
		p.Constraints = []Constraint{{Name: "group", A: []float64{1, 1, 0}, Lo: 1e8, Hi: 2e8}}
	}
	return p
}

func ruLP(t *testing.T, p *Problem, alpha float64) (float64, []float64) {
	t.Helper()
	n, m := len(p.Base), p.M()
	// Units: notionals in 1e8 USD, losses in 1e7 USD, so that the
	// simplex sees numbers of order one.
	const X, L = 1e8, 1e7
	// With Holdings, trade sizes w (m) follow: w_j >= |x_j - h_j|, each
	// costing TradeCost[j] in the objective.
	nw := 0
	if p.Holdings != nil {
		nw = m
	}
	nv := m + 1 + n + m + nw
	c := make([]float64, nv)
	c[m] = 1
	for r := 0; r < n; r++ {
		c[m+1+r] = 1 / ((1 - alpha) * float64(n))
	}
	for j := 0; j < nw; j++ {
		c[m+1+n+m+j] = p.TradeCost[j] * X / L
	}
	var G []float64
	var h []float64
	row := func() []float64 { return make([]float64, nv) }
	for r := 0; r < n; r++ {
		g := row()
		for j := 0; j < m; j++ {
			g[j] = -p.PnL[r*m+j] * X / L
		}
		g[m] = -1
		g[m+1+r] = -1
		G = append(G, g...)
		h = append(h, -p.Base[r]/L)
		g = row()
		g[m+1+r] = -1
		G = append(G, g...)
		h = append(h, 0)
	}
	for j := 0; j < m; j++ {
		lo, hi := p.effBounds(j)
		g := row()
		g[j] = 1
		G = append(G, g...)
		h = append(h, hi/X)
		g = row()
		g[j] = -1
		G = append(G, g...)
		h = append(h, -lo/X)
		// v_j >= |x_j|, v_j >= 0 always (keeps v bounded).
		g = row()
		g[j], g[m+1+n+j] = 1, -1
		G = append(G, g...)
		h = append(h, 0)
		g = row()
		g[j], g[m+1+n+j] = -1, -1
		G = append(G, g...)
		h = append(h, 0)
		if nw > 0 {
			g = row()
			g[j], g[m+1+n+m+j] = 1, -1
			G = append(G, g...)
			h = append(h, p.Holdings[j]/X)
			g = row()
			g[j], g[m+1+n+m+j] = -1, -1
			G = append(G, g...)
			h = append(h, -p.Holdings[j]/X)
		}
	}
	if p.hasBudget() {
		g := row()
		for j := 0; j < m; j++ {
			g[m+1+n+j] = p.Cost[j] * X / L
		}
		G = append(G, g...)
		h = append(h, p.Budget/L)
	}
	var A []float64
	var b []float64
	for _, k := range p.Constraints {
		if k.Lo == k.Hi {
			g := row()
			copy(g, k.A)
			A = append(A, g...)
			b = append(b, k.Lo/X)
			continue
		}
		if !math.IsInf(k.Hi, 1) {
			g := row()
			copy(g, k.A)
			G = append(G, g...)
			h = append(h, k.Hi/X)
		}
		if !math.IsInf(k.Lo, -1) {
			g := row()
			for j := range k.A {
				g[j] = -k.A[j]
			}
			G = append(G, g...)
			h = append(h, -k.Lo/X)
		}
	}
	var Am mat.Matrix
	if len(b) > 0 {
		Am = mat.NewDense(len(b), nv, A)
	}
	cs, as, bs := lp.Convert(c, mat.NewDense(len(h), nv, G), h, Am, b)
	f, xs, err := lp.Simplex(cs, as, bs, 1e-10, nil)
	if err != nil {
		t.Fatalf("gonum simplex: %v", err)
	}
	x := make([]float64, m)
	for j := 0; j < m; j++ {
		x[j] = (xs[j] - xs[nv+j]) * X
	}
	return f * L, x
}

func close(got, want, abs, rel float64) bool {
	return math.Abs(got-want) <= abs+rel*math.Abs(want)
}
