package credit

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestCopulaMonteCarlo simulates default times and compares, for every name,
// the default frequency by 1y and 5y with 1 - S(t), and for every pair the
// joint default frequency by 5y with Φ₂(c_i, c_j; ρ_ij), c = Φ⁻¹(1 - S(5)),
// and the default correlation with its closed form. Seeded (PCG 1, 2),
// 200,000 paths; frequencies within 4 Monte Carlo standard errors, the
// default correlation within 4 standard errors of the joint frequency plus 4
// of a marginal, both scaled by the formula's denominator (a conservative
// first-order bound).
func TestCopulaMonteCarlo(t *testing.T) {
	global := []float64{0.5, 0.5, 0.3, 0.6, 0.4, 0}
	sector := []int{0, 0, 0, 1, 1, 2}
	load := []float64{0.5, 0.4, 0.6, 0.5, 0.3, 0}
	c, err := NewCopula(global, sector, load)
	if err != nil {
		t.Fatal(err)
	}
	curves := []Hazard{
		FlatHazard(0.02), FlatHazard(0.05),
		{Times: []float64{1, 3}, Rates: []float64{0.01, 0.04}},
		FlatHazard(0.03), FlatHazard(0.1), FlatHazard(0.06),
	}
	n := c.Names()
	const paths = 200000
	rng := rand.New(rand.NewPCG(1, 2))
	factors := make([]float64, c.Sectors())
	tau := make([]float64, n)
	by1 := make([]int, n)
	by5 := make([]int, n)
	joint := make([][]int, n)
	for i := range joint {
		joint[i] = make([]int, n)
	}
	for range paths {
		if err := c.Times(rng, curves, factors, tau); err != nil {
			t.Fatal(err)
		}
		for i := range n {
			if tau[i] <= 1 {
				by1[i]++
			}
			if tau[i] <= 5 {
				by5[i]++
				for j := i + 1; j < n; j++ {
					if tau[j] <= 5 {
						joint[i][j]++
					}
				}
			}
		}
	}
	check := func(what string, count int, p float64) {
		t.Helper()
		got := float64(count) / paths
		se := math.Sqrt(p * (1 - p) / paths)
		if math.Abs(got-p) > 4*se {
			t.Errorf("%s: frequency %.5f, closed form %.5f, %.1f standard errors", what, got, p, math.Abs(got-p)/se)
		}
	}
	for i := range n {
		check("name default by 1y", by1[i], 1-curves[i].Survival(1))
		check("name default by 5y", by5[i], 1-curves[i].Survival(5))
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			pi, pj := 1-curves[i].Survival(5), 1-curves[j].Survival(5)
			rho := c.Correlation(i, j)
			pij := Binormal(normQuantile(pi), normQuantile(pj), rho)
			check("joint default by 5y", joint[i][j], pij)
			// Default correlation: the closed form against the simulated one,
			// the latter from simulated marginal and joint frequencies.
			corr := func(pi, pj, pij float64) float64 {
				return (pij - pi*pj) / math.Sqrt(pi*(1-pi)*pj*(1-pj))
			}
			fi, fj, fij := float64(by5[i])/paths, float64(by5[j])/paths, float64(joint[i][j])/paths
			se := math.Sqrt(pij*(1-pij)/paths) / math.Sqrt(pi*(1-pi)*pj*(1-pj))
			if got, want := corr(fi, fj, fij), corr(pi, pj, pij); math.Abs(got-want) > 4*se+4*math.Sqrt(pi*(1-pi)/paths) {
				t.Errorf("names %d,%d: default correlation %.4f, closed form %.4f", i, j, got, want)
			}
		}
	}
	// Names in different sectors with no common loading are independent.
	if c.Correlation(0, 5) != 0 || c.Correlation(0, 1) != 0.45 || c.Correlation(0, 3) != 0.3 {
		t.Errorf("correlations %v %v %v", c.Correlation(0, 5), c.Correlation(0, 1), c.Correlation(0, 3))
	}
}

func TestCopulaErrors(t *testing.T) {
	if _, err := NewCopula([]float64{0.8}, []int{0}, []float64{0.8}); err == nil {
		t.Error("G²+B² > 1: no error")
	}
	if _, err := NewCopula([]float64{0.5}, []int{-1}, []float64{0.1}); err == nil {
		t.Error("negative sector: no error")
	}
	if _, err := NewCopula(nil, nil, nil); err == nil {
		t.Error("no names: no error")
	}
	c, _ := NewCopula([]float64{0.5, 0.5}, []int{0, 1}, []float64{0.1, 0.1})
	rng := rand.New(rand.NewPCG(1, 1))
	if err := c.Times(rng, []Hazard{FlatHazard(0.01)}, make([]float64, 2), make([]float64, 2)); err == nil {
		t.Error("short curves: no error")
	}
}

// TestHazardInverse: Inverse undoes Integrated, and a zero tail never defaults.
func TestHazardInverse(t *testing.T) {
	h := Hazard{Times: []float64{1, 2, 4}, Rates: []float64{0.02, 0, 0.05}}
	for _, tt := range []float64{0.3, 1, 1.5, 2.5, 4, 9} {
		x := h.Integrated(tt)
		got := h.Inverse(x)
		if tt == 1.5 { // the flat segment (1, 2] maps back to its start
			if got != 1 {
				t.Errorf("Inverse(Integrated(1.5)) = %v, want 1", got)
			}
			continue
		}
		if !near(got, tt, 1e-14, 1e-14) {
			t.Errorf("Inverse(Integrated(%v)) = %v", tt, got)
		}
	}
	z := Hazard{Times: []float64{1}, Rates: []float64{0}}
	if got := z.Inverse(0.1); !math.IsInf(got, 1) {
		t.Errorf("zero hazard: %v", got)
	}
	if d := h.Density(0.5); !near(d, 0.02*math.Exp(-0.01), 1e-16, 0) {
		t.Errorf("density %v", d)
	}
}
