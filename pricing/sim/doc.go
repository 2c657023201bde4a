// Package sim simulates one scenario's market paths and revalues a pension
// fund's assets and liabilities along them.
//
// # Risk factors
//
// Per scenario the factors are: the log USD price of every non-USD currency
// the fund is exposed to (lognormal, vol FXVol, no drift beyond the Itô
// term); three Nelson-Siegel-shaped curve factors per currency with rate
// exposure (level, slope, curvature: arithmetic Brownian motions in absolute
// rate units with vols IRVol·√0.60, IRVol·√0.25·ShortRateMult and
// IRVol·√0.15); one log-spread factor per credit rating held (vol CreditVol,
// scaled per sector by its systemic amplification; spreads are martingales);
// the log local-currency level of each equity market held (drift: the
// currency's 3-month zero rate plus an equity risk premium, vol EquityVol);
// and an idiosyncratic factor per alternative asset. The factors are
// correlated by the scenario's regime (normal, stress, crisis; see corr.go),
// with the correlation matrix repaired to the nearest positive semidefinite
// one by eigenvalue clipping (Rebonato & Jäckel 1999) when a regime's
// figures are not jointly consistent. The matrix is constant within each
// pair of kinds, so a draw is correlated through the Cholesky factor of
// the kinds' small matrix and each kind's deviations from its mean, in
// O(d) rather than O(d²) operations (blockFactor: exactly the same
// distribution).
//
// # Curve shocks
//
// The curve factors move forward rates: level by 1 at every maturity, slope
// by exp(-u/λ) and curvature by (u/λ)exp(-u/λ) at maturity u, λ = 1.37 years
// (Diebold & Li 2006), each averaged over the segments between the knots in
// Knots. A zero rate at maturity τ therefore moves by
// (L·τ + S·I_S(τ) + C·I_C(τ))/τ, where I are the integrated loadings: exactly
// the Nelson-Siegel zero loadings at the knots, linear in τ between them. The
// base curve keeps its shape as time passes (roll-down at constant zero
// rates by remaining maturity).
//
// # Revaluation
//
// Every cash flow of the fund (bond coupons and redemptions, benefit
// payments) lies on one semi-annual grid from the valuation date. At the
// horizons (default 21, 63, 126 and 252 trading days) every cash flow still
// to come is discounted exactly on the shocked curve plus its class's
// shocked spread: full revaluation. Because the shocks are piecewise linear
// in τ on the grid, discount factors within a knot segment follow a
// geometric progression, which makes the exact revaluation cost a few
// exponentials per segment instead of one per cash flow. Between horizons,
// at every step (default weekly), the value of each cash-flow class is
// V0·exp(expansion of ln V to third order in the curve factors and second
// order in its spread), around the exactly rolled-down base value V0: a
// cumulant expansion, exact for a single cash flow, within 1e-3 of the full
// revaluation for one-year shocks of the most volatile scenarios (see
// TestExpansionAgreesWithExact). Those values feed the funded-ratio path
// used for drawdowns. Cash flows paid before a horizon are held as cash in their
// currency. A hedging programme carried on the paths (Sim.SetProgramme)
// values its swaps the same way between horizons, their fixed leg with the
// notional as one more class (TestSwapTaylorOnPaths), and every hedge
// exactly at the horizons.
//
// Time is in trading days (252 a year). Values are in USD.
package sim
