package backtest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Rebalance is when the hedge is recalibrated: on the first business day
// of every ISO week (the default, the zero value), of every month, or
// every N business days of the data. The first day of a window is always
// a rebalance.
type Rebalance struct {
	// Days, when positive, rebalances every Days business days;
	// otherwise Monthly chooses between weekly and monthly.
	Days    int
	Monthly bool
}

// MaxRebalanceDays bounds "N days".
const MaxRebalanceDays = 2520

// ParseRebalance reads "weekly", "monthly", "N", "Nd" or "N days".
func ParseRebalance(s string) (Rebalance, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "", "weekly":
		return Rebalance{}, nil
	case "monthly":
		return Rebalance{Monthly: true}, nil
	}
	num := strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(t, "days"), "day"), "d"))
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 || n > MaxRebalanceDays {
		return Rebalance{}, fmt.Errorf("%w: rebalance: weekly, monthly or N days with N in [1, %d], got %q", ErrInvalid, MaxRebalanceDays, s)
	}
	return Rebalance{Days: n}, nil
}

func (r Rebalance) String() string {
	switch {
	case r.Days == 1:
		return "every business day"
	case r.Days > 0:
		return fmt.Sprintf("every %d business days", r.Days)
	case r.Monthly:
		return "monthly"
	}
	return "weekly"
}

// due reports whether day i (date d, the previous day prev) of a window is
// a rebalance.
func (r Rebalance) due(i int, prev, d time.Time) bool {
	if i == 0 {
		return true
	}
	switch {
	case r.Days > 0:
		return i%r.Days == 0
	case r.Monthly:
		return d.Month() != prev.Month() || d.Year() != prev.Year()
	}
	y0, w0 := prev.ISOWeek()
	y1, w1 := d.ISOWeek()
	return y0 != y1 || w0 != w1
}
