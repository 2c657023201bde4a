package run

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/hedgeflow/hedgeflow/agents"
	"github.com/hedgeflow/hedgeflow/agents/reasoner"
	"github.com/hedgeflow/hedgeflow/consumers"
	"github.com/hedgeflow/hedgeflow/input"
	"github.com/hedgeflow/hedgeflow/input/runconfig"
	"github.com/hedgeflow/hedgeflow/pricing/scenario"
	"github.com/hedgeflow/hedgeflow/pricing/sim"
	"github.com/hedgeflow/hedgeflow/producers"
	"github.com/hedgeflow/hedgeflow/report"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ErrInvalid is wrapped by errors about invalid options.
var ErrInvalid = errors.New("invalid option")

// Limits on a run's size: the aggregator holds every path value of the run
// (3 values per path, horizon and scenario, 8 bytes each).
const (
	MaxScenarios     = 1_000_000
	MaxPaths         = 100_000
	MaxScenarioPaths = 20_000_000 // scenarios × paths: about 1.9 GB of path values at 4 horizons
	MaxPartitionSize = 10_000
	MaxWorkers       = 1024
)

// Options configure a run. The zero value of a field means its default.
type Options struct {
	PortfolioFile string // name for errors
	PortfolioYAML []byte
	MarketFile    string
	MarketYAML    []byte
	// ConfigFile/ConfigYAML: an optional run configuration (scenario
	// ranges, sampling, steps, horizons, dynamics, threshold); fields set
	// in Options win over the file.
	ConfigFile string
	ConfigYAML []byte

	Scenarios     int    // default 1000
	Paths         int    // default 1000
	Seed          uint64 // default 42 only through the CLI; 0 is a valid seed here
	PartitionSize int    // default 50
	Workers       int    // in-process pricing goroutines; default runtime.NumCPU(); -1 for none
	StepDays      int    // default 5
	HorizonDays   []int  // default 21, 63, 126, 252
	Threshold     float64

	// Conn, when set, is the connection to use (a long-running service's);
	// Execute neither closes nor drains it. NATSURL and StoreDir are then
	// ignored.
	Conn     *nats.Conn
	NATSURL  string        // external server; empty starts an embedded one
	NATSOpts []nats.Option // extra connection options (credentials, TLS)
	StoreDir string        // embedded server's store; empty for a temporary one
	Topology streams.Topology
	RunID    string
	Progress func(done, total int)
	Log      *slog.Logger

	// Policy is the hedging policy (budget, hedge ratios, trading rules).
	Policy agents.Policy
	// NoHedging skips the hedge optimisation.
	NoHedging bool
	// Reasoner decides for the agents; nil is the deterministic one.
	Reasoner reasoner.Reasoner
	// OnResult, if set, receives the run's numbers before Execute returns
	// (the recalibrator keeps them to re-optimise when prices move).
	OnResult func(*Result)

	cfg *runconfig.Config
}

func (o *Options) setDefaults() {
	if o.cfg != nil {
		if o.StepDays == 0 {
			o.StepDays = o.cfg.Sim.StepDays
		}
		if len(o.HorizonDays) == 0 {
			o.HorizonDays = o.cfg.Sim.HorizonDays
		}
		if o.Threshold == 0 {
			o.Threshold = o.cfg.Threshold
		}
	}
	if o.Scenarios == 0 {
		o.Scenarios = 1000
	}
	if o.Paths == 0 {
		o.Paths = 1000
	}
	if o.PartitionSize == 0 {
		o.PartitionSize = 50
	}
	if o.Workers == 0 {
		o.Workers = runtime.NumCPU()
	}
	if o.StepDays == 0 {
		o.StepDays = 5
	}
	if len(o.HorizonDays) == 0 {
		o.HorizonDays = []int{21, 63, 126, 252}
	}
	if o.Threshold == 0 {
		o.Threshold = 0.85
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
}

// Validate checks the options after defaults.
func (o *Options) Validate() error {
	switch {
	case o.Scenarios < 1 || o.Scenarios > MaxScenarios:
		return fmt.Errorf("%w: scenarios: must be in [1, %d], got %d", ErrInvalid, MaxScenarios, o.Scenarios)
	case o.Paths < 1 || o.Paths > MaxPaths:
		return fmt.Errorf("%w: paths: must be in [1, %d], got %d", ErrInvalid, MaxPaths, o.Paths)
	case int64(o.Scenarios)*int64(o.Paths) > MaxScenarioPaths:
		return fmt.Errorf("%w: scenarios × paths = %d is more than the limit %d (the aggregator keeps every path value in memory)", ErrInvalid, int64(o.Scenarios)*int64(o.Paths), MaxScenarioPaths)
	case o.PartitionSize < 1 || o.PartitionSize > MaxPartitionSize:
		return fmt.Errorf("%w: partition-size: must be in [1, %d], got %d", ErrInvalid, MaxPartitionSize, o.PartitionSize)
	case o.Workers < -1 || o.Workers > MaxWorkers:
		return fmt.Errorf("%w: workers: must be in [1, %d] (or -1 for none in this process), got %d", ErrInvalid, MaxWorkers, o.Workers)
	case !(o.Threshold > 0 && o.Threshold < 10):
		return fmt.Errorf("%w: threshold: must be in (0, 10), got %v", ErrInvalid, o.Threshold)
	case o.RunID != "" && !streams.ValidRunID(o.RunID):
		return fmt.Errorf("%w: run-id: 1 to 64 letters, digits, '-' or '_', got %q", ErrInvalid, o.RunID)
	}
	return nil
}

// NewRunID returns a fresh run id: the UTC time and a random suffix.
func NewRunID() string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return time.Now().UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b[:])
}

// Execute runs o end to end and returns the report.
func Execute(ctx context.Context, o Options) (*report.Report, error) {
	start := time.Now()
	cfg, err := runconfig.Parse(o.ConfigFile, o.ConfigYAML)
	if err != nil {
		return nil, err
	}
	o.cfg = cfg
	o.setDefaults()
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if !o.NoHedging {
		if err := o.Policy.Check(); err != nil {
			return nil, err
		}
	}
	// Validate the inputs before starting anything.
	pf, err := input.ParsePortfolio(o.PortfolioFile, o.PortfolioYAML)
	if err != nil {
		return nil, err
	}
	if _, err := input.ParseMarket(o.MarketFile, o.MarketYAML); err != nil {
		return nil, err
	}
	if o.RunID == "" {
		o.RunID = NewRunID()
	}
	params, err := scenario.Generate(o.Scenarios, o.Seed, &cfg.Scenario)
	if err != nil {
		return nil, err
	}
	spec := streams.RunSpec{
		RunID: o.RunID, Seed: o.Seed, Scenarios: o.Scenarios, Paths: o.Paths, PartitionSize: o.PartitionSize,
		StepDays: o.StepDays, HorizonDays: o.HorizonDays, Threshold: o.Threshold,
		PortfolioFile: o.PortfolioFile, PortfolioYAML: o.PortfolioYAML, MarketFile: o.MarketFile, MarketYAML: o.MarketYAML,
		ConfigFile: o.ConfigFile, ConfigYAML: o.ConfigYAML, FundSteps: !o.NoHedging,
	}
	parts := producers.Partitions(o.RunID, params, o.PartitionSize)
	spec.Partitions = len(parts)
	rm, err := consumers.BuildModel(spec)
	if err != nil {
		return nil, err
	}
	for r := range scenario.NumRegime {
		for _, bd := range []bool{false, true} {
			if rm.Model.Repaired(r, bd) {
				o.Log.Warn("correlation matrix not positive semidefinite; repaired to the nearest valid one", "regime", r.String(), "breakdown", bd)
			}
		}
	}

	h, shutdown, err := open(ctx, o)
	if err != nil {
		return nil, err
	}
	defer shutdown()

	publish := func(ctx context.Context) error {
		if err := producers.PublishRun(ctx, h, spec, parts); err != nil {
			return err
		}
		o.Log.Info("run published", "run_id", o.RunID, "scenarios", o.Scenarios, "paths", o.Paths, "partitions", spec.Partitions)
		return nil
	}
	return complete(ctx, &o, h, spec, rm, pf.Name, start, publish, nil)
}

// complete prices a run (with in-process workers if o asks for them),
// aggregates its results and builds its report: the part of a run that
// Execute and Resume share. publish, if not nil, publishes the run's
// partitions once the workers are started; caughtUp, if not nil, is the
// aggregator's OnCaughtUp.
func complete(ctx context.Context, o *Options, h *streams.Handles, spec streams.RunSpec, rm *consumers.RunModel, pfName string, start time.Time,
	publish func(context.Context) error, caughtUp func(missing []int)) (*report.Report, error) {
	wctx, stopWorkers := context.WithCancel(ctx)
	defer stopWorkers()
	werr := make(chan error, 1)
	if o.Workers > 0 {
		w := consumers.NewWorker(h, "", o.Log)
		go func() { werr <- w.Run(wctx, o.Workers) }()
	} else {
		close(werr)
	}

	agg := consumers.NewAggregator(h, spec)
	agg.OnProgress = o.Progress
	agg.OnCaughtUp = caughtUp
	pricingStart := time.Now()
	if publish != nil {
		if err := publish(ctx); err != nil {
			return nil, err
		}
	}
	col, err := agg.Run(ctx)
	if err != nil {
		return nil, err
	}
	pricing := time.Since(pricingStart)
	stopWorkers()
	if err := <-werr; err != nil {
		o.Log.Warn("workers stopped with an error", "err", err)
	}
	if col.Duplicates > 0 {
		o.Log.Info("duplicate results ignored", "count", col.Duplicates)
	}
	var progs *agents.Programmes
	var hedgeErr error
	var hedgeSecs float64
	if !o.NoHedging {
		t0 := time.Now()
		progs, hedgeErr = agents.Optimise(col, rm.Model, o.Policy)
		hedgeSecs = time.Since(t0).Seconds()
		if hedgeErr != nil {
			if errors.Is(hedgeErr, agents.ErrInvalid) {
				return nil, hedgeErr
			}
			o.Log.Error("hedge optimisation failed", "err", hedgeErr)
		}
	}
	rep, err := report.Build(col, rm.Model, pfName)
	if err != nil {
		return nil, err
	}
	if progs != nil {
		rep.AddProgrammes(progs)
		t0 := time.Now()
		// The agents decide on JetStream (light on the CPUs) while the
		// programme is carried on the paths (both CPUs): they read the
		// programmes, not the carried figures.
		type decided struct {
			outs map[string]*agents.Output
			err  error
		}
		dctx, cancelAgents := context.WithCancel(ctx)
		defer cancelAgents()
		agentsDone := make(chan decided, 1)
		go func() {
			outs, err := decideAgents(dctx, h, spec, col, rm, progs, o.Topology.Replicas, o.Reasoner)
			agentsDone <- decided{outs, err}
		}()
		waited := false
		defer func() {
			if !waited { // an early return below: the agents stop first
				cancelAgents()
				<-agentsDone
			}
		}()
		// Carry the recommended programme (and no programme, for a like
		// for like comparison) on the hedge paths' weekly steps, so that
		// hedged drawdowns and every horizon are measured.
		// with the fund's values on those paths from the workers, so that
		// only the programme is valued again
		var params []scenario.Params
		var fund [][]float64
		for pi, res := range col.Results {
			for s, sr := range res.Scenarios {
				params = append(params, sr.Params)
				fund = append(fund, col.ScenarioFundSteps(pi, s))
			}
		}
		nw := max(o.Workers, runtime.NumCPU())
		un, err := agents.UnhedgedOnPaths(col, rm.Model)
		if err != nil {
			return nil, fmt.Errorf("unhedged on the hedge paths: %w", err)
		}
		rec, err := agents.CarryOnPaths(ctx, spec, rm.Model, params, fund, progs.Recommended.X(), nw)
		if err != nil {
			return nil, fmt.Errorf("recommended programme on the hedge paths: %w", err)
		}
		rep.AddOnPaths(un, rec)
		d := <-agentsDone
		waited = true
		if d.err != nil {
			o.Log.Error("agents failed", "err", d.err)
			rep.AgentsError = d.err.Error()
		}
		rep.AddAgents(d.outs)
		hedgeSecs += time.Since(t0).Seconds()
	} else if hedgeErr != nil {
		rep.HedgingError = hedgeErr.Error()
	}
	rep.Timing.HedgingSeconds = hedgeSecs
	rep.Timing.PricingSeconds = pricing.Seconds()
	rep.Timing.TotalSeconds = time.Since(start).Seconds()
	if o.OnResult != nil {
		o.OnResult(&Result{Spec: spec, Collected: col, Model: rm.Model, Programmes: progs, Policy: o.Policy, Report: rep})
	}
	return rep, nil
}

// Result is what a run computed, beyond its report: the scenario set's
// numbers that a recalibration re-uses.
type Result struct {
	Spec       streams.RunSpec
	Collected  *consumers.Collected
	Model      *sim.Model
	Programmes *agents.Programmes // nil with NoHedging or a failed optimisation
	Policy     agents.Policy
	Report     *report.Report
}

// open connects (see connect) and ensures the topology: what a run and a
// resumed run both start with. shutdown closes the connection (and stops
// an embedded server).
func open(ctx context.Context, o Options) (*streams.Handles, func(), error) {
	nc, shutdown, err := Connect(o, "hedgeflow run")
	if err != nil {
		return nil, nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		shutdown()
		return nil, nil, err
	}
	h, err := streams.Ensure(ctx, js, o.Topology)
	if err != nil {
		shutdown()
		return nil, nil, err
	}
	return h, shutdown, nil
}

// Connect returns o.Conn, or dials o.NATSURL (with o.NATSOpts, as client
// name), or starts an embedded server on o.StoreDir and connects to it.
// shutdown drains or closes the connection it opened and stops the server
// it started; it leaves o.Conn alone.
func Connect(o Options, name string) (*nats.Conn, func(), error) {
	if o.Conn != nil {
		return o.Conn, func() {}, nil
	}
	if o.NATSURL != "" {
		opts := append([]nats.Option{nats.Name(name)}, o.NATSOpts...)
		nc, err := nats.Connect(o.NATSURL, opts...)
		if err != nil {
			return nil, nil, fmt.Errorf("connecting to %s: %w", o.NATSURL, err)
		}
		return nc, func() { _ = nc.Drain() }, nil
	}
	srv, err := streams.StartServer(streams.ServerOptions{StoreDir: o.StoreDir})
	if err != nil {
		return nil, nil, err
	}
	nc, err := srv.Connect()
	if err != nil {
		srv.Shutdown()
		return nil, nil, err
	}
	return nc, func() { nc.Close(); srv.Shutdown() }, nil
}

// SimConfig is the simulation configuration of o, for callers that price
// without NATS (benchmarks).
func (o Options) SimConfig() sim.Config {
	o.setDefaults()
	return sim.Config{Paths: o.Paths, StepDays: o.StepDays, HorizonDays: o.HorizonDays}
}

// decideAgents runs the five specialist agents and the integration step on
// the run's numbers, as consumers on JetStream in this process.
func decideAgents(ctx context.Context, h *streams.Handles, spec streams.RunSpec, col *consumers.Collected, rm *consumers.RunModel, progs *agents.Programmes, replicas int, r reasoner.Reasoner) (map[string]*agents.Output, error) {
	in, err := agents.LoadInputs(spec)
	if err != nil {
		return nil, err
	}
	var scn []scenario.Params
	for _, res := range col.Results {
		for _, sr := range res.Scenarios {
			scn = append(scn, sr.Params)
		}
	}
	n := &agents.Numbers{Progs: progs, Model: rm.Model, Scenarios: scn, Threshold: spec.Threshold, Inputs: in}
	actx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	svc := agents.NewService(h, r)
	done := make(chan error, 1)
	sctx, stop := context.WithCancel(actx)
	go func() { done <- svc.Run(sctx, replicas) }()
	outs, err := svc.Decide(actx, spec.RunID, n)
	stop()
	if rerr := <-done; err == nil && rerr != nil {
		err = rerr
	}
	return outs, err
}
