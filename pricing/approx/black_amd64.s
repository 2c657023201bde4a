//go:build !purego

#include "go_asm.h"
#include "textflag.h"

// func Black(f, k, sd float64, call bool) float64
//
// black_amd64.go says what and why. The steps, in two lanes for d1 and d2
// (four where numerators and denominators go side by side):
//
//	lg = log(f/k)                         LogFast: its reduction, table
//	                                      and polynomial, fused
//	d  = lg·(sign/sd) + sign·(±sd/2)      [d1, d2, d1, d2]
//	s  = d²
//	both s <= 0.66291²:                   the central range
//	    [P1, P2, Q1, Q2] = Cody's P₄(s), Q₄(s) (Estrin, fused)
//	    v = Σ sign·[f, -k]·(1/2 + d·P/Q)  one two-lane division
//	else both s <= 32:                    the middle range
//	    Φ(-|d|) = Gauss(d) P₈(|d|)/Q₈(|d|), Gauss(d1) as expHiLo does
//	    it and Gauss(d2) = Gauss(d1) f/k as GaussBlack,
//	    Φ(d) = 1 - Φ(-d) for d > 0; a central lane takes 1/2 + d P/Q
//	    v = Σ sign·[f, -k]·Φ(d)
//	else: blackGo, by a tail jump with the arguments where the caller
//	put them (as also without FMA, or for f/k not a normal float64)
//
// DX holds blackVec (offsets blackTable_* from go_asm.h), DI a table.

// PQ4 sets Y3 to [P1, P2, Q1, Q2], Cody's central P₄(s) and Q₄(s) for
// the four lanes of s in Y1: (c3 + c2 s) + s² ((c1 + c0 s) + s² c4).
// It writes Y2 and Y4.
#define PQ4 \
	VMULPD      Y1, Y1, Y2                         \ // s²
	VMOVUPD     blackTable_central+96(DX), Y3      \
	VFMADD231PD blackTable_central+64(DX), Y1, Y3  \ // c3 + c2 s
	VMOVUPD     blackTable_central+32(DX), Y4      \
	VFMADD231PD blackTable_central(DX), Y1, Y4     \ // c1 + c0 s
	VFMADD231PD blackTable_central+128(DX), Y2, Y4 \ // ... + s² c4
	VFMADD231PD Y4, Y2, Y3

TEXT ·Black(SB), NOSPLIT, $0-40
	CMPB ·hasFMA(SB), $0
	JEQ  slow
	LEAQ ·blackVec(SB), DX

	VMOVSD f+0(FP), X0
	VDIVSD k+8(FP), X0, X0 // f/k
	VMOVQ  X0, AX

	// off the logarithm's chain: sign/sd and sign·(±sd/2) in four lanes,
	// sign·[f, -k] and half of it in two
	VMOVAPD      X0, X9 // f/k, for Gauss(d2) = Gauss(d1) f/k
	VMOVSD       sd+16(FP), X12
	MOVBLZX      call+24(FP), BX
	VMOVSD       blackTable_sign(DX)(BX*8), X10
	VDIVSD       X12, X10, X11               // sign/sd
	VMULSD       X10, X12, X12               // sign·sd
	VBROADCASTSD X11, Y11
	VBROADCASTSD X12, Y12
	VMULPD       blackTable_halfSD(DX), Y12, Y12
	VMOVDDUP     X10, X10
	VMULPD       blackTable_fkSign(DX), X10, X10
	VMOVSD       f+0(FP), X13
	VMOVHPD      k+8(FP), X13, X13 // not one 16-byte load: the caller
	VMULPD       X13, X10, X10     // stored them apart; sign·[f, -k]
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

	// d = [d1, d2, d1, d2], s = d²
	VBROADCASTSD X0, Y0
	VFMADD213PD  Y12, Y11, Y0 // lg·sign/sd + sign·(±sd/2)
	VMULPD       Y0, Y0, Y1
	VMOVDDUP     blackTable_central2(DX), X13
	VCMPPD       $0x12, X13, X1, X14 // s <= bound, ordered (NaN fails)
	VMOVMSKPD    X14, BX
	CMPQ         BX, $3
	JNE          wing

	// central: Σ sign·[f, -k]·(1/2 + d P/Q)
	VMULPD       X10, X0, X10 // sign·[f d1, -k d2], while PQ4 runs
	PQ4
	VEXTRACTF128 $1, Y3, X5
	VDIVPD       X5, X3, X6 // [P1/Q1, P2/Q2]
	VFMADD231PD  X6, X10, X15
	VUNPCKHPD   X15, X15, X7
	VADDSD      X7, X15, X7
	VMOVSD      X7, ret+32(FP)
	VZEROUPPER
	RET

wing:
	// both |d| <= √32 (a NaN fails), else the Go path
	VMOVDDUP  blackTable_wing2(DX), X13
	VCMPPD    $0x12, X13, X1, X13
	VMOVMSKPD X13, BX
	CMPQ      BX, $3
	JNE       slowv

	// Gauss(d1) = e^(hi + lo), hi = -d1²/2 and lo = -(d1·d1 - d1²)/2 its
	// rounding, one lane
	VMOVSD      blackTable_mhalf(DX), X8
	VMOVAPD     X1, X3
	VFMSUB231SD X0, X0, X3 // d1·d1 - s1, exact
	VMULSD      X8, X3, X3 // lo
	VMULSD      X8, X1, X2 // hi

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
	MOVQ   AX, BX
	ANDQ   $(const_expN-1), BX
	SARQ   $7, AX
	SHLQ   $52, AX
	LEAQ   ·exp2Table(SB), DI
	ADDQ   (DI)(BX*8), AX
	VMOVQ  AX, X7 // scale

	// e^r - 1 = r + (r² (1/2 + r/6) + r⁴ (1/24 + r/120))
	VMULSD      X2, X2, X3 // r²
	VMOVSD      blackTable_half2(DX), X4
	VMOVSD      blackTable_exp+32(DX), X6
	VFMADD213SD X4, X2, X6 // 1/2 + r/6
	VMOVSD      blackTable_exp+40(DX), X4
	VMOVSD      blackTable_exp+48(DX), X8
	VFMADD213SD X4, X2, X8 // 1/24 + r/120
	VMULSD      X3, X3, X4 // r⁴
	VMULSD      X8, X4, X4
	VFMADD231SD X6, X3, X4
	VADDSD      X4, X2, X2 // p
	VFMADD213SD X7, X7, X2 // Gauss(d1) = scale + scale p

	// Gauss(d2) = Gauss(d1) f/k (d1² - d2² = 2 log(f/k)), as GaussBlack:
	// d1's rounding then moves both terms of f Φ(d1) - k Φ(d2) alike, and
	// cancels in it (Gauss of each d, each rounded apart, cost 4x the
	// error in the wings)
	VMULSD    X9, X2, X3
	VUNPCKLPD X3, X2, X2

	// [N1, N2, D1, D2] = Cody's P₈(y), Q₈(y), y = |d|:
	// ((c7 + c6 y) + y² (c5 + c4 y)) + y⁴ ((c3 + c2 y) + y² (c1 + c0 y)) + y⁸ c8
	VMOVDDUP     blackTable_absMask(DX), X3
	VANDPD       X3, X0, X3
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
	VEXTRACTF128 $1, Y6, X8
	VDIVPD       X8, X6, X6
	VMULPD       X6, X2, X6     // Φ(-|d|)

	// Φ(d) = 1 - Φ(-|d|) where d > 0
	VXORPD   X8, X8, X8
	VCMPPD   $0x1e, X8, X0, X8 // d > 0
	VMOVDDUP blackTable_signMask(DX), X9
	VANDPD   X9, X8, X9
	VXORPD   X9, X6, X6
	VMOVDDUP blackTable_one(DX), X9
	VANDPD   X9, X8, X9
	VADDPD   X9, X6, X6

	// a central lane (X14 marks it) takes 1/2 + d P₄/Q₄ instead
	VMOVMSKPD    X14, BX
	TESTQ        BX, BX
	JZ           sum
	VMOVAPD      X6, X12
	PQ4
	VEXTRACTF128 $1, Y3, X5
	VDIVPD       X5, X3, X6
	VMOVUPD      blackTable_half2(DX), X7
	VFMADD231PD  X6, X0, X7
	VBLENDVPD    X14, X7, X12, X6

sum:
	VMULPD    X10, X6, X6 // sign·[f Φ(d1), -k Φ(d2)]
	VUNPCKHPD X6, X6, X7
	VADDSD    X7, X6, X7
	VMOVSD    X7, ret+32(FP)
	VZEROUPPER
	RET

slowv:
	VZEROUPPER

slow:
	JMP ·blackGo(SB)
