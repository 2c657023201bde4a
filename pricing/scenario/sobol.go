package scenario

import "math/rand/v2"

// Sobol direction numbers for dimensions 2..8 from Joe & Kuo (2008),
// "Constructing Sobol sequences with better two-dimensional projections",
// file new-joe-kuo-6.21201: degree s, coefficient a, initial m_1..m_s.
var joeKuo = []struct {
	s, a uint32
	m    []uint32
}{
	{1, 0, []uint32{1}},
	{2, 1, []uint32{1, 3}},
	{3, 1, []uint32{1, 3, 1}},
	{3, 2, []uint32{1, 1, 1}},
	{4, 1, []uint32{1, 1, 3, 3}},
	{4, 4, []uint32{1, 3, 5, 13}},
	{5, 2, []uint32{1, 1, 5, 5, 17}},
}

const sobolBits = 32

// sobolDirections returns the direction numbers v[k] (scaled by 2^32) of
// dimension d (0-based; dimension 0 is van der Corput).
func sobolDirections(d int) [sobolBits]uint32 {
	var v [sobolBits]uint32
	if d == 0 {
		for k := range v {
			v[k] = 1 << (sobolBits - 1 - k)
		}
		return v
	}
	jk := joeKuo[d-1]
	s := int(jk.s)
	for k := 0; k < s && k < sobolBits; k++ {
		v[k] = jk.m[k] << (sobolBits - 1 - k)
	}
	for k := s; k < sobolBits; k++ {
		v[k] = v[k-s] ^ (v[k-s] >> uint(s))
		for j := 1; j < s; j++ {
			if (jk.a>>uint(s-1-j))&1 == 1 {
				v[k] ^= v[k-j]
			}
		}
	}
	return v
}

// sobol returns dims columns of the first n points of the Sobol sequence
// (Gray-code order, Antonov & Saleev 1979), each dimension XOR-ed with a
// random 32-bit digital shift from r, which keeps the net's stratification
// and makes the estimator unbiased (Owen 2003, "Variance with alternative
// scramblings of digital nets").
func sobol(n, dims int, r *rand.Rand) [][]float64 {
	u := make([][]float64, dims)
	for d := range u {
		v := sobolDirections(d)
		shift := r.Uint32()
		u[d] = make([]float64, n)
		var x uint32
		for i := range n {
			if i > 0 {
				c := 0 // index of the lowest zero bit of i-1
				for j := uint32(i - 1); j&1 == 1; j >>= 1 {
					c++
				}
				x ^= v[c]
			}
			// Centre the point in its 2^-32 cell so it is never 0 or 1.
			u[d][i] = (float64(x^shift) + 0.5) / (1 << sobolBits)
		}
	}
	return u
}
