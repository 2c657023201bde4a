package sim

import "github.com/hedgeflow/hedgeflow/pricing/approx"

// exp is approx.Exp, the hot loops' exponential.
func exp(x float64) float64 { return approx.Exp(x) }

// fastNormCDF is approx.NormCDF.
func fastNormCDF(x float64) float64 { return approx.NormCDF(x) }
