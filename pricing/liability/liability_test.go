package liability

import (
	"errors"
	"math"
	"testing"

	"github.com/hedgeflow/hedgeflow/pricing/curve"
)

func basis(t *testing.T) Basis {
	z, err := curve.NewZero([]float64{1, 5, 10, 30}, []float64{0.045, 0.041, 0.04, 0.039})
	if err != nil {
		t.Fatal(err)
	}
	return Basis{Curve: z, Spread: 0.012}
}

func benefits() Cashflows {
	a := make([]float64, 60)
	for i := range a {
		a[i] = 100 * math.Pow(1.02, float64(i)) * math.Max(0, 1-float64(i)/60)
	}
	return Cashflows{Currency: "USD", Amounts: a}
}

// TestPVByHand: a flat curve and one cash flow give A exp(-(r+s)t) exactly.
func TestPVByHand(t *testing.T) {
	z, _ := curve.NewZero([]float64{1}, []float64{0.04})
	c := Cashflows{Currency: "EUR", Amounts: []float64{0, 0, 1000}}
	pv, err := c.PV(Basis{Curve: z, Spread: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	if want := 1000 * math.Exp(-0.05*3); math.Abs(pv-want) > 1e-12 {
		t.Errorf("pv %v, want %v", pv, want)
	}
	r, _ := c.Risk(Basis{Curve: z, Spread: 0.01}, nil)
	// one flow at 3y: duration is 3 to first order (exactly (1-e^{-3bp})/bp)
	if want := -math.Expm1(-3*Bp) / Bp; math.Abs(r.Duration-want) > 1e-9 {
		t.Errorf("duration %v, want %v", r.Duration, want)
	}
}

// TestRisk: PV01 is negative, the key-rate PV01s add up to it (to second
// order: 1e-3 relative), the spread acts like a parallel shift, and flows
// beyond 30y load on the 30y key rate only.
func TestRisk(t *testing.T) {
	b := basis(t)
	c := benefits()
	var krd [curve.NumKeys]float64
	r, err := c.Risk(b, &krd)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, v := range krd {
		sum += v
	}
	if !(r.PV01 < 0) || math.Abs(sum-r.PV01) > 1e-3*math.Abs(r.PV01) {
		t.Errorf("PV01 %v, key rates sum %v", r.PV01, sum)
	}
	bs := b
	bs.Spread += Bp
	up, _ := c.PV(bs)
	if math.Abs(up-r.PV-r.PV01) > 1e-9*math.Abs(r.PV) {
		t.Errorf("spread +1bp moves PV by %v, PV01 %v", up-r.PV, r.PV01)
	}
	if !(r.Duration > 5 && r.Duration < 30) {
		t.Errorf("duration %v", r.Duration)
	}
	late := Cashflows{Currency: "GBP", Amounts: append(make([]float64, 40), 1)}
	late.Risk(b, &krd)
	for k, v := range krd[:curve.NumKeys-1] {
		if v != 0 {
			t.Errorf("41y flow: key rate %d = %v", k, v)
		}
	}
}

func TestErrors(t *testing.T) {
	b := basis(t)
	for name, c := range map[string]struct {
		c Cashflows
		b Basis
	}{
		"NaN flow":     {Cashflows{"USD", []float64{1, math.NaN()}}, b},
		"no curve":     {Cashflows{"USD", []float64{1}}, Basis{}},
		"spread inf":   {Cashflows{"USD", []float64{1}}, Basis{Curve: b.Curve, Spread: math.Inf(1)}},
		"spread large": {Cashflows{"USD", []float64{1}}, Basis{Curve: b.Curve, Spread: 2}},
	} {
		if _, err := c.c.PV(c.b); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

var sink float64

// BenchmarkRisk60y: 60 yearly flows, PV, PV01 and ten key rates.
func BenchmarkRisk60y(b *testing.B) {
	z, _ := curve.NewZero([]float64{1, 5, 10, 30}, []float64{0.045, 0.041, 0.04, 0.039})
	bs := Basis{Curve: z, Spread: 0.012}
	c := benefits()
	var krd [curve.NumKeys]float64
	for b.Loop() {
		r, _ := c.Risk(bs, &krd)
		sink += r.PV + krd[9]
	}
}
