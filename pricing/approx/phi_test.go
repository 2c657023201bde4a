package approx

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestPhiULP: Phi against Φ computed at 400 bits (bigPhi, the Taylor
// series of the error function), |x| <= 12, where Φ(-12) = 1.8e-33.
// Relative error below 8e-16 on the lower side (x <= 0, where Φ is small
// and every digit counts) and absolute below 2.3e-16 for x > 0 (1 - tail
// rounds to an ulp of 1). Measured: 6.6e-16 (at x = -1.1459) and 1.3e-16.
func TestPhiULP(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	xs := []float64{0, phiThresh, -phiThresh, math.Nextafter(phiThresh, 1), -math.Nextafter(phiThresh, 1),
		phiRoot32, -phiRoot32, math.Nextafter(phiRoot32, 9), -math.Nextafter(phiRoot32, 9), -12, 12,
		-1.1458876430625464}
	for i := 0; i < 600; i++ {
		xs = append(xs, (rng.Float64()*2-1)*12, (rng.Float64()*2-1)*2)
	}
	worstRel, worstAbs := 0.0, 0.0
	for _, x := range xs {
		got := Phi(x)
		want := bigPhi(x)
		w, _ := want.Float64()
		d := new(big.Float).SetPrec(400).SetFloat64(got)
		d.Sub(d, want)
		df, _ := d.Float64()
		if x <= 0 {
			rel := math.Abs(df) / w
			worstRel = math.Max(worstRel, rel)
			if rel > 8e-16 {
				t.Errorf("Phi(%v) = %v, want %v (relative error %.2g)", x, got, w, rel)
			}
		} else {
			worstAbs = math.Max(worstAbs, math.Abs(df))
			if math.Abs(df) > 2.3e-16 {
				t.Errorf("Phi(%v) = %v, want %v (error %.2g)", x, got, w, df)
			}
		}
		if g := PhiWith(x, Gauss(x)); g != got {
			t.Errorf("PhiWith(%v, Gauss) = %v, Phi %v", x, g, got)
		}
	}
	t.Logf("worst relative error for x <= 0: %.3g, worst absolute for x > 0: %.3g (%d points)", worstRel, worstAbs, len(xs))
}

// TestPhi: Phi against 0.5*math.Erfc(-x/√2) over 2 million points of
// [-38.5, 38.5]. The reference itself rounds -x/√2, which moves Φ(x) by up
// to x² ulps in the lower tail (Φ'(x)/Φ(x) ~ |x|), and math.Erfc is off by
// up to an ulp or two, so the bound is relative (8 + x²) 2^-52 for x <= 0 and absolute 2^-52 above, plus 4 of
// the least subnormal (where Φ(x) is subnormal, only absolute error means
// anything).
func TestPhi(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for i := 0; i < 2_000_000; i++ {
		x := (rng.Float64()*2 - 1) * 38.5
		if i%2 == 0 {
			x = (rng.Float64()*2 - 1) * 6
		}
		got, want := Phi(x), 0.5*math.Erfc(-x/math.Sqrt2)
		bound := 0x1p-52
		if x <= 0 {
			bound = (8+x*x)*0x1p-52*want + 4*0x1p-1074
		}
		if !(math.Abs(got-want) <= bound) {
			t.Fatalf("Phi(%v) = %v, math.Erfc gives %v", x, got, want)
		}
	}
}

// TestPhiEdges: NaN, infinities, zeros, subnormals, the far tails, and the
// symmetry Φ(x) + Φ(-x) = 1.
func TestPhiEdges(t *testing.T) {
	cases := []struct{ x, want float64 }{
		{0, 0.5}, {math.Copysign(0, -1), 0.5}, {math.SmallestNonzeroFloat64, 0.5}, {-0x1p-1060, 0.5},
		{math.Inf(1), 1}, {math.Inf(-1), 0}, {40, 1}, {-40, 0}, {1e300, 1}, {-1e300, 0},
		{-math.MaxFloat64, 0}, {math.MaxFloat64, 1}, {9, 1}, {-38.5, 0},
	}
	for _, c := range cases {
		if got := Phi(c.x); got != c.want {
			t.Errorf("Phi(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	if !math.IsNaN(Phi(math.NaN())) || !math.IsNaN(PhiWith(math.NaN(), 1)) {
		t.Error("Phi(NaN) not NaN")
	}
	if g := Phi(-38); !(g > 0 && g < 1e-315) {
		t.Errorf("Phi(-38) = %v, want a positive subnormal", g)
	}
	for x := 0.0; x < 8; x += 0.01 {
		if s := Phi(x) + Phi(-x); math.Abs(s-1) > 0x1p-52 {
			t.Errorf("Phi(%v) + Phi(-%v) = %v", x, x, s)
		}
	}
	for x := -38.0; x < 38; x += 0.001 { // monotone, in [0, 1]
		if a, b := Phi(x), Phi(x+0.001); !(a >= 0 && b <= 1 && a <= b) {
			t.Fatalf("Phi not monotone at %v: %v, %v", x, a, b)
		}
	}
}

// TestGauss: Gauss within 3 ulps of e^(-x²/2) from math.Exp (within 1 ulp)
// of the two exact parts of x² (x2 = x*x and its rounding error), so that
// the reference does not carry the rounding of x² (x²/2 ulps of the
// result).
func TestGauss(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for i := 0; i < 1_000_000; i++ {
		x := (rng.Float64()*2 - 1) * 38
		got := Gauss(x)
		x2 := x * x
		want := math.Exp(-0.5*x2) * math.Exp(-0.5*math.FMA(x, x, -x2))
		if !(math.Abs(got-want) <= 3*ulp(want)) {
			t.Fatalf("Gauss(%v) = %v, want %v (%v ulps)", x, got, want, (got-want)/ulp(want))
		}
	}
	for _, c := range []struct{ x, want float64 }{{0, 1}, {math.Inf(1), 0}, {math.Inf(-1), 0}, {40, math.Exp(-800)}, {1e300, 0}} {
		if got := Gauss(c.x); got != c.want {
			t.Errorf("Gauss(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	if !math.IsNaN(Gauss(math.NaN())) {
		t.Error("Gauss(NaN) not NaN")
	}
}

// FuzzPhi: Phi is in [0, 1], NaN only for NaN, and agrees with math.Erfc
// within the bound of TestPhi.
func FuzzPhi(f *testing.F) {
	for _, x := range []float64{0, 0.66291, -5.656854248, 37.5, -37.5, 1e-310, math.Inf(-1), math.NaN()} {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		got := Phi(x)
		if math.IsNaN(x) {
			if !math.IsNaN(got) {
				t.Fatalf("Phi(NaN) = %v", got)
			}
			return
		}
		if !(got >= 0 && got <= 1) {
			t.Fatalf("Phi(%v) = %v outside [0, 1]", x, got)
		}
		if math.IsInf(x, 0) {
			if want := math.Max(0, math.Copysign(1, x)); got != want {
				t.Fatalf("Phi(%v) = %v", x, got)
			}
			return
		}
		want := 0.5 * math.Erfc(-x/math.Sqrt2)
		bound := 0x1p-52
		if x <= 0 {
			bound = (8+x*x)*0x1p-52*want + 4*0x1p-1074
		}
		if !(math.Abs(got-want) <= bound) {
			t.Fatalf("Phi(%v) = %v, math.Erfc gives %v", x, got, want)
		}
	})
}

// bigPhi returns Φ(x) for |x| <= 12 at 400 bits: 1/2 + (1/√(2π)) Σ
// (-1)^n x^(2n+1) / (2^n n! (2n+1)); the terms peak near e^(x²/2) = 2^104
// at |x| = 12, well inside the precision.
func bigPhi(x float64) *big.Float {
	return bigPhiOf(new(big.Float).SetPrec(400).SetFloat64(x))
}

// bigPhiOf is bigPhi of a 400-bit argument.
func bigPhiOf(bx *big.Float) *big.Float {
	const prec = 400
	nf := func() *big.Float { return new(big.Float).SetPrec(prec) }
	x2 := nf().Mul(bx, bx)
	x2.Quo(x2, nf().SetInt64(-2))
	term := nf().Set(bx) // (-1)^n x^(2n+1) / (2^n n!)
	sum := nf()
	for n := int64(0); n < 2000; n++ {
		sum.Add(sum, nf().Quo(term, nf().SetInt64(2*n+1)))
		term.Mul(term, x2)
		term.Quo(term, nf().SetInt64(n+1))
		if term.Sign() == 0 || n > 10 && term.MantExp(nil) < sum.MantExp(nil)-prec-200 {
			break
		}
	}
	pi, _ := nf().SetString("3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798214808651328230664709384460955058223172535940812848111745028410270193852110555964462294895493038196")
	s2pi := nf().Sqrt(nf().Mul(pi, nf().SetInt64(2)))
	sum.Quo(sum, s2pi)
	return sum.Add(sum, nf().SetFloat64(0.5))
}

// TestGaussBlack: GaussBlack's second value against Gauss(d2) for Black
// inputs fk in [0.2, 5], σ√T in [0.001, 3]: relative difference below
// (4 + d1² + d2²) 2^-52, the rounding of d1 and d2 carried through the
// exponent (Gauss(d2) itself moves by d2² ulps when d2 moves by one); and
// the underflow fallback.
func TestGaussBlack(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for i := 0; i < 1_000_000; i++ {
		fk := math.Exp((rng.Float64()*2 - 1) * math.Log(5))
		sd := 0.001 + rng.Float64()*3
		d1 := Log(fk)/sd + 0.5*sd
		d2 := d1 - sd
		g1, g2 := GaussBlack(d1, d2, fk)
		if g1 != Gauss(d1) {
			t.Fatalf("g1 %v, Gauss %v", g1, Gauss(d1))
		}
		want := Gauss(d2)
		if bound := (4 + d1*d1 + d2*d2) * 0x1p-52 * want; !(math.Abs(g2-want) <= bound) {
			t.Fatalf("fk %v sd %v: g2 = %v, Gauss(d2) = %v", fk, sd, g2, want)
		}
	}
	// d1 = 40 (Gauss underflows), d2 = 1: the second comes from Gauss(d2)
	if _, g2 := GaussBlack(40, 1, math.Exp(799.5)); g2 != Gauss(1) {
		t.Errorf("underflow fallback: g2 = %v, want %v", g2, Gauss(1))
	}
}

// TestBlackPhi: BlackPhi against the 400-bit Φ. In the central range (both
// |d| <= 0.66291, the shared division) the error stays within the bounds
// TestPhiULP holds Phi to (Φ is there between 0.25 and 0.75, so the
// relative and absolute bounds are alike); outside it BlackPhi is exactly
// PhiWith over GaussBlack.
func TestBlackPhi(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	central, worst := 0, 0.0
	for i := 0; i < 4000; i++ {
		fk := math.Exp((rng.Float64()*2 - 1) * math.Log(1.5))
		sd := 0.001 + rng.Float64()*(1.4-float64(i%2))
		d1 := Log(fk)/sd + 0.5*sd
		d2 := d1 - sd
		for _, sign := range []float64{1, -1} {
			a, b := sign*d1, sign*d2
			n1, n2 := BlackPhi(a, b, fk)
			if math.Abs(a) > phiThresh || math.Abs(b) > phiThresh {
				g1, g2 := GaussBlack(a, b, fk)
				if n1 != PhiWith(a, g1) || n2 != PhiWith(b, g2) {
					t.Fatalf("BlackPhi(%v, %v, %v) = %v, %v: not PhiWith over GaussBlack", a, b, fk, n1, n2)
				}
				continue
			}
			central++
			for _, c := range []struct{ x, got float64 }{{a, n1}, {b, n2}} {
				w, _ := bigPhi(c.x).Float64()
				e := math.Abs(c.got-w) / w
				worst = math.Max(worst, e)
				if e > 8e-16 {
					t.Errorf("BlackPhi: Φ(%v) = %v, want %v (relative error %.2g)", c.x, c.got, w, e)
				}
			}
		}
	}
	if central < 1000 {
		t.Fatalf("only %d central pairs: the test does not exercise the shared division", central)
	}
	t.Logf("%d central pairs, worst relative error %.3g", central, worst)
}
