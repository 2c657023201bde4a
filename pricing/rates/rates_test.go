package rates

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/hedgeflow/hedgeflow/pricing/curve"
)

func near(got, want, abs, rel float64) bool {
	d := math.Abs(got - want)
	return d <= abs || d <= rel*math.Abs(want)
}

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

// TestSwapQuantLib: QuantLib 1.29 VanillaSwap with DiscountingSwapEngine on
// a flat continuous Actual360 curve, 360/freq-day periods so accruals are
// 1/freq (gen.py, swap.json); dv01 is QuantLib's NPV on the curve 1 bp up
// minus NPV. Tolerance 1e-10 relative or 1e-15 absolute (pv near 0).
func TestSwapQuantLib(t *testing.T) {
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
		s := Swap{FixedRate: c.FixedRate, Tenor: c.Tenor, Freq: int(c.Freq), Payer: c.Payer}
		f, err := s.Flat(c.ZeroRate)
		if err != nil {
			t.Fatal(err)
		}
		if !near(f.PV, c.PV, 1e-15, 1e-10) || !near(f.ParRate, c.ParRate, 0, 1e-10) || !near(f.DV01, c.DV01, 1e-15, 1e-9) {
			t.Errorf("%+v: got %+v", c, f)
		}
		// the curve path agrees with the flat path on a flat curve
		z, _ := curve.NewZero([]float64{1}, []float64{c.ZeroRate})
		var krd [curve.NumKeys]float64
		r, err := s.Risk(curve.Single(z), &krd)
		if err != nil {
			t.Fatal(err)
		}
		if !near(r.PV, f.PV, 1e-14, 1e-12) || !near(r.ParRate, f.ParRate, 0, 1e-12) || !near(r.DV01, f.DV01, 1e-14, 1e-9) {
			t.Errorf("%+v: curve %+v, flat %+v", c, r, f)
		}
	}
}

// TestSwapRisk: key-rate DV01s add up to the parallel DV01 (bumps are a
// partition; equal up to second order, 1e-3 relative here), convexity
// against the analytic second derivative on a flat curve, and a
// fixed-at-par swap is worth 0.
func TestSwapRisk(t *testing.T) {
	z, _ := curve.NewZero([]float64{0.5, 2, 5, 10, 30}, []float64{0.05, 0.045, 0.041, 0.04, 0.039})
	proj := z.Shift(curve.Parallel(0.002))
	c := curve.Dual{Discount: z, Projection: proj}
	s := Swap{Tenor: 10, Freq: 1, FloatFreq: 4, Payer: true}
	var krd [curve.NumKeys]float64
	r, err := s.Risk(c, &krd)
	if err != nil {
		t.Fatal(err)
	}
	s.FixedRate = r.ParRate
	if pv, _ := s.PV(c); math.Abs(pv) > 1e-15 {
		t.Errorf("at par rate %v pv %v", r.ParRate, pv)
	}
	r, _ = s.Risk(c, &krd)
	sum := 0.0
	for _, v := range krd {
		sum += v
	}
	if !near(sum, r.DV01, 0, 1e-3) || !(r.DV01 > 0) {
		t.Errorf("key rates sum %v, dv01 %v", sum, r.DV01)
	}
	if krd[8] != 0 || krd[9] != 0 || !(krd[7] > krd[6]) {
		t.Errorf("10y swap: key rates %v (no 20y/30y exposure, most at 10y)", krd)
	}
	// flat curve: PV(x) = 1 - e^{-xT} - K Σ e^{-x i}/1 for a payer (single
	// curve), so PV'' = -T² e^{-xT} - K Σ i² e^{-x i}.
	flat, _ := curve.NewZero([]float64{1}, []float64{0.04})
	s = Swap{FixedRate: 0.045, Tenor: 10, Freq: 1, Payer: true}
	r, _ = s.Risk(curve.Single(flat), nil)
	want := -100 * math.Exp(-0.4)
	for i := 1.0; i <= 10; i++ {
		want -= 0.045 * i * i * math.Exp(-0.04*i)
	}
	if !near(r.Convexity, want, 0, 1e-6) {
		t.Errorf("convexity %v, analytic %v", r.Convexity, want)
	}
}

func TestSwapErrors(t *testing.T) {
	for _, s := range []Swap{
		{FixedRate: 0.04, Tenor: 5, Freq: 0},
		{FixedRate: 0.04, Tenor: 5, Freq: 13},
		{FixedRate: 0.04, Tenor: 5.3, Freq: 2},
		{FixedRate: 0.04, Tenor: -5, Freq: 2},
		{FixedRate: math.NaN(), Tenor: 5, Freq: 2},
		{FixedRate: 0.04, Tenor: 1e6, Freq: 2},
	} {
		if _, err := s.Flat(0.03); err == nil {
			t.Errorf("%+v accepted", s)
		}
	}
	if _, err := (Swap{FixedRate: 0.04, Tenor: 5, Freq: 1}).Flat(math.Inf(1)); err == nil {
		t.Error("infinite rate accepted")
	}
}

// TestSwaptionQuantLib: ql.bachelierBlackFormula and ql.blackFormula of
// QuantLib 1.29 (gen.py, swaption.json). Tolerance 1e-10 relative.
func TestSwaptionQuantLib(t *testing.T) {
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
		s := Swaption{Strike: c.Strike, Expiry: c.Expiry, Payer: c.Payer}
		n, err := s.Normal(c.Forward, c.Annuity, c.NormalVol)
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.Black(c.Forward, c.Annuity, c.LognormalVol)
		if err != nil {
			t.Fatal(err)
		}
		if !near(n, c.Normal, 1e-16, 1e-10) || !near(b, c.Lognormal, 1e-16, 1e-10) {
			t.Errorf("%+v: normal %.16g black %.16g", c, n, b)
		}
	}
}

// TestSwaptionParity: payer - receiver = A (F - K) under both models.
func TestSwaptionParity(t *testing.T) {
	for _, k := range []float64{0.02, 0.04, 0.06} {
		p := Swaption{Strike: k, Expiry: 2, Payer: true}
		r := Swaption{Strike: k, Expiry: 2}
		pn, _ := p.Normal(0.041, 4.5, 0.01)
		rn, _ := r.Normal(0.041, 4.5, 0.01)
		pb, _ := p.Black(0.041, 4.5, 0.25)
		rb, _ := r.Black(0.041, 4.5, 0.25)
		want := 4.5 * (0.041 - k)
		if math.Abs(pn-rn-want) > 1e-15 || math.Abs(pb-rb-want) > 1e-15 {
			t.Errorf("K=%v: normal %v, black %v, want %v", k, pn-rn, pb-rb, want)
		}
	}
	if _, err := (Swaption{Strike: -0.01, Expiry: 1}).Black(0.01, 1, 0.2); err == nil {
		t.Error("Black with negative strike accepted")
	}
	if v, err := (Swaption{Strike: -0.01, Expiry: 1, Payer: true}).Normal(-0.005, 1, 0.005); err != nil || !(v > 0.005) {
		t.Errorf("Bachelier at negative rates: %v %v", v, err)
	}
	if _, err := (Swaption{Strike: 0.01, Expiry: 1}).Normal(0.01, 1, -0.1); err == nil {
		t.Error("negative vol accepted")
	}
}

func TestCube(t *testing.T) {
	c, err := NewCube([]float64{1, 5}, []float64{2, 10}, []float64{-0.01, 0, 0.01},
		[]float64{ // expiry 1: tenor 2 (3 offsets), tenor 10
			0.012, 0.010, 0.011, 0.011, 0.009, 0.010,
			// expiry 5
			0.010, 0.008, 0.009, 0.009, 0.007, 0.008,
		})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ e, t, o, want float64 }{
		{1, 2, 0, 0.010}, {5, 10, 0.01, 0.008}, {3, 2, 0, 0.009}, {1, 6, 0, 0.0095},
		{3, 6, -0.005, 0.0095}, // mid-cell: mean of the 8 corners (0.012+0.010+0.011+0.009+0.010+0.008+0.009+0.007)/8
		{0.1, 1, -1, 0.012}, {50, 50, 1, 0.008},
	} {
		if got := c.Vol(p.e, p.t, p.o); math.Abs(got-p.want) > 1e-16 {
			t.Errorf("Vol(%v, %v, %v) = %v, want %v", p.e, p.t, p.o, got, p.want)
		}
	}
	if _, err := NewCube([]float64{1}, []float64{2}, []float64{0}, []float64{0.01, 0.02}); err == nil {
		t.Error("wrong size accepted")
	}
	if _, err := NewCube([]float64{2, 1}, []float64{2}, []float64{0}, []float64{0.01, 0.02}); err == nil {
		t.Error("decreasing expiries accepted")
	}
}

// TestFRA: on one curve the FRA at the forward is worth 0, and its value is
// τ (F - K) DF(end) (the settlement discounted back at the forward).
func TestFRA(t *testing.T) {
	z, _ := curve.NewZero([]float64{0.5, 2}, []float64{0.05, 0.045})
	c := curve.Single(z)
	f := FRA{Start: 0.5, End: 0.75, Rate: 0.04}
	pv, err := f.PV(c)
	if err != nil {
		t.Fatal(err)
	}
	want := 0.25 * (f.Forward(c) - 0.04) * z.DF(0.75)
	if math.Abs(pv-want) > 1e-17 || !(pv > 0) {
		t.Errorf("pv %v, want %v", pv, want)
	}
	f.Rate = f.Forward(c)
	if pv, _ := f.PV(c); math.Abs(pv) > 1e-18 {
		t.Errorf("at forward: %v", pv)
	}
	if _, err := (FRA{Start: 1, End: 0.5}).PV(c); err == nil {
		t.Error("end before start accepted")
	}
}
