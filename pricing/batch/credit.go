package batch

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/hedgeflow/hedgeflow/pricing/credit"
)

func init() {
	register("cds", priceCDS)
	register("tranche_lhp", priceTrancheLHP)
}

// cdsResult is the answer to a "cds" request.
type cdsResult struct {
	ParSpread float64 `json:"par_spread"`
	PV        float64 `json:"pv"`
}

// priceCDS prices {"kind":"cds","hazard","recovery","maturity","coupon",
// "rate","freq"}: a CDS on notional 1 with a flat hazard and a flat
// continuously compounded rate, premiums at i/freq with accrual on default,
// defaults at period mid-points (credit.CDS). pv is the protection buyer's.
func priceCDS(raw []byte) (any, error) {
	f, err := creditDecode(raw)
	if err != nil {
		return nil, err
	}
	var hazard, recovery, maturity, coupon, rate, freq float64
	if err := f.numbers(map[string]*float64{
		"hazard": &hazard, "recovery": &recovery, "maturity": &maturity,
		"coupon": &coupon, "rate": &rate, "freq": &freq,
	}, "hazard", "recovery", "maturity", "coupon", "rate", "freq"); err != nil {
		return nil, err
	}
	switch {
	case !(hazard >= 0):
		return nil, fmt.Errorf("hazard: must be >= 0, got %v", hazard)
	case !(recovery >= 0 && recovery < 1):
		return nil, fmt.Errorf("recovery: must be in [0,1), got %v", recovery)
	case !(maturity > 0):
		return nil, fmt.Errorf("maturity: must be > 0, got %v", maturity)
	case !(coupon >= 0):
		return nil, fmt.Errorf("coupon: must be >= 0, got %v", coupon)
	case !(rate >= -0.5 && rate <= 1):
		return nil, fmt.Errorf("rate: must be in [-0.5, 1], got %v", rate)
	case !(freq >= 1 && freq <= 366 && freq == math.Trunc(freq)):
		return nil, fmt.Errorf("freq: must be a positive integer up to 366, got %v", freq)
	case maturity*freq > credit.MaxPeriods:
		return nil, fmt.Errorf("maturity: %v years at freq %v is more than %d premium periods", maturity, freq, credit.MaxPeriods)
	}
	c := credit.CDS{Maturity: maturity, Coupon: coupon, Recovery: recovery, Freq: int(freq)}
	times, rates := [1]float64{1}, [1]float64{hazard}
	l, err := c.Price(credit.Hazard{Times: times[:], Rates: rates[:]}, credit.Discount{Rate: rate})
	if err != nil {
		return nil, err
	}
	return cdsResult{ParSpread: l.ParSpread, PV: l.PV}, nil
}

// trancheResult is the answer to a "tranche_lhp" request.
type trancheResult struct {
	ExpectedLoss float64 `json:"expected_loss"`
}

// priceTrancheLHP prices {"kind":"tranche_lhp","attach","detach","pd","rho",
// "recovery"}: the Vasicek large homogeneous pool expected loss of the
// tranche as a fraction of the tranche notional (credit.TrancheLoss with a
// flat correlation).
func priceTrancheLHP(raw []byte) (any, error) {
	f, err := creditDecode(raw)
	if err != nil {
		return nil, err
	}
	var attach, detach, pd, rho, recovery float64
	if err := f.numbers(map[string]*float64{
		"attach": &attach, "detach": &detach, "pd": &pd, "rho": &rho, "recovery": &recovery,
	}, "attach", "detach", "pd", "rho", "recovery"); err != nil {
		return nil, err
	}
	switch {
	case !(attach >= 0 && attach < 1):
		return nil, fmt.Errorf("attach: must be in [0,1), got %v", attach)
	case !(detach > 0 && detach <= 1):
		return nil, fmt.Errorf("detach: must be in (0,1], got %v", detach)
	case !(attach < detach):
		return nil, fmt.Errorf("attach: must be below detach %v, got %v", detach, attach)
	case !(pd > 0 && pd < 1):
		return nil, fmt.Errorf("pd: must be in (0,1), got %v", pd)
	case !(rho >= 0 && rho < 1):
		return nil, fmt.Errorf("rho: must be in [0,1), got %v", rho)
	case !(recovery >= 0 && recovery < 1):
		return nil, fmt.Errorf("recovery: must be in [0,1), got %v", recovery)
	}
	el, err := credit.TrancheLoss(attach, detach, pd, rho, rho, recovery)
	if err != nil {
		return nil, err
	}
	return trancheResult{ExpectedLoss: el}, nil
}

// creditFields holds a request's fields undecoded, so that each can be
// reported by name when missing or of the wrong type.
type creditFields map[string]json.RawMessage

func creditDecode(raw []byte) (creditFields, error) {
	var f creditFields
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("invalid JSON: %v", err)
	}
	return f, nil
}

// numbers decodes the named fields, in the order given, into dst.
func (f creditFields) numbers(dst map[string]*float64, order ...string) error {
	for _, name := range order {
		raw, ok := f[name]
		if !ok {
			return fmt.Errorf("%s: missing", name)
		}
		var v *float64
		if err := json.Unmarshal(raw, &v); err != nil || v == nil {
			return fmt.Errorf("%s: must be a number, got %s", name, creditShort(raw))
		}
		if math.IsNaN(*v) || math.IsInf(*v, 0) {
			return fmt.Errorf("%s: must be finite, got %v", name, *v)
		}
		*dst[name] = *v
	}
	return nil
}

// creditShort returns raw JSON cut to a length fit for an error message.
func creditShort(raw json.RawMessage) string {
	const n = 40
	if len(raw) > n {
		return string(raw[:n]) + "..."
	}
	return string(raw)
}
