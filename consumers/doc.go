// Package consumers holds what reacts to hedgeflow's streams: the pricing
// workers that pull partitions of scenarios from the work queue and publish
// their results, and the aggregator that collects a run's results, tracks
// its progress in the runs bucket and detects completion (or a partition
// that failed for good).
//
// Delivery guarantees: a worker acknowledges a partition only after the
// server has stored its result; a worker that dies before that leaves the
// partition to be redelivered after the ack wait. Results carry the message
// id "<run>/<partition>", so a partition priced twice is stored once, and
// the aggregator counts each partition once whatever arrives. Scenarios
// simulate from their own seeds, so a redelivered partition gives the same
// numbers.
package consumers
