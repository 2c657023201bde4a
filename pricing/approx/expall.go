package approx

// ExpAll replaces every v[i] by Exp(v[i]). A caller with many independent
// exponentials (a simulation step's asset classes) computes their
// arguments first and exponentiates them together, so that the CPU
// overlaps the exponentials instead of making each wait on its argument's
// whole computation.
func ExpAll(v []float64) {
	for i, x := range v {
		v[i] = Exp(x)
	}
}
