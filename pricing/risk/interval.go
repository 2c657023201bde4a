package risk

import (
	"math"
)

// Interval is a two-sided 95% confidence interval.
type Interval struct {
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
}

// Intervals holds a 95% confidence interval for each metric.
type Intervals struct {
	VaR95           Interval `json:"var95"`
	CVaR95          Interval `json:"cvar95"`
	VaR99           Interval `json:"var99"`
	CVaR99          Interval `json:"cvar99"`
	FundingRatioVol Interval `json:"funding_ratio_vol"`
	ShortfallProb   Interval `json:"shortfall_prob"`
	MaxDrawdown     Interval `json:"max_drawdown"`
}

const z95 = 1.959963984540054

// VaRInterval is the distribution-free interval of the α-quantile from
// order statistics: ranks nα ∓ z√(nα(1-α)) of the sorted losses (David &
// Nagaraja, Order Statistics, 3rd ed., §7.1).
func VaRInterval(sorted []float64, alpha float64) Interval {
	lo, hi := varIntervalIndex(len(sorted), alpha)
	return Interval{sorted[lo], sorted[hi]}
}

// varIntervalIndex is the indices (0-based) of the order statistics that
// bound VaRInterval.
func varIntervalIndex(count int, alpha float64) (lo, hi int) {
	n := float64(count)
	h := z95 * math.Sqrt(n*alpha*(1-alpha))
	l := int(math.Floor(n*alpha - h))
	u := int(math.Ceil(n*alpha + h))
	return min(max(l, 1), count) - 1, min(max(u, 1), count) - 1
}

// CVaRInterval is the asymptotic normal interval of expected shortfall:
// Var(ES) ≈ (Var(L | L ≥ VaR) + α(ES - VaR)²) / (n(1-α)) (Manistre &
// Hancock 2005, "Variance of the CTE estimator", North American Actuarial
// Journal 9(2)).
func CVaRInterval(sorted []float64, alpha float64) Interval {
	n := len(sorted)
	v, es := VaR(sorted, alpha), CVaR(sorted, alpha)
	k := int(math.Ceil(alpha*float64(n) - 1e-9))
	tail := sorted[min(max(k-1, 0), n-1):]
	var m, m2 float64
	for i, x := range tail {
		d := x - m
		m += d / float64(i+1)
		m2 += d * (x - m)
	}
	tv := 0.0
	if len(tail) > 1 {
		tv = m2 / float64(len(tail)-1)
	}
	se := math.Sqrt((tv + alpha*(es-v)*(es-v)) / (float64(n) * (1 - alpha)))
	return Interval{es - z95*se, es + z95*se}
}

// wilson is the Wilson score interval of a proportion (Wilson 1927).
func wilson(p float64, n int) Interval {
	nf := float64(n)
	z2 := z95 * z95
	c := (p + z2/(2*nf)) / (1 + z2/nf)
	h := z95 * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / (1 + z2/nf)
	return Interval{math.Max(0, c-h), math.Min(1, c+h)}
}

// ComputeWithIntervals returns the metrics of s with 95% confidence
// intervals: order statistics for VaR, the asymptotic variance for CVaR,
// Wilson for the shortfall probability, and normal intervals using the
// sample kurtosis for the funding-ratio vol (Var(σ̂) ≈ σ²(κ-1)/(4n)) and the
// standard error of the mean for drawdowns. The paths are treated as
// independent draws from the pooled distribution.
func ComputeWithIntervals(s Sample, scratch []float64) (Metrics, Intervals, []float64, error) {
	// sorted from the lower end of the 95% VaR interval up: all that the
	// figures and intervals read
	n := len(s.Assets)
	lo, _ := varIntervalIndex(n, 0.95)
	m, scratch, err := compute(s, scratch, min(lo, tailFrom(n, 0.95)))
	if err != nil {
		return m, Intervals{}, scratch, err
	}
	loss := scratch[:n]
	var iv Intervals
	iv.VaR95, iv.VaR99 = VaRInterval(loss, 0.95), VaRInterval(loss, 0.99)
	iv.CVaR95, iv.CVaR99 = CVaRInterval(loss, 0.95), CVaRInterval(loss, 0.99)
	iv.ShortfallProb = wilson(m.ShortfallProb, n)
	// Kurtosis of the log funded-ratio change, and drawdown dispersion.
	lfr0 := math.Log(s.Assets0 / s.Liabilities0)
	var mean, m2, m4, dm, dm2 float64
	for i := range n {
		x := math.Log(math.Max(s.Assets[i]/s.Liabilities[i], 1e-300)) - lfr0
		mean += x
		dd := s.MaxDrawdown[i]
		d := dd - dm
		dm += d / float64(i+1)
		dm2 += d * (dd - dm)
	}
	mean /= float64(n)
	for i := range n {
		x := math.Log(math.Max(s.Assets[i]/s.Liabilities[i], 1e-300)) - lfr0 - mean
		m2 += x * x
		m4 += x * x * x * x
	}
	if n > 1 && m2 > 0 {
		kurt := float64(n) * m4 / (m2 * m2)
		se := m.FundingRatioVol * math.Sqrt(math.Max(kurt-1, 0)/(4*float64(n)))
		iv.FundingRatioVol = Interval{m.FundingRatioVol - z95*se, m.FundingRatioVol + z95*se}
		se = math.Sqrt(dm2/float64(n-1)) / math.Sqrt(float64(n))
		iv.MaxDrawdown = Interval{m.MaxDrawdown - z95*se, m.MaxDrawdown + z95*se}
	} else {
		iv.FundingRatioVol = Interval{m.FundingRatioVol, m.FundingRatioVol}
		iv.MaxDrawdown = Interval{m.MaxDrawdown, m.MaxDrawdown}
	}
	return m, iv, scratch, nil
}
