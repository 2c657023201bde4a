package approx

import "math"

const logN = 128

// Log is the natural logarithm to within 0.6 ulp (measured 0.501 ulp at
// worst against a 256-bit reference, see TestLogULP), faster than math.Log
// on amd64 because it needs no division. The method is that of glibc's and
// ARM's optimized-routines log: x = 2^k z with z in [0x1.6p-1, 0x1.6p0),
// so that k = 0 around 1 and nothing cancels; z falls in one of 128
// buckets with centre c, tabulated with 1/c and log(c) in two parts
// (log_table.go, from gen_logtable.go); then
//
//	log x = k ln2 + log c + log1p(r),  r = (z - c)/c,  |r| <= 2^-7,
//
// with z - c exact (Sterbenz) and log1p(r) by its Taylor series to r^8
// (truncation below 2^-56 relative). The two buckets touching 1 have c = 1,
// so that r = x - 1 is exact where log x is small; elsewhere the rounding
// of r is recovered exactly, and the sums are carried with their rounding
// errors (Fast2Sum), so that only the last addition rounds. Zero, negative, subnormal, infinite and NaN arguments go to
// math.Log.
func Log(x float64) float64 {
	ix := math.Float64bits(x)
	// normal positive finite x: biased exponent in [1, 0x7fe]
	if ix-0x0010000000000000 >= 0x7ff0000000000000-0x0010000000000000 {
		return math.Log(x)
	}
	const (
		off   = 0x3fe6000000000000 // bits of 0x1.6p-1 = 0.6875
		ln2Hi = 0x1.62e42fefa3800p-1
		ln2Lo = 0x1.ef35793c76730p-45
	)
	tmp := ix - off
	i := (tmp >> (52 - 7)) % logN
	k := int64(tmp) >> 52 // arithmetic shift: k < 0 below 0.6875
	z := math.Float64frombits(ix - tmp&(0xfff<<52))
	e := &logTable[i]
	d := z - e.c // exact
	r := d * e.invc
	// r's rounding, and 1/c's, would cost up to 0.2 ulp where log x is
	// near 2^-8: recover it as (d - r c)/c, with r split so that the
	// products by c (10 bits) are exact
	rh := math.Float64frombits(math.Float64bits(r) &^ (1<<10 - 1))
	rlo := ((d - rh*e.c) - (r-rh)*e.c) * e.invc
	kd := float64(k)
	a := kd * ln2Hi // exact: ln2Hi has 11 trailing zero bits and |k| < 2^11
	t1 := a + e.logc
	e1 := (a - t1) + e.logc // |a| >= |logc| unless a = 0, when t1 is exact
	t2 := t1 + r
	e2 := (t1 - t2) + r // |t1| > |r| unless t1 = 0
	r2 := r * r
	r4 := r2 * r2
	// log1p(r) - r = -r²/2 + r³/3 - ... + r⁹/9 (Estrin's scheme)
	p := r2 * ((-1.0/2 + r*(1.0/3)) + r2*(-1.0/4+r*(1.0/5)) + r4*((-1.0/6+r*(1.0/7))+r2*(-1.0/8+r*(1.0/9))))
	return t2 + (((kd*ln2Lo + e.logcLo) + (e1 + e2 + rlo)) + p)
}

// LogFast is Log without its compensated sums: the same reduction and
// table, log x = (k ln2 + log c) + r + p(r), each sum rounded. Its error is
// a few roundings of the larger of |log x| and |r|: at most 4e-16
// max(|log x|, 2^-7) away from the true value (TestLogFast; Log is within
// 0.6 ulp). For formulas that divide log x by a volatility and add terms
// of order one, as Black's d1 does, this is below their other roundings,
// and it saves a quarter of Black's time.
func LogFast(x float64) float64 {
	ix := math.Float64bits(x)
	if ix-0x0010000000000000 >= 0x7ff0000000000000-0x0010000000000000 {
		return math.Log(x)
	}
	const off = 0x3fe6000000000000 // bits of 0x1.6p-1 = 0.6875
	tmp := ix - off
	i := (tmp >> (52 - 7)) % logN
	k := int64(tmp) >> 52
	z := math.Float64frombits(ix - tmp&(0xfff<<52))
	e := &logTable[i]
	r := (z - e.c) * e.invc
	r2 := r * r
	r4 := r2 * r2
	p := r2 * ((-1.0/2 + r*(1.0/3)) + r2*(-1.0/4+r*(1.0/5)) + r4*((-1.0/6+r*(1.0/7))+r2*(-1.0/8+r*(1.0/9))))
	return (float64(k)*math.Ln2 + e.logc) + r + p
}
