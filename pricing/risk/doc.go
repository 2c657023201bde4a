// Package risk computes a pension fund's risk metrics from simulated values.
//
// Conventions: a loss is a fall in surplus (assets minus liabilities, USD)
// from today to the horizon; positive numbers are losses. VaR at level α is
// the empirical α-quantile of the losses, the order statistic L(⌈αn⌉).
// CVaR (expected shortfall) is the Acerbi & Tasche (2002) estimator,
// ES = (Σ_{i>k} L(i) + (k - αn)·L(k)) / ((1-α)n) with k = ⌈αn⌉, which is
// coherent and equals the mean of the worst (1-α)n losses when that is a
// whole number. Funding-ratio volatility is the standard deviation of the
// log change of the funded ratio over the horizon, annualised by √(1/t).
// Shortfall probability is the fraction of paths whose funded ratio ends
// below the threshold. Maximum drawdown is the mean, over paths, of each
// path's largest fall of the funded ratio from its running peak (as a
// fraction of the peak).
package risk
