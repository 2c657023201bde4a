package rates

import (
	"math"
	"testing"
)

// TestBondQuantLib: QuantLib 1.29 BondFunctions cleanPrice, duration
// (Modified), convexity and bondYield on FixedRateBonds with 360/freq-day
// periods under Actual360, yield Compounded at freq (gen.py, bond.json).
// Tolerance 1e-10 relative.
func TestBondQuantLib(t *testing.T) {
	var doc struct {
		Cases []struct {
			Coupon, Maturity float64
			Freq             int
			Yield            float64
			Price            float64
			ModDur           float64 `json:"modified_duration"`
			Convexity        float64
		}
	}
	readQL(t, "bond.json", &doc)
	if len(doc.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range doc.Cases {
		b := Bond{Coupon: c.Coupon, Maturity: c.Maturity, Freq: c.Freq}
		m, err := b.Price(c.Yield)
		if err != nil {
			t.Fatal(err)
		}
		if !near(m.Price, c.Price, 0, 1e-10) || !near(m.ModifiedDuration, c.ModDur, 0, 1e-10) || !near(m.Convexity, c.Convexity, 0, 1e-10) {
			t.Errorf("%+v: got %+v", c, m)
		}
		y, err := b.Yield(c.Price)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(y-c.Yield) > 1e-12 {
			t.Errorf("%+v: yield back %v", c, y)
		}
	}
}

// TestBondTextbook: a par bond prices at 100 when yield = coupon; Hull,
// Options, Futures, and Other Derivatives, 8th ed., §4.4: a 2-year 6%
// semiannual bond at a 6.76% yield (continuous: 6.76% semi = the 2-year
// bond "yield 6.76%") sells at 98.39.
func TestBondTextbook(t *testing.T) {
	m, _ := Bond{Coupon: 0.05, Maturity: 10, Freq: 2}.Price(0.05)
	if math.Abs(m.Price-100) > 1e-12 {
		t.Errorf("par bond %v", m.Price)
	}
	// Hull's 6.76% is continuously compounded; semiannual equivalent 2(e^{0.0338}-1).
	m, _ = Bond{Coupon: 0.06, Maturity: 2, Freq: 2}.Price(2 * math.Expm1(0.0676/2))
	if math.Abs(m.Price-98.39) > 0.005 {
		t.Errorf("Hull 2y 6%%: %v, want 98.39", m.Price)
	}
}

// TestBondRiskFiniteDifference: modified duration and convexity against
// central differences of price (step 1e-5, tolerance 1e-7 relative).
func TestBondRiskFiniteDifference(t *testing.T) {
	b := Bond{Coupon: 0.0425, Maturity: 30, Freq: 2}
	m, _ := b.Price(0.047)
	h := 1e-5
	up, _ := b.Price(0.047 + h)
	dn, _ := b.Price(0.047 - h)
	d := -(up.Price - dn.Price) / (2 * h) / m.Price
	c := (up.Price - 2*m.Price + dn.Price) / (h * h) / m.Price
	if !near(m.ModifiedDuration, d, 0, 1e-7) || !near(m.Convexity, c, 0, 1e-5) {
		t.Errorf("got %+v, differences %v %v", m, d, c)
	}
}

// TestYieldExtremes: yields from prices far from par, including negative
// yields, round-trip.
func TestYieldExtremes(t *testing.T) {
	for _, c := range []struct {
		b Bond
		y float64
	}{
		{Bond{0.05, 30, 2}, -0.01}, {Bond{0.0, 50, 1}, 0.15}, {Bond{0.12, 1, 12}, 0.9},
		{Bond{0.03, 100, 1}, 3}, {Bond{0.01, 10, 4}, -0.5},
	} {
		m, err := c.b.Price(c.y)
		if err != nil {
			t.Fatal(err)
		}
		y, err := c.b.Yield(m.Price)
		if err != nil || math.Abs(y-c.y) > 1e-10 {
			t.Errorf("%+v at %v: price %v gives yield %v (%v)", c.b, c.y, m.Price, y, err)
		}
	}
	for _, p := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if _, err := (Bond{0.05, 10, 2}).Yield(p); err == nil {
			t.Errorf("price %v accepted", p)
		}
	}
	if _, err := (Bond{0.05, 10, 2}).Price(-2); err == nil {
		t.Error("yield -2 at freq 2 accepted")
	}
}

// TestConversionFactorHull: Hull, 8th ed., §6.2: a 10% bond with 20 years
// and 2 months left has factor 1.4623; an 8% bond with 18 years and 4
// months, 1.2199 (four decimals printed; tolerance 5e-5).
func TestConversionFactorHull(t *testing.T) {
	for _, c := range []struct {
		coupon float64
		months int
		want   float64
	}{{0.10, 20*12 + 2, 1.4623}, {0.08, 18*12 + 4, 1.2199}} {
		got, err := ConversionFactor(c.coupon, c.months)
		if err != nil || math.Abs(got-c.want) > 5e-5 {
			t.Errorf("CF(%v, %d) = %v (%v), Hull %v", c.coupon, c.months, got, err, c.want)
		}
	}
	// a 6% bond has factor 1 on whole half-years (exact)
	if cf, _ := ConversionFactor(0.06, 120); math.Abs(cf-1) > 1e-15 {
		t.Errorf("6%% bond: %v", cf)
	}
	if _, err := ConversionFactor(0.05, 1); err == nil {
		t.Error("1 month accepted")
	}
}

// TestCheapestToDeliverHull: Hull, 8th ed., §6.2 example: futures 93.25;
// bonds at 99.50 (CF 1.0382), 143.50 (1.5188), 119.75 (1.2615) cost 2.69,
// 1.87 and 2.12 to deliver: the second is cheapest.
func TestCheapestToDeliverHull(t *testing.T) {
	i, cost, err := CheapestToDeliver(93.25, []Deliverable{{99.50, 1.0382}, {143.50, 1.5188}, {119.75, 1.2615}})
	if err != nil || i != 1 || math.Abs(cost-(143.50-93.25*1.5188)) > 1e-12 || math.Abs(cost-1.87) > 0.005 {
		t.Errorf("CTD %d cost %v (%v)", i, cost, err)
	}
	if _, _, err := CheapestToDeliver(93, nil); err == nil {
		t.Error("empty basket accepted")
	}
}
