package approx

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// bigBlack is Black's undiscounted value at 400 bits, log(f/k) at 256
// (log f - log k, bigLog), and the size of its terms, f Φ(±d1) + k Φ(±d2).
func bigBlack(f, k, sd float64, call bool) (v, terms float64) {
	nf := func() *big.Float { return new(big.Float).SetPrec(400) }
	bf, bk, bsd := nf().SetFloat64(f), nf().SetFloat64(k), nf().SetFloat64(sd)
	d1 := nf().Quo(nf().Sub(bigLog(f), bigLog(k)), bsd)
	d1.Add(d1, nf().Quo(bsd, nf().SetInt64(2)))
	d2 := nf().Sub(d1, bsd)
	if !call {
		d1.Neg(d1)
		d2.Neg(d2)
	}
	t1, t2 := nf().Mul(bf, bigPhiOf(d1)), nf().Mul(bk, bigPhiOf(d2))
	bv := nf().Sub(t1, t2)
	if !call {
		bv.Neg(bv)
	}
	v, _ = bv.Float64()
	terms, _ = t1.Add(t1, t2).Float64()
	return v, terms
}

// blackPath names the kernel's path for d1 and d2 (black_amd64.s): both
// in Cody's central range, both with |d/√2| below fdlibm's 0.84375 or
// 1.25, both within Cody's middle range, or blackGo.
func blackPath(d1, d2 float64) int {
	reg := func(d float64) int {
		x := math.Abs(d) / math.Sqrt2
		switch {
		case math.Abs(d) <= phiThresh:
			return 0
		case x < 0.84375:
			return 1
		case x < 1.25:
			return 2
		case math.Abs(d) <= phiRoot32:
			return 3
		}
		return 4
	}
	return max(reg(d1), reg(d2))
}

// TestBlack: Black, and blackGo beside it, against the 400-bit value for
// forwards of 0.5% to 10%, σ√T of 0.001 to 1.4 (log-uniform) and strikes
// within a factor 1.5 and 9 σ√T, calls and puts: 1,000 near the money and
// 3,000 beyond, so that every path of the kernel runs a few hundred times. The
// error is bounded by 2^-50 (8.9e-16) of the size of the terms, f Φ(±d1) +
// k Φ(±d2): the difference cancels, so each term's few roundings count at
// the size of the terms, which is f + k in the money and the option's own
// size far out of it (measured: 4.0e-16 for the kernel, 3.9e-16 for
// blackGo; QuantLib's blackFormula has the same cancellation). With FMA
// the kernel must have computed the cases in its ranges: it rounds
// differently from blackGo, so some results differ.
func TestBlack(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	var paths [5]int
	differ := 0
	worst := [2]float64{}
	for i := 0; i < 4000; i++ {
		f := 0.005 + rng.Float64()*0.095
		sd := 0.001 * math.Pow(1400, rng.Float64()) // log-uniform in [0.001, 1.4]
		// |log(f/k)| up to 9 sd, at most log 1.5 (bigPhiOf's series is
		// exact to |d| of about 12); near the money, both d central
		m := math.Min(9*sd, math.Log(1.5))
		if i%4 == 0 {
			sd = 0.001 + rng.Float64()*1.2
			m = 0.1 * sd
		}
		k := f * math.Exp((rng.Float64()*2-1)*m)
		lg := math.Log(f / k)
		paths[blackPath(lg/sd+0.5*sd, lg/sd-0.5*sd)]++
		for _, call := range []bool{true, false} {
			want, terms := bigBlack(f, k, sd, call)
			got, gotGo := Black(f, k, sd, call), blackGo(f, k, sd, call)
			if got != gotGo {
				differ++
			}
			for j, g := range []float64{got, gotGo} {
				e := math.Abs(g-want) / terms
				worst[j] = math.Max(worst[j], e)
				if !(e <= 0x1p-50) {
					t.Errorf("path %d: Black(%v, %v, %v, %v) = %v, want %v (error %.3g of the terms)", j, f, k, sd, call, g, want, e)
				}
			}
		}
	}
	for p, n := range paths {
		if n < 100 {
			t.Errorf("only %d cases on the kernel's path %d (of 0-4)", n, p)
		}
	}
	if hasFMA && differ == 0 {
		t.Errorf("with FMA, no result differs from blackGo's: the kernel did not run")
	}
	t.Logf("cases by path (central, erf near, erf far, middle, blackGo): %v; %d results differ between Black and blackGo; "+
		"worst error %.3g (Black), %.3g (blackGo) of the terms", paths, differ, worst[0], worst[1])
}

// TestBlackEdges: Black where the kernel's ranges end (d1 or d2 beyond
// √32, f/k subnormal or huge, sd tiny or huge, the central bound, erf's
// bounds) and around them: within 2^-51 (f + k) of blackGo, and blackGo's value
// exactly where the kernel hands over; finite and within [0, f] for a
// call and [0, k] for a put.
func TestBlackEdges(t *testing.T) {
	for _, c := range []struct{ f, k, sd float64 }{
		{0.04, 0.045, 0.6}, {0.04, 0.02, 0.2}, {0.04, 0.08, 3}, {1e-300, 1e10, 0.3}, {1e300, 1e-10, 0.3},
		{5e-324, 1, 0.5}, {1, 1, 1e-300}, {1, 1, 1e300}, {0.03, 0.03, 0.66291 * 2}, {0.03, 0.03, 0.66291*2 + 1e-12},
		{0.03, 0.03, phiRoot32 * 2}, {0.03, 0.03, phiRoot32*2 + 1e-9}, {0.04, 0.02, 0.1195}, {0.04, 0.02, 0.12},
		// at the money, x = ±sd/(2√2): fdlibm's bounds 0.84375 and 1.25
		{0.03, 0.03, 2 * math.Sqrt2 * 0.84375}, {0.03, 0.03, 2*math.Sqrt2*0.84375 + 1e-12},
		{0.03, 0.03, 2 * math.Sqrt2 * 1.25}, {0.03, 0.03, 2*math.Sqrt2*1.25 + 1e-12},
	} {
		for _, call := range []bool{true, false} {
			got, want := Black(c.f, c.k, c.sd, call), blackGo(c.f, c.k, c.sd, call)
			lg := math.Log(c.f / c.k)
			d1, d2 := lg/c.sd+0.5*c.sd, lg/c.sd-0.5*c.sd
			handed := !(math.Abs(d1) <= phiRoot32 && math.Abs(d2) <= phiRoot32)
			if handed && got != want || !(math.Abs(got-want) <= 0x1p-51*(c.f+c.k)) {
				t.Errorf("Black(%v, %v, %v, %v) = %v, blackGo %v (d1 %v, d2 %v)", c.f, c.k, c.sd, call, got, want, d1, d2)
			}
			hi := c.f
			if !call {
				hi = c.k
			}
			if !(got >= -1e-15*(c.f+c.k) && got <= hi) {
				t.Errorf("Black(%v, %v, %v, %v) = %v: outside [0, %v]", c.f, c.k, c.sd, call, got, hi)
			}
		}
	}
}

// FuzzBlack: for any forward and strike in (1e-100, 1e100) and sd in
// (1e-100, 1e100), Black is finite, between its no-arbitrage bounds
// (max(f-k, 0) and f for a call, max(k-f, 0) and k for a put, less a few
// roundings of f + k), and within 2^-50 (f + k) of blackGo: the kernel
// and the Go formula agree on every path.
func FuzzBlack(f *testing.F) {
	for _, c := range [][3]float64{{0.04, 0.045, 0.6}, {0.04, 0.06, 0.6}, {0.04, 0.1, 0.6}, {0.04, 0.14, 0.6}, {0.04, 0.3, 0.6},
		{1, 1, 1e-8}, {1, 1, 50}, {1e-90, 1e90, 1}} {
		f.Add(c[0], c[1], c[2], true)
		f.Add(c[0], c[1], c[2], false)
	}
	f.Fuzz(func(t *testing.T, fw, k, sd float64, call bool) {
		in := func(x float64) bool { return x > 1e-100 && x < 1e100 }
		if !in(fw) || !in(k) || !in(sd) {
			return
		}
		got, want := Black(fw, k, sd, call), blackGo(fw, k, sd, call)
		tol := 0x1p-50 * (fw + k)
		lo, hi := math.Max(fw-k, 0), fw
		if !call {
			lo, hi = math.Max(k-fw, 0), k
		}
		if math.IsNaN(got) || math.IsInf(got, 0) || got < lo-tol || got > hi+tol {
			t.Fatalf("Black(%v, %v, %v, %v) = %v, outside [%v, %v]", fw, k, sd, call, got, lo, hi)
		}
		if !(math.Abs(got-want) <= tol) {
			t.Fatalf("Black(%v, %v, %v, %v) = %v, blackGo %v", fw, k, sd, call, got, want)
		}
	})
}
