package input

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/hedgeflow/hedgeflow/pricing/curve"
	"github.com/hedgeflow/hedgeflow/pricing/market"
)

type marketFile struct {
	Date       *string              `yaml:"date"`
	Source     string               `yaml:"source,omitempty"`
	Curves     map[string]curveFile `yaml:"curves"`
	FX         map[string]float64   `yaml:"fx_usd_per_unit"`
	SpreadsBps map[string]float64   `yaml:"credit_spreads_bps"`
	EquityVol  *float64             `yaml:"equity_vol"`
	FXVol      map[string]float64   `yaml:"fx_vol_atm"`
	SwptVolBps map[string]float64   `yaml:"swaption_normal_vol_bps"`
	IndexBps   map[string]float64   `yaml:"cds_index_spreads_bps"`
}

type curveFile struct {
	Tenors []float64 `yaml:"tenors_years"`
	Zero   []float64 `yaml:"zero_rates_pct"`
	Note   string    `yaml:"note,omitempty"`
}

// ReadMarket reads and validates a market snapshot file.
func ReadMarket(path string) (*market.Snapshot, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseMarket(path, data)
}

// ParseMarket parses and validates market snapshot YAML.
func ParseMarket(file string, data []byte) (*market.Snapshot, error) {
	var f marketFile
	root, err := decodeStrict(file, data, &f)
	if err != nil {
		return nil, err
	}
	fail := func(path string, format string, a ...any) error {
		return fieldError(file, root, path, fmt.Errorf(format, a...))
	}
	s := &market.Snapshot{}
	if f.Date == nil {
		return nil, fail("date", "missing")
	}
	s.Date = *f.Date
	for name, c := range f.Curves {
		ccy, err := market.ParseCcy(name)
		if err != nil {
			return nil, fail("curves."+name, "unknown currency %q", name)
		}
		rates := make([]float64, len(c.Zero))
		for i, r := range c.Zero {
			rates[i] = r / 100
		}
		z, err := curve.NewZero(c.Tenors, rates)
		if err != nil {
			return nil, fail("curves."+name, "%v", strings.TrimPrefix(err.Error(), curve.ErrInvalid.Error()+": "))
		}
		s.Curves[ccy] = z
	}
	for name, v := range f.FX {
		ccy, err := market.ParseCcy(name)
		if err != nil {
			return nil, fail("fx_usd_per_unit."+name, "unknown currency %q", name)
		}
		s.FX[ccy] = v
	}
	if s.FX[market.USD] == 0 {
		s.FX[market.USD] = 1
	}
	for name, v := range f.SpreadsBps {
		r, err := market.ParseRating(name)
		if err != nil {
			return nil, fail("credit_spreads_bps."+name, "unknown rating %q", name)
		}
		s.Spread[r] = v / 1e4
	}
	for r := market.Rating(0); r < market.NumRating; r++ {
		if _, ok := f.SpreadsBps[r.String()]; !ok {
			return nil, fail("credit_spreads_bps."+r.String(), "missing")
		}
	}
	if f.EquityVol != nil {
		s.EquityVol = *f.EquityVol
	}
	for name, v := range f.FXVol {
		ccy, err := market.ParseCcy(name)
		if err != nil || ccy == market.USD {
			return nil, fail("fx_vol_atm."+name, "unknown or USD currency %q", name)
		}
		s.FXVol[ccy] = v
	}
	for name, v := range f.SwptVolBps {
		ccy, err := market.ParseCcy(name)
		if err != nil {
			return nil, fail("swaption_normal_vol_bps."+name, "unknown currency %q", name)
		}
		s.SwaptionVol[ccy] = v / 1e4
	}
	for name, v := range f.IndexBps {
		ix, err := market.ParseIndex(name)
		if err != nil {
			return nil, fail("cds_index_spreads_bps."+name, "unknown credit index %q", name)
		}
		s.IndexSpread[ix] = v / 1e4
	}
	if err := s.Validate(); err != nil {
		msg := strings.TrimPrefix(err.Error(), market.ErrInvalid.Error()+": ")
		field, rest, ok := strings.Cut(msg, ": ")
		if ok {
			return nil, fieldError(file, root, field, errors.New(rest))
		}
		return nil, &Error{File: file, Err: err}
	}
	return s, nil
}
