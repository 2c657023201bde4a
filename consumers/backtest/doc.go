// Package backtest replays historical markets through the pipeline and
// compares the fund hedged with the recommended programme, recalibrated as
// it would have been, against the same fund unhedged: hedgeflow replay.
//
// # Flow
//
// Replay rebuilds one market state per business day from FRED-format
// series (producers/history), publishes each day as quotes on the MARKET
// stream (producers/feed, as fast as possible: the same subjects as live
// quotes, but not into the MARKET_STATE bucket), and reads them back with
// a plain JetStream consumer (StreamDays: DeliverByStartSequence,
// ReplayInstant) that rebuilds the days. Run then walks the days:
//
//  1. the fund is marked (see fund): equities by their local index and
//     FX, alternatives by beta, bonds and liabilities on the day's curves
//     with the time elapsed;
//  2. the hedge book is marked: every lot by sim.Hedge.Value from the
//     market it was bought on to the day's market, and the running costs
//     of what is held accrue;
//  3. on a rebalance date (Rebalance: weekly by default, monthly, or every
//     N business days; the first day always) a Recalibrator decides the
//     programme: RunRecalibrator runs the whole pipeline (run.Execute:
//     scenarios, workers, aggregator, optimiser, agents) on the day's
//     market for the fund as it stands, with the same seed every time,
//     and the book trades to its recommended programme at the close,
//     paying bid-ask on every notional traded. The run is given the book
//     (agents.Policy.Holdings): its optimiser charges the bid-ask of
//     trading away from what is held, and it keeps the held programme,
//     trimmed to the day's limits at the least bid-ask, while that meets
//     the policy and the best rebalance gains less than
//     agents.Policy.RebalanceMin net of its trading cost
//     (RunRecalibrator.FromScratch, replay --from-scratch: each rebalance
//     as if nothing were held, as before).
//
// The hedged fund's assets are the unhedged fund's plus the hedge P&L
// (realised on what was sold, marked on what is held; premiums paid count
// as P&L, not cost) less the costs, so on every day
// hedged surplus - unhedged surplus = hedge P&L - costs.
//
// # Conventions
//
// Values are in USD. Time between days is ACT/365. Notionals are the
// catalogue's, per USD (pricing/sim: a fx_forward_EUR of 1e9 sells EUR
// 1bn of USD-equivalent one year forward; negative notionals are the
// opposite trade). A position grows by a new lot struck at the day's
// market and shrinks by selling every lot pro rata; lots keep their own
// strikes and maturities. Funded ratios are assets / liabilities;
// drawdowns are from the running peak (the funded ratio's relative to the
// peak, the surplus's in USD), measured for both paths from the fund
// before the first day's trades.
//
// By default (Replay) each window starts at the funded ratio the fund has
// on its own market: the portfolio file states values of its own date,
// and on 2008 or 2020 curves the same benefits are worth much more, so
// the liability cash flows are scaled by a constant reported as the
// window's LiabilityScale (Options.KeepLiabilities keeps them as given).
//
// Costs are described by CostModel and the model's simplifications by
// Assumptions; both go into the report. When a day's market makes the
// hedging policy infeasible (in 2008 the forward points of EUR and GBP
// made the 50% minimum FX hedge ratio cost more than the 25 bp budget),
// RunRecalibrator reruns without the minimum FX hedge ratio and records
// it on the rebalance (RunRecalibrator.NoRelax keeps the book instead).
package backtest
