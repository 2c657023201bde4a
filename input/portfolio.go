package input

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/pricing/portfolio"
)

// The portfolio file's shape. Pointers mark required fields, so that a
// missing one is told apart from a zero.
type portfolioFile struct {
	Name          *string           `yaml:"name"`
	Description   string            `yaml:"description"`
	LiabSpreadBps *float64          `yaml:"liabilities_discount_spread_bps"`
	Equities      []equityFile      `yaml:"equities"`
	Bonds         []bondFile        `yaml:"bonds"`
	Alternatives  []alternativeFile `yaml:"alternatives"`
	Liabilities   []liabilityFile   `yaml:"liabilities"`
}

type equityFile struct {
	Name     string   `yaml:"name"`
	Currency *string  `yaml:"currency"`
	ValueUSD *float64 `yaml:"market_value_usd"`
}

type bondFile struct {
	Name      string   `yaml:"name"`
	Type      *string  `yaml:"type"`
	Currency  *string  `yaml:"currency"`
	ValueUSD  *float64 `yaml:"market_value_usd"`
	Coupon    *float64 `yaml:"coupon"`
	Maturity  *float64 `yaml:"maturity_years"`
	Frequency *int     `yaml:"frequency"`
	Rating    *string  `yaml:"rating"`
	Sector    *string  `yaml:"sector"`
	SpreadBps *float64 `yaml:"spread_bps"`
}

type alternativeFile struct {
	Name     string   `yaml:"name"`
	Currency *string  `yaml:"currency"`
	ValueUSD *float64 `yaml:"market_value_usd"`
	Beta     *float64 `yaml:"equity_beta"`
	IdioVol  *float64 `yaml:"idiosyncratic_vol"`
}

type liabilityFile struct {
	Currency  *string   `yaml:"currency"`
	Cashflows []float64 `yaml:"cashflows"`
}

// ReadPortfolio reads and validates a portfolio file.
func ReadPortfolio(path string) (*portfolio.Portfolio, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParsePortfolio(path, data)
}

// ParsePortfolio parses and validates portfolio YAML; file names the source
// in errors.
func ParsePortfolio(file string, data []byte) (*portfolio.Portfolio, error) {
	var f portfolioFile
	root, err := decodeStrict(file, data, &f)
	if err != nil {
		return nil, err
	}
	fail := func(path string, format string, a ...any) error {
		return fieldError(file, root, path, fmt.Errorf(format, a...))
	}
	p := &portfolio.Portfolio{}
	if f.Name == nil || strings.TrimSpace(*f.Name) == "" {
		return nil, fail("name", "missing")
	}
	p.Name = *f.Name
	if f.LiabSpreadBps != nil {
		p.LiabilitySpread = *f.LiabSpreadBps / 1e4
	}
	ccy := func(path string, s *string) (market.Ccy, error) {
		if s == nil {
			return 0, fail(path, "missing")
		}
		c, err := market.ParseCcy(*s)
		if err != nil {
			return 0, fail(path, "unknown currency %q", *s)
		}
		return c, nil
	}
	num := func(path string, v *float64) (float64, error) {
		if v == nil {
			return 0, fail(path, "missing")
		}
		return *v, nil
	}
	for i, e := range f.Equities {
		path := fmt.Sprintf("equities[%d]", i)
		var q portfolio.Equity
		q.Name = e.Name
		if q.Ccy, err = ccy(path+".currency", e.Currency); err != nil {
			return nil, err
		}
		if q.ValueUSD, err = num(path+".market_value_usd", e.ValueUSD); err != nil {
			return nil, err
		}
		p.Equities = append(p.Equities, q)
	}
	for i, b := range f.Bonds {
		path := fmt.Sprintf("bonds[%d]", i)
		q := portfolio.Bond{Name: b.Name, Freq: 2, SpreadOverride: math.NaN()}
		if b.Type == nil {
			return nil, fail(path+".type", "missing (government or corporate)")
		}
		switch strings.ToLower(*b.Type) {
		case "government":
			q.Government = true
		case "corporate":
		default:
			return nil, fail(path+".type", "must be government or corporate, got %q", *b.Type)
		}
		if q.Ccy, err = ccy(path+".currency", b.Currency); err != nil {
			return nil, err
		}
		if q.ValueUSD, err = num(path+".market_value_usd", b.ValueUSD); err != nil {
			return nil, err
		}
		if q.Coupon, err = num(path+".coupon", b.Coupon); err != nil {
			return nil, err
		}
		if q.Maturity, err = num(path+".maturity_years", b.Maturity); err != nil {
			return nil, err
		}
		if b.Frequency != nil {
			q.Freq = *b.Frequency
		}
		if !q.Government {
			if b.Rating == nil {
				return nil, fail(path+".rating", "missing (a corporate bond needs AAA, AA, A, BBB, BB or B)")
			}
			if q.Rating, err = market.ParseRating(*b.Rating); err != nil {
				return nil, fail(path+".rating", "unknown rating %q", *b.Rating)
			}
			if b.Sector == nil {
				return nil, fail(path+".sector", "missing (financials, industrials, utilities or energy)")
			}
			if q.Sector, err = market.ParseSector(*b.Sector); err != nil {
				return nil, fail(path+".sector", "unknown sector %q", *b.Sector)
			}
		} else if b.Rating != nil || b.Sector != nil {
			return nil, fail(path+".type", "a government bond takes no rating or sector")
		}
		if b.SpreadBps != nil {
			q.SpreadOverride = *b.SpreadBps / 1e4
		}
		p.Bonds = append(p.Bonds, q)
	}
	for i, a := range f.Alternatives {
		path := fmt.Sprintf("alternatives[%d]", i)
		q := portfolio.Alternative{Name: a.Name}
		if q.Ccy, err = ccy(path+".currency", a.Currency); err != nil {
			return nil, err
		}
		if q.ValueUSD, err = num(path+".market_value_usd", a.ValueUSD); err != nil {
			return nil, err
		}
		if q.Beta, err = num(path+".equity_beta", a.Beta); err != nil {
			return nil, err
		}
		if q.IdioVol, err = num(path+".idiosyncratic_vol", a.IdioVol); err != nil {
			return nil, err
		}
		p.Alternatives = append(p.Alternatives, q)
	}
	for i, l := range f.Liabilities {
		path := fmt.Sprintf("liabilities[%d]", i)
		var q portfolio.Liability
		if q.Ccy, err = ccy(path+".currency", l.Currency); err != nil {
			return nil, err
		}
		q.Cashflows = l.Cashflows
		p.Liabilities = append(p.Liabilities, q)
	}
	if err := p.Validate(); err != nil {
		var fe *portfolio.FieldError
		if errors.As(err, &fe) {
			return nil, fieldError(file, root, fe.Path, errors.New(fe.Msg))
		}
		return nil, &Error{File: file, Err: err}
	}
	return p, nil
}
