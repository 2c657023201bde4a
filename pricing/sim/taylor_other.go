//go:build !amd64 || purego

package sim

const hasAVX2 = false

func polyDotsAVX2([]poly, *[numMon]float64, []float64) {
	panic("sim: polyDotsAVX2 without AVX2")
}
