//go:build !purego

package optimize

import "golang.org/x/sys/cpu"

// hasAVX2 selects dot4AVX2. The interior-point solves spend most of their
// time in dot products (the normal matrix GᵀDG, its Cholesky factor, the
// losses of every sample row), each a chain of additions that waits on
// the last; four at once overlap.
var hasAVX2 = cpu.X86.HasAVX2

//go:noescape
func dot4AVX2(x, y0, y1, y2, y3 []float64, out *[4]float64)

// cholColAVX2 computes rows j+1 to j+rows of column j of the Cholesky
// factor, four at a time (cholesky).
//
//go:noescape
func cholColAVX2(a []float64, n, j, rows int, d float64)
