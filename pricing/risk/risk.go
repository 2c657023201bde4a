package risk

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// ErrInvalid is wrapped by errors about invalid input.
var ErrInvalid = errors.New("risk: invalid")

// Metrics are the risk figures of one horizon.
type Metrics struct {
	VaR95           float64 `json:"var95" msgpack:"var95"`
	CVaR95          float64 `json:"cvar95" msgpack:"cvar95"`
	VaR99           float64 `json:"var99" msgpack:"var99"`
	CVaR99          float64 `json:"cvar99" msgpack:"cvar99"`
	FundingRatioVol float64 `json:"funding_ratio_vol" msgpack:"funding_ratio_vol"`
	ShortfallProb   float64 `json:"shortfall_prob" msgpack:"shortfall_prob"`
	MaxDrawdown     float64 `json:"max_drawdown" msgpack:"max_drawdown"`
}

// VaR returns the α-quantile L(⌈αn⌉) of losses sorted ascending.
func VaR(sorted []float64, alpha float64) float64 {
	n := len(sorted)
	k := int(math.Ceil(alpha*float64(n) - 1e-9))
	k = min(max(k, 1), n)
	return sorted[k-1]
}

// CVaR returns the Acerbi-Tasche expected shortfall at level α of losses
// sorted ascending.
func CVaR(sorted []float64, alpha float64) float64 {
	n := len(sorted)
	k := int(math.Ceil(alpha*float64(n) - 1e-9))
	k = min(max(k, 1), n)
	tail := 0.0
	for _, l := range sorted[k:] {
		tail += l
	}
	return (tail + (float64(k)-alpha*float64(n))*sorted[k-1]) / ((1 - alpha) * float64(n))
}

// Sample is what the metrics of one horizon are computed from.
type Sample struct {
	Years        float64   // horizon in years
	Assets0      float64   // today, USD
	Liabilities0 float64   // today, USD
	Threshold    float64   // funded-ratio threshold for shortfall
	Assets       []float64 // per path at the horizon
	Liabilities  []float64
	MaxDrawdown  []float64
}

// Compute returns the metrics of s. scratch, if long enough, holds the
// losses (sorted from the 95% quantile up) and is returned for reuse.
func Compute(s Sample, scratch []float64) (Metrics, []float64, error) {
	return compute(s, scratch, tailFrom(len(s.Assets), 0.95))
}

// compute is Compute with the losses sorted from index from up (the rest
// below them, unordered): what the figures, and the intervals of
// ComputeWithIntervals, read.
func compute(s Sample, scratch []float64, from int) (Metrics, []float64, error) {
	n := len(s.Assets)
	if n == 0 || len(s.Liabilities) != n || len(s.MaxDrawdown) != n {
		return Metrics{}, scratch, fmt.Errorf("%w: %d assets, %d liabilities, %d drawdowns", ErrInvalid, n, len(s.Liabilities), len(s.MaxDrawdown))
	}
	if !(s.Years > 0) || !(s.Assets0 > 0) || !(s.Liabilities0 > 0) {
		return Metrics{}, scratch, fmt.Errorf("%w: horizon %v years, assets %v, liabilities %v", ErrInvalid, s.Years, s.Assets0, s.Liabilities0)
	}
	if cap(scratch) < n {
		scratch = make([]float64, n)
	}
	loss := scratch[:n]
	surplus0 := s.Assets0 - s.Liabilities0
	lfr0 := math.Log(s.Assets0 / s.Liabilities0)
	var mean, m2, dd float64
	short := 0
	for i := range n {
		a, l := s.Assets[i], s.Liabilities[i]
		if !(l > 0) || math.IsNaN(a) || math.IsInf(a, 0) {
			return Metrics{}, scratch, fmt.Errorf("%w: path %d: assets %v, liabilities %v", ErrInvalid, i, a, l)
		}
		loss[i] = surplus0 - (a - l)
		fr := a / l
		if fr < s.Threshold {
			short++
		}
		// Welford's running variance of the log funded-ratio change.
		x := math.Log(math.Max(fr, 1e-300)) - lfr0
		d := x - mean
		mean += d / float64(i+1)
		m2 += d * (x - mean)
		dd += s.MaxDrawdown[i]
	}
	sortTail(loss, from)
	m := Metrics{
		VaR95: VaR(loss, 0.95), CVaR95: CVaR(loss, 0.95),
		VaR99: VaR(loss, 0.99), CVaR99: CVaR(loss, 0.99),
		ShortfallProb: float64(short) / float64(n),
		MaxDrawdown:   dd / float64(n),
	}
	if n > 1 {
		m.FundingRatioVol = math.Sqrt(m2/float64(n-1)) / math.Sqrt(s.Years)
	}
	return m, scratch, nil
}

// tailFrom is the first index VaR and CVaR at level α read from losses
// sorted ascending: ⌈αn⌉ - 1.
func tailFrom(n int, alpha float64) int {
	k := int(math.Ceil(alpha*float64(n) - 1e-9))
	return min(max(k, 1), n) - 1
}

// sortTail reorders v so that v[from:] holds its n-from largest values
// sorted ascending and v[:from] the others, in some order: all that VaR
// and CVaR at levels whose tail starts at or after from read, in O(n)
// rather than a full sort's O(n log n) (the per-scenario metrics of a run
// sort a thousand losses per horizon per scenario). The values read are
// those of a full sort, in the same order, so the figures are identical.
// Quickselect (Hoare partition, median of three) with a full sort after
// 2 log₂ n rounds without convergence, so that adversarial inputs stay
// O(n log n).
func sortTail(v []float64, from int) {
	n := len(v)
	if from <= 0 || n < 64 {
		slices.Sort(v)
		return
	}
	lo, hi := 0, n-1 // v[from] lies in v[lo:hi+1]
	for rounds := 2 * bits.Len(uint(n)); lo < hi; rounds-- {
		if rounds == 0 {
			slices.Sort(v[lo : hi+1])
			break
		}
		mid := lo + (hi-lo)/2
		// median of three into v[mid]
		if v[mid] < v[lo] {
			v[mid], v[lo] = v[lo], v[mid]
		}
		if v[hi] < v[lo] {
			v[hi], v[lo] = v[lo], v[hi]
		}
		if v[hi] < v[mid] {
			v[hi], v[mid] = v[mid], v[hi]
		}
		p := v[mid]
		i, j := lo, hi
		for i <= j {
			for v[i] < p {
				i++
			}
			for p < v[j] {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		// v[lo:j+1] <= p <= v[i:hi+1], and v[j+1:i] == p
		switch {
		case from <= j:
			hi = j
		case from >= i:
			lo = i
		default:
			lo = hi // v[from] == p is in place
		}
	}
	slices.Sort(v[from:])
}
