package rates

import (
	"errors"
	"fmt"
	"math"
)

// ErrInvalid is wrapped by every error about bad input.
var ErrInvalid = errors.New("rates: invalid")

func errorf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Tests on the bits, one integer comparison each, for the kernels' quick
// checks of their inputs (Swaption): modest is |x| < 2^500, modestPositive
// 0 < x < 2^500, modestNonNegative +0 <= x < 2^500 (not -0, whose bits are
// those of a negative), and moderate 2^-300 <= x <= 2^300: ranges in which
// the formulas' products and quotients neither underflow nor overflow.
// NaN fails all four.
func modest(x float64) bool            { return math.Float64bits(x)&^(1<<63) < bits500 }
func modestPositive(x float64) bool    { return math.Float64bits(x)-1 < bits500-1 }
func modestNonNegative(x float64) bool { return math.Float64bits(x) < bits500 }
func moderate(x float64) bool {
	const lo, hi = 0x2d30000000000000, 0x52b0000000000000 // bits of 2^-300 and 2^300
	return math.Float64bits(x)-lo <= hi-lo
}

const bits500 = 0x5f30000000000000 // bits of 2^500

// MaxPeriods bounds the number of coupon periods of a swap or bond (100
// years monthly).
const MaxPeriods = 1200

// periods returns the whole number of periods in tenor years at freq a year.
func periods(tenor float64, freq int) (int, error) {
	if freq < 1 || freq > 12 {
		return 0, errorf("freq must be 1 to 12, got %d", freq)
	}
	if !(tenor > 0) || math.IsInf(tenor, 0) {
		return 0, errorf("tenor must be positive and finite, got %v", tenor)
	}
	x := tenor * float64(freq)
	n := math.Round(x)
	if math.Abs(x-n) > 1e-9 || n < 1 {
		return 0, errorf("%v years is not a whole number of periods at freq %d", tenor, freq)
	}
	if n > MaxPeriods {
		return 0, errorf("%v years at freq %d is more than %d periods", tenor, freq, MaxPeriods)
	}
	return int(n), nil
}
