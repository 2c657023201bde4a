package optimize

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// withHoldings gives p holdings within its bounds and trade costs of
// between cmin and cmax per USD traded.
func withHoldings(p *Problem, seed uint64, cmin, cmax float64) {
	rng := rand.New(rand.NewPCG(seed, 99))
	m := p.M()
	p.Holdings = make([]float64, m)
	p.TradeCost = make([]float64, m)
	for j := range m {
		p.Holdings[j] = (rng.Float64()*2 - 1) * 3e8
		p.TradeCost[j] = cmin + (cmax-cmin)*rng.Float64()
	}
}

// CVaR + T(x) from the level bundle method agrees with gonum's simplex on
// the Rockafellar-Uryasev LP with trade sizes w_j >= |x_j - h_j| (an
// independent formulation), with budgets and constraints, for trading
// costs from 10 bp to 5% of the notional traded; the lower bound stays
// below the LP optimum, and Result.TradeCost is T at X.
func TestTradeCostMatchesSimplex(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		p := simplexCase(seed)
		cmax := 0.001
		if seed%2 == 0 {
			cmax = 0.05
		}
		withHoldings(p, seed, cmax/10, cmax)
		if p.hasBudget() { // holdings the budget allows
			for j := range p.Holdings {
				p.Holdings[j] *= 0.1
			}
		}
		// Costs linear in the model's variables: nothing held (a
		// long/short split under a budget), or a holding beyond the bounds
		// (the exposure shrank).
		switch seed % 4 {
		case 1:
			p.Holdings[0] = 0
		case 3: // nothing held: the cost of building the programme
			p.Budget = 1.2e6
			clear(p.Holdings)
		case 2:
			_, hi := p.effBounds(1)
			p.Holdings[1] = hi + 1e8
		}
		want, xl := ruLP(t, p, 0.95)
		got, err := CVaR(p, &Settings{Tol: 1e-9})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		scale := 3e7
		if !close(got.Objective, want, 1e-6*scale, 0) {
			t.Errorf("seed %d: CVaR + T = %v, simplex %v (diff %.3g; x %v, simplex x %v)", seed, got.Objective, want, got.Objective-want, got.X, xl)
		}
		if got.LowerBound > want+1e-6*scale {
			t.Errorf("seed %d: lower bound %v above the LP optimum %v", seed, got.LowerBound, want)
		}
		if tc := p.TradeCostOf(got.X); got.TradeCost != tc || !(tc > 0) {
			t.Errorf("seed %d: Result.TradeCost %v, T(X) %v", seed, got.TradeCost, tc)
		}
		noHold := *p
		noHold.Holdings, noHold.TradeCost = nil, nil
		free, err := CVaR(&noHold, &Settings{Tol: 1e-9})
		if err != nil {
			t.Fatalf("seed %d without holdings: %v", seed, err)
		}
		// Trading costs can only raise the optimum, and the programme
		// with them must not trade more.
		if got.Objective < free.Objective-1e-6*scale {
			t.Errorf("seed %d: with trading costs %v, below the optimum without %v", seed, got.Objective, free.Objective)
		}
		if tf := p.TradeCostOf(free.X); got.TradeCost > tf*(1+1e-9)+1e-6*scale {
			t.Errorf("seed %d: trades at cost %v, more than the programme chosen without trading costs (%v)", seed, got.TradeCost, tf)
		}
	}
}

// Two instruments with the same P&L (a duration hedge in two tenors that
// the rows cannot tell apart): without trading costs any split of the
// hedge is optimal; with the hedge held in the first and a bid-ask on
// both, the optimiser keeps it where it is and trades nothing, also under
// the cardinality heuristic.
func TestTradeCostKeepsAnEquivalentHedge(t *testing.T) {
	base := randProblem(3, 5, 40, 1)
	base.Lower[0], base.Upper[0] = -5e10, 5e10 // an optimum inside the bounds
	n := len(base.Base)
	p := &Problem{Base: base.Base, Scenario: base.Scenario, PnL: make([]float64, 2*n),
		Cost: []float64{0.001, 0.001}, Lower: []float64{-5e10, -5e10}, Upper: []float64{5e10, 5e10}}
	for r := range n {
		p.PnL[2*r], p.PnL[2*r+1] = base.PnL[r], base.PnL[r]
	}
	one := *base
	opt, err := CVaR(&one, &Settings{Tol: 1e-10})
	if err != nil {
		t.Fatal(err)
	}
	h := opt.X[0]
	if !(math.Abs(h) > 1e7) || math.Abs(h) > 4e10 {
		t.Fatalf("the one-instrument optimum %v hedges nothing or sits at a bound: no test", h)
	}
	p.Holdings = []float64{h, 0}
	p.TradeCost = []float64{0.0004, 0.0004}
	for _, cap := range []int{0, 1} {
		p.MaxInstruments, p.MinTrade = cap, 1e6*float64(cap)
		got, err := CVaR(p, &Settings{Tol: 1e-10})
		if err != nil {
			t.Fatalf("cap %d: %v", cap, err)
		}
		if d := math.Abs(got.X[0] - h); d > 1e-6*math.Abs(h) || math.Abs(got.X[1]) > 1e-6*math.Abs(h) {
			t.Errorf("cap %d: x = %v, want the holdings [%v 0] kept", cap, got.X, h)
		}
		if got.TradeCost > 1e-6*math.Abs(h)*0.0004*2 {
			t.Errorf("cap %d: trades at a cost of %v", cap, got.TradeCost)
		}
		if !close(got.Objective, opt.Objective, 1e-6*3e7, 0) {
			t.Errorf("cap %d: objective %v, the held hedge's CVaR %v", cap, got.Objective, opt.Objective)
		}
	}
}

func TestTradeCostInvalid(t *testing.T) {
	for name, c := range map[string]struct {
		hold, cost []float64
		want       string
	}{
		"holdings alone": {[]float64{0, 0, 0}, nil, "go together"},
		"cost alone":     {nil, []float64{0, 0, 0}, "go together"},
		"short":          {[]float64{0, 0}, []float64{0, 0}, "Holdings has 2 entries"},
		"NaN holding":    {[]float64{0, math.NaN(), 0}, []float64{0, 0, 0}, "Holdings[1]"},
		"negative cost":  {[]float64{0, 0, 0}, []float64{0, -1e-4, 0}, "TradeCost[1]"},
		"infinite cost":  {[]float64{0, 0, 0}, []float64{0, 0, math.Inf(1)}, "TradeCost[2]"},
	} {
		p := randProblem(1, 2, 10, 3)
		p.Holdings, p.TradeCost = c.hold, c.cost
		_, err := CVaR(p, nil)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want ErrInvalid naming %q", name, err, c.want)
		}
	}
	p := randProblem(1, 2, 10, 3)
	withHoldings(p, 1, 1e-4, 1e-3)
	p.FRBase = make([]float64, len(p.Base))
	p.FRPnL = make([]float64, len(p.PnL))
	if _, err := Variance(p, nil); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "Variance") {
		t.Errorf("Variance with holdings: %v, want ErrInvalid", err)
	}
}

// Violation accepts a solver's answer and names each rule a programme
// breaks.
func TestViolation(t *testing.T) {
	p := randProblem(2, 3, 10, 3)
	p.Budget = 1.2e6
	p.MinTrade = 1e6
	p.MaxInstruments = 2
	p.Constraints = []Constraint{{Name: "group", A: []float64{1, 1, 0}, Lo: 1e7, Hi: math.Inf(1)}}
	res, err := CVaR(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if v := p.Violation(res.X, 1e-7); v != "" {
		t.Fatalf("the optimum %v breaks: %s", res.X, v)
	}
	for name, c := range map[string]struct {
		x    []float64
		want string
	}{
		"bound":  {[]float64{6e8, 0, 0}, "outside its bounds"},
		"min":    {[]float64{2e7, 5e5, 0}, "minimum trade"},
		"cap":    {[]float64{2e7, 2e7, 2e7}, "MaxInstruments"},
		"budget": {[]float64{4e8, 4e8, 0}, "budget"},
		"group":  {[]float64{5e6, 0, 0}, "constraint group"},
		"NaN":    {[]float64{math.NaN(), 0, 0}, "NaN"},
		"length": {[]float64{0}, "1 notionals"},
	} {
		if v := p.Violation(c.x, 1e-9); !strings.Contains(v, c.want) {
			t.Errorf("%s: %q, want it to name %q", name, v, c.want)
		}
	}
}

// Repair trims holdings that break a limit, a band and the budget at the
// least trading cost, and leaves holdings that meet them alone.
func TestRepair(t *testing.T) {
	p := randProblem(4, 2, 10, 3)
	p.TradeCost = []float64{0.0002, 0.0005, 0.001}
	p.Holdings = []float64{1e8, -2e8, 3e8}
	x, err := Repair(p)
	if err != nil {
		t.Fatal(err)
	}
	for j := range x {
		if x[j] != p.Holdings[j] {
			t.Errorf("holdings inside every limit moved: %v -> %v", p.Holdings, x)
		}
	}
	p.Holdings = []float64{6e8, -2e8, 3e8} // over instrument 0's limit of 5e8
	p.Constraints = []Constraint{{Name: "band", A: []float64{1, 1, 0}, Lo: 1e8, Hi: 2e8}}
	p.Budget = 2.2e6
	if p.Violation(p.Holdings, 1e-9) == "" {
		t.Fatal("the holdings break nothing: no test")
	}
	x, err = Repair(p)
	if err != nil {
		t.Fatal(err)
	}
	if v := p.Violation(x, 1e-7); v != "" {
		t.Fatalf("repaired %v breaks: %s", x, v)
	}
	// No feasible point of a grid trims for less: instrument 0 on a
	// 2.5m grid, instrument 1 held or at either edge of the band, and
	// instrument 2 held or as repaired.
	best := math.Inf(1)
	for a := -5e8; a <= 5e8; a += 2.5e6 {
		for _, b := range []float64{1e8 - a, 2e8 - a, p.Holdings[1]} {
			for _, c := range []float64{p.Holdings[2], x[2]} {
				y := []float64{a, b, c}
				if p.Violation(y, 1e-9) == "" {
					best = math.Min(best, p.TradeCostOf(y))
				}
			}
		}
	}
	t.Logf("holdings %v repaired to %v at %.0f; best grid point %.0f", p.Holdings, x, p.TradeCostOf(x), best)
	if got := p.TradeCostOf(x); got > best*(1+1e-6)+1 {
		t.Errorf("repair costs %v, a grid point %v", got, best)
	}
}

// Repair trims with the instruments held, and adds one only when the held
// ones cannot meet the rules.
func TestRepairUsesWhatIsHeld(t *testing.T) {
	p := randProblem(4, 2, 10, 3)
	p.TradeCost = []float64{0.0005, 0.0001, 0.001} // instrument 1 the cheapest to trade
	p.Constraints = []Constraint{{Name: "band", A: []float64{1, 1, 0}, Lo: 1e8, Hi: 2e8}}
	p.Holdings = []float64{3e8, 0, 1e8}
	x, err := Repair(p)
	if err != nil {
		t.Fatal(err)
	}
	if x[1] != 0 || math.Abs(x[0]-2e8) > 1 || x[2] != 1e8 {
		t.Errorf("repaired %v, want instrument 0 trimmed to the band's 2e8 and nothing added", x)
	}
	p.Constraints = append(p.Constraints, Constraint{Name: "needs 1", A: []float64{0, 1, 0}, Lo: 5e7, Hi: math.Inf(1)})
	if x, err = Repair(p); err != nil || x[1] < 5e7*(1-1e-9) || p.Violation(x, 1e-7) != "" {
		t.Errorf("repaired %v (%v), want instrument 1 added to meet its floor", x, err)
	}
}

// TestRepairClosesDust: a trim that leaves a position under MinTrade
// closes it when the limits allow, and leaves it (for Violation to report)
// when they need it.
func TestRepairClosesDust(t *testing.T) {
	p := randProblem(4, 2, 10, 3)
	p.TradeCost = []float64{0.0002, 0.0005, 0.001}
	p.MinTrade = 1e7
	p.Holdings = []float64{1e8, 5e7, 3e8}
	// instrument 1 capped at 3m: the least trim leaves 3m, under the 10m
	// minimum trade
	p.Constraints = []Constraint{{Name: "cap", A: []float64{0, 1, 0}, Lo: math.Inf(-1), Hi: 3e6}}
	x, err := Repair(p)
	if err != nil {
		t.Fatal(err)
	}
	if x[1] != 0 || x[0] != p.Holdings[0] || x[2] != p.Holdings[2] {
		t.Errorf("repaired %v, want instrument 1 closed and the others held", x)
	}
	if v := p.Violation(x, 1e-7); v != "" {
		t.Errorf("repaired %v breaks: %s", x, v)
	}
	// a floor of 2m: it cannot be closed, and the answer says so
	p.Constraints[0].Lo = 2e6
	if x, err = Repair(p); err != nil {
		t.Fatal(err)
	}
	if math.Abs(x[1]-3e6) > 1 || p.Violation(x, 1e-7) == "" {
		t.Errorf("repaired %v (%q), want instrument 1 left at 3m, under the minimum trade", x, p.Violation(x, 1e-7))
	}
}

// TestRepairMaxInstruments: a book over the line cap is trimmed by closing
// its smallest lines that the limits can do without, and left over the cap
// (for Violation to report) when they need every line.
func TestRepairMaxInstruments(t *testing.T) {
	p := randProblem(4, 2, 10, 3)
	p.TradeCost = []float64{0.0002, 0.0005, 0.001}
	p.MaxInstruments = 2
	p.Holdings = []float64{1e8, -5e7, 3e8}
	x, err := Repair(p)
	if err != nil {
		t.Fatal(err)
	}
	if x[1] != 0 || x[0] != p.Holdings[0] || x[2] != p.Holdings[2] || p.Violation(x, 1e-7) != "" {
		t.Errorf("repaired %v (%q), want the smallest line closed and the others held", x, p.Violation(x, 1e-7))
	}
	// every line needed: instrument 1 has a floor, 0 and 2 a joint one
	p.Constraints = []Constraint{
		{Name: "needs 1", A: []float64{0, 1, 0}, Lo: math.Inf(-1), Hi: -1e7},
		{Name: "needs 0 and 2", A: []float64{1, 0, 1}, Lo: 3.5e8, Hi: math.Inf(1)},
		{Name: "0 at most 2e8", A: []float64{1, 0, 0}, Lo: math.Inf(-1), Hi: 2e8},
		{Name: "2 at most 3e8", A: []float64{0, 0, 1}, Lo: math.Inf(-1), Hi: 3e8},
	}
	if x, err = Repair(p); err != nil {
		t.Fatal(err)
	}
	if n := nonzero(x); n != 3 || p.Violation(x, 1e-7) == "" {
		t.Errorf("repaired %v: %d lines (%q), want all 3, over the cap", x, n, p.Violation(x, 1e-7))
	}
}
