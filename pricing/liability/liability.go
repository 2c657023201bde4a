package liability

import (
	"errors"
	"fmt"
	"math"

	"github.com/hedgeflow/hedgeflow/pricing/curve"
)

// ErrInvalid is wrapped by every error about bad input.
var ErrInvalid = errors.New("liability: invalid")

// Bp is one basis point.
const Bp = 0.0001

// Cashflows are yearly payments in one Currency (ISO code): Amounts[i] at
// the end of year i+1.
type Cashflows struct {
	Currency string
	Amounts  []float64
}

// Basis is what the cash flows are discounted on: a zero Curve plus a flat
// continuously compounded Spread.
type Basis struct {
	Curve  curve.Zero
	Spread float64
}

// Risk is a liability's present value, PV01 and effective duration.
type Risk struct {
	PV, PV01, Duration float64
}

// PV returns the present value on basis b.
func (c Cashflows) PV(b Basis) (float64, error) {
	if err := c.validate(b); err != nil {
		return 0, err
	}
	return c.pv(b, curve.Shock{}), nil
}

// Risk returns PV, PV01 and duration, and writes the key-rate PV01s into krd
// if it is not nil. It does not allocate.
func (c Cashflows) Risk(b Basis, krd *[curve.NumKeys]float64) (Risk, error) {
	if err := c.validate(b); err != nil {
		return Risk{}, err
	}
	pv := c.pv(b, curve.Shock{})
	up := c.pv(b, curve.Parallel(Bp))
	r := Risk{PV: pv, PV01: up - pv}
	if pv != 0 {
		r.Duration = -r.PV01 / (pv * Bp)
	}
	if krd != nil {
		for k := range krd {
			krd[k] = c.pv(b, curve.KeyRate(k, Bp)) - pv
		}
	}
	return r, nil
}

func (c Cashflows) pv(b Basis, s curve.Shock) float64 {
	pv := 0.0
	for i, a := range c.Amounts {
		if a == 0 {
			continue
		}
		t := float64(i + 1)
		pv += a * math.Exp(-(b.Curve.Rate(t)+s.At(t)+b.Spread)*t)
	}
	return pv
}

func (c Cashflows) validate(b Basis) error {
	if len(b.Curve.Times) == 0 || len(b.Curve.Times) != len(b.Curve.Rates) {
		return fmt.Errorf("%w: %s: empty discount curve", ErrInvalid, c.Currency)
	}
	if math.IsNaN(b.Spread) || math.IsInf(b.Spread, 0) || math.Abs(b.Spread) > 1 {
		return fmt.Errorf("%w: %s: spread must be finite and within ±1, got %v", ErrInvalid, c.Currency, b.Spread)
	}
	for i, a := range c.Amounts {
		if math.IsNaN(a) || math.IsInf(a, 0) {
			return fmt.Errorf("%w: %s: amounts[%d] = %v", ErrInvalid, c.Currency, i, a)
		}
	}
	return nil
}
