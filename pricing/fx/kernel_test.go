package fx

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGKKernel: Price (approx.Log, Gauss, PhiWith, Exp) against the
// Garman-Kohlhagen formulas written with math.Exp, math.Log and math.Erfc,
// over random calls and puts from 60% to 160% of the forward, vols 1% to
// 100%, expiries 1 day to 30 years, rates -2% to 15%. Tolerance 1e-12
// relative or 1e-15 x spot absolute on every field:
// the two differ only by the rounding of their elementary functions.
func TestGKKernel(t *testing.T) {
	phi := func(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
	rng := rand.New(rand.NewPCG(31, 32))
	for i := 0; i < 200_000; i++ {
		m := Market{Spot: 0.5 + 150*rng.Float64(), Rd: -0.02 + 0.17*rng.Float64(), Rf: -0.02 + 0.17*rng.Float64()}
		tt := math.Exp(math.Log(1.0/365) + rng.Float64()*(math.Log(30)-math.Log(1.0/365)))
		vol := 0.01 + 0.99*rng.Float64()
		o := Option{Strike: m.Forward(tt) * (0.6 + rng.Float64()), Expiry: tt, Call: i%2 == 0}
		g, err := o.Price(m, vol)
		if err != nil {
			t.Fatal(err)
		}
		s, k := m.Spot, o.Strike
		dd, df := math.Exp(-m.Rd*tt), math.Exp(-m.Rf*tt)
		sd := vol * math.Sqrt(tt)
		d1 := (math.Log(s/k)+(m.Rd-m.Rf)*tt)/sd + 0.5*sd
		d2 := d1 - sd
		pdf := math.Exp(-0.5*d1*d1) / math.Sqrt(2*math.Pi)
		w := Greeks{Gamma: df * pdf / (s * sd), Vega: s * df * pdf * math.Sqrt(tt)}
		decay := -s * df * pdf * vol / (2 * math.Sqrt(tt))
		if o.Call {
			n1, n2 := phi(d1), phi(d2)
			w.PV, w.Delta = s*df*n1-k*dd*n2, df*n1
			w.Theta = decay + m.Rf*s*df*n1 - m.Rd*k*dd*n2
			w.RhoD, w.RhoF = tt*k*dd*n2, -tt*s*df*n1
		} else {
			n1, n2 := phi(-d1), phi(-d2)
			w.PV, w.Delta = k*dd*n2-s*df*n1, -df*n1
			w.Theta = decay - m.Rf*s*df*n1 + m.Rd*k*dd*n2
			w.RhoD, w.RhoF = -tt*k*dd*n2, tt*s*df*n1
		}
		for _, f := range []struct {
			name      string
			got, want float64
		}{{"pv", g.PV, w.PV}, {"delta", g.Delta, w.Delta}, {"gamma", g.Gamma, w.Gamma}, {"vega", g.Vega, w.Vega},
			{"theta", g.Theta, w.Theta}, {"rho_d", g.RhoD, w.RhoD}, {"rho_f", g.RhoF, w.RhoF}} {
			if !near(f.got, f.want, 1e-15*s, 1e-12) {
				t.Fatalf("%+v %+v vol %v: %s = %.17g, math %.17g", o, m, vol, f.name, f.got, f.want)
			}
		}
	}
}
