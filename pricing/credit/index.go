package credit

import "math"

// Index is a standard CDS index series: every name pays the standard coupon
// quarterly and the index is quoted as a flat spread converted to an upfront
// at the standard recovery.
type Index struct {
	Name     string
	Coupon   float64 // standard running coupon, fraction per year
	Recovery float64 // recovery assumed when converting spread to upfront
	Names    int     // names in the series at issue
	Freq     int     // premium payments per year
}

// The standard indices (values to be read, not modified). Sources: IHS Markit
// "CDX and iTraxx index rules" and O'Kane 2008 ch. 10: CDX.NA.IG 125 names,
// 100 bp, 40%; CDX.NA.HY 100 names, 500 bp, 30%; iTraxx Europe Main 125
// names, 100 bp, 40%; iTraxx Europe Crossover 75 names (series 20 on), 500
// bp, 40%. All pay quarterly.
var (
	CDXIG           = Index{Name: "CDX.NA.IG", Coupon: 0.01, Recovery: 0.4, Names: 125, Freq: 4}
	CDXHY           = Index{Name: "CDX.NA.HY", Coupon: 0.05, Recovery: 0.3, Names: 100, Freq: 4}
	ITraxxMain      = Index{Name: "iTraxx Europe Main", Coupon: 0.01, Recovery: 0.4, Names: 125, Freq: 4}
	ITraxxCrossover = Index{Name: "iTraxx Europe Crossover", Coupon: 0.05, Recovery: 0.4, Names: 75, Freq: 4}
)

// IndexValue is the value of an index position on notional 1 from a quoted
// spread.
type IndexValue struct {
	Hazard  float64 // flat hazard rate at which the index par spread is the quote
	Annuity float64 // risky annuity (RPV01) on that flat curve
	Upfront float64 // (spread - coupon) x Annuity: paid by the protection buyer
	Price   float64 // 1 - Upfront, the bond-style price (x100 for points)
}

// Value converts a quoted index spread for the given maturity to an upfront:
// the flat hazard curve is bootstrapped from the single quote, and the
// protection buyer, who pays the standard coupon, pays
// (spread - coupon) x RPV01 upfront (O'Kane 2008 §10.4).
func (ix Index) Value(spread, maturity float64, d Discount) (IndexValue, error) {
	if !(spread > 0) || math.IsInf(spread, 0) {
		return IndexValue{}, errorf("spread: must be positive and finite, got %v", spread)
	}
	h, err := Bootstrap([]Quote{{Maturity: maturity, Spread: spread}}, ix.Recovery, ix.Freq, d)
	if err != nil {
		return IndexValue{}, err
	}
	c := CDS{Maturity: maturity, Coupon: ix.Coupon, Recovery: ix.Recovery, Freq: ix.Freq}
	l := c.price(h, d)
	return IndexValue{Hazard: h.Rates[0], Annuity: l.Annuity, Upfront: l.PV, Price: 1 - l.PV}, nil
}
