// Package curve holds zero-coupon discount curves: building them from market
// quotes, shocking them, and pairing them for OIS discounting and
// cross-currency basis.
//
// # Conventions
//
//   - Times are year fractions from the valuation date.
//   - Zero rates are continuously compounded fractions (0.04 is 4%); a
//     discount factor is DF(t) = exp(-r(t) t). Deposit quotes are simply
//     compounded, DF(T) = 1/(1 + L T); par swap quotes are annual-equivalent
//     fixed rates paid on the accruals of their schedule.
//   - Interpolation: between nodes the zero rate is interpolated linearly in
//     t; beyond the last node it is held flat, and before the first node it is
//     held at the first node's rate. This is QuantLib's PiecewiseLinearZero
//     inside the node range (QuantLib sets the rate at t = 0 to the first
//     node's, so it is flat before the first node too); the tests check the
//     bootstrap against it to 1e-12 in the zero rate.
//   - Shocks ([Shock]) add to zero rates and are in the same units: 0.0001 is
//     1 bp.
//
// # Bootstrapping
//
// [Bootstrap] puts one node at the maturity of each deposit and par swap and
// solves the nodes in order of maturity, each by Brent's method on its zero
// rate with earlier nodes held fixed (the iterative bootstrap of QuantLib and
// of P. Hagan and G. West, "Interpolation methods for curve construction",
// Applied Mathematical Finance 13 (2006), who also discuss why linear-in-zero
// gives kinked forwards: the price of locality and of simplicity here). The
// curve reprices every input quote to about 1e-15.
//
// [BootstrapProjection] builds a forecasting curve against a given discount
// (OIS) curve, the multi-curve setup of M. Bianchetti, "Two curves, one
// price", Risk, August 2010: floating legs project forwards on the projection
// curve and every cash flow is discounted on the OIS curve. A [Dual] carries
// the pair.
//
// # Shocks
//
// [Parallel], [Slope] (pivot: -h/2 up to 2y, +h/2 from 30y), [Curvature] (h at
// 10y, 0 at 2y and 30y) and the ten [KeyRate] bumps at 0.25, 0.5, 1, 2, 3, 5,
// 7, 10, 20 and 30 years (triangles between neighbouring key tenors, flat at
// the ends, summing to a parallel shift; T. Ho, "Key rate durations", Journal
// of Fixed Income 2 (1992)). [Zero.Shift] returns a new curve;
// [Zero.ShiftedDF] evaluates a shifted discount factor without allocating,
// for risk kernels.
//
// # Cross-currency basis
//
// A [Basis] is a spread curve added to the foreign zero rate so that covered
// interest parity holds with the FX swap market: F = S DF_f^basis(T)/DF_d(T)
// (see U. Wystup, FX Options and Structured Products, 2nd ed., Wiley 2017,
// §1.4, and the Bank for International Settlements, "Covered interest parity
// lost", BIS Quarterly Review, September 2016, for why the basis exists).
package curve
