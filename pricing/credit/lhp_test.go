package credit

import (
	"math"
	"testing"
)

// gaussLegendre returns n-point Gauss-Legendre nodes and weights on [a, b],
// by Newton iteration on the Legendre polynomial (Press et al., Numerical
// Recipes, 3rd ed., §4.6.1, gauleg).
func gaussLegendre(n int, a, b float64) (x, w []float64) {
	x, w = make([]float64, n), make([]float64, n)
	xm, xl := 0.5*(b+a), 0.5*(b-a)
	for i := 0; i < (n+1)/2; i++ {
		z := math.Cos(math.Pi * (float64(i) + 0.75) / (float64(n) + 0.5))
		var pp float64
		for {
			p1, p2 := 1.0, 0.0
			for j := 0; j < n; j++ {
				p3 := p2
				p2 = p1
				p1 = ((2*float64(j)+1)*z*p2 - float64(j)*p3) / float64(j+1)
			}
			pp = float64(n) * (z*p1 - p2) / (z*z - 1)
			z1 := z
			z = z1 - p1/pp
			if math.Abs(z-z1) < 1e-15 {
				break
			}
		}
		x[i], x[n-1-i] = xm-xl*z, xm+xl*z
		w[i] = 2 * xl / ((1 - z*z) * pp * pp)
		w[n-1-i] = w[i]
	}
	return x, w
}

// baseLossQuadrature integrates E[min(L(Z), k)] over the common factor Z with
// 64-point Gauss-Legendre panels on [-12, 12], split at the kink z* where
// L(Z) = k: an independent numerical reference for BaseLoss.
func baseLossQuadrature(k, pd, rho, recovery float64) float64 {
	lgd := 1 - recovery
	c := normQuantile(pd)
	loss := func(z float64) float64 {
		return math.Min(k, lgd*normCDF((c-math.Sqrt(rho)*z)/math.Sqrt(1-rho)))
	}
	cuts := []float64{-12, 12}
	if kk := k / lgd; kk < 1 {
		zs := (c - math.Sqrt(1-rho)*normQuantile(kk)) / math.Sqrt(rho)
		if zs > -12 && zs < 12 {
			cuts = []float64{-12, zs, 12}
		}
	}
	sum := 0.0
	for i := 0; i+1 < len(cuts); i++ {
		const panels = 40
		h := (cuts[i+1] - cuts[i]) / panels
		for p := 0; p < panels; p++ {
			x, w := gaussLegendre(64, cuts[i]+float64(p)*h, cuts[i]+float64(p+1)*h)
			for j := range x {
				sum += w[j] * loss(x[j]) * math.Exp(-0.5*x[j]*x[j]) / math.Sqrt(2*math.Pi)
			}
		}
	}
	return sum
}

// TestBaseLossQuadrature: closed form against numerical integration over the
// common factor, 1e-12 absolute (the quadrature is accurate to ~1e-15; the
// bivariate normal to ~1e-15).
func TestBaseLossQuadrature(t *testing.T) {
	for _, pd := range []float64{0.001, 0.03, 0.2, 0.7} {
		for _, rho := range []float64{0.01, 0.15, 0.3, 0.6, 0.95} {
			for _, k := range []float64{0.01, 0.03, 0.07, 0.15, 0.3, 0.59} {
				got := BaseLoss(k, pd, rho, 0.4)
				want := baseLossQuadrature(k, pd, rho, 0.4)
				if !near(got, want, 1e-12, 0) {
					t.Errorf("k %v pd %v rho %v: %.15g, quadrature %.15g", k, pd, rho, got, want)
				}
			}
		}
	}
}

// TestBaseLossLimits: rho -> 0 gives a deterministic loss pd(1-R); rho -> 1
// an all-or-nothing loss; the closed form approaches both continuously.
func TestBaseLossLimits(t *testing.T) {
	pd, R, k := 0.05, 0.4, 0.02
	if got, want := BaseLoss(k, pd, 1e-10, R), math.Min(pd*(1-R), k); !near(got, want, 1e-6, 0) {
		t.Errorf("rho ~ 0: %v want %v", got, want)
	}
	if got, want := BaseLoss(k, pd, 1-1e-10, R), pd*k; !near(got, want, 1e-5, 0) {
		t.Errorf("rho ~ 1: %v want %v", got, want)
	}
	if got, want := BaseLoss(0.9, pd, 0.3, R), pd*(1-R); got != want {
		t.Errorf("k above max loss: %v want %v", got, want)
	}
}

// TestTranchesSumToPool: the tranche losses of a full capital structure,
// weighted by tranche width, add up to the pool's expected loss pd(1-R),
// with a flat correlation and with a base correlation skew (the base
// tranches telescope when adjacent tranches share the correlation at their
// common attachment/detachment point).
func TestTranchesSumToPool(t *testing.T) {
	points := []float64{0, 0.03, 0.07, 0.1, 0.15, 0.3, 1}
	skew := []float64{0, 0.12, 0.2, 0.26, 0.33, 0.5, 0.7}
	for _, pd := range []float64{0.02, 0.25} {
		for _, base := range [][]float64{{0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3}, skew} {
			sum := 0.0
			for i := 0; i+1 < len(points); i++ {
				el, err := TrancheLoss(points[i], points[i+1], pd, base[i], base[i+1], 0.4)
				if err != nil {
					t.Fatal(err)
				}
				if el < 0 || el > 1 {
					t.Errorf("tranche %v-%v: EL %v outside [0,1]", points[i], points[i+1], el)
				}
				sum += el * (points[i+1] - points[i])
			}
			if want := pd * 0.6; !near(sum, want, 1e-15, 0) {
				t.Errorf("pd %v: sum %.16g want %.16g", pd, sum, want)
			}
		}
	}
}

// TestTrancheOrdering: with a flat correlation, junior tranches lose more.
func TestTrancheOrdering(t *testing.T) {
	eq, _ := TrancheLoss(0, 0.03, 0.05, 0.2, 0.2, 0.4)
	mez, _ := TrancheLoss(0.03, 0.07, 0.05, 0.2, 0.2, 0.4)
	sen, _ := TrancheLoss(0.15, 0.3, 0.05, 0.2, 0.2, 0.4)
	if !(eq > mez && mez > sen && sen > 0) {
		t.Errorf("equity %v mezzanine %v senior %v", eq, mez, sen)
	}
}

func TestTrancheLossErrors(t *testing.T) {
	for _, c := range [][6]float64{
		{0.1, 0.1, 0.05, 0.2, 0.2, 0.4},
		{-0.1, 0.1, 0.05, 0.2, 0.2, 0.4},
		{0, 1.2, 0.05, 0.2, 0.2, 0.4},
		{0, 0.1, 0, 0.2, 0.2, 0.4},
		{0, 0.1, 0.05, 1, 0.2, 0.4},
		{0, 0.1, 0.05, 0.2, math.NaN(), 0.4},
		{0, 0.1, 0.05, 0.2, 0.2, 1},
	} {
		if _, err := TrancheLoss(c[0], c[1], c[2], c[3], c[4], c[5]); err == nil {
			t.Errorf("%v: no error", c)
		}
	}
}

// TestTrancheFullStructureProtection: the [0, 1] tranche loses pd(t)(1-R), so
// its protection leg is the CDS protection leg on the pool hazard curve.
func TestTrancheFullStructureProtection(t *testing.T) {
	h := Hazard{Times: []float64{1, 3, 5}, Rates: []float64{0.01, 0.02, 0.03}}
	d := Discount{Rate: 0.02}
	tr := Tranche{Attach: 0, Detach: 1, RhoAttach: 0.3, RhoDetach: 0.3, Recovery: 0.4, Maturity: 5, Coupon: 0.01, Freq: 4}
	got, err := tr.Price(h, d)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := CDS{Maturity: 5, Coupon: 0.01, Recovery: 0.4, Freq: 4}.Price(h, d)
	if !near(got.Protection, want.Protection, 1e-15, 0) {
		t.Errorf("tranche [0,1] protection %.16g, CDS %.16g", got.Protection, want.Protection)
	}
	// Equity is wider than senior; par spreads are positive.
	eq, _ := Tranche{0, 0.03, 0.15, 0.15, 0.4, 5, 0.05, 4}.Price(h, d)
	sen, _ := Tranche{0.07, 0.1, 0.3, 0.35, 0.4, 5, 0.01, 4}.Price(h, d)
	if !(eq.ParSpread > sen.ParSpread && sen.ParSpread > 0) {
		t.Errorf("equity par %v senior par %v", eq.ParSpread, sen.ParSpread)
	}
	if !near(eq.PV, eq.Protection-0.05*eq.Annuity, 1e-16, 0) {
		t.Errorf("pv %v", eq.PV)
	}
}

// TestBaseLossTinyPDNotNaN is the fix for a NaN found by FuzzCreditKinds:
// math.Erfcinv(2p) overflows for p = 1e-300, so the quantile was -Inf. Tiny
// default probabilities and attachments now give finite losses that agree
// with quadrature.
func TestBaseLossTinyPDNotNaN(t *testing.T) {
	if got := BaseLoss(1e-300, 1e-300, 0.9999999999, 0); !(got >= 0 && got <= 1e-300) {
		t.Errorf("BaseLoss(1e-300, 1e-300, ~1, 0) = %v", got)
	}
	for _, c := range [][2]float64{{1e-9, 1e-9}, {1e-6, 1e-12}, {1e-3, 1e-10}} {
		k, pd := c[0], c[1]
		got, want := BaseLoss(k, pd, 0.4, 0.4), baseLossQuadrature(k, pd, 0.4, 0.4)
		if !near(got, want, 0, 1e-9) {
			t.Errorf("k %v pd %v: %.15g, quadrature %.15g", k, pd, got, want)
		}
	}
}
