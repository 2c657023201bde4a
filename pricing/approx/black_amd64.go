//go:build !purego

package approx

import (
	"math"

	"golang.org/x/sys/cpu"
)

// hasFMA selects Black's kernel; without it Black is blackGo.
var hasFMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// Black is Black's formula without discounting, for forward f > 0,
// strike k > 0 and standard deviation sd = σ√T > 0:
//
//	sign (f Φ(sign d1) - k Φ(sign d2)),  d1 = log(f/k)/sd + sd/2,  d2 = d1 - sd,
//
// sign +1 for a call (a payer swaption) and -1 for a put (a receiver).
// Outside those ranges (and for NaN) it returns what blackGo does, which
// callers must not rely on: they check their inputs.
//
// On amd64 with AVX2 and FMA, for |d1| and |d2| up to √32 (Cody's central
// and middle ranges; beyond, Φ is within 1e-8 of 0 or 1), it is an
// assembly kernel (black_amd64.s): LogFast's reduction and polynomial with
// fused multiply-adds, then Φ of d1 and d2 side by side, the numerators and
// denominators of Cody's rational functions in the four lanes of one
// vector, with one two-lane division (two when one d is central and the
// other not), and in the middle range one exponential for both, Gauss(d2)
// = Gauss(d1) f/k as in GaussBlack. Go's compiler emits neither fused
// multiply-adds nor three-operand instructions for GOAMD64=v1, and Black's
// formula is bound by how many instructions the processor holds in flight:
// its dependency chain (a division, the logarithm, the rational functions,
// a division) is twice as long as its throughput allows. The kernel does
// the same work in half the instructions, and is called without a Go
// wrapper: 10 ns against blackGo's 22 near the money, 17-19 against 30 in
// the wings (BenchmarkBlack*). Its results differ from blackGo's in the
// last bits (TestBlack holds both to a 400-bit reference). Beyond √32,
// for f/k not a normal float64, and without FMA, the kernel jumps to
// blackGo: LogFast and BlackPhi.
//
//go:noescape
func Black(f, k, sd float64, call bool) float64

// blackTable holds Black's constants; black_amd64.s reads them as memory
// operands at the offsets go_asm.h gives (blackTable_field).
type blackTable struct {
	logPoly  [8]float64    // LogFast's log1p(r) - r = r²(-1/2 + r/3 + ...), by pairs: 1/3, -1/2, 1/5, -1/4, ...
	ln2      float64       //
	central2 float64       // the central range's bound on d² (0.66291²)
	wing2    float64       // the middle range's bound on d² (32)
	mhalf    float64       // -1/2
	half2    [2]float64    // 1/2 in two lanes
	halfSD   [4]float64    // ±1/2 in four lanes, for sd: d1 and d2 twice
	fkSign   [2]float64    // the signs of f and k in f n1 - k n2
	sign     [2]float64    // sign, indexed by call
	one      float64       //
	absMask  uint64        // all bits but the sign
	signMask uint64        // the sign bit
	exp      [7]float64    // invLn2N, shift, ln2NHi, ln2NLo, 1/6, 1/24, 1/120 (expHiLo)
	central  [5][4]float64 // Cody's central P₄, Q₄ coefficients: numerator in lanes 0-1, denominator in 2-3
	wing     [9][4]float64 // Cody's middle-range P₈, Q₈ likewise
}

var blackVec = blackTable{
	logPoly:  [8]float64{1.0 / 3, -1.0 / 2, 1.0 / 5, -1.0 / 4, 1.0 / 7, -1.0 / 6, 1.0 / 9, -1.0 / 8},
	ln2:      math.Ln2,
	central2: phiThresh * phiThresh, // the rounding moves the bound by an ulp; both sides are accurate
	wing2:    phiRoot32 * phiRoot32,
	mhalf:    -0.5,
	half2:    [2]float64{0.5, 0.5},
	halfSD:   [4]float64{0.5, -0.5, 0.5, -0.5},
	fkSign:   [2]float64{1, -1},
	sign:     [2]float64{-1, 1},
	one:      1,
	absMask:  1<<63 - 1,
	signMask: 1 << 63,
	exp:      [7]float64{invLn2N, expShift, ln2NHi, ln2NLo, 1.0 / 6, 1.0 / 24, 1.0 / 120},
	central: [5][4]float64{
		{cA0, cA0, cB0, cB0}, {cA1, cA1, cB1, cB1}, {cA2, cA2, cB2, cB2}, {cA3, cA3, cB3, cB3}, {cA4, cA4, 1, 1},
	},
	wing: [9][4]float64{
		{cC0, cC0, cD0, cD0}, {cC1, cC1, cD1, cD1}, {cC2, cC2, cD2, cD2}, {cC3, cC3, cD3, cD3},
		{cC4, cC4, cD4, cD4}, {cC5, cC5, cD5, cD5}, {cC6, cC6, cD6, cD6}, {cC7, cC7, cD7, cD7},
		{cC8, cC8, 1, 1},
	},
}
