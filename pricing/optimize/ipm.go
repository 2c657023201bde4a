package optimize

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
)

// qp is a dense convex quadratic programme
//
//	minimise   ½ yᵀQy + cᵀy
//	subject to G y <= h,  E y = f,  l <= y <= u,
//
// with Q positive semidefinite (nil for a linear programme), G and E
// row-major with n columns, and bounds that may be ±Inf.
type qp struct {
	n    int
	Q    []float64
	c    []float64
	G, h []float64
	E, f []float64
	l, u []float64
}

// ipm is a primal-dual interior-point solver for qp: Mehrotra's
// predictor-corrector (Mehrotra 1992, SIAM J. Optim. 2(4):575-601; Nocedal &
// Wright, Numerical Optimization, 2nd ed., §14.2 and §16.6) on the normal
// equations (Q + GᵀDG + bound terms) Δy = r, with the equality rows handled
// by a Schur complement. Its buffers are reused between solves.
//
// After solve, y, lam (for G), nu (for E), zl, zu (for the bounds) hold a
// primal-dual pair, and pobj, dobj the primal and dual objective values; the
// dual value is a lower bound on the optimum up to the dual residual.
type ipm struct {
	y, lam, nu, zl, zu, s   []float64
	dy, dlam, dnu, dzl, dzu []float64
	ds                      []float64
	ady, adlam, ads, adzl   []float64
	adzu                    []float64
	rd, rg, re, pl, qu      []float64
	rs, rl, ru, r1, t1, t2  []float64
	H, K, EH, gtmp          []float64
	gt, dgt                 []float64 // Gᵀ (n × mg) and D·G transposed, for the normal matrix
	// Last iterate whose residuals were computed, restored on breakdown.
	by, blam, bnu, bzl, bzu, bs, bpl, bqu []float64
	haveL, haveU                          []bool
	pobj, dobj                            float64
	iters                                 int
	// Final residuals: primal infeasibility, stationarity (relative to
	// the data), and the relative complementarity / duality gap.
	resP, resD, resGap                             float64
	n0, bestIt                                     int
	bestMerit                                      float64
	savedP, savedD, savedGap, savedPobj, savedDobj float64
}

var errIPM = errors.New("interior-point method did not converge")

func grow(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	b = b[:n]
	for i := range b {
		b[i] = 0
	}
	return b
}

func growBool(b []bool, n int) []bool {
	if cap(b) < n {
		return make([]bool, n)
	}
	return b[:n]
}

func normInf(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		if a := math.Abs(x); a > m {
			m = a
		}
	}
	return m
}

// solve runs the interior-point method on p to relative tolerance tol.
func (w *ipm) solve(p *qp, tol float64, maxIter int) error {
	return w.solveTo(p, tol, tol, maxIter)
}

// solveTo is solve with separate tolerances on primal feasibility (tol)
// and on dual feasibility and the duality gap (tolDG): a caller that needs
// a feasible point near the optimum, not the optimum to the last digits,
// stops earlier.
func (w *ipm) solveTo(p *qp, tol, tolDG float64, maxIter int) error {
	n := p.n
	mg := len(p.h)
	me := len(p.f)
	w.y = grow(w.y, n)
	w.dy = grow(w.dy, n)
	w.ady = grow(w.ady, n)
	w.zl = grow(w.zl, n)
	w.zu = grow(w.zu, n)
	w.dzl = grow(w.dzl, n)
	w.dzu = grow(w.dzu, n)
	w.adzl = grow(w.adzl, n)
	w.adzu = grow(w.adzu, n)
	w.rd = grow(w.rd, n)
	w.pl = grow(w.pl, n)
	w.qu = grow(w.qu, n)
	w.rl = grow(w.rl, n)
	w.ru = grow(w.ru, n)
	w.r1 = grow(w.r1, n)
	w.t1 = grow(w.t1, n)
	w.t2 = grow(w.t2, n)
	w.H = grow(w.H, n*n)
	w.lam = grow(w.lam, mg)
	w.s = grow(w.s, mg)
	w.dlam = grow(w.dlam, mg)
	w.ds = grow(w.ds, mg)
	w.adlam = grow(w.adlam, mg)
	w.ads = grow(w.ads, mg)
	w.rg = grow(w.rg, mg)
	w.rs = grow(w.rs, mg)
	w.gtmp = grow(w.gtmp, mg)
	w.nu = grow(w.nu, me)
	w.dnu = grow(w.dnu, me)
	w.re = grow(w.re, me)
	w.K = grow(w.K, me*me)
	w.EH = grow(w.EH, me*n)
	w.haveL = growBool(w.haveL, n)
	w.haveU = growBool(w.haveU, n)
	w.gt = grow(w.gt, n*mg)
	w.dgt = grow(w.dgt, n*mg)
	for i := 0; i < mg; i++ {
		for a, v := range p.G[i*n : (i+1)*n] {
			w.gt[a*mg+i] = v
		}
	}

	w.by = w.by[:0]
	w.n0 = n
	w.bestMerit, w.bestIt = math.Inf(1), 0
	// Starting point: inside the box, unit slacks and multipliers.
	ncomp := mg
	for i := 0; i < n; i++ {
		l, u := p.l[i], p.u[i]
		w.haveL[i] = !math.IsInf(l, -1)
		w.haveU[i] = !math.IsInf(u, 1)
		switch {
		case w.haveL[i] && w.haveU[i]:
			w.y[i] = 0.5 * (l + u)
		case w.haveL[i]:
			w.y[i] = math.Max(l+1, 0)
		case w.haveU[i]:
			w.y[i] = math.Min(u-1, 0)
		}
		if w.haveL[i] {
			w.zl[i] = 1
			w.pl[i] = w.y[i] - l
			ncomp++
		}
		if w.haveU[i] {
			w.zu[i] = 1
			w.qu[i] = u - w.y[i]
			ncomp++
		}
	}
	for i := 0; i < mg; i++ {
		gy := dot(p.G[i*n:(i+1)*n], w.y)
		w.s[i] = math.Max(p.h[i]-gy, 1)
		w.lam[i] = 1
	}
	normH := 1 + normInf(p.h)
	normF := 1 + normInf(p.f)
	normC := 1 + normInf(p.c)

	for it := 0; it < maxIter; it++ {
		w.iters = it + 1
		// Residuals.
		for i := 0; i < n; i++ {
			w.rd[i] = p.c[i] - w.zl[i] + w.zu[i]
		}
		quad := 0.0
		if p.Q != nil {
			for i := 0; i < n; i++ {
				qi := dot(p.Q[i*n:(i+1)*n], w.y)
				w.rd[i] += qi
				quad += w.y[i] * qi
			}
		}
		for i := 0; i < mg; i++ {
			row := p.G[i*n : (i+1)*n]
			axpy(w.lam[i], row, w.rd)
			w.rg[i] = dot(row, w.y) + w.s[i] - p.h[i]
		}
		for i := 0; i < me; i++ {
			row := p.E[i*n : (i+1)*n]
			axpy(w.nu[i], row, w.rd)
			w.re[i] = dot(row, w.y) - p.f[i]
		}
		comp := dot(w.s, w.lam)
		dobj := -0.5*quad - dot(p.h, w.lam) - dot(p.f, w.nu)
		for i := 0; i < n; i++ {
			if w.haveL[i] {
				comp += w.pl[i] * w.zl[i]
				dobj += p.l[i] * w.zl[i]
			}
			if w.haveU[i] {
				comp += w.qu[i] * w.zu[i]
				dobj -= p.u[i] * w.zu[i]
			}
		}
		pobj := 0.5*quad + dot(p.c, w.y)
		w.pobj, w.dobj = pobj, dobj
		w.resP = math.Max(normInf(w.rg)/normH, normInf(w.re)/normF)
		w.resD = normInf(w.rd) / normC
		w.resGap = math.Max(comp, math.Abs(pobj-dobj)) / (1 + math.Abs(pobj))
		if w.resP <= tol && w.resD <= tolDG && w.resGap <= tolDG {
			return nil
		}
		if !(w.resP < math.Inf(1) && w.resD < math.Inf(1) && w.resGap < math.Inf(1)) {
			return w.breakdown(tol)
		}
		// Keep the best iterate; once the last digits are lost to
		// rounding (the normal matrix grows like 1/μ) the residuals
		// stop falling, and ten iterations without progress end the run.
		if merit := math.Max(w.resP, math.Max(w.resD, w.resGap)); merit < w.bestMerit {
			w.bestMerit, w.bestIt = merit, it
			w.save()
			w.savedP, w.savedD, w.savedGap = w.resP, w.resD, w.resGap
			w.savedPobj, w.savedDobj = pobj, dobj
		} else if it-w.bestIt > 10 {
			return w.breakdown(tol)
		}
		if ncomp == 0 {
			// No inequalities: one Newton step solves the equality QP.
			if it > 0 {
				return nil
			}
		}
		mu := 0.0
		if ncomp > 0 {
			mu = comp / float64(ncomp)
		}

		// Normal matrix H = Q + GᵀDG + diag(zl/pl + zu/qu).
		H := w.H
		if p.Q != nil {
			copy(H, p.Q)
		} else {
			for i := range H {
				H[i] = 0
			}
		}
		// GᵀDG, upper triangle, as dot products of the columns of G
		// (rows of the transpose): each entry is one unrolled dot of
		// length mg, instead of mg read-modify-writes of H.
		if mg > 0 {
			for i := 0; i < mg; i++ {
				d := w.lam[i] / w.s[i]
				row := p.G[i*n : (i+1)*n]
				for a, v := range row {
					w.dgt[a*mg+i] = d * v
				}
			}
			gt := w.gt
			for a := 0; a < n; a++ {
				da := w.dgt[a*mg : (a+1)*mg]
				b := a
				for ; b+4 <= n; b += 4 {
					d := dot4(da, gt[b*mg:], gt[(b+1)*mg:], gt[(b+2)*mg:], gt[(b+3)*mg:])
					h := H[a*n+b : a*n+b+4]
					h[0] += d[0]
					h[1] += d[1]
					h[2] += d[2]
					h[3] += d[3]
				}
				for ; b < n; b++ {
					H[a*n+b] += dot(da, gt[b*mg:(b+1)*mg])
				}
			}
		}
		for i := 0; i < n; i++ {
			if w.haveL[i] {
				H[i*n+i] += w.zl[i] / w.pl[i]
			}
			if w.haveU[i] {
				H[i*n+i] += w.zu[i] / w.qu[i]
			}
			// A relative regularisation of each diagonal entry keeps
			// the factorisation defined without perturbing well-scaled
			// columns (a global shift would swamp them once some bound
			// terms reach 1/μ).
			H[i*n+i] += 1e-14 * (1 + H[i*n+i])
		}
		if !cholesky(H, n) {
			return w.breakdown(tol)
		}
		if me > 0 {
			// K = E H⁻¹ Eᵀ.
			for i := 0; i < me; i++ {
				row := w.EH[i*n : (i+1)*n]
				copy(row, p.E[i*n:(i+1)*n])
				cholSolve(H, n, row)
			}
			for i := 0; i < me; i++ {
				for j := 0; j <= i; j++ {
					v := dot(p.E[i*n:(i+1)*n], w.EH[j*n:(j+1)*n])
					w.K[i*me+j] = v
					w.K[j*me+i] = v
				}
				w.K[i*me+i] += 1e-14 * (1 + w.K[i*me+i])
			}
			if !cholesky(w.K, me) {
				return w.breakdown(tol)
			}
		}

		// Predictor (affine scaling) direction.
		for i := 0; i < mg; i++ {
			w.rs[i] = -w.s[i] * w.lam[i]
		}
		for i := 0; i < n; i++ {
			w.rl[i], w.ru[i] = 0, 0
			if w.haveL[i] {
				w.rl[i] = -w.pl[i] * w.zl[i]
			}
			if w.haveU[i] {
				w.ru[i] = -w.qu[i] * w.zu[i]
			}
		}
		w.direction(p)
		ap, ad := w.steps(p)
		if p.Q != nil {
			ap = math.Min(ap, ad)
			ad = ap
		}
		muAff := 0.0
		for i := 0; i < mg; i++ {
			muAff += (w.s[i] + ap*w.ds[i]) * (w.lam[i] + ad*w.dlam[i])
		}
		for i := 0; i < n; i++ {
			if w.haveL[i] {
				muAff += (w.pl[i] + ap*w.dy[i]) * (w.zl[i] + ad*w.dzl[i])
			}
			if w.haveU[i] {
				muAff += (w.qu[i] - ap*w.dy[i]) * (w.zu[i] + ad*w.dzu[i])
			}
		}
		sigma := 0.0
		if ncomp > 0 {
			muAff /= float64(ncomp)
			sigma = math.Pow(muAff/mu, 3)
			if sigma > 1 {
				sigma = 1
			}
		}
		copy(w.ads, w.ds)
		copy(w.adlam, w.dlam)
		copy(w.ady, w.dy)
		copy(w.adzl, w.dzl)
		copy(w.adzu, w.dzu)

		// Corrector.
		sm := sigma * mu
		for i := 0; i < mg; i++ {
			w.rs[i] = sm - w.s[i]*w.lam[i] - w.ads[i]*w.adlam[i]
		}
		for i := 0; i < n; i++ {
			if w.haveL[i] {
				w.rl[i] = sm - w.pl[i]*w.zl[i] - w.ady[i]*w.adzl[i]
			}
			if w.haveU[i] {
				w.ru[i] = sm - w.qu[i]*w.zu[i] + w.ady[i]*w.adzu[i]
			}
		}
		w.direction(p)
		ap, ad = w.steps(p)
		ap = math.Min(1, 0.995*ap)
		ad = math.Min(1, 0.995*ad)
		if p.Q != nil {
			ap = math.Min(ap, ad)
			ad = ap
		}
		axpy(ap, w.dy, w.y)
		axpy(ap, w.ds, w.s)
		axpy(ad, w.dlam, w.lam)
		axpy(ad, w.dnu, w.nu)
		axpy(ad, w.dzl, w.zl)
		axpy(ad, w.dzu, w.zu)
		for i := 0; i < n; i++ {
			if w.haveL[i] {
				w.pl[i] += ap * w.dy[i]
			}
			if w.haveU[i] {
				w.qu[i] -= ap * w.dy[i]
			}
		}
	}
	return w.breakdown(tol)
}

// save keeps the current iterate, whose residuals are in resP, resD,
// resGap.
func (w *ipm) save() {
	w.by = append(w.by[:0], w.y...)
	w.blam = append(w.blam[:0], w.lam...)
	w.bnu = append(w.bnu[:0], w.nu...)
	w.bzl = append(w.bzl[:0], w.zl...)
	w.bzu = append(w.bzu[:0], w.zu...)
	w.bs = append(w.bs[:0], w.s...)
	w.bpl = append(w.bpl[:0], w.pl...)
	w.bqu = append(w.bqu[:0], w.qu...)
}

// breakdown restores the last saved iterate after a numerical breakdown
// (or the iteration limit) and accepts it when its residuals are within
// 1000·tol: near the optimum of a degenerate programme the normal matrix
// becomes singular before the last digits are reached.
func (w *ipm) breakdown(tol float64) error {
	if len(w.by) == 0 && w.n0 > 0 {
		return errIPM
	}
	copy(w.y, w.by)
	copy(w.lam, w.blam)
	copy(w.nu, w.bnu)
	copy(w.zl, w.bzl)
	copy(w.zu, w.bzu)
	copy(w.s, w.bs)
	copy(w.pl, w.bpl)
	copy(w.qu, w.bqu)
	if w.savedP <= 1e3*tol && w.savedD <= 1e3*tol && w.savedGap <= 1e3*tol {
		w.resP, w.resD, w.resGap = w.savedP, w.savedD, w.savedGap
		w.pobj, w.dobj = w.savedPobj, w.savedDobj
		return nil
	}
	return fmt.Errorf("%w: residuals primal %.2g, dual %.2g, gap %.2g after %d iterations", errIPM, w.savedP, w.savedD, w.savedGap, w.iters)
}

// direction solves the Newton system for the current right-hand sides
// rs, rl, ru, using the factorised H (and K when there are equalities).
func (w *ipm) direction(p *qp) {
	n := p.n
	mg := len(p.h)
	me := len(p.f)
	// r1 = -rd - Gᵀ((rs + lam∘rg)/s) + rl/pl - ru/qu.
	for i := 0; i < n; i++ {
		v := -w.rd[i]
		if w.haveL[i] {
			v += w.rl[i] / w.pl[i]
		}
		if w.haveU[i] {
			v -= w.ru[i] / w.qu[i]
		}
		w.r1[i] = v
	}
	for i := 0; i < mg; i++ {
		w.gtmp[i] = (w.rs[i] + w.lam[i]*w.rg[i]) / w.s[i]
		axpy(-w.gtmp[i], p.G[i*n:(i+1)*n], w.r1)
	}
	if me > 0 {
		copy(w.t1, w.r1)
		cholSolve(w.H, n, w.t1)
		for i := 0; i < me; i++ {
			w.dnu[i] = dot(p.E[i*n:(i+1)*n], w.t1) + w.re[i]
		}
		cholSolve(w.K, me, w.dnu)
		for i := 0; i < me; i++ {
			axpy(-w.dnu[i], p.E[i*n:(i+1)*n], w.r1)
		}
	}
	copy(w.dy, w.r1)
	cholSolve(w.H, n, w.dy)
	for i := 0; i < mg; i++ {
		w.ds[i] = -w.rg[i] - dot(p.G[i*n:(i+1)*n], w.dy)
		w.dlam[i] = (w.rs[i] - w.lam[i]*w.ds[i]) / w.s[i]
	}
	for i := 0; i < n; i++ {
		w.dzl[i], w.dzu[i] = 0, 0
		if w.haveL[i] {
			w.dzl[i] = (w.rl[i] - w.zl[i]*w.dy[i]) / w.pl[i]
		}
		if w.haveU[i] {
			w.dzu[i] = (w.ru[i] + w.zu[i]*w.dy[i]) / w.qu[i]
		}
	}
}

// steps returns the largest primal and dual step lengths in [0, 1] that
// keep slacks and multipliers nonnegative.
func (w *ipm) steps(p *qp) (ap, ad float64) {
	ap, ad = 1, 1
	ratio := func(a, v, d float64) float64 {
		if d < 0 {
			if r := -v / d; r < a {
				return r
			}
		}
		return a
	}
	for i := range w.s {
		ap = ratio(ap, w.s[i], w.ds[i])
		ad = ratio(ad, w.lam[i], w.dlam[i])
	}
	for i := 0; i < p.n; i++ {
		if w.haveL[i] {
			ap = ratio(ap, w.pl[i], w.dy[i])
			ad = ratio(ad, w.zl[i], w.dzl[i])
		}
		if w.haveU[i] {
			ap = ratio(ap, w.qu[i], -w.dy[i])
			ad = ratio(ad, w.zu[i], w.dzu[i])
		}
	}
	return ap, ad
}

// cholesky factorises the symmetric positive definite n×n matrix a in place
// (upper triangle read, lower triangle L written, a = L Lᵀ). It reports
// false when a is not numerically positive definite.
func cholesky(a []float64, n int) bool {
	for j := 0; j < n; j++ {
		// Mirror the upper triangle into the lower one for column j.
		for i := j + 1; i < n; i++ {
			a[i*n+j] = a[j*n+i]
		}
	}
	for j := 0; j < n; j++ {
		rowj := a[j*n : j*n+j]
		d := a[j*n+j] - dot(rowj, rowj)
		if !(d > 0) {
			return false
		}
		d = math.Sqrt(d)
		a[j*n+j] = d
		// The rows below read only their first j entries, which no row
		// here writes: four at a time.
		i := j + 1
		if rows := (n - i) &^ 3; hasAVX2 && rows > 0 {
			_ = a[(i+rows)*n-1] // the rows are in a: the assembly does not check
			cholColAVX2(a, n, j, rows, d)
			i += rows
		}
		for ; i < n; i++ {
			a[i*n+j] = (a[i*n+j] - dot(a[i*n:i*n+j], rowj)) / d
		}
	}
	return true
}

// cholSolve solves L Lᵀ x = b in place, with L from cholesky.
func cholSolve(a []float64, n int, b []float64) {
	for i := 0; i < n; i++ {
		b[i] = (b[i] - dot(a[i*n:i*n+i], b[:i])) / a[i*n+i]
	}
	for i := n - 1; i >= 0; i-- {
		v := b[i]
		for k := i + 1; k < n; k++ {
			v -= a[k*n+i] * b[k]
		}
		b[i] = v / a[i*n+i]
	}
}

// dot is Σ a[i]·b[i]; len(b) must be at least len(a). It is gonum's
// assembly kernel (SSE2, four partial sums): the normal matrix and the
// Cholesky factor of the interior-point method are dot products, and the
// kernel takes two thirds of the time of unrolled Go at these lengths
// (100-200).
func dot(a, b []float64) float64 {
	return floats.Dot(a, b[:len(a)])
}

// dot4 is dot(x, y0), ..., dot(x, y3), the same to the last bit, computed
// together (dot4AVX2) where the CPU allows.
func dot4(x, y0, y1, y2, y3 []float64) (out [4]float64) {
	n := len(x)
	y0, y1, y2, y3 = y0[:n], y1[:n], y2[:n], y3[:n]
	if hasAVX2 {
		dot4AVX2(x, y0, y1, y2, y3, &out)
		return out
	}
	return [4]float64{dot(x, y0), dot(x, y1), dot(x, y2), dot(x, y3)}
}

// axpy is y += alpha·x over len(x) entries, gonum's assembly kernel.
func axpy(alpha float64, x, y []float64) {
	floats.AddScaled(y[:len(x)], alpha, x)
}
