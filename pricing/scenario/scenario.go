package scenario

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// ErrInvalid is wrapped by every error about invalid settings.
var ErrInvalid = errors.New("scenario: invalid")

// Regime is a scenario's correlation regime.
type Regime uint8

// The correlation regimes, from calm to crisis.
const (
	Normal Regime = iota
	Stress
	Crisis
	NumRegime
)

var regimeNames = [NumRegime]string{"normal", "stress", "crisis"}

func (r Regime) String() string {
	if r < NumRegime {
		return regimeNames[r]
	}
	return fmt.Sprintf("Regime(%d)", r)
}

// ParseRegime returns the regime named s.
func ParseRegime(s string) (Regime, error) {
	for i, n := range regimeNames {
		if s == n {
			return Regime(i), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown regime %q", ErrInvalid, s)
}

// Params are one scenario's hyperparameters.
type Params struct {
	Index         int
	FXVol         float64 // lognormal, annualised
	IRVol         float64 // normal, absolute rate units per sqrt(year)
	ShortRateMult float64 // short-end (slope factor) vol relative to IRVol
	CreditVol     float64 // lognormal vol of spreads
	EquityVol     float64 // lognormal, annualised
	Regime        Regime
	// Breakdown marks a scenario whose correlations break down: FX pairs
	// decorrelate and FX's links to the other asset classes flip sign.
	Breakdown bool
}

// Range is a closed interval [Lo, Hi].
type Range struct{ Lo, Hi float64 }

// Settings are the ranges the hyperparameters are drawn from. The zero value
// of a field means its documented default.
type Settings struct {
	FXVol         Range // default [0.05, 0.35]
	IRVolBps      Range // default [60, 180] bp
	ShortRateMult Range // default [0.6, 1.6]
	CreditVol     Range // default [0.15, 0.75]
	EquityVol     Range // default [0.12, 0.55]
	// RegimeProbs are the probabilities of normal, stress and crisis;
	// default {0.6, 0.3, 0.1}.
	RegimeProbs [NumRegime]float64
	// BreakdownProb is the probability of a correlation-breakdown
	// scenario; default 0.1 (set a negative value for none).
	BreakdownProb float64
	// Sampling is "lhs" (Latin hypercube, the default) or "sobol"
	// (a digitally shifted Sobol sequence, Joe & Kuo 2008 directions).
	Sampling string
}

func (s *Settings) setDefaults() {
	def := func(r *Range, lo, hi float64) {
		if *r == (Range{}) {
			*r = Range{lo, hi}
		}
	}
	def(&s.FXVol, 0.05, 0.35)
	def(&s.IRVolBps, 60, 180)
	def(&s.ShortRateMult, 0.6, 1.6)
	def(&s.CreditVol, 0.15, 0.75)
	def(&s.EquityVol, 0.12, 0.55)
	if s.RegimeProbs == [NumRegime]float64{} {
		s.RegimeProbs = [NumRegime]float64{0.6, 0.3, 0.1}
	}
	if s.BreakdownProb == 0 {
		s.BreakdownProb = 0.1
	} else if s.BreakdownProb < 0 {
		s.BreakdownProb = 0
	}
	if s.Sampling == "" {
		s.Sampling = "lhs"
	}
}

// Validate checks the settings after defaults are applied.
func (s *Settings) Validate() error {
	check := func(name string, r Range, lo, hi float64) error {
		if !(r.Lo > 0 && r.Lo <= r.Hi) || math.IsInf(r.Hi, 0) || r.Lo < lo || r.Hi > hi {
			return fmt.Errorf("%w: %s: range [%v, %v] must satisfy %v <= lo <= hi <= %v", ErrInvalid, name, r.Lo, r.Hi, lo, hi)
		}
		return nil
	}
	for _, c := range []struct {
		name   string
		r      Range
		lo, hi float64
	}{
		{"fx_vol", s.FXVol, 1e-4, 2},
		{"ir_vol_bps", s.IRVolBps, 0.1, 2000},
		{"short_rate_mult", s.ShortRateMult, 0.01, 10},
		{"credit_vol", s.CreditVol, 1e-4, 5},
		{"equity_vol", s.EquityVol, 1e-4, 3},
	} {
		if err := check(c.name, c.r, c.lo, c.hi); err != nil {
			return err
		}
	}
	sum := 0.0
	for i, p := range s.RegimeProbs {
		if !(p >= 0 && p <= 1) {
			return fmt.Errorf("%w: regime_probs[%s]: must be in [0, 1], got %v", ErrInvalid, Regime(i), p)
		}
		sum += p
	}
	if math.Abs(sum-1) > 1e-9 {
		return fmt.Errorf("%w: regime_probs: must sum to 1, got %v", ErrInvalid, sum)
	}
	if !(s.BreakdownProb >= 0 && s.BreakdownProb <= 1) {
		return fmt.Errorf("%w: breakdown_prob: must be in [0, 1], got %v", ErrInvalid, s.BreakdownProb)
	}
	if s.Sampling != "lhs" && s.Sampling != "sobol" {
		return fmt.Errorf("%w: sampling: must be lhs or sobol, got %q", ErrInvalid, s.Sampling)
	}
	return nil
}

// MaxScenarios bounds the scenarios of one run.
const MaxScenarios = 10_000_000

// Generate draws n scenarios from the run seed by Latin hypercube sampling.
// settings may be nil for the defaults.
func Generate(n int, seed uint64, settings *Settings) ([]Params, error) {
	if n <= 0 || n > MaxScenarios {
		return nil, fmt.Errorf("%w: scenarios: must be in [1, %d], got %d", ErrInvalid, MaxScenarios, n)
	}
	var s Settings
	if settings != nil {
		s = *settings
	}
	s.setDefaults()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	const dims = 7
	r := rand.New(rand.NewPCG(splitmix(seed^0x5ce7a210), splitmix(seed+0x1a7e)))
	var u [][]float64
	if s.Sampling == "sobol" {
		u = sobol(n, dims, r)
	} else {
		u = latinHypercube(n, dims, r)
	}
	logu := func(x float64, rg Range) float64 {
		return math.Exp(math.Log(rg.Lo) + x*(math.Log(rg.Hi)-math.Log(rg.Lo)))
	}
	out := make([]Params, n)
	for i := range out {
		out[i] = Params{
			Index:         i,
			FXVol:         logu(u[0][i], s.FXVol),
			IRVol:         logu(u[1][i], s.IRVolBps) / 1e4,
			ShortRateMult: logu(u[2][i], s.ShortRateMult),
			CreditVol:     logu(u[3][i], s.CreditVol),
			EquityVol:     logu(u[4][i], s.EquityVol),
			Regime:        pickRegime(u[5][i], s.RegimeProbs),
			Breakdown:     u[6][i] < s.BreakdownProb,
		}
	}
	return out, nil
}

// latinHypercube returns dims columns of n points, one point per stratum
// [k/n, (k+1)/n) in every column, the strata paired at random.
func latinHypercube(n, dims int, r *rand.Rand) [][]float64 {
	u := make([][]float64, dims)
	for d := range u {
		perm := r.Perm(n)
		u[d] = make([]float64, n)
		for i := range n {
			u[d][i] = (float64(perm[i]) + r.Float64()) / float64(n)
		}
	}
	return u
}

func pickRegime(u float64, p [NumRegime]float64) Regime {
	c := 0.0
	for i := range NumRegime - 1 {
		c += p[i]
		if u < c {
			return i
		}
	}
	return NumRegime - 1
}

// splitmix is one step of SplitMix64: a bijective mixer that turns
// correlated inputs (seed, seed+1, ...) into independent-looking outputs.
func splitmix(x uint64) uint64 { return SplitMix(x) }

// SplitMix is splitmix64's output for the state x (Steele, Lea & Flood
// 2014; Vigna's reference code): the state advanced by the golden gamma,
// then mixed. Successive outputs of a stream started at s are
// SplitMix(s), SplitMix(s+γ), ...
func SplitMix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Seeds returns the two seeds of scenario index's random stream in the run
// with seed.
func Seeds(runSeed uint64, index int) (uint64, uint64) {
	a := splitmix(runSeed ^ splitmix(uint64(index)+1))
	return a, splitmix(a ^ 0xd1b54a32d192ed03)
}
