package equity

import (
	"errors"
	"fmt"
	"math"
)

// ErrInvalid is wrapped by every error about bad input.
var ErrInvalid = errors.New("equity: invalid")

func errorf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func normCDF(x float64) float64 { return 0.5 * math.Erfc(-x*(1/math.Sqrt2)) } // a product, not a division

// Market is an index's Spot level, the continuously compounded Rate of its
// currency and its continuous dividend yield Div.
type Market struct {
	Spot, Rate, Div float64
}

// Option is a European option on an index: a call pays max(S_T - Strike, 0)
// at Expiry (years), a put max(Strike - S_T, 0).
type Option struct {
	Strike, Expiry float64
	Call           bool
}

// Greeks are the value and sensitivities per unit of index.
type Greeks struct {
	PV, Delta, Gamma, Vega, Theta, Rho, RhoDiv float64
}

// Price values the option under Black-Scholes-Merton at vol (a fraction).
// It does not allocate.
func (o Option) Price(m Market, vol float64) (Greeks, error) {
	switch {
	case !(m.Spot > 0) || math.IsInf(m.Spot, 0):
		return Greeks{}, errorf("spot must be positive and finite, got %v", m.Spot)
	case !finite(m.Rate) || !finite(m.Div):
		return Greeks{}, errorf("rate and dividend yield must be finite, got %v and %v", m.Rate, m.Div)
	case !(o.Strike > 0) || math.IsInf(o.Strike, 0):
		return Greeks{}, errorf("strike must be positive and finite, got %v", o.Strike)
	case !(o.Expiry > 0) || math.IsInf(o.Expiry, 0):
		return Greeks{}, errorf("expiry must be positive and finite, got %v", o.Expiry)
	case !(vol > 0) || math.IsInf(vol, 0):
		return Greeks{}, errorf("vol must be positive and finite, got %v", vol)
	}
	s, k, t, r, q := m.Spot, o.Strike, o.Expiry, m.Rate, m.Div
	dr, dq := math.Exp(-r*t), math.Exp(-q*t)
	sqt := math.Sqrt(t)
	sd := vol * sqt
	d1 := (math.Log(s/k)+(r-q)*t)/sd + 0.5*sd
	d2 := d1 - sd
	sdq, kdr := s*dq, k*dr
	pdf := math.Exp(-0.5*d1*d1) * (1 / math.Sqrt(2*math.Pi))
	g := Greeks{Gamma: dq * pdf / (s * sd), Vega: sdq * pdf * sqt}
	decay := -0.5 * sdq * pdf * vol / sqt
	if o.Call {
		n1, n2 := normCDF(d1), normCDF(d2)
		g.PV = sdq*n1 - kdr*n2
		g.Delta = dq * n1
		g.Theta = decay + q*sdq*n1 - r*kdr*n2
		g.Rho = t * kdr * n2
		g.RhoDiv = -t * sdq * n1
	} else {
		n1, n2 := normCDF(-d1), normCDF(-d2)
		g.PV = kdr*n2 - sdq*n1
		g.Delta = -dq * n1
		g.Theta = decay - q*sdq*n1 + r*kdr*n2
		g.Rho = -t * kdr * n2
		g.RhoDiv = t * sdq * n1
	}
	return g, nil
}
