package sim

import (
	"errors"
	"fmt"
)

// ErrNotPremiumOnly is returned by PremiumShift when two models differ in
// more than their hedges' premiums.
var ErrNotPremiumOnly = errors.New("sim: the models differ in more than option premiums")

// premiumOnly reports whether a hedge's premium enters its P&L as a
// constant: paid today in USD, subtracted from the value at every horizon
// and path, so that a new premium shifts the P&L by the difference.
func premiumOnly(k HedgeKind) bool {
	switch k {
	case FXPut, RiskReversal, Seagull, SwaptionReceiver, SwaptionPayer, EquityPut:
		return true
	}
	return false
}

// PremiumShift compares a model built on a new market with one built on
// the old, for the same fund and configuration, when only implied vols
// moved. It returns, per hedge, the change in premium: the P&L of hedge j
// on every path and horizon of the new model is the old one's minus
// shift[j]. It fails with ErrNotPremiumOnly when anything else about the
// hedges differs (strikes, forwards, carry, or the premium of a hedge whose
// premium does not enter its P&L as a constant): the paths must then be
// simulated again.
//
// The caller must also ensure that nothing the paths depend on moved
// (curves, FX spots, spreads): only the implied vols that price premiums.
func PremiumShift(old, new *Model) ([]float64, error) {
	if len(old.hedges) != len(new.hedges) {
		return nil, fmt.Errorf("%w: %d hedges against %d", ErrNotPremiumOnly, len(new.hedges), len(old.hedges))
	}
	if old.assets0 != new.assets0 || old.liabs0 != new.liabs0 {
		return nil, fmt.Errorf("%w: the fund's value today changed", ErrNotPremiumOnly)
	}
	shift := make([]float64, len(old.hedges))
	for j := range old.hedges {
		a, b := old.hedges[j], new.hedges[j]
		d := b.Premium - a.Premium
		if d != 0 && !premiumOnly(a.Kind) {
			return nil, fmt.Errorf("%w: %s's premium moved but is not a constant of its P&L", ErrNotPremiumOnly, a.ID)
		}
		b.Premium, b.CostBps, b.Delta = a.Premium, a.CostBps, a.Delta
		if a != b {
			return nil, fmt.Errorf("%w: %s changed", ErrNotPremiumOnly, a.ID)
		}
		shift[j] = d
	}
	return shift, nil
}
