// Package serve is hedgeflow serve: the long-running service of a fund's
// hedging.
//
// On NATS it offers a micro service named "hedgeflow" (discoverable with
// $SRV.PING, $SRV.INFO and $SRV.STATS; `nats micro ls`) with four
// request/reply endpoints:
//
//	hedge.run                   a JSON RunRequest; replies {"run_id", ...}
//	hedge.status                a run id; replies the run's Status
//	hedge.report                a run id; replies its report.json
//	hedge.recommendation.latest replies the latest streams.Recommendation
//
// Errors carry the micro error headers (Nats-Service-Error-Code and
// Nats-Service-Error): 400 for a bad request, the message naming the
// field; 404 for an unknown run or a missing report; 413 for a request or
// a reply over the size limits; 503 when the queue is full or the service
// is stopping; 500 otherwise.
//
// Handlers validate, record and queue; they never compute a run. A run
// request is recorded in the HEDGE_RUNS bucket (<run>.request) and queued
// in a bounded FIFO; Config.Concurrency runners take runs in order and
// compute them with run.Execute on the service's connection, priced by
// the service's own worker pool and any hedgeflow worker process on the
// same NATS. A run's report.json and report.html go to the HEDGE_BLOBS
// object store (ReportObject). A requester that waits ("wait", the
// default) is answered by the runner when the run ends.
//
// State lives in JetStream, so a restart loses nothing: when Run starts it
// queues again the runs a previous process had accepted and not finished,
// resuming those it had started (run.Resume: an aggregator re-attaches to
// the results already stored, workers price the partitions still queued)
// and starting the others, oldest first.
//
// Over HTTP, Handler serves health (/healthz), readiness (/readyz),
// Prometheus metrics (/metrics), a JSON API (/api/...) and a live
// dashboard (/): the market state, the runs with their progress, the
// latest recommendation with what changed and why, and the charts of the
// latest report, updated with server-sent events (/events). The page is an
// html/template with a small inline script and no build chain; each
// section is rendered on the server and replaced whole when its data
// changes. With Config.Token every path but /healthz and /readyz requires
// the token, as "Authorization: Bearer TOKEN" or "?token=TOKEN" (what a
// browser's address bar and EventSource can send).
package serve
