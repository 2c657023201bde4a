package sim

import (
	"encoding/binary"
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/hedgeflow/hedgeflow/pricing/scenario"
)

// rng draws the simulation's random numbers. Normals come by the ziggurat
// method of Marsaglia & Tsang (2000), "The Ziggurat Method for Generating
// Random Variables", J. Stat. Software 5(8), with 256 layers (the tables
// below are computed from their constants at start-up, as in their
// paper; 256 layers take the fast path 98.5% of the time, 128 layers
// 97.2%), fed by four xoshiro256++ generators (Blackman & Vigna 2021,
// "Scrambled Linear Pseudorandom Number Generators", ACM TOMS 47(4)), one
// per lane of a 256-bit vector: xoshiro needs only adds, shifts and xors,
// which AVX2 does four at a time, where PCG's 128-bit multiply does not
// vectorise. zigBlocks fills a buffer of zigBuf draws at a time, block
// after block of four, lane l giving element 4b+l, and takes the
// ziggurat's fast path in the same vector. The draws that miss it are
// finished in order, with further bits from a PCG generator, which also
// gives the uniforms.
//
// The stream is a function of the two seeds only, the same with AVX2 or
// without (TestZigBlocksAVX2MatchesGo).
type rng struct {
	// s is the four generators' state, word by word: s[w][l] is word w
	// of lane l.
	s   [4][4]uint64
	pcg rand.PCG
	pos int // next unread draw in buf
	buf [zigBuf]float64
	raw [zigBuf]uint64    // the 64 bits behind each draw
	rej [zigBuf / 4]uint8 // per block, bit l set when lane l missed the fast path
}

// zigBuf is how many normals a refill draws.
const zigBuf = 256

// newRNG returns a generator seeded with seed1 and seed2.
func newRNG(seed1, seed2 uint64) *rng {
	g := new(rng)
	g.seed(seed1, seed2)
	return g
}

// seed restarts g on the stream of seed1 and seed2: the sixteen xoshiro
// words are successive outputs of splitmix64 (the seeding xoshiro's
// authors advise), started from seed1 xor the first output from seed2,
// and the PCG takes both seeds. splitmix64's outputs of successive
// counters are distinct, so no two lanes start alike.
func (g *rng) seed(seed1, seed2 uint64) {
	b := seed2
	a := seed1 ^ splitmix64(&b)
	for l := range 4 {
		for w := range 4 {
			g.s[w][l] = splitmix64(&a)
		}
		if g.s[0][l]|g.s[1][l]|g.s[2][l]|g.s[3][l] == 0 { // xoshiro's one fixed point
			g.s[0][l] = 1
		}
	}
	g.pcg.Seed(seed1, seed2)
	g.pos = zigBuf
}

// splitmix64 returns splitmix64's next output from the state x and
// advances it.
func splitmix64(x *uint64) uint64 {
	v := scenario.SplitMix(*x)
	*x += 0x9e3779b97f4a7c15
	return v
}

// float64 is uniform on [0, 1) with 53 random bits, from the PCG.
func (g *rng) float64() float64 { return float64(g.pcg.Uint64()>>11) * 0x1p-53 }

// zigN is the number of layers, zigR the start of the tail and zigV each
// layer's area, Marsaglia & Tsang's constants for 256 layers.
const (
	zigN = 256
	zigR = 3.6541528853610088
	zigV = 4.92867323399e-3
)

var zigK [zigN]uint32
var zigW, zigF [zigN]float32

// zigKW packs each layer's zigK (low 32 bits) and zigW's bits (high 32)
// so that the vector kernel fetches both with one gather.
var zigKW [zigN]uint64

func init() {
	const m1 = 2147483648.0
	dn, vn := zigR, zigV
	tn := dn
	q := vn / math.Exp(-0.5*dn*dn)
	zigK[0] = uint32(dn / q * m1)
	zigK[1] = 0
	zigW[0] = float32(q / m1)
	zigW[zigN-1] = float32(dn / m1)
	zigF[0] = 1
	zigF[zigN-1] = float32(math.Exp(-0.5 * dn * dn))
	for i := zigN - 2; i >= 1; i-- {
		dn = math.Sqrt(-2 * math.Log(vn/dn+math.Exp(-0.5*dn*dn)))
		zigK[i+1] = uint32(dn / tn * m1)
		tn = dn
		zigF[i] = float32(math.Exp(-0.5 * dn * dn))
		zigW[i] = float32(dn / m1)
	}
	for i := range zigKW {
		zigKW[i] = uint64(zigK[i]) | uint64(math.Float32bits(zigW[i]))<<32
	}
}

// norm is a standard normal draw.
func (g *rng) norm() float64 {
	if g.pos == zigBuf {
		g.refill()
	}
	x := g.buf[g.pos]
	g.pos++
	return x
}

// normAll fills e with standard normal draws: norm's draws in order.
func (g *rng) normAll(e []float64) {
	for len(e) > 0 {
		if g.pos == zigBuf {
			g.refill()
		}
		n := copy(e, g.buf[g.pos:])
		g.pos += n
		e = e[n:]
	}
}

// refill draws the next zigBuf normals into buf: zigBlocks's fast-path
// draws, then, in order, normSlow's for the ones that missed it.
func (g *rng) refill() {
	if hasAVX2 {
		zigBlocksAVX2(&g.s, &g.buf, &g.raw, &g.rej, &zigKW)
	} else {
		zigBlocksGo(&g.s, &g.buf, &g.raw, &g.rej)
	}
	// Eight blocks' misses at a time: a lane's bit in a block's byte is
	// bit 8·(block mod 8) + lane of the word.
	for w := 0; w < len(g.rej); w += 8 {
		r := binary.LittleEndian.Uint64(g.rej[w : w+8])
		for ; r != 0; r &= r - 1 {
			k := bits.TrailingZeros64(r)
			i := 4*(w+k>>3) + k&7
			g.buf[i] = g.normSlow(g.raw[i])
		}
	}
	g.pos = 0
}

// zigBlocksGo is zigBlocksAVX2 one lane at a time: xoshiro256++'s next
// output of each lane, then the ziggurat's fast path on it.
func zigBlocksGo(s *[4][4]uint64, out *[zigBuf]float64, raw *[zigBuf]uint64, rej *[zigBuf / 4]uint8) {
	for b := range zigBuf / 4 {
		var r uint8
		for l := range 4 {
			s0, s1, s2, s3 := s[0][l], s[1][l], s[2][l], s[3][l]
			u := bits.RotateLeft64(s0+s3, 23) + s0
			t := s1 << 17
			s2 ^= s0
			s3 ^= s1
			s1 ^= s2
			s0 ^= s3
			s2 ^= t
			s3 = bits.RotateLeft64(s3, 45)
			s[0][l], s[1][l], s[2][l], s[3][l] = s0, s1, s2, s3
			x, ok := zigFast(u)
			out[4*b+l], raw[4*b+l] = x, u
			if !ok {
				r |= 1 << l
			}
		}
		rej[b] = r
	}
}

// zigFast is the ziggurat's draw from the 64 random bits u when it falls
// inside its layer's rectangle.
func zigFast(u uint64) (float64, bool) {
	j := int32(uint32(u))
	i := (u >> 32) & (zigN - 1)
	x := float64(j) * float64(zigW[i])
	aj := j
	if aj < 0 {
		aj = -aj
	}
	return x, uint32(aj) < zigK[i]
}

// normSlow finishes a draw whose bits u missed the fast path: the tail or
// the wedge test for u, then further draws until one is accepted.
func (g *rng) normSlow(u uint64) float64 {
	for {
		j := int32(uint32(u))
		i := (u >> 32) & (zigN - 1)
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
