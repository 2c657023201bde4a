// Package optimize chooses hedge notionals for a pension fund from
// simulated scenarios: the programme that minimises the tail of the
// 1-year surplus loss, or the funded-ratio variance, within a cost budget
// and trading rules, with proofs of optimality.
//
// # Data and conventions
//
// A Problem holds N sample rows r, each a path of a volatility scenario
// (Problem.Scenario), and M candidate instruments j. Base[r] is the
// unhedged 1-year surplus loss in USD, positive = loss. PnL is the N×M
// row-major matrix (owned by the caller, only read) of 1-year P&L in USD
// per USD of notional, positive = gain; the hedged loss is
// Base[r] - Σ_j PnL[r][j]·x_j with x the notionals in USD. Cost[j] is the
// annual all-in cost in USD per USD of notional (a fraction), charged on
// |x_j|; the budget bounds Σ Cost[j]·|x_j| in USD a year. Funded-ratio
// data (FRBase, FRPnL) are changes of the funded ratio as fractions,
// positive = improvement. Every row has the same probability.
//
// CVaR_α (default α = 0.95) of a set of n rows is the Rockafellar-Uryasev
// value min_ζ ζ + Σ(L_r-ζ)⁺/((1-α)n), equal to the Acerbi-Tasche estimator
// used by pricing/risk: the mean of the worst q = (1-α)n losses, the
// ⌈q⌉-th worst weighted by the fraction q - ⌊q⌋. A scenario's CVaR uses
// its own rows only.
//
// # Objectives
//
//   - CVaR: CVaR_α over all rows (Rockafellar & Uryasev 2000, "Optimization
//     of conditional value-at-risk", J. Risk 2(3):21-41).
//   - Robust: max over scenarios of the scenario CVaR_α (minimax).
//   - TailRobust: the CVaR across scenarios of the scenario CVaRs: the mean
//     of the worst share β (Settings.TailShare, default 10%) of them.
//   - Median: the CVaR_α over the rows of the median band. Scenarios are
//     ranked by their unhedged CVaR_α (x = 0), ties by index; the median
//     scenario is the one at position ⌊(S-1)/2⌋ (the lower median) and the
//     band is the Settings.MedianBand scenarios centred on it (default 1:
//     the median scenario alone). The band is fixed before optimising, so
//     the objective is convex; a band of a few scenarios pools more paths
//     and overfits less than one scenario's 50 paths.
//   - Frontier: (1-λ)·median metric + λ·worst scenario CVaR for λ in a grid
//     (default 0, 0.1, ..., 1), from median-optimal (λ = 0) to robust
//     (λ = 1). CostOfRobustness compares the two ends in USD.
//   - Variance: the population variance of the hedged funded-ratio change
//     FRBase + FRPnL·x, a convex quadratic in x.
//
// # Methods
//
// Every CVaR-family objective is a convex piecewise-linear function of x
// whose value and an exact supporting hyperplane (cut) are cheap: one pass
// over the rows and a linear-time selection of the worst ⌈q⌉ losses per
// group give the tail weights w, and Σ w_r (Base[r] - PnL[r]·x') is an
// affine minorant tight at x (the dual representation of CVaR). They are
// minimised over the feasible set X (bounds, linear constraints, budget)
// by cutting planes, the approach of Künzi-Bauer & Mayer (2006, "A
// cutting-plane approach to CVaR optimization", Comput. Management Sci.
// 3:3-27), stabilised as the level bundle method of Lemaréchal,
// Nemirovskii & Nesterov (1995, "New variants of bundle methods", Math.
// Programming 69:111-147). Each iteration solves the Kelley LP
// min θ s.t. θ >= cuts, x ∈ X, whose value is a certified lower bound,
// and projects the best point onto a level set of the cut model (a QP).
// The run stops when best value minus lower bound, the reported
// DualityGap, is within Settings.Tol (default 1e-6 relative). The robust
// objective adds the cuts of the 9 worst scenarios per iteration (each a
// minorant of the maximum), the frontier the same cuts mixed with the
// median cut.
//
// Why not the RU linear programme as such: it has N + M + 1 variables and
// 2N rows. gonum's lp.Simplex is a dense revised simplex with Bland's rule
// and a dense LU of the basis each iteration; at N = 50,000 the basis
// alone would be a 50,000² dense matrix (20 GB), so it cannot run at this
// size. It is used in the tests as an independent check on small problems.
// The cutting-plane master has only M + 1 variables (2M + 1 when
// instruments may be long or short under a budget, split as x = x⁺ - x⁻,
// Dantzig 1963 §6.2) and at most M + 40 cuts, whatever N.
//
// The LP and QP subproblems, and the Variance QP, are solved by a dense
// primal-dual interior-point method, Mehrotra's predictor-corrector
// (Mehrotra 1992, SIAM J. Optim. 2:575-601; Nocedal & Wright, Numerical
// Optimization, 2nd ed., §14.2, §16.6) on the normal equations with a
// Cholesky factorisation. Feasibility is decided first by a phase-one LP
// (minimise the largest violation); a positive minimum is ErrInfeasible.
// For Variance, Result.KKT reports the residuals of the Karush-Kuhn-
// Tucker conditions (stationarity, primal feasibility, complementarity)
// and LowerBound the dual objective.
//
// Variables are scaled to |y| <= 1 by their bounds (a bound must exist:
// Lower/Upper, or Cost > 0 with a Budget, which implies |x_j| <=
// Budget/Cost[j]) and the objective by the RMS of Base.
//
// # Minimum trade size and cardinality
//
// MinTrade (x_j = 0 or |x_j| >= MinTrade) and MaxInstruments (at most K
// nonzero x_j) make the problem mixed-integer. They are enforced after the
// convex solve by greedy drop-and-refit (see enforce): zeros are fixed,
// the positions smallest in P&L terms (|x_j| times the RMS P&L of one
// USD) beyond K are dropped, positions under MinTrade are rounded to 0
// (under half of it) or held at ±MinTrade by a bound with fixed sign, and
// the convex problem is solved again, until nothing changes. The convex
// relaxation's LowerBound bounds every programme that obeys the rules, so
// IntegralityGap = (Objective - LowerBound)/|LowerBound| is a true bound
// on how far the heuristic can be from the best such programme.
//
// # Optimality evidence in the tests
//
// CVaR against the RU LP solved by gonum's simplex; every scenario
// objective against exhaustive search on a fine grid (two instruments,
// with the grid's Lipschitz resolution); Variance against the closed-form
// minimum-variance hedge ratio cov/var and a grid, with KKT residuals;
// MinTrade/MaxInstruments against enumeration of all 3^M sign patterns;
// the perfect hedge (P&L equal to the loss, no cost) hedges fully.
//
// Functions are pure: no I/O, no logging, no global state; bad input
// returns an error wrapping ErrInvalid that names the field.
package optimize
