package credit

import (
	"math"
	"math/rand/v2"
)

// Copula is a Gaussian factor copula with a global factor M and one factor per
// sector: name i, in sector s(i), has the latent variable
//
//	X_i = G_i M + B_i Z_s(i) + √(1 - G_i² - B_i²) ε_i
//
// with M, Z_s, ε_i independent standard normals, and defaults by t when
// Φ(X_i) <= 1 - S_i(t). Two names have latent correlation G_i G_j, plus
// B_i B_j when they share a sector. Build one with NewCopula.
type Copula struct {
	global, loading, idio []float64
	sector                []int
	sectors               int
}

// NewCopula returns the copula of len(global) names with global-factor
// loadings global, sector indices sector (0, 1, ...) and sector-factor
// loadings loading. Every loading is in [-1, 1] with G² + B² <= 1. The slices
// are copied.
func NewCopula(global []float64, sector []int, loading []float64) (Copula, error) {
	n := len(global)
	if n == 0 || len(sector) != n || len(loading) != n {
		return Copula{}, errorf("copula: %d global loadings, %d sectors, %d sector loadings", n, len(sector), len(loading))
	}
	c := Copula{
		global:  append([]float64(nil), global...),
		loading: append([]float64(nil), loading...),
		sector:  append([]int(nil), sector...),
		idio:    make([]float64, n),
	}
	for i := range n {
		g, b := global[i], loading[i]
		if !(math.Abs(g) <= 1) || !(math.Abs(b) <= 1) || g*g+b*b > 1 {
			return Copula{}, errorf("copula: name %d loadings %v, %v need G² + B² <= 1", i, g, b)
		}
		if sector[i] < 0 || sector[i] > 1<<20 {
			return Copula{}, errorf("copula: name %d sector %d must be in [0, 2^20]", i, sector[i])
		}
		c.sectors = max(c.sectors, sector[i]+1)
		c.idio[i] = math.Sqrt(1 - g*g - b*b)
	}
	return c, nil
}

// Names returns the number of names.
func (c Copula) Names() int { return len(c.global) }

// Sectors returns the number of sector factors (the largest sector index + 1),
// the length of the factor buffer Times needs.
func (c Copula) Sectors() int { return c.sectors }

// Correlation returns the latent correlation of names i and j (1 if i == j).
func (c Copula) Correlation(i, j int) float64 {
	if i == j {
		return 1
	}
	r := c.global[i] * c.global[j]
	if c.sector[i] == c.sector[j] {
		r += c.loading[i] * c.loading[j]
	}
	return r
}

// Times draws one scenario of default times into tau (one per name, +Inf for
// a name that never defaults), name i's marginal law given by curves[i].
// factors is scratch space of length Sectors(). It draws 1 + Sectors() +
// Names() normals from rng, in that order, and does not allocate.
func (c Copula) Times(rng *rand.Rand, curves []Hazard, factors, tau []float64) error {
	n := len(c.global)
	if len(curves) != n || len(tau) != n || len(factors) != c.sectors {
		return errorf("copula: %d names but %d curves, %d times; %d sectors but %d factors",
			n, len(curves), len(tau), c.sectors, len(factors))
	}
	m := rng.NormFloat64()
	for s := range factors {
		factors[s] = rng.NormFloat64()
	}
	for i := range n {
		x := c.global[i]*m + c.loading[i]*factors[c.sector[i]] + c.idio[i]*rng.NormFloat64()
		// Cumulative hazard at default: -ln(1-Φ(x)), accurate in both tails.
		var e float64
		if x < 0 {
			e = -math.Log1p(-normCDF(x))
		} else {
			e = -math.Log(normCDF(-x))
		}
		tau[i] = curves[i].Inverse(e)
	}
	return nil
}
