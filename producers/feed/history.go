package feed

import (
	"fmt"
	"time"

	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/producers/history"
	"github.com/hedgeflow/hedgeflow/streams"
)

// CloseUTC is the time of day (UTC) a rebuilt historical day's quotes
// are stamped with: 21:00, after the New York close whose levels the
// daily series hold.
const CloseUTC = 21 * time.Hour

// HistoryQuotes turns rebuilt days into quotes, one market state per day
// stamped at the day's CloseUTC (history.Quotes).
func HistoryQuotes(days []history.Day) []streams.Quote {
	var qs []streams.Quote
	for _, d := range days {
		qs = append(qs, history.Quotes(d, d.Date.Add(CloseUTC))...)
	}
	return qs
}

// LoadHistory reads the FRED-format directory dir and returns the quotes
// of every business day from from to to, rebuilt on base
// (history.Days).
func LoadHistory(dir string, base *market.Snapshot, from, to time.Time) ([]streams.Quote, error) {
	series, err := history.LoadFRED(dir)
	if err != nil {
		return nil, err
	}
	days, err := history.Days(series, base, from, to)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return HistoryQuotes(days), nil
}
