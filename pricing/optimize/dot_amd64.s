//go:build !purego

#include "textflag.h"

// DOT4 sums four dot products of the vector at DI, length CX, with the
// rows at R8, R9, R10 and R11, as gonum's DotUnitary (internal/asm/f64,
// dot_amd64.s) sums each: four partial sums s_j of the products, index j
// mod 4, over the groups of four (gonum: two SSE2 registers, here one AVX2
// register per row, lane j = s_j); the one to three products left added in
// turn to s0; then (s1+s3) + (s0+s2). No fused multiply-adds, so each is
// gonum's result bit for bit; four rows at once so that their chains of
// additions overlap. DX must hold CX &^ 3. The sums are left in X5, X6,
// X7 and X8; AX, X0-X4 and X10-X13 are clobbered. Its labels are local to
// the TEXT block that uses it (once each).
#define DOT4 \
	VXORPD       Y0, Y0, Y0          \
	VXORPD       Y1, Y1, Y1          \
	VXORPD       Y2, Y2, Y2          \
	VXORPD       Y3, Y3, Y3          \
	XORQ         AX, AX              \
dotloop:                          \
	CMPQ         AX, DX              \
	JGE          dottail             \
	VMOVUPD      (DI)(AX*8), Y4      \
	VMULPD       (R8)(AX*8), Y4, Y5  \
	VMULPD       (R9)(AX*8), Y4, Y6  \
	VMULPD       (R10)(AX*8), Y4, Y7 \
	VMULPD       (R11)(AX*8), Y4, Y8 \
	VADDPD       Y5, Y0, Y0          \
	VADDPD       Y6, Y1, Y1          \
	VADDPD       Y7, Y2, Y2          \
	VADDPD       Y8, Y3, Y3          \
	ADDQ         $4, AX              \
	JMP          dotloop             \
dottail:                          \
	VEXTRACTF128 $1, Y0, X10         \
	VEXTRACTF128 $1, Y1, X11         \
	VEXTRACTF128 $1, Y2, X12         \
	VEXTRACTF128 $1, Y3, X13         \
tailloop:                         \
	CMPQ         AX, CX              \
	JGE          sums                \
	VMOVSD       (DI)(AX*8), X4      \
	VMULSD       (R8)(AX*8), X4, X5  \
	VMULSD       (R9)(AX*8), X4, X6  \
	VMULSD       (R10)(AX*8), X4, X7 \
	VMULSD       (R11)(AX*8), X4, X8 \
	VADDSD       X5, X0, X0          \
	VADDSD       X6, X1, X1          \
	VADDSD       X7, X2, X2          \
	VADDSD       X8, X3, X3          \
	INCQ         AX                  \
	JMP          tailloop            \
sums:                             \
	VADDPD       X10, X0, X0         \ // (s0+s2, s1+s3)
	VADDPD       X11, X1, X1         \
	VADDPD       X12, X2, X2         \
	VADDPD       X13, X3, X3         \
	VUNPCKHPD    X0, X0, X5          \
	VUNPCKHPD    X1, X1, X6          \
	VUNPCKHPD    X2, X2, X7          \
	VUNPCKHPD    X3, X3, X8          \
	VADDSD       X0, X5, X5          \
	VADDSD       X1, X6, X6          \
	VADDSD       X2, X7, X7          \
	VADDSD       X3, X8, X8

// func dot4AVX2(x, y0, y1, y2, y3 []float64, out *[4]float64)
//
// out[k] = x·yk, each DotUnitary's result bit for bit (DOT4). len(yk) >=
// len(x).
TEXT ·dot4AVX2(SB), NOSPLIT, $0-128
	MOVQ   x_base+0(FP), DI
	MOVQ   x_len+8(FP), CX
	MOVQ   y0_base+24(FP), R8
	MOVQ   y1_base+48(FP), R9
	MOVQ   y2_base+72(FP), R10
	MOVQ   y3_base+96(FP), R11
	MOVQ   out+120(FP), SI
	MOVQ   CX, DX
	ANDQ   $-4, DX
	DOT4
	VMOVSD X5, 0(SI)
	VMOVSD X6, 8(SI)
	VMOVSD X7, 16(SI)
	VMOVSD X8, 24(SI)
	VZEROUPPER
	RET

// func cholColAVX2(a []float64, n, j, rows int, d float64)
//
// Column j of the Cholesky factor below the diagonal, rows j+1 to j+rows
// (rows a multiple of 4), four rows at a time: a[i*n+j] = (a[i*n+j] -
// a[i*n:i*n+j]·a[j*n:j*n+j]) / d, each dot product DotUnitary's (DOT4),
// and the four quotients one VDIVPD, which rounds each lane as a scalar
// division does: cholesky's results bit for bit.
TEXT ·cholColAVX2(SB), NOSPLIT, $0-56
	MOVQ         a_base+0(FP), SI
	MOVQ         n+24(FP), BX
	MOVQ         j+32(FP), CX
	MOVQ         rows+40(FP), R12
	VBROADCASTSD d+48(FP), Y15
	SHLQ         $3, BX         // row stride in bytes
	MOVQ         CX, AX
	IMULQ        BX, AX
	LEAQ         (SI)(AX*1), DI // rowj = &a[j*n]
	LEAQ         (DI)(BX*1), R8 // the first row below: &a[(j+1)*n]
	MOVQ         CX, DX
	ANDQ         $-4, DX

group:
	CMPQ         R12, $0
	JLE          done
	LEAQ         (R8)(BX*1), R9
	LEAQ         (R9)(BX*1), R10
	LEAQ         (R10)(BX*1), R11
	DOT4
	VUNPCKLPD    X6, X5, X5     // (v0, v1)
	VUNPCKLPD    X8, X7, X7     // (v2, v3)
	VINSERTF128  $1, X7, Y5, Y5
	VMOVSD       (R8)(CX*8), X9
	VMOVHPD      (R9)(CX*8), X9, X9
	VMOVSD       (R10)(CX*8), X10
	VMOVHPD      (R11)(CX*8), X10, X10
	VINSERTF128  $1, X10, Y9, Y9
	VSUBPD       Y5, Y9, Y9
	VDIVPD       Y15, Y9, Y9
	VMOVSD       X9, (R8)(CX*8)
	VMOVHPD      X9, (R9)(CX*8)
	VEXTRACTF128 $1, Y9, X10
	VMOVSD       X10, (R10)(CX*8)
	VMOVHPD      X10, (R11)(CX*8)
	LEAQ         (R11)(BX*1), R8
	SUBQ         $4, R12
	JMP          group

done:
	VZEROUPPER
	RET
