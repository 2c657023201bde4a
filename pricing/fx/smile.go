package fx

import "math"

// Quotes are the market's volatility quotes for one pair and expiry: ATM
// (delta-neutral straddle), the 25-delta risk reversal RR25 = σ25C - σ25P and
// the 25-delta butterfly BF25 = (σ25C + σ25P)/2 - ATM, all fractions.
type Quotes struct {
	Expiry, ATM, RR25, BF25 float64
}

// Smile is a vanna-volga smile (Castagna and Mercurio 2007) through the
// 25-delta put, ATM and 25-delta call pillars of one expiry. Build it with
// NewSmile.
type Smile struct {
	t, fwd float64
	k      [3]float64 // 25-delta put, ATM, 25-delta call strikes
	vol    [3]float64
	dd     [2]float64 // d1 d2 at the ATM vol of the wing pillars (put, call)
}

// NewSmile places the pillars and returns the smile. Pillar vols are
// σ25P = ATM + BF25 - RR25/2 and σ25C = ATM + BF25 + RR25/2 (the butterfly
// read as a smile strangle). Strikes use spot deltas without premium
// adjustment: the ATM strike is the delta-neutral F exp(σ²T/2), the 25-delta
// call strike solves exp(-rf T) N(d1) = 0.25 and the put strike
// -exp(-rf T) N(-d1) = -0.25 (rf includes the market's basis).
func NewSmile(m Market, q Quotes) (Smile, error) {
	if err := m.validate(); err != nil {
		return Smile{}, err
	}
	t := q.Expiry
	if !(t > 0) || math.IsInf(t, 0) {
		return Smile{}, errorf("expiry must be positive and finite, got %v", t)
	}
	vp, va, vc := q.ATM+q.BF25-q.RR25/2, q.ATM, q.ATM+q.BF25+q.RR25/2
	for _, v := range [...]float64{vp, va, vc} {
		if !(v > 0) || v > 5 {
			return Smile{}, errorf("quotes %+v give a pillar vol of %v, outside (0, 5]", q, v)
		}
	}
	df := math.Exp(-(m.Rf + m.Basis) * t)
	if !(0.25/df < 1) {
		return Smile{}, errorf("no 25-delta strike: foreign discount factor %v at %v years", df, t)
	}
	a := normQuantile(0.25 / df) // d1 of the 25-delta call; -a of the put
	f := m.Forward(t)
	sq := math.Sqrt(t)
	s := Smile{t: t, fwd: f, vol: [3]float64{vp, va, vc}}
	s.k[0] = f * math.Exp(a*vp*sq+0.5*vp*vp*t)
	s.k[1] = f * math.Exp(0.5*va*va*t)
	s.k[2] = f * math.Exp(-a*vc*sq+0.5*vc*vc*t)
	for i, k := range [2]float64{s.k[0], s.k[2]} {
		d1, d2 := s.d(k)
		s.dd[i] = d1 * d2
	}
	return s, nil
}

// d returns d1 and d2 at strike k and the ATM vol.
func (s Smile) d(k float64) (d1, d2 float64) {
	sd := s.vol[1] * math.Sqrt(s.t)
	d1 = (math.Log(s.fwd/k) + 0.5*sd*sd) / sd
	return d1, d1 - sd
}

// Strikes returns the 25-delta put, ATM and 25-delta call strikes.
func (s Smile) Strikes() [3]float64 { return s.k }

// Vols returns the pillar vols at Strikes.
func (s Smile) Vols() [3]float64 { return s.vol }

// Vol returns the vanna-volga implied vol at strike k by the second-order
// approximation of Castagna and Mercurio (2007), eq. (14); where its square
// root has no real value (far wings) it returns the first-order
// approximation, eq. (13). It returns the pillar vols at the pillar strikes.
func (s Smile) Vol(k float64) float64 {
	if !(k > 0) || math.IsInf(k, 0) {
		return math.NaN()
	}
	k1, k2, k3 := s.k[0], s.k[1], s.k[2]
	l1, l2, l3 := math.Log(k/k1), math.Log(k/k2), math.Log(k/k3)
	l21, l31, l32 := math.Log(k2/k1), math.Log(k3/k1), math.Log(k3/k2)
	y1 := l2 * l3 / (l21 * l31)
	y2 := -l1 * l3 / (l21 * l32)
	y3 := l1 * l2 / (l31 * l32)
	s1, s2, s3 := s.vol[0], s.vol[1], s.vol[2]
	first := y1*s1 + y2*s2 + y3*s3
	d1, d2 := s.d(k)
	dd := d1 * d2
	if dd == 0 {
		return first
	}
	D1 := first - s2
	D2 := y1*s.dd[0]*(s1-s2)*(s1-s2) + y3*s.dd[1]*(s3-s2)*(s3-s2)
	disc := s2*s2 + dd*(2*s2*D1+D2)
	if !(disc >= 0) {
		return first
	}
	return s2 + (-s2+math.Sqrt(disc))/dd
}

// Price returns the exact vanna-volga price of o (Castagna and Mercurio
// 2007, eq. (9)): its Garman-Kohlhagen value at the ATM vol plus the
// weighted smile costs of the three pillar options, the weights matching
// vega, vanna and volga. Vol approximates the implied vol of this price.
func (s Smile) Price(m Market, o Option) (float64, error) {
	base, err := o.Price(m, s.vol[1])
	if err != nil {
		return 0, err
	}
	k := o.Strike
	k1, k2, k3 := s.k[0], s.k[1], s.k[2]
	l1, l2, l3 := math.Log(k/k1), math.Log(k/k2), math.Log(k/k3)
	l21, l31, l32 := math.Log(k2/k1), math.Log(k3/k1), math.Log(k3/k2)
	y := [3]float64{l2 * l3 / (l21 * l31), -l1 * l3 / (l21 * l32), l1 * l2 / (l31 * l32)}
	pv := base.PV
	for i, ki := range s.k {
		pillar := Option{Strike: ki, Expiry: o.Expiry, Call: true}
		atm, err := pillar.Price(m, s.vol[1])
		if err != nil {
			return 0, err
		}
		mkt, err := pillar.Price(m, s.vol[i])
		if err != nil {
			return 0, err
		}
		pv += y[i] * base.Vega / atm.Vega * (mkt.PV - atm.PV)
	}
	return pv, nil
}
