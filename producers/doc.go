// Package producers puts events onto hedgeflow's streams: the scenario
// producer that stores a run's spec and state and publishes its partitions
// to the work queue. (Market-data feeds join it later.)
package producers
