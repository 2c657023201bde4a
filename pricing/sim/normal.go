package sim

import (
	"math"
	"math/rand/v2"
)

// rng draws the simulation's random numbers from a PCG generator called
// directly (no interface), normals by the ziggurat method of Marsaglia &
// Tsang (2000), "The Ziggurat Method for Generating Random Variables",
// J. Stat. Software 5(8), with 128 layers (the tables below are computed
// from their constants at start-up, as in their paper).
type rng struct{ pcg *rand.PCG }

func newRNG(seed1, seed2 uint64) rng { return rng{rand.NewPCG(seed1, seed2)} }

// float64 is uniform on [0, 1) with 53 random bits.
func (g rng) float64() float64 { return float64(g.pcg.Uint64()>>11) * 0x1p-53 }

const zigR = 3.442619855899

var zigK [128]uint32
var zigW, zigF [128]float32

func init() {
	const m1 = 2147483648.0
	dn, vn := zigR, 9.91256303526217e-3
	tn := dn
	q := vn / math.Exp(-0.5*dn*dn)
	zigK[0] = uint32(dn / q * m1)
	zigK[1] = 0
	zigW[0] = float32(q / m1)
	zigW[127] = float32(dn / m1)
	zigF[0] = 1
	zigF[127] = float32(math.Exp(-0.5 * dn * dn))
	for i := 126; i >= 1; i-- {
		dn = math.Sqrt(-2 * math.Log(vn/dn+math.Exp(-0.5*dn*dn)))
		zigK[i+1] = uint32(dn / tn * m1)
		tn = dn
		zigF[i] = float32(math.Exp(-0.5 * dn * dn))
		zigW[i] = float32(dn / m1)
	}
}

// norm is a standard normal draw.
func (g rng) norm() float64 {
	u := g.pcg.Uint64()
	if x, ok := zigFast(u); ok {
		return x
	}
	return g.normSlow(u)
}

// normAll fills e with standard normal draws: norm's draws in order, with
// the ziggurat's fast path (about 99% of draws) in the loop rather than a
// call per draw.
func (g rng) normAll(e []float64) {
	for i := range e {
		u := g.pcg.Uint64()
		if x, ok := zigFast(u); ok {
			e[i] = x
			continue
		}
		e[i] = g.normSlow(u)
	}
}

// zigFast is the ziggurat's draw from the 64 random bits u when it falls
// inside its layer's rectangle.
func zigFast(u uint64) (float64, bool) {
	j := int32(uint32(u))
	i := (u >> 32) & 0x7F
	x := float64(j) * float64(zigW[i])
	aj := j
	if aj < 0 {
		aj = -aj
	}
	return x, uint32(aj) < zigK[i]
}

// normSlow finishes a draw whose bits u missed the fast path: the tail or
// the wedge test for u, then further draws until one is accepted.
func (g rng) normSlow(u uint64) float64 {
	for {
		j := int32(uint32(u))
		i := (u >> 32) & 0x7F
		x := float64(j) * float64(zigW[i])
		if i == 0 {
			// The tail beyond zigR (Marsaglia 1964).
			for {
				x = -math.Log(g.float64()) * (1 / zigR)
				y := -math.Log(g.float64())
				if y+y >= x*x {
					break
				}
			}
			if j > 0 {
				return zigR + x
			}
			return -zigR - x
		}
		if zigF[i]+float32(g.float64())*(zigF[i-1]-zigF[i]) < float32(exp(-0.5*x*x)) {
			return x
		}
		u = g.pcg.Uint64()
		if x, ok := zigFast(u); ok {
			return x
		}
	}
}
