package fx

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func near(got, want, abs, rel float64) bool {
	d := math.Abs(got - want)
	return d <= abs || d <= rel*math.Abs(want)
}

type gkCase struct {
	Spot, Strike, Expiry, Rd, Rf, Vol float64
	Call                              bool
	PV, Delta, Gamma, Vega, Theta     float64
	RhoD                              float64 `json:"rho_d"`
	RhoF                              float64 `json:"rho_f"`
}

// TestGKQuantLib: QuantLib 1.29 AnalyticEuropeanEngine with
// GarmanKohlagenProcess on flat Actual365Fixed curves, expiries a whole
// number of days (pricing/testdata/quantlib/gen.py, fx_gk.json). Tolerance
// 1e-10 relative on every field, or 1e-14 absolute for values near zero
// (QuantLib's normal distribution function is erf-based like ours; both
// round at about 1e-16 absolute).
func TestGKQuantLib(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "testdata", "quantlib", "fx_gk.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Cases []gkCase }
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.Cases) == 0 {
		t.Fatalf("reading cases: %v", err)
	}
	for _, c := range doc.Cases {
		g, err := Option{Strike: c.Strike, Expiry: c.Expiry, Call: c.Call}.Price(Market{Spot: c.Spot, Rd: c.Rd, Rf: c.Rf}, c.Vol)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []struct {
			name      string
			got, want float64
		}{
			{"pv", g.PV, c.PV}, {"delta", g.Delta, c.Delta}, {"gamma", g.Gamma, c.Gamma}, {"vega", g.Vega, c.Vega},
			{"theta", g.Theta, c.Theta}, {"rho_d", g.RhoD, c.RhoD}, {"rho_f", g.RhoF, c.RhoF},
		} {
			if !near(f.got, f.want, 1e-14, 1e-10) {
				t.Errorf("%+v: %s = %.16g, QuantLib %.16g", c, f.name, f.got, f.want)
			}
		}
	}
}

// TestGKHaug: Haug, The Complete Guide to Option Pricing Formulas, 2nd ed.
// (2007), §1.1.6, currency options example: S = 1.56, X = 1.60, T = 0.5,
// r = 6%, rf = 8%, σ = 12%, call value 0.0291 (four decimals printed, so
// tolerance 5e-5).
func TestGKHaug(t *testing.T) {
	g, err := Option{Strike: 1.6, Expiry: 0.5, Call: true}.Price(Market{Spot: 1.56, Rd: 0.06, Rf: 0.08}, 0.12)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(g.PV-0.0291) > 5e-5 {
		t.Errorf("call %v, Haug 0.0291", g.PV)
	}
}

// TestPutCallParity: C - P = S exp(-rf T) - K exp(-rd T), the forward
// contract's value, to rounding; delta, rho and theta parity alike, and
// gamma and vega equal.
func TestPutCallParity(t *testing.T) {
	for _, m := range []Market{{Spot: 1.085, Rd: 0.053, Rf: 0.039}, {Spot: 148.5, Rd: 0.05, Rf: -0.001, Basis: -0.004}} {
		for _, k := range []float64{0.8, 1, 1.25} {
			o := Option{Strike: k * m.Spot, Expiry: 1.3, Call: true}
			c, _ := o.Price(m, 0.11)
			o.Call = false
			p, _ := o.Price(m, 0.11)
			fwd, err := ForwardContract{Strike: o.Strike, Expiry: o.Expiry}.PV(m)
			if err != nil {
				t.Fatal(err)
			}
			rf := m.Rf + m.Basis
			scale := m.Spot
			for _, f := range []struct {
				name      string
				got, want float64
			}{
				{"pv", c.PV - p.PV, fwd},
				{"delta", c.Delta - p.Delta, math.Exp(-rf * o.Expiry)},
				{"gamma", c.Gamma - p.Gamma, 0},
				{"vega", c.Vega - p.Vega, 0},
				{"rho_d", c.RhoD - p.RhoD, o.Expiry * o.Strike * math.Exp(-m.Rd*o.Expiry)},
				{"rho_f", c.RhoF - p.RhoF, -o.Expiry * m.Spot * math.Exp(-rf*o.Expiry)},
				{"theta", c.Theta - p.Theta, rf*m.Spot*math.Exp(-rf*o.Expiry) - m.Rd*o.Strike*math.Exp(-m.Rd*o.Expiry)},
			} {
				if math.Abs(f.got-f.want) > 1e-14*scale {
					t.Errorf("%+v K=%v: %s parity off: %v vs %v", m, k, f.name, f.got, f.want)
				}
			}
		}
	}
}

// TestGreeksFiniteDifference: every greek against a central difference of
// PV (step h, error O(h²) ~ 1e-8 relative with these steps; tolerance 1e-6
// relative).
func TestGreeksFiniteDifference(t *testing.T) {
	m := Market{Spot: 1.27, Rd: 0.052, Rf: 0.041, Basis: 0.001}
	for _, call := range []bool{true, false} {
		for _, k := range []float64{1.1, 1.27, 1.45} {
			o := Option{Strike: k, Expiry: 0.75, Call: call}
			vol := 0.095
			g, _ := o.Price(m, vol)
			pv := func(m Market, o Option, v float64) float64 {
				h, err := o.Price(m, v)
				if err != nil {
					t.Fatal(err)
				}
				return h.PV
			}
			cd := func(f func(x float64) float64, x, h float64) float64 { return (f(x+h) - f(x-h)) / (2 * h) }
			const hs = 1e-4
			checks := []struct {
				name      string
				got, want float64
			}{
				{"delta", g.Delta, cd(func(x float64) float64 { mm := m; mm.Spot = x; return pv(mm, o, vol) }, m.Spot, hs)},
				{"gamma", g.Gamma, (pv(Market{m.Spot + hs, m.Rd, m.Rf, m.Basis}, o, vol) - 2*g.PV + pv(Market{m.Spot - hs, m.Rd, m.Rf, m.Basis}, o, vol)) / (hs * hs)},
				{"vega", g.Vega, cd(func(x float64) float64 { return pv(m, o, x) }, vol, hs)},
				{"theta", g.Theta, -cd(func(x float64) float64 { oo := o; oo.Expiry = x; return pv(m, oo, vol) }, o.Expiry, hs)},
				{"rho_d", g.RhoD, cd(func(x float64) float64 { mm := m; mm.Rd = x; return pv(mm, o, vol) }, m.Rd, hs)},
				{"rho_f", g.RhoF, cd(func(x float64) float64 { mm := m; mm.Rf = x; return pv(mm, o, vol) }, m.Rf, hs)},
			}
			for _, c := range checks {
				if !near(c.got, c.want, 1e-9, 1e-6) {
					t.Errorf("call=%v K=%v: %s = %v, finite difference %v", call, k, c.name, c.got, c.want)
				}
			}
		}
	}
}

func TestOptionErrors(t *testing.T) {
	m := Market{Spot: 1.1, Rd: 0.05, Rf: 0.03}
	o := Option{Strike: 1.1, Expiry: 1, Call: true}
	for name, c := range map[string]struct {
		m   Market
		o   Option
		vol float64
	}{
		"spot 0":     {Market{Spot: 0}, o, 0.1},
		"spot NaN":   {Market{Spot: math.NaN()}, o, 0.1},
		"rd Inf":     {Market{Spot: 1, Rd: math.Inf(1)}, o, 0.1},
		"strike < 0": {m, Option{Strike: -1, Expiry: 1}, 0.1},
		"expiry 0":   {m, Option{Strike: 1, Expiry: 0}, 0.1},
		"vol < 0":    {m, o, -0.1},
		"vol NaN":    {m, o, math.NaN()},
		"vol 0":      {m, o, 0},
	} {
		if _, err := c.o.Price(c.m, c.vol); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := (ForwardContract{Strike: -1, Expiry: 1}).PV(m); err == nil {
		t.Error("negative forward strike accepted")
	}
}

// TestForwardContract: PV = S exp(-rf T) - K exp(-rd T) (the batch
// contract), and zero at the outright forward.
func TestForwardContract(t *testing.T) {
	m := Market{Spot: 1.085, Rd: 0.053, Rf: 0.039, Basis: -0.002}
	f := ForwardContract{Strike: 1.1, Expiry: 0.5}
	pv, err := f.PV(m)
	if err != nil {
		t.Fatal(err)
	}
	want := 1.085*math.Exp(-0.037*0.5) - 1.1*math.Exp(-0.053*0.5)
	// a difference of two terms near 1, each within 2 ulps (exp is not
	// math.Exp): 1e-15 absolute
	if math.Abs(pv-want) > 1e-15 {
		t.Errorf("pv %v, want %v", pv, want)
	}
	f.Strike = m.Forward(f.Expiry)
	if pv, _ := f.PV(m); math.Abs(pv) > 1e-15 {
		t.Errorf("at the forward pv = %v", pv)
	}
}
