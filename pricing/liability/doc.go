// Package liability values a pension fund's liabilities: yearly benefit cash
// flows per currency discounted on a configurable basis, with PV01 and
// key-rate PV01s.
//
// # Conventions
//
//   - Cash flows are in their currency's units; Amounts[i] is paid at the end
//     of year i+1 (t = i+1 years), as in pricing/portfolio.
//   - The discount basis is a zero curve (continuously compounded, see
//     pricing/curve) plus a flat continuously compounded Spread (a fraction:
//     0.01 is 100 bp), e.g. the currency's swap or government curve plus an
//     AA corporate spread for IAS 19 / FRS 102 style valuation. DF(t) =
//     exp(-(r(t) + spread) t).
//   - PV01 is PV(basis + 1 bp) - PV(basis), negative for positive cash flows;
//     key-rate PV01s bump the curve by curve.KeyRate(k, 1 bp) and add up to
//     PV01 to second order. Duration is -PV01 / (PV x 1 bp), the effective
//     (Macaulay-like, continuous) duration in years.
//
// Sources: key rate durations, T. Ho, J. Fixed Income 2 (1992); discounting
// of pension liabilities at a high-quality corporate bond rate, IAS 19
// (2011) §83.
package liability
