package optimize

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// frProblem draws funded-ratio data: FRBase is a factor exposure plus
// noise, each instrument's FRPnL per USD loads on the same factor.
func frProblem(seed uint64, n, m int) *Problem {
	rng := rand.New(rand.NewPCG(seed, 3))
	p := &Problem{
		Cost:   make([]float64, m),
		Lower:  make([]float64, m),
		Upper:  make([]float64, m),
		FRBase: make([]float64, n),
		FRPnL:  make([]float64, n*m),
	}
	load := make([]float64, m)
	for j := range load {
		load[j] = (0.5 + rng.Float64()) * 1e-10 // funded ratio per USD
		p.Lower[j], p.Upper[j] = -1e9, 1e9
		p.Cost[j] = 0.002
	}
	for r := 0; r < n; r++ {
		f := rng.NormFloat64()
		p.FRBase[r] = -0.05*f + 0.01*rng.NormFloat64()
		for j := 0; j < m; j++ {
			p.FRPnL[r*m+j] = load[j]*f + 2e-11*rng.NormFloat64()
		}
	}
	return p
}

// Closed form: one instrument, loose bounds: the minimum-variance hedge is
// x = -cov(FRPnL, FRBase)/var(FRPnL) (e.g. Hull, Options, Futures and Other
// Derivatives, 10th ed., §3.4, h* = ρσ_S/σ_F). Tolerance 1e-8 relative.
func TestVarianceClosedForm(t *testing.T) {
	p := frProblem(1, 500, 1)
	A, b, _ := covariances(p.FRBase, p.FRPnL, 1)
	want := -b[0] / A[0]
	res, err := Variance(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !close(res.X[0], want, 0, 1e-8) {
		t.Errorf("x = %v, want cov/var %v", res.X[0], want)
	}
	if res.KKT.Stationarity > 1e-9 || res.KKT.Feasibility > 1e-9 || res.KKT.Complementarity > 1e-9 {
		t.Errorf("KKT residuals %+v", res.KKT)
	}
}

// Optimality by KKT residuals and by exhaustive search: with two
// instruments, a budget and a cap that binds, no point of a 201×201 grid
// of the feasible set has a lower variance, and the best grid point is
// within the grid's resolution.
func TestVarianceGridAndKKT(t *testing.T) {
	p := frProblem(2, 400, 2)
	p.Upper = []float64{3e8, 1e9}
	p.Budget = 2.5e6 // Σ 0.002·|x| <= 2.5e6 caps |x1|+|x2| at 1.25e9
	res, err := Variance(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.KKT.Stationarity > 1e-8 || res.KKT.Feasibility > 1e-8 || res.KKT.Complementarity > 1e-8 {
		t.Errorf("KKT residuals %+v", res.KKT)
	}
	if res.DualityGap > 1e-8 {
		t.Errorf("duality gap %v", res.DualityGap)
	}
	A, b, v0 := covariances(p.FRBase, p.FRPnL, 2)
	const k = 200
	best := math.Inf(1)
	x := make([]float64, 2)
	for i := 0; i <= k; i++ {
		for j := 0; j <= k; j++ {
			x[0] = -1e9 + float64(i)*(4e8+1e9)/k*1
			x[1] = -1e9 + float64(j)*2e9/k
			if x[0] > 3e8 || p.CostPerYear(x) > p.Budget {
				continue
			}
			v := quadForm(A, b, v0, x)
			if v < res.Objective*(1-1e-9) {
				t.Fatalf("grid point %v has variance %v below the optimum %v", x, v, res.Objective)
			}
			best = math.Min(best, v)
		}
	}
	if best > res.Objective*1.01 {
		t.Errorf("best grid variance %v, optimum %v", best, res.Objective)
	}
	if math.Abs(res.Metrics.FRVol-math.Sqrt(res.Objective)) > 1e-12 {
		t.Errorf("FRVol %v, sqrt(objective) %v", res.Metrics.FRVol, math.Sqrt(res.Objective))
	}
}

func TestVarianceInvalid(t *testing.T) {
	p := frProblem(3, 50, 2)
	p.FRPnL = p.FRPnL[:10]
	if _, err := Variance(p, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("short FRPnL: %v", err)
	}
	p = frProblem(3, 50, 2)
	p.Constraints = []Constraint{{Name: "ratio", A: []float64{1, 1}, Lo: 3e9, Hi: 4e9}}
	if _, err := Variance(p, nil); !errors.Is(err, ErrInfeasible) {
		t.Errorf("infeasible ratio: %v", err)
	}
}
