package agents

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hedgeflow/hedgeflow/consumers"
	"github.com/hedgeflow/hedgeflow/pricing/risk"
	"github.com/hedgeflow/hedgeflow/pricing/scenario"
	"github.com/hedgeflow/hedgeflow/pricing/sim"
	"github.com/hedgeflow/hedgeflow/streams"
)

// OnPaths are a programme's metrics with the programme carried on the
// weekly paths (so drawdowns include it), on the hedge paths of every
// scenario: pooled and per scenario, by horizon.
type OnPaths struct {
	Horizons   []int
	Pooled     []risk.Metrics   // by horizon
	ByScenario [][]risk.Metrics // [scenario][horizon]
	// Seconds is how long CarryOnPaths took (wall time): what carrying one
	// more programme costs a run. Zero when read from the run's own path
	// values (UnhedgedOnPaths).
	Seconds float64
}

// CarryOnPaths re-simulates the hedge paths of every scenario (the first
// HedgePaths paths: the same random streams as the run) with the
// programme x on them, in this process with n goroutines, and returns
// their metrics. It is the hedged counterpart of the run's unhedged
// figures, drawdowns included. fund, when not nil, holds for each
// scenario (as params) the fund's values at every step of its hedge
// paths from the run (consumers.Collected.ScenarioFundSteps; nil for a
// scenario without them): the paths then move only the factors and value
// only the programme, with the same results to the last bit.
func CarryOnPaths(ctx context.Context, spec streams.RunSpec, model *sim.Model, params []scenario.Params, fund [][]float64, x []float64, n int) (*OnPaths, error) {
	if fund != nil && len(fund) != len(params) {
		return nil, fmt.Errorf("%w: %d scenarios' fund values for %d scenarios", ErrInvalid, len(fund), len(params))
	}
	start := time.Now()
	hp := model.HedgePaths()
	if hp == 0 {
		return nil, fmt.Errorf("%w: the run valued no hedges", ErrInvalid)
	}
	sub := spec
	sub.Paths = hp
	rm, err := consumers.BuildModel(sub)
	if err != nil {
		return nil, err
	}
	hz := rm.Model.Horizons()
	out := &OnPaths{Horizons: hz, ByScenario: make([][]risk.Metrics, len(params))}
	H := len(hz)
	// Path values by horizon, pooled in scenario order.
	assets := make([][]float64, H)
	liabs := make([][]float64, H)
	dds := make([][]float64, H)
	for h := range H {
		assets[h] = make([]float64, len(params)*hp)
		liabs[h] = make([]float64, len(params)*hp)
		dds[h] = make([]float64, len(params)*hp)
	}
	n = max(n, 1)
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := rm.Model.NewSim()
			s.SkipHedgePnL() // the run has them; only the fund's values are wanted
			if err := s.SetProgramme(x); err != nil {
				mu.Lock()
				firstErr = err
				mu.Unlock()
				for range next {
				}
				return
			}
			var res sim.Result
			var scratch []float64
			for i := range next {
				if fund != nil {
					s.SetFundSteps(fund[i])
				}
				if err := s.Simulate(params[i], spec.Seed, &res); err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					continue
				}
				per := make([]risk.Metrics, H)
				for h, day := range hz {
					lo, hi := h*hp, (h+1)*hp
					copy(assets[h][i*hp:], res.Assets[lo:hi])
					copy(liabs[h][i*hp:], res.Liabilities[lo:hi])
					copy(dds[h][i*hp:], res.MaxDrawdown[lo:hi])
					var err error
					per[h], scratch, err = risk.Compute(risk.Sample{Years: float64(day) / sim.DaysPerYear,
						Assets0: rm.Model.Assets0(), Liabilities0: rm.Model.Liabilities0(), Threshold: spec.Threshold,
						Assets: res.Assets[lo:hi], Liabilities: res.Liabilities[lo:hi], MaxDrawdown: res.MaxDrawdown[lo:hi]}, scratch)
					if err != nil {
						mu.Lock()
						firstErr = err
						mu.Unlock()
					}
				}
				out.ByScenario[i] = per
			}
		}()
	}
	for i := range params {
		select {
		case next <- i:
		case <-ctx.Done():
			close(next)
			wg.Wait()
			return nil, ctx.Err()
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	for h, day := range hz {
		m, _, err := risk.Compute(risk.Sample{Years: float64(day) / sim.DaysPerYear, Assets0: rm.Model.Assets0(),
			Liabilities0: rm.Model.Liabilities0(), Threshold: spec.Threshold, Assets: assets[h], Liabilities: liabs[h], MaxDrawdown: dds[h]}, nil)
		if err != nil {
			return nil, err
		}
		out.Pooled = append(out.Pooled, m)
	}
	out.Seconds = time.Since(start).Seconds()
	return out, nil
}
