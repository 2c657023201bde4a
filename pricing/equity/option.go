package equity

import (
	"errors"
	"fmt"
	"math"

	"github.com/hedgeflow/hedgeflow/pricing/approx"
)

// ErrInvalid is wrapped by every error about bad input.
var ErrInvalid = errors.New("equity: invalid")

func errorf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

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
// It does not allocate. Three exponentials (discount, forward factor,
// density), one logarithm and two rational approximations of Φ
// (approx.Exp, Log, GaussBlack, PhiWith).
func (o Option) Price(m Market, vol float64) (Greeks, error) {
	if !o.valid(m, vol) {
		return Greeks{}, o.check(m, vol)
	}
	s, k, t, r, q := m.Spot, o.Strike, o.Expiry, m.Rate, m.Div
	dr := approx.Exp(-r * t)
	ff := approx.Exp((r - q) * t) // F/S
	dq := dr * ff                 // exp(-q t), to 2 ulps
	sqt := math.Sqrt(t)
	sd := vol * sqt
	sk := s / k
	fk := sk * ff // F/K
	// log(S/K) + (r-q)T rather than log(F/K): the logarithm need not wait
	// for an exponential
	d1 := (approx.Log(sk)+(r-q)*t)/sd + 0.5*sd
	d2 := d1 - sd
	g1, g2 := approx.GaussBlack(d1, d2, fk) // one exponential for both
	sdq, kdr := s*dq, k*dr
	pdf := g1 * 0.3989422804014327 // g1/√(2π)
	g := Greeks{Gamma: dq * pdf / (s * sd), Vega: sdq * pdf * sqt}
	decay := -0.5 * sdq * pdf * vol / sqt
	if o.Call {
		n1, n2 := approx.PhiWith(d1, g1), approx.PhiWith(d2, g2)
		g.PV = sdq*n1 - kdr*n2
		g.Delta = dq * n1
		g.Theta = decay + q*sdq*n1 - r*kdr*n2
		g.Rho = t * kdr * n2
		g.RhoDiv = -t * sdq * n1
	} else {
		n1, n2 := approx.PhiWith(-d1, g1), approx.PhiWith(-d2, g2)
		g.PV = kdr*n2 - sdq*n1
		g.Delta = -dq * n1
		g.Theta = decay - q*sdq*n1 + r*kdr*n2
		g.Rho = -t * kdr * n2
		g.RhoDiv = t * sdq * n1
	}
	return g, nil
}

// valid is check's verdict without its error, in comparisons the compiler
// inlines: Price calls check only to build the error.
func (o Option) valid(m Market, vol float64) bool {
	const max = math.MaxFloat64
	return m.Spot > 0 && m.Spot <= max && math.Abs(m.Rate) <= max && math.Abs(m.Div) <= max &&
		o.Strike > 0 && o.Strike <= max && o.Expiry > 0 && o.Expiry <= max && vol > 0 && vol <= max
}

// check returns the error for the first invalid input of Price, nil if
// none.
func (o Option) check(m Market, vol float64) error {
	switch {
	case !(m.Spot > 0) || math.IsInf(m.Spot, 0):
		return errorf("spot must be positive and finite, got %v", m.Spot)
	case !finite(m.Rate) || !finite(m.Div):
		return errorf("rate and dividend yield must be finite, got %v and %v", m.Rate, m.Div)
	case !(o.Strike > 0) || math.IsInf(o.Strike, 0):
		return errorf("strike must be positive and finite, got %v", o.Strike)
	case !(o.Expiry > 0) || math.IsInf(o.Expiry, 0):
		return errorf("expiry must be positive and finite, got %v", o.Expiry)
	case !(vol > 0) || math.IsInf(vol, 0):
		return errorf("vol must be positive and finite, got %v", vol)
	}
	return nil
}
