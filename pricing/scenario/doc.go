// Package scenario draws the volatility hyperparameters of each scenario of
// a run and the random stream each scenario simulates with.
//
// A scenario is a market world with its own volatility levels: FX vol, rates
// normal vol (with a short-end multiplier that lets short and long rates
// decouple), credit spread vol, equity vol and a correlation regime (normal,
// stress, crisis). Vols are annualised fractions; the rates vol is a normal
// vol in absolute rate units (0.0100 is 100 bp a year).
//
// Sampling is a Latin hypercube over the unit cube, one stratum per scenario
// in every dimension (McKay, Beckman & Conover 1979), mapped to each range
// log-uniformly (the vols are "lognormal within the range": equal
// probability per doubling) and to the regime by its probabilities.
// Everything derives from the run seed, so a run is reproducible; each
// scenario's own path stream is seeded by (run seed, scenario index) through
// SplitMix64 (Steele, Lea & Flood 2014), so its paths do not depend on which
// worker simulates it or with which other scenarios.
package scenario
