package history

import (
	"sort"
	"time"

	"github.com/hedgeflow/hedgeflow/streams"
)

// Source is the Quote.Source of quotes rebuilt from history.
const Source = "history"

// Quotes returns the day's market as quotes stamped t: every quantity of
// the snapshot (streams.QuotesOf) and an equity.level quote per index
// level the day holds, in key order.
func Quotes(day Day, t time.Time) []streams.Quote {
	qs := streams.QuotesOf(day.Market, t, Source)
	keys := make([]string, 0, len(day.Equity))
	for k := range day.Equity {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		qs = append(qs, streams.Quote{Time: t, Kind: streams.KindEquityLevel, Key: k, Value: day.Equity[k], Source: Source})
	}
	return qs
}
