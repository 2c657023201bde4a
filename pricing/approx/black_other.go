//go:build !amd64 || purego

package approx

const hasFMA = false

// Black is Black's formula without discounting, sign (f Φ(sign d1) -
// k Φ(sign d2)), sign +1 for a call and -1 for a put (black.go). Here it
// is LogFast and BlackPhi; amd64 has a kernel with fused multiply-adds
// (black_amd64.s).
func Black(f, k, sd float64, call bool) float64 {
	return blackGo(f, k, sd, call)
}
