//go:build !purego

package approx

import (
	"math"

	"golang.org/x/sys/cpu"
)

// hasAVX2 selects the four-lane ExpAll. The Go compiler emits scalar SSE2
// code only; the simulation takes forty-odd exponentials per path-step, so
// doing four at a time is worth its assembly (expall_amd64.s).
var hasAVX2 = cpu.X86.HasAVX2

// expVec holds ExpAll's constants, each four times so that the assembly
// uses them as 256-bit memory operands. The values are the ones Exp uses,
// so that the lanes compute Exp's operations in Exp's order, bit for bit.
var expVec = func() (c [11][4]float64) {
	v := [...]float64{-700, 700, invLn2N, expShift, ln2NHi, ln2NLo, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5,
		math.Float64frombits(expN - 1)}
	for i, x := range v {
		c[i] = [4]float64{x, x, x, x}
	}
	return c
}()

// expAllAVX2 replaces v[i] by Exp(v[i]) four at a time, the last one to
// three elements under a mask, and returns how many it did. It stops
// before the first group of four that holds an argument outside (-700,
// 700) or a NaN, which ExpAll then hands to math.Exp.
//
//go:noescape
func expAllAVX2(v []float64, table *[expN]float64, consts *[11][4]float64) int
