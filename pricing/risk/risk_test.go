package risk

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// For a normal P&L the empirical VaR and CVaR converge to the closed forms
// VaR = μ + σ z_α and CVaR = μ + σ φ(z_α)/(1-α) (e.g. McNeil, Frey &
// Embrechts, Quantitative Risk Management, 2005, example 2.14). With n =
// 2,000,000 the standard error of the 99% quantile is
// sqrt(α(1-α)/n)/φ(z) σ ≈ 0.0026σ; we allow 0.01σ (about 4 standard errors).
func TestNormalVaRCVaRMatchClosedForm(t *testing.T) {
	const n = 2_000_000
	mu, sigma := 1e8, 5e8
	r := rand.New(rand.NewPCG(11, 12))
	loss := make([]float64, n)
	for i := range loss {
		loss[i] = mu + sigma*r.NormFloat64()
	}
	slices.Sort(loss)
	std := distuv.UnitNormal
	for _, a := range []float64{0.95, 0.99} {
		z := std.Quantile(a)
		wantVaR := mu + sigma*z
		wantCVaR := mu + sigma*std.Prob(z)/(1-a)
		if got := VaR(loss, a); math.Abs(got-wantVaR) > 0.01*sigma {
			t.Errorf("VaR%v = %.6g, want %.6g", a, got, wantVaR)
		}
		if got := CVaR(loss, a); math.Abs(got-wantCVaR) > 0.01*sigma {
			t.Errorf("CVaR%v = %.6g, want %.6g", a, got, wantCVaR)
		}
	}
}

// On 1..100 the 95% VaR is the 95th value and the CVaR the mean of the
// five worst (96..100): exact arithmetic.
func TestVaRCVaRSmallExact(t *testing.T) {
	l := make([]float64, 100)
	for i := range l {
		l[i] = float64(i + 1)
	}
	if got := VaR(l, 0.95); got != 95 {
		t.Errorf("VaR = %v, want 95", got)
	}
	if got := CVaR(l, 0.95); math.Abs(got-98) > 1e-12 {
		t.Errorf("CVaR = %v, want 98", got)
	}
	// 99% of 150 = 148.5: k = 149, ES = (L150 + 0.5 L149)/1.5.
	l = l[:0]
	for i := range 150 {
		l = append(l, float64(i+1))
	}
	if got, want := CVaR(l, 0.99), (150+0.5*149)/1.5; math.Abs(got-want) > 1e-12 {
		t.Errorf("CVaR99 = %v, want %v", got, want)
	}
}

// Compute: a lognormal funded ratio with known vol gives that vol back, and
// the shortfall probability its closed form, within Monte Carlo error.
func TestComputeFundingRatioVolAndShortfall(t *testing.T) {
	const n = 400_000
	r := rand.New(rand.NewPCG(5, 6))
	s := Sample{Years: 0.5, Assets0: 88, Liabilities0: 100, Threshold: 0.85}
	vol := 0.10
	for range n {
		fr := 0.88 * math.Exp(vol*math.Sqrt(s.Years)*r.NormFloat64())
		s.Assets = append(s.Assets, fr*100)
		s.Liabilities = append(s.Liabilities, 100)
		s.MaxDrawdown = append(s.MaxDrawdown, 0.05)
	}
	m, _, err := Compute(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(m.FundingRatioVol-vol) > 4*vol/math.Sqrt(2*n) {
		t.Errorf("funding ratio vol %v, want %v", m.FundingRatioVol, vol)
	}
	p := distuv.UnitNormal.CDF(math.Log(0.85/0.88) / (vol * math.Sqrt(s.Years)))
	if se := math.Sqrt(p * (1 - p) / n); math.Abs(m.ShortfallProb-p) > 4*se {
		t.Errorf("shortfall %v, want %v +- %v", m.ShortfallProb, p, 4*se)
	}
	if math.Abs(m.MaxDrawdown-0.05) > 1e-12 {
		t.Errorf("max drawdown %v, want 0.05", m.MaxDrawdown)
	}
}

func TestComputeRejectsBadInput(t *testing.T) {
	s := Sample{Years: 1, Assets0: 1, Liabilities0: 1, Assets: []float64{1, math.NaN()}, Liabilities: []float64{1, 1}, MaxDrawdown: []float64{0, 0}}
	if _, _, err := Compute(s, nil); err == nil {
		t.Error("NaN assets accepted")
	}
	s.Assets = []float64{1}
	if _, _, err := Compute(s, nil); err == nil {
		t.Error("mismatched lengths accepted")
	}
}

// sortTail leaves the tail exactly as a full sort does, and everything
// before it no larger, on random, tied, sorted, reversed and constant
// losses of several sizes and tail starts; Compute and
// ComputeWithIntervals give the figures and intervals of a full sort,
// bit for bit.
func TestSortTail(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	gens := map[string]func(i, n int) float64{
		"random":   func(i, n int) float64 { return rng.NormFloat64() },
		"ties":     func(i, n int) float64 { return float64(rng.IntN(5)) },
		"sorted":   func(i, n int) float64 { return float64(i) },
		"reversed": func(i, n int) float64 { return float64(n - i) },
		"constant": func(i, n int) float64 { return 3 },
	}
	for name, gen := range gens {
		for _, n := range []int{1, 10, 63, 64, 65, 100, 1000, 4097} {
			for _, from := range []int{0, 1, n / 2, tailFrom(n, 0.95), tailFrom(n, 0.99), n - 1} {
				if from >= n {
					continue
				}
				v := make([]float64, n)
				for i := range v {
					v[i] = gen(i, n)
				}
				want := slices.Clone(v)
				slices.Sort(want)
				sortTail(v, from)
				if !slices.Equal(v[from:], want[from:]) {
					t.Fatalf("%s n=%d from=%d: tail %v, want %v", name, n, from, v[from:], want[from:])
				}
				for i := 0; i < from; i++ {
					if v[i] > want[from] {
						t.Fatalf("%s n=%d from=%d: v[%d] = %v above the tail's first %v", name, n, from, i, v[i], want[from])
					}
				}
			}
		}
	}
	for _, n := range []int{7, 1000, 20000} {
		s := Sample{Years: 1, Assets0: 100, Liabilities0: 90, Threshold: 0.85,
			Assets: make([]float64, n), Liabilities: make([]float64, n), MaxDrawdown: make([]float64, n)}
		loss := make([]float64, n)
		for i := range n {
			s.Assets[i], s.Liabilities[i] = 100*math.Exp(0.2*rng.NormFloat64()), 90*math.Exp(0.1*rng.NormFloat64())
			s.MaxDrawdown[i] = rng.Float64() / 4
			loss[i] = (100 - 90) - (s.Assets[i] - s.Liabilities[i])
		}
		slices.Sort(loss)
		m, _, err := Compute(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		if m.VaR95 != VaR(loss, 0.95) || m.CVaR95 != CVaR(loss, 0.95) || m.VaR99 != VaR(loss, 0.99) || m.CVaR99 != CVaR(loss, 0.99) {
			t.Errorf("n=%d: Compute %+v, sorted VaR/CVaR %v %v %v %v", n, m, VaR(loss, 0.95), CVaR(loss, 0.95), VaR(loss, 0.99), CVaR(loss, 0.99))
		}
		_, iv, _, err := ComputeWithIntervals(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		if iv.VaR95 != VaRInterval(loss, 0.95) || iv.VaR99 != VaRInterval(loss, 0.99) ||
			iv.CVaR95 != CVaRInterval(loss, 0.95) || iv.CVaR99 != CVaRInterval(loss, 0.99) {
			t.Errorf("n=%d: intervals %+v, from the sorted losses %v %v %v %v", n, iv,
				VaRInterval(loss, 0.95), VaRInterval(loss, 0.99), CVaRInterval(loss, 0.95), CVaRInterval(loss, 0.99))
		}
	}
}

// BenchmarkCompute: one scenario's metrics at one horizon (1,000 paths, as
// the pricing workers compute them) and a default run's pooled metrics
// with intervals at one horizon (1,000,000 paths, as the report).
func BenchmarkCompute(b *testing.B) {
	for _, n := range []int{1000, 1000000} {
		rng := rand.New(rand.NewPCG(1, 2))
		s := Sample{Years: 1, Assets0: 100, Liabilities0: 90, Threshold: 0.85,
			Assets: make([]float64, n), Liabilities: make([]float64, n), MaxDrawdown: make([]float64, n)}
		for i := range n {
			s.Assets[i], s.Liabilities[i] = 100*math.Exp(0.2*rng.NormFloat64()), 90*math.Exp(0.1*rng.NormFloat64())
		}
		var scratch []float64
		b.Run(fmt.Sprintf("paths=%d", n), func(b *testing.B) {
			for b.Loop() {
				var err error
				if n > 1000 {
					_, _, scratch, err = ComputeWithIntervals(s, scratch)
				} else {
					_, scratch, err = Compute(s, scratch)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
