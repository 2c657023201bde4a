// Package run executes one hedgeflow run end to end on JetStream: it
// validates the inputs, starts an embedded nats-server (or connects to an
// external one), creates the topology, stores the run's spec and state,
// publishes its partitions, prices them with in-process workers (and any
// remote ones on the same server), aggregates the results and builds the
// report. The command line and, later, the service call it.
package run
