package execution

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is wrapped by every error about bad input: a non-positive
// notional, a negative coefficient, a signal too short for the horizon.
var ErrInvalid = errors.New("execution: invalid input")

// ErrConstraint is wrapped by [*ConstraintError]: a schedule that breaks a
// participation, impact or horizon limit even after stretching.
var ErrConstraint = errors.New("execution: constraint violated")

func errorf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

// Constraint names one of the limits a schedule must respect.
type Constraint string

// The limits of [Settings], by name.
const (
	// Participation: a day's trade as a fraction of the instrument's
	// average daily volume, at most Settings.MaxParticipation (15%).
	Participation Constraint = "participation"
	// Impact: the market impact of a day's trade in bp (temporary plus the
	// permanent move it causes), at most Settings.MaxImpactBps (5 bp).
	Impact Constraint = "impact"
	// Horizon: the number of trading days, at most Settings.MaxDays (30).
	Horizon Constraint = "horizon"
)

// Violation is one breach of a limit.
type Violation struct {
	Constraint Constraint `json:"constraint"`
	Instrument string     `json:"instrument"`
	// Day is the 1-based trading day of the breach; for Horizon it is the
	// last day of the schedule.
	Day int `json:"day"`
	// Value is what the schedule does (a fraction for Participation, bp for
	// Impact, days for Horizon: the days the order would need to meet the
	// other limits); Limit is the bound it breaks, in the same unit.
	Value float64 `json:"value"`
	Limit float64 `json:"limit"`
}

func (v Violation) String() string {
	switch v.Constraint {
	case Participation:
		return fmt.Sprintf("%s: %s day %d trades %.1f%% of daily volume, limit %.1f%%",
			v.Constraint, v.Instrument, v.Day, 100*v.Value, 100*v.Limit)
	case Impact:
		return fmt.Sprintf("%s: %s day %d impact %.2f bp, limit %.2f bp",
			v.Constraint, v.Instrument, v.Day, v.Value, v.Limit)
	default:
		return fmt.Sprintf("%s: %s needs %.0f days within the limits, limit %.0f days",
			v.Constraint, v.Instrument, v.Value, v.Limit)
	}
}

// ConstraintError reports the limits a schedule breaks. [Plan] returns it
// together with the schedule, so that a caller can still show what the
// breach would cost. It wraps [ErrConstraint].
type ConstraintError struct {
	Approach   Approach
	Violations []Violation
}

func (e *ConstraintError) Error() string {
	if len(e.Violations) == 0 {
		return fmt.Sprintf("execution: %s schedule: constraint violated", e.Approach)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "execution: %s schedule breaks %s", e.Approach, e.Violations[0])
	if n := len(e.Violations) - 1; n > 0 {
		fmt.Fprintf(&b, " (and %d more)", n)
	}
	return b.String()
}

// Unwrap returns [ErrConstraint].
func (e *ConstraintError) Unwrap() error { return ErrConstraint }

// Has reports whether the error lists a breach of c.
func (e *ConstraintError) Has(c Constraint) bool {
	for _, v := range e.Violations {
		if v.Constraint == c {
			return true
		}
	}
	return false
}
