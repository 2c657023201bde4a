package optimize

import (
	"fmt"
	"math"
)

// Variance minimises the variance of the hedged funded-ratio change
// FRBase[r] + Σ_j FRPnL[r*M+j]·x_j over the rows (population variance, each
// row of equal weight), subject to the same bounds, constraints, budget,
// minimum trade size and cardinality as the CVaR objectives. The variance
// is the convex quadratic v0 + 2bᵀx + xᵀAx with A the covariance matrix of
// the FRPnL columns and b their covariance with FRBase; it is minimised by
// the interior-point method, and Result.KKT reports the residuals of the
// optimality conditions. When Base and PnL are present, Metrics also holds
// the CVaR figures of the answer.
func Variance(p *Problem, s *Settings) (Result, error) {
	set, err := s.withDefaults()
	if err != nil {
		return Result{}, err
	}
	if err := p.validate(false, true); err != nil {
		return Result{}, err
	}
	haveLoss := p.Base != nil
	if haveLoss {
		if err := p.validate(true, true); err != nil {
			return Result{}, err
		}
	}
	m := p.M()
	A, b, v0 := covariances(p.FRBase, p.FRPnL, m)
	var w ipm
	iters := 0
	var kkt KKT
	var lbound float64
	fit := func(lo, hi []float64) ([]float64, float64, error) {
		md, err := newModel(p, lo, hi)
		if err != nil {
			return nil, 0, err
		}
		y := make([]float64, md.n)
		if err := md.start(&w, y); err != nil {
			return nil, 0, err
		}
		n := md.n
		q := &qp{n: n, Q: make([]float64, n*n), c: make([]float64, n), G: md.G, h: md.h, E: md.E, f: md.f, l: md.l, u: md.u}
		// Ax_fix + b and the constant.
		ax := make([]float64, m)
		for i := 0; i < m; i++ {
			ax[i] = dot(A[i*m:(i+1)*m], md.xfix) + b[i]
		}
		cst := v0 + dot(md.xfix, ax) + dot(b, md.xfix)
		fs := math.Max(v0, 1e-300)
		for k := 0; k < n; k++ {
			jk := md.inst[k]
			mk := md.sign[k] * md.scale[k]
			fs = math.Max(fs, mk*mk*A[jk*m+jk])
		}
		for k := 0; k < n; k++ {
			jk := md.inst[k]
			mk := md.sign[k] * md.scale[k]
			q.c[k] = 2 * mk * ax[jk] / fs
			for l := 0; l < n; l++ {
				jl := md.inst[l]
				q.Q[k*n+l] = 2 * mk * md.sign[l] * md.scale[l] * A[jk*m+jl] / fs
			}
		}
		if err := w.solve(q, 1e-11, 300); err != nil {
			if w.resP > 1e-8 || w.resD > 1e-8 || w.resGap > 1e-8 {
				return nil, 0, fmt.Errorf("%w: variance QP: %v (residuals %.2g %.2g %.2g)", ErrNotConverged, err, w.resP, w.resD, w.resGap)
			}
		}
		iters += w.iters
		kkt = KKT{Stationarity: w.resD, Feasibility: w.resP, Complementarity: w.resGap}
		lbound = w.dobj*fs + cst
		x := make([]float64, m)
		md.toX(w.y[:n], x)
		return x, quadForm(A, b, v0, x), nil
	}
	lo, hi := make([]float64, m), make([]float64, m)
	for j := 0; j < m; j++ {
		lo[j], hi[j] = p.effBounds(j)
	}
	x, f, err := fit(lo, hi)
	if err != nil {
		return Result{}, err
	}
	res := Result{
		X:          x,
		Objective:  f,
		LowerBound: math.Min(lbound, f),
		Method:     "Variance: convex QP, Mehrotra predictor-corrector interior point",
		KKT:        kkt,
	}
	res.DualityGap = (f - res.LowerBound) / math.Max(math.Abs(f), v0)
	if p.MinTrade > 0 || p.MaxInstruments > 0 {
		sigma := pnlScale(p.FRPnL, m, nil)
		xr, fr, err := enforce(p, x, f, sigma, lo, hi, fit)
		if err != nil {
			return Result{}, err
		}
		res.Relaxed = x
		res.X, res.Objective = xr, fr
		res.IntegralityGap = (fr - res.LowerBound) / math.Max(math.Abs(res.LowerBound), 1e-300)
		res.Method += "; MinTrade/MaxInstruments by greedy drop-and-refit"
	}
	res.Iterations = iters
	res.CostPerYear = p.CostPerYear(res.X)
	if haveLoss {
		sm := newSample(p, set.Alpha)
		med, _ := sm.medianRows(set.MedianBand)
		res.Metrics = sm.metrics(res.X, med, set.TailShare)
	} else {
		res.Metrics = Metrics{Cost: res.CostPerYear, FRVol: frVol(p, res.X)}
	}
	return res, nil
}

// covariances returns the population covariance matrix A (m×m) of the
// columns of the row-major n×m matrix a, their covariances b with base, and
// the variance v0 of base, by two passes (means, then centred products).
func covariances(base, a []float64, m int) (A, b []float64, v0 float64) {
	n := len(base)
	mean := make([]float64, m)
	mb := 0.0
	for r := 0; r < n; r++ {
		axpy(1, a[r*m:(r+1)*m], mean)
		mb += base[r]
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	mb /= float64(n)
	A = make([]float64, m*m)
	b = make([]float64, m)
	d := make([]float64, m)
	for r := 0; r < n; r++ {
		row := a[r*m : (r+1)*m]
		for j := range d {
			d[j] = row[j] - mean[j]
		}
		db := base[r] - mb
		v0 += db * db
		axpy(db, d, b)
		for i := 0; i < m; i++ {
			if d[i] == 0 {
				continue
			}
			axpy(d[i], d[i:], A[i*m+i:(i+1)*m])
		}
	}
	inv := 1 / float64(n)
	for i := 0; i < m; i++ {
		for j := i; j < m; j++ {
			A[i*m+j] *= inv
			A[j*m+i] = A[i*m+j]
		}
		b[i] *= inv
	}
	return A, b, v0 * inv
}

// quadForm returns v0 + 2bᵀx + xᵀAx.
func quadForm(A, b []float64, v0 float64, x []float64) float64 {
	m := len(x)
	v := v0 + 2*dot(b, x)
	for i := 0; i < m; i++ {
		v += x[i] * dot(A[i*m:(i+1)*m], x)
	}
	return math.Max(v, 0)
}
