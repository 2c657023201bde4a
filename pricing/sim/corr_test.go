package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/hedgeflow/hedgeflow/pricing/scenario"
	"gonum.org/v1/gonum/mat"
)

// The reference definition of the factors' correlations: the d×d matrix,
// repaired by Rebonato and Jäckel's method when it is not positive
// definite. The simulation draws from it through blockFactor, which these
// tests check against it.

// corrMatrix returns the correlation matrix of factors of the given kinds in
// a regime. In a breakdown the FX pairs decorrelate and FX's correlations
// with the other asset classes change sign: the relationships a hedge
// relies on fail.
func corrMatrix(kinds []kind, r scenario.Regime, breakdown bool) *mat.SymDense {
	n := len(kinds)
	c := mat.NewSymDense(n, nil)
	rc := regimeOf(r, breakdown)
	for i := range n {
		c.SetSym(i, i, 1)
		for j := i + 1; j < n; j++ {
			var v float64
			if kinds[i] == kinds[j] {
				v = rc.same[kinds[i]]
			} else {
				v = rc.cross[kinds[i]][kinds[j]]
			}
			c.SetSym(i, j, v)
		}
	}
	return c
}

// nearestPSD returns c if it is positive definite, else the correlation
// matrix obtained by clipping c's eigenvalues at eps and rescaling to a unit
// diagonal (Rebonato & Jäckel 1999, "The most general methodology to create
// a valid correlation matrix"), and whether it repaired c.
func nearestPSD(c *mat.SymDense) (*mat.SymDense, bool, error) {
	const eps = 1e-8
	var eig mat.EigenSym
	if !eig.Factorize(c, true) {
		return nil, false, fmt.Errorf("sim: eigen-decomposition of the correlation matrix failed")
	}
	vals := eig.Values(nil)
	if vals[0] > eps { // ascending: the smallest is first
		return c, false, nil
	}
	var v mat.Dense
	eig.VectorsTo(&v)
	n := len(vals)
	for i := range vals {
		vals[i] = math.Max(vals[i], eps)
	}
	out := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			s := 0.0
			for k := range n {
				s += v.At(i, k) * vals[k] * v.At(j, k)
			}
			out.SetSym(i, j, s)
		}
	}
	d := make([]float64, n)
	for i := range n {
		d[i] = 1 / math.Sqrt(out.At(i, i))
	}
	for i := range n {
		for j := i; j < n; j++ {
			out.SetSym(i, j, out.At(i, j)*d[i]*d[j])
		}
		out.SetSym(i, i, 1)
	}
	return out, true, nil
}

// The block factor's covariance A Aᵀ (A's columns are the shocks of unit
// draws: apply is linear) is the repaired d×d matrix, to 1e-12, and it
// repairs exactly when nearestPSD does: for the sample fund's factors and
// 300 random layouts of kinds (1-9 factors per kind, some kinds absent), in
// every regime, with and without a breakdown. Some of those need the
// repair, so both branches are checked.
func TestBlockFactorIsTheMatrix(t *testing.T) {
	layouts := [][]kind{sampleModel(t, Config{}).kinds, {kEquity}, {kFX, kFX}}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		var ks []kind
		for k := range numKind {
			for range rng.IntN(10) {
				ks = append(ks, kind(k))
			}
		}
		rng.Shuffle(len(ks), func(i, j int) { ks[i], ks[j] = ks[j], ks[i] })
		if len(ks) > 0 {
			layouts = append(layouts, ks)
		}
	}
	repairs := 0
	for li, ks := range layouts {
		d := len(ks)
		for r := range scenario.NumRegime {
			for _, bd := range []bool{false, true} {
				f, rep, err := newBlockFactor(ks, r, bd)
				if err != nil {
					t.Fatal(err)
				}
				want, wantRep, err := nearestPSD(corrMatrix(ks, r, bd))
				if err != nil {
					t.Fatal(err)
				}
				if rep != wantRep {
					t.Fatalf("layout %d regime %d breakdown %v: repaired %v, nearestPSD %v", li, r, bd, rep, wantRep)
				}
				if rep {
					repairs++
				}
				a := mat.NewDense(d, d, nil)
				e, z := make([]float64, d), make([]float64, d)
				for j := range d {
					clear(e)
					e[j] = 1
					f.apply(e, z)
					for i := range d {
						a.Set(i, j, z[i])
					}
				}
				var got mat.Dense
				got.Mul(a, a.T())
				for i := range d {
					for j := range d {
						if diff := math.Abs(got.At(i, j) - want.At(i, j)); diff > 1e-12 {
							t.Fatalf("layout %d (%v) regime %d breakdown %v: covariance[%d][%d] = %.15f, matrix %.15f",
								li, ks, r, bd, i, j, got.At(i, j), want.At(i, j))
						}
					}
				}
			}
		}
	}
	if repairs == 0 {
		t.Fatal("no layout needed the repair: the repaired branch went untested")
	}
	t.Logf("%d layouts x %d regimes x 2; %d needed repair", len(layouts), scenario.NumRegime, repairs)
}
