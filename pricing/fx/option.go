package fx

import (
	"math"

	"github.com/hedgeflow/hedgeflow/pricing/approx"
)

// Market is the state an FX option is priced in: Spot in domestic currency
// per unit of foreign, continuously compounded flat rates Rd (domestic) and
// Rf (foreign) to the expiry, and a cross-currency Basis added to Rf for
// discounting foreign cash flows (0 for plain covered interest parity).
type Market struct {
	Spot, Rd, Rf, Basis float64
}

// Forward returns the outright forward at t: S exp((rd - rf - basis) t).
func (m Market) Forward(t float64) float64 {
	return m.Spot * math.Exp((m.Rd-m.Rf-m.Basis)*t)
}

func (m Market) validate() error {
	switch {
	case !(m.Spot > 0) || math.IsInf(m.Spot, 0):
		return errorf("spot must be positive and finite, got %v", m.Spot)
	case !finite(m.Rd) || !finite(m.Rf) || !finite(m.Basis):
		return errorf("rates must be finite, got rd %v rf %v basis %v", m.Rd, m.Rf, m.Basis)
	}
	return nil
}

// Option is a European vanilla FX option on one unit of foreign currency:
// a call pays max(S_T - Strike, 0) domestic at Expiry (years), a put
// max(Strike - S_T, 0).
type Option struct {
	Strike, Expiry float64
	Call           bool
}

// Greeks are the value and sensitivities of a position, in domestic
// currency per unit of foreign notional. Delta is dPV/dSpot, Gamma
// d²PV/dSpot², Vega dPV/dvol per 1.00 of vol, Theta the value change per year
// of time passing (-dPV/dExpiry), RhoD and RhoF dPV/drd and dPV/drf per 1.00
// of rate.
type Greeks struct {
	PV, Delta, Gamma, Vega, Theta, RhoD, RhoF float64
}

// add accumulates q times g.
func (g *Greeks) add(q float64, h Greeks) {
	g.PV += q * h.PV
	g.Delta += q * h.Delta
	g.Gamma += q * h.Gamma
	g.Vega += q * h.Vega
	g.Theta += q * h.Theta
	g.RhoD += q * h.RhoD
	g.RhoF += q * h.RhoF
}

// Price values the option under Garman-Kohlhagen at volatility vol (a
// fraction, 0.1 is 10%) with every greek. It does not allocate. The kernel
// costs three exponentials (the domestic discount factor, the forward
// factor and the density), a logarithm, a square root, two rational
// approximations of Φ and one division (approx.Log, Gauss, PhiWith).
func (o Option) Price(m Market, vol float64) (g Greeks, err error) {
	s, k, t := m.Spot, o.Strike, o.Expiry
	const max = math.MaxFloat64
	if !(s > 0 && s <= max && k > 0 && k <= max && t > 0 && t <= max && vol > 0 && vol <= max &&
		math.Abs(m.Rd) <= max && math.Abs(m.Rf) <= max && math.Abs(m.Basis) <= max) {
		if err := m.validate(); err != nil {
			return g, err
		}
		if err := o.validate(); err != nil {
			return g, err
		}
		return g, errorf("vol must be positive and finite, got %v", vol)
	}
	rd, rf := m.Rd, m.Rf+m.Basis
	dd := exp(-rd * t)
	ff := exp((rd - rf) * t) // F/S
	df := dd * ff            // exp(-rf t), to 2 ulps
	sqt := math.Sqrt(t)
	sd := vol * sqt
	sk := s / k
	fk := sk * ff       // F/K
	inv := 1 / (sd * s) // 1/(S σ√T)
	// log(S/K) + (rd-rf)T rather than log(F/K): the logarithm need not
	// wait for an exponential; LogFast, as in Black (its few roundings are
	// below those of the sum)
	d1 := (approx.LogFast(sk)+(rd-rf)*t)*s*inv + 0.5*sd
	d2 := d1 - sd
	g1, g2 := approx.GaussBlack(d1, d2, fk) // one exponential for both
	sdf, kdd := s*df, k*dd
	pdf := g1 * invSqrt2Pi
	g.Gamma = df * pdf * inv
	g.Vega = sdf * pdf * sqt
	decay := -0.5 * sdf * pdf * vol * vol * s * inv // -S Df n(d1) σ / (2√T)
	if o.Call {
		n1, n2 := approx.PhiWith(d1, g1), approx.PhiWith(d2, g2)
		g.PV = sdf*n1 - kdd*n2
		g.Delta = df * n1
		g.Theta = decay + rf*sdf*n1 - rd*kdd*n2
		g.RhoD = t * kdd * n2
		g.RhoF = -t * sdf * n1
	} else {
		n1, n2 := approx.PhiWith(-d1, g1), approx.PhiWith(-d2, g2)
		g.PV = kdd*n2 - sdf*n1
		g.Delta = -df * n1
		g.Theta = decay - rf*sdf*n1 + rd*kdd*n2
		g.RhoD = -t * kdd * n2
		g.RhoF = t * sdf * n1
	}
	return g, nil
}

const invSqrt2Pi = 0.3989422804014327 // 1/√(2π)

func (o Option) validate() error {
	switch {
	case !(o.Strike > 0) || math.IsInf(o.Strike, 0):
		return errorf("strike must be positive and finite, got %v", o.Strike)
	case !(o.Expiry > 0) || math.IsInf(o.Expiry, 0):
		return errorf("expiry must be positive and finite, got %v", o.Expiry)
	}
	return nil
}

// ForwardContract is a long outright forward: receive one unit of foreign
// and pay Strike domestic at Expiry.
type ForwardContract struct {
	Strike, Expiry float64
}

// PV returns the value in domestic currency, S exp(-(rf+basis) T) -
// K exp(-rd T).
func (f ForwardContract) PV(m Market) (float64, error) {
	if err := m.validate(); err != nil {
		return 0, err
	}
	switch {
	case !(f.Strike >= 0) || math.IsInf(f.Strike, 0):
		return 0, errorf("strike must be >= 0 and finite, got %v", f.Strike)
	case !(f.Expiry >= 0) || math.IsInf(f.Expiry, 0):
		return 0, errorf("expiry must be >= 0 and finite, got %v", f.Expiry)
	}
	t := f.Expiry
	return m.Spot*exp(-(m.Rf+m.Basis)*t) - f.Strike*exp(-m.Rd*t), nil
}
