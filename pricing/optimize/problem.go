package optimize

import (
	"errors"
	"fmt"
	"math"
)

// ErrInvalid is wrapped by every error about malformed input; the message
// names the offending field.
var ErrInvalid = errors.New("optimize: invalid input")

// ErrInfeasible is returned when no notional vector satisfies the bounds,
// the linear constraints and the budget (or, after the convex solve, the
// minimum trade size and cardinality rules).
var ErrInfeasible = errors.New("optimize: infeasible constraints")

// ErrNotConverged is returned when a solver stops at its iteration limit
// before meeting its tolerance. The Result returned with it is feasible but
// its gap is larger than asked for.
var ErrNotConverged = errors.New("optimize: not converged")

// ErrCanceled is returned by a solve whose Settings.Cancel was closed.
var ErrCanceled = errors.New("optimize: canceled")

// Constraint is a general linear constraint Lo <= Σ_j A[j]·x_j <= Hi on the
// notionals x (USD). Either side may be infinite; Lo == Hi is an equality.
// An FX hedge ratio for EUR between 50% and 95% of the EUR exposure E is
// A[j] = delta_j (USD of EUR delta per USD notional) for the EUR
// instruments, zero elsewhere, Lo = 0.50·E, Hi = 0.95·E.
type Constraint struct {
	Name string
	A    []float64
	Lo   float64
	Hi   float64
}

// Problem is a hedge optimisation problem over N sample rows and M
// instruments. The slices are owned by the caller and only read.
type Problem struct {
	// Base[r] is the unhedged 1-year surplus loss of row r in USD
	// (positive = loss). Required for the CVaR-family objectives.
	Base []float64
	// PnL is the N×M row-major matrix of 1-year P&L in USD of one USD of
	// notional of instrument j in row r (positive = gain). The hedged loss
	// of row r is Base[r] - Σ_j PnL[r*M+j]·x_j.
	PnL []float64
	// Shift, when not nil, is subtracted from every row of PnL: the P&L
	// of instrument j in row r is PnL[r*M+j] - Shift[j]. It re-prices the
	// instruments (a premium that moved shifts every path's P&L by the
	// same amount) without copying the matrix. Length M.
	Shift []float64
	// Scenario[r] is the volatility scenario (0..S-1) of row r. Nil means
	// one scenario holding every row. Rows of a scenario need not be
	// contiguous. Required by Robust, TailRobust, Median and Frontier when
	// there is more than one scenario.
	Scenario []int

	// Cost[j] is the annual all-in cost in USD per USD of notional,
	// charged on |x_j|. Length M; it also fixes M.
	Cost []float64
	// Lower[j], Upper[j] bound the notional in USD. Nil Lower means 0 for
	// every instrument (long only); nil Upper means +Inf. A prohibited
	// instrument has Lower = Upper = 0. An instrument whose bounds allow
	// both signs may be long or short.
	Lower, Upper []float64
	// Budget bounds Σ_j Cost[j]·|x_j| in USD per year. Zero means no
	// budget; +Inf is accepted and means the same. Negative is invalid.
	Budget float64
	// Constraints are general linear constraints on x.
	Constraints []Constraint

	// MinTrade is the minimum trade size in USD: each x_j is either 0 or
	// |x_j| >= MinTrade. Zero means no minimum.
	MinTrade float64
	// MaxInstruments caps the number of nonzero x_j (instruments or
	// counterparty lines). Zero means no cap.
	MaxInstruments int

	// Holdings[j], when not nil, is the notional of instrument j held
	// today (USD), and TradeCost[j] the one-off cost in USD of trading
	// one USD of notional (the bid-ask). Moving from Holdings to x costs
	// T(x) = Σ_j TradeCost[j]·|x_j - Holdings[j]|, paid now: it adds to
	// every row's loss, so the CVaR-family objectives minimise
	// CVaR + T(x) (CVaR is translation invariant), and a rebalance trades
	// only where the risk it removes is worth the bid-ask. Both nil means
	// no trading cost; Holdings needs TradeCost and the reverse. The
	// Variance objective (a funded-ratio variance, not USD) refuses them.
	Holdings, TradeCost []float64

	// FRBase[r] is the change of the funded ratio (a fraction, positive =
	// improvement) of row r without hedges, and FRPnL the N×M row-major
	// change per USD of notional; the hedged change is
	// FRBase[r] + Σ_j FRPnL[r*M+j]·x_j. Required by Variance only; when
	// present the other objectives also report the funded-ratio
	// volatility.
	FRBase []float64
	FRPnL  []float64
}

// M returns the number of instruments.
func (p *Problem) M() int { return len(p.Cost) }

// N returns the number of sample rows.
func (p *Problem) N() int {
	if p.Base != nil {
		return len(p.Base)
	}
	return len(p.FRBase)
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func checkFinite(name string, v []float64) error {
	for i, x := range v {
		if !finite(x) {
			return invalid("%s[%d] = %v is not finite", name, i, x)
		}
	}
	return nil
}

// validate checks p for the needs of an objective: loss data (CVaR family)
// or funded-ratio data (Variance).
func (p *Problem) validate(needLoss, needFR bool) error {
	if p == nil {
		return invalid("nil Problem")
	}
	m := p.M()
	if m == 0 {
		return invalid("Cost is empty: no instruments")
	}
	if err := checkFinite("Cost", p.Cost); err != nil {
		return err
	}
	for j, c := range p.Cost {
		if c < 0 {
			return invalid("Cost[%d] = %v is negative", j, c)
		}
	}
	if needLoss {
		n := len(p.Base)
		if n == 0 {
			return invalid("Base is empty")
		}
		if len(p.PnL) != n*m {
			return invalid("PnL has %d entries, want len(Base)·len(Cost) = %d·%d", len(p.PnL), n, m)
		}
		if err := checkFinite("Base", p.Base); err != nil {
			return err
		}
		if err := checkFinite("PnL", p.PnL); err != nil {
			return err
		}
		if p.Shift != nil {
			if len(p.Shift) != m {
				return invalid("Shift has %d entries, want len(Cost) = %d", len(p.Shift), m)
			}
			if err := checkFinite("Shift", p.Shift); err != nil {
				return err
			}
		}
		if p.Scenario != nil {
			if len(p.Scenario) != n {
				return invalid("Scenario has %d entries, want len(Base) = %d", len(p.Scenario), n)
			}
			for r, s := range p.Scenario {
				if s < 0 {
					return invalid("Scenario[%d] = %d is negative", r, s)
				}
			}
		}
	}
	if needFR {
		n := len(p.FRBase)
		if n < 2 {
			return invalid("FRBase has %d rows, want at least 2", n)
		}
		if len(p.FRPnL) != n*m {
			return invalid("FRPnL has %d entries, want len(FRBase)·len(Cost) = %d·%d", len(p.FRPnL), n, m)
		}
		if err := checkFinite("FRBase", p.FRBase); err != nil {
			return err
		}
		if err := checkFinite("FRPnL", p.FRPnL); err != nil {
			return err
		}
	} else if p.FRBase != nil && len(p.FRPnL) != len(p.FRBase)*m {
		return invalid("FRPnL has %d entries, want len(FRBase)·len(Cost) = %d·%d", len(p.FRPnL), len(p.FRBase), m)
	}
	if p.Lower != nil && len(p.Lower) != m {
		return invalid("Lower has %d entries, want len(Cost) = %d", len(p.Lower), m)
	}
	if p.Upper != nil && len(p.Upper) != m {
		return invalid("Upper has %d entries, want len(Cost) = %d", len(p.Upper), m)
	}
	for j := 0; j < m; j++ {
		lo, hi := p.lower(j), p.upper(j)
		if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 1) || math.IsInf(hi, -1) {
			return invalid("bounds of instrument %d are [%v, %v]", j, lo, hi)
		}
		if lo > hi {
			return fmt.Errorf("%w: Lower[%d] = %v > Upper[%d] = %v", ErrInfeasible, j, lo, j, hi)
		}
	}
	if (p.Holdings == nil) != (p.TradeCost == nil) {
		return invalid("Holdings and TradeCost go together: got %d holdings and %d trade costs", len(p.Holdings), len(p.TradeCost))
	}
	if p.Holdings != nil {
		if needFR {
			return invalid("Holdings and TradeCost: the Variance objective (a funded-ratio variance) cannot charge a trading cost in USD; use a CVaR-family objective")
		}
		if len(p.Holdings) != m || len(p.TradeCost) != m {
			return invalid("Holdings has %d entries and TradeCost %d, want len(Cost) = %d", len(p.Holdings), len(p.TradeCost), m)
		}
		if err := checkFinite("Holdings", p.Holdings); err != nil {
			return err
		}
		if err := checkFinite("TradeCost", p.TradeCost); err != nil {
			return err
		}
		for j, c := range p.TradeCost {
			if c < 0 {
				return invalid("TradeCost[%d] = %v is negative", j, c)
			}
		}
	}
	if math.IsNaN(p.Budget) || p.Budget < 0 {
		return invalid("Budget = %v, want >= 0 (0 means no budget)", p.Budget)
	}
	for k, c := range p.Constraints {
		if len(c.A) != m {
			return invalid("Constraints[%d] (%q).A has %d entries, want %d", k, c.Name, len(c.A), m)
		}
		if err := checkFinite(fmt.Sprintf("Constraints[%d].A", k), c.A); err != nil {
			return err
		}
		if math.IsNaN(c.Lo) || math.IsNaN(c.Hi) || math.IsInf(c.Lo, 1) || math.IsInf(c.Hi, -1) {
			return invalid("Constraints[%d] (%q) has bounds [%v, %v]", k, c.Name, c.Lo, c.Hi)
		}
		if c.Lo > c.Hi {
			return fmt.Errorf("%w: Constraints[%d] (%q) has Lo %v > Hi %v", ErrInfeasible, k, c.Name, c.Lo, c.Hi)
		}
	}
	if math.IsNaN(p.MinTrade) || math.IsInf(p.MinTrade, 0) || p.MinTrade < 0 {
		return invalid("MinTrade = %v, want a finite value >= 0", p.MinTrade)
	}
	if p.MaxInstruments < 0 {
		return invalid("MaxInstruments = %d, want >= 0", p.MaxInstruments)
	}
	// Every instrument must be bounded, by its own bounds or by the budget.
	for j := 0; j < m; j++ {
		lo, hi := p.effBounds(j)
		if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			return invalid("instrument %d has unbounded notional: set Lower/Upper, or a positive Cost[%d] with a Budget", j, j)
		}
	}
	return nil
}

func (p *Problem) lower(j int) float64 {
	if p.Lower == nil {
		return 0
	}
	return p.Lower[j]
}

func (p *Problem) upper(j int) float64 {
	if p.Upper == nil {
		return math.Inf(1)
	}
	return p.Upper[j]
}

func (p *Problem) hasBudget() bool { return p.Budget > 0 && !math.IsInf(p.Budget, 1) }

// effBounds returns the bounds of x_j tightened by the budget
// (Cost[j]·|x_j| <= Budget).
func (p *Problem) effBounds(j int) (lo, hi float64) {
	lo, hi = p.lower(j), p.upper(j)
	if p.Budget > 0 && !math.IsInf(p.Budget, 1) && p.Cost[j] > 0 {
		b := p.Budget / p.Cost[j]
		lo = math.Max(lo, -b)
		hi = math.Min(hi, b)
	}
	return lo, hi
}

// CostPerYear returns Σ_j Cost[j]·|x_j| in USD per year.
func (p *Problem) CostPerYear(x []float64) float64 {
	c := 0.0
	for j, v := range x {
		c += p.Cost[j] * math.Abs(v)
	}
	return c
}

// TradeCostOf returns T(x) = Σ_j TradeCost[j]·|x_j - Holdings[j]|, the
// one-off cost in USD of trading from Holdings to x; 0 without Holdings.
func (p *Problem) TradeCostOf(x []float64) float64 {
	c := 0.0
	for j, h := range p.Holdings {
		c += p.TradeCost[j] * math.Abs(x[j]-h)
	}
	return c
}

// Violation says why x does not meet the problem's rules, "" when it does:
// the bounds and the budget-tightened bounds, the linear constraints, the
// budget, the minimum trade size and the cardinality cap, each within a
// relative tolerance tol of its scale (1e-9 is a solver's precision; a
// held programme checked against today's limits may want more). It names
// the first rule broken and by how much.
func (p *Problem) Violation(x []float64, tol float64) string {
	if len(x) != p.M() {
		return fmt.Sprintf("%d notionals for %d instruments", len(x), p.M())
	}
	nz := 0
	for j, v := range x {
		if !finite(v) {
			return fmt.Sprintf("instrument %d has notional %v", j, v)
		}
		lo, hi := p.lower(j), p.upper(j)
		s := tol * math.Max(1, math.Max(math.Abs(lo), math.Abs(hi)))
		if math.IsInf(s, 0) {
			s = tol * math.Max(1, math.Abs(v))
		}
		if v < lo-s || v > hi+s {
			return fmt.Sprintf("instrument %d: notional %.6g outside its bounds [%.6g, %.6g]", j, v, lo, hi)
		}
		if v != 0 {
			nz++
			if math.Abs(v) < p.MinTrade*(1-tol) {
				return fmt.Sprintf("instrument %d: notional %.6g under the minimum trade %.6g", j, v, p.MinTrade)
			}
		}
	}
	if p.MaxInstruments > 0 && nz > p.MaxInstruments {
		return fmt.Sprintf("%d instruments, more than MaxInstruments = %d", nz, p.MaxInstruments)
	}
	if p.hasBudget() {
		if c := p.CostPerYear(x); c > p.Budget*(1+tol) {
			return fmt.Sprintf("costs %.6g a year, over the budget %.6g", c, p.Budget)
		}
	}
	for _, c := range p.Constraints {
		v := dot(c.A, x)
		s := 0.0
		for j, a := range c.A {
			s += math.Abs(a * x[j])
		}
		for _, b := range []float64{c.Lo, c.Hi} {
			if finite(b) {
				s = math.Max(s, math.Abs(b))
			}
		}
		s *= tol
		if v < c.Lo-s || v > c.Hi+s {
			return fmt.Sprintf("constraint %s = %.6g outside [%.6g, %.6g]", c.Name, v, c.Lo, c.Hi)
		}
	}
	return ""
}
