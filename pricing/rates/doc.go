// Package rates prices interest rate instruments: fixed-float swaps with
// DV01, key-rate DV01s and convexity; swaptions under Bachelier and Black
// with a normal-vol cube; FRAs; bullet bonds (price, yield, modified
// duration, convexity); Treasury bond futures (conversion factor, cheapest
// to deliver).
//
// # Conventions
//
//   - Times are year fractions; notional is 1 for swaps and FRAs, 100 face
//     for bonds. Coupon periods are 1/freq years exactly (no calendars, no
//     day counts: the callers' year fractions are the day count).
//   - Curve rates are continuously compounded fractions (curve.Zero); swap,
//     FRA and par rates are simple rates on the period accruals; bond yields
//     are compounded freq times a year.
//   - Vols: Black vols are fractions (0.2 is 20%); normal (Bachelier) vols
//     are in absolute rate units per year^½ (0.01 is 100 bp).
//   - Signs: a payer swap pays fixed; a payer swaption is the right to pay
//     fixed; a long FRA pays fixed. DV01 is PV(rates + 1 bp) - PV(rates), so
//     a payer swap has a positive DV01. Key-rate DV01s use curve.KeyRate
//     bumps of 1 bp and add up to the parallel DV01 (to second order).
//
// # Sources
//
//   - Swaps and multi-curve valuation: L. Andersen and V. Piterbarg,
//     Interest Rate Modeling, vol. 1, Atlantic 2010, ch. 5-6; key rates: T.
//     Ho, "Key rate durations", J. Fixed Income 2 (1992).
//   - Bachelier: L. Bachelier, Théorie de la spéculation, 1900; the normal
//     swaption formula as in Andersen and Piterbarg §7.2; Black: F. Black,
//     "The pricing of commodity contracts", J. Financial Economics 3 (1976).
//     Both match QuantLib 1.29 (bachelierBlackFormula, blackFormula) to 1e-10.
//   - Bonds: F. Fabozzi, Bond Markets, Analysis and Strategies; matched to
//     QuantLib 1.29 BondFunctions (cleanPrice, duration Modified, convexity,
//     bondYield). Yield from price: Newton with bisection fallback.
//   - Bond futures: J. Hull, Options, Futures, and Other Derivatives, 8th
//     ed., §6.2 (conversion factor, cheapest-to-deliver), with its worked
//     examples as tests.
//   - Elementary functions of the swaption formulas: pricing/approx (Log,
//     Exp, Gauss, PhiWith: W. J. Cody's ANORM for Φ), each within a few
//     ulps of the math package.
package rates
