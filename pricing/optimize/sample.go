package optimize

import (
	"math"
	"sort"
)

// sample is the loss data of a Problem with the scenario grouping and the
// scratch space of the objective evaluations, reused across calls.
type sample struct {
	p     *Problem
	n, m  int
	alpha float64
	loss  []float64
	// rows of scenario s are order[start[s]:start[s+1]].
	order []int32
	start []int
	// scratch
	sel  []int32
	w    []float64
	sval []float64
	sidx []int32
	sw   []float64
}

func newSample(p *Problem, alpha float64) *sample {
	n, m := len(p.Base), p.M()
	sm := &sample{p: p, n: n, m: m, alpha: alpha, loss: make([]float64, n)}
	s := 1
	for _, v := range p.Scenario {
		if v+1 > s {
			s = v + 1
		}
	}
	count := make([]int, s+1)
	for r := 0; r < n; r++ {
		count[sm.scen(r)+1]++
	}
	for i := 1; i <= s; i++ {
		count[i] += count[i-1]
	}
	sm.start = append([]int(nil), count...)
	sm.order = make([]int32, n)
	for r := 0; r < n; r++ {
		c := sm.scen(r)
		sm.order[count[c]] = int32(r)
		count[c]++
	}
	sm.sel = make([]int32, n)
	sm.w = make([]float64, n)
	sm.sval = make([]float64, s)
	sm.sidx = make([]int32, s)
	sm.sw = make([]float64, s)
	return sm
}

// withScratch returns a sample sharing sm's problem and row grouping,
// with scratch space of its own.
func (sm *sample) withScratch() *sample {
	c := *sm
	c.loss = make([]float64, len(sm.loss))
	c.sel = make([]int32, len(sm.sel))
	c.w = make([]float64, len(sm.w))
	c.sval = make([]float64, len(sm.sval))
	c.sidx = make([]int32, len(sm.sidx))
	c.sw = make([]float64, len(sm.sw))
	return &c
}

func (sm *sample) scen(r int) int {
	if sm.p.Scenario == nil {
		return 0
	}
	return sm.p.Scenario[r]
}

// scenarios returns S, the number of scenarios (max index + 1).
func (sm *sample) scenarios() int { return len(sm.start) - 1 }

func (sm *sample) rows(s int) []int32 { return sm.order[sm.start[s]:sm.start[s+1]] }

// losses fills sm.loss with Base[r] - (PnL[r] - Shift)·x for every row.
func (sm *sample) losses(x []float64) {
	m := sm.m
	pnl := sm.p.PnL
	sx := sm.shiftDot(x)
	for r, b := range sm.p.Base {
		sm.loss[r] = b - dot(pnl[r*m:(r+1)*m], x) + sx
	}
}

// lossesOf fills sm.loss only for the given rows.
func (sm *sample) lossesOf(x []float64, rows []int32) {
	m := sm.m
	pnl := sm.p.PnL
	sx := sm.shiftDot(x)
	for _, r := range rows {
		sm.loss[r] = sm.p.Base[r] - dot(pnl[int(r)*m:int(r+1)*m], x) + sx
	}
}

// shiftDot is Shift·x, 0 without a Shift.
func (sm *sample) shiftDot(x []float64) float64 {
	if sm.p.Shift == nil {
		return 0
	}
	return dot(sm.p.Shift, x)
}

// tail computes the CVaR at level alpha of the values key[idx[i]], each
// of equal probability, as the Rockafellar-Uryasev minimum
// min_ζ ζ + Σ(v-ζ)⁺/((1-α)n), which is the Acerbi-Tasche estimator: with
// q = (1-α)n, the mean of the worst values with weights min(1, q-i)/q for
// the i-th worst (i = 0, 1, ..., ⌈q⌉-1). It reorders idx so that its first
// k entries are the worst ones, writes their weights into w[:k], and
// returns the CVaR and k. The weights are a maximiser of Σ w_i v_i over
// {0 <= w_i <= 1/q, Σ w_i = 1}, the dual representation, so Σ w_i v_i(x')
// is a minorant of the CVaR that is tight at the current point.
func tail(key []float64, idx []int32, alpha float64, w []float64) (float64, int) {
	n := len(idx)
	q := (1 - alpha) * float64(n)
	if q < 1 {
		q = 1
	}
	k := int(math.Ceil(q - 1e-12))
	if k > n {
		k = n
	}
	if k < n {
		selectTop(key, idx, k-1)
	}
	// Order the k worst so that the fractional weight goes to the k-th.
	mi := 0
	for i := 1; i < k; i++ {
		if key[idx[i]] < key[idx[mi]] {
			mi = i
		}
	}
	idx[mi], idx[k-1] = idx[k-1], idx[mi]
	v := 0.0
	for i := 0; i < k; i++ {
		wi := math.Min(1, q-float64(i)) / q
		w[i] = wi
		v += wi * key[idx[i]]
	}
	return v, k
}

// selectTop reorders idx so that idx[nth] holds the (nth+1)-th largest
// key and idx[:nth] keys no smaller (Hoare's selection with a
// median-of-three pivot).
func selectTop(key []float64, idx []int32, nth int) {
	lo, hi := 0, len(idx)-1
	for hi > lo {
		mid := lo + (hi-lo)/2
		a, b, c := key[idx[lo]], key[idx[mid]], key[idx[hi]]
		piv := b
		if (a >= b) == (b >= c) {
			piv = b
		} else if (b >= a) == (a >= c) {
			piv = a
		} else {
			piv = c
		}
		i, j := lo, hi
		for i <= j {
			for key[idx[i]] > piv {
				i++
			}
			for key[idx[j]] < piv {
				j--
			}
			if i <= j {
				idx[i], idx[j] = idx[j], idx[i]
				i++
				j--
			}
		}
		switch {
		case nth <= j:
			hi = j
		case nth >= i:
			lo = i
		default:
			return
		}
	}
}

// rowsCVaR returns the CVaR of sm.loss over rows and, when g is not nil,
// adds coef times the tight cut to (c0, g): c0 += coef Σ w Base, g -= coef
// Σ w PnL.
func (sm *sample) rowsCVaR(rows []int32, c0 *float64, g []float64, coef float64) float64 {
	sel := sm.sel[:len(rows)]
	copy(sel, rows)
	v, k := tail(sm.loss, sel, sm.alpha, sm.w)
	if g != nil {
		m := sm.m
		sw := 0.0
		for i := 0; i < k; i++ {
			r := int(sel[i])
			wi := coef * sm.w[i]
			sw += wi
			*c0 += wi * sm.p.Base[r]
			axpy(-wi, sm.p.PnL[r*m:(r+1)*m], g)
		}
		if sm.p.Shift != nil {
			axpy(sw, sm.p.Shift, g)
		}
	}
	return v
}

// scenarioCVaRs fills sm.sval[s] with the CVaR of scenario s (sm.loss must
// be current). Empty scenarios get -Inf.
func (sm *sample) scenarioCVaRs() []float64 {
	for s := 0; s < sm.scenarios(); s++ {
		rows := sm.rows(s)
		if len(rows) == 0 {
			sm.sval[s] = math.Inf(-1)
			continue
		}
		sm.sval[s] = sm.rowsCVaR(rows, nil, nil, 0)
	}
	return sm.sval
}

// medianRows returns the rows of the band scenarios centred on the median
// of the unhedged scenario CVaRs, and the scenarios themselves.
func (sm *sample) medianRows(band int) ([]int32, []int) {
	sm.losses(make([]float64, sm.m))
	vals := sm.scenarioCVaRs()
	var ids []int
	for s := range vals {
		if !math.IsInf(vals[s], -1) {
			ids = append(ids, s)
		}
	}
	sort.SliceStable(ids, func(a, b int) bool { return vals[ids[a]] < vals[ids[b]] })
	if band < 1 {
		band = 1
	}
	if band > len(ids) {
		band = len(ids)
	}
	mid := (len(ids) - 1) / 2
	lo := mid - (band-1)/2
	if lo < 0 {
		lo = 0
	}
	if lo+band > len(ids) {
		lo = len(ids) - band
	}
	chosen := append([]int(nil), ids[lo:lo+band]...)
	sort.Ints(chosen)
	var rows []int32
	for _, s := range chosen {
		rows = append(rows, sm.rows(s)...)
	}
	return rows, chosen
}
