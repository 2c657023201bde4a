package fx

// Vol gives the Black volatility (a fraction) at a strike. Flat and Smile
// implement it.
type Vol interface {
	Vol(strike float64) float64
}

// Flat is one volatility for every strike.
type Flat float64

// Vol returns v.
func (v Flat) Vol(float64) float64 { return float64(v) }

// Leg is a Quantity (positive long, negative short, in units of foreign
// notional) of one Option.
type Leg struct {
	Option   Option
	Quantity float64
}

// MaxLegs is the most legs a Structure holds.
const MaxLegs = 4

// Structure is a package of options on one pair priced leg by leg, each leg
// at its own strike's vol. It is a value (no allocation); build one with
// the constructors or NewStructure.
type Structure struct {
	n    int
	legs [MaxLegs]Leg
}

// NewStructure returns a structure of up to MaxLegs legs.
func NewStructure(legs ...Leg) (Structure, error) {
	var s Structure
	if len(legs) == 0 || len(legs) > MaxLegs {
		return s, errorf("a structure has 1 to %d legs, got %d", MaxLegs, len(legs))
	}
	for i, l := range legs {
		if err := l.Option.validate(); err != nil {
			return s, errorf("leg %d: %v", i, err)
		}
		if !finite(l.Quantity) {
			return s, errorf("leg %d: quantity must be finite, got %v", i, l.Quantity)
		}
	}
	s.n = copy(s.legs[:], legs)
	return s, nil
}

// Len returns the number of legs.
func (s Structure) Len() int { return s.n }

// Leg returns leg i, 0 <= i < Len(); it panics otherwise.
func (s Structure) Leg(i int) Leg { return s.legs[:s.n][i] }

// Price sums the legs' Garman-Kohlhagen values and greeks, each leg at
// vol.Vol(its strike). Pass a *Smile rather than a Smile: a Smile value
// stored in the interface is copied to the heap.
func (s Structure) Price(m Market, vol Vol) (Greeks, error) {
	var g Greeks
	if s.n == 0 {
		return g, errorf("empty structure")
	}
	for _, l := range s.legs[:s.n] {
		h, err := l.Option.Price(m, vol.Vol(l.Option.Strike))
		if err != nil {
			return Greeks{}, err
		}
		g.add(l.Quantity, h)
	}
	return g, nil
}

func ordered(ks ...float64) error {
	for i := 1; i < len(ks); i++ {
		if !(ks[i] > ks[i-1]) {
			return errorf("strikes must increase, got %v", ks)
		}
	}
	return nil
}

// RiskReversal is long a call at callK and short a put at putK < callK,
// one unit each: the market's 25-delta risk reversal when the strikes are
// the 25-delta strikes.
func RiskReversal(expiry, putK, callK float64) (Structure, error) {
	if err := ordered(putK, callK); err != nil {
		return Structure{}, err
	}
	return NewStructure(
		Leg{Option{Strike: callK, Expiry: expiry, Call: true}, 1},
		Leg{Option{Strike: putK, Expiry: expiry}, -1},
	)
}

// Collar is the hedge of a long foreign-currency exposure: long a put at
// putK, short a call at callK > putK (the opposite of RiskReversal).
func Collar(expiry, putK, callK float64) (Structure, error) {
	if err := ordered(putK, callK); err != nil {
		return Structure{}, err
	}
	return NewStructure(
		Leg{Option{Strike: putK, Expiry: expiry}, 1},
		Leg{Option{Strike: callK, Expiry: expiry, Call: true}, -1},
	)
}

// PutSpread is long a put at highK and short a put at lowK < highK:
// protection between the strikes.
func PutSpread(expiry, lowK, highK float64) (Structure, error) {
	if err := ordered(lowK, highK); err != nil {
		return Structure{}, err
	}
	return NewStructure(
		Leg{Option{Strike: highK, Expiry: expiry}, 1},
		Leg{Option{Strike: lowK, Expiry: expiry}, -1},
	)
}

// Seagull is a put spread (long put at midK, short put at lowK) financed by
// a short call at highK, lowK < midK < highK.
func Seagull(expiry, lowK, midK, highK float64) (Structure, error) {
	if err := ordered(lowK, midK, highK); err != nil {
		return Structure{}, err
	}
	return NewStructure(
		Leg{Option{Strike: midK, Expiry: expiry}, 1},
		Leg{Option{Strike: lowK, Expiry: expiry}, -1},
		Leg{Option{Strike: highK, Expiry: expiry, Call: true}, -1},
	)
}
