package serve

import (
	"context"
	"time"

	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the service's Prometheus metrics, on a registry of its own
// (several servers in one test process do not collide).
type metrics struct {
	reg             *prometheus.Registry
	started         prometheus.Counter
	completed       prometheus.Counter
	failed          prometheus.Counter
	rejected        *prometheus.CounterVec
	partitions      prometheus.Counter
	inFlight        prometheus.Gauge
	duration        prometheus.Histogram
	recommendations prometheus.Counter
	recLatency      prometheus.Histogram
	taskRestarts    *prometheus.CounterVec
	leases          *prometheus.GaugeVec
}

func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	f := func(c prometheus.Collector) { m.reg.MustRegister(c) }
	m.started = prometheus.NewCounter(prometheus.CounterOpts{Name: "hedgeflow_runs_started_total",
		Help: "Runs this process started or resumed."})
	m.completed = prometheus.NewCounter(prometheus.CounterOpts{Name: "hedgeflow_runs_completed_total",
		Help: "Runs this process completed, their report stored."})
	m.failed = prometheus.NewCounter(prometheus.CounterOpts{Name: "hedgeflow_runs_failed_total",
		Help: "Runs that failed in this process."})
	m.rejected = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hedgeflow_run_requests_rejected_total",
		Help: "hedge.run requests refused, by reason (bad_request, queue_full)."}, []string{"reason"})
	m.partitions = prometheus.NewCounter(prometheus.CounterOpts{Name: "hedgeflow_partitions_done_total",
		Help: "Scenario partitions aggregated for this process's runs (each counted once, a resumed run's earlier ones not again)."})
	m.inFlight = prometheus.NewGauge(prometheus.GaugeOpts{Name: "hedgeflow_runs_in_progress",
		Help: "Runs being computed by this process."})
	m.duration = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "hedgeflow_run_duration_seconds",
		Help:    "Wall time of completed runs, from start (or resume) to stored report.",
		Buckets: prometheus.ExponentialBuckets(1, 2, 13)}) // 1 s to about 68 min
	m.recommendations = prometheus.NewCounter(prometheus.CounterOpts{Name: "hedgeflow_recommendations_total",
		Help: "Recommendations seen on " + streams.RecommendationSubject + " since this process started."})
	m.recLatency = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "hedgeflow_recommendation_latency_seconds",
		Help:    "Latency the recalibrator reports: from the triggering market event to the recommendation.",
		Buckets: []float64{0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60}})
	m.taskRestarts = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hedgeflow_task_restarts_total",
		Help: "Background tasks (ingest, recalibrator) started again after they stopped with an error."}, []string{"task"})
	m.leases = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "hedgeflow_task_lease_held",
		Help: "1 while this process holds the lease of a task that runs in one serve process at a time (the recalibrator) and runs it; 0 while it stands by."}, []string{"task"})
	for _, c := range []prometheus.Collector{m.started, m.completed, m.failed, m.rejected, m.partitions, m.inFlight,
		m.duration, m.recommendations, m.recLatency, m.taskRestarts, m.leases} {
		f(c)
	}
	f(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "hedgeflow_run_queue_length",
		Help: "Runs waiting for a runner."}, func() float64 { return float64(s.q.len()) }))
	f(&consumerCollector{s: s})
	f(collectors.NewGoCollector())
	f(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// consumerCollector reports the pricing consumer's lag when scraped.
type consumerCollector struct{ s *Server }

var (
	pendingDesc = prometheus.NewDesc("hedgeflow_pricing_consumer_pending",
		"Partitions in the work queue not yet delivered to a worker (consumer lag).", nil, nil)
	ackPendingDesc = prometheus.NewDesc("hedgeflow_pricing_consumer_ack_pending",
		"Partitions delivered to workers and not yet acknowledged.", nil, nil)
	redeliveredDesc = prometheus.NewDesc("hedgeflow_pricing_consumer_redelivered",
		"Partitions delivered more than once and not yet acknowledged.", nil, nil)
	consumerUpDesc = prometheus.NewDesc("hedgeflow_pricing_consumer_up",
		"1 if the pricing consumer's info could be read at this scrape.", nil, nil)
)

func (c *consumerCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- pendingDesc
	ch <- ackPendingDesc
	ch <- redeliveredDesc
	ch <- consumerUpDesc
}

func (c *consumerCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	info, err := c.s.h.Pricing.Info(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(consumerUpDesc, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(consumerUpDesc, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(pendingDesc, prometheus.GaugeValue, float64(info.NumPending))
	ch <- prometheus.MustNewConstMetric(ackPendingDesc, prometheus.GaugeValue, float64(info.NumAckPending))
	ch <- prometheus.MustNewConstMetric(redeliveredDesc, prometheus.GaugeValue, float64(info.NumRedelivered))
}
