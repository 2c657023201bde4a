//go:build !purego

#include "textflag.h"

// func polyDotsAVX2(row []poly, mon *[numMon]float64, out []float64)
//
// out[i] = row[i].c·mon with the four accumulators of polyDotsGo in its
// order ((s0+s1)+(s2+s3), s_j summing the terms j, j+4, ... from zero, no
// fused multiply-adds), so the results are the same bit for bit; 0 where
// row[i].v0 == 0. A poly is 27 float64: c at 0, v0 at 200.
TEXT ·polyDotsAVX2(SB), NOSPLIT, $0-56
	MOVQ    row_base+0(FP), SI
	MOVQ    row_len+8(FP), CX
	MOVQ    mon+24(FP), DX
	MOVQ    out_base+32(FP), DI
	VMOVUPD 0(DX), Y10
	VMOVUPD 32(DX), Y11
	VMOVUPD 64(DX), Y12
	VMOVUPD 96(DX), Y13
	VMOVUPD 128(DX), Y14
	VXORPD  X15, X15, X15

loop:
	TESTQ     CX, CX
	JEQ       done
	VMOVSD    200(SI), X1
	VUCOMISD  X15, X1
	JNE       dot
	JP        dot
	VMOVSD    X15, (DI)
	JMP       next

dot:
	VMULPD       0(SI), Y10, Y2
	VADDPD       Y2, Y15, Y0
	VMULPD       32(SI), Y11, Y2
	VADDPD       Y2, Y0, Y0
	VMULPD       64(SI), Y12, Y2
	VADDPD       Y2, Y0, Y0
	VMULPD       96(SI), Y13, Y2
	VADDPD       Y2, Y0, Y0
	VMULPD       128(SI), Y14, Y2
	VADDPD       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VHADDPD      X1, X0, X2 // (s0+s1, s2+s3)
	VUNPCKHPD    X2, X2, X3
	VADDSD       X3, X2, X2
	VMOVSD       X2, (DI)

next:
	ADDQ $216, SI
	ADDQ $8, DI
	DECQ CX
	JMP  loop

done:
	VZEROUPPER
	RET
