package credit

import "math"

// BaseLoss returns the expected loss E[min(L, k)] of the base tranche [0, k]
// of a Vasicek large homogeneous pool, as a fraction of the pool notional.
// Given the common factor Z, the pool loses
//
//	L(Z) = (1-R) Φ((Φ⁻¹(pd) - √ρ Z) / √(1-ρ)),
//
// and with c = Φ⁻¹(pd), κ = k/(1-R), z* = (c - √(1-ρ) Φ⁻¹(κ)) / √ρ,
//
//	E[min(L, k)] = (1-R) (pd - Φ₂(c, z*; √ρ) + κ Φ(z*))
//
// (O'Kane 2008 §16.3). Inputs are not validated: see TrancheLoss.
func BaseLoss(k, pd, rho, recovery float64) float64 {
	return baseLoss(k, pd, math.NaN(), rho, recovery)
}

// baseLoss is BaseLoss with c = Φ⁻¹(pd) given, or NaN to compute it here:
// a tranche's two base losses share it.
func baseLoss(k, pd, c, rho, recovery float64) float64 {
	lgd := 1 - recovery
	switch {
	case k <= 0 || pd <= 0:
		return 0
	case k >= lgd:
		return pd * lgd
	case pd >= 1:
		return k
	case rho <= 0:
		return math.Min(pd*lgd, k)
	case rho >= 1:
		return pd * k
	}
	kappa := k / lgd
	if math.IsNaN(c) {
		c = normQuantile(pd)
	}
	sr := math.Sqrt(rho)
	z := (c - math.Sqrt(1-rho)*normQuantile(kappa)) / sr
	el := lgd * (pd - Binormal(c, z, sr) + kappa*normCDF(z))
	// 0 <= E[min(L,k)] <= min(k, E[L]); rounding in the difference can step
	// outside by an ulp or so.
	return math.Max(0, math.Min(el, math.Min(k, pd*lgd)))
}

// TrancheLoss returns the expected loss of the tranche [attach, detach] as a
// fraction of the tranche notional, from base correlations rhoAttach at the
// attachment and rhoDetach at the detachment (equal for a flat correlation):
//
//	(BaseLoss(D; ρ_D) - BaseLoss(A; ρ_A)) / (D - A).
//
// With different correlations the result is not bounded by [0, 1] in
// general, a known weakness of base correlation.
func TrancheLoss(attach, detach, pd, rhoAttach, rhoDetach, recovery float64) (float64, error) {
	if err := checkTranche(attach, detach, rhoAttach, rhoDetach, recovery); err != nil {
		return 0, err
	}
	if !(pd > 0 && pd < 1) {
		return 0, errorf("pd: must be in (0,1), got %v", pd)
	}
	return trancheLoss(attach, detach, pd, rhoAttach, rhoDetach, recovery), nil
}

func trancheLoss(attach, detach, pd, rhoA, rhoD, recovery float64) float64 {
	c := math.NaN()
	if pd > 0 && pd < 1 {
		c = normQuantile(pd)
	}
	return (baseLoss(detach, pd, c, rhoD, recovery) - baseLoss(attach, pd, c, rhoA, recovery)) / (detach - attach)
}

func checkTranche(attach, detach, rhoA, rhoD, recovery float64) error {
	switch {
	case !(attach >= 0 && attach < 1):
		return errorf("attach: must be in [0,1), got %v", attach)
	case !(detach > 0 && detach <= 1):
		return errorf("detach: must be in (0,1], got %v", detach)
	case !(attach < detach):
		return errorf("detach: must be above attach %v, got %v", attach, detach)
	case !(rhoA >= 0 && rhoA < 1):
		return errorf("rho: attachment correlation must be in [0,1), got %v", rhoA)
	case !(rhoD >= 0 && rhoD < 1):
		return errorf("rho: detachment correlation must be in [0,1), got %v", rhoD)
	case !(recovery >= 0 && recovery < 1):
		return errorf("recovery: must be in [0,1), got %v", recovery)
	}
	return nil
}

// Tranche is a synthetic CDO tranche on notional 1 of tranche, priced on a
// large homogeneous pool whose names share the hazard curve passed to Price.
type Tranche struct {
	Attach, Detach       float64 // fractions of the pool notional, 0 <= Attach < Detach <= 1
	RhoAttach, RhoDetach float64 // base correlations, in [0,1)
	Recovery             float64 // of every name, in [0,1)
	Maturity             float64 // years
	Coupon               float64 // running spread, fraction per year
	Freq                 int     // premium payments per year
}

// Price values the tranche from its expected loss term structure EL(t), the
// LHP tranche loss at pd(t) = 1 - S(t): the premium leg pays the coupon on
// the expected outstanding notional, 1 - (EL(t_{i-1}) + EL(t_i))/2 over each
// period, and the protection leg pays the increments of EL discounted from
// the period mid-points (O'Kane 2008 §12.4). Protection buyer's side.
func (tr Tranche) Price(pool Hazard, d Discount) (Legs, error) {
	if err := checkTranche(tr.Attach, tr.Detach, tr.RhoAttach, tr.RhoDetach, tr.Recovery); err != nil {
		return Legs{}, err
	}
	c := CDS{Maturity: tr.Maturity, Coupon: tr.Coupon, Recovery: tr.Recovery, Freq: tr.Freq}
	if err := c.Validate(); err != nil {
		return Legs{}, err
	}
	if err := checkHazard(pool.Times, pool.Rates); err != nil {
		return Legs{}, err
	}
	if err := d.validate(); err != nil {
		return Legs{}, err
	}
	n, onGrid := periods(0, tr.Maturity, tr.Freq)
	var ann, prot float64
	t0, el0 := 0.0, 0.0
	for i := 1; i <= n; i++ {
		t1 := payTime(i, n, 0, tr.Maturity, tr.Freq, onGrid)
		el1 := trancheLoss(tr.Attach, tr.Detach, 1-pool.Survival(t1), tr.RhoAttach, tr.RhoDetach, tr.Recovery)
		ann += (t1 - t0) * d.DF(t1) * (1 - 0.5*(el0+el1))
		prot += (el1 - el0) * d.DF(0.5*(t0+t1))
		t0, el0 = t1, el1
	}
	return makeLegs(prot, ann, tr.Coupon), nil
}
