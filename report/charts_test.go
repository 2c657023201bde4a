package report

import (
	"math"
	"testing"
)

// Expected values by hand: the step is (hi-lo)/6 rounded up to 1, 2, 2.5
// or 5 times a power of ten, and the bounds are the multiples of the step
// around the data.
func TestNiceRange(t *testing.T) {
	for _, c := range []struct{ lo, hi, wlo, whi, wstep float64 }{
		{0.054, 0.332, 0.05, 0.35, 0.05},
		{0, 7, 0, 8, 2},
		{3.6, 9.2, 3, 10, 1},
		{-0.14, 0.49, -0.2, 0.6, 0.2},
		{5, 5, 4.4, 5.6, 0.2}, // a single value is widened by 10% first
	} {
		lo, hi, step := niceRange(c.lo, c.hi, 6)
		if math.Abs(lo-c.wlo) > 1e-12 || math.Abs(hi-c.whi) > 1e-12 || math.Abs(step-c.wstep) > 1e-12 {
			t.Errorf("niceRange(%g, %g) = %g, %g, %g; want %g, %g, %g", c.lo, c.hi, lo, hi, step, c.wlo, c.whi, c.wstep)
		}
		if lo > c.lo || hi < c.hi {
			t.Errorf("niceRange(%g, %g) = [%g, %g] does not cover the data", c.lo, c.hi, lo, hi)
		}
	}
	if lo, hi, _ := niceRange(math.NaN(), 1, 5); lo != 0 || hi != 1 {
		t.Errorf("niceRange(NaN, 1) = [%g, %g], want [0, 1]", lo, hi)
	}
}

func TestFormats(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{fmtUSD(7.796536635e9), "$7.80bn"}, {fmtUSD(-1.43175e9), "-$1.43bn"}, {fmtUSD(613.7e6), "$613.7m"},
		{fmtUSD(45_400), "$45k"}, {fmtUSD(math.NaN()), "n/a"},
		{fmtPct(0.8799), "88.0%"}, {fmtBps(11.44), "11.4 bp"},
		{fmtNum(7796536635), "7,796,536,635"}, {fmtNum(-1234.4), "-1,234"}, {fmtNum(0.10369), "0.104"}, {fmtNum(0), "0"},
		{fmtFigure("unhedged_cvar95", 7.8e9), "$7.80bn"}, {fmtFigure("cost_bps", 25), "25.0 bp"},
		{fmtFigure("median_given_up_by_robust", 6.1e8), "$610.0m"}, {fmtFigure("herfindahl", 0.104768), "0.105"},
		{heat(0), "#fff5c8"}, {heat(1), "#6e0a1e"}, {heat(2), "#6e0a1e"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
