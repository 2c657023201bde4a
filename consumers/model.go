package consumers

import (
	"context"
	"fmt"
	"sync"

	"github.com/hedgeflow/hedgeflow/input"
	"github.com/hedgeflow/hedgeflow/input/runconfig"
	"github.com/hedgeflow/hedgeflow/pricing/sim"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go/jetstream"
)

// RunModel is a run's spec with its portfolio prepared for simulation.
type RunModel struct {
	Spec  streams.RunSpec
	Model *sim.Model
}

// BuildModel parses a spec's portfolio and market and prepares the model.
func BuildModel(spec streams.RunSpec) (*RunModel, error) {
	p, err := input.ParsePortfolio(spec.PortfolioFile, spec.PortfolioYAML)
	if err != nil {
		return nil, err
	}
	m, err := input.ParseMarket(spec.MarketFile, spec.MarketYAML)
	if err != nil {
		return nil, err
	}
	cfg, err := runconfig.Parse(spec.ConfigFile, spec.ConfigYAML)
	if err != nil {
		return nil, err
	}
	sc := cfg.Sim
	sc.Paths, sc.StepDays, sc.HorizonDays = spec.Paths, spec.StepDays, spec.HorizonDays
	mod, err := sim.NewModel(p, m, sc)
	if err != nil {
		return nil, err
	}
	return &RunModel{Spec: spec, Model: mod}, nil
}

// models caches RunModels by run id, loading specs from the runs bucket.
type models struct {
	kv jetstream.KeyValue
	mu sync.Mutex
	m  map[string]*RunModel
}

func (c *models) get(ctx context.Context, runID string) (*RunModel, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if rm, ok := c.m[runID]; ok {
		return rm, nil
	}
	e, err := c.kv.Get(ctx, streams.SpecKey(runID))
	if err != nil {
		return nil, fmt.Errorf("run %s: loading spec: %w", runID, err)
	}
	var spec streams.RunSpec
	if err := streams.Decode(e.Value(), &spec); err != nil {
		return nil, fmt.Errorf("run %s: spec: %w", runID, err)
	}
	rm, err := BuildModel(spec)
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", runID, err)
	}
	if c.m == nil {
		c.m = map[string]*RunModel{}
	}
	// Keep the few most recent runs; a long-lived worker sees many.
	if len(c.m) >= 8 {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[runID] = rm
	return rm, nil
}
