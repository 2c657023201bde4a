package equity

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

// TestBSQuantLib: QuantLib 1.29 AnalyticEuropeanEngine with
// BlackScholesMertonProcess on flat Actual365Fixed curves, whole-day
// expiries (pricing/testdata/quantlib/gen.py, equity_bs.json). Tolerance
// 1e-10 relative (1e-11 absolute for values near zero, on index levels of
// 1e3-1e4).
func TestBSQuantLib(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "testdata", "quantlib", "equity_bs.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []struct {
			Spot, Strike, Expiry, Rate, Div, Vol float64
			Call                                 bool
			PV, Delta, Gamma, Vega, Theta        float64
			RhoR                                 float64 `json:"rho_r"`
			RhoQ                                 float64 `json:"rho_q"`
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.Cases) == 0 {
		t.Fatalf("reading cases: %v", err)
	}
	for _, c := range doc.Cases {
		g, err := Option{Strike: c.Strike, Expiry: c.Expiry, Call: c.Call}.Price(Market{Spot: c.Spot, Rate: c.Rate, Div: c.Div}, c.Vol)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []struct {
			name      string
			got, want float64
		}{
			{"pv", g.PV, c.PV}, {"delta", g.Delta, c.Delta}, {"gamma", g.Gamma, c.Gamma}, {"vega", g.Vega, c.Vega},
			{"theta", g.Theta, c.Theta}, {"rho", g.Rho, c.RhoR}, {"rho_div", g.RhoDiv, c.RhoQ},
		} {
			if !near(f.got, f.want, 1e-11, 1e-10) {
				t.Errorf("%+v: %s = %.16g, QuantLib %.16g", c, f.name, f.got, f.want)
			}
		}
	}
}

// TestBSHull: J. Hull, Options, Futures, and Other Derivatives, 8th ed.:
// Example 17.1, a 2-month call on an index at 930, strike 900, r 8%, q 3%,
// vol 20%: 51.83; §15.9 example, S 42, K 40, r 10%, vol 20%, 6 months: call
// 4.76, put 0.81. Printed to the cent: tolerance 0.005.
func TestBSHull(t *testing.T) {
	for _, c := range []struct {
		m    Market
		o    Option
		vol  float64
		want float64
	}{
		{Market{930, 0.08, 0.03}, Option{900, 2.0 / 12, true}, 0.2, 51.83},
		{Market{42, 0.1, 0}, Option{40, 0.5, true}, 0.2, 4.76},
		{Market{42, 0.1, 0}, Option{40, 0.5, false}, 0.2, 0.81},
	} {
		g, err := c.o.Price(c.m, c.vol)
		if err != nil || math.Abs(g.PV-c.want) > 0.005 {
			t.Errorf("%+v %+v: %v (%v), Hull %v", c.m, c.o, g.PV, err, c.want)
		}
	}
}

// TestBSParityAndDifferences: put-call parity C - P = S e^{-qT} - K e^{-rT}
// and every greek against a central difference (tolerance 1e-6 relative).
func TestBSParityAndDifferences(t *testing.T) {
	m := Market{Spot: 4780, Rate: 0.045, Div: 0.015}
	pv := func(m Market, o Option, v float64) float64 {
		g, err := o.Price(m, v)
		if err != nil {
			t.Fatal(err)
		}
		return g.PV
	}
	for _, k := range []float64{4000, 4800, 5500} {
		c := Option{Strike: k, Expiry: 1.5, Call: true}
		p := Option{Strike: k, Expiry: 1.5}
		want := m.Spot*math.Exp(-m.Div*1.5) - k*math.Exp(-m.Rate*1.5)
		if got := pv(m, c, 0.18) - pv(m, p, 0.18); math.Abs(got-want) > 1e-10 {
			t.Errorf("K=%v: C-P %v, want %v", k, got, want)
		}
		for _, o := range []Option{c, p} {
			g, _ := o.Price(m, 0.18)
			h := 1e-4
			cd := func(f func(x float64) float64, x, h float64) float64 { return (f(x+h) - f(x-h)) / (2 * h) }
			for _, f := range []struct {
				name      string
				got, want float64
			}{
				{"delta", g.Delta, cd(func(x float64) float64 { mm := m; mm.Spot = x; return pv(mm, o, 0.18) }, m.Spot, 0.01)},
				{"gamma", g.Gamma, (pv(Market{m.Spot + 1, m.Rate, m.Div}, o, 0.18) - 2*g.PV + pv(Market{m.Spot - 1, m.Rate, m.Div}, o, 0.18))},
				{"vega", g.Vega, cd(func(x float64) float64 { return pv(m, o, x) }, 0.18, h)},
				{"theta", g.Theta, -cd(func(x float64) float64 { oo := o; oo.Expiry = x; return pv(m, oo, 0.18) }, o.Expiry, h)},
				{"rho", g.Rho, cd(func(x float64) float64 { mm := m; mm.Rate = x; return pv(mm, o, 0.18) }, m.Rate, h)},
				{"rho_div", g.RhoDiv, cd(func(x float64) float64 { mm := m; mm.Div = x; return pv(mm, o, 0.18) }, m.Div, h)},
			} {
				if !near(f.got, f.want, 1e-9, 1e-6) {
					t.Errorf("%+v: %s = %v, difference %v", o, f.name, f.got, f.want)
				}
			}
		}
	}
	if _, err := (Option{Strike: 1, Expiry: 1}).Price(m, -0.1); err == nil {
		t.Error("negative vol accepted")
	}
}

func TestByCurrency(t *testing.T) {
	got, err := ByCurrency([]Position{
		{"SPX", "USD", 10}, {"SX5E", "EUR", 20}, {"NDX", "USD", -2}, {"UKX", "GBP", 5},
	}, map[string]float64{"SPX": 4780, "SX5E": 4500, "NDX": 16800, "UKX": 7700})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"USD": 47800 - 33600, "EUR": 90000, "GBP": 38500}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %v, want %v", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %v", got)
	}
	if _, err := ByCurrency([]Position{{"SPX", "USD", 1}}, nil); err == nil {
		t.Error("missing level accepted")
	}
	if _, err := ByCurrency([]Position{{"SPX", "USD", 1}}, map[string]float64{"SPX": -1}); err == nil {
		t.Error("negative level accepted")
	}
}

var sink float64

// BenchmarkBS: one Black-Scholes price with all greeks.
func BenchmarkBS(b *testing.B) {
	o := Option{Strike: 4800, Expiry: 0.25, Call: true}
	m := Market{Spot: 4780, Rate: 0.053, Div: 0.015}
	for b.Loop() {
		g, _ := o.Price(m, 0.14)
		sink += g.PV + g.Delta
	}
}
