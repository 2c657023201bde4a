package credit

import (
	"errors"
	"math"
	"testing"

	"github.com/hedgeflow/hedgeflow/pricing/curve"
)

// TestBootstrapReprices: the bootstrapped curve reprices every quote to 1e-10
// (par spread and PV per unit notional), on a flat rate and on a zero curve.
func TestBootstrapReprices(t *testing.T) {
	z, err := curve.NewZero([]float64{0.5, 2, 5, 10}, []float64{0.01, 0.02, 0.03, 0.035})
	if err != nil {
		t.Fatal(err)
	}
	quotes := []Quote{{0.5, 0.002}, {1, 0.004}, {3, 0.0075}, {5, 0.011}, {7, 0.0125}, {10, 0.0135}}
	for _, d := range []Discount{{Rate: 0.03}, {Curve: z}} {
		for _, freq := range []int{4, 12, 1} {
			h, err := Bootstrap(quotes, 0.4, freq, d)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range quotes {
				l, err := CDS{Maturity: q.Maturity, Coupon: q.Spread, Recovery: 0.4, Freq: freq}.Price(h, d)
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(l.ParSpread-q.Spread) > 1e-10 || math.Abs(l.PV) > 1e-10 {
					t.Errorf("freq %d quote %+v: par %.15g pv %.3g", freq, q, l.ParSpread, l.PV)
				}
			}
		}
	}
}

// TestBootstrapQuantLib compares the node hazard rates with QuantLib 1.29
// PiecewiseFlatHazardRate bootstrapped from SpreadCdsHelper
// (pricing/testdata/quantlib/credit_gen.py, bootstrap_case: Actual364,
// 28-day premium periods, so freq 13 here). Tolerance 1e-10 relative: both
// solve the same equations, each to its own solver accuracy (QuantLib's
// default bootstrap accuracy is 1e-12 on the quote's NPV).
func TestBootstrapQuantLib(t *testing.T) {
	var doc struct {
		Cases []struct {
			Freq                int
			Recovery, Rate      float64
			Maturities, Spreads []float64
			Times, Hazards      []float64
		}
	}
	readJSON(t, "credit_bootstrap.json", &doc)
	if len(doc.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range doc.Cases {
		var qs []Quote
		for i, m := range c.Maturities {
			qs = append(qs, Quote{m, c.Spreads[i]})
		}
		h, err := Bootstrap(qs, c.Recovery, c.Freq, Discount{Rate: c.Rate})
		if err != nil {
			t.Fatal(err)
		}
		for i := range c.Hazards {
			if !near(h.Times[i], c.Times[i], 1e-14, 0) || !near(h.Rates[i], c.Hazards[i], 0, 1e-10) {
				t.Errorf("node %d: got (%v, %.15g) want (%v, %.15g)", i, h.Times[i], h.Rates[i], c.Times[i], c.Hazards[i])
			}
		}
	}
}

func TestBootstrapErrors(t *testing.T) {
	d := Discount{Rate: 0.02}
	for name, qs := range map[string][]Quote{
		"empty":         nil,
		"unsorted":      {{5, 0.01}, {3, 0.01}},
		"zero spread":   {{1, 0}},
		"inverted hard": {{1, 0.05}, {2, 0.001}},
	} {
		if _, err := Bootstrap(qs, 0.4, 4, d); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
}

// TestCS01 checks the bumped re-bootstrap against the credit-triangle
// approximation CS01 ≈ 1bp x RPV01 for an at-the-money CDS (O'Kane 2008
// §7.6), to 2% (the curve shape makes them differ slightly).
func TestCS01(t *testing.T) {
	d := Discount{Rate: 0.03}
	quotes := []Quote{{1, 0.005}, {3, 0.008}, {5, 0.01}}
	c := CDS{Maturity: 5, Coupon: 0.01, Recovery: 0.4, Freq: 4}
	cs, err := CS01(c, quotes, d)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := Bootstrap(quotes, 0.4, 4, d)
	l, _ := c.Price(h, d)
	if want := 1e-4 * l.Annuity; !near(cs, want, 0, 0.02) {
		t.Errorf("CS01 %.6g, 1bp x RPV01 %.6g", cs, want)
	}
}
