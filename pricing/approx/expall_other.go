//go:build !amd64 || purego

package approx

const hasAVX2 = false

func expAllAVX2(v []float64, _ *[expN]float64, _ *[11][4]float64) int {
	panic("approx: expAllAVX2 without AVX2")
}

var expVec [11][4]float64
