package credit

import (
	"math"

	"github.com/hedgeflow/hedgeflow/pricing/approx"
)

// normCDF is the standard normal distribution function: approx.Phi, within
// about 3 ulps (Cody's rational approximations).
func normCDF(x float64) float64 { return approx.Phi(x) }

// normQuantile is the inverse of normCDF for p in (0, 1), to a relative
// accuracy of about 1e-15 in p down to the smallest p. math.Erfcinv is not
// used: it works on 1 - 2p and loses the lower tail (Erfcinv(2e-300) is
// +Inf). P. J. Acklam's rational approximation (relative error 1.15e-9,
// https://web.archive.org/web/20151030215612/http://home.online.no/~pjacklam/notes/invnorm/)
// refined by a Halley step on normCDF, which is accurate in the lower tail.
func normQuantile(p float64) float64 {
	switch {
	case math.IsNaN(p) || p < 0 || p > 1:
		return math.NaN()
	case p == 0:
		return math.Inf(-1)
	case p == 1:
		return math.Inf(1)
	case p > 0.5:
		return -normQuantile(1 - p)
	}
	const pLow = 0.02425
	var x float64
	if p < pLow {
		q := math.Sqrt(-2 * math.Log(p))
		x = (((((-7.784894002430293e-03*q-3.223964580411365e-01)*q-2.400758277161838e+00)*q-2.549732539343734e+00)*q+4.374664141464968e+00)*q + 2.938163982698783e+00) /
			((((7.784695709041462e-03*q+3.224671290700398e-01)*q+2.445134137142996e+00)*q+3.754408661907416e+00)*q + 1)
	} else {
		q := p - 0.5
		r := q * q
		x = (((((-3.969683028665376e+01*r+2.209460984245205e+02)*r-2.759285104469687e+02)*r+1.383577518672690e+02)*r-3.066479806614716e+01)*r + 2.506628277459239e+00) * q /
			(((((-5.447609879822406e+01*r+1.615858368580409e+02)*r-1.556989798598866e+02)*r+6.680131188771972e+01)*r-1.328068155288572e+01)*r + 1)
	}
	// One Halley step on Φ(x) - p: cubic convergence takes the 1e-9 start to
	// the rounding of x.
	e := normCDF(x) - p
	u := e * math.Sqrt(2*math.Pi) * math.Exp(0.5*x*x)
	return x - u/(1+0.5*x*u)
}

// Gauss-Legendre abscissae (positive half) and weights on [-1, 1] for 6, 12
// and 20 points, as tabulated in Genz's bvnu.
var (
	gl6w  = [...]float64{0.1713244923791705, 0.3607615730481384, 0.4679139345726904}
	gl6x  = [...]float64{0.9324695142031522, 0.6612093864662647, 0.2386191860831970}
	gl12w = [...]float64{0.04717533638651177, 0.1069393259953183, 0.1600783285433464,
		0.2031674267230659, 0.2334925365383547, 0.2491470458134029}
	gl12x = [...]float64{0.9815606342467191, 0.9041172563704750, 0.7699026741943050,
		0.5873179542866171, 0.3678314989981802, 0.1252334085114692}
	gl20w = [...]float64{0.01761400713915212, 0.04060142980038694, 0.06267204833410906,
		0.08327674157670475, 0.1019301198172404, 0.1181945319615184,
		0.1316886384491766, 0.1420961093183821, 0.1491729864726037,
		0.1527533871307259}
	gl20x = [...]float64{0.9931285991850949, 0.9639719272779138, 0.9122344282513259,
		0.8391169718222188, 0.7463319064601508, 0.6360536807265150,
		0.5108670019508271, 0.3737060887154196, 0.2277858511416451,
		0.07652652113349733}
)

// Binormal returns P(X <= a, Y <= b) for standard normals with correlation
// rho in [-1, 1]; absolute error about 1e-15 (Genz 2004, see doc.go).
func Binormal(a, b, rho float64) float64 {
	return bvnu(-a, -b, rho)
}

// bvnu returns P(X > dh, Y > dk), a port of A. Genz's MATLAB bvnu (Drezner
// and Wesolowsky 1990 with Genz's 2004 refinements).
func bvnu(dh, dk, r float64) float64 {
	switch {
	case math.IsNaN(dh) || math.IsNaN(dk) || math.IsNaN(r):
		return math.NaN()
	case math.IsInf(dh, 1) || math.IsInf(dk, 1):
		return 0
	case math.IsInf(dh, -1):
		if math.IsInf(dk, -1) {
			return 1
		}
		return normCDF(-dk)
	case math.IsInf(dk, -1):
		return normCDF(-dh)
	case r == 0:
		return normCDF(-dh) * normCDF(-dk)
	}
	const tp = 2 * math.Pi
	h, k := dh, dk
	hk := h * k
	var w, x []float64
	switch ar := math.Abs(r); {
	case ar < 0.3:
		w, x = gl6w[:], gl6x[:]
	case ar < 0.75:
		w, x = gl12w[:], gl12x[:]
	default:
		w, x = gl20w[:], gl20x[:]
	}
	bvn := 0.0
	if math.Abs(r) < 0.925 {
		hs := (h*h + k*k) / 2
		asr := math.Asin(r) / 2
		for i := range w {
			for _, sgn := range [2]float64{-1, 1} {
				sn := math.Sin(asr * (1 + sgn*x[i]))
				bvn += w[i] * approx.Exp((sn*hk-hs)/(1-sn*sn))
			}
		}
		bvn = bvn*asr/tp + normCDF(-h)*normCDF(-k)
	} else {
		if r < 0 {
			k = -k
			hk = -hk
		}
		if math.Abs(r) < 1 {
			as := 1 - r*r
			a := math.Sqrt(as)
			bs := (h - k) * (h - k)
			asr := -(bs/as + hk) / 2
			c := (4 - hk) / 8
			d := (12 - hk) / 80
			if asr > -100 {
				bvn = a * approx.Exp(asr) * (1 - c*(bs-as)*(1-d*bs)/3 + c*d*as*as)
			}
			if hk > -100 {
				b := math.Sqrt(bs)
				sp := math.Sqrt(tp) * normCDF(-b/a)
				bvn -= approx.Exp(-hk/2) * sp * b * (1 - c*bs*(1-d*bs)/3)
			}
			a /= 2
			sum := 0.0
			for i := range w {
				for _, sgn := range [2]float64{-1, 1} {
					xs := a * (1 + sgn*x[i])
					xs *= xs
					asr := -(bs/xs + hk) / 2
					if asr > -100 {
						sp := 1 + c*xs*(1+5*d*xs)
						rs := math.Sqrt(1 - xs)
						ep := approx.Exp(-(hk/2)*xs/((1+rs)*(1+rs))) / rs
						sum += w[i] * approx.Exp(asr) * (sp - ep)
					}
				}
			}
			bvn = (a*sum - bvn) / tp
		}
		switch {
		case r > 0:
			bvn += normCDF(-math.Max(h, k))
		case h >= k:
			bvn = -bvn
		default:
			var l float64
			if h < 0 {
				l = normCDF(k) - normCDF(h)
			} else {
				l = normCDF(-h) - normCDF(-k)
			}
			bvn = l - bvn
		}
	}
	return math.Max(0, math.Min(1, bvn))
}
