package approx

import "math"

// Gauss is e^(-x²/2), the unnormalised normal density, to about 1 ulp: the
// rounding error of x² (up to x²/2 ulps of the result if passed on) is
// recovered exactly by a fused multiply-add and added to the exponential's
// reduced argument. Beyond |x| = 37.39 (e^-699) it is the product of two
// math.Exp, and 0 beyond 38.6.
func Gauss(x float64) float64 {
	x2 := x * x
	lo := math.FMA(x, x, -x2) // x² = x2 + lo exactly
	if !(x2 < 1398) {
		if !(x2 < 1490) {
			return math.Exp(-0.5 * x2) // 0, or NaN for NaN
		}
		return math.Exp(-0.5*x2) * math.Exp(-0.5*lo)
	}
	return expHiLo(-0.5*x2, -0.5*lo)
}

// GaussBlack returns Gauss(d1) and Gauss(d2) for the d1 and d2 = d1 - σ√T
// of a Black formula with forward over strike fk (d1 = log(fk)/(σ√T) +
// σ√T/2), with one exponential: d1² - d2² = 2 log(fk), so Gauss(d2) =
// fk Gauss(d1). The identity holds to the rounding of d1 and d2, which
// moves Φ(d2) no more than that rounding already does (TestGaussBlack
// bounds the difference from Gauss(d2)). When Gauss(d1) is near underflow
// the second is computed on its own.
func GaussBlack(d1, d2, fk float64) (g1, g2 float64) {
	g1 = Gauss(d1)
	if g1 > 0x1p-960 {
		return g1, g1 * fk
	}
	return g1, Gauss(d2)
}

// Phi is Φ(x), the standard normal distribution function, to within about
// 3 ulps: relative error below 8e-16 for x <= 0 and absolute below 2.3e-16
// for x > 0 (measured 6.6e-16 and 1.3e-16 against a 400-bit reference, see
// TestPhiULP; 0.5*math.Erfc(-x/√2) is off by up to (1+x²) ulps in the
// lower tail, from rounding x/√2), about twice as fast as 0.5*math.Erfc(-x/√2). W. J. Cody's rational
// Chebyshev approximations of ANORM (ACM TOMS Algorithm 715, 1993), which
// approximate Φ to 18 significant digits before rounding:
//
//	|x| <= 0.66291:       Φ = 1/2 + x P₄(x²)/Q₄(x²)
//	0.66291 < |x| <= √32: Φ(-|x|) = e^(-x²/2) P₈(|x|)/Q₈(|x|)
//	|x| > √32:            Φ(-|x|) = e^(-x²/2)/|x| (1/√(2π) - P₅(1/x²)/(x² Q₅(1/x²)))
//
// with Φ(x) = 1 - Φ(-x) for x > 0. Cody's e^(-x²/2) is the product of two
// exponentials to keep the rounding of x² out; Gauss does that with one.
func Phi(x float64) float64 {
	if !(math.Abs(x) > phiThresh) {
		return phiCentral(x)
	}
	return PhiWith(x, Gauss(x))
}

// PhiWith is Phi(x) for a caller that already holds g = Gauss(x), as every
// option formula does for the density φ(x) = g/√(2π): it saves the
// exponential. g is not read for |x| <= 0.66291.
func PhiWith(x, g float64) float64 {
	y := math.Abs(x)
	if !(y > phiThresh) { // also NaN
		return phiCentral(x)
	}
	var tail float64 // Φ(-y)
	switch {
	case y <= phiRoot32:
		// Cody's Horner forms c8 y⁸ + c0 y⁷ + ... + c6 y + c7 and
		// y⁸ + d0 y⁷ + ... + d6 y + d7, by Estrin's scheme (half the
		// dependency chain)
		y2 := y * y
		y4 := y2 * y2
		num := ((cC7 + cC6*y) + y2*(cC5+cC4*y)) + y4*((cC3+cC2*y)+y2*(cC1+cC0*y)) + (y4*y4)*cC8
		den := ((cD7 + cD6*y) + y2*(cD5+cD4*y)) + y4*((cD3+cD2*y)+y2*(cD1+cD0*y)) + y4*y4
		tail = g * num / den
	case y < 38.5: // Φ(-38.5) = 1e-324, below the least subnormal
		const (
			p0 = 2.1589853405795699e-1
			p1 = 1.274011611602473639e-1
			p2 = 2.2235277870649807e-2
			p3 = 1.421619193227893466e-3
			p4 = 2.9112874951168792e-5
			p5 = 2.307344176494017303e-2
			q0 = 1.28426009614491121e00
			q1 = 4.68238212480865118e-1
			q2 = 6.59881378689285515e-2
			q3 = 3.78239633202758244e-3
			q4 = 7.29751555083966205e-5
		)
		iy := 1 / y
		s := iy * iy
		num := s * (p4 + s*(p3+s*(p2+s*(p1+s*(p0+s*p5)))))
		den := q4 + s*(q3+s*(q2+s*(q1+s*(q0+s))))
		tail = g * (invSqrt2Pi - num/den) * iy
	}
	if x > 0 {
		return 1 - tail
	}
	return tail
}

// Cody's coefficients for 0.66291 < y <= √32: Φ(-y) = e^(-y²/2) P₈(y)/Q₈(y)
// (PhiWith, and the four-lane copy in blackTable).
const (
	cC0 = 3.9894151208813466764e-1
	cC1 = 8.8831497943883759412e00
	cC2 = 9.3506656132177855979e01
	cC3 = 5.9727027639480026226e02
	cC4 = 2.4945375852903726711e03
	cC5 = 6.8481904505362823326e03
	cC6 = 1.1602651437647350124e04
	cC7 = 9.8427148383839780218e03
	cC8 = 1.0765576773720192317e-8
	cD0 = 2.2266688044328115691e01
	cD1 = 2.3538790178262499861e02
	cD2 = 1.5193775994075548050e03
	cD3 = 6.4855582982667607550e03
	cD4 = 1.8615571640885098091e04
	cD5 = 3.4900952721145977266e04
	cD6 = 3.8912003286093271411e04
	cD7 = 1.9685429676859990727e04
)

const (
	phiThresh  = 0.66291
	phiRoot32  = 5.656854248
	invSqrt2Pi = 0.3989422804014327 // 1/√(2π)
)

// phiCentral is Φ(x) for |x| <= 0.66291 (and NaN for NaN).
func phiCentral(x float64) float64 {
	num, den := centralRatio(x * x)
	return 0.5 + x*num/den
}

// centralRatio returns Cody's P₄(s) and Q₄(s), s = x², for the central
// range: Φ(x) = 1/2 + x P₄/Q₄ (Estrin's scheme).
func centralRatio(s float64) (num, den float64) {
	s2 := s * s
	num = (cA3 + cA2*s) + s2*((cA1+cA0*s)+s2*cA4)
	den = (cB3 + cB2*s) + s2*((cB1+cB0*s)+s2)
	return num, den
}

// Cody's central coefficients: Φ(x) = 1/2 + x P₄(x²)/Q₄(x²) with
// P₄(s) = cA4 s⁴ + cA0 s³ + cA1 s² + cA2 s + cA3 and
// Q₄(s) = s⁴ + cB0 s³ + cB1 s² + cB2 s + cB3 (centralRatio, and the
// four-lane copy in blackTable).
const (
	cA0 = 2.2352520354606839287e00
	cA1 = 1.6102823106855587881e02
	cA2 = 1.0676894854603709582e03
	cA3 = 1.8154981253343561249e04
	cA4 = 6.5682337918207449113e-2
	cB0 = 4.7202581904688241870e01
	cB1 = 9.7609855173777669322e02
	cB2 = 1.0260932208618978205e04
	cB3 = 4.5507789335026729956e04
)

// BlackPhi returns Φ(d1) and Φ(d2) for the d1 and d2 = d1 - σ√T of a Black
// formula with forward over strike fk (for a put, pass -d1, -d2 and the same
// fk: Gauss is even). When both lie in Cody's central range |x| <= 0.66291,
// where Φ needs no exponential, the two rational functions share one
// division, 1/(den₁ den₂): at most two more roundings of a term below 0.25,
// a few ulps (TestBlackPhi). Otherwise it is PhiWith over GaussBlack: one
// exponential for both.
func BlackPhi(d1, d2, fk float64) (n1, n2 float64) {
	if math.Abs(d1) <= phiThresh && math.Abs(d2) <= phiThresh {
		num1, den1 := centralRatio(d1 * d1)
		num2, den2 := centralRatio(d2 * d2)
		r := 1 / (den1 * den2)
		return 0.5 + d1*(num1*den2*r), 0.5 + d2*(num2*den1*r)
	}
	g1, g2 := GaussBlack(d1, d2, fk)
	return PhiWith(d1, g1), PhiWith(d2, g2)
}
