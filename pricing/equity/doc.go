// Package equity values equity index positions per currency and European
// index options under Black-Scholes with a continuous dividend yield.
//
// # Conventions
//
//   - Index levels and option values are in the index's currency; option
//     values are per unit of index (multiply by the contract multiplier).
//   - Times are year fractions; the rate and the dividend yield are
//     continuously compounded fractions; vols are fractions (0.2 is 20%).
//   - Greeks: delta dPV/dS, gamma d²PV/dS², vega per 1.00 of vol, theta per
//     year of time passing (-dPV/dT), rho dPV/dr and RhoDiv dPV/dq per 1.00.
//
// # Sources
//
//   - R. C. Merton, "Theory of rational option pricing", Bell J. Economics 4
//     (1973) (dividend yield); J. Hull, Options, Futures, and Other
//     Derivatives, 8th ed., §17.4 (index options, Example 17.1 is a test);
//     greeks as in E. G. Haug, The Complete Guide to Option Pricing Formulas,
//     2nd ed., 2007, §2.1. The tests match QuantLib 1.29
//     (AnalyticEuropeanEngine, BlackScholesMertonProcess) to 1e-10.
//     Elementary functions from pricing/approx (Exp, Log, Gauss, PhiWith).
package equity
