package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"time"

	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/input"
	"github.com/hedgeflow/hedgeflow/producers/feed"
	"github.com/hedgeflow/hedgeflow/run"
	"github.com/hedgeflow/hedgeflow/serve"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// tokenEnv is where --token is read from when the flag is not given.
const tokenEnv = "HEDGEFLOW_TOKEN"

func serveCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "Runs hedgeflow as a service until SIGINT or SIGTERM: NATS micro services\n"+
		"(hedge.run, hedge.status, hedge.report, hedge.recommendation.latest), pricing\n"+
		"workers, the recalibrator, and HTTP (live dashboard, metrics, health). NATS is\n"+
		"embedded (listening on --listen) unless --nats is given. Runs in progress when\n"+
		"it stops or dies are resumed by the next start on the same --store.", stderr)
	listen := fs.String("listen", "127.0.0.1:4222", "`ADDR` where the embedded NATS server accepts clients (the nats CLI, hedgeflow worker); empty: in-process only")
	store := fs.String("store", "", "`DIR` of the embedded server's JetStream files; a restart on the same DIR finds its runs (default: a temporary directory, removed at exit)")
	natsURL := fs.String("nats", "", "`URL` of an external NATS server or cluster with JetStream, instead of the embedded one")
	httpAddr := fs.String("http", "127.0.0.1:8080", "`ADDR` of the HTTP server (dashboard, /metrics, /healthz, /readyz); empty: none")
	token := fs.String("token", "", "`TOKEN` the dashboard, its events, the JSON API and /metrics require (Authorization: Bearer, or ?token=); default $"+tokenEnv)
	workers := fs.Int("workers", runtime.NumCPU(), "pricing goroutines in this process; -1: none (hedgeflow worker processes price)")
	concurrency := fs.Int("concurrency", 1, "runs computed at once; more wait in the queue, first in first out")
	queue := fs.Int("queue", 16, "runs that may wait; a request past it is refused (503)")
	maxScenarios := fs.Int("max-scenarios", 5000, "most scenarios a request may ask for")
	maxPaths := fs.Int("max-paths", 5000, "most paths per scenario a request may ask for")
	maxScenPaths := fs.Int64("max-scenario-paths", 4_000_000, "most scenarios x paths a request may ask for (the aggregator holds 96 bytes for each)")
	maxPositions := fs.Int("max-positions", 500, "most positions (equities, bonds, alternatives, liabilities) in a requested portfolio")
	portfolioDir := fs.String("portfolio-dir", "", "`DIR` of portfolio YAML files a request may name (\"portfolio\": \"NAME\"); default: only the built-in sample fund")
	grace := fs.Duration("grace", 30*time.Second, "on SIGINT/SIGTERM, time runs in progress may take to finish; the rest resume at the next start")
	workerGrace := fs.Duration("worker-grace", 10*time.Second, "on SIGINT/SIGTERM, time the workers may take to finish their partitions; the rest are redelivered")
	ackWait := fs.Duration("ack-wait", 0, "ack wait of the pricing consumer: how soon a partition held by a dead worker is redelivered (default: keep the existing setting, 60s for a new one)")
	ingest := fs.Bool("ingest", true, "run the market.ingest bridge: quotes any publisher sends there are validated into the MARKET stream and state")
	recal := fs.Bool("recal", true, "run the recalibrator: a run of the fund on the current market, then a new recommendation on every material market move")
	portfolio := fs.String("portfolio", "", "the recalibrator's portfolio `FILE` (default: the built-in sample fund)")
	marketFile := fs.String("market", "", "the recalibrator's starting market `FILE` when the market state is empty (default: the built-in snapshot)")
	recalScenarios := fs.Int("recal-scenarios", 1000, "the recalibrator's scenarios")
	recalPaths := fs.Int("recal-paths", 1000, "the recalibrator's paths per scenario")
	recalSeed := fs.Uint64("recal-seed", 42, "the recalibrator's seed")
	budget := fs.Float64("budget-bps", 25, "the recalibrator's hedging budget, all-in annual cost in bp of assets")
	objective := fs.String("objective", "cvar", "the recalibrator's hedge objective: cvar or variance")
	robustness := fs.String("robustness", "worst", "the recalibrator's robust measure: worst (the worst scenario's CVaR 95) or tail (mean CVaR 95 of the worst 10% of scenarios)")
	holdings := fs.String("holdings", "", "`FILE` of the hedges held (YAML, \"holdings:\" hedge id: USD notional), read again before every recalibration: the recommendation keeps the book while it meets the policy and a rebalance gains under 1%, and charges the bid-ask of trading away from it (README, \"Holdings\")")
	thresholds := fs.String("thresholds", "", "YAML `FILE` of the recalibrator's materiality thresholds (fx_spot_pct, fx_vol_pts, swaption_vol_bps, curve_bps, spread_bps, index_bps, equity_vol_pts)")
	verbose := fs.Bool("v", false, "log debug events too")
	nf := addNATSFlags(fs)
	set, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *natsURL != "" && (set["listen"] || set["store"]) {
		return usageErrorf("--listen and --store are for the embedded server; with --nats the external server keeps the state")
	}
	if *token == "" {
		*token = os.Getenv(tokenEnv)
	}
	if *ackWait < 0 {
		return usageErrorf("--ack-wait: must not be negative, got %v", *ackWait)
	}
	if !*recal {
		for _, name := range []string{"portfolio", "market", "recal-scenarios", "recal-paths", "recal-seed", "budget-bps", "objective", "robustness", "thresholds", "holdings"} {
			if set[name] {
				return usageErrorf("--%s configures the recalibrator, which --recal=false turns off", name)
			}
		}
	}
	url, opts, err := nf.options(*natsURL)
	if err != nil {
		return err
	}
	log := logger(stderr, *verbose, slog.LevelInfo, slog.LevelDebug)

	cfg := serve.Config{
		HTTPAddr: *httpAddr, Token: *token, Workers: *workers, Concurrency: *concurrency, QueueSize: *queue,
		WorkerGrace: *workerGrace, ShutdownGrace: *grace, PortfolioDir: *portfolioDir, Log: log,
		Limits:   serve.Limits{MaxScenarios: *maxScenarios, MaxPaths: *maxPaths, MaxScenarioPaths: *maxScenPaths, MaxPositions: *maxPositions},
		Topology: streams.Topology{Replicas: nf.replicas, AckWait: *ackWait},
	}
	if *workers == 0 {
		return usageErrorf("--workers: a number of goroutines, or -1 for none, got 0")
	}
	// Flags that are zero would mean "default" in the config: refuse them.
	for name, v := range map[string]int64{"concurrency": int64(*concurrency), "queue": int64(*queue), "max-scenarios": int64(*maxScenarios),
		"max-paths": int64(*maxPaths), "max-scenario-paths": *maxScenPaths, "max-positions": int64(*maxPositions)} {
		if v <= 0 {
			return usageErrorf("--%s: must be positive, got %d", name, v)
		}
	}
	if *grace <= 0 || *workerGrace < 0 {
		return usageErrorf("--grace must be positive and --worker-grace not negative")
	}
	if *portfolioDir != "" {
		if st, err := os.Stat(*portfolioDir); err != nil || !st.IsDir() {
			return usageErrorf("--portfolio-dir %s: not a directory", *portfolioDir)
		}
	}
	var recalOpts *run.RecalOptions
	if *recal {
		o := run.Options{
			PortfolioFile: examples.PortfolioFile, PortfolioYAML: examples.Portfolio,
			MarketFile: examples.MarketFile, MarketYAML: examples.Market,
			Scenarios: *recalScenarios, Paths: *recalPaths, Seed: *recalSeed,
			Workers: -1, Topology: cfg.Topology, Log: log,
		}
		o.Policy.BudgetBps, o.Policy.Objective, o.Policy.Robustness = *budget, *objective, *robustness
		if err := o.Policy.Check(); err != nil {
			return usageErrorf("%v", err)
		}
		if *recalScenarios <= 0 || *recalPaths <= 0 {
			return usageErrorf("--recal-scenarios and --recal-paths must be positive")
		}
		if *portfolio != "" {
			b, err := readInput(*portfolio)
			if err != nil {
				return err
			}
			if _, err := input.ParsePortfolio(*portfolio, b); err != nil {
				return err
			}
			o.PortfolioFile, o.PortfolioYAML = *portfolio, b
		}
		if *marketFile != "" {
			b, err := readInput(*marketFile)
			if err != nil {
				return err
			}
			if _, err := input.ParseMarket(*marketFile, b); err != nil {
				return err
			}
			o.MarketFile, o.MarketYAML = *marketFile, b
		}
		ro := run.RecalOptions{Base: o, Log: log.With("task", "recalibrator")}
		if *holdings != "" {
			// Checked now, so that a bad file stops the service at
			// once; read again before each recalibration.
			h, err := readHoldings(*holdings)
			if err != nil {
				return err
			}
			pol := o.Policy
			pol.Holdings = h
			if err := pol.Check(); err != nil {
				return usageErrorf("%v", err)
			}
			path := *holdings
			ro.Holdings = func() (map[string]float64, error) { return readHoldings(path) }
		}
		if *thresholds != "" {
			b, err := readInput(*thresholds)
			if err != nil {
				return err
			}
			if _, err := input.DecodeStrict(*thresholds, b, &ro.Thresholds); err != nil {
				return err
			}
		}
		recalOpts = &ro
	}

	// NATS: embedded, listening for external clients, or external.
	var nc *nats.Conn
	connOpts := longLived("hedgeflow serve", log, opts)
	natsDesc := url
	if url == "" {
		if *store == "" {
			log.Warn("no --store: JetStream state is in a temporary directory, removed at exit; a restart will not find its runs")
		}
		srv, err := streams.StartServer(streams.ServerOptions{StoreDir: *store, Listen: *listen})
		if err != nil {
			return err
		}
		defer srv.Shutdown()
		natsDesc = srv.ClientURL()
		if natsDesc == "" {
			natsDesc = "in-process only"
		}
		if nc, err = srv.Connect(connOpts...); err != nil {
			return err
		}
	} else if nc, err = nats.Connect(url, connOpts...); err != nil {
		return fmt.Errorf("connecting to %s: %w", url, err)
	}
	defer nc.Close()

	if *ingest {
		js, err := jetstream.New(nc)
		if err != nil {
			return err
		}
		ilog := log.With("task", "ingest")
		cfg.Tasks = append(cfg.Tasks, serve.Task{Name: "ingest", Run: func(ctx context.Context) error {
			_, kv, err := streams.EnsureMarket(ctx, js, cfg.Topology.Replicas)
			if err != nil {
				return err
			}
			return feed.RunIngest(ctx, nc, js, kv, feed.WithErrorHandler(func(err error) { ilog.Debug("quote refused", "err", err) }))
		}})
	}
	var srv *serve.Server // set below, before any task runs
	if recalOpts != nil {
		recalOpts.Base.Conn = nc
		rlog := recalOpts.Log
		recalOpts.Base.OnResult = func(res *run.Result) {
			if srv == nil {
				return
			}
			if err := srv.RecordReport(ctx, res.Report); err != nil {
				rlog.Warn("the recalibrator's report was not stored", "run_id", res.Spec.RunID, "err", err)
			}
		}
		recalOpts.Slot = func(ctx context.Context) (func(), error) { return srv.RunSlot(ctx) }
		r, err := run.NewRecalibrator(*recalOpts)
		if err != nil {
			return err
		}
		// One recalibrator among the serve processes on this JetStream:
		// the others stand by (streams.Lease).
		cfg.Tasks = append(cfg.Tasks, serve.Task{Name: "recalibrator", Lease: "recalibrator", Run: r.Run})
	}
	cfg.Conn = nc
	s, err := serve.New(ctx, cfg)
	if err != nil {
		return err
	}
	srv = s
	dash := "none"
	if a := s.HTTPAddr(); a != "" {
		dash = "http://" + a + "/"
	}
	fmt.Fprintf(stdout, "hedgeflow serve: NATS %s, dashboard %s\n", natsDesc, dash)
	err = s.Run(ctx)
	// Drain: acks and replies in flight reach the server before it stops.
	drained := make(chan struct{})
	nc.SetClosedHandler(func(*nats.Conn) { close(drained) })
	if derr := nc.Drain(); derr == nil {
		select {
		case <-drained:
		case <-time.After(10 * time.Second):
			log.Warn("NATS connection not drained in 10 s")
		}
	}
	return err
}
