package approx

// Black (black_amd64.go, black_other.go) is Black's formula without
// discounting, for forward f > 0, strike k > 0 and standard deviation
// sd = σ√T > 0:
//
//	sign (f Φ(sign d1) - k Φ(sign d2)),  d1 = log(f/k)/sd + sd/2,  d2 = d1 - sd,
//
// sign +1 for a call (a payer swaption) and -1 for a put (a receiver).

// blackGo is Black in Go: the function itself on other architectures and
// with the purego tag, and on amd64 the kernel's path outside its range or
// without FMA.
func blackGo(f, k, sd float64, call bool) float64 {
	sign := -1.0
	if call {
		sign = 1
	}
	fk := f / k
	isd := 1 / sd // overlaps the logarithm
	// log(f/k) to a few roundings (LogFast): d1 divides it by sd and adds
	// sd/2, which costs as many
	d1 := LogFast(fk)*isd + 0.5*sd
	d2 := d1 - sd
	n1, n2 := BlackPhi(sign*d1, sign*d2, fk)
	return sign * (f*n1 - k*n2)
}
