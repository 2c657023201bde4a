package execution

import (
	"math"
	"math/rand/v2"
)

// LogAR1 simulates a positive daily signal whose logarithm reverts to
// log(Level): ln s_d = ln L + φ (ln s_{d-1} - ln L) + v ξ_d, s_0 = L, with
// ξ_d standard normal from the caller's source. Its median is Level on every
// day. It drives [Opportunistic] (a bid-ask spread, Level the quoted
// BidAskBps) and [VolatilityAdaptive] (a relative volatility, Level 1).
type LogAR1 struct {
	Level       float64 // median level, > 0
	Persistence float64 // φ in [0, 1); 0 means the default 0.7
	Vol         float64 // v, daily vol of the log signal, >= 0; 0 means the default 0.25
}

// Defaults of LogAR1: a spread shock halves in about two days
// (0.7² ≈ 0.5) and a one-sigma day moves the spread by about 25%.
const (
	DefaultPersistence = 0.7
	DefaultSignalVol   = 0.25
)

// Path writes days values s_1..s_days into dst (grown if needed) and
// returns it.
func (m LogAR1) Path(dst []float64, days int, r *rand.Rand) ([]float64, error) {
	phi, v := m.Persistence, m.Vol
	if phi == 0 {
		phi = DefaultPersistence
	}
	if v == 0 {
		v = DefaultSignalVol
	}
	switch {
	case !(m.Level > 0) || math.IsInf(m.Level, 0):
		return dst, errorf("signal: Level = %g, want > 0", m.Level)
	case !(phi >= 0 && phi < 1):
		return dst, errorf("signal: Persistence = %g, want [0, 1)", phi)
	case !(v >= 0) || math.IsInf(v, 0):
		return dst, errorf("signal: Vol = %g, want >= 0", v)
	case days < 0:
		return dst, errorf("signal: %d days", days)
	case r == nil:
		return dst, errorf("signal: nil random source")
	}
	if cap(dst) < days {
		dst = make([]float64, days)
	}
	dst = dst[:days]
	lnL := math.Log(m.Level)
	dev := 0.0
	for d := range dst {
		dev = phi*dev + v*r.NormFloat64()
		dst[d] = math.Exp(lnL + dev)
	}
	return dst, nil
}
