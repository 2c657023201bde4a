package rates

import "github.com/hedgeflow/hedgeflow/pricing/approx"

// exp is approx.Exp, the hot loops' exponential.
func exp(x float64) float64 { return approx.Exp(x) }
