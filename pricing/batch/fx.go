package batch

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/hedgeflow/hedgeflow/pricing/fx"
)

func init() {
	register("fx_option", priceFXOption)
	register("fx_forward", priceFXForward)
}

// fxOptionResult is the answer to an "fx_option" request.
type fxOptionResult struct {
	PV    float64 `json:"pv"`
	Delta float64 `json:"delta"`
	Vega  float64 `json:"vega"`
}

// priceFXOption prices {"kind":"fx_option","spot","strike","expiry","rd",
// "rf","vol","call"}: Garman-Kohlhagen (fx.Option), domestic currency per
// unit of foreign notional; delta = dPV/dspot, vega = dPV/dvol per 1.00.
func priceFXOption(raw []byte) (any, error) {
	var in struct {
		Spot   *float64 `json:"spot"`
		Strike *float64 `json:"strike"`
		Expiry *float64 `json:"expiry"`
		Rd     *float64 `json:"rd"`
		Rf     *float64 `json:"rf"`
		Vol    *float64 `json:"vol"`
		Call   *bool    `json:"call"`
	}
	if err := decodeFields(raw, &in); err != nil {
		return nil, err
	}
	var spot, strike, expiry, rd, rf, vol float64
	if err := numbers(
		num{"spot", in.Spot, positive(1e12)}.to(&spot), num{"strike", in.Strike, positive(1e12)}.to(&strike),
		num{"expiry", in.Expiry, positive(100)}.to(&expiry), num{"rd", in.Rd, within(-1, 1)}.to(&rd),
		num{"rf", in.Rf, within(-1, 1)}.to(&rf), num{"vol", in.Vol, positive(10)}.to(&vol),
	); err != nil {
		return nil, err
	}
	call, err := flag{"call", in.Call}.get()
	if err != nil {
		return nil, err
	}
	g, err := fx.Option{Strike: strike, Expiry: expiry, Call: call}.Price(fx.Market{Spot: spot, Rd: rd, Rf: rf}, vol)
	if err != nil {
		return nil, err
	}
	return finiteResult(fxOptionResult{PV: g.PV, Delta: g.Delta, Vega: g.Vega}, g.PV, g.Delta, g.Vega)
}

// fxForwardResult is the answer to an "fx_forward" request.
type fxForwardResult struct {
	PV float64 `json:"pv"`
}

// priceFXForward prices {"kind":"fx_forward","spot","strike","expiry","rd",
// "rf"}: pv = spot exp(-rf T) - strike exp(-rd T) (fx.ForwardContract).
func priceFXForward(raw []byte) (any, error) {
	var in struct {
		Spot   *float64 `json:"spot"`
		Strike *float64 `json:"strike"`
		Expiry *float64 `json:"expiry"`
		Rd     *float64 `json:"rd"`
		Rf     *float64 `json:"rf"`
	}
	if err := decodeFields(raw, &in); err != nil {
		return nil, err
	}
	var spot, strike, expiry, rd, rf float64
	if err := numbers(
		num{"spot", in.Spot, positive(1e12)}.to(&spot), num{"strike", in.Strike, positive(1e12)}.to(&strike),
		num{"expiry", in.Expiry, nonNegative(100)}.to(&expiry), num{"rd", in.Rd, within(-1, 1)}.to(&rd),
		num{"rf", in.Rf, within(-1, 1)}.to(&rf),
	); err != nil {
		return nil, err
	}
	pv, err := fx.ForwardContract{Strike: strike, Expiry: expiry}.PV(fx.Market{Spot: spot, Rd: rd, Rf: rf})
	if err != nil {
		return nil, err
	}
	return finiteResult(fxForwardResult{PV: pv}, pv)
}

// The helpers below decode request fields for the fx and rates kinds: JSON
// into a struct of pointers, so that a missing field is nil and a field of
// the wrong type is reported by name.

// decodeFields unmarshals raw into dst (a pointer to a struct of pointer
// fields, matched case-insensitively by name) and names the field of any
// type error.
func decodeFields(raw []byte, dst any) error {
	err := json.Unmarshal(raw, dst)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te) && te.Field != "":
		return fmt.Errorf("%s: must be %s, got %s", te.Field, kindOf(te.Type.Kind().String()), te.Value)
	}
	return fmt.Errorf("invalid JSON: %v", err)
}

func kindOf(goKind string) string {
	switch goKind {
	case "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "string":
		return "a string"
	}
	return "a " + goKind
}

// check validates a decoded number; it returns the reason it is bad, or "".
type check func(x float64) string

func positive(max float64) check {
	return func(x float64) string {
		if !(x > 0) {
			return fmt.Sprintf("must be positive, got %v", x)
		}
		if x > max {
			return fmt.Sprintf("must be at most %v, got %v", max, x)
		}
		return ""
	}
}

func nonNegative(max float64) check {
	return func(x float64) string {
		if !(x >= 0) {
			return fmt.Sprintf("must be >= 0, got %v", x)
		}
		if x > max {
			return fmt.Sprintf("must be at most %v, got %v", max, x)
		}
		return ""
	}
}

func within(lo, hi float64) check {
	return func(x float64) string {
		if !(x >= lo && x <= hi) {
			return fmt.Sprintf("must be in [%v, %v], got %v", lo, hi, x)
		}
		return ""
	}
}

func integer(lo, hi float64) check {
	return func(x float64) string {
		if !(x >= lo && x <= hi && x == math.Trunc(x)) {
			return fmt.Sprintf("must be an integer from %v to %v, got %v", lo, hi, x)
		}
		return ""
	}
}

// num is one required number field.
type num struct {
	name string
	v    *float64
	ok   check
}

func (n num) get() (float64, error) {
	if n.v == nil {
		return 0, fmt.Errorf("%s: missing", n.name)
	}
	x := *n.v
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%s: must be finite, got %v", n.name, x)
	}
	if why := n.ok(x); why != "" {
		return 0, fmt.Errorf("%s: %s", n.name, why)
	}
	return x, nil
}

// target pairs a field with where its value goes.
type target struct {
	n   num
	dst *float64
}

func (n num) to(dst *float64) target { return target{n, dst} }

// numbers checks fields in order and stores them; the first bad one is
// reported.
func numbers(ts ...target) error {
	for _, t := range ts {
		x, err := t.n.get()
		if err != nil {
			return err
		}
		*t.dst = x
	}
	return nil
}

// flag is one required boolean field.
type flag struct {
	name string
	v    *bool
}

func (f flag) get() (bool, error) {
	if f.v == nil {
		return false, fmt.Errorf("%s: missing", f.name)
	}
	return *f.v, nil
}

// finiteResult returns res unless one of its numbers is not finite (which
// JSON cannot carry).
func finiteResult(res any, xs ...float64) (any, error) {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("result is not finite for these inputs")
		}
	}
	return res, nil
}
