package run

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hedgeflow/hedgeflow/consumers"
	"github.com/hedgeflow/hedgeflow/input"
	"github.com/hedgeflow/hedgeflow/input/runconfig"
	"github.com/hedgeflow/hedgeflow/pricing/scenario"
	"github.com/hedgeflow/hedgeflow/producers"
	"github.com/hedgeflow/hedgeflow/report"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ErrUnknownRun is wrapped by Resume's error for a run id whose spec is
// not in the runs bucket.
var ErrUnknownRun = errors.New("unknown run")

// ErrRunFailed is wrapped by Resume's error for a run whose state says it
// failed: it is not resumed.
var ErrRunFailed = errors.New("run failed")

// Resume finishes the run o.RunID from what JetStream holds of it: the run
// of a process (hedgeflow serve) that stopped or died after Execute stored
// its spec. The run's parameters come from its spec in the runs bucket;
// o gives the connection, the workers, the hedging policy, the reasoner
// and the callbacks, as for Execute, and its other run parameters are
// ignored.
//
// An aggregator re-attaches to the run: it reads the results already in
// the result stream and waits for the rest, which workers price from the
// partitions still in the work queue (those a dead process left unacked
// come back after the consumer's ack wait). Once it has read every stored
// result, the partitions still missing are published again with their
// message ids: those that are in the work queue are deduplicated by the
// server within its duplicate window, and those the process died before
// publishing are priced now. The report is the one Execute would have
// built for the same spec and policy.
func Resume(ctx context.Context, o Options) (*report.Report, error) {
	start := time.Now()
	if !streams.ValidRunID(o.RunID) {
		return nil, fmt.Errorf("%w: run-id: 1 to 64 letters, digits, '-' or '_', got %q", ErrInvalid, o.RunID)
	}
	if o.Workers < -1 || o.Workers > MaxWorkers {
		return nil, fmt.Errorf("%w: workers: must be in [1, %d] (or -1 for none in this process), got %d", ErrInvalid, MaxWorkers, o.Workers)
	}
	if !o.NoHedging {
		if err := o.Policy.Check(); err != nil {
			return nil, err
		}
	}
	h, shutdown, err := open(ctx, o)
	if err != nil {
		return nil, err
	}
	defer shutdown()
	spec, err := loadSpec(ctx, h, o.RunID)
	if err != nil {
		return nil, err
	}
	// Every option the report or the hedging reads comes from the spec.
	o.PortfolioFile, o.PortfolioYAML, o.MarketFile, o.MarketYAML = spec.PortfolioFile, spec.PortfolioYAML, spec.MarketFile, spec.MarketYAML
	o.ConfigFile, o.ConfigYAML = spec.ConfigFile, spec.ConfigYAML
	o.Scenarios, o.Paths, o.Seed, o.PartitionSize = spec.Scenarios, spec.Paths, spec.Seed, spec.PartitionSize
	o.StepDays, o.HorizonDays, o.Threshold = spec.StepDays, spec.HorizonDays, spec.Threshold
	cfg, err := runconfig.Parse(spec.ConfigFile, spec.ConfigYAML)
	if err != nil {
		return nil, fmt.Errorf("run %s: spec: %w", o.RunID, err)
	}
	o.cfg = cfg
	o.setDefaults()
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("run %s: spec: %w", o.RunID, err)
	}
	pf, err := input.ParsePortfolio(spec.PortfolioFile, spec.PortfolioYAML)
	if err != nil {
		return nil, fmt.Errorf("run %s: spec: %w", o.RunID, err)
	}
	rm, err := consumers.BuildModel(spec)
	if err != nil {
		return nil, fmt.Errorf("run %s: spec: %w", o.RunID, err)
	}
	// The partitions, as Execute published them: the scenarios are drawn
	// from the run's seed alone.
	params, err := scenario.Generate(spec.Scenarios, spec.Seed, &cfg.Scenario)
	if err != nil {
		return nil, fmt.Errorf("run %s: spec: %w", o.RunID, err)
	}
	parts := producers.Partitions(spec.RunID, params, spec.PartitionSize)
	if len(parts) != spec.Partitions {
		return nil, fmt.Errorf("run %s: spec says %d partitions, its scenarios make %d", o.RunID, spec.Partitions, len(parts))
	}
	if err := ensureRunning(ctx, h, spec); err != nil {
		return nil, err
	}

	rctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	republish := func(missing []int) {
		if len(missing) == 0 {
			return
		}
		if err := publishPartitions(rctx, h, parts, missing); err != nil {
			cancel(fmt.Errorf("run %s: republishing %d missing partitions: %w", o.RunID, len(missing), err))
			return
		}
		o.Log.Info("run resumed: missing partitions published again (those still queued are deduplicated)",
			"run_id", o.RunID, "missing", len(missing), "partitions", spec.Partitions)
	}
	o.Log.Info("resuming run", "run_id", o.RunID, "partitions", spec.Partitions)
	rep, err := complete(rctx, &o, h, spec, rm, pf.Name, start, nil, republish)
	if err != nil && context.Cause(rctx) != nil && ctx.Err() == nil {
		return nil, context.Cause(rctx)
	}
	return rep, err
}

// loadSpec reads a run's spec and checks that its state does not say it
// failed.
func loadSpec(ctx context.Context, h *streams.Handles, id string) (streams.RunSpec, error) {
	var spec streams.RunSpec
	e, err := h.Runs.Get(ctx, streams.SpecKey(id))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return spec, fmt.Errorf("run %s: %w: no spec in %s", id, ErrUnknownRun, streams.RunsBucket)
	}
	if err != nil {
		return spec, fmt.Errorf("run %s: reading its spec: %w", id, err)
	}
	if err := streams.Decode(e.Value(), &spec); err != nil {
		return spec, fmt.Errorf("run %s: spec: %w", id, err)
	}
	if spec.RunID != id {
		return spec, fmt.Errorf("run %s: the spec under its key is for run %q", id, spec.RunID)
	}
	st, err := h.Runs.Get(ctx, id)
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound):
		return spec, nil // died between storing the spec and the state
	case err != nil:
		return spec, fmt.Errorf("run %s: reading its state: %w", id, err)
	}
	var s streams.RunState
	if err := streams.Decode(st.Value(), &s); err != nil {
		return spec, fmt.Errorf("run %s: state: %w", id, err)
	}
	if s.Status == streams.StatusFailed {
		return spec, fmt.Errorf("run %s: %w: %s", id, ErrRunFailed, s.Error)
	}
	return spec, nil
}

// ensureRunning creates the run's state if the process died before it did.
func ensureRunning(ctx context.Context, h *streams.Handles, spec streams.RunSpec) error {
	now := time.Now().UTC()
	b, err := streams.Encode(&streams.RunState{RunID: spec.RunID, Status: streams.StatusRunning, Partitions: spec.Partitions, Created: now, Updated: now})
	if err != nil {
		return err
	}
	if _, err := h.Runs.Create(ctx, spec.RunID, b); err != nil && !errors.Is(err, jetstream.ErrKeyExists) {
		return fmt.Errorf("run %s: creating its state: %w", spec.RunID, err)
	}
	return nil
}

// publishPartitions publishes the partitions of parts at the indexes
// which, with the message ids Execute used.
func publishPartitions(ctx context.Context, h *streams.Handles, parts []streams.Partition, which []int) error {
	futures := make([]jetstream.PubAckFuture, 0, len(which))
	for _, i := range which {
		if i < 0 || i >= len(parts) {
			return fmt.Errorf("partition %d out of range [0, %d)", i, len(parts))
		}
		body, err := streams.Encode(&parts[i])
		if err != nil {
			return err
		}
		f, err := h.JS.PublishMsgAsync(&nats.Msg{Subject: streams.ScenarioSubject(parts[i].RunID), Data: body},
			jetstream.WithMsgID(streams.MsgID(parts[i].RunID, parts[i].Index)))
		if err != nil {
			return fmt.Errorf("partition %d: %w", i, err)
		}
		futures = append(futures, f)
	}
	for k, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			return fmt.Errorf("partition %d not stored: %w", which[k], err)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
