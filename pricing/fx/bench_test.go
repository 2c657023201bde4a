package fx

import "testing"

var sink float64

// BenchmarkGK: one Garman-Kohlhagen price with all greeks (the batch
// fx_option inputs of bench/quantlib).
func BenchmarkGK(b *testing.B) {
	o := Option{Strike: 1.10, Expiry: 0.5, Call: true}
	m := Market{Spot: 1.085, Rd: 0.053, Rf: 0.039}
	for b.Loop() {
		g, _ := o.Price(m, 0.075)
		sink += g.PV + g.Delta + g.Vega
	}
}

// BenchmarkForward: the batch fx_forward inputs.
func BenchmarkForward(b *testing.B) {
	f := ForwardContract{Strike: 1.10, Expiry: 0.5}
	m := Market{Spot: 1.085, Rd: 0.053, Rf: 0.039}
	for b.Loop() {
		pv, _ := f.PV(m)
		sink += pv
	}
}

// BenchmarkSeagullOnSmile: three legs, each at its vanna-volga vol.
func BenchmarkSeagullOnSmile(b *testing.B) {
	m := Market{Spot: 1.085, Rd: 0.053, Rf: 0.039}
	s, _ := NewSmile(m, Quotes{Expiry: 0.5, ATM: 0.075, RR25: -0.006, BF25: 0.0025})
	sg, _ := Seagull(0.5, 1.0, 1.06, 1.13)
	for b.Loop() {
		g, _ := sg.Price(m, &s) // a pointer: a Smile value in an interface is copied to the heap
		sink += g.PV
	}
}
