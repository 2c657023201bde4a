package approx

import "math"

// ExpAll replaces every v[i] by Exp(v[i]). A caller with many independent
// exponentials (a simulation step's asset classes) computes their
// arguments first and exponentiates them together, so that the CPU
// overlaps the exponentials instead of making each wait on its argument's
// whole computation. Exp's body is written out here (the compiler would not
// inline it): the loop keeps its constants in registers instead of paying a
// call per element. The results are Exp's, bit for bit (TestExpAll).
func ExpAll(v []float64) {
	for hasAVX2 && len(v) > 0 {
		v = v[expAllAVX2(v, &exp2Table, &expVec):]
		// v[:4] holds an argument outside (-700, 700) or a NaN
		n := min(4, len(v))
		expAllGo(v[:n])
		v = v[n:]
	}
	expAllGo(v)
}

// expAllGo is ExpAll one element at a time.
func expAllGo(v []float64) {
	for i, x := range v {
		if !(x > -700 && x < 700) {
			v[i] = math.Exp(x)
			continue
		}
		z := x*invLn2N + expShift
		kd := z - expShift
		k := int64(math.Float64bits(z)) - int64(math.Float64bits(expShift))
		r := (x - kd*ln2NHi) - kd*ln2NLo
		r2 := r * r
		p := r + r2*(0.5+r*(1.0/6+r*(1.0/24+r*(1.0/120))))
		j := k & (expN - 1)
		scale := math.Float64frombits(math.Float64bits(exp2Table[j]) + uint64(k>>7)<<52)
		v[i] = scale + scale*p
	}
}
