// Package portfolio describes a pension fund's assets and liabilities and
// values them on a market snapshot.
//
// Conventions: values are in USD unless a name says Local. Bonds are bullet
// bonds paying Coupon/Freq per unit of face Freq times a year, with a whole
// number of periods to maturity and maturities on a half-year grid (so that
// every cash flow of the fund falls on one semi-annual grid, which the path
// simulation exploits). A bond's face is implied by its stated market value:
// face = ValueUSD / (FX × clean price per unit face at the curve plus the
// bond's spread). Liabilities are yearly benefit cash flows in their own
// currency, paid at the end of years 1, 2, ..., discounted on the currency's
// zero curve plus LiabilitySpread (e.g. an AA corporate spread).
//
// The funded ratio is assets / liabilities, both in USD.
package portfolio
