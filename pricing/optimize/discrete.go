package optimize

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// enforce imposes the minimum trade size and the cardinality cap on a
// convex solution by greedy drop-and-refit: in each pass
//
//  1. instruments at zero (|x_j| below 1e-7 of their range) are fixed at 0,
//     so that no refit can bring them back;
//  2. if more than MaxInstruments remain, the smallest by |x_j|·σ_j (σ_j the
//     RMS P&L of one USD of instrument j, so |x_j|·σ_j is the size of the
//     position in P&L terms) are fixed at 0;
//  3. each remaining |x_j| below MinTrade is rounded: to 0 when under half
//     of MinTrade, otherwise its sign is fixed and |x_j| >= MinTrade
//     imposed as a bound (which keeps the refit convex);
//
// and the convex problem is solved again with the new bounds. A pass fixes
// at least one instrument for good, so there are at most 2M passes. When
// a refit is infeasible the pass is undone and one dropped instrument kept
// from then on; if that keeps more than MaxInstruments, the whole search
// starts again dropping one instrument per pass (see gradual), at most 2M
// passes more. The
// refits are convex problems over subsets of the relaxed feasible set, so
// the relaxed lower bound bounds the best programme obeying the rules and
// the reported IntegralityGap is a true bound on the heuristic's excess.
func enforce(p *Problem, x0 []float64, f0 float64, sigma, lo0, hi0 []float64, fit func(lo, hi []float64) ([]float64, float64, error)) ([]float64, float64, error) {
	m := p.M()
	lo := append([]float64(nil), lo0...)
	hi := append([]float64(nil), hi0...)
	x := x0
	f := f0
	mt := p.MinTrade
	fixed := func(i int) bool { return lo[i] == 0 && hi[i] == 0 }
	// needed reports whether j is the last free instrument of a linear
	// constraint that excludes zero (a hedge-ratio floor, say): dropping it
	// would make the refit infeasible, so the heuristic keeps it.
	needed := func(j int) bool {
		for _, c := range p.Constraints {
			if c.A[j] == 0 || (c.Lo <= 0 && c.Hi >= 0) {
				continue
			}
			others := false
			for i, a := range c.A {
				if i != j && a != 0 && !fixed(i) {
					others = true
					break
				}
			}
			if !others {
				return true
			}
		}
		return false
	}
	// keep marks instruments a failed refit showed the heuristic must not
	// drop (see the backtracking below).
	keep := make([]bool, m)
	zeroOK := func(j int) bool { return lo0[j] <= 0 && hi0[j] >= 0 && !needed(j) && !keep[j] }
	fix0 := func(j int) bool {
		if lo[j] == 0 && hi[j] == 0 {
			return false
		}
		lo[j], hi[j] = 0, 0
		return true
	}
	active := make([]int, 0, m)
	prevLo, prevHi := make([]float64, m), make([]float64, m)
	prevX, prevF := x, f
	// gradual: the cap is met one drop per pass. Dropping many at once
	// and backtracking by size can keep positions that do not restore
	// feasibility until more than the cap are kept; one drop per pass
	// makes a failed refit name the instrument it needs. Tried, from the
	// start, when the fast way fails.
	gradual := false
	for pass := 0; pass <= 6*m+2; pass++ {
		copy(prevLo, lo)
		copy(prevHi, hi)
		prevX, prevF = x, f
		changed := false
		active = active[:0]
		for j := 0; j < m; j++ {
			thr := 1e-7 * math.Max(math.Max(math.Abs(lo0[j]), math.Abs(hi0[j])), mt)
			if math.Abs(x[j]) > thr || !zeroOK(j) {
				active = append(active, j)
				continue
			}
			if fix0(j) {
				changed = true
			}
		}
		if k := p.MaxInstruments; k > 0 && len(active) > k {
			sort.SliceStable(active, func(a, b int) bool {
				ja, jb := active[a], active[b]
				return math.Abs(x[ja])*sigma[ja] < math.Abs(x[jb])*sigma[jb]
			})
			drop := len(active) - k
			if gradual {
				drop = 1
			}
			kept := active[:0]
			for _, j := range active {
				if drop > 0 && zeroOK(j) {
					fix0(j)
					changed = true
					drop--
					continue
				}
				kept = append(kept, j)
			}
			active = kept
			if drop > 0 && !gradual {
				gradual = true
				copy(lo, lo0)
				copy(hi, hi0)
				clear(keep)
				x, f = x0, f0
				continue
			}
			if drop > 0 {
				return nil, 0, fmt.Errorf("%w: more than MaxInstruments = %d instruments have bounds that exclude zero", ErrInfeasible, k)
			}
		}
		if mt > 0 {
			for _, j := range active {
				a := math.Abs(x[j])
				if a >= mt*(1-1e-9) && (lo[j] >= mt || hi[j] <= -mt || lo[j] == hi[j]) {
					continue
				}
				if a >= mt*(1-1e-9) {
					// Already large enough: pin the sign so a refit
					// cannot shrink it below MinTrade.
				} else if a < mt/2 && zeroOK(j) {
					fix0(j)
					changed = true
					continue
				}
				up := x[j] > 0
				if up && hi0[j] < mt {
					up = false
				}
				if !up && lo0[j] > -mt {
					if hi0[j] < mt {
						if !zeroOK(j) {
							return nil, 0, fmt.Errorf("%w: instrument %d must be nonzero but its bounds [%v, %v] are inside the minimum trade size %v", ErrInfeasible, j, lo0[j], hi0[j], mt)
						}
						fix0(j)
						changed = true
						continue
					}
					up = true
				}
				if up {
					lo[j] = math.Max(lo[j], mt)
					hi[j] = math.Max(hi[j], lo[j])
				} else {
					hi[j] = math.Min(hi[j], -mt)
					lo[j] = math.Min(lo[j], hi[j])
				}
				changed = true
			}
		}
		if !changed {
			return x, f, nil
		}
		var err error
		x, f, err = fit(lo, hi)
		if errors.Is(err, ErrInfeasible) {
			// Backtrack: of the instruments this pass fixed at zero that
			// sit in a linear constraint, the largest position is kept
			// from now on, and the pass is redone from the previous
			// bounds. Each backtrack keeps one more instrument, so this
			// ends.
			more := false
			best, bestSize := -1, -1.0
			for j := range m {
				if lo[j] == 0 && hi[j] == 0 && !(prevLo[j] == 0 && prevHi[j] == 0) && !keep[j] && inConstraint(p, j) {
					if size := math.Abs(prevX[j]) * sigma[j]; size > bestSize {
						best, bestSize = j, size
					}
				}
			}
			if best >= 0 {
				keep[best] = true
				more = true
			}
			if !more {
				return nil, 0, fmt.Errorf("minimum trade size / cardinality refit: %w", err)
			}
			copy(lo, prevLo)
			copy(hi, prevHi)
			x, f = prevX, prevF
			continue
		}
		if err != nil {
			return nil, 0, fmt.Errorf("minimum trade size / cardinality refit: %w", err)
		}
	}
	return nil, 0, fmt.Errorf("%w: minimum trade size / cardinality heuristic did not settle", ErrInfeasible)
}

// inConstraint reports whether instrument j appears in a linear constraint.
func inConstraint(p *Problem, j int) bool {
	for _, c := range p.Constraints {
		if c.A[j] != 0 {
			return true
		}
	}
	return false
}
