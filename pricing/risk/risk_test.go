package risk

import (
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
