// Package approx holds fast approximations of elementary functions for the
// pricing hot loops, each with its accuracy stated and tested against the
// standard library: Exp (about 1 ulp, no division) and NormCDF (Zelen &
// Severo, absolute error below 7.5e-8).
//
// One copy serves every pricing package: fx, rates and sim each carried
// their own exp before (three copies of the same kernel).
package approx
