package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hedgeflow/hedgeflow/consumers"
	"github.com/hedgeflow/hedgeflow/run"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"
)

// ErrInvalidConfig is wrapped by errors about an invalid Config.
var ErrInvalidConfig = errors.New("invalid serve configuration")

// Task is a long-running part of the service that is not a run: the
// market-data ingest bridge, the recalibrator. Run starts it with the
// service and cancels its context at shutdown; if it returns an error
// before that, it is logged and started again after a pause.
type Task struct {
	Name string
	Run  func(ctx context.Context) error
	// Lease, when set, names a lease (streams.Lease) that the task needs:
	// of all the serve processes on one JetStream, only the one holding it
	// runs the task; the others stand by and take over when it stops or
	// dies. The recalibrator has one, so that several serve processes do
	// not each recalibrate and publish the same recommendations.
	Lease string
}

// Config configures a Server. The zero value of a field means its
// default.
type Config struct {
	// Conn is the service's connection (required). The Server neither
	// closes nor drains it.
	Conn *nats.Conn
	// HTTPAddr is where the HTTP server listens, "127.0.0.1:8080"; empty
	// for none (Handler still serves the pages).
	HTTPAddr string
	// Token, when set, is required by the dashboard, its events, the JSON
	// API and the metrics: "Authorization: Bearer TOKEN", or ?token=TOKEN
	// in the URL (for a browser). /healthz and /readyz stay open.
	Token string
	// Concurrency is the number of runs computed at once; default 1.
	Concurrency int
	// QueueSize is the number of runs that may wait; default 16. A
	// request past it is refused with 503.
	QueueSize int
	// Workers is the number of pricing goroutines in this process;
	// default runtime.NumCPU(), -1 for none (remote hedgeflow worker
	// processes price).
	Workers int
	// WorkerGrace is how long, at shutdown, the workers may finish the
	// partitions they are pricing; the rest are redelivered. Default 10 s.
	WorkerGrace time.Duration
	// ShutdownGrace is how long, at shutdown, runs in progress may
	// finish; the rest are left in JetStream and resumed by the next
	// start. Default 30 s.
	ShutdownGrace time.Duration
	// Limits bound what a request may ask for.
	Limits Limits
	// PortfolioDir holds the portfolios a request may name; empty allows
	// only the built-in sample fund (or one inline).
	PortfolioDir string
	// Topology sets how the streams are created (replicas, ack wait).
	Topology streams.Topology
	// Tasks run beside the service (ingest, recalibration).
	Tasks []Task
	// LeaseTTL is how long a dead process keeps the leases of its tasks
	// (Task.Lease); default streams.LeaseTTL. Every process on the
	// JetStream must use the same (it is the lease bucket's TTL).
	LeaseTTL time.Duration
	// Log receives the service's events; nil discards them.
	Log *slog.Logger
	// Version is the service version shown by $SRV.INFO; default "0.1.0".
	Version string
}

func (c *Config) setDefaults() {
	if c.Concurrency == 0 {
		c.Concurrency = 1
	}
	if c.QueueSize == 0 {
		c.QueueSize = 16
	}
	if c.Workers == 0 {
		c.Workers = runtime.NumCPU()
	}
	if c.WorkerGrace == 0 {
		c.WorkerGrace = 10 * time.Second
	}
	if c.ShutdownGrace == 0 {
		c.ShutdownGrace = 30 * time.Second
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.Version == "" {
		c.Version = "0.1.0"
	}
	c.Limits.setDefaults()
}

// Validate checks c after defaults.
func (c *Config) Validate() error {
	switch {
	case c.Conn == nil:
		return fmt.Errorf("%w: a NATS connection is required", ErrInvalidConfig)
	case c.Concurrency < 1 || c.Concurrency > 64:
		return fmt.Errorf("%w: concurrency must be in [1, 64], got %d", ErrInvalidConfig, c.Concurrency)
	case c.QueueSize < 1 || c.QueueSize > 10_000:
		return fmt.Errorf("%w: queue size must be in [1, 10000], got %d", ErrInvalidConfig, c.QueueSize)
	case c.Workers < -1 || c.Workers > run.MaxWorkers:
		return fmt.Errorf("%w: workers must be in [1, %d] (or -1 for none), got %d", ErrInvalidConfig, run.MaxWorkers, c.Workers)
	case c.WorkerGrace < 0 || c.ShutdownGrace < 0:
		return fmt.Errorf("%w: grace periods must not be negative", ErrInvalidConfig)
	case c.LeaseTTL != 0 && c.LeaseTTL < 100*time.Millisecond:
		return fmt.Errorf("%w: lease TTL must be at least 100ms, got %v", ErrInvalidConfig, c.LeaseTTL)
	case c.Token != "" && len(c.Token) < 16:
		return fmt.Errorf("%w: token must be at least 16 characters", ErrInvalidConfig)
	}
	for _, t := range c.Tasks {
		if t.Name == "" || t.Run == nil {
			return fmt.Errorf("%w: a task needs a name and a Run function", ErrInvalidConfig)
		}
	}
	return c.Limits.Validate()
}

// Server is hedgeflow serve: micro services on NATS, a queue of runs, the
// runners that compute them, pricing workers, and the HTTP endpoints.
type Server struct {
	cfg      Config
	log      *slog.Logger
	nc       *nats.Conn
	js       jetstream.JetStream
	h        *streams.Handles
	marketKV jetstream.KeyValue
	q        *queue
	slots    chan struct{} // Concurrency tokens: a requested run or a task's (RunSlot)
	met      *metrics
	dash     *dashboard
	ln       net.Listener

	mu     sync.Mutex
	active map[string]*activeRun

	draining atomic.Bool
	stopped  chan struct{} // closed when Run has finished shutting down
	holder   string        // this process among lease holders
}

// RunSlot waits for one of the Config.Concurrency slots in which runs are
// computed and returns its release. The runners take one for every
// requested run; a task that computes whole runs (the recalibrator's first
// run and reruns) takes one too, so that it queues with the requests
// instead of competing with them for the CPUs.
func (s *Server) RunSlot(ctx context.Context) (release func(), err error) {
	select {
	case s.slots <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-s.slots }) }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// activeRun is a run this process is computing.
type activeRun struct {
	Done, Total int
	Reporting   bool // priced; hedging and writing its report
	Started     time.Time
	baseDone    int // partitions already done when a resumed run restarted
}

// New prepares a server: it creates the JetStream topology (streams,
// buckets, the market and recommendation streams) and opens the HTTP
// listener, so that a busy port is reported before anything runs.
func New(ctx context.Context, cfg Config) (*Server, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	js, err := jetstream.New(cfg.Conn)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	h, err := streams.Ensure(ctx, js, cfg.Topology)
	if err != nil {
		return nil, err
	}
	_, mkv, err := streams.EnsureMarket(ctx, js, cfg.Topology.Replicas)
	if err != nil {
		return nil, err
	}
	if _, err := streams.EnsureRecommendations(ctx, js, cfg.Topology.Replicas); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: cfg.Log, nc: cfg.Conn, js: js, h: h, marketKV: mkv,
		q: newQueue(cfg.QueueSize), slots: make(chan struct{}, cfg.Concurrency), active: map[string]*activeRun{}, stopped: make(chan struct{})}
	host, _ := os.Hostname()
	s.holder = fmt.Sprintf("%s pid %d %s", host, os.Getpid(), nuid.Next())
	s.met = newMetrics(s)
	s.dash = newDashboard(s)
	if cfg.HTTPAddr != "" {
		if s.ln, err = net.Listen("tcp", cfg.HTTPAddr); err != nil {
			return nil, fmt.Errorf("http: %w", err)
		}
	}
	return s, nil
}

// HTTPAddr returns the address the HTTP server listens on, empty if none.
func (s *Server) HTTPAddr() string {
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Run serves until ctx ends, then shuts down gracefully: it stops taking
// requests, lets runs in progress finish for ShutdownGrace (those that do
// not are left in JetStream and resumed at the next start, and runs still
// queued are run then), lets the workers finish their partitions for
// WorkerGrace (the rest are redelivered), and stops the HTTP server.
// Runs that a previous process left unfinished are resumed first.
func (s *Server) Run(ctx context.Context) error {
	defer close(s.stopped)
	// bg outlives ctx until everything that needs it has stopped.
	bg, stopBG := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBG()
	var bgWG sync.WaitGroup
	defer bgWG.Wait()
	defer stopBG()

	// The dashboard's watchers.
	if err := s.dash.start(bg, &bgWG); err != nil {
		return err
	}

	// HTTP first, so that health and readiness answer during recovery.
	var httpSrv *http.Server
	httpErr := make(chan error, 1)
	if s.ln != nil {
		httpSrv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second,
			BaseContext: func(net.Listener) context.Context { return bg }}
		go func() {
			if err := httpSrv.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				httpErr <- err
			}
		}()
		s.log.Info("http listening", "addr", s.ln.Addr().String())
	}

	// Workers price every run's partitions, resumed ones included.
	wctx, stopWorkers := context.WithCancel(bg)
	defer stopWorkers()
	werr := make(chan error, 1)
	if s.cfg.Workers > 0 {
		w := consumers.NewWorker(s.h, "", s.log)
		w.Grace = s.cfg.WorkerGrace
		go func() { werr <- w.Run(wctx, s.cfg.Workers) }()
	} else {
		close(werr)
	}

	// Runs a previous process accepted: before any new request.
	if err := s.recover(ctx); err != nil {
		s.log.Error("recovering unfinished runs", "err", err)
	}

	// Runners.
	popCtx, stopPop := context.WithCancel(bg)
	defer stopPop()
	runCtx, stopRuns := context.WithCancel(bg)
	defer stopRuns()
	var runners sync.WaitGroup
	for range s.cfg.Concurrency {
		runners.Add(1)
		go func() {
			defer runners.Done()
			// A job waiting, then a run slot free (a task may hold one),
			// then the first job: it keeps its place in the queue
			// meanwhile.
			for s.q.ready(popCtx) {
				release, err := s.RunSlot(popCtx)
				if err != nil {
					return
				}
				if j := s.q.tryPop(); j != nil {
					s.execute(runCtx, j)
				}
				release()
			}
		}()
	}

	// Tasks.
	tctx, stopTasks := context.WithCancel(bg)
	defer stopTasks()
	var tasks sync.WaitGroup
	for _, t := range s.cfg.Tasks {
		tasks.Add(1)
		go func() { defer tasks.Done(); s.runTask(tctx, t) }()
	}

	svc, err := s.addService()
	if err != nil {
		stopPop()
		stopRuns()
		runners.Wait()
		return err
	}
	s.log.Info("serving", "service", serviceName, "endpoints", "hedge.run hedge.status hedge.report hedge.recommendation.latest",
		"concurrency", s.cfg.Concurrency, "queue", s.cfg.QueueSize, "workers", s.cfg.Workers)

	select {
	case <-ctx.Done():
	case err = <-httpErr:
		s.log.Error("http server failed", "err", err)
	}

	// Graceful shutdown.
	s.log.Info("shutting down: no new requests; runs in progress may finish", "grace", s.cfg.ShutdownGrace)
	s.draining.Store(true)
	if serr := svc.Stop(); serr != nil {
		s.log.Warn("stopping the micro service", "err", serr)
	}
	stopTasks()
	for _, j := range s.q.close() {
		s.leave(j, "the service stopped before the run started; it starts when the service is back")
	}
	stopPop()
	finished := make(chan struct{})
	go func() { runners.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(s.cfg.ShutdownGrace):
		s.log.Warn("runs still in progress after the grace period: left in JetStream, to resume at the next start")
		stopRuns()
		<-finished
	}
	tasks.Wait()
	stopWorkers()
	if werr := <-werr; werr != nil {
		s.log.Warn("workers stopped with an error", "err", werr)
	}
	if httpSrv != nil {
		stopBG() // ends the event streams, whose requests never go idle
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		_ = httpSrv.Shutdown(sctx)
		cancel()
	}
	s.log.Info("stopped")
	return err
}

// runTask runs t until ctx ends, starting it again after a failure; a
// task with a lease only while this process holds it.
func (s *Server) runTask(ctx context.Context, t Task) {
	run := t.Run
	if t.Lease != "" {
		run = func(ctx context.Context) error {
			kv, err := streams.EnsureLeases(ctx, s.js, s.cfg.Topology.Replicas, s.cfg.LeaseTTL)
			if err != nil {
				return err
			}
			l := &streams.Lease{KV: kv, Key: t.Lease, Holder: s.holder, Log: s.log.With("task", t.Name),
				OnChange: func(held bool) {
					v := 0.0
					if held {
						v = 1
					}
					s.met.leases.WithLabelValues(t.Name).Set(v)
				}}
			return l.Hold(ctx, func(ctx context.Context) error { return safeRun(ctx, t.Run) })
		}
	}
	pause := time.Second
	for ctx.Err() == nil {
		started := time.Now()
		err := safeRun(ctx, run)
		if ctx.Err() != nil {
			return
		}
		if time.Since(started) > time.Minute {
			pause = time.Second
		}
		s.log.Error("task stopped; starting it again", "task", t.Name, "err", err, "after", pause)
		s.met.taskRestarts.WithLabelValues(t.Name).Inc()
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, time.Minute)
	}
}

// safeRun calls f, turning a panic into an error.
func safeRun(ctx context.Context, f func(context.Context) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return f(ctx)
}
