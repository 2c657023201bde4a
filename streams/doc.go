// Package streams is hedgeflow's JetStream topology in one place: subjects,
// stream, consumer, key-value and object-store configurations, the embedded
// server, the msgpack codec and the message types that travel between
// producers, workers and the aggregator.
//
// # Topology
//
//	stream HEDGE_SCENARIOS  subjects hedge.scenarios.<run>   work queue: partitions of scenarios
//	  consumer "pricing"    durable, explicit ack, shared by every worker
//	stream HEDGE_RESULTS    subjects hedge.results.<run>     one result per partition, deduplicated by Nats-Msg-Id "<run>/<partition>"
//	KV     HEDGE_RUNS       "<run>" run state, "<run>.spec" what workers need to price it
//	object HEDGE_BLOBS      "<run>/<partition>" path values too large for a message; reports
//	KV     HEDGE_LEASES     "<task>" the holder of a task that runs in one process at a time (Lease), TTL 8 s
//
// Message ids are deterministic ("<run>/<partition>"), so a republished
// partition or a result published twice after a redelivery is dropped by
// the server's duplicate window; the aggregator also counts each partition
// once.
package streams
