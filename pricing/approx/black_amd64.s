//go:build !purego

#include "go_asm.h"
#include "textflag.h"

// func Black(f, k, sd float64, call bool) float64
//
// black_amd64.go says what and why. The steps, in two lanes for x1 and x2
// (four where numerators and denominators go side by side), x = d/√2 so
// that Φ(d) = (1 + erf(x))/2:
//
//	lg = log(f/k)                      LogFast: its reduction, table and
//	                                   polynomial, fused
//	x  = lg·sign/(sd√2) + sign·sd·(±1/(2√2))
//	z  = x²
//	both |d| <= 0.66291:               Cody's central Φ = 1/2 + d P₄/Q₄(d²)
//	    v = Σ F/2 + (F d) P₄/Q₄
//	both |x| < 0.84375:                fdlibm's erf: x + x pp(z)/qq(z)
//	    v = Σ F/2 (1 + x + x R)        F = sign·[f, -k], R = pp/qq
//	both |x| < 1.25:                   and erx + pa(|x|-1)/qa(|x|-1) for
//	    v = Σ F (V + W R)              a lane beyond 0.84375: V and W per
//	                                   lane, one division for both
//	both |x| <= 4 (|d| <= √32):        Cody's middle range for a lane
//	    Φ(-|d|) = Gauss(d) P₈(|d|)/Q₈(|d|)  beyond 1.25, Gauss(d1) =
//	    e^(-x1²) as expHiLo does it and Gauss(d2) = Gauss(d1) f/k as
//	    GaussBlack; Φ(d) = 1 - Φ(-d) for d > 0; v = Σ F Φ
//	else: blackGo, by a tail jump with the arguments where the caller put
//	them (as also without FMA, or for f/k not a normal float64)
//
// DX holds blackVec (offsets blackTable_* from go_asm.h), DI a table.
// Registers across the paths: Y0 x, Y1 z, X9 f/k, X10 F, X14 the lanes
// with |x| < 0.84375, X15 F/2.

// PQ4 sets Y3 to [P1, P2, Q1, Q2], Cody's central P₄(s) and Q₄(s), s = d²
// = 2z, for the four lanes of z in Y1: (c3 + c2 s) + s² ((c1 + c0 s) +
// s² c4), the coefficients times their powers of 2 so that the same
// products come out of z. Writes Y2, Y4.
#define PQ4 \
	VMULPD      Y1, Y1, Y2                         \
	VMOVUPD     blackTable_central+96(DX), Y3      \
	VFMADD231PD blackTable_central+64(DX), Y1, Y3  \
	VMOVUPD     blackTable_central+32(DX), Y4      \
	VFMADD231PD blackTable_central(DX), Y1, Y4     \
	VFMADD231PD blackTable_central+128(DX), Y2, Y4 \
	VFMADD231PD Y4, Y2, Y3

// POLYA sets Y3 to [pp1, pp2, qq1, qq2] for the four lanes of z in Y1:
// (c0 + c1 z) + z² (c2 + c3 z) + z⁴ (c4 + c5 z). Writes Y2, Y4-Y6.
#define POLYA \
	VMULPD      Y1, Y1, Y2                      \
	VMULPD      Y2, Y2, Y4                      \
	VMOVUPD     blackTable_erfA(DX), Y3         \
	VFMADD231PD blackTable_erfA+32(DX), Y1, Y3  \
	VMOVUPD     blackTable_erfA+64(DX), Y5      \
	VFMADD231PD blackTable_erfA+96(DX), Y1, Y5  \
	VMOVUPD     blackTable_erfA+128(DX), Y6     \
	VFMADD231PD blackTable_erfA+160(DX), Y1, Y6 \
	VFMADD231PD Y5, Y2, Y3                      \
	VFMADD231PD Y6, Y4, Y3

// ABRATIO sets X6 to R: pp(z)/qq(z) in the lanes of X14, pa(s)/qa(s),
// s = |x| - 1, in the others: (c0 + c1 s) + s² (c2 + c3 s) +
// s⁴ ((c4 + c5 s) + s² c6), the four polynomials side by side and one
// division. Writes Y2-Y7, Y11.
#define ABRATIO \
	POLYA                                       \
	VMOVDDUP     blackTable_absMask(DX), X7     \
	VANDPD       X7, X0, X7                     \
	VMOVDDUP     blackTable_one(DX), X2         \
	VSUBPD       X2, X7, X7                     \
	VINSERTF128  $1, X7, Y7, Y7                 \ // s, four lanes
	VMULPD       Y7, Y7, Y2                     \
	VMULPD       Y2, Y2, Y4                     \
	VMOVUPD      blackTable_erfB(DX), Y11       \
	VFMADD231PD  blackTable_erfB+32(DX), Y7, Y11 \
	VMOVUPD      blackTable_erfB+64(DX), Y5     \
	VFMADD231PD  blackTable_erfB+96(DX), Y7, Y5 \
	VMOVUPD      blackTable_erfB+128(DX), Y6    \
	VFMADD231PD  blackTable_erfB+160(DX), Y7, Y6 \
	VFMADD231PD  blackTable_erfB+192(DX), Y2, Y6 \
	VFMADD231PD  Y5, Y2, Y11                    \
	VFMADD231PD  Y6, Y4, Y11                    \
	VINSERTF128  $1, X14, Y14, Y2               \
	VBLENDVPD    Y2, Y3, Y11, Y11               \
	VEXTRACTF128 $1, Y11, X5                    \
	VDIVPD       X5, X11, X6

// ABCOEF sets X12 to V and X13 to W, Φ = V + W R: in the lanes of X14
// (erf = x + x R) V = 1/2 + x/2 and W = x/2, in the others (erf = ±(erx +
// R)) V = 1/2 ± erx/2 and W = ±1/2 with the sign of x. Writes X2-X4.
#define ABCOEF \
	VMOVUPD     blackTable_half2(DX), X2     \
	VMULPD      X2, X0, X13                  \
	VADDPD      X2, X13, X12                 \
	VMOVDDUP    blackTable_signMask(DX), X3  \
	VANDPD      X3, X0, X3                   \
	VXORPD      X2, X3, X3                   \
	VMOVDDUP    blackTable_erx(DX), X4       \
	VFMADD213PD X2, X3, X4                   \
	VBLENDVPD   X14, X13, X3, X13            \
	VBLENDVPD   X14, X12, X4, X12

// SUM stores the sum of the two lanes of X as the result.
#define SUM(X) \
	VUNPCKHPD X, X, X7 \
	VADDSD    X7, X, X7 \
	VMOVSD    X7, ret+32(FP) \
	VZEROUPPER \
	RET

TEXT ·Black(SB), NOSPLIT, $0-40
	CMPB ·hasFMA(SB), $0
	JEQ  slow
	LEAQ ·blackVec(SB), DX

	VMOVSD f+0(FP), X0
	VDIVSD k+8(FP), X0, X0 // f/k
	VMOVQ  X0, AX

	// off the logarithm's chain: sign/(sd√2) and sign·sd·(±1/(2√2)) in
	// four lanes, F = sign·[f, -k] and F/2 in two
	VMOVAPD      X0, X9 // f/k, for Gauss(d2) = Gauss(d1) f/k
	VMOVSD       sd+16(FP), X12
	MOVBLZX      call+24(FP), BX
	VMOVSD       blackTable_sign(DX)(BX*8), X10
	VMOVSD       blackTable_signR2(DX)(BX*8), X11
	VDIVSD       X12, X11, X11                  // sign/(sd√2)
	VMULSD       X10, X12, X12                  // sign·sd
	VBROADCASTSD X11, Y11
	VBROADCASTSD X12, Y12
	VMULPD       blackTable_halfSD(DX), Y12, Y12
	VMOVDDUP     X10, X10
	VMULPD       blackTable_fkSign(DX), X10, X10
	VMOVSD       f+0(FP), X13
	VMOVHPD      k+8(FP), X13, X13 // not one 16-byte load: the caller
	VMULPD       X13, X10, X10     // stored them apart; F
	VMULPD       blackTable_half2(DX), X10, X15

	// f/k positive, normal and finite: biased exponent in [1, 0x7fe]
	MOVQ $0xfff0000000000000, CX
	LEAQ (CX)(AX*1), BX
	MOVQ $0x7fe0000000000000, CX
	CMPQ BX, CX
	JAE  slowv

	// x = 2^k z, z in [0x1.6p-1, 0x1.6p0), bucket i (Log's reduction)
	MOVQ $0xc01a000000000000, BX // -bits(0x1.6p-1)
	ADDQ AX, BX                  // tmp
	MOVQ BX, CX
	SARQ $52, CX                 // k
	MOVQ BX, SI
	SHRQ $40, SI
	ANDQ $0xfe0, SI              // 32 i: the table's rows are 32 bytes
	MOVQ $0xfff0000000000000, R8
	ANDQ BX, R8
	SUBQ R8, AX                  // bits of z
	LEAQ ·logTable(SB), DI
	ADDQ SI, DI

	VMOVQ       AX, X0
	VSUBSD      0(DI), X0, X0 // z - c, exact
	VMULSD      8(DI), X0, X0 // r = (z - c)/c
	VCVTSI2SDQ  CX, X1, X1    // k
	VMOVSD      16(DI), X8
	VFMADD231SD blackTable_ln2(DX), X1, X8 // k ln2 + log c

	// log1p(r) - r = r² ((-1/2 + r/3) + r² (-1/4 + r/5)
	//                   + r⁴ ((-1/6 + r/7) + r² (-1/8 + r/9)))
	VMULSD      X0, X0, X2 // r²
	VMULSD      X2, X2, X3 // r⁴
	VMOVSD      blackTable_logPoly+8(DX), X4
	VFMADD231SD blackTable_logPoly(DX), X0, X4
	VMOVSD      blackTable_logPoly+24(DX), X5
	VFMADD231SD blackTable_logPoly+16(DX), X0, X5
	VMOVSD      blackTable_logPoly+40(DX), X6
	VFMADD231SD blackTable_logPoly+32(DX), X0, X6
	VMOVSD      blackTable_logPoly+56(DX), X7
	VFMADD231SD blackTable_logPoly+48(DX), X0, X7
	VFMADD231SD X5, X2, X4 // (-1/2 + r/3) + r² (-1/4 + r/5)
	VFMADD231SD X7, X2, X6 // (-1/6 + r/7) + r² (-1/8 + r/9)
	VFMADD231SD X6, X3, X4
	VFMADD231SD X4, X2, X0 // r + p
	VADDSD      X0, X8, X0 // log(f/k)

	// x = [x1, x2, x1, x2], z = x²
	VBROADCASTSD X0, Y0
	VFMADD213PD  Y12, Y11, Y0
	VMULPD       Y0, Y0, Y1
	VMOVDDUP     blackTable_boundC0(DX), X13
	VCMPPD       $0x12, X13, X1, X13 // z <= bound, ordered (NaN fails)
	VMOVMSKPD    X13, BX
	CMPQ         BX, $3
	JNE          notC0

	// both |d| <= 0.66291: Cody's 1/2 + d P₄/Q₄ (no erf form is shorter),
	// v = Σ F/2 + (F d) R
	VMOVDDUP     blackTable_sqrt2(DX), X13
	VMULPD       X13, X10, X13
	VMULPD       X13, X0, X13 // F d
	PQ4
	VEXTRACTF128 $1, Y3, X5
	VDIVPD       X5, X3, X6
	VFMADD231PD  X6, X13, X15
	SUM(X15)

notC0:
	VMOVDDUP     blackTable_boundA(DX), X13
	VCMPPD       $0x11, X13, X1, X14 // z < bound
	VMOVMSKPD    X14, BX
	CMPQ         BX, $3
	JNE          notA

	// v = Σ F/2 (1 + x + x R) = Σ (F/2 + W) + W R, W = F x/2
	VMULPD       X15, X0, X13
	VADDPD       X15, X13, X12
	POLYA
	VEXTRACTF128 $1, Y3, X5
	VDIVPD       X5, X3, X6
	VFMADD231PD  X6, X13, X12
	SUM(X12)

notA:
	VMOVDDUP  blackTable_boundB(DX), X13
	VCMPPD    $0x11, X13, X1, X8 // z < 1.25²: the lanes erf's rational functions cover
	VMOVMSKPD X8, BX
	CMPQ      BX, $3
	JNE       wing

	// v = Σ F V + (F W) R
	ABRATIO
	ABCOEF
	VMULPD      X10, X13, X13
	VMULPD      X10, X12, X12
	VFMADD231PD X6, X13, X12
	SUM(X12)

wing:
	// both |x| <= 4 (a NaN fails), else the Go path
	VMOVDDUP  blackTable_boundC(DX), X13
	VCMPPD    $0x12, X13, X1, X13
	VMOVMSKPD X13, BX
	CMPQ      BX, $3
	JNE       slowv

	// Gauss(d1) = e^(-x1²) = e^(hi + lo): hi = -z1, lo = z1 - x1·x1 its
	// rounding, one lane
	VMOVAPD      X1, X3
	VFNMADD231SD X0, X0, X3 // lo, exact
	VMOVSD       blackTable_signMask(DX), X2
	VXORPD       X1, X2, X2 // hi

	// expHiLo's reduction: z = hi·N/ln2 + shift, kd = z - shift, k the
	// integer in z's bits, r = hi - kd ln2/N + lo
	VMOVSD       blackTable_exp+8(DX), X4 // shift
	VMOVSD       blackTable_exp(DX), X5
	VFMADD213SD  X4, X2, X5               // z
	VSUBSD       X4, X5, X6               // kd
	VMOVQ        X5, AX
	VMOVQ        X4, CX
	SUBQ         CX, AX                   // k
	VFNMADD231SD blackTable_exp+16(DX), X6, X2 // hi - kd ln2NHi, exact
	VFNMADD231SD blackTable_exp+24(DX), X6, X2 // - kd ln2NLo
	VADDSD       X3, X2, X2               // r

	// scale = 2^(j/N) 2^(k>>7), j = k mod N: the table's entry with k>>7
	// added to its exponent
	MOVQ  AX, BX
	ANDQ  $(const_expN-1), BX
	SARQ  $7, AX
	SHLQ  $52, AX
	LEAQ  ·exp2Table(SB), DI
	ADDQ  (DI)(BX*8), AX
	VMOVQ AX, X7 // scale

	// e^r - 1 = r + (r² (1/2 + r/6) + r⁴ (1/24 + r/120))
	VMULSD      X2, X2, X3 // r²
	VMOVSD      blackTable_half2(DX), X4
	VMOVSD      blackTable_exp+32(DX), X6
	VFMADD213SD X4, X2, X6 // 1/2 + r/6
	VMOVSD      blackTable_exp+40(DX), X4
	VMOVSD      blackTable_exp+48(DX), X11
	VFMADD213SD X4, X2, X11 // 1/24 + r/120
	VMULSD      X3, X3, X4  // r⁴
	VMULSD      X11, X4, X4
	VFMADD231SD X6, X3, X4
	VADDSD      X4, X2, X2 // p
	VFMADD213SD X7, X7, X2 // Gauss(d1) = scale + scale p

	// Gauss(d2) = Gauss(d1) f/k (d1² - d2² = 2 log(f/k)), as GaussBlack:
	// d1's rounding then moves both terms of f Φ(d1) - k Φ(d2) alike, and
	// cancels in it (Gauss of each d, each rounded apart, cost 4x the
	// error in the wings)
	VMULSD    X9, X2, X3
	VUNPCKLPD X3, X2, X2

	// [N1, N2, D1, D2] = Cody's P₈(y), Q₈(y), y = |d| = √2 |x|:
	// ((c7 + c6 y) + y² (c5 + c4 y)) + y⁴ ((c3 + c2 y) + y² (c1 + c0 y)) + y⁸ c8
	VMOVDDUP     blackTable_absMask(DX), X3
	VANDPD       X3, X0, X3
	VMOVDDUP     blackTable_sqrt2(DX), X4
	VMULPD       X4, X3, X3
	VINSERTF128  $1, X3, Y3, Y3 // [y1, y2, y1, y2]
	VMULPD       Y3, Y3, Y4     // y²
	VMULPD       Y4, Y4, Y5     // y⁴
	VMOVUPD      blackTable_wing+224(DX), Y6
	VFMADD231PD  blackTable_wing+192(DX), Y3, Y6
	VMOVUPD      blackTable_wing+160(DX), Y7
	VFMADD231PD  blackTable_wing+128(DX), Y3, Y7
	VMOVUPD      blackTable_wing+96(DX), Y9
	VFMADD231PD  blackTable_wing+64(DX), Y3, Y9
	VMOVUPD      blackTable_wing+32(DX), Y11
	VFMADD231PD  blackTable_wing(DX), Y3, Y11
	VFMADD231PD  Y7, Y4, Y6
	VFMADD231PD  Y11, Y4, Y9
	VFMADD231PD  Y9, Y5, Y6
	VMULPD       Y5, Y5, Y5     // y⁸
	VFMADD231PD  blackTable_wing+256(DX), Y5, Y6
	VEXTRACTF128 $1, Y6, X13
	VDIVPD       X13, X6, X6
	VMULPD       X6, X2, X6     // Φ(-|d|)

	// Φ(d) = 1 - Φ(-|d|) where d > 0
	VXORPD   X13, X13, X13
	VCMPPD   $0x1e, X13, X0, X13 // x > 0
	VMOVDDUP blackTable_signMask(DX), X3
	VANDPD   X3, X13, X3
	VXORPD   X3, X6, X6
	VMOVDDUP blackTable_one(DX), X3
	VANDPD   X3, X13, X3
	VADDPD   X3, X6, X6

	// a lane with |x| < 1.25 (X8 marks it) takes V + W R instead
	VMOVMSKPD   X8, BX
	TESTQ       BX, BX
	JZ          sum
	VMOVAPD     X6, X15
	ABRATIO
	ABCOEF
	VFMADD231PD X6, X13, X12
	VBLENDVPD   X8, X12, X15, X6

sum:
	VMULPD X10, X6, X6 // F Φ
	SUM(X6)

slowv:
	VZEROUPPER

slow:
	JMP ·blackGo(SB)
