package optimize

// The convex piecewise-linear objectives minimised by the level bundle
// method. Each returns its value in USD and appends minorants tight at x.

// rowsObj is the CVaR of the hedged loss over a fixed set of rows: all rows
// (CVaR) or the median band (Median).
type rowsObj struct {
	sm   *sample
	rows []int32
	all  bool
}

func (o *rowsObj) eval(x []float64, cs *cuts) float64 {
	if o.all {
		o.sm.losses(x)
	} else {
		o.sm.lossesOf(x, o.rows)
	}
	k, g := cs.add()
	return o.sm.rowsCVaR(o.rows, &cs.c0[k], g, 1)
}

// worstObj is (1-λ)·CVaR(median rows) + λ·max_s CVaR_s. λ = 1 is the robust
// (minimax) objective. Besides the tight cut it adds the cuts of the next
// worst scenarios (up to extra), all valid minorants of the maximum.
type worstObj struct {
	sm     *sample
	lambda float64
	med    []int32
	extra  int
}

func (o *worstObj) eval(x []float64, cs *cuts) float64 {
	sm := o.sm
	sm.losses(x)
	vals := sm.scenarioCVaRs()
	nsc := 0
	for s := range vals {
		if len(sm.rows(s)) > 0 {
			sm.sidx[nsc] = int32(s)
			nsc++
		}
	}
	idx := sm.sidx[:nsc]
	top := o.extra + 1
	if top > nsc {
		top = nsc
	}
	if top < nsc {
		selectTop(vals, idx, top-1)
	}
	worst := vals[idx[0]]
	for i := 1; i < top; i++ {
		worst = max(worst, vals[idx[i]])
	}
	medVal := 0.0
	for i := 0; i < top; i++ {
		k, g := cs.add()
		if o.lambda < 1 {
			medVal = sm.rowsCVaR(o.med, &cs.c0[k], g, 1-o.lambda)
		}
		sm.rowsCVaR(sm.rows(int(idx[i])), &cs.c0[k], g, o.lambda)
	}
	return (1-o.lambda)*medVal + o.lambda*worst
}

// tailObj is the CVaR at level 1-β across scenarios of the scenario CVaRs
// (the mean of the worst share β of scenario CVaRs), weighted λ, plus
// 1-λ times the median band's CVaR (TailFrontier; TailRobust is λ = 1).
// Its tight cut is the β-tail-weighted sum of the scenario cuts and the
// median band's cut, with those weights.
type tailObj struct {
	sm     *sample
	beta   float64
	lambda float64
	med    []int32
}

func (o *tailObj) eval(x []float64, cs *cuts) float64 {
	sm := o.sm
	sm.losses(x)
	vals := sm.scenarioCVaRs()
	nsc := 0
	for s := range vals {
		if len(sm.rows(s)) > 0 {
			sm.sidx[nsc] = int32(s)
			nsc++
		}
	}
	idx := sm.sidx[:nsc]
	v, k := tail(vals, idx, 1-o.beta, sm.sw)
	kc, g := cs.add()
	for i := 0; i < k; i++ {
		sm.rowsCVaR(sm.rows(int(idx[i])), &cs.c0[kc], g, o.lambda*sm.sw[i])
	}
	if o.lambda == 1 {
		return v
	}
	medVal := sm.rowsCVaR(o.med, &cs.c0[kc], g, 1-o.lambda)
	return (1-o.lambda)*medVal + o.lambda*v
}
