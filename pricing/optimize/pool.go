package optimize

// CutPool holds supporting hyperplanes f(x) >= C0[k] + G[k]·x of one
// CVaR-family objective, in x space (USD notionals). Every cut is a global
// minorant of the objective, valid whatever the bounds or constraints, so
// the cuts of one solve seed the next: the MinTrade/MaxInstruments refits
// of the same solve, or a solve on a problem whose hedged loss differs by
// a linear term (CutPool.Shifted).
type CutPool struct {
	M  int
	C0 []float64
	G  []float64 // row-major, len(C0) × M
}

// maxPool bounds the cuts a pool keeps (the newest).
const maxPool = 1024

// Len is the number of cuts.
func (c *CutPool) Len() int {
	if c == nil {
		return 0
	}
	return len(c.C0)
}

func (c *CutPool) add(c0 float64, g []float64) {
	c.C0 = append(c.C0, c0)
	c.G = append(c.G, g...)
	if n := len(c.C0); n > maxPool {
		drop := n - maxPool
		c.C0 = append(c.C0[:0], c.C0[drop:]...)
		c.G = append(c.G[:0], c.G[drop*c.M:]...)
	}
}

// Shifted returns the pool's cuts for the objective of a problem whose
// P&L matrix is this one's minus shift[j] in column j: every row's hedged
// loss grows by shift·x, and every CVaR-family objective (CVaR, median,
// worst scenario, their mixtures, the tail) is translation-equivariant, so
// f_new(x) = f(x) + shift·x and each cut's gradient gains shift.
func (c *CutPool) Shifted(shift []float64) *CutPool {
	if c == nil {
		return nil
	}
	out := &CutPool{M: c.M, C0: append([]float64(nil), c.C0...), G: append([]float64(nil), c.G...)}
	for k := range out.C0 {
		g := out.G[k*c.M : (k+1)*c.M]
		for j := range g {
			g[j] += shift[j]
		}
	}
	return out
}
