package reasoner

import (
	"math"
	"testing"
)

func TestExtractNumbers(t *testing.T) {
	for _, c := range []struct {
		text string
		want []float64 // one reading each number must have
	}{
		{"cuts CVaR by 12.5%", []float64{0.125}},
		{"costs $1.2bn a year", []float64{1.2e9}},
		{"35 bp running", []float64{0.0035}},
		{"35bps", []float64{35}},
		{"USD 1,234.5 million", []float64{1.2345e9}},
		{"EUR 250m and 3.5 trillion", []float64{250e6, 3.5e12}},
		{"a ratio of 0.87 and -4.2", []float64{0.87, 4.2}},
	} {
		got := extractNumbers(c.text)
		if len(got) != len(c.want) {
			t.Errorf("%q: %d numbers, want %d", c.text, len(got), len(c.want))
			continue
		}
		for i, w := range c.want {
			ok := false
			for _, v := range got[i].values {
				ok = ok || math.Abs(math.Abs(v)-w) <= 1e-12*w
			}
			if !ok {
				t.Errorf("%q: number %d readings %v, want %v", c.text, i, got[i].values, w)
			}
		}
	}
	for _, s := range []string{"CVaR95", "iTraxx S40", "x2", "hedge_2", "v1.5"} {
		if n := extractNumbers(s); len(n) != 0 {
			t.Errorf("%q: found %v in a name", s, n)
		}
	}
}

// TestCheckRationale: a number matches a figure within the relative
// tolerance or as the figure rounded to the digits written.
func TestCheckRationale(t *testing.T) {
	var fs figureSet
	fs.add("notional", 1234567890, 0, "tool t")
	fs.add("ratio", 0.12487, 0, "tool t")
	fs.add("cost", 35, -1, "candidate c")
	for text, ok := range map[string]bool{
		"$1.23bn":               true,
		"$1.2bn":                true,
		"$1.3bn":                false,
		"12.5%":                 true,
		"12.49%":                true,
		"13%":                   false,
		"35 bp":                 true,
		"0.35%":                 true,
		"36 bp":                 false,
		"a 0.125 ratio, 35 bp":  true,
		"a 0.125 ratio, 3.6 bp": false,
	} {
		_, invented := fs.checkRationale(text, DefaultTolerance)
		if (len(invented) == 0) != ok {
			t.Errorf("%q: invented %v, want ok=%v", text, invented, ok)
		}
	}
}

func FuzzExtractNumbers(f *testing.F) {
	for _, s := range []string{"12.5%", "$1,200,000.50bn", "CVaR95 35 bp", "1e309", "9999999999999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, n := range extractNumbers(s) {
			if len(n.values) != len(n.halfUnits) || len(n.values) == 0 {
				t.Fatalf("%q: readings %v half units %v", s, n.values, n.halfUnits)
			}
		}
	})
}
