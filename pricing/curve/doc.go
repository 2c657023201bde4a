// Package curve holds zero-coupon discount curves.
//
// Conventions: times are year fractions from the valuation date; zero rates
// are continuously compounded fractions (0.04 is 4%); a discount factor is
// DF(t) = exp(-r(t) t). Between nodes the zero rate is interpolated linearly
// in t; beyond the last node it is held flat, and before the first node it is
// held at the first node's rate.
package curve
