// Package agents turns a run's numbers into the hedge programme the
// investment committee decides on.
//
// This file set holds the numbers layer the agents reason over: the
// optimisation problem assembled from the run (every hedge path of every
// scenario a row; every candidate hedge a column), the three answers the
// committee compares (median-optimal, robust, and the frontier between
// them), the cost of robustness, and the recommended programme chosen on
// the frontier by a stated rule. The specialist agents and their reasoners
// build on it.
//
// Units: USD; losses positive; costs in bp a year of the fund's assets.
package agents
