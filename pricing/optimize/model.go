package optimize

import (
	"fmt"
	"math"
)

// model is the feasible set X of a Problem (bounds, linear constraints,
// budget) in scaled model variables y, with x = xfix + Σ_k sign_k·scale_k·y_k
// e_{inst_k}. Instruments with equal bounds are fixed and carry no
// variable; an instrument that may take both signs and has a cost under a
// finite budget is split into a long and a short variable, both >= 0, so
// that the budget Σ Cost·|x| <= B is linear (the standard split of Dantzig,
// Linear Programming and Extensions, 1963, §6.2). Model bounds are scaled to
// |y| <= 1.
type model struct {
	m     int
	n     int
	inst  []int
	sign  []float64
	scale []float64
	xfix  []float64
	l, u  []float64
	// G y <= h and E y = f: rows normalised to unit max-norm.
	G, h []float64
	E, f []float64
	// With Holdings, the variables from ny on are trade sizes: s_k >= |x_j
	// - Holdings[j]| for j = inst[k], in units of scale[k]; every cut
	// carries TradeCost[j]·scale[k] on s_k, the linear trading costs lin,
	// and tconst, the constant part (the fixed instruments' cost among
	// it). Then max_k cut_k(y) + lin·y + tc·s, minimised, is the
	// cutting-plane model of CVaR + T(x), exact in T.
	p      *Problem
	ny     int
	lin    []float64 // per variable below ny: linear trading cost, USD per unit
	tc     []float64 // per trade variable, USD per unit
	hold   []float64 // per trade variable, Holdings[j]
	tconst float64
}

// newModel builds the model for notional bounds lo, hi (USD, already
// tightened by the budget).
func newModel(p *Problem, lo, hi []float64) (*model, error) {
	m := p.M()
	md := &model{m: m, xfix: make([]float64, m), p: p}
	budget := p.hasBudget()
	for j := 0; j < m; j++ {
		a, b := lo[j], hi[j]
		if a > b {
			return nil, fmt.Errorf("%w: notional bounds of instrument %d are [%v, %v] after the budget", ErrInfeasible, j, a, b)
		}
		if a == b {
			md.xfix[j] = a
			continue
		}
		sc := math.Max(math.Abs(a), math.Abs(b))
		if a < 0 && b > 0 && budget && p.Cost[j] > 0 {
			md.add(j, 1, b, 0, 1)
			md.add(j, -1, -a, 0, 1)
			continue
		}
		md.add(j, 1, sc, a/sc, b/sc)
	}
	md.ny = len(md.inst)
	if p.Holdings != nil {
		// An instrument's trading cost is linear in its variables when
		// the holding is at or beyond a bound (x - h keeps one sign), or
		// at zero with a long/short split (|x| = scale⁺y⁺ + scale⁻y⁻):
		// then it goes into every cut as a gradient (lin), without a
		// variable; only the others, mostly instruments held, need s.
		md.lin = make([]float64, md.ny)
		vars := make([][]int, m)
		for k := 0; k < md.ny; k++ {
			vars[md.inst[k]] = append(vars[md.inst[k]], k)
		}
		for j := 0; j < m; j++ {
			c := p.TradeCost[j]
			if !(c > 0) {
				continue
			}
			h := p.Holdings[j]
			if lo[j] == hi[j] {
				md.tconst += c * math.Abs(md.xfix[j]-h)
				continue
			}
			if v := vars[j]; len(v) == 1 && (h <= lo[j] || h >= hi[j]) {
				k, sg := v[0], 1.0
				if h >= hi[j] {
					sg = -1
				}
				md.lin[k] = sg * c * md.sign[k] * md.scale[k]
				md.tconst -= sg * c * h
				continue
			} else if len(v) == 2 && h == 0 {
				md.lin[v[0]], md.lin[v[1]] = c*md.scale[v[0]], c*md.scale[v[1]]
				continue
			}
			sc := math.Max(math.Abs(lo[j]-h), math.Abs(hi[j]-h))
			md.add(j, 0, sc, 0, 1)
			md.tc = append(md.tc, c*sc)
			md.hold = append(md.hold, h)
		}
	}
	md.n = len(md.inst)
	n, ny := md.n, md.ny
	row := make([]float64, n)
	addRow := func(eq bool, rhs float64) {
		s := normInf(row)
		if s == 0 {
			return
		}
		for k := range row {
			row[k] /= s
		}
		if eq {
			md.E = append(md.E, row...)
			md.f = append(md.f, rhs/s)
		} else {
			md.G = append(md.G, row...)
			md.h = append(md.h, rhs/s)
		}
	}
	for ci, c := range p.Constraints {
		off := dot(c.A, md.xfix)
		clear(row)
		for k := 0; k < ny; k++ {
			row[k] = c.A[md.inst[k]] * md.sign[k] * md.scale[k]
		}
		if normInf(row) == 0 {
			if c.Lo > off+1e-9*(1+math.Abs(off)) || c.Hi < off-1e-9*(1+math.Abs(off)) {
				return nil, fmt.Errorf("%w: Constraints[%d] (%q) cannot hold: its instruments are fixed at a value %v outside [%v, %v]", ErrInfeasible, ci, c.Name, off, c.Lo, c.Hi)
			}
			continue
		}
		if c.Lo == c.Hi {
			addRow(true, c.Lo-off)
			continue
		}
		if !math.IsInf(c.Hi, 1) {
			addRow(false, c.Hi-off)
		}
		if !math.IsInf(c.Lo, -1) {
			for k := 0; k < ny; k++ {
				row[k] = -c.A[md.inst[k]] * md.sign[k] * md.scale[k]
			}
			addRow(false, off-c.Lo)
		}
	}
	if budget {
		fixed := p.CostPerYear(md.xfix)
		// Cost·|x_j| is linear in y when the variable has one sign.
		clear(row)
		for k := 0; k < ny; k++ {
			j := md.inst[k]
			s := 1.0
			if md.u[k] <= 0 {
				s = -1
			}
			row[k] = p.Cost[j] * md.scale[k] * s
		}
		if normInf(row) > 0 {
			addRow(false, p.Budget-fixed)
		} else if fixed > p.Budget {
			return nil, fmt.Errorf("%w: fixed notionals cost %v a year, over the budget %v", ErrInfeasible, fixed, p.Budget)
		}
	}
	// Trade sizes: x_j - h_j <= s and h_j - x_j <= s.
	for k := ny; k < n; k++ {
		j := md.inst[k]
		for _, sg := range []float64{1, -1} {
			clear(row)
			for i := 0; i < ny; i++ {
				if md.inst[i] == j {
					row[i] = sg * md.sign[i] * md.scale[i]
				}
			}
			row[k] = -md.scale[k]
			addRow(false, sg*(p.Holdings[j]-md.xfix[j]))
		}
	}
	return md, nil
}

func (md *model) add(j int, sign, scale, l, u float64) {
	md.inst = append(md.inst, j)
	md.sign = append(md.sign, sign)
	md.scale = append(md.scale, scale)
	md.l = append(md.l, l)
	md.u = append(md.u, u)
}

// toX writes x = xfix + M y.
func (md *model) toX(y, x []float64) {
	copy(x, md.xfix)
	for k, v := range y[:md.ny] {
		x[md.inst[k]] += md.sign[k] * md.scale[k] * v
	}
}

// cut maps an affine minorant c0 + gx·x in x space to c0' + gy·y in model
// space and returns c0'.
func (md *model) cut(c0 float64, gx, gy []float64) float64 {
	c0 += dot(gx, md.xfix) + md.tconst
	for k := range gy[:md.ny] {
		gy[k] = gx[md.inst[k]] * md.sign[k] * md.scale[k]
	}
	for k, v := range md.lin {
		gy[k] += v
	}
	copy(gy[md.ny:], md.tc)
	return c0
}

// tradeCost is the exact T(x) of the model's problem, the cut model's
// trading-cost part at its best s.
func (md *model) tradeCost(x []float64) float64 {
	if md.p == nil || md.p.Holdings == nil {
		return 0
	}
	return md.p.TradeCostOf(x)
}

// start returns a point of X: the box point closest to zero when there
// are no rows, otherwise the solution of the phase-one programme
// min t s.t. G y - t <= h, |E y - f| <= t, l <= y <= u, t >= 0. It
// returns ErrInfeasible when the minimum t is positive.
func (md *model) start(w *ipm, y []float64) error {
	n := md.n
	if len(md.h) == 0 && len(md.f) == 0 {
		for k := 0; k < n; k++ {
			y[k] = math.Min(math.Max(0, md.l[k]), md.u[k])
		}
		return nil
	}
	n1 := n + 1
	rows := len(md.h) + 2*len(md.f)
	p := &qp{
		n: n1,
		c: make([]float64, n1),
		G: make([]float64, 0, rows*n1),
		h: make([]float64, 0, rows),
		l: append(append([]float64(nil), md.l...), 0),
		u: append(append([]float64(nil), md.u...), math.Inf(1)),
	}
	p.c[n] = 1
	for i := range md.h {
		p.G = append(p.G, md.G[i*n:(i+1)*n]...)
		p.G = append(p.G, -1)
		p.h = append(p.h, md.h[i])
	}
	for i := range md.f {
		p.G = append(p.G, md.E[i*n:(i+1)*n]...)
		p.G = append(p.G, -1)
		p.h = append(p.h, md.f[i])
		for k := 0; k < n; k++ {
			p.G = append(p.G, -md.E[i*n+k])
		}
		p.G = append(p.G, -1)
		p.h = append(p.h, -md.f[i])
	}
	if err := w.solve(p, 1e-10, 200); err != nil {
		return fmt.Errorf("%w: phase one: %v", ErrInfeasible, err)
	}
	if w.y[n] > 1e-7 {
		return fmt.Errorf("%w: the bounds, linear constraints and budget have no common point (phase-one violation %.3g in scaled units)", ErrInfeasible, w.y[n])
	}
	copy(y, w.y[:n])
	return nil
}

// project sets y to the point of X nearest (in model scale) to the x-space
// point x, when the projection QP solves; y, a feasible point, is kept
// otherwise.
func (md *model) project(w *ipm, x, y []float64) {
	n := md.n
	y0 := make([]float64, n)
	for k := 0; k < n; k++ {
		// A split long/short pair has l = 0 on both sides: clamping
		// sends each side's part of x to the one that carries it.
		v := (x[md.inst[k]] - md.xfix[md.inst[k]]) * md.sign[k]
		if k >= md.ny { // a trade size: |x_j - h_j|
			v = math.Abs(x[md.inst[k]] - md.hold[k-md.ny])
		}
		y0[k] = math.Min(math.Max(v/md.scale[k], md.l[k]), md.u[k])
	}
	p := &qp{n: n, Q: make([]float64, n*n), c: make([]float64, n), l: md.l, u: md.u, G: md.G, h: md.h, E: md.E, f: md.f}
	for k := 0; k < n; k++ {
		p.Q[k*n+k] = 1
		p.c[k] = -y0[k]
	}
	if len(md.h) == 0 && len(md.f) == 0 {
		copy(y, y0) // the box alone: clamping is the projection
		return
	}
	if err := w.solve(p, 1e-9, 200); err == nil {
		copy(y, w.y[:n])
	}
}
