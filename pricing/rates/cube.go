package rates

import "math"

// Cube is a normal-vol cube: vols (absolute rate units) on a grid of option
// expiries x underlying swap tenors x strike offsets from the forward
// (K - F, absolute rate units; one offset of 0 makes it an ATM matrix).
// Vols[(i*len(Tenors)+j)*len(Offsets)+k] is the vol at Expiries[i],
// Tenors[j], Offsets[k]. Build it with NewCube.
type Cube struct {
	Expiries, Tenors, Offsets []float64
	Vols                      []float64
}

// NewCube validates the grid (each axis strictly increasing, expiries and
// tenors positive, vols positive and finite) and copies the slices.
func NewCube(expiries, tenors, offsets, vols []float64) (Cube, error) {
	for _, ax := range []struct {
		name     string
		x        []float64
		positive bool
	}{{"expiries", expiries, true}, {"tenors", tenors, true}, {"offsets", offsets, false}} {
		if len(ax.x) == 0 {
			return Cube{}, errorf("cube: no %s", ax.name)
		}
		for i, v := range ax.x {
			if !finite(v) || (ax.positive && !(v > 0)) || (i > 0 && !(v > ax.x[i-1])) {
				return Cube{}, errorf("cube: %s must be finite, increasing%s, got %v", ax.name, map[bool]string{true: " and positive"}[ax.positive], ax.x)
			}
		}
	}
	if len(vols) != len(expiries)*len(tenors)*len(offsets) {
		return Cube{}, errorf("cube: %d vols for a %dx%dx%d grid", len(vols), len(expiries), len(tenors), len(offsets))
	}
	for i, v := range vols {
		if !(v > 0) || math.IsInf(v, 0) {
			return Cube{}, errorf("cube: vols[%d] = %v must be positive and finite", i, v)
		}
	}
	cp := func(x []float64) []float64 { return append([]float64(nil), x...) }
	return Cube{Expiries: cp(expiries), Tenors: cp(tenors), Offsets: cp(offsets), Vols: cp(vols)}, nil
}

// Vol returns the normal vol at (expiry, tenor, offset): linear in each
// axis between grid points (trilinear), flat beyond the grid's ends.
func (c Cube) Vol(expiry, tenor, offset float64) float64 {
	i0, i1, wi := bracket(c.Expiries, expiry)
	j0, j1, wj := bracket(c.Tenors, tenor)
	k0, k1, wk := bracket(c.Offsets, offset)
	nt, no := len(c.Tenors), len(c.Offsets)
	at := func(i, j, k int) float64 { return c.Vols[(i*nt+j)*no+k] }
	lerp := func(a, b, w float64) float64 { return a + w*(b-a) }
	plane := func(i int) float64 {
		return lerp(lerp(at(i, j0, k0), at(i, j0, k1), wk), lerp(at(i, j1, k0), at(i, j1, k1), wk), wj)
	}
	return lerp(plane(i0), plane(i1), wi)
}

// bracket returns the grid points around x and the weight of the upper one;
// flat outside the grid.
func bracket(g []float64, x float64) (lo, hi int, w float64) {
	n := len(g)
	if n == 1 || x <= g[0] {
		return 0, 0, 0
	}
	if x >= g[n-1] {
		return n - 1, n - 1, 0
	}
	hi = 1
	for g[hi] < x {
		hi++
	}
	lo = hi - 1
	return lo, hi, (x - g[lo]) / (g[hi] - g[lo])
}
