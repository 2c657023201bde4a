// Package approx holds fast approximations of elementary functions for the
// pricing hot loops, each with its accuracy stated and tested against the
// standard library or a math/big reference:
//
//   - Exp: e^x to about 1 ulp, no division (table of 2^(j/128), Gal's method).
//   - Log: log x to 0.6 ulp (measured 0.501), no division (table of 128
//     buckets, log_table.go written by gen_logtable.go).
//   - Gauss: e^(-x²/2) to about 1 ulp, with the rounding of x² recovered.
//   - Phi and PhiWith: Φ(x) to about 3 ulps (W. J. Cody's ANORM rational
//     approximations, ACM TOMS Algorithm 715); PhiWith reuses the caller's
//     Gauss(x), the exponential an option formula needs for its density.
//   - GaussBlack: Gauss(d1) and Gauss(d2) of a Black formula with one
//     exponential (d1² - d2² = 2 log(F/K)).
//   - BlackPhi: Φ(d1) and Φ(d2) of a Black formula: no exponential and one
//     division when both are central, else PhiWith over GaussBlack.
//   - Black: Black's formula (undiscounted), for swaptions and index
//     options; on amd64 with FMA an assembly kernel for |d| <= √32
//     (black_amd64.s), else LogFast and BlackPhi (blackGo).
//   - NormCDF: Φ by Zelen & Severo (Abramowitz & Stegun 26.2.17), absolute
//     error below 7.5e-8, for the simulation engine's default draws, whose
//     results depend on it: do not change it (nor Exp) without regenerating
//     their reference values.
//
// One copy serves every pricing package: fx, rates and sim each carried
// their own exp before (three copies of the same kernel).
//
// Inputs outside a function's fast range (zero, negative, subnormal,
// infinite, NaN, huge) go to the math package or to explicit limits, so that
// every function returns what math would there; the tests and fuzz targets
// check those edges.
package approx
