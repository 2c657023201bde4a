package scenario

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Each Latin-hypercube column has exactly one point per stratum, and the
// hyperparameters stay within their ranges.
func TestLatinHypercubeStratifies(t *testing.T) {
	const n = 1000
	ps, err := Generate(n, 42, nil)
	if err != nil {
		t.Fatal(err)
	}
	var s Settings
	s.setDefaults()
	seen := make([]bool, n)
	for _, p := range ps {
		if p.FXVol < s.FXVol.Lo || p.FXVol > s.FXVol.Hi || p.IRVol*1e4 < s.IRVolBps.Lo || p.IRVol*1e4 > s.IRVolBps.Hi ||
			p.CreditVol < s.CreditVol.Lo || p.CreditVol > s.CreditVol.Hi || p.EquityVol < s.EquityVol.Lo || p.EquityVol > s.EquityVol.Hi {
			t.Fatalf("scenario %d out of range: %+v", p.Index, p)
		}
		// Log-uniform: the stratum of FXVol in log space.
		k := int(float64(n) * math.Log(p.FXVol/s.FXVol.Lo) / math.Log(s.FXVol.Hi/s.FXVol.Lo))
		if seen[k] {
			t.Fatalf("FX vol stratum %d hit twice", k)
		}
		seen[k] = true
	}
}

// Regime and breakdown frequencies follow their probabilities: with LHS the
// count of a category is within 1 of n·p.
func TestRegimeFrequencies(t *testing.T) {
	const n = 1000
	for _, sampling := range []string{"lhs", "sobol"} {
		ps, err := Generate(n, 7, &Settings{Sampling: sampling})
		if err != nil {
			t.Fatal(err)
		}
		var c [NumRegime]int
		bd := 0
		for _, p := range ps {
			c[p.Regime]++
			if p.Breakdown {
				bd++
			}
		}
		for r, want := range []float64{600, 300, 100} {
			if math.Abs(float64(c[r])-want) > 2 {
				t.Errorf("%s: %d %s scenarios, want %v", sampling, c[r], Regime(r), want)
			}
		}
		if math.Abs(float64(bd)-100) > 2 {
			t.Errorf("%s: %d breakdown scenarios, want 100", sampling, bd)
		}
	}
}

// The unshifted Sobol points of the first two dimensions in Gray-code order
// are the known ones (Bratley & Fox 1988, Algorithm 659, table of the first
// points): dimension 1 is van der Corput.
func TestSobolFirstPoints(t *testing.T) {
	want := [2][]float64{
		{0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125},
		{0, 0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625},
	}
	for d := range 2 {
		v := sobolDirections(d)
		var x uint32
		for i, w := range want[d] {
			if i > 0 {
				c := 0
				for j := uint32(i - 1); j&1 == 1; j >>= 1 {
					c++
				}
				x ^= v[c]
			}
			if got := float64(x) / (1 << 32); got != w {
				t.Errorf("dim %d point %d = %v, want %v", d, i, got, w)
			}
		}
	}
}

// Every dimension of 2^k shifted Sobol points has one point per interval
// of length 2^-k (each 1-D projection is a (0,k,1)-net; a digital shift
// keeps that), and the first two dimensions form a (0,k,2)-net: each cell
// of an 8x8 grid holds one of 64 points. Other pairs have t-values above 0
// (Joe & Kuo 2008, table 2), so for them we check the 4x4 grid, which
// t <= 2 fills evenly.
func TestSobolStratifies(t *testing.T) {
	const n = 64
	u := sobol(n, 7, rand.New(rand.NewPCG(1, 2)))
	for d := range u {
		seen := make([]int, n)
		for _, x := range u[d] {
			seen[int(x*n)]++
		}
		for k, c := range seen {
			if c != 1 {
				t.Fatalf("dim %d interval %d has %d points", d, k, c)
			}
		}
	}
	for a := range 7 {
		for b := a + 1; b < 7; b++ {
			g, want := 4, 4
			if a == 0 && b == 1 {
				g, want = 8, 1
			}
			grid := make([]int, g*g)
			for i := range n {
				grid[int(u[a][i]*float64(g))*g+int(u[b][i]*float64(g))]++
			}
			for _, c := range grid {
				if c != want {
					t.Fatalf("dims %d,%d: a %dx%d cell has %d points, want %d", a, b, g, g, c, want)
				}
			}
		}
	}
}

func TestSeedsDifferAndRepeat(t *testing.T) {
	a1, b1 := Seeds(42, 0)
	a2, b2 := Seeds(42, 0)
	a3, _ := Seeds(42, 1)
	a4, _ := Seeds(43, 0)
	if a1 != a2 || b1 != b2 {
		t.Error("same inputs gave different seeds")
	}
	if a1 == a3 || a1 == a4 {
		t.Error("different scenarios or runs share a seed")
	}
}

func TestBadSettings(t *testing.T) {
	for _, s := range []Settings{
		{FXVol: Range{-0.1, 0.2}},
		{FXVol: Range{0.3, 0.2}},
		{RegimeProbs: [NumRegime]float64{0.5, 0.5, 0.5}},
		{Sampling: "halton"},
		{BreakdownProb: 2},
	} {
		if _, err := Generate(10, 1, &s); err == nil {
			t.Errorf("settings %+v accepted", s)
		}
	}
	if _, err := Generate(0, 1, nil); err == nil {
		t.Error("0 scenarios accepted")
	}
}
