// Package producers puts events onto hedgeflow's streams: the scenario
// producer that stores a run's spec and state and publishes its partitions
// to the work queue. Market data reaches the MARKET stream through the
// subpackages: producers/history rebuilds daily market states from
// FRED-format series, producers/feed publishes quotes from files, history,
// the ingest subject and a synthetic market, and records and replays the
// stream.
package producers
