package approx

import "math"

// exp2Table[j] = 2^(j/expN), rounded to the nearest float64 (the tests check
// each entry against math.Exp2 to 1 ulp).
var exp2Table = func() (t [expN]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / expN)
	}
	return t
}()

const expN = 128

// The reduction x = (k + j/N) ln2 + r of Exp, expHiLo, ExpAll and Black's
// kernel: ln2/N in two parts, the first to 21 bits so that k ln2NHi is
// exact for every k in range, and the shift that rounds to an integer
// without a branch (adding 1.5·2^52 pushes the fraction bits out of the
// mantissa; math.RoundToEven is a branchy function call on amd64 v1).
const (
	invLn2N  = expN / math.Ln2
	ln2NHi   = 0x1.62e42p-8
	ln2NLo   = math.Ln2/expN - ln2NHi
	expShift = 0x1.8p52
)

// Exp is e^x to about 1 ulp for |x| < 700, faster than math.Exp on amd64
// because it needs no division: x = (k + j/N) ln2 + r with |r| <= ln2/(2N),
// e^x = 2^k 2^(j/N) e^r, e^r by its degree-5 Taylor polynomial (truncation
// below 1e-18 relative). The method of glibc's exp (S. Gal, "An accurate
// elementary mathematical library for the IEEE floating point standard",
// ACM TOMS 17 (1991)). Outside |x| < 700 it defers to math.Exp.
func Exp(x float64) float64 {
	if !(x > -700 && x < 700) {
		return math.Exp(x)
	}
	z := x*invLn2N + expShift
	kd := z - expShift
	k := int64(math.Float64bits(z)) - int64(math.Float64bits(expShift))
	r := (x - kd*ln2NHi) - kd*ln2NLo
	r2 := r * r
	p := r + r2*(0.5+r*(1.0/6+r*(1.0/24+r*(1.0/120))))
	j := k & (expN - 1)
	scale := math.Float64frombits(math.Float64bits(exp2Table[j]) + uint64(k>>7)<<52)
	return scale + scale*p
}

// expHiLo is e^(hi+lo) for -700 < hi <= 0 and |lo| <= 2^-40 |hi|: Exp with
// lo added to the reduced argument, where it is not lost to the rounding of
// hi+lo. Used by Gauss.
func expHiLo(hi, lo float64) float64 {
	z := hi*invLn2N + expShift
	kd := z - expShift
	k := int64(math.Float64bits(z)) - int64(math.Float64bits(expShift))
	r := (hi - kd*ln2NHi) - kd*ln2NLo + lo
	r2 := r * r
	p := r + (r2*(0.5+r*(1.0/6)) + (r2*r2)*(1.0/24+r*(1.0/120))) // Estrin: a shorter chain than Exp's Horner
	j := k & (expN - 1)
	scale := math.Float64frombits(math.Float64bits(exp2Table[j]) + uint64(k>>7)<<52)
	return scale + scale*p
}
