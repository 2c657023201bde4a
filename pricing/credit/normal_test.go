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
