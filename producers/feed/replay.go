package feed

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hedgeflow/hedgeflow/streams"
)

// Speed is how much market time a replay covers per second of wall time:
// 3600 replays an hour of quotes a second. Max (0) publishes as fast as
// possible.
type Speed float64

// Max replays without waiting.
const Max Speed = 0

// ErrSpeed is wrapped by ParseSpeed's errors.
var ErrSpeed = errors.New("feed: invalid speed")

// ParseSpeed reads "3600x", "1x", "0.5x" or "max".
func ParseSpeed(s string) (Speed, error) {
	t := strings.TrimSpace(strings.ToLower(s))
	if t == "max" {
		return Max, nil
	}
	num, ok := strings.CutSuffix(t, "x")
	if !ok {
		return 0, fmt.Errorf("%w: %q: want a factor such as 3600x (an hour of market time a second), 1x, or max", ErrSpeed, s)
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || !(f > 0) || f > 1e12 {
		return 0, fmt.Errorf("%w: %q: the factor must be a positive number up to 1e12, or max", ErrSpeed, s)
	}
	return Speed(f), nil
}

func (s Speed) String() string {
	if s == Max {
		return "max"
	}
	return strconv.FormatFloat(float64(s), 'g', -1, 64) + "x"
}

// SortQuotes orders quotes by time, keeping the given order for equal
// times: the deterministic order of a replay.
func SortQuotes(qs []streams.Quote) {
	sort.SliceStable(qs, func(i, j int) bool { return qs[i].Time.Before(qs[j].Time) })
}

// PublishFunc publishes one quote (Publisher.Publish, or a writer's).
type PublishFunc func(context.Context, *streams.Quote) error

// Replay publishes qs in time order (SortQuotes; qs is sorted in place)
// with their original timing scaled by speed: a quote t after the first
// goes out t/speed after the start. Quotes keep their timestamps. It
// returns how many were published; it stops at the first publish error
// or when ctx ends (then with ctx's error).
func Replay(ctx context.Context, qs []streams.Quote, speed Speed, publish PublishFunc) (int, error) {
	if speed < 0 || math.IsNaN(float64(speed)) {
		return 0, fmt.Errorf("%w: %v", ErrSpeed, float64(speed))
	}
	SortQuotes(qs)
	if len(qs) == 0 {
		return 0, nil
	}
	start, t0 := time.Now(), qs[0].Time
	timer := time.NewTimer(0)
	defer timer.Stop()
	<-timer.C
	for i := range qs {
		if speed != Max {
			due := start.Add(time.Duration(float64(qs[i].Time.Sub(t0)) / float64(speed)))
			if wait := time.Until(due); wait > 0 {
				timer.Reset(wait)
				select {
				case <-ctx.Done():
					return i, ctx.Err()
				case <-timer.C:
				}
			}
		}
		if err := ctx.Err(); err != nil {
			return i, err
		}
		if err := publish(ctx, &qs[i]); err != nil {
			return i, err
		}
	}
	return len(qs), nil
}
