package sim

import (
	"math"
	"testing"

	"github.com/hedgeflow/hedgeflow/pricing/scenario"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

var quiet = Dynamics{NoClustering: true, NoLeverage: true, NoMeanReversion: true, NoRegimeSwitching: true, NoJumps: true, NoDefaults: true}

// terminal runs sp and returns every factor's value at the last step of
// each path: [factor][path].
func terminal(t *testing.T, m *Model, sp scenario.Params) [][]float64 {
	t.Helper()
	s := m.NewSim()
	last := len(m.steps) - 1
	out := make([][]float64, m.Dim())
	s.trace = func(p, st int, _ scenario.Regime) {
		if st == last {
			for i, x := range s.x {
				out[i] = append(out[i], x)
			}
		}
	}
	var r Result
	if err := s.Simulate(sp, 99, &r); err != nil {
		t.Fatal(err)
	}
	return out
}

// With the dynamics off, each factor's simulated one-year standard deviation
// is its hyperparameter (FX vol, equity vol, IRVol·√0.60 for levels,
// credit vol) and FX pairs correlate as the regime says, within 4 standard
// errors: SE(σ̂) = σ/√(2n), SE(ρ̂) = (1-ρ²)/√n.
func TestMarginalVolsAndCorrelationsMatchHyperparameters(t *testing.T) {
	const n = 20000
	m := sampleModel(t, Config{Paths: n, Dynamics: quiet})
	sp := scenario.Params{Index: 3, FXVol: 0.17, IRVol: 0.012, ShortRateMult: 1, CreditVol: 0.45, EquityVol: 0.31, Regime: scenario.Normal}
	x := terminal(t, m, sp)
	for i, k := range m.kinds {
		var want float64
		switch k {
		case kFX:
			want = sp.FXVol
		case kEquity:
			want = sp.EquityVol
		case kLevel:
			want = sp.IRVol * math.Sqrt(0.60)
		case kCredit:
			want = sp.CreditVol
		default:
			continue
		}
		got := stat.StdDev(x[i], nil)
		if se := want / math.Sqrt(2*n); math.Abs(got-want) > 4*se {
			t.Errorf("factor %d (kind %d): sd %.5f, want %.5f +- %.5f", i, k, got, want, 4*se)
		}
	}
	// The correlation of the first two FX factors: the regime's 0.45, or
	// the repaired matrix's entry when the regime needed repair.
	want := 0.45
	if m.Repaired(scenario.Normal, false) {
		c, _, _ := nearestPSD(corrMatrix(m.kinds, scenario.Normal, false))
		want = c.At(0, 1)
	}
	got := stat.Correlation(x[0], x[1], nil)
	if se := (1 - want*want) / math.Sqrt(n); math.Abs(got-want) > 4*se {
		t.Errorf("FX correlation %.4f, want %.4f +- %.4f", got, want, 4*se)
	}
	// In a breakdown the FX pairs decorrelate.
	sp.Breakdown = true
	x = terminal(t, m, sp)
	if got := stat.Correlation(x[0], x[1], nil); math.Abs(got) > 4/math.Sqrt(n) {
		t.Errorf("breakdown FX correlation %.4f, want 0 +- %.4f", got, 4/math.Sqrt(n))
	}
}

// A European FX call priced by the simulated terminal FX agrees with
// Black-Scholes (zero rates: the simulated FX is a martingale) within 3
// standard errors of the Monte Carlo estimate.
func TestSimulatedFXCallMatchesBlackScholes(t *testing.T) {
	const n = 40000
	m := sampleModel(t, Config{Paths: n, Dynamics: quiet})
	sp := scenario.Params{Index: 5, FXVol: 0.22, IRVol: 0.01, ShortRateMult: 1, CreditVol: 0.3, EquityVol: 0.2, Regime: scenario.Stress}
	x := terminal(t, m, sp)
	const k, T = 1.05, 1.0
	pay := make([]float64, n)
	for i, v := range x[0] {
		pay[i] = math.Max(math.Exp(v)-k, 0)
	}
	mc, sd := stat.MeanStdDev(pay, nil)
	se := sd / math.Sqrt(n)
	v := sp.FXVol * math.Sqrt(T)
	d1 := (math.Log(1/k) + 0.5*v*v) / v
	bs := distuv.UnitNormal.CDF(d1) - k*distuv.UnitNormal.CDF(d1-v)
	if math.Abs(mc-bs) > 3*se {
		t.Errorf("simulated call %.5f, Black-Scholes %.5f, 3 SE %.5f", mc, bs, 3*se)
	}
}

// GARCH clustering keeps each factor's long-run variance at its
// hyperparameter: with unit-mean multipliers the one-year standard
// deviation matches within 6 standard errors (fatter tails widen the
// estimator's error, so 6 rather than 4).
//
// And it fattens the tails as GARCH(1,1) says. A step's FX move is
// v·√(dt·h)·z with h the multiplier before the step, independent of z, so
// the moves pooled over the steps have excess kurtosis 3·mean_t E[h_t²] - 3
// (E[h_t] = 1). From h_{t+1} = c + h_t(a·zz + b), c = 1-a-b, with zz the
// mean of the class's n squared shocks (correlated ρ within the class,
// so Var(zz) = 2(n + n(n-1)ρ²)/n²), E[h²] follows exactly:
// E[h_{t+1}²] = c² + 2c(a+b) + E[h_t²]·(a²E[zz²] + 2ab + b²).
// The estimate is checked within 4 standard errors, taken from the spread
// of 20 batches of independent paths.
func TestClusteringPreservesLongRunVol(t *testing.T) {
	const n, batches = 20000, 20
	dyn := quiet
	dyn.NoClustering, dyn.NoLeverage = false, false
	m := sampleModel(t, Config{Paths: n, Dynamics: dyn})
	sp := scenario.Params{Index: 8, FXVol: 0.12, IRVol: 0.009, ShortRateMult: 1, CreditVol: 0.3, EquityVol: 0.2, Regime: scenario.Normal}
	x := terminal(t, m, sp)
	fx := x[0]
	got := stat.StdDev(fx, nil)
	if se := sp.FXVol / math.Sqrt(2*n); math.Abs(got-sp.FXVol) > 6*se {
		t.Errorf("FX sd with clustering %.5f, want %.5f +- %.5f", got, sp.FXVol, 6*se)
	}

	nc := float64(m.classN[0])
	rho := regimes[scenario.Normal].same[kFX]
	ezz2 := 1 + 2*(nc+nc*(nc-1)*rho*rho)/(nc*nc)
	h2, sum := 1.0, 0.0
	for st := range m.steps {
		sum += h2
		a, b := m.garch[st][0], m.garch[st][1]
		c := 1 - a - b
		h2 = c*c + 2*c*(a+b) + h2*(a*a*ezz2+2*a*b+b*b)
	}
	want := 3*sum/float64(len(m.steps)) - 3

	moves := make([][]float64, batches)
	s := m.NewSim()
	prev := 0.0
	s.trace = func(p, st int, _ scenario.Regime) {
		if st == 0 {
			prev = 0
		}
		b := p * batches / n
		moves[b] = append(moves[b], (s.x[0]-prev)/(sp.FXVol*m.stepSqrtDt[st]))
		prev = s.x[0]
	}
	var r Result
	if err := s.Simulate(sp, 99, &r); err != nil {
		t.Fatal(err)
	}
	ks := make([]float64, batches)
	for b, v := range moves {
		ks[b] = stat.ExKurtosis(v, nil)
	}
	k, sd := stat.MeanStdDev(ks, nil)
	se := sd / math.Sqrt(batches)
	t.Logf("weekly FX moves: excess kurtosis %.4f, GARCH %.4f, SE %.4f", k, want, se)
	if !(want > 10*se) {
		t.Fatalf("GARCH excess kurtosis %.4f is not well above the estimate's SE %.4f: the test has no power", want, se)
	}
	if math.Abs(k-want) > 4*se {
		t.Errorf("weekly FX moves' excess kurtosis %.4f, GARCH(1,1) says %.4f +- %.4f", k, want, 4*se)
	}
}

// The path regime chain spends, in the long run, the stationary share of
// time in each regime: π P = π for the weekly transition matrix, checked
// over ten-year paths after a one-year burn-in, within 4 standard errors
// of the per-path occupancy (paths are independent).
func TestRegimeOccupancyMatchesStationary(t *testing.T) {
	const n = 2000
	dyn := quiet
	dyn.NoRegimeSwitching = false
	m := sampleModel(t, Config{Paths: n, StepDays: 5, HorizonDays: []int{2520}, Dynamics: dyn})
	occ := make([][scenario.NumRegime]float64, n)
	s := m.NewSim()
	s.trace = func(p, st int, r scenario.Regime) {
		if m.steps[st] > 252 {
			occ[p][r]++
		}
	}
	var res Result
	if err := s.Simulate(scenario.Params{Index: 1, FXVol: 0.1, IRVol: 0.01, ShortRateMult: 1, CreditVol: 0.3, EquityVol: 0.2, Regime: scenario.Crisis}, 5, &res); err != nil {
		t.Fatal(err)
	}
	// Stationary distribution: left eigenvector of P for eigenvalue 1.
	P := mat.NewDense(3, 3, nil)
	for i := range 3 {
		for j := range 3 {
			P.Set(i, j, m.cfg.Dynamics.Transition[i][j])
		}
	}
	pi := []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}
	for range 10000 { // power iteration: π ← π P
		next := make([]float64, 3)
		for j := range 3 {
			for i := range 3 {
				next[j] += pi[i] * P.At(i, j)
			}
		}
		pi = next
	}
	for r := range 3 {
		share := make([]float64, n)
		for p := range n {
			tot := occ[p][0] + occ[p][1] + occ[p][2]
			share[p] = occ[p][r] / tot
		}
		mean, sd := stat.MeanStdDev(share, nil)
		if se := sd / math.Sqrt(n); math.Abs(mean-pi[r]) > 4*se {
			t.Errorf("regime %d occupancy %.4f, stationary %.4f +- %.4f", r, mean, pi[r], 4*se)
		}
	}
}

// Defaults: with spreads unmoved the default rate is the rating's PD to
// the horizon on average (the copula's mean), so the credit book loses
// about PD·(1-R) — checked on the expected loss at one year with the
// running maximum switched off by a single annual step.
func TestDefaultsMatchPD(t *testing.T) {
	const n = 20000
	dyn := quiet
	dyn.NoDefaults = false
	dyn.PD = [6]float64{0.02, 0.02, 0.02, 0.02, 0.02, 0.02}
	m := sampleModel(t, Config{Paths: n, StepDays: 252, HorizonDays: []int{252}, Dynamics: dyn})
	s := m.NewSim()
	var sum, sum2 float64
	cnt := 0
	s.trace = func(p, st int, _ scenario.Regime) {
		for ci := range m.credits {
			sum += s.drMax[ci]
			sum2 += s.drMax[ci] * s.drMax[ci]
			cnt++
		}
	}
	var res Result
	if err := s.Simulate(scenario.Params{Index: 2, FXVol: 0.1, IRVol: 0.01, ShortRateMult: 1, CreditVol: 0.4, EquityVol: 0.2}, 3, &res); err != nil {
		t.Fatal(err)
	}
	mean := sum / float64(cnt)
	sd := math.Sqrt(sum2/float64(cnt) - mean*mean)
	if se := sd / math.Sqrt(n); math.Abs(mean-0.02) > 4*se {
		t.Errorf("mean default rate %.5f, want 0.02 +- %.5f", mean, 4*se)
	}
}
