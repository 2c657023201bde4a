// Package history reads daily market history in FRED's CSV format and
// rebuilds from it one market snapshot per business day: the market
// states that the backtest (hedgeflow replay) and the replayer publish.
//
// # Files
//
// ReadFRED reads one series: a header "DATE,VALUE" or
// "observation_date,<ID>", then "YYYY-MM-DD,value" lines with increasing
// dates; "." or an empty value is a missing observation and is skipped.
// LoadFRED reads a directory of <ID>.csv files. Errors read
// "file:line: field: message". The series used, where to get them and
// their units are listed in docs/market-data.md and
// ../shared/data/PROVENANCE.md.
//
// # Units
//
// Series keep their source units (yields and OAS in percent, FX as quoted,
// VIX in index points). Snapshots use the units of package
// pricing/market: zero rates continuously compounded as fractions, FX in
// USD per unit, spreads and vols as fractions (swaption normal vols as
// fractions of rate a year, 0.01 = 100 bp). Quotes use the units of
// streams.Quote (percent, bp).
//
// # Which days
//
// A day is a weekday with a 10-year Treasury (DGS10) observation, so US
// bond-market holidays (Good Friday, Christmas) are not days, on which
// every Core series has an observation at most Settings.MaxStale (7 days)
// old: one market's holiday carries its last value. The first VolWindow/3
// (21) business days of the data warm up the realised vols and are not
// days. Dates after a core series ends are not days (Days says which
// series ends first when the range has none).
//
// # How each quantity is rebuilt
//
//   - USD zero curve: the Treasury constant-maturity yields DGS3MO, DGS6MO,
//     DGS1, DGS2, DGS5, DGS10, DGS20, DGS30 at 0.25 to 30 years, taken as
//     zero rates and converted from semi-annual bond-equivalent to
//     continuous compounding, r = 2 ln(1 + y/2) (the par-to-zero
//     difference is a few bp; as in examples/market-2024-12-31.yaml).
//   - EUR curve: the base snapshot's EUR curve shifted in parallel so that
//     its 10-year rate is the Bund yield DE10Y_INVESTING (annual
//     compounding, r = ln(1 + y)). Where the Bund series is not observed
//     (it ends 2024-04-12) the 10y is chained from the nearest Bund
//     observation t0 with the USD 10y's change: EUR10(d) = EUR10(t0) +
//     EUROnUSD (USD10(d) - USD10(t0)), EUROnUSD the no-intercept
//     least-squares beta of daily Bund changes on daily Treasury changes
//     (0.43 on ../shared/data, 6,027 changes).
//   - GBP curve: the same with the gilt yield UK10Y_INVESTING
//     (semi-annual, r = 2 ln(1 + y/2)) where observed (2015-02 to
//     2025-02); elsewhere chained from the nearest gilt observation with
//     GBP10(d) = GBP10(t0) + GBPOnUSD (USD10(d) - USD10(t0)) + GBPOnEUR
//     (EUR10(d) - EUR10(t0)), the betas estimated jointly on daily changes
//     over the overlap (0.28 and 0.73 on ../shared/data, 2,279 changes).
//     Estimated on 2015-2019 alone and chained from the end of 2019, the
//     proxy misses the 2020-2024 gilt by 37 bp on average and by 123 bp at
//     worst (2022-09-27, the LDI crisis): treat pre-2015 GBP rates as a
//     USD/EUR-driven approximation.
//   - JPY, CHF, AUD, CAD curves (no daily history at hand): the base curve
//     shifted in parallel by ProxyBeta times the change of a reference
//     10y since the base snapshot's date: AUD 1.0 and CAD 0.8 of the USD
//     10y, CHF 0.8 and JPY 0.35 of the EUR 10y (DefaultProxyBeta; judgement
//     from year-end yields 2000-2024, not estimated).
//   - FX: DEXUSEU, DEXUSUK, DEXUSAL as quoted; DEXJPUS, DEXSZUS, DEXCAUS
//     inverted; all USD per unit.
//   - Credit spreads: AAA from BAMLC0A1CAAA and BBB from BAMLC0A4CBBB
//     (OAS, percent to fractions); AA and A interpolated between them at
//     the places the base snapshot puts them (AA 0.26, A 0.59 of the way
//     from AAA to BBB for the example base); BB from BAMLH0A1HYBB where
//     observed (2006-04 to 2014-03), else the high-yield OAS BAMLH0A0HYM2
//     times the median BB/HY ratio of their overlap (0.72); B the HY OAS
//     times the base snapshot's B over the HY OAS of the base date (1.06).
//   - Equity vol: VIXCLS / 100.
//   - FX ATM vols: EVZCLS / 100 for EUR where observed (2007-11 to
//     2018-04); otherwise the trailing realised vol of the pair's daily log
//     changes over VolWindow (63) business days, annualised with 252 days,
//     floored at FXVolFloor (3%).
//   - Swaption normal vols: the trailing realised vol of the daily changes
//     of the currency's 10y (observed or proxied) over VolWindow (63)
//     business days, in bp a year (sqrt(252) scaling), floored at
//     SwaptionVolFloorBps (10 bp).
//   - CDS index spreads: the base snapshot's spread times the OAS ratio
//     since the base date: CDX IG and iTraxx Main by the BBB OAS, CDX HY
//     and iTraxx Crossover by the HY OAS.
//   - Equity levels (Day.Equity, quotes equity.level.<key>): SPX from
//     SP500_GSPC, SX5E from STOXX50E (from 2007-03), UKX from FTSE100,
//     EAFE from EFA_ADJCLOSE (the iShares ETF, dividend-adjusted), each
//     where observed within MaxStale.
//
// Estimate returns the estimated parameters for a set of series and a
// base, so that a report can state them. Every Day's snapshot passes
// market.Snapshot.Validate; Days returns an error rather than a day that
// does not.
package history
