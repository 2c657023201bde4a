package batch

import (
	"fmt"

	"github.com/hedgeflow/hedgeflow/pricing/rates"
)

func init() {
	register("swaption", priceSwaption)
	register("swap", priceSwap)
	register("bond", priceBond)
}

type pvResult struct {
	PV float64 `json:"pv"`
}

// priceSwaption prices {"kind":"swaption","forward","strike","expiry",
// "annuity","vol","model":"normal"|"lognormal","payer"}: Bachelier (normal
// vol in absolute rate units) or Black (lognormal vol, positive forward and
// strike) times the annuity (rates.Swaption).
func priceSwaption(raw []byte) (any, error) {
	var in struct {
		Forward *float64 `json:"forward"`
		Strike  *float64 `json:"strike"`
		Expiry  *float64 `json:"expiry"`
		Annuity *float64 `json:"annuity"`
		Vol     *float64 `json:"vol"`
		Model   *string  `json:"model"`
		Payer   *bool    `json:"payer"`
	}
	if err := decodeFields(raw, &in); err != nil {
		return nil, err
	}
	if in.Model == nil {
		return nil, fmt.Errorf("model: missing (normal or lognormal)")
	}
	model := *in.Model
	rateCheck, volMax := within(-1, 1), 1.0
	switch model {
	case "normal":
	case "lognormal":
		rateCheck, volMax = positive(1), 10
	default:
		return nil, fmt.Errorf("model: must be normal or lognormal, got %q", model)
	}
	var fwd, strike, expiry, annuity, vol float64
	if err := numbers(
		num{"forward", in.Forward, rateCheck}.to(&fwd), num{"strike", in.Strike, rateCheck}.to(&strike),
		num{"expiry", in.Expiry, positive(100)}.to(&expiry), num{"annuity", in.Annuity, nonNegative(1e6)}.to(&annuity),
		num{"vol", in.Vol, positive(volMax)}.to(&vol),
	); err != nil {
		return nil, err
	}
	payer, err := flag{"payer", in.Payer}.get()
	if err != nil {
		return nil, err
	}
	s := rates.Swaption{Strike: strike, Expiry: expiry, Payer: payer}
	var pv float64
	if model == "normal" {
		pv, err = s.Normal(fwd, annuity, vol)
	} else {
		pv, err = s.Black(fwd, annuity, vol)
	}
	if err != nil {
		return nil, err
	}
	return finiteResult(pvResult{PV: pv}, pv)
}

type swapResult struct {
	PV      float64 `json:"pv"`
	ParRate float64 `json:"par_rate"`
	DV01    float64 `json:"dv01"`
}

// priceSwap prices {"kind":"swap","fixed_rate","tenor","freq","zero_rate",
// "payer"}: notional 1, fixed fixed_rate/freq at i/freq, floating leg at par
// 1 - DF(tenor) on one flat continuously compounded curve, payer pays fixed,
// dv01 = PV(zero_rate + 1 bp) - PV(zero_rate) (rates.Swap.Flat).
func priceSwap(raw []byte) (any, error) {
	var in struct {
		FixedRate *float64 `json:"fixed_rate"`
		Tenor     *float64 `json:"tenor"`
		Freq      *float64 `json:"freq"`
		ZeroRate  *float64 `json:"zero_rate"`
		Payer     *bool    `json:"payer"`
	}
	if err := decodeFields(raw, &in); err != nil {
		return nil, err
	}
	var fixed, tenor, freq, zero float64
	if err := numbers(
		num{"fixed_rate", in.FixedRate, within(-1, 1)}.to(&fixed), num{"tenor", in.Tenor, positive(100)}.to(&tenor),
		num{"freq", in.Freq, integer(1, 12)}.to(&freq), num{"zero_rate", in.ZeroRate, within(-1, 1)}.to(&zero),
	); err != nil {
		return nil, err
	}
	if err := wholePeriods("tenor", tenor, freq); err != nil {
		return nil, err
	}
	payer, err := flag{"payer", in.Payer}.get()
	if err != nil {
		return nil, err
	}
	f, err := rates.Swap{FixedRate: fixed, Tenor: tenor, Freq: int(freq), Payer: payer}.Flat(zero)
	if err != nil {
		return nil, err
	}
	return finiteResult(swapResult{PV: f.PV, ParRate: f.ParRate, DV01: f.DV01}, f.PV, f.ParRate, f.DV01)
}

type bondResult struct {
	Price            float64 `json:"price"`
	ModifiedDuration float64 `json:"modified_duration"`
	Convexity        float64 `json:"convexity"`
}

// priceBond prices {"kind":"bond","coupon","maturity","freq","yield"}: per
// 100 face, bullet, a whole number of periods, yield compounded freq times a
// year, no accrued (rates.Bond).
func priceBond(raw []byte) (any, error) {
	var in struct {
		Coupon   *float64 `json:"coupon"`
		Maturity *float64 `json:"maturity"`
		Freq     *float64 `json:"freq"`
		Yield    *float64 `json:"yield"`
	}
	if err := decodeFields(raw, &in); err != nil {
		return nil, err
	}
	var coupon, maturity, freq, y float64
	if err := numbers(
		num{"coupon", in.Coupon, within(0, 1)}.to(&coupon), num{"maturity", in.Maturity, positive(100)}.to(&maturity),
		num{"freq", in.Freq, integer(1, 12)}.to(&freq),
	); err != nil {
		return nil, err
	}
	if err := numbers(num{"yield", in.Yield, within(-0.99*freq, 10)}.to(&y)); err != nil {
		return nil, err
	}
	if err := wholePeriods("maturity", maturity, freq); err != nil {
		return nil, err
	}
	m, err := rates.Bond{Coupon: coupon, Maturity: maturity, Freq: int(freq)}.Price(y)
	if err != nil {
		return nil, err
	}
	return finiteResult(bondResult{Price: m.Price, ModifiedDuration: m.ModifiedDuration, Convexity: m.Convexity},
		m.Price, m.ModifiedDuration, m.Convexity)
}

// wholePeriods reports a tenor that is not a whole number of periods.
func wholePeriods(name string, years, freq float64) error {
	n := years * freq
	if d := n - float64(int64(n+0.5)); d > 1e-9 || d < -1e-9 || n < 0.5 {
		return fmt.Errorf("%s: %v years is not a whole number of periods at freq %v", name, years, freq)
	}
	return nil
}
