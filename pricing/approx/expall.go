package approx

import "math"

// ExpAll replaces every v[i] by Exp(v[i]), bit for bit, with Exp's
// arithmetic inline in one loop: a caller with many independent
// exponentials (a simulation step's asset classes) lets the CPU overlap
// them, where one call each waits on the argument's whole computation.
func ExpAll(v []float64) {
	const (
		invLn2N = expN / math.Ln2
		ln2NHi  = 0x1.62e42p-8
		ln2NLo  = math.Ln2/expN - ln2NHi
		shift   = 0x1.8p52
	)
	for i, x := range v {
		if !(x > -700 && x < 700) {
			v[i] = math.Exp(x)
			continue
		}
		z := x*invLn2N + shift
		kd := z - shift
		k := int64(math.Float64bits(z)) - int64(math.Float64bits(shift))
		r := (x - kd*ln2NHi) - kd*ln2NLo
		r2 := r * r
		p := r + r2*(0.5+r*(1.0/6+r*(1.0/24+r*(1.0/120))))
		scale := math.Float64frombits(math.Float64bits(exp2Table[k&(expN-1)]) + uint64(k>>7)<<52)
		v[i] = scale + scale*p
	}
}
