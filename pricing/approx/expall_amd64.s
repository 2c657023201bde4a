//go:build !purego

#include "textflag.h"

// INRANGE jumps to done unless every lane of Y0 is in (-700, 700) (a NaN
// is not). Lanes masked off in the tail are zero, so they pass.
#define INRANGE \
	VCMPPD     $0x1e, Y10, Y0, Y1 \ // x > -700, ordered
	VCMPPD     $0x11, Y11, Y0, Y2 \ // x < 700, ordered
	VANDPD     Y1, Y2, Y1         \
	VMOVMSKPD  Y1, BX             \
	CMPQ       BX, $15            \
	JNE        done

// EXP4 replaces the four lanes of Y0 by Exp of them: the operations of
// Exp (exp.go) in its order, without fused multiply-adds, so that each lane
// is Exp's result bit for bit.
#define EXP4 \
	VMULPD     Y12, Y0, Y1        \ // x*invLn2N
	VADDPD     Y13, Y1, Y1        \ // z = x*invLn2N + shift
	VSUBPD     Y13, Y1, Y2        \ // kd = z - shift
	VPSUBQ     Y13, Y1, Y3        \ // k = bits(z) - bits(shift)
	VMULPD     128(DX), Y2, Y4    \
	VSUBPD     Y4, Y0, Y4         \ // x - kd*ln2NHi
	VMULPD     160(DX), Y2, Y5    \
	VSUBPD     Y5, Y4, Y4         \ // r
	VMULPD     Y4, Y4, Y5         \ // r2
	VMULPD     192(DX), Y4, Y6    \
	VADDPD     224(DX), Y6, Y6    \
	VMULPD     Y4, Y6, Y6         \
	VADDPD     256(DX), Y6, Y6    \
	VMULPD     Y4, Y6, Y6         \
	VADDPD     288(DX), Y6, Y6    \
	VMULPD     Y5, Y6, Y6         \
	VADDPD     Y6, Y4, Y6         \ // p
	VPAND      Y14, Y3, Y7        \ // j = k & (N-1)
	VPCMPEQQ   Y8, Y8, Y8         \
	VXORPD     Y9, Y9, Y9         \
	VGATHERQPD Y8, (DI)(Y7*8), Y9 \ // exp2Table[j]
	VPSRLQ     $7, Y3, Y3         \
	VPSLLQ     $52, Y3, Y3        \
	VPADDQ     Y3, Y9, Y9         \ // scale
	VMULPD     Y6, Y9, Y6         \
	VADDPD     Y6, Y9, Y0           // scale + scale*p

// func expAllAVX2(v []float64, table *[expN]float64, consts *[11][4]float64) int
TEXT ·expAllAVX2(SB), NOSPLIT, $0-48
	MOVQ    v_base+0(FP), SI
	MOVQ    v_len+8(FP), CX
	MOVQ    table+24(FP), DI
	MOVQ    consts+32(FP), DX
	XORQ    AX, AX
	VMOVUPD 0(DX), Y10
	VMOVUPD 32(DX), Y11
	VMOVUPD 64(DX), Y12
	VMOVUPD 96(DX), Y13
	VMOVUPD 320(DX), Y14

loop:
	MOVQ    CX, BX
	SUBQ    AX, BX
	CMPQ    BX, $4
	JLT     tail
	LEAQ    (SI)(AX*8), R9
	VMOVSD  (R9), X0
	VMOVHPD 8(R9), X0, X0
	VMOVSD  16(R9), X1
	VMOVHPD 24(R9), X1, X1
	VINSERTF128 $1, X1, Y0, Y0
	INRANGE
	EXP4
	VMOVUPD Y0, (R9)
	ADDQ    $4, AX
	JMP     loop

tail:
	MOVQ    BX, R10
	CMPQ    R10, $0
	JEQ     done
	LEAQ    (SI)(AX*8), R9
	VMOVSD  (R9), X0
	CMPQ    R10, $2
	JLT     tailexp
	VMOVHPD 8(R9), X0, X0
	CMPQ    R10, $3
	JLT     tailexp
	VMOVSD  16(R9), X1
	VINSERTF128 $1, X1, Y0, Y0

tailexp:
	INRANGE
	EXP4
	VMOVSD  X0, (R9)
	CMPQ    R10, $2
	JLT     taildone
	VMOVHPD X0, 8(R9)
	CMPQ    R10, $3
	JLT     taildone
	VEXTRACTF128 $1, Y0, X1
	VMOVSD  X1, 16(R9)

taildone:
	MOVQ CX, AX

done:
	VZEROUPPER
	MOVQ AX, ret+40(FP)
	RET
