package portfolio

import (
	"errors"
	"fmt"
	"math"

	"github.com/hedgeflow/hedgeflow/pricing/market"
)

// ErrInvalid is wrapped by every validation error.
var ErrInvalid = errors.New("portfolio: invalid")

// FieldError names the field of a portfolio that is invalid, as a path such
// as "bonds[3].coupon".
type FieldError struct {
	Path string
	Msg  string
}

func (e *FieldError) Error() string { return e.Path + ": " + e.Msg }

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *FieldError) Unwrap() error { return ErrInvalid }

func fieldErr(path, format string, a ...any) error {
	return &FieldError{Path: path, Msg: fmt.Sprintf(format, a...)}
}

// Limits on sizes, so that a request cannot exhaust memory.
const (
	MaxHoldings     = 10000
	MaxLiabYears    = 120
	MaxValueUSD     = 1e14 // $100tn: larger than any fund
	MaxBondMaturity = 100.0
)

// Equity is an equity index position in one currency.
type Equity struct {
	Name     string
	Ccy      market.Ccy
	ValueUSD float64
}

// Bond is a government or corporate bullet bond holding.
type Bond struct {
	Name       string
	Ccy        market.Ccy
	ValueUSD   float64
	Coupon     float64 // annual coupon rate, fraction
	Maturity   float64 // years, a multiple of 0.5 and of 1/Freq
	Freq       int     // coupons a year: 1 or 2
	Government bool
	Rating     market.Rating // credit only
	Sector     market.Sector // credit only
	// SpreadOverride, when not NaN, replaces the market spread of Rating.
	SpreadOverride float64
}

// Alternative is an alternative asset (private equity, real estate, hedge
// funds) modelled by its beta to the equity market of its currency plus an
// idiosyncratic vol.
type Alternative struct {
	Name     string
	Ccy      market.Ccy
	ValueUSD float64
	Beta     float64
	IdioVol  float64 // annualised, fraction
}

// Liability is a stream of yearly benefit payments in one currency;
// Cashflows[i] is paid at the end of year i+1, in local currency units.
type Liability struct {
	Ccy       market.Ccy
	Cashflows []float64
}

// Portfolio is a fund.
type Portfolio struct {
	Name            string
	Equities        []Equity
	Bonds           []Bond
	Alternatives    []Alternative
	Liabilities     []Liability
	LiabilitySpread float64 // fraction over the curve, continuously compounded
}

func checkValue(path string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fieldErr(path, "must be a finite number, got %v", v)
	}
	if v < 0 {
		return fieldErr(path, "must not be negative, got %v", v)
	}
	if v > MaxValueUSD {
		return fieldErr(path, "absurdly large: %g (limit %g)", v, MaxValueUSD)
	}
	return nil
}

func checkRange(path string, v, lo, hi float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < lo || v > hi {
		return fieldErr(path, "must be in [%g, %g], got %v", lo, hi, v)
	}
	return nil
}

func checkCcy(path string, c market.Ccy) error {
	if c >= market.NumCcy {
		return fieldErr(path, "unknown currency %v", c)
	}
	return nil
}

// Validate checks the portfolio and returns the first problem as a
// *FieldError naming the field.
func (p *Portfolio) Validate() error {
	if p.Name == "" {
		return fieldErr("name", "missing")
	}
	n := len(p.Equities) + len(p.Bonds) + len(p.Alternatives)
	if n == 0 {
		return fieldErr("assets", "no holdings")
	}
	if n > MaxHoldings {
		return fieldErr("assets", "%d holdings, more than the limit %d", n, MaxHoldings)
	}
	total := 0.0
	for i, e := range p.Equities {
		path := fmt.Sprintf("equities[%d]", i)
		if err := checkCcy(path+".currency", e.Ccy); err != nil {
			return err
		}
		if err := checkValue(path+".market_value_usd", e.ValueUSD); err != nil {
			return err
		}
		total += e.ValueUSD
	}
	for i, b := range p.Bonds {
		path := fmt.Sprintf("bonds[%d]", i)
		if err := checkCcy(path+".currency", b.Ccy); err != nil {
			return err
		}
		if err := checkValue(path+".market_value_usd", b.ValueUSD); err != nil {
			return err
		}
		if err := checkRange(path+".coupon", b.Coupon, 0, 0.5); err != nil {
			return err
		}
		if b.Freq != 1 && b.Freq != 2 {
			return fieldErr(path+".frequency", "must be 1 or 2, got %d", b.Freq)
		}
		if err := checkRange(path+".maturity_years", b.Maturity, 0.5, MaxBondMaturity); err != nil {
			return err
		}
		if periods := b.Maturity * 2; periods != math.Round(periods) || (b.Freq == 1 && b.Maturity != math.Round(b.Maturity)) {
			return fieldErr(path+".maturity_years", "must be a whole number of coupon periods (a multiple of %g years), got %v", 1/float64(b.Freq), b.Maturity)
		}
		if !b.Government {
			if b.Rating >= market.NumRating {
				return fieldErr(path+".rating", "unknown rating %v", b.Rating)
			}
			if b.Sector >= market.NumSector {
				return fieldErr(path+".sector", "unknown sector %v", b.Sector)
			}
		}
		if !math.IsNaN(b.SpreadOverride) {
			if err := checkRange(path+".spread_bps", b.SpreadOverride*1e4, -100, 5000); err != nil {
				return err
			}
		}
		total += b.ValueUSD
	}
	for i, a := range p.Alternatives {
		path := fmt.Sprintf("alternatives[%d]", i)
		if err := checkCcy(path+".currency", a.Ccy); err != nil {
			return err
		}
		if err := checkValue(path+".market_value_usd", a.ValueUSD); err != nil {
			return err
		}
		if err := checkRange(path+".equity_beta", a.Beta, -3, 3); err != nil {
			return err
		}
		if err := checkRange(path+".idiosyncratic_vol", a.IdioVol, 0, 2); err != nil {
			return err
		}
		total += a.ValueUSD
	}
	if !(total > 0) {
		return fieldErr("assets", "total market value is zero")
	}
	if len(p.Liabilities) == 0 {
		return fieldErr("liabilities", "missing: a pension fund needs liabilities to hedge against")
	}
	seen := map[market.Ccy]bool{}
	liab := 0.0
	for i, l := range p.Liabilities {
		path := fmt.Sprintf("liabilities[%d]", i)
		if err := checkCcy(path+".currency", l.Ccy); err != nil {
			return err
		}
		if seen[l.Ccy] {
			return fieldErr(path+".currency", "%s liabilities given twice", l.Ccy)
		}
		seen[l.Ccy] = true
		if len(l.Cashflows) == 0 {
			return fieldErr(path+".cashflows", "empty")
		}
		if len(l.Cashflows) > MaxLiabYears {
			return fieldErr(path+".cashflows", "%d years, more than the limit %d", len(l.Cashflows), MaxLiabYears)
		}
		for j, cf := range l.Cashflows {
			if err := checkValue(fmt.Sprintf("%s.cashflows[%d]", path, j), cf); err != nil {
				return err
			}
			liab += cf
		}
	}
	if !(liab > 0) {
		return fieldErr("liabilities", "all cash flows are zero")
	}
	return checkRange("liabilities_discount_spread_bps", p.LiabilitySpread*1e4, -200, 1000)
}

// BondSpread returns the spread at which bond b is discounted on snapshot m.
func BondSpread(b *Bond, m *market.Snapshot) float64 {
	if !math.IsNaN(b.SpreadOverride) {
		return b.SpreadOverride
	}
	if b.Government {
		return 0
	}
	return m.Spread[b.Rating]
}
