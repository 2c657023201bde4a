package market

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/hedgeflow/hedgeflow/pricing/curve"
)

// ErrInvalid is wrapped by every error about invalid market data.
var ErrInvalid = errors.New("market: invalid")

// Ccy is a currency, an index into per-currency arrays.
type Ccy uint8

// The currencies hedgeflow prices; USD is the base currency.
const (
	USD Ccy = iota
	EUR
	GBP
	JPY
	CHF
	AUD
	CAD
	NumCcy
)

var ccyNames = [NumCcy]string{"USD", "EUR", "GBP", "JPY", "CHF", "AUD", "CAD"}

func (c Ccy) String() string {
	if c < NumCcy {
		return ccyNames[c]
	}
	return fmt.Sprintf("Ccy(%d)", c)
}

// ParseCcy returns the currency for an ISO code such as "EUR".
func ParseCcy(s string) (Ccy, error) {
	for i, n := range ccyNames {
		if strings.EqualFold(s, n) {
			return Ccy(i), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown currency %q (known: %s)", ErrInvalid, s, strings.Join(ccyNames[:], ", "))
}

// Rating is an investment-grade or high-yield credit rating bucket.
type Rating uint8

// Ratings from best to worst.
const (
	AAA Rating = iota
	AA
	A
	BBB
	BB
	B
	NumRating
)

var ratingNames = [NumRating]string{"AAA", "AA", "A", "BBB", "BB", "B"}

func (r Rating) String() string {
	if r < NumRating {
		return ratingNames[r]
	}
	return fmt.Sprintf("Rating(%d)", r)
}

// ParseRating returns the rating for a name such as "BBB".
func ParseRating(s string) (Rating, error) {
	for i, n := range ratingNames {
		if strings.EqualFold(s, n) {
			return Rating(i), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown rating %q (known: %s)", ErrInvalid, s, strings.Join(ratingNames[:], ", "))
}

// Sector is an issuer sector of a credit holding.
type Sector uint8

// Sectors of the credit book.
const (
	Financials Sector = iota
	Industrials
	Utilities
	Energy
	NumSector
)

var sectorNames = [NumSector]string{"financials", "industrials", "utilities", "energy"}

func (s Sector) String() string {
	if s < NumSector {
		return sectorNames[s]
	}
	return fmt.Sprintf("Sector(%d)", s)
}

// ParseSector returns the sector for a name such as "financials".
func ParseSector(s string) (Sector, error) {
	for i, n := range sectorNames {
		if strings.EqualFold(s, n) {
			return Sector(i), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown sector %q (known: %s)", ErrInvalid, s, strings.Join(sectorNames[:], ", "))
}

// Snapshot is the market on one date.
type Snapshot struct {
	Date   string
	Curves [NumCcy]curve.Zero
	// FX is USD per unit of each currency; FX[USD] = 1.
	FX [NumCcy]float64
	// Spread is the credit spread over the curve by rating, a fraction.
	Spread [NumRating]float64
	// EquityVol is today's one-year implied equity index vol (e.g.
	// VIX/100); it prices equity index options.
	EquityVol float64
	// FXVol is the one-year at-the-money implied vol of each currency
	// against USD (FXVol[USD] is unused); it prices FX options.
	FXVol [NumCcy]float64
	// SwaptionVol is the normal implied vol of swaptions per currency, in
	// absolute rate units (0.0100 = 100 bp a year).
	SwaptionVol [NumCcy]float64
	// IndexSpread is the quoted spread of each credit index, a fraction.
	IndexSpread [NumIndex]float64
}

// Index is a credit default swap index.
type Index uint8

// The credit indices hedgeflow trades.
const (
	CDXIG Index = iota
	CDXHY
	ITraxxMain
	ITraxxCrossover
	NumIndex
)

var indexNames = [NumIndex]string{"CDX_IG", "CDX_HY", "ITRAXX_MAIN", "ITRAXX_XOVER"}

func (i Index) String() string {
	if i < NumIndex {
		return indexNames[i]
	}
	return fmt.Sprintf("Index(%d)", i)
}

// ParseIndex returns the index named s (CDX_IG, CDX_HY, ITRAXX_MAIN,
// ITRAXX_XOVER).
func ParseIndex(s string) (Index, error) {
	for i, n := range indexNames {
		if strings.EqualFold(s, n) {
			return Index(i), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown credit index %q (known: %s)", ErrInvalid, s, strings.Join(indexNames[:], ", "))
}

// Validate checks that every curve is present and every level is finite and
// in a sane range; the error names the field.
func (s *Snapshot) Validate() error {
	for c := Ccy(0); c < NumCcy; c++ {
		if len(s.Curves[c].Times) == 0 {
			return fmt.Errorf("%w: curves.%s: missing", ErrInvalid, c)
		}
		if _, err := curve.NewZero(s.Curves[c].Times, s.Curves[c].Rates); err != nil {
			return fmt.Errorf("%w: curves.%s: %v", ErrInvalid, c, err)
		}
		fx := s.FX[c]
		if !(fx > 0) || math.IsInf(fx, 0) {
			return fmt.Errorf("%w: fx_usd_per_unit.%s: must be a positive USD price, got %v", ErrInvalid, c, fx)
		}
	}
	if s.FX[USD] != 1 {
		return fmt.Errorf("%w: fx_usd_per_unit.USD: must be 1, got %v", ErrInvalid, s.FX[USD])
	}
	for r := Rating(0); r < NumRating; r++ {
		v := s.Spread[r]
		if !(v >= 0 && v < 1) {
			return fmt.Errorf("%w: credit_spreads_bps.%s: must be in [0, 10000) bp, got %v bp", ErrInvalid, r, v*1e4)
		}
	}
	if !(s.EquityVol > 0 && s.EquityVol < 5) {
		return fmt.Errorf("%w: equity_vol: must be in (0, 5), got %v", ErrInvalid, s.EquityVol)
	}
	for c := EUR; c < NumCcy; c++ {
		if v := s.FXVol[c]; !(v > 0 && v < 5) {
			return fmt.Errorf("%w: fx_vol_atm.%s: must be in (0, 5), got %v", ErrInvalid, c, v)
		}
	}
	for c := range NumCcy {
		if v := s.SwaptionVol[c]; !(v > 0 && v < 0.1) {
			return fmt.Errorf("%w: swaption_normal_vol_bps.%s: must be in (0, 1000) bp, got %v bp", ErrInvalid, c, v*1e4)
		}
	}
	for i := range NumIndex {
		if v := s.IndexSpread[i]; !(v > 0 && v < 1) {
			return fmt.Errorf("%w: cds_index_spreads_bps.%s: must be in (0, 10000) bp, got %v bp", ErrInvalid, i, v*1e4)
		}
	}
	return nil
}
