package optimize

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

// A solve warm-started with an earlier solve's cuts, shifted for a P&L
// that moved by a constant per instrument, finds the same optimum as a
// cold solve of the moved problem (a warm start that stalls restarts
// cold); and a pool for the wrong number of instruments is refused.
func TestWarmStartFromShiftedCuts(t *testing.T) {
	p := randProblem(5, 30, 40, 12)
	p.MinTrade, p.MaxInstruments = 1e6, 6
	shift := make([]float64, p.M())
	for j := range shift {
		shift[j] = 0.001 * float64(j%5-2)
	}
	q := *p
	q.PnL = make([]float64, len(p.PnL))
	for i, v := range p.PnL {
		q.PnL[i] = v - shift[i%p.M()]
	}
	for _, c := range []struct {
		name  string
		solve func(*Problem, *Settings) (Result, error)
	}{
		{"median", Median}, {"robust", Robust}, {"cvar", CVaR},
		{"frontier 0.4", func(p *Problem, s *Settings) (Result, error) {
			pts, err := Frontier(p, s, []float64{0.4})
			if err != nil {
				return Result{}, err
			}
			return pts[0].Result, nil
		}},
	} {
		old, err := c.solve(p, &Settings{})
		if err != nil {
			t.Fatal(c.name, err)
		}
		cold, err := c.solve(&q, &Settings{})
		if err != nil {
			t.Fatal(c.name, err)
		}
		warm, err := c.solve(&q, &Settings{Warm: old.Pool.Shifted(shift)})
		if err != nil {
			t.Fatal(c.name, err)
		}
		if d := math.Abs(warm.Objective-cold.Objective) / math.Abs(cold.Objective); d > 1e-5 {
			t.Errorf("%s: warm objective %v, cold %v", c.name, warm.Objective, cold.Objective)
		}
		if warm.LowerBound > cold.Objective*(1+1e-9)+1e-6 {
			t.Errorf("%s: warm lower bound %v above the cold optimum %v: an invalid cut", c.name, warm.LowerBound, cold.Objective)
		}
		t.Logf("%s: iterations cold %d, warm %d", c.name, cold.Iterations, warm.Iterations)
		// From the old solution, with its cuts: the same optimum too.
		ws, err := c.solve(&q, &Settings{Warm: old.Pool.Shifted(shift), Start: old.Relaxed})
		if err != nil {
			t.Fatal(c.name, err)
		}
		if d := math.Abs(ws.Objective-cold.Objective) / math.Abs(cold.Objective); d > 1e-5 {
			t.Errorf("%s: warm start from the old solution: objective %v, cold %v", c.name, ws.Objective, cold.Objective)
		}
	}
	if _, err := Median(&q, &Settings{Warm: &CutPool{M: 3, C0: []float64{0}, G: []float64{0, 0, 0}}}); err == nil {
		t.Error("a pool of 3 instruments accepted for 12")
	}
}

func TestCancel(t *testing.T) {
	p := randProblem(7, 50, 20, 8)
	p.Budget = 5e5
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // (the package's tests shadow the builtin close)
	if _, err := Robust(p, &Settings{Cancel: ctx.Done()}); !errors.Is(err, ErrCanceled) {
		t.Fatalf("Robust with a closed Cancel: err = %v, want ErrCanceled", err)
	}
	if _, err := Robust(p, &Settings{Cancel: make(chan struct{})}); err != nil {
		t.Fatalf("Robust with an open Cancel: %v", err)
	}
}

// A Shift gives the same solves and metrics as the P&L matrix with the
// shift subtracted from every row (to the solver's tolerance: the two
// add in different orders), with MinTrade and MaxInstruments too.
func TestShiftEqualsShiftedMatrix(t *testing.T) {
	p := randProblem(11, 60, 30, 10)
	p.Budget = 4e6
	p.MinTrade = 2e7
	p.MaxInstruments = 5
	shift := make([]float64, p.M())
	for j := range shift {
		shift[j] = 0.004 * float64(j%3-1)
	}
	q := *p
	q.PnL = append([]float64(nil), p.PnL...)
	for r := range q.Base {
		for j := range shift {
			q.PnL[r*p.M()+j] -= shift[j]
		}
	}
	s := *p
	s.Shift = shift
	for name, solve := range map[string]func(*Problem, *Settings) (Result, error){"median": Median, "robust": Robust, "cvar": CVaR} {
		a, err := solve(&q, nil)
		if err != nil {
			t.Fatalf("%s on the shifted matrix: %v", name, err)
		}
		b, err := solve(&s, nil)
		if err != nil {
			t.Fatalf("%s with Shift: %v", name, err)
		}
		scale := math.Abs(a.Objective) + 1e6
		if d := math.Abs(a.Objective - b.Objective); d > 2e-6*scale {
			t.Errorf("%s: objective %v with Shift, %v on the shifted matrix", name, b.Objective, a.Objective)
		}
		ma, err := Evaluate(&q, b.X, nil)
		if err != nil {
			t.Fatal(err)
		}
		mb, err := Evaluate(&s, b.X, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range [][2]float64{{ma.CVaR, mb.CVaR}, {ma.WorstCVaR, mb.WorstCVaR}, {ma.MedianCVaR, mb.MedianCVaR}, {ma.TailCVaR, mb.TailCVaR}} {
			if math.Abs(v[0]-v[1]) > 1e-9*math.Abs(v[0]) {
				t.Errorf("%s: metrics of the same notionals differ: %+v with Shift, %+v on the shifted matrix", name, mb, ma)
				break
			}
		}
	}
	s.Shift = shift[:3]
	if _, err := Robust(&s, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("a Shift of the wrong length: err = %v, want ErrInvalid", err)
	}
	s.Shift = append([]float64{math.NaN()}, shift[1:]...)
	if _, err := Robust(&s, nil); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "Shift") {
		t.Errorf("a NaN Shift: err = %v, want ErrInvalid naming Shift", err)
	}
}
