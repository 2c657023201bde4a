package execution

import "math"

// Model is the discrete-time model of Almgren and Chriss (2000) with linear
// impact: trade X units over N periods of length Tau, price following an
// arithmetic random walk with volatility Sigma per unit square-root time,
// temporary impact h(v) = Epsilon + Eta v and permanent impact g(v) = Gamma v
// for a trading rate v. Lambda is the risk aversion of the mean-variance
// objective E + Lambda V.
//
// In this package a unit is one USD of notional, time is in trading days,
// Sigma is the daily volatility of the price of one unit (a fraction: 0.005
// is 50 bp), Epsilon the half spread (a fraction), Eta a fraction per USD per
// day and Gamma a fraction per USD; see [Liquidity.Model]. The formulas hold
// in any consistent units, which is how the tests check them against the
// paper's share-based example.
type Model struct {
	X       float64 // units to trade, > 0
	N       int     // number of periods, >= 1
	Tau     float64 // period length, > 0
	Sigma   float64 // volatility per unit per square-root time, >= 0
	Epsilon float64 // fixed cost per unit traded, >= 0
	Eta     float64 // temporary impact per unit of trading rate, > 0 unless Lambda is 0
	Gamma   float64 // permanent impact per unit traded, >= 0
	Lambda  float64 // risk aversion per unit of cost, >= 0
}

func (m Model) validate() error {
	switch {
	case !(m.X > 0) || math.IsInf(m.X, 0):
		return errorf("model: X = %g, want a finite positive amount", m.X)
	case m.N < 1:
		return errorf("model: N = %d, want at least one period", m.N)
	case !(m.Tau > 0) || math.IsInf(m.Tau, 0):
		return errorf("model: Tau = %g, want a finite positive period", m.Tau)
	case !(m.Sigma >= 0) || !(m.Epsilon >= 0) || !(m.Eta >= 0) || !(m.Gamma >= 0) || !(m.Lambda >= 0):
		return errorf("model: Sigma, Epsilon, Eta, Gamma and Lambda must be non-negative (got %g, %g, %g, %g, %g)",
			m.Sigma, m.Epsilon, m.Eta, m.Gamma, m.Lambda)
	case math.IsInf(m.Sigma+m.Epsilon+m.Eta+m.Gamma+m.Lambda, 0):
		return errorf("model: coefficients must be finite")
	case m.etaTilde() <= 0 && m.Lambda > 0:
		return errorf("model: Eta - Gamma Tau/2 = %g, want > 0 (temporary impact must exceed half the permanent impact of a period)", m.etaTilde())
	}
	return nil
}

// etaTilde is η̃ = η - γτ/2 (paper, equation after (12)).
func (m Model) etaTilde() float64 { return m.Eta - 0.5*m.Gamma*m.Tau }

// Kappa returns κ, the decay rate of the optimal trajectory per unit time,
// from 2(cosh(κτ) - 1)/τ² = κ̃² with κ̃² = λσ²/η̃ (paper, eq. (16)-(17)).
// It is computed as κ = (2/τ) asinh(κ̃τ/2), the same root written so that it
// keeps full precision as κ̃τ goes to 0. Kappa is 0 when Lambda or Sigma is 0.
func (m Model) Kappa() (float64, error) {
	if err := m.validate(); err != nil {
		return 0, err
	}
	return m.kappa(), nil
}

func (m Model) kappa() float64 {
	if m.Lambda == 0 || m.Sigma == 0 {
		return 0
	}
	kt := math.Sqrt(m.Lambda * m.Sigma * m.Sigma / m.etaTilde())
	return 2 / m.Tau * math.Asinh(kt*m.Tau/2)
}

// Holdings writes the optimal holdings x_0 = X, ..., x_N = 0 into dst
// (grown if shorter than N+1) and returns it:
//
//	x_k = X sinh(κ(T - t_k)) / sinh(κT),  t_k = kτ, T = Nτ
//
// (paper, eq. (18)). As κ → 0 this is the linear schedule x_k = X(1 - k/N).
func (m Model) Holdings(dst []float64) ([]float64, error) {
	if err := m.validate(); err != nil {
		return dst, err
	}
	if cap(dst) < m.N+1 {
		dst = make([]float64, m.N+1)
	}
	dst = dst[:m.N+1]
	k := m.kappa()
	T := float64(m.N) * m.Tau
	for i := range dst {
		dst[i] = m.X * sinhRatio(k*(T-float64(i)*m.Tau), k*T, float64(m.N-i)/float64(m.N))
	}
	dst[0], dst[m.N] = m.X, 0
	return dst, nil
}

// Trades writes the optimal trade list n_k = x_{k-1} - x_k, k = 1..N, into
// dst (grown if shorter than N) and returns it.
func (m Model) Trades(dst []float64) ([]float64, error) {
	if err := m.validate(); err != nil {
		return dst, err
	}
	if cap(dst) < m.N {
		dst = make([]float64, m.N)
	}
	dst = dst[:m.N]
	k := m.kappa()
	T := float64(m.N) * m.Tau
	prev := m.X
	for i := 1; i <= m.N; i++ {
		x := 0.0
		if i < m.N {
			x = m.X * sinhRatio(k*(T-float64(i)*m.Tau), k*T, float64(m.N-i)/float64(m.N))
		}
		dst[i-1] = prev - x
		prev = x
	}
	return dst, nil
}

// sinhRatio returns sinh(a)/sinh(b) for 0 <= a <= b, or lin when b is 0 (the
// κ → 0 limit a/b), without overflow for large b.
func sinhRatio(a, b, lin float64) float64 {
	switch {
	case b == 0:
		return lin
	case b < 20:
		return math.Sinh(a) / math.Sinh(b)
	default:
		return math.Exp(a-b) * math.Expm1(-2*a) / math.Expm1(-2*b)
	}
}

// Cost returns the expected cost E and its variance V for the trade list
// trades (n_1..n_N, summing to X; any trajectory, not only the optimal one):
//
//	E = γX²/2 + ε Σ|n_k| + (η̃/τ) Σ n_k²,   V = σ² τ Σ_{k=1}^{N} x_k²
//
// (paper, eq. (10)-(11) with linear impact, §2). Costs are positive: the
// amount by which the execution falls short of trading everything at the
// initial mid price. Cost panics if len(trades) != m.N.
func (m Model) Cost(trades []float64) (e, v float64, err error) {
	if err := m.validate(); err != nil {
		return 0, 0, err
	}
	if len(trades) != m.N {
		panic("execution: Model.Cost: len(trades) != N")
	}
	var sumAbs, sumSq, varSum float64
	x := m.X
	for _, n := range trades {
		sumAbs += math.Abs(n)
		sumSq += n * n
		x -= n
		varSum += x * x
	}
	e = 0.5*m.Gamma*m.X*m.X + m.Epsilon*sumAbs + m.etaTilde()/m.Tau*sumSq
	v = m.Sigma * m.Sigma * m.Tau * varSum
	return e, v, nil
}

// Optimal returns the optimal trade list (into dst), its expected cost and
// its variance.
func (m Model) Optimal(dst []float64) (trades []float64, e, v float64, err error) {
	trades, err = m.Trades(dst)
	if err != nil {
		return trades, 0, 0, err
	}
	e, v, err = m.Cost(trades)
	return trades, e, v, err
}
