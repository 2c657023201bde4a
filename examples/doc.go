// Package examples embeds the sample files shipped with hedgeflow: the
// "Global Pension Trust" portfolio and the market snapshot it is valued on.
// The same files are documentation of the formats (see the README).
package examples

import _ "embed"

// PortfolioFile and MarketFile are the names the embedded files are
// reported under in errors.
const (
	PortfolioFile = "examples/global-pension-trust.yaml"
	MarketFile    = "examples/market-2024-12-31.yaml"
)

// Portfolio is the sample fund, "Global Pension Trust".
//
//go:embed global-pension-trust.yaml
var Portfolio []byte

// Market is the market snapshot of 31 December 2024.
//
//go:embed market-2024-12-31.yaml
var Market []byte

// RunConfigFile names the embedded run configuration in errors.
const RunConfigFile = "examples/run-config.yaml"

// RunConfig is a run configuration listing every key with its default.
//
//go:embed run-config.yaml
var RunConfig []byte
