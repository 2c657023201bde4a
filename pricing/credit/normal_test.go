package credit

import (
	"math"
	"testing"
)

// TestBinormalQuantLib compares with QuantLib 1.29
// BivariateCumulativeNormalDistribution (credit_gen.py, bvn_cases), an
// independent implementation of the same Genz algorithm; tolerance 1e-14.
func TestBinormalQuantLib(t *testing.T) {
	var doc struct {
		Cases []struct{ A, B, Rho, CDF float64 }
	}
	readJSON(t, "credit_bvn.json", &doc)
	if len(doc.Cases) < 50 {
		t.Fatalf("only %d cases", len(doc.Cases))
	}
	for _, c := range doc.Cases {
		if got := Binormal(c.A, c.B, c.Rho); !near(got, c.CDF, 1e-14, 0) {
			t.Errorf("N2(%v, %v; %v) = %.16g, QuantLib %.16g", c.A, c.B, c.Rho, got, c.CDF)
		}
	}
}

// TestBinormalSheppard: N2(0, 0; rho) = 1/4 + asin(rho)/(2 pi) (Sheppard 1899).
func TestBinormalSheppard(t *testing.T) {
	for _, rho := range []float64{-0.999, -0.93, -0.5, -0.1, 0.1, 0.4, 0.8, 0.95, 0.9999} {
		want := 0.25 + math.Asin(rho)/(2*math.Pi)
		if got := Binormal(0, 0, rho); !near(got, want, 1e-15, 0) {
			t.Errorf("rho %v: %.16g want %.16g", rho, got, want)
		}
	}
}

// TestBinormalLimits: rho = ±1 and infinite arguments.
func TestBinormalLimits(t *testing.T) {
	a, b := 0.3, -0.8
	if got, want := Binormal(a, b, 1), normCDF(math.Min(a, b)); !near(got, want, 1e-15, 0) {
		t.Errorf("rho=1: %v want %v", got, want)
	}
	if got, want := Binormal(a, b, -1), math.Max(0, normCDF(a)+normCDF(b)-1); !near(got, want, 1e-15, 0) {
		t.Errorf("rho=-1: %v want %v", got, want)
	}
	if got, want := Binormal(a, math.Inf(1), 0.5), normCDF(a); !near(got, want, 1e-15, 0) {
		t.Errorf("b=+Inf: %v want %v", got, want)
	}
	if got := Binormal(math.Inf(-1), b, 0.5); got != 0 {
		t.Errorf("a=-Inf: %v", got)
	}
}

// TestNormQuantile: Φ(Φ⁻¹(p)) = p from p = 1e-300 to 1/2 to a relative
// 1e-14 x max(1, |x|/4): an ulp of x moves Φ(x) by about |x| ulp relative,
// so this is as close as a float64 x can get in the far tail. And symmetry
// above 1/2.
func TestNormQuantile(t *testing.T) {
	for _, p := range []float64{1e-300, 1e-200, 1e-100, 1e-30, 1e-16, 1e-10, 1e-5, 0.001, 0.02, 0.02425, 0.1, 0.3, 0.5} {
		x := normQuantile(p)
		if got := normCDF(x); !near(got, p, 0, 1e-14*math.Max(1, math.Abs(x)/4)) {
			t.Errorf("p %v: Φ(%v) = %v", p, x, got)
		}
		if q := 1 - p; q < 1 && !near(normQuantile(q), -normQuantile(1-q), 0, 1e-15) {
			t.Errorf("p %v: asymmetric", q)
		}
	}
	if !math.IsInf(normQuantile(0), -1) || !math.IsInf(normQuantile(1), 1) || !math.IsNaN(normQuantile(2)) {
		t.Error("edge values")
	}
}
