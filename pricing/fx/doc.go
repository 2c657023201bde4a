// Package fx prices FX forwards, vanilla options and option structures,
// builds a volatility smile per pair from market quotes, and values
// cross-currency swaps.
//
// # Conventions
//
//   - A pair is quoted as domestic currency per unit of foreign (EUR/USD
//     1.085: USD is domestic, EUR foreign). Values are in domestic currency
//     per unit of foreign notional; quantities are in foreign notional.
//   - Times are year fractions; rates rd, rf and the basis are continuously
//     compounded fractions (0.05 is 5%); vols are Black vols as fractions
//     (0.1 is 10%).
//   - The cross-currency basis is added to the foreign rate wherever a
//     foreign cash flow is discounted (forwards and options alike), so
//     F = S exp((rd - rf - basis) T); see curve.Basis for term structures and
//     MarketAt to price on curves.
//   - Greeks: delta dPV/dS (spot delta, premium not included), gamma
//     d²PV/dS², vega per 1.00 of vol, theta per year of time passing
//     (-dPV/dT), rho_d and rho_f per 1.00 of rate. Long positions have
//     positive quantities.
//
// # Sources
//
//   - Garman-Kohlhagen: M. Garman and S. Kohlhagen, "Foreign currency option
//     values", J. International Money and Finance 2 (1983) 231-237; greeks as
//     in E. G. Haug, The Complete Guide to Option Pricing Formulas, 2nd ed.,
//     McGraw-Hill 2007, §1.1.6 and §2.1. The tests match QuantLib 1.29
//     (AnalyticEuropeanEngine with GarmanKohlagenProcess) to 1e-10 relative.
//   - Smile: vanna-volga, A. Castagna and F. Mercurio, "The vanna-volga
//     method for implied volatilities", Risk, January 2007, 106-111: the
//     second-order implied vol approximation (their eq. 14) through the
//     25-delta put, ATM (delta-neutral straddle) and 25-delta call, the
//     butterfly read as a smile strangle (σ25 = ATM + BF ± RR/2), spot deltas
//     without premium adjustment. Smile.Price gives the exact vanna-volga
//     price.
//   - Structures (risk reversal, collar, put spread, seagull) are priced as
//     the sum of their legs, each at its strike's vol on the smile.
//   - Cross-currency swaps: float-for-float with notional exchanges,
//     multi-curve (projection and discounting per currency), the basis
//     spread on the foreign leg; M. Fujii, Y. Shimada and A. Takahashi, "A
//     note on construction of multiple swap curves with and without
//     collateral", 2010.
//   - Elementary functions of the option kernel: pricing/approx (Log,
//     Gauss, PhiWith: W. J. Cody's ANORM for Φ), each within a few ulps of
//     the math package, with one exponential shared by the density and both
//     distribution values.
package fx
