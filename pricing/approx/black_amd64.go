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
// On amd64 with AVX2 and FMA, for |d1| and |d2| up to √32 (beyond, Φ is
// within 1e-8 of 0 or 1), it is an assembly kernel (black_amd64.s):
// LogFast's reduction and polynomial with fused multiply-adds, then Φ of
// d1 and d2 side by side, the numerators and denominators of the rational
// functions in the four lanes of one vector, with one two-lane division.
// Which rational functions depends on x = d/√2, Φ(d) = (1 + erf(x))/2:
// Cody's central one for |d| <= 0.66291; fdlibm's erf (QuantLib's and Go's
// math.Erf) for |x| < 0.84375 and < 1.25, which need no exponential; and
// Cody's middle range beyond, with one exponential for both, Gauss(d2) =
// Gauss(d1) f/k as in GaussBlack. Go's compiler emits neither fused
// multiply-adds nor three-operand instructions for GOAMD64=v1, and Black's
// formula is bound by how many instructions the processor holds in
// flight: its dependency chain (a division, the logarithm, the rational
// functions, a division) is twice as long as its throughput allows. The
// kernel does the same work in half the instructions, and is called
// without a Go wrapper. BenchmarkBlack*: 10.5-10.9 ns near the money
// against blackGo's 21.6, 14.7 for |x| up to 1.25 (a delta down to 4%)
// and 17-23 beyond against 30. Its results differ from blackGo's in the
// last bits (TestBlack holds both to a 400-bit reference on every path).
// Beyond √32, for f/k not a normal float64, and without FMA, the kernel
// jumps to blackGo: LogFast and BlackPhi.
//
//go:noescape
func Black(f, k, sd float64, call bool) float64

// blackTable holds Black's constants; black_amd64.s reads them as memory
// operands at the offsets go_asm.h gives (blackTable_field). Four-lane
// rows hold a numerator's coefficient in lanes 0-1 and the
// denominator's in lanes 2-3.
type blackTable struct {
	logPoly  [8]float64    // LogFast's log1p(r) - r = r²(-1/2 + r/3 + ...), by pairs: 1/3, -1/2, 1/5, -1/4, ...
	ln2      float64       //
	boundC0  float64       // x² up to which Cody's central range reaches: 0.66291²/2
	boundA   float64       // x² below which erf is x + x R(x²): 0.84375²
	boundB   float64       // x² below which erf is erx + P(|x|-1)/Q(|x|-1): 1.25²
	boundC   float64       // x² up to which Cody's middle range reaches: (√32/√2)² = 16
	sqrt2    float64       //
	erx      float64       // erf(1) to 24 bits (fdlibm)
	one      float64       //
	half2    [2]float64    // 1/2 in two lanes
	halfSD   [4]float64    // ±1/(2√2), for x = d/√2: x1 and x2 twice
	fkSign   [2]float64    // the signs of f and k in f n1 - k n2
	sign     [2]float64    // sign, indexed by call
	signR2   [2]float64    // sign/√2
	absMask  uint64        // all bits but the sign
	signMask uint64        // the sign bit
	exp      [7]float64    // invLn2N, shift, ln2NHi, ln2NLo, 1/6, 1/24, 1/120 (expHiLo)
	central  [5][4]float64 // Cody's central P₄(2z), Q₄(2z), z = x² (s = d² = 2z): each coefficient times its power of 2
	erfA     [6][4]float64 // fdlibm's erf for |x| < 0.84375: pp₀..pp₄ (and 0), qq₀ = 1..qq₅
	erfB     [7][4]float64 // fdlibm's erf for |x| in [0.84375, 1.25): pa₀..pa₆, qa₀ = 1..qa₆
	wing     [9][4]float64 // Cody's P₈, Q₈ for the middle range (PhiWith)
}

var blackVec = blackTable{
	logPoly:  [8]float64{1.0 / 3, -1.0 / 2, 1.0 / 5, -1.0 / 4, 1.0 / 7, -1.0 / 6, 1.0 / 9, -1.0 / 8},
	ln2:      math.Ln2,
	boundC0:  phiThresh * phiThresh / 2, // the rounding moves the bound by an ulp; both sides are accurate
	boundA:   0.84375 * 0.84375,         // exact, as are the other two
	boundB:   1.25 * 1.25,
	boundC:   16,
	sqrt2:    math.Sqrt2,
	erx:      erfErx,
	one:      1,
	half2:    [2]float64{0.5, 0.5},
	halfSD:   [4]float64{0.5 / math.Sqrt2, -0.5 / math.Sqrt2, 0.5 / math.Sqrt2, -0.5 / math.Sqrt2},
	fkSign:   [2]float64{1, -1},
	sign:     [2]float64{-1, 1},
	signR2:   [2]float64{-1 / math.Sqrt2, 1 / math.Sqrt2},
	absMask:  1<<63 - 1,
	signMask: 1 << 63,
	exp:      [7]float64{invLn2N, expShift, ln2NHi, ln2NLo, 1.0 / 6, 1.0 / 24, 1.0 / 120},
	central: [5][4]float64{
		{8 * cA0, 8 * cA0, 8 * cB0, 8 * cB0}, {4 * cA1, 4 * cA1, 4 * cB1, 4 * cB1},
		{2 * cA2, 2 * cA2, 2 * cB2, 2 * cB2}, {cA3, cA3, cB3, cB3}, {16 * cA4, 16 * cA4, 16, 16},
	},
	erfA: [6][4]float64{
		{erfPP0, erfPP0, 1, 1}, {erfPP1, erfPP1, erfQQ1, erfQQ1}, {erfPP2, erfPP2, erfQQ2, erfQQ2},
		{erfPP3, erfPP3, erfQQ3, erfQQ3}, {erfPP4, erfPP4, erfQQ4, erfQQ4}, {0, 0, erfQQ5, erfQQ5},
	},
	erfB: [7][4]float64{
		{erfPA0, erfPA0, 1, 1}, {erfPA1, erfPA1, erfQA1, erfQA1}, {erfPA2, erfPA2, erfQA2, erfQA2},
		{erfPA3, erfPA3, erfQA3, erfQA3}, {erfPA4, erfPA4, erfQA4, erfQA4}, {erfPA5, erfPA5, erfQA5, erfQA5},
		{erfPA6, erfPA6, erfQA6, erfQA6},
	},
	wing: [9][4]float64{
		{cC0, cC0, cD0, cD0}, {cC1, cC1, cD1, cD1}, {cC2, cC2, cD2, cD2}, {cC3, cC3, cD3, cD3},
		{cC4, cC4, cD4, cD4}, {cC5, cC5, cD5, cD5}, {cC6, cC6, cD6, cD6}, {cC7, cC7, cD7, cD7},
		{cC8, cC8, 1, 1},
	},
}

// fdlibm's erf (Sun Microsystems, s_erf.c, as in Go's math/erf.go and
// QuantLib's ErrorFunction): for |x| < 0.84375, erf(x) = x + x pp(x²)/qq(x²)
// with |pp/qq - (erf(x) - x)/x| <= 2^-57.9; for 0.84375 <= |x| < 1.25,
// erf(|x|) = erx + pa(s)/qa(s), s = |x| - 1, within 2^-59.
const (
	erfErx = 8.45062911510467529297e-01 // 0x3FEB0AC160000000
	erfPP0 = 1.28379167095512558561e-01
	erfPP1 = -3.25042107247001499370e-01
	erfPP2 = -2.84817495755985104766e-02
	erfPP3 = -5.77027029648944159157e-03
	erfPP4 = -2.37630166566501626084e-05
	erfQQ1 = 3.97917223959155352819e-01
	erfQQ2 = 6.50222499887672944485e-02
	erfQQ3 = 5.08130628187576562776e-03
	erfQQ4 = 1.32494738004321644526e-04
	erfQQ5 = -3.96022827877536812320e-06
	erfPA0 = -2.36211856075265944077e-03
	erfPA1 = 4.14856118683748331666e-01
	erfPA2 = -3.72207876035701323847e-01
	erfPA3 = 3.18346619901161753674e-01
	erfPA4 = -1.10894694282396677476e-01
	erfPA5 = 3.54783043256182359371e-02
	erfPA6 = -2.16637559486879084300e-03
	erfQA1 = 1.06420880400844228286e-01
	erfQA2 = 5.40397917702171048937e-01
	erfQA3 = 7.18286544141962662868e-02
	erfQA4 = 1.26171219808761642112e-01
	erfQA5 = 1.36370839120290507362e-02
	erfQA6 = 1.19844998467991074170e-02
)
