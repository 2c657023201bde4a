package credit

import (
	"math"
	"testing"
)

// TestIndexUpfront: the upfront is what makes the standard-coupon index worth
// zero to the buyer on the flat curve of the quote, and the flat curve's par
// spread is the quote (to 1e-12).
func TestIndexUpfront(t *testing.T) {
	d := Discount{Rate: 0.03}
	for _, ix := range []Index{CDXIG, CDXHY, ITraxxMain, ITraxxCrossover} {
		for _, s := range []float64{0.006, ix.Coupon, 0.045} {
			v, err := ix.Value(s, 5, d)
			if err != nil {
				t.Fatal(err)
			}
			l, _ := CDS{Maturity: 5, Coupon: ix.Coupon, Recovery: ix.Recovery, Freq: 4}.Price(FlatHazard(v.Hazard), d)
			if !near(l.ParSpread, s, 1e-12, 0) || !near(v.Upfront, (s-ix.Coupon)*l.Annuity, 1e-14, 0) ||
				!near(l.PV, v.Upfront, 1e-14, 0) || v.Price != 1-v.Upfront {
				t.Errorf("%s at %v: %+v, CDS %+v", ix.Name, s, v, l)
			}
			if s == ix.Coupon && math.Abs(v.Upfront) > 1e-14 {
				t.Errorf("%s: at the coupon, upfront %v", ix.Name, v.Upfront)
			}
		}
	}
	// Spread above the coupon: the buyer pays; a 100 bp move in HY is about
	// 100 bp x RPV01 ≈ 4 points at 5y.
	v, _ := CDXHY.Value(0.06, 5, d)
	if !(v.Upfront > 0.035 && v.Upfront < 0.045) {
		t.Errorf("HY at 600 bp: upfront %v", v.Upfront)
	}
}

// TestIndexOptionParity: payer - receiver = forward protection + FEP - K x
// forward annuity, with the forward legs computed independently as the legs
// of the CDS to maturity minus those of the CDS to expiry (expiry on a
// coupon date), to 1e-15.
func TestIndexOptionParity(t *testing.T) {
	h := Hazard{Times: []float64{1, 5}, Rates: []float64{0.01, 0.02}}
	d := Discount{Rate: 0.025}
	for _, k := range []float64{0.005, 0.01, 0.02} {
		for _, vol := range []float64{0.2, 0.6} {
			o := Option{Expiry: 0.5, Maturity: 5.5, Strike: k, Vol: vol, Payer: true, Recovery: 0.4, Freq: 4}
			pay, err := o.Price(h, d)
			if err != nil {
				t.Fatal(err)
			}
			o.Payer = false
			rec, err := o.Price(h, d)
			if err != nil {
				t.Fatal(err)
			}
			long, _ := CDS{Maturity: 5.5, Coupon: k, Recovery: 0.4, Freq: 4}.Price(h, d)
			short, _ := CDS{Maturity: 0.5, Coupon: k, Recovery: 0.4, Freq: 4}.Price(h, d)
			fep := 0.6 * (1 - h.Survival(0.5)) * math.Exp(-0.025*0.5)
			want := (long.Protection - short.Protection) + fep - k*(long.Annuity-short.Annuity)
			if got := pay.PV - rec.PV; !near(got, want, 1e-15, 0) {
				t.Errorf("K %v vol %v: payer - receiver %.16g, forward index %.16g", k, vol, got, want)
			}
			if !(pay.PV > 0 && rec.PV > 0) {
				t.Errorf("K %v: payer %v receiver %v", k, pay.PV, rec.PV)
			}
		}
	}
}

// TestIndexOptionIntrinsic: at zero vol the payer is worth A (F'-K)+, and
// value rises with vol.
func TestIndexOptionIntrinsic(t *testing.T) {
	h := FlatHazard(0.02)
	d := Discount{Rate: 0.02}
	o := Option{Expiry: 0.25, Maturity: 5.25, Strike: 0.01, Vol: 0, Payer: true, Recovery: 0.4, Freq: 4}
	v, err := o.Price(h, d)
	if err != nil {
		t.Fatal(err)
	}
	if want := v.Annuity * math.Max(v.Adjusted-o.Strike, 0); !near(v.PV, want, 1e-16, 0) || v.Adjusted <= v.Forward {
		t.Errorf("%+v, want pv %v", v, want)
	}
	o.Vol = 0.5
	hi, _ := o.Price(h, d)
	if !(hi.PV > v.PV) {
		t.Errorf("vol 0.5: %v <= intrinsic %v", hi.PV, v.PV)
	}
	for _, bad := range []Option{
		{Expiry: 0, Maturity: 5, Strike: 0.01, Vol: 0.3, Recovery: 0.4, Freq: 4},
		{Expiry: 1, Maturity: 1, Strike: 0.01, Vol: 0.3, Recovery: 0.4, Freq: 4},
		{Expiry: 1, Maturity: 5, Strike: 0, Vol: 0.3, Recovery: 0.4, Freq: 4},
		{Expiry: 1, Maturity: 5, Strike: 0.01, Vol: -1, Recovery: 0.4, Freq: 4},
	} {
		if _, err := bad.Price(h, d); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}
