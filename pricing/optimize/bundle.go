package optimize

import (
	"fmt"
	"math"
)

// cuts collects affine minorants f(x') >= c0 + g·x' of a convex function in
// x space (USD notionals). Storage is reused between evaluations.
type cuts struct {
	m  int
	c0 []float64
	g  []float64
}

func (c *cuts) reset(m int) {
	c.m = m
	c.c0 = c.c0[:0]
	c.g = c.g[:0]
}

// add appends a zero cut and returns its gradient slice to fill, and the
// index of its constant.
func (c *cuts) add() (int, []float64) {
	c.c0 = append(c.c0, 0)
	k := len(c.c0) - 1
	for i := 0; i < c.m; i++ {
		c.g = append(c.g, 0)
	}
	return k, c.g[k*c.m : (k+1)*c.m]
}

// objective is a convex piecewise-linear function of the notionals: eval
// returns f(x) in USD and appends to cs at least one cut that is tight at x.
type objective interface {
	eval(x []float64, cs *cuts) float64
}

// bundleSettings are the tolerances of the level bundle method.
type bundleSettings struct {
	tol     float64 // relative gap (UB-LB)/max(1,|UB|) in scaled units
	maxIter int
	fscale  float64 // USD per scaled unit of the objective
	cancel  <-chan struct{}
}

// bundleResult is the outcome of a level bundle run in x space.
type bundleResult struct {
	x      []float64
	f, lb  float64 // USD
	iters  int
	gap    float64 // (f - lb)/max(fscale, |f|)
	conv   bool
	lpIter int
}

// level minimises the convex piecewise-linear objective ob over the model's
// feasible set by the level bundle method of Lemaréchal, Nemirovskii &
// Nesterov (1995, "New variants of bundle methods", Math. Programming
// 69:111-147), the stabilised form of the cutting-plane method of Kelley
// (1960) that Künzi-Bauer & Mayer (2006, Comput. Management Sci. 3:3-27)
// apply to CVaR. Each iteration solves the Kelley LP
//
//	min θ  s.t.  θ >= c0_k + g_k·y (all cuts),  y ∈ X
//
// whose value is a lower bound LB on min f (each cut is a minorant), and then
// projects the best point found onto the level set {y ∈ X : c0_k + g_k·y <=
// LB + 0.3·(UB - LB)} (a QP). It stops when UB - LB, a certified optimality
// gap, is within tolerance. Both subproblems are solved by ipm.
//
// seed, when not nil, seeds the cut model with its newest cuts (global
// minorants of the objective from earlier solves); active, when not nil,
// receives the cuts binding at the last cutting-plane LP (those with a
// positive multiplier), in x space: the few that pin the optimum, to seed
// a later solve. start, when not nil, is a point in x space to begin from:
// its projection onto the feasible set.
func level(md *model, ob objective, set bundleSettings, w *ipm, seed *CutPool, start []float64, active *CutPool) (bundleResult, error) {
	n, m := md.n, md.m
	var res bundleResult
	y := make([]float64, n)
	if err := md.start(w, y); err != nil {
		return res, err
	}
	if start != nil && n > 0 {
		md.project(w, start, y)
	}
	x := make([]float64, m)
	best := make([]float64, n)
	gy := make([]float64, n)
	fs := set.fscale
	var cs cuts
	// Cut pool in model space, scaled by 1/fs.
	var pc0 []float64
	var pg []float64
	var age []int
	maxCuts := n + 40
	ub, lb := math.Inf(1), math.Inf(-1)
	lp := &qp{n: n + 1}
	proj := &qp{n: n}
	proj.Q = make([]float64, n*n)
	for k := 0; k < n; k++ {
		proj.Q[k*n+k] = 1
	}
	proj.c = make([]float64, n)
	proj.l, proj.u = md.l, md.u
	proj.E, proj.f = md.E, md.f
	lp.c = make([]float64, n+1)
	lp.c[n] = 1
	lp.l = append(append([]float64(nil), md.l...), math.Inf(-1))
	lp.u = append(append([]float64(nil), md.u...), math.Inf(1))
	if len(md.f) > 0 {
		lp.E = make([]float64, len(md.f)*(n+1))
		for i := range md.f {
			copy(lp.E[i*(n+1):], md.E[i*n:(i+1)*n])
		}
		lp.f = md.f
	}
	// The pool's cuts in x space too, to hand the active ones back.
	var xc0, xg []float64
	addCut := func(c0x float64, gx []float64, a int) {
		c0 := md.cut(c0x, gx, gy) / fs
		for i := range gy {
			gy[i] /= fs
		}
		pc0 = append(pc0, c0)
		pg = append(pg, gy...)
		age = append(age, a)
		xc0 = append(xc0, c0x)
		xg = append(xg, gx...)
	}
	if k0 := seed.Len() - n; seed.Len() > 0 {
		for k := max(k0, 0); k < seed.Len(); k++ {
			addCut(seed.C0[k], seed.G[k*m:(k+1)*m], 0)
		}
	}
	nx := len(md.h)
	for it := 1; it <= set.maxIter; it++ {
		select {
		case <-set.cancel:
			return res, ErrCanceled
		default:
		}
		res.iters = it
		md.toX(y, x)
		cs.reset(m)
		fx := (ob.eval(x, &cs) + md.tradeCost(x)) / fs
		if fx < ub {
			ub = fx
			copy(best, y)
		}
		for k := range cs.c0 {
			addCut(cs.c0[k], cs.g[k*m:(k+1)*m], it)
		}
		// Drop the cuts idle longest when the pool is full. Any subset
		// of cuts still gives a valid lower bound.
		for len(pc0) > maxCuts {
			oldest := 0
			for k := range age {
				if age[k] < age[oldest] {
					oldest = k
				}
			}
			last := len(pc0) - 1
			pc0[oldest] = pc0[last]
			copy(pg[oldest*n:(oldest+1)*n], pg[last*n:(last+1)*n])
			age[oldest] = age[last]
			xc0[oldest] = xc0[last]
			copy(xg[oldest*m:(oldest+1)*m], xg[last*m:(last+1)*m])
			pc0, pg, age = pc0[:last], pg[:last*n], age[:last]
			xc0, xg = xc0[:last], xg[:last*m]
		}
		// Kelley LP.
		nc := len(pc0)
		lp.G = lp.G[:0]
		lp.h = lp.h[:0]
		for i := 0; i < nx; i++ {
			lp.G = append(lp.G, md.G[i*n:(i+1)*n]...)
			lp.G = append(lp.G, 0)
			lp.h = append(lp.h, md.h[i])
		}
		for k := 0; k < nc; k++ {
			lp.G = append(lp.G, pg[k*n:(k+1)*n]...)
			lp.G = append(lp.G, -1)
			lp.h = append(lp.h, -pc0[k])
		}
		if err := w.solve(lp, 1e-9, 200); err != nil {
			return res, fmt.Errorf("cutting-plane LP, iteration %d, %d cuts: %w", it, nc, err)
		}
		res.lpIter += w.iters
		if w.dobj > lb {
			lb = math.Min(w.dobj, ub)
		}
		lam := w.lam[nx:]
		lmax := normInf(lam)
		for k := 0; k < nc; k++ {
			if lam[k] > 1e-6*lmax {
				age[k] = it
			}
		}
		if ub-lb <= set.tol*math.Max(1, math.Abs(ub)) {
			res.conv = true
			break
		}
		kelley := append(gy[:0], w.y[:n]...)
		// Level projection of the best point.
		lev := lb + 0.3*(ub-lb)
		proj.G = proj.G[:0]
		proj.h = proj.h[:0]
		proj.G = append(proj.G, md.G...)
		proj.h = append(proj.h, md.h...)
		for k := 0; k < nc; k++ {
			proj.G = append(proj.G, pg[k*n:(k+1)*n]...)
			proj.h = append(proj.h, lev-pc0[k])
		}
		for k := 0; k < n; k++ {
			proj.c[k] = -best[k]
		}
		// The projection only picks the next trial point: it must be
		// feasible (1e-9), but need not be the nearest point of the
		// level set to more digits than the current gap has (a hundredth
		// of it, between 1e-9 and 1e-6). The optimality gap itself is
		// certified by the cutting-plane LP and the objective alone.
		ptol := math.Min(1e-6, math.Max(1e-9, 0.01*(ub-lb)/math.Max(1, math.Abs(ub))))
		if err := w.solveTo(proj, 1e-9, ptol, 200); err == nil {
			copy(y, w.y[:n])
		} else {
			copy(y, kelley)
		}
		res.lpIter += w.iters
	}
	if active != nil {
		// Cuts are marked with the iteration whose LP they bind.
		for k := range age {
			if age[k] == res.iters {
				active.add(xc0[k], xg[k*m:(k+1)*m])
			}
		}
	}
	res.x = make([]float64, m)
	md.toX(best, res.x)
	res.f = ub * fs
	res.lb = lb * fs
	res.gap = (ub - lb) / math.Max(1, math.Abs(ub))
	if !res.conv {
		return res, ErrNotConverged
	}
	return res, nil
}
