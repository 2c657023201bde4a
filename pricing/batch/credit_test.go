package batch

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hedgeflow/hedgeflow/pricing/credit"
)

// TestCDSKindQuantLib prices every case of credit_cds.json through the batch
// contract. Reference: QuantLib 1.29 CreditDefaultSwap with MidPointCdsEngine
// (pricing/testdata/quantlib/credit_gen.py): flat hazard, flat continuous
// rate, Actual360 and 360/freq-day periods so that QuantLib's year fractions
// are exactly i/freq. Tolerance 1e-6 absolute per unit notional as the
// contract says; the match is in fact to 1e-12 (see pricing/credit tests).
func TestCDSKindQuantLib(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "testdata", "quantlib", "credit_cds.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []struct {
			Hazard, Recovery, Maturity, Coupon, Rate float64
			Freq                                     int
			ParSpread                                float64 `json:"par_spread"`
			PV                                       float64
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range doc.Cases {
		line := fmt.Sprintf(`{"kind":"cds","hazard":%v,"recovery":%v,"maturity":%v,"coupon":%v,"rate":%v,"freq":%d}`,
			c.Hazard, c.Recovery, c.Maturity, c.Coupon, c.Rate, c.Freq)
		out, ok := Price([]byte(line))
		if !ok {
			t.Fatalf("%s: %s", line, out)
		}
		var got struct {
			ParSpread *float64 `json:"par_spread"`
			PV        *float64 `json:"pv"`
		}
		if err := json.Unmarshal(out, &got); err != nil || got.ParSpread == nil || got.PV == nil {
			t.Fatalf("%s: %s (%v)", line, out, err)
		}
		if math.Abs(*got.PV-c.PV) > 1e-6 || math.Abs(*got.ParSpread-c.ParSpread) > 1e-6 {
			t.Errorf("%s: %s, QuantLib par_spread %v pv %v", line, out, c.ParSpread, c.PV)
		}
	}
}

// TestTrancheLHPKind: the batch answer is credit.TrancheLoss at a flat
// correlation, and equity [0, 1] is the pool loss pd(1-R) (exact).
func TestTrancheLHPKind(t *testing.T) {
	out, ok := Price([]byte(`{"kind":"tranche_lhp","attach":0.03,"detach":0.07,"pd":0.05,"rho":0.3,"recovery":0.4}`))
	if !ok {
		t.Fatal(string(out))
	}
	var got struct {
		EL *float64 `json:"expected_loss"`
	}
	if err := json.Unmarshal(out, &got); err != nil || got.EL == nil {
		t.Fatalf("%s (%v)", out, err)
	}
	want, _ := credit.TrancheLoss(0.03, 0.07, 0.05, 0.3, 0.3, 0.4)
	if *got.EL != want || !(want > 0 && want < 1) {
		t.Errorf("expected_loss %v, want %v", *got.EL, want)
	}
	out, _ = Price([]byte(`{"kind":"tranche_lhp","attach":0,"detach":1,"pd":0.05,"rho":0.3,"recovery":0.4}`))
	if err := json.Unmarshal(out, &got); err != nil || math.Abs(*got.EL-0.03) > 1e-16 {
		t.Errorf("[0,1]: %s, want 0.03", out)
	}
}

// TestCreditKindErrors: every bad field is named in the error.
func TestCreditKindErrors(t *testing.T) {
	cds := `"kind":"cds","hazard":0.02,"recovery":0.4,"maturity":5,"coupon":0.01,"rate":0.03,"freq":4`
	lhp := `"kind":"tranche_lhp","attach":0.03,"detach":0.07,"pd":0.05,"rho":0.3,"recovery":0.4`
	for _, c := range []struct{ line, want string }{
		{`{` + strings.Replace(cds, `"recovery":0.4`, `"recovery":1.2`, 1) + `}`, "recovery: must be in [0,1), got 1.2"},
		{`{` + strings.Replace(cds, `"hazard":0.02`, `"hazard":-0.1`, 1) + `}`, "hazard: must be >= 0, got -0.1"},
		{`{` + strings.Replace(cds, `"hazard":0.02,`, ``, 1) + `}`, "hazard: missing"},
		{`{` + strings.Replace(cds, `"maturity":5`, `"maturity":"5"`, 1) + `}`, `maturity: must be a number, got "5"`},
		{`{` + strings.Replace(cds, `"maturity":5`, `"maturity":0`, 1) + `}`, "maturity: must be > 0, got 0"},
		{`{` + strings.Replace(cds, `"maturity":5`, `"maturity":1e9`, 1) + `}`, "maturity: 1e+09 years at freq 4"},
		{`{` + strings.Replace(cds, `"coupon":0.01`, `"coupon":null`, 1) + `}`, "coupon: must be a number, got null"},
		{`{` + strings.Replace(cds, `"coupon":0.01`, `"coupon":-0.01`, 1) + `}`, "coupon: must be >= 0"},
		{`{` + strings.Replace(cds, `"rate":0.03`, `"rate":7`, 1) + `}`, "rate: must be in [-0.5, 1], got 7"},
		{`{` + strings.Replace(cds, `"freq":4`, `"freq":2.5`, 1) + `}`, "freq: must be a positive integer up to 366, got 2.5"},
		{`{` + strings.Replace(cds, `"freq":4`, `"freq":0`, 1) + `}`, "freq: must be a positive integer"},
		{`{` + strings.Replace(cds, `"freq":4`, `"freq":1e400`, 1) + `}`, "freq: must be a number"},
		{`{` + strings.Replace(lhp, `"attach":0.03`, `"attach":0.07`, 1) + `}`, "attach: must be below detach 0.07, got 0.07"},
		{`{` + strings.Replace(lhp, `"attach":0.03`, `"attach":-0.01`, 1) + `}`, "attach: must be in [0,1)"},
		{`{` + strings.Replace(lhp, `"detach":0.07`, `"detach":1.5`, 1) + `}`, "detach: must be in (0,1], got 1.5"},
		{`{` + strings.Replace(lhp, `"pd":0.05`, `"pd":1`, 1) + `}`, "pd: must be in (0,1), got 1"},
		{`{` + strings.Replace(lhp, `"pd":0.05`, `"pd":0`, 1) + `}`, "pd: must be in (0,1), got 0"},
		{`{` + strings.Replace(lhp, `"rho":0.3`, `"rho":1`, 1) + `}`, "rho: must be in [0,1), got 1"},
		{`{` + strings.Replace(lhp, `"rho":0.3`, `"rho":true`, 1) + `}`, "rho: must be a number, got true"},
		{`{` + strings.Replace(lhp, `"recovery":0.4`, `"recovery":1`, 1) + `}`, "recovery: must be in [0,1), got 1"},
		{`{` + strings.Replace(lhp, `,"pd":0.05`, ``, 1) + `}`, "pd: missing"},
	} {
		out, ok := Price([]byte(c.line))
		var e struct{ Error string }
		if ok || json.Unmarshal(out, &e) != nil || !strings.HasPrefix(e.Error, c.want) {
			t.Errorf("%s: got %s, want error starting %q", c.line, out, c.want)
		}
	}
}

// FuzzCreditKinds: the two credit pricers, called directly (outside the
// recover in Price), never panic, and a success is finite JSON.
func FuzzCreditKinds(f *testing.F) {
	f.Add([]byte(`{"kind":"cds","hazard":0.02,"recovery":0.4,"maturity":5,"coupon":0.01,"rate":0.03,"freq":4}`))
	f.Add([]byte(`{"kind":"cds","hazard":1e308,"recovery":0,"maturity":100,"coupon":0,"rate":-0.5,"freq":366}`))
	f.Add([]byte(`{"kind":"cds","hazard":0,"recovery":0.999,"maturity":1e-300,"coupon":1e300,"rate":1,"freq":1}`))
	f.Add([]byte(`{"kind":"tranche_lhp","attach":0.03,"detach":0.07,"pd":0.05,"rho":0.3,"recovery":0.4}`))
	f.Add([]byte(`{"kind":"tranche_lhp","attach":0,"detach":1e-300,"pd":1e-300,"rho":0.9999999999,"recovery":0}`))
	f.Add([]byte(`{"kind":"tranche_lhp","attach":0.5,"detach":1,"pd":0.9999999999999999,"rho":0,"recovery":0.5}`))
	f.Add([]byte(`{"hazard":"x","pd":[1]}`))
	f.Add([]byte(`nul`))
	f.Fuzz(func(t *testing.T, line []byte) {
		for _, p := range []pricer{priceCDS, priceTrancheLHP} {
			res, err := p(line)
			if err != nil {
				continue
			}
			b, err := json.Marshal(res)
			if err != nil {
				t.Fatalf("%s: result %v does not encode: %v", line, res, err)
			}
			var m map[string]float64
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("%s: %s: %v", line, b, err)
			}
		}
	})
}
