package batch

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readQL(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "quantlib", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// priceOK prices line and decodes the result into a map, failing the test
// on an error line or a missing key.
func priceOK(t *testing.T, line string, keys ...string) map[string]float64 {
	t.Helper()
	out, ok := Price([]byte(line))
	if !ok {
		t.Fatalf("%s: %s", line, out)
	}
	var m map[string]float64
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("%s: %s: %v", line, out, err)
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Fatalf("%s: %s has no %q", line, out, k)
		}
	}
	if len(m) != len(keys) {
		t.Fatalf("%s: %s: want exactly %v", line, out, keys)
	}
	return m
}

func near(got, want, abs, rel float64) bool {
	d := math.Abs(got - want)
	return d <= abs || d <= rel*math.Abs(want)
}

// TestFXOptionKindQuantLib: every case of fx_gk.json (QuantLib 1.29,
// AnalyticEuropeanEngine with GarmanKohlagenProcess; gen.py) through the
// batch contract. Tolerance 1e-10 relative (1e-14 absolute near zero).
// Inputs are printed with %v, which round-trips float64 exactly.
func TestFXOptionKindQuantLib(t *testing.T) {
	var doc struct {
		Cases []struct {
			Spot, Strike, Expiry, Rd, Rf, Vol float64
			Call                              bool
			PV, Delta, Vega                   float64
		}
	}
	readQL(t, "fx_gk.json", &doc)
	if len(doc.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range doc.Cases {
		line := fmt.Sprintf(`{"kind":"fx_option","spot":%v,"strike":%v,"expiry":%v,"rd":%v,"rf":%v,"vol":%v,"call":%v}`,
			c.Spot, c.Strike, c.Expiry, c.Rd, c.Rf, c.Vol, c.Call)
		m := priceOK(t, line, "pv", "delta", "vega")
		if !near(m["pv"], c.PV, 1e-14, 1e-10) || !near(m["delta"], c.Delta, 1e-14, 1e-10) || !near(m["vega"], c.Vega, 1e-14, 1e-10) {
			t.Errorf("%s: %v, QuantLib pv %v delta %v vega %v", line, m, c.PV, c.Delta, c.Vega)
		}
	}
}

// TestFXForwardKind: pv = spot exp(-rf T) - strike exp(-rd T), the
// contract's formula, to 1e-15.
func TestFXForwardKind(t *testing.T) {
	m := priceOK(t, `{"kind":"fx_forward","spot":1.085,"strike":1.1,"expiry":0.75,"rd":0.053,"rf":0.039}`, "pv")
	want := 1.085*math.Exp(-0.039*0.75) - 1.1*math.Exp(-0.053*0.75)
	if math.Abs(m["pv"]-want) > 1e-15 {
		t.Errorf("pv %v, want %v", m["pv"], want)
	}
}

// TestSwaptionKindQuantLib: swaption.json (QuantLib 1.29
// bachelierBlackFormula and blackFormula; gen.py), both models. Tolerance
// 1e-10 relative.
func TestSwaptionKindQuantLib(t *testing.T) {
	var doc struct {
		Cases []struct {
			Forward, Strike, Expiry, Annuity float64
			NormalVol                        float64 `json:"normal_vol"`
			LognormalVol                     float64 `json:"lognormal_vol"`
			Payer                            bool
			Normal, Lognormal                float64
		}
	}
	readQL(t, "swaption.json", &doc)
	if len(doc.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range doc.Cases {
		for _, mv := range []struct {
			model     string
			vol, want float64
		}{{"normal", c.NormalVol, c.Normal}, {"lognormal", c.LognormalVol, c.Lognormal}} {
			line := fmt.Sprintf(`{"kind":"swaption","forward":%v,"strike":%v,"expiry":%v,"annuity":%v,"vol":%v,"model":%q,"payer":%v}`,
				c.Forward, c.Strike, c.Expiry, c.Annuity, mv.vol, mv.model, c.Payer)
			m := priceOK(t, line, "pv")
			if !near(m["pv"], mv.want, 1e-16, 1e-10) {
				t.Errorf("%s: %v, QuantLib %v", line, m["pv"], mv.want)
			}
		}
	}
}

// TestSwapKindQuantLib: swap.json (QuantLib 1.29 VanillaSwap on a flat
// curve, accruals exactly 1/freq; gen.py). Tolerance 1e-10 relative (1e-15
// absolute for pv and dv01 near zero).
func TestSwapKindQuantLib(t *testing.T) {
	var doc struct {
		Cases []struct {
			FixedRate   float64 `json:"fixed_rate"`
			Tenor, Freq float64
			ZeroRate    float64 `json:"zero_rate"`
			Payer       bool
			PV          float64
			ParRate     float64 `json:"par_rate"`
			DV01        float64
		}
	}
	readQL(t, "swap.json", &doc)
	if len(doc.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range doc.Cases {
		line := fmt.Sprintf(`{"kind":"swap","fixed_rate":%v,"tenor":%v,"freq":%v,"zero_rate":%v,"payer":%v}`,
			c.FixedRate, c.Tenor, c.Freq, c.ZeroRate, c.Payer)
		m := priceOK(t, line, "pv", "par_rate", "dv01")
		if !near(m["pv"], c.PV, 1e-15, 1e-10) || !near(m["par_rate"], c.ParRate, 0, 1e-10) || !near(m["dv01"], c.DV01, 1e-15, 1e-9) {
			t.Errorf("%s: %v, QuantLib %+v", line, m, c)
		}
	}
}

// TestSwapKindByHand: the contract's definition written out term by term
// for one case (5y annual receiver): exact to rounding.
func TestSwapKindByHand(t *testing.T) {
	m := priceOK(t, `{"kind":"swap","fixed_rate":0.04,"tenor":5,"freq":1,"zero_rate":0.03,"payer":false}`, "pv", "par_rate", "dv01")
	pv := func(r float64) float64 {
		a := 0.0
		for i := 1; i <= 5; i++ {
			a += math.Exp(-r * float64(i))
		}
		return 0.04*a - (1 - math.Exp(-5*r))
	}
	a := 0.0
	for i := 1; i <= 5; i++ {
		a += math.Exp(-0.03 * float64(i))
	}
	if !near(m["pv"], pv(0.03), 0, 1e-13) || !near(m["par_rate"], (1-math.Exp(-0.15))/a, 0, 1e-13) || !near(m["dv01"], pv(0.0301)-pv(0.03), 0, 1e-9) {
		t.Errorf("got %v, want pv %v par %v dv01 %v", m, pv(0.03), (1-math.Exp(-0.15))/a, pv(0.0301)-pv(0.03))
	}
}

// TestBondKindQuantLib: bond.json (QuantLib 1.29 BondFunctions; gen.py).
// Tolerance 1e-10 relative.
func TestBondKindQuantLib(t *testing.T) {
	var doc struct {
		Cases []struct {
			Coupon, Maturity, Freq, Yield float64
			Price                         float64
			ModDur                        float64 `json:"modified_duration"`
			Convexity                     float64
		}
	}
	readQL(t, "bond.json", &doc)
	if len(doc.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range doc.Cases {
		line := fmt.Sprintf(`{"kind":"bond","coupon":%v,"maturity":%v,"freq":%v,"yield":%v}`, c.Coupon, c.Maturity, c.Freq, c.Yield)
		m := priceOK(t, line, "price", "modified_duration", "convexity")
		if !near(m["price"], c.Price, 0, 1e-10) || !near(m["modified_duration"], c.ModDur, 0, 1e-10) || !near(m["convexity"], c.Convexity, 0, 1e-10) {
			t.Errorf("%s: %v, QuantLib %+v", line, m, c)
		}
	}
}

// TestFXRatesKindErrors: every bad field is named in the error.
func TestFXRatesKindErrors(t *testing.T) {
	opt := `"kind":"fx_option","spot":1.085,"strike":1.1,"expiry":0.5,"rd":0.053,"rf":0.039,"vol":0.075,"call":true`
	fwd := `"kind":"fx_forward","spot":1.085,"strike":1.1,"expiry":0.5,"rd":0.053,"rf":0.039`
	swn := `"kind":"swaption","forward":0.04,"strike":0.045,"expiry":5,"annuity":7.5,"vol":0.011,"model":"normal","payer":true`
	swp := `"kind":"swap","fixed_rate":0.03,"tenor":30,"freq":2,"zero_rate":0.037,"payer":true`
	bnd := `"kind":"bond","coupon":0.05,"maturity":10,"freq":2,"yield":0.045`
	rep := func(base, old, new string) string {
		if !strings.Contains(base, old) {
			t.Fatalf("%q not in %s", old, base)
		}
		return "{" + strings.Replace(base, old, new, 1) + "}"
	}
	for _, c := range []struct{ line, want string }{
		{rep(opt, `"vol":0.075`, `"vol":-0.1`), "vol: must be positive, got -0.1"},
		{rep(opt, `"vol":0.075`, `"vol":0`), "vol: must be positive, got 0"},
		{rep(opt, `,"vol":0.075`, ``), "vol: missing"},
		{rep(opt, `"vol":0.075`, `"vol":null`), "vol: missing"},
		{rep(opt, `"spot":1.085`, `"spot":"1.085"`), `spot: must be a number, got string`},
		{rep(opt, `"expiry":0.5`, `"expiry":-1`), "expiry: must be positive, got -1"},
		{rep(opt, `"expiry":0.5`, `"expiry":1e400`), "expiry: must be a number, got number 1e400"},
		{rep(opt, `"rd":0.053`, `"rd":5`), "rd: must be in [-1, 1], got 5"},
		{rep(opt, `"strike":1.1`, `"strike":0`), "strike: must be positive, got 0"},
		{rep(opt, `"call":true`, `"call":1`), "call: must be true or false, got number"},
		{rep(opt, `,"call":true`, ``), "call: missing"},
		{rep(fwd, `"rf":0.039`, `"rf":[0.039]`), "rf: must be a number, got array"},
		{rep(fwd, `"expiry":0.5`, `"expiry":-0.5`), "expiry: must be >= 0, got -0.5"},
		{rep(fwd, `,"spot":1.085`, ``), "spot: missing"},
		{rep(swn, `"model":"normal"`, `"model":"sabr"`), `model: must be normal or lognormal, got "sabr"`},
		{rep(swn, `,"model":"normal"`, ``), "model: missing"},
		{rep(swn, `"annuity":7.5`, `"annuity":-1`), "annuity: must be >= 0, got -1"},
		{rep(swn, `"vol":0.011`, `"vol":-0.01`), "vol: must be positive, got -0.01"},
		{rep(strings.Replace(swn, `"normal"`, `"lognormal"`, 1), `"forward":0.04`, `"forward":-0.01`), "forward: must be positive, got -0.01"},
		{rep(swn, `"payer":true`, `"payer":"yes"`), "payer: must be true or false, got string"},
		{rep(swp, `"freq":2`, `"freq":2.5`), "freq: must be an integer from 1 to 12, got 2.5"},
		{rep(swp, `"freq":2`, `"freq":0`), "freq: must be an integer from 1 to 12, got 0"},
		{rep(swp, `"tenor":30`, `"tenor":30.3`), "tenor: 30.3 years is not a whole number of periods at freq 2"},
		{rep(swp, `"tenor":30`, `"tenor":1000`), "tenor: must be at most 100, got 1000"},
		{rep(swp, `"zero_rate":0.037`, `"zero_rate":-3`), "zero_rate: must be in [-1, 1], got -3"},
		{rep(swp, `,"fixed_rate":0.03`, ``), "fixed_rate: missing"},
		{rep(bnd, `"coupon":0.05`, `"coupon":-0.05`), "coupon: must be in [0, 1], got -0.05"},
		{rep(bnd, `"maturity":10`, `"maturity":10.1`), "maturity: 10.1 years is not a whole number of periods at freq 2"},
		{rep(bnd, `"yield":0.045`, `"yield":-2`), "yield: must be in [-1.98, 10], got -2"},
		{rep(bnd, `"yield":0.045`, `"yield":{}`), "yield: must be a number, got object"},
		{`{"kind":"bond","coupon":0.05`, "invalid JSON"},
	} {
		out, ok := Price([]byte(c.line))
		var e struct{ Error string }
		if ok || json.Unmarshal(out, &e) != nil || !strings.HasPrefix(e.Error, c.want) {
			t.Errorf("%s: got %s, want error starting %q", c.line, out, c.want)
		}
	}
}

// TestSwaptionKindNegativeRates: the normal model takes negative forwards
// and strikes (Bachelier); the payer is worth more than its intrinsic value.
func TestSwaptionKindNegativeRates(t *testing.T) {
	m := priceOK(t, `{"kind":"swaption","forward":-0.002,"strike":-0.004,"expiry":2,"annuity":1.9,"vol":0.005,"model":"normal","payer":true}`, "pv")
	if !(m["pv"] > 1.9*0.002) {
		t.Errorf("pv %v below intrinsic %v", m["pv"], 1.9*0.002)
	}
}

// FuzzPrice: Price never panics and always answers one JSON object, with
// either an "error" string or finite numbers; the fx and rates pricers,
// called directly (outside the recover in Price), never panic either.
func FuzzPrice(f *testing.F) {
	for _, s := range []string{
		`{"kind":"fx_option","spot":1.085,"strike":1.1,"expiry":0.5,"rd":0.053,"rf":0.039,"vol":0.075,"call":true}`,
		`{"kind":"fx_option","spot":1e12,"strike":1e-300,"expiry":100,"rd":-1,"rf":1,"vol":10,"call":false}`,
		`{"kind":"fx_option","spot":1e-300,"strike":1e12,"expiry":1e-300,"rd":1,"rf":-1,"vol":1e-300,"call":true}`,
		`{"kind":"fx_forward","spot":1.085,"strike":1.1,"expiry":0,"rd":0.053,"rf":0.039}`,
		`{"kind":"swaption","forward":0.04,"strike":0.045,"expiry":5,"annuity":7.5,"vol":0.011,"model":"normal","payer":true}`,
		`{"kind":"swaption","forward":1e-300,"strike":1,"expiry":1e-300,"annuity":1e6,"vol":10,"model":"lognormal","payer":false}`,
		`{"kind":"swap","fixed_rate":0.03,"tenor":30,"freq":2,"zero_rate":0.037,"payer":true}`,
		`{"kind":"swap","fixed_rate":1,"tenor":100,"freq":12,"zero_rate":-1,"payer":false}`,
		`{"kind":"swap","fixed_rate":0,"tenor":1e-10,"freq":1,"zero_rate":0,"payer":false}`,
		`{"kind":"bond","coupon":0.05,"maturity":10,"freq":2,"yield":0.045}`,
		`{"kind":"bond","coupon":1,"maturity":100,"freq":12,"yield":-11.88}`,
		`{"kind":"bond","coupon":0,"maturity":0.25,"freq":4,"yield":10}`,
		`{"kind":"swap","fixed_rate":"x","tenor":[],"freq":{},"zero_rate":null}`,
		`{"kind":"fx_option"}`, `{"kind":7}`, `[]`, `null`, `{`, ``, `{"kind":"bond","kind":"swap"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		out, ok := Price(line)
		var m map[string]any
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("%q: answer %s is not a JSON object: %v", line, out, err)
		}
		if _, isErr := m["error"]; isErr == ok {
			t.Fatalf("%q: ok=%v but answer %s", line, ok, out)
		}
		for _, p := range []pricer{priceFXOption, priceFXForward, priceSwaption, priceSwap, priceBond} {
			res, err := p(line)
			if err != nil {
				continue
			}
			if _, err := json.Marshal(res); err != nil {
				t.Fatalf("%q: result %+v does not encode: %v", line, res, err)
			}
		}
	})
}

var sink []byte

// Benchmarks of whole request lines (decode, price, encode), for comparison
// with the kernels' benchmarks in pricing/fx and pricing/rates.
func BenchmarkPriceLineFXOption(b *testing.B) {
	line := []byte(`{"kind":"fx_option","spot":1.085,"strike":1.1,"expiry":0.5,"rd":0.053,"rf":0.039,"vol":0.075,"call":true}`)
	for b.Loop() {
		sink, _ = Price(line)
	}
}

func BenchmarkPriceLineSwap(b *testing.B) {
	line := []byte(`{"kind":"swap","fixed_rate":0.03,"tenor":30,"freq":2,"zero_rate":0.037,"payer":true}`)
	for b.Loop() {
		sink, _ = Price(line)
	}
}
