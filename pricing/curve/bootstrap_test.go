package curve

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
)

type qlBootstrap struct {
	Deposits []Deposit `json:"deposits"`
	Swaps    []struct {
		Rate  float64   `json:"rate"`
		Fixed []float64 `json:"fixed"`
	} `json:"swaps"`
	Nodes, Probe []struct{ T, Rate float64 }
}

func readBootstrap(t *testing.T) ([]Deposit, []Par, qlBootstrap) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "quantlib", "curve_bootstrap.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc qlBootstrap
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var swaps []Par
	for _, s := range doc.Swaps {
		swaps = append(swaps, Par{Rate: s.Rate, Fixed: s.Fixed})
	}
	if len(doc.Deposits) == 0 || len(swaps) == 0 || len(doc.Nodes) == 0 || len(doc.Probe) == 0 {
		t.Fatal("empty reference file")
	}
	return doc.Deposits, swaps, doc
}

// TestBootstrapQuantLib: deposits (1m, 3m, 6m) and annual par swaps (1y to
// 30y) bootstrapped by QuantLib 1.29 PiecewiseLinearZero (gen.py,
// curve_bootstrap: Actual365Fixed, NullCalendar, at-par floating coupons).
// Tolerance 1e-12 absolute in the zero rate: QuantLib's iterative bootstrap
// stops at its default accuracy of 1e-12 (about 3e-11 relative on 4%
// rates), ours at 1e-15.
func TestBootstrapQuantLib(t *testing.T) {
	deps, swaps, doc := readBootstrap(t)
	z, err := Bootstrap(deps, swaps)
	if err != nil {
		t.Fatal(err)
	}
	if len(z.Times) != len(doc.Nodes) {
		t.Fatalf("%d nodes, QuantLib %d", len(z.Times), len(doc.Nodes))
	}
	for _, n := range append(doc.Nodes, doc.Probe...) {
		if got := z.Rate(n.T); math.Abs(got-n.Rate) > 1e-12 {
			t.Errorf("r(%v) = %.15g, QuantLib %.15g", n.T, got, n.Rate)
		}
	}
}

// TestBootstrapReprices: the curve reprices every quote to 1e-10 (the
// contract), in the quote's own units.
func TestBootstrapReprices(t *testing.T) {
	deps, swaps, _ := readBootstrap(t)
	swaps = append(swaps, ParSwap(0.0398, 40, 2)) // semiannual, past the QuantLib set
	z, err := Bootstrap(deps, swaps)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range deps {
		if got := d.Implied(z); math.Abs(got-d.Rate) > 1e-10 {
			t.Errorf("deposit %v: implied %v, quote %v", d.Maturity, got, d.Rate)
		}
	}
	for _, s := range swaps {
		if got := s.Implied(Single(z)); math.Abs(got-s.Rate) > 1e-10 {
			t.Errorf("swap %v: implied %v, quote %v", s.Maturity(), got, s.Rate)
		}
	}
}

// TestBootstrapProjection: against an OIS curve below the deposit curve, the
// projection curve reprices deposits and swaps with OIS discounting to 1e-10,
// sits above the OIS curve, and with the projection curve itself as the
// discount curve it reproduces Bootstrap.
func TestBootstrapProjection(t *testing.T) {
	ois, err := Bootstrap(nil, []Par{ParSwap(0.050, 1, 1), ParSwap(0.043, 2, 1), ParSwap(0.039, 5, 1),
		ParSwap(0.037, 10, 1), ParSwap(0.036, 30, 1)})
	if err != nil {
		t.Fatal(err)
	}
	deps := []Deposit{{0.25, 0.0535}, {0.5, 0.0525}}
	var swaps []Par
	for _, q := range []struct{ m, r float64 }{{1, 0.0515}, {2, 0.0465}, {5, 0.0425}, {10, 0.0405}, {30, 0.0395}} {
		p := ParSwap(q.m, q.m, 1) // annual fixed
		p.Rate = q.r
		p.Float = ParSwap(0, q.m, 2).Fixed // semiannual floating
		swaps = append(swaps, p)
	}
	proj, err := BootstrapProjection(ois, deps, swaps)
	if err != nil {
		t.Fatal(err)
	}
	d := Dual{Discount: ois, Projection: proj}
	for _, dep := range deps {
		if got := dep.Implied(proj); math.Abs(got-dep.Rate) > 1e-10 {
			t.Errorf("deposit %v: implied %v, quote %v", dep.Maturity, got, dep.Rate)
		}
	}
	for _, s := range swaps {
		if got := s.Implied(d); math.Abs(got-s.Rate) > 1e-10 {
			t.Errorf("swap %v: implied %v, quote %v", s.Maturity(), got, s.Rate)
		}
		if proj.Rate(s.Maturity()) <= ois.Rate(s.Maturity()) {
			t.Errorf("projection %v not above OIS %v at %v", proj.Rate(s.Maturity()), ois.Rate(s.Maturity()), s.Maturity())
		}
	}
	single, err := Bootstrap(deps, swaps)
	if err != nil {
		t.Fatal(err)
	}
	self, err := BootstrapProjection(single, deps, swaps)
	if err != nil {
		t.Fatal(err)
	}
	for i := range single.Times {
		if math.Abs(self.Rates[i]-single.Rates[i]) > 1e-13 {
			t.Errorf("node %v: %v against itself, %v single-curve", single.Times[i], self.Rates[i], single.Rates[i])
		}
	}
}

func TestBootstrapErrors(t *testing.T) {
	for name, c := range map[string]struct {
		d []Deposit
		s []Par
	}{
		"empty":          {},
		"same maturity":  {[]Deposit{{1, 0.05}}, []Par{ParSwap(0.05, 1, 1)}},
		"nan rate":       {[]Deposit{{1, math.NaN()}}, nil},
		"zero maturity":  {[]Deposit{{0, 0.05}}, nil},
		"deposit <= -1":  {[]Deposit{{1, -1}}, nil},
		"no payments":    {nil, []Par{{Rate: 0.05}}},
		"decreasing":     {nil, []Par{{Rate: 0.05, Fixed: []float64{2, 1}}}},
		"float ends":     {nil, []Par{{Rate: 0.05, Fixed: []float64{1, 2}, Float: []float64{1.5}}}},
		"unreachable":    {nil, []Par{ParSwap(5, 10, 1)}},
		"infinite quote": {nil, []Par{ParSwap(math.Inf(1), 10, 1)}},
	} {
		if _, err := Bootstrap(c.d, c.s); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
}

func ExampleBootstrap() {
	z, err := Bootstrap(
		[]Deposit{{Maturity: 0.25, Rate: 0.053}, {Maturity: 0.5, Rate: 0.0525}},
		[]Par{ParSwap(0.05, 1, 1), ParSwap(0.046, 2, 1), ParSwap(0.041, 5, 1), ParSwap(0.04, 10, 1)},
	)
	if err != nil {
		panic(err)
	}
	fmt.Printf("5y zero %.4f%%, DF(10y) %.4f\n", 100*z.Rate(5), z.DF(10))
	// Output: 5y zero 3.9897%, DF(10y) 0.6773
}
