// Package execution plans how a hedge programme is traded: day by day, per
// instrument, within limits on participation, market impact and horizon,
// with the expected cost of each day in bp and USD and a roadmap that puts
// the liquid hedges first. It is pure numerics: no I/O, no global state,
// randomness passed in.
//
// # Conventions
//
//   - Amounts are USD notional; a trade's side does not matter (buying and
//     selling cost the same).
//   - Time is in trading days; a schedule's day 1 is the first trading day.
//   - Spreads, impact and volatility are bp of notional in price terms: a
//     rate bid-ask of 0.2 bp on a 10y swap of duration 8.5 is 1.7 bp here;
//     a CDS running bid-ask is multiplied by the RPV01. BidAskBps is the full
//     spread; a trade pays half of it.
//   - Volatility (VolDailyBps) is the daily standard deviation of the price
//     of one unit of notional, in bp. [Model] takes it as a fraction.
//   - Costs are positive numbers: what the execution gives up against
//     trading everything at the arrival mid price.
//   - A [Schedule] and its parts encode to JSON with snake_case keys that
//     keep the unit suffixes (notional_usd, cost_bps): it is report.json's
//     execution_plan.
//
// # The cost model: Almgren and Chriss (2000)
//
// R. Almgren and N. Chriss, "Optimal execution of portfolio transactions",
// Journal of Risk 3(2), 2000, 5-39. Trading n_k in period k of length τ at
// rate v = n_k/τ pays a temporary impact h(v) = ε + ηv on that trade and
// moves the price permanently by τ g(v) = γ n_k. With holdings x_k after
// period k (x_0 = X, x_N = 0) the cost has mean and variance
//
//	E = γX²/2 + ε Σ|n_k| + (η̃/τ) Σ n_k²,  η̃ = η - γτ/2
//	V = σ² τ Σ x_k²
//
// and the trajectory minimising E + λV is
//
//	x_k = X sinh(κ(T - t_k)) / sinh(κT),  2(cosh κτ - 1)/τ² = κ̃² = λσ²/η̃
//
// ([Model.Holdings], [Model.Trades], [Model.Cost], [Model.Kappa]). As λ → 0
// it is the straight line x_k = X(1 - k/N) (TWAP); a larger λ front-loads
// the trades, with half-life 1/κ. The tests check the paper's closed forms
// for E and V (eq. (20)), the Euler-Lagrange equation, the λ → 0 limit, and
// the paper's numerical example against the values printed by DROP.
//
// For an instrument with [Liquidity] l, [Liquidity.Model] uses
// σ = l.VolDailyBps/1e4, ε = l.BidAskBps/2e4, η = l.TempImpactBps/1e4/ADV,
// γ = l.PermImpactBps/1e4/ADV and τ = 1 day: trading a fraction p of ADV in
// a day has a temporary impact of p x TempImpactBps and moves the price by
// p x PermImpactBps. A day's row in a schedule is charged
// ε_d n_d + η n_d² + γ n_d (notional already traded): half that day's
// spread, the temporary impact, and the permanent impact left by the
// earlier days of the same order; the rows of an order add up to E.
//
// # Limits
//
// [Settings] holds three limits, each with a default:
//
//   - participation: a day trades at most 15% of the instrument's ADV;
//   - impact: a day's market impact, (TempImpactBps + PermImpactBps) x
//     participation, at most 5 bp (half the spread is a cost, not impact);
//   - horizon: at most 30 trading days.
//
// The first two give a daily cap, min(15%, 5 bp / impact per ADV) x ADV, and
// the fewest days an order needs. An approach that can stretch does so (up
// to 30 days); when it still breaks a limit, [Plan] returns the schedule and
// a [*ConstraintError] that lists every [Violation] by [Constraint] name,
// instrument and day (a Horizon violation says how many days the order
// would need).
//
// # Approaches
//
//   - [Immediate]: everything on day 1; never stretched, breaches reported.
//   - [Phased]: 5 phases of 5 days, a fifth of each order per phase, evenly
//     within the phase (so 1/25 a day); phases lengthen to at most 6 days
//     when a day would break a limit. Phase ends are review points.
//   - [Optimal]: the Almgren-Chriss trajectory. Horizon rule: the fewest
//     days N the limits allow whose objective E + λV is within 1%
//     (HorizonTolerance) of the best objective over every allowed N up to
//     30; longer horizons only ever lower the objective, by less and less,
//     so this is the shortest horizon that gives up at most 1%. A day whose
//     optimal trade exceeds the daily cap trades the cap, and the remainder
//     follows the optimal trajectory of what is left (the optimal trades
//     decrease day by day, so the cap binds on the first days; the tests
//     check the KKT condition that no feasible transfer between days helps).
//   - [Opportunistic]: trade more when the simulated bid-ask is tight. With
//     R left on day d of a planned horizon D (HorizonDays, or Optimal's
//     horizon), trade min(R, cap, w_d R/(D-d+1)) with
//     w_d = clamp(BidAskBps / s_d, 0.5, 2), s_d the day's simulated spread:
//     twice the even rate when the spread is half its usual level, half the
//     rate when it is twice. After day D the rest goes at the cap; on day 30
//     whatever is left. Each day is charged half its own simulated spread.
//   - [VolatilityAdaptive]: the same rule with w_d = clamp(1/v_d, 0.5, 2),
//     v_d the day's volatility relative to normal: slow down when markets
//     are stressed. The variance uses σ v_d on day d.
//
// [LogAR1] simulates the signals: log-AR(1) paths around a median level,
// persistence 0.7 and daily log-vol 0.25 by default, from a caller's
// *rand.Rand so that a scenario's seed fixes them.
//
// # Roadmap
//
// Orders are ranked by the fewest days they need within the limits, then
// by bid-ask, then by name: liquid hedges first. The roadmap gives each its
// tier (liquid: one day; moderate: within a phase, 5 days; illiquid:
// longer), its first and last day, and its cost. Rows within a day follow
// the same order.
//
// # Default liquidity (orders of magnitude; override them)
//
// [Defaults] and [DefaultLiquidity] give one row per instrument kind for a
// liquid benchmark (USD or EUR market, on-the-run, standard tenor). They are
// orders of magnitude meant to make a first plan sensible, not market data:
// a desk overrides them with its own. Reasoning, row by row:
//
//   - FX forwards G10: BIS Triennial Central Bank Survey 2022 reports
//     outright forwards at about $1.2trn a day, EUR/USD a fifth to a quarter
//     of FX turnover: ADV $100bn for a major pair. Bid-ask 1 bp (a pip or so
//     on the all-in forward). Vol 8% a year, 50 bp a day.
//   - FX options: the same survey puts FX options at about $0.3trn a day;
//     a major pair's 3-month slice about $20bn. Bid-ask 0.3 vol points x a
//     3m ATM vega of about 20 bp per point, 6 bp. Price vol of a 25-delta
//     option, 15 bp of notional a day.
//   - IRS 2, 5, 10, 30y: CFTC weekly swaps reports and ISDA SwapsInfo show
//     USD rates swaps trading hundreds of $bn a day across tenors: ADV $60,
//     40, 30, 10bn. Rate bid-ask 0.2-0.25 bp and rate vol 6 bp a day,
//     times the duration (1.9, 4.6, 8.5, 19).
//   - Swaptions: tens of $bn a day over all expiries and tails (ISDA
//     SwapsInfo, CFTC): $5bn for a standard expiry and tail. Bid-ask 1-2 bp
//     normal vol, 8 bp of notional; half the price vol of a 10y swap.
//   - Bond futures: CME 10-year T-note futures trade about 1.5 million
//     contracts of $100,000 face a day, $150bn. Bid-ask one tick (1/64 of a
//     point) on a price near 110, 1.4 bp. Vol 40 bp a day.
//   - Index CDS IG and HY: DTCC Trade Information Warehouse data put
//     on-the-run CDX IG and iTraxx Main at $10-20bn a day ($15bn), CDX HY and
//     iTraxx Crossover at a few $bn ($4bn). IG bid-ask 0.25 bp running x
//     RPV01 4.5 = 1.1 bp; HY 1/32 of a point, 3 bp. Spread vol 3 bp a day
//     (IG, 13 bp of price) and 0.3 points a day (HY).
//   - Single-name CDS: DTCC shows the most traded names at $100-500m a day;
//     $100m for a liquid name. Bid-ask 5 bp running x 4.5 = 22 bp.
//   - Tranches: thin since 2008, tens of $m a day per tranche ($50m);
//     bid-ask about half a point upfront, 50 bp.
//   - Equity index options: Cboe SPX options trade over $1trn of notional a
//     day, a dated 3-month OTM strike range a few percent of it: $50bn.
//     Bid-ask 0.15 vol points x 20 bp vega, 3 bp; delta 0.3 of an index
//     moving 1.1% a day, 33 bp.
//
// Depth (DepthUSD) is the size a dealer shows at the touch, a few hundred
// $m for the most liquid rows and $10-20m for single names and tranches.
//
// Impact coefficients come from one rule for every row: R. Almgren,
// C. Thum, E. Hauptmann and H. Li, "Direct estimation of equity market
// impact", Risk 18(7), 2005, fit temporary impact 0.142 σ p^0.6 at
// participation p and permanent impact 0.314 σ per ADV traded. Made linear
// at p = 10%: TempImpactBps = 0.357 x VolDailyBps, PermImpactBps = 0.314 x
// VolDailyBps. It is an equity estimate carried over to OTC markets, where
// dealers warehouse risk and impact is lower for liquid rows; with it the 5
// bp impact limit and the 15% participation limit bind at about the same
// size for FX forwards and swaps, which is what a desk sees.
//
// Default risk aversion λ = 1e-9 per USD. With it the paper's example has a
// half-life of 51 days (nearly even trading), while a 10y swap at the
// default liquidity has κ ≈ 0.85 a day and is front-loaded: liquid markets
// make speed cheap. A $1m standard deviation of cost weighs $1,000.
//
// # Benchmarks
//
// A 30-day optimal trade list with its cost takes about 1.5 µs with no
// allocation (BenchmarkTrades); planning 13 orders with the horizon search
// about 0.8 ms.
package execution
