package fx

import (
	"errors"
	"fmt"
	"math"
)

// ErrInvalid is wrapped by every error about bad input.
var ErrInvalid = errors.New("fx: invalid")

func errorf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// normQuantile is the inverse of the standard normal distribution function for p in (0, 1), through
// math.Erfinv: accurate to a few ulps for the central quantiles it is used
// for here (deltas of 5% to 95%).
func normQuantile(p float64) float64 { return math.Sqrt2 * math.Erfinv(2*p-1) }
