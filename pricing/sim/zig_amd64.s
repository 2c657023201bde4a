//go:build !purego

#include "textflag.h"

// func zigBlocksAVX2(s *[4][4]uint64, out *[zigBuf]float64, raw *[zigBuf]uint64, rej *[zigBuf / 4]uint8, kw *[zigN]uint64)
//
// For each of the zigBuf/4 blocks: the next output u of xoshiro256++ in
// each lane (state word w of the four lanes in Yw), then the ziggurat's
// fast path on u as zigFast: j = int32(low 32 bits), i = bits 32-39,
// x = float64(j) * float64(zigW[i]), a miss when uint32(|j|) >= zigK[i].
// Writes x to out, u to raw and the misses' lane bits to rej.
TEXT ·zigBlocksAVX2(SB), NOSPLIT, $0-40
	MOVQ s+0(FP), SI
	MOVQ out+8(FP), DI
	MOVQ raw+16(FP), BX
	MOVQ rej+24(FP), DX
	MOVQ kw+32(FP), R8
	VMOVDQU 0(SI), Y0
	VMOVDQU 32(SI), Y1
	VMOVDQU 64(SI), Y2
	VMOVDQU 96(SI), Y3
	MOVL    $0xFF, AX
	VMOVD   AX, X8
	VPBROADCASTD X8, X8
	MOVQ    $64, CX // zigBuf / 4

loop:
	// u = rotl(s0+s3, 23) + s0
	VPADDQ Y3, Y0, Y4
	VPSLLQ $23, Y4, Y5
	VPSRLQ $41, Y4, Y4
	VPOR   Y5, Y4, Y4
	VPADDQ Y0, Y4, Y4
	// t = s1<<17; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)
	VPSLLQ $17, Y1, Y5
	VPXOR  Y0, Y2, Y2
	VPXOR  Y1, Y3, Y3
	VPXOR  Y2, Y1, Y1
	VPXOR  Y3, Y0, Y0
	VPXOR  Y5, Y2, Y2
	VPSLLQ $45, Y3, Y5
	VPSRLQ $19, Y3, Y3
	VPOR   Y5, Y3, Y3
	VMOVDQU Y4, (BX)

	// X6 = the four low halves j, X7 = the four high halves, masked to i.
	VPSHUFD      $0xD8, Y4, Y6
	VPERMQ       $0xD8, Y6, Y6
	VEXTRACTI128 $1, Y6, X7
	VPAND        X8, X7, X7

	// X10 = zigK[i], X11 = zigW[i], from one gather of zigKW[i].
	VPCMPEQD     Y9, Y9, Y9
	VPGATHERDQ   Y9, (R8)(X7*8), Y10
	VPSHUFD      $0xD8, Y10, Y10
	VPERMQ       $0xD8, Y10, Y10
	VEXTRACTI128 $1, Y10, X11

	VCVTDQ2PD X6, Y12
	VCVTPS2PD X11, Y13
	VMULPD    Y13, Y12, Y12
	VMOVUPD   Y12, (DI)

	// A miss where |j| = max(|j|, K) unsigned.
	VPABSD    X6, X14
	VPMAXUD   X10, X14, X15
	VPCMPEQD  X15, X14, X15
	VMOVMSKPS X15, AX
	MOVB      AX, (DX)

	ADDQ $32, DI
	ADDQ $32, BX
	INCQ DX
	DECQ CX
	JNZ  loop

	VMOVDQU Y0, 0(SI)
	VMOVDQU Y1, 32(SI)
	VMOVDQU Y2, 64(SI)
	VMOVDQU Y3, 96(SI)
	VZEROUPPER
	RET
