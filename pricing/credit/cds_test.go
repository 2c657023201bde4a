package credit

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/hedgeflow/hedgeflow/pricing/curve"
)

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "quantlib", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func near(got, want, abs, rel float64) bool {
	d := math.Abs(got - want)
	return d <= abs || d <= rel*math.Abs(want)
}

// TestCDSQuantLib compares with QuantLib 1.29 CreditDefaultSwap priced by
// MidPointCdsEngine (pricing/testdata/quantlib/credit_gen.py, cds_cases).
// The script uses Actual360 throughout and periods of 360/freq days, so that
// QuantLib's year fractions are exactly i/freq and its mid-point default dates
// fall on whole days: the two computations are the same sum, hence the
// tolerance of 1e-12 per unit notional (the contract asks 1e-6).
func TestCDSQuantLib(t *testing.T) {
	var doc struct {
		Cases []struct {
			Hazard, Recovery, Maturity, Coupon, Rate float64
			Freq                                     int
			ParSpread                                float64 `json:"par_spread"`
			PV, Protection, Premium                  float64
		}
	}
	readJSON(t, "credit_cds.json", &doc)
	if len(doc.Cases) < 100 {
		t.Fatalf("only %d cases", len(doc.Cases))
	}
	for _, c := range doc.Cases {
		cds := CDS{Maturity: c.Maturity, Coupon: c.Coupon, Recovery: c.Recovery, Freq: c.Freq}
		l, err := cds.Price(FlatHazard(c.Hazard), Discount{Rate: c.Rate})
		if err != nil {
			t.Fatal(err)
		}
		if !near(l.PV, c.PV, 1e-12, 0) || !near(l.ParSpread, c.ParSpread, 1e-12, 0) ||
			!near(l.Protection, c.Protection, 1e-12, 0) || !near(c.Coupon*l.Annuity, c.Premium, 1e-12, 0) {
			t.Errorf("%+v: got pv %.15g spread %.15g prot %.15g, want %.15g %.15g %.15g",
				c, l.PV, l.ParSpread, l.Protection, c.PV, c.ParSpread, c.Protection)
		}
	}
}

// TestCDSFlatClosedForm checks the mid-point legs against their closed forms
// for a flat hazard h and flat rate r on a grid of period Δ (geometric sums):
// protection = (1-R) (1-e^{-hΔ}) e^{-rΔ/2} Σ e^{-(h+r)(i-1)Δ}.
func TestCDSFlatClosedForm(t *testing.T) {
	h, r, R, T, f := 0.03, 0.04, 0.35, 7.0, 2
	dt := 1 / float64(f)
	n := int(T) * f
	q := math.Exp(-(h + r) * dt)
	geo := (1 - math.Pow(q, float64(n))) / (1 - q)
	prot := (1 - R) * (1 - math.Exp(-h*dt)) * math.Exp(-r*dt/2) * geo
	ann := dt*q*geo + 0.5*dt*(1-math.Exp(-h*dt))*math.Exp(-r*dt/2)*geo
	l, err := CDS{Maturity: T, Coupon: 0.01, Recovery: R, Freq: f}.Price(FlatHazard(h), Discount{Rate: r})
	if err != nil {
		t.Fatal(err)
	}
	if !near(l.Protection, prot, 0, 1e-13) || !near(l.Annuity, ann, 0, 1e-13) {
		t.Errorf("got prot %.16g ann %.16g, want %.16g %.16g", l.Protection, l.Annuity, prot, ann)
	}
}

// TestMidPointVersusExact measures how far the mid-point legs are from exact
// integration on a flat curve, the size quoted in doc.go: exact protection is
// (1-R) h/(h+r) (1 - e^{-(h+r)T}).
func TestMidPointVersusExact(t *testing.T) {
	h, r, R := 0.02, 0.03, 0.4
	exact := (1 - R) * h / (h + r) * (1 - math.Exp(-(h+r)*5))
	l, _ := CDS{Maturity: 5, Coupon: 0.01, Recovery: R, Freq: 4}.Price(FlatHazard(h), Discount{Rate: r})
	if d := math.Abs(l.Protection - exact); d > 4e-7 || d < 2e-7 {
		t.Errorf("mid-point minus exact protection = %.3g, doc.go says 3e-7", d)
	}
}

func TestCDSOnZeroCurve(t *testing.T) {
	// A zero curve with one rate is the flat rate.
	z, err := curve.NewZero([]float64{1, 10}, []float64{0.025, 0.025})
	if err != nil {
		t.Fatal(err)
	}
	c := CDS{Maturity: 5, Coupon: 0.01, Recovery: 0.4, Freq: 4}
	a, _ := c.Price(FlatHazard(0.02), Discount{Curve: z})
	b, _ := c.Price(FlatHazard(0.02), Discount{Rate: 0.025})
	if !near(a.PV, b.PV, 1e-15, 0) {
		t.Errorf("zero curve %v, flat %v", a.PV, b.PV)
	}
}

func TestCDSInvalid(t *testing.T) {
	good := CDS{Maturity: 5, Coupon: 0.01, Recovery: 0.4, Freq: 4}
	for _, c := range []CDS{
		{Maturity: 0, Coupon: 0.01, Recovery: 0.4, Freq: 4},
		{Maturity: math.Inf(1), Coupon: 0.01, Recovery: 0.4, Freq: 4},
		{Maturity: 5, Coupon: math.NaN(), Recovery: 0.4, Freq: 4},
		{Maturity: 5, Coupon: 0.01, Recovery: 1, Freq: 4},
		{Maturity: 5, Coupon: 0.01, Recovery: 0.4, Freq: 0},
		{Maturity: 1e6, Coupon: 0.01, Recovery: 0.4, Freq: 4},
	} {
		if _, err := c.Price(FlatHazard(0.01), Discount{}); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	if _, err := good.Price(Hazard{}, Discount{}); err == nil {
		t.Error("empty hazard: no error")
	}
	if _, err := good.Price(FlatHazard(-0.01), Discount{}); err == nil {
		t.Error("negative hazard: no error")
	}
	if _, err := good.Price(FlatHazard(0.01), Discount{Rate: math.NaN()}); err == nil {
		t.Error("NaN rate: no error")
	}
}

// TestForwardStubSchedule: a maturity that is not a whole number of periods
// gets a short first period; with a zero hazard the annuity is the sum of the
// discounted period lengths.
func TestForwardStubSchedule(t *testing.T) {
	l, err := CDS{Maturity: 1.1, Coupon: 0.01, Recovery: 0.4, Freq: 2}.Price(FlatHazard(0), Discount{Rate: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	want := 0.1*math.Exp(-0.05*0.1) + 0.5*math.Exp(-0.05*0.6) + 0.5*math.Exp(-0.05*1.1)
	if !near(l.Annuity, want, 1e-15, 0) || l.Protection != 0 {
		t.Errorf("annuity %.16g want %.16g, protection %v", l.Annuity, want, l.Protection)
	}
}
