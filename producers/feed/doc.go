// Package feed puts market data on the MARKET stream: quote files, the
// FRED-format history of package history, a NATS ingest subject any
// publisher can use, and a synthetic market for demos; it records the
// stream to files and replays files and history with their original
// timing, accelerated or as fast as possible.
//
// # Quotes
//
// Everything travels as streams.Quote, in the units of the market
// snapshot YAML: FX spot in USD per unit, FX and equity vols as fractions,
// zero rates in percent (continuous), swaption normal vols and spreads in
// bp, equity levels in index points. The JSON form (one object, the JSON
// Lines files, the ingest subject) is
//
//	{"time":"2025-01-02T15:00:00Z","kind":"fx.spot","key":"EUR","value":1.0321}
//	{"time":"2025-01-02T15:00:00Z","kind":"rates.zero","key":"USD","tenors":[2,10],"values":[4.25,4.55]}
//
// DecodeQuote reads it strictly (unknown fields are errors) and every
// error names the field; docs/market-data.md lists every kind and key.
//
// # Adapters
//
//   - Publisher: streams.PublishQuote with a default timeout: each quote
//     on market.<kind>.<key>, deduplicated by quantity and time, and the
//     MARKET_STATE bucket keeping the latest per quantity.
//   - ReadJSONL, ReadCSV, ReadFile: quote files; a bad line is an error
//     "file:line: field: message" and the other lines are still read.
//   - HistoryQuotes, LoadHistory: one market state per business day
//     rebuilt by history.Days, stamped at CloseUTC (21:00 UTC).
//   - RunIngest: the bridge from streams.IngestSubject (queue group
//     IngestQueue) to the stream, answering {"accepted":N} or
//     {"error":"..."}; Send is its Go client.
//   - Synthetic: a seeded random market (below).
//   - Record: the stream to JSON Lines; Replay: quotes back onto the
//     stream at a Speed (ParseSpeed: "3600x", "1x", "max").
//
// # The synthetic market
//
// Each tick advances the market by Step (default one hour) from a base
// snapshot, with dt = Step in years:
//
//   - FX spots: log-returns r = sqrt(h dt) z, z Student-t with 5 degrees
//     of freedom scaled to unit variance, half of its variance a common
//     USD factor; the variance h follows a GARCH-like recursion
//     h' = hbar (1-phi) + (phi-a) h + a r^2/dt with phi = exp(-kappa dt),
//     a = 1-exp(-lambda dt) (kappa 4, lambda 15 a year: daily GARCH
//     alpha about 0.04, persistence about 0.99), hbar the base vol squared.
//   - One-year implied vols (FX, equity, swaption) are the root of the
//     expected average variance over a year, sqrt(hbar + (h-hbar)
//     (1-exp(-kappa))/kappa): they mean-revert with the variance.
//   - Equity: the same recursion (kappa 6, lambda 25), which drives the
//     equity vol and the optional index levels.
//   - Curves: each currency's curve moves by a level shock sqrt(h dt) z
//     (correlation 0.6 across currencies, h the 10y normal variance with
//     kappa 4, lambda 15) and a slope shock of half that size loaded
//     (1-exp(-t/2))/(t/2) on tenor t, with the 10y pulled back to its base
//     level (0.5 a year) and the shape to the base shape (1 a year).
//   - Credit spreads: lognormal, rating r's spread base_r exp(beta_r c +
//     e_r), the factor c mean-reverting (1.5 a year) with vol 0.35 times
//     the equity vol's ratio to its base, correlated -0.6 with equity
//     shocks, plus jumps (4 a year, mean log size 0.08); beta from 0.8
//     (AAA) to 1.2 (B); CDS indices follow BBB (IG) and B (HY).
//   - Spikes: with probability SpikeProb per market day (default 0.02)
//     the equity variance is lifted to 4-16 times its base level, FX and
//     rates variances to 2.25-6.25 times (never lowered), and a stress
//     level to 0.5-1.5 (times SpikeSize) which decays with a six-week
//     half-life and meanwhile widens spreads, cuts yields and equity
//     levels and lifts the haven currencies.
//
// The path is a function of Seed and the settings only (math/rand/v2
// PCG); quotes are stamped Start + n Interval so that they sort with
// real quotes while the market moves by Step per tick.
package feed
