package credit

import "math"

// Hazard is a piecewise-constant hazard rate curve: Rates[i] applies on
// (Times[i-1], Times[i]] with Times[-1] = 0, and the last rate is held beyond
// the last node. Times are strictly increasing and positive, rates
// non-negative. Build one with NewHazard or Bootstrap; the methods assume a
// valid curve.
type Hazard struct {
	Times []float64
	Rates []float64
}

// NewHazard validates and returns a curve; the slices are copied.
func NewHazard(times, rates []float64) (Hazard, error) {
	if err := checkHazard(times, rates); err != nil {
		return Hazard{}, err
	}
	return Hazard{Times: append([]float64(nil), times...), Rates: append([]float64(nil), rates...)}, nil
}

// FlatHazard returns the curve with the constant rate h (not validated).
func FlatHazard(h float64) Hazard {
	return Hazard{Times: []float64{1}, Rates: []float64{h}}
}

func checkHazard(times, rates []float64) error {
	if len(times) == 0 || len(times) != len(rates) {
		return errorf("hazard: %d times and %d rates", len(times), len(rates))
	}
	for i, t := range times {
		if !(t > 0) || math.IsInf(t, 0) {
			return errorf("hazard: times[%d] = %v must be positive and finite", i, t)
		}
		if i > 0 && !(t > times[i-1]) {
			return errorf("hazard: times[%d] = %v not after times[%d] = %v", i, t, i-1, times[i-1])
		}
		if !(rates[i] >= 0) || math.IsInf(rates[i], 0) {
			return errorf("hazard: rates[%d] = %v must be non-negative and finite", i, rates[i])
		}
	}
	return nil
}

// Rate returns the hazard rate at t; at a node, the rate of the segment that
// ends there.
func (h Hazard) Rate(t float64) float64 {
	for i, T := range h.Times {
		if t <= T {
			return h.Rates[i]
		}
	}
	return h.Rates[len(h.Rates)-1]
}

// Integrated returns the cumulative hazard ∫_0^t h(u) du (0 for t <= 0).
func (h Hazard) Integrated(t float64) float64 {
	if t <= 0 {
		return 0
	}
	sum, prev := 0.0, 0.0
	for i, T := range h.Times {
		if t <= T {
			return sum + h.Rates[i]*(t-prev)
		}
		sum += h.Rates[i] * (T - prev)
		prev = T
	}
	return sum + h.Rates[len(h.Rates)-1]*(t-prev)
}

// Survival returns the probability of no default by t.
func (h Hazard) Survival(t float64) float64 { return math.Exp(-h.Integrated(t)) }

// Density returns the default time density h(t) S(t).
func (h Hazard) Density(t float64) float64 {
	if t < 0 {
		return 0
	}
	return h.Rate(t) * h.Survival(t)
}

// Inverse returns the time t at which the cumulative hazard reaches x >= 0,
// +Inf when it never does (a zero last rate). It maps a unit exponential draw
// to a default time.
func (h Hazard) Inverse(x float64) float64 {
	if x <= 0 {
		return 0
	}
	sum, prev := 0.0, 0.0
	for i, T := range h.Times {
		next := sum + h.Rates[i]*(T-prev)
		if x <= next && h.Rates[i] > 0 {
			return prev + (x-sum)/h.Rates[i]
		}
		sum, prev = next, T
	}
	r := h.Rates[len(h.Rates)-1]
	if r <= 0 {
		return math.Inf(1)
	}
	return prev + (x-sum)/r
}
