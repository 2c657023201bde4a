//go:build !amd64 || purego

package optimize

const hasAVX2 = false

func dot4AVX2(x, y0, y1, y2, y3 []float64, out *[4]float64) {
	panic("optimize: dot4AVX2 without AVX2")
}

func cholColAVX2(a []float64, n, j, rows int, d float64) {
	panic("optimize: cholColAVX2 without AVX2")
}
