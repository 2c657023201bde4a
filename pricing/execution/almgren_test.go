package execution

import (
	"errors"
	"math"
	"testing"
)

// paperModel is the example of Almgren and Chriss (2000), §3 (Table 1):
// 10^6 shares at $50, 30% annual vol (σ = 0.95 $/share/day^½), bid-ask 1/8
// (ε = 1/16), daily volume 5m shares, γ = 2.5e-7, η = 2.5e-6, T = N = 5 days.
func paperModel(lambda float64) Model {
	return Model{X: 1e6, N: 5, Tau: 1, Sigma: 0.95, Epsilon: 0.0625, Eta: 2.5e-6, Gamma: 2.5e-7, Lambda: lambda}
}

func near(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Max(1, math.Abs(want))
}

// TestPaperExampleDROP checks the cost mean, variance, penalty E + λV and
// half-life 1/κ̃ against the table printed by DROP 4.66 for this example
// (org.drip.coverage.execution.AlmgrenChriss, "SHORT END COST
// DISTRIBUTION", https://lakshmidrip.github.io/DROP/junit/classes/
// org.drip.coverage.execution.AlmgrenChriss.html). DROP prints money in
// $ millions and λ per $ million, so its λ = 0.001 is 1e-9 per $. The table
// has 4 decimals (2 for the half-life): tolerance half a unit in the last.
func TestPaperExampleDROP(t *testing.T) {
	for _, c := range []struct {
		lambda, mean, variance, penalty, halfLife float64
	}{
		{1e-9, 0.6625, 1.0812, 0.6636, 51.30},
		{2e-9, 0.6625, 1.0794, 0.6647, 36.27},
		{5e-9, 0.6625, 1.0740, 0.6679, 22.94},
		{8e-9, 0.6626, 1.0687, 0.6711, 18.14},
		{9e-9, 0.6626, 1.0669, 0.6722, 17.10},
	} {
		m := paperModel(c.lambda)
		_, e, v, err := m.Optimal(nil)
		if err != nil {
			t.Fatal(err)
		}
		kTilde := math.Sqrt(m.Lambda * m.Sigma * m.Sigma / m.etaTilde())
		if math.Abs(e/1e6-c.mean) > 0.5e-4 || math.Abs(v/1e12-c.variance) > 0.5e-4 ||
			math.Abs((e+c.lambda*v)/1e6-c.penalty) > 0.5e-4 || math.Abs(1/kTilde-c.halfLife) > 0.5e-2 {
			t.Errorf("λ=%g: E=%.6f V=%.6f E+λV=%.6f 1/κ̃=%.3f, DROP %v",
				c.lambda, e/1e6, v/1e12, (e+c.lambda*v)/1e6, 1/kTilde, c)
		}
	}
}

// TestLinearLimit: with λ = 0 the optimal schedule is the naive straight
// line x_k = X(1 - k/N), with E = γX²/2 + εX + η̃X²/T and
// V = σ²X²T(1 - 1/N)(1 - 1/(2N))/3 (Almgren and Chriss 2000, §2.3, the
// minimum-impact end of the frontier). For the paper's example E =
// 125,000 + 62,500 + 475,000 = $662,500 by hand. Tolerance 1e-12 relative.
func TestLinearLimit(t *testing.T) {
	for _, lambda := range []float64{0, 1e-18} {
		m := paperModel(lambda)
		tr, e, v, err := m.Optimal(nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, n := range tr {
			if !near(n, m.X/float64(m.N), 1e-9) {
				t.Errorf("λ=%g: n_%d = %v, want X/N", lambda, k+1, n)
			}
		}
		T, X, N := float64(m.N)*m.Tau, m.X, float64(m.N)
		wantE := 0.5*m.Gamma*X*X + m.Epsilon*X + m.etaTilde()*X*X/T
		wantV := m.Sigma * m.Sigma * X * X * T * (1 - 1/N) * (1 - 1/(2*N)) / 3
		if !near(e, 662500, 1e-9) || !near(e, wantE, 1e-9) || !near(v, wantV, 1e-9) {
			t.Errorf("λ=%g: E=%v V=%v, want E=%v V=%v", lambda, e, v, wantE, wantV)
		}
	}
}

// closedForm is Almgren and Chriss (2000), eq. (20): the expected cost and
// variance of the optimal trajectory.
func closedForm(m Model, k float64) (e, v float64) {
	X, tau := m.X, m.Tau
	T := float64(m.N) * tau
	sh := math.Sinh(k * T)
	e = 0.5*m.Gamma*X*X + m.Epsilon*X + m.etaTilde()*X*X*
		math.Tanh(k*tau/2)*(tau*math.Sinh(2*k*T)+2*T*math.Sinh(k*tau))/(2*tau*tau*sh*sh)
	v = 0.5 * m.Sigma * m.Sigma * X * X *
		(tau*sh*math.Cosh(k*(T-tau)) - T*math.Sinh(k*tau)) / (sh * sh * math.Sinh(k*tau))
	return e, v
}

// TestClosedForms compares the summed cost and variance of the trajectory
// with the closed forms of eq. (20), and the trajectory with the discrete
// Euler-Lagrange equation (x_{k-1} - 2x_k + x_{k+1})/τ² = κ̃² x_k
// (eq. (16)) and the trade list of eq. (19). Tolerance 1e-9 relative.
func TestClosedForms(t *testing.T) {
	for _, c := range []struct {
		lambda float64
		n      int
		tau    float64
	}{{1e-6, 5, 1}, {2e-6, 5, 1}, {1e-7, 20, 0.25}, {1e-5, 10, 0.5}, {3e-8, 1, 5}} {
		m := paperModel(c.lambda)
		m.N, m.Tau = c.n, c.tau
		k, err := m.Kappa()
		if err != nil {
			t.Fatal(err)
		}
		tr, e, v, _ := m.Optimal(nil)
		we, wv := closedForm(m, k)
		if !near(e, we, 1e-9) || !near(v, wv, 1e-9) {
			t.Errorf("%+v: E=%v V=%v, eq. (20) E=%v V=%v", c, e, v, we, wv)
		}
		x, _ := m.Holdings(nil)
		kt2 := m.Lambda * m.Sigma * m.Sigma / m.etaTilde()
		for j := 1; j < m.N; j++ {
			lhs := (x[j-1] - 2*x[j] + x[j+1]) / (m.Tau * m.Tau)
			if !near(lhs, kt2*x[j], 1e-9) {
				t.Errorf("%+v: Euler-Lagrange at k=%d: %v vs %v", c, j, lhs, kt2*x[j])
			}
		}
		T := float64(m.N) * m.Tau
		for j := 1; j <= m.N; j++ {
			want := 2 * math.Sinh(k*m.Tau/2) / math.Sinh(k*T) * math.Cosh(k*(T-(float64(j)-0.5)*m.Tau)) * m.X
			if !near(tr[j-1], want, 1e-9) {
				t.Errorf("%+v: n_%d = %v, eq. (19) %v", c, j, tr[j-1], want)
			}
		}
	}
}

// TestOptimalBeatsPerturbations: moving any amount between two periods of
// the optimal trade list raises E + λV (the trajectory is the unique
// minimiser of a strictly convex quadratic, paper §2.2).
func TestOptimalBeatsPerturbations(t *testing.T) {
	m := paperModel(2e-6)
	m.N = 8
	tr, e, v, _ := m.Optimal(nil)
	u := e + m.Lambda*v
	p := make([]float64, len(tr))
	for i := range tr {
		for j := range tr {
			if i == j {
				continue
			}
			for _, d := range []float64{-1000, 1000} {
				copy(p, tr)
				p[i] += d
				p[j] -= d
				pe, pv, _ := m.Cost(p)
				if pe+m.Lambda*pv <= u {
					t.Fatalf("moving %v from %d to %d lowers E+λV: %v <= %v", d, j, i, pe+m.Lambda*pv, u)
				}
			}
		}
	}
}

// TestLargeKappaStable: a very risk-averse trader sells almost everything
// at once; sinh(κT) overflows float64 but the trajectory must not.
func TestLargeKappaStable(t *testing.T) {
	m := paperModel(1e3)
	m.N = 30
	x, err := m.Holdings(nil)
	if err != nil {
		t.Fatal(err)
	}
	for k := 1; k < len(x); k++ {
		if math.IsNaN(x[k]) || x[k] > x[k-1] || x[k] < 0 {
			t.Fatalf("holdings not finite and decreasing: %v", x)
		}
	}
	tr, _ := m.Trades(nil)
	if tr[0] < 0.99*m.X {
		t.Errorf("first trade %v, want nearly all of %v", tr[0], m.X)
	}
}

func TestModelInvalid(t *testing.T) {
	for _, m := range []Model{
		{X: 0, N: 5, Tau: 1},
		{X: 1, N: 0, Tau: 1},
		{X: 1, N: 5, Tau: 0},
		{X: 1, N: 5, Tau: 1, Sigma: -1},
		{X: 1, N: 5, Tau: 1, Sigma: 1, Eta: 1, Gamma: 4, Lambda: 1},
		{X: math.NaN(), N: 5, Tau: 1},
	} {
		if _, err := m.Holdings(nil); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: err = %v, want ErrInvalid", m, err)
		}
	}
}

// TestCappedOptimalKKT: with a daily cap that binds, no feasible transfer
// of notional between two days (keeping every day within [0, cap]) lowers
// E + λV, which is the KKT condition of the box-constrained problem.
func TestCappedOptimalKKT(t *testing.T) {
	l := Liquidity{ADVUSD: 30e9, BidAskBps: 1.7, TempImpactBps: 18.2, PermImpactBps: 16, VolDailyBps: 51}
	const lambda = 1e-9
	for _, c := range []struct {
		x, capUSD float64
		days      int
	}{
		{15e9, 4.38e9, 4}, {15e9, 4.38e9, 8}, {15e9, 2e9, 10}, {1e9, 4e9, 5},
	} {
		tr, e, v := cappedOptimal(l, c.x, c.days, c.capUSD, lambda, nil)
		var sum float64
		for _, n := range tr {
			sum += n
			if n > c.capUSD*(1+1e-9) || n < 0 {
				t.Fatalf("%+v: trade %v outside [0, cap]", c, n)
			}
		}
		if !near(sum, c.x, 1e-12) {
			t.Fatalf("%+v: trades sum to %v", c, sum)
		}
		m := l.Model(c.x, c.days, lambda)
		u := e + lambda*v
		p := make([]float64, len(tr))
		for i := range tr {
			for j := range tr {
				d := 1e-3 * c.x
				if i == j || tr[i]+d > c.capUSD || tr[j]-d < 0 {
					continue
				}
				copy(p, tr)
				p[i] += d
				p[j] -= d
				pe, pv, _ := m.Cost(p)
				if pe+lambda*pv < u*(1-1e-12) {
					t.Errorf("%+v: moving to day %d from %d lowers E+λV %v -> %v", c, i+1, j+1, u, pe+lambda*pv)
				}
			}
		}
	}
}
