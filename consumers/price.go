package consumers

import (
	"fmt"

	"github.com/hedgeflow/hedgeflow/pricing/risk"
	"github.com/hedgeflow/hedgeflow/pricing/sim"
	"github.com/hedgeflow/hedgeflow/streams"
)

// Pricer prices partitions of one run. It owns scratch buffers: one per
// goroutine.
type Pricer struct {
	rm      *RunModel
	sim     *sim.Sim
	res     sim.Result
	scratch []float64
}

// NewPricer returns a pricer for rm.
func NewPricer(rm *RunModel) *Pricer {
	return &Pricer{rm: rm, sim: rm.Model.NewSim()}
}

// Price simulates every scenario of p, computes its metrics at each horizon
// and returns the result with the path values appended to data (little-endian
// float64s: per scenario, assets then liabilities then drawdowns, each by
// horizon then path), then the candidate hedges' P&L (float32s: per
// scenario, path and hedge), then the fund's values at every step of the
// hedge paths (float64s, sim.Result.FundSteps). progress, if not nil, is
// called after each scenario.
func (pr *Pricer) Price(p *streams.Partition, data []byte, progress func()) (*streams.PartitionResult, []byte, error) {
	m := pr.rm.Model
	spec := &pr.rm.Spec
	hz := m.Horizons()
	out := &streams.PartitionResult{RunID: p.RunID, Partition: p.Index, Paths: m.Paths(), Horizons: len(hz),
		HedgePaths: m.HedgePaths(), Hedges: len(m.Hedges())}
	if spec.FundSteps {
		out.Steps = m.Steps()
	}
	var hedges, fund []byte
	for _, sp := range p.Scenarios {
		if sp.Index < 0 || sp.Index >= spec.Scenarios {
			return nil, data, fmt.Errorf("%w: scenario index %d outside the run's %d", streams.ErrDecode, sp.Index, spec.Scenarios)
		}
		if err := pr.sim.Simulate(sp, spec.Seed, &pr.res); err != nil {
			return nil, data, err
		}
		sr := streams.ScenarioResult{Params: sp, Horizons: make([]risk.Metrics, len(hz))}
		P := pr.res.Paths
		for h, day := range hz {
			var err error
			sr.Horizons[h], pr.scratch, err = risk.Compute(risk.Sample{
				Years:        float64(day) / sim.DaysPerYear,
				Assets0:      m.Assets0(),
				Liabilities0: m.Liabilities0(),
				Threshold:    spec.Threshold,
				Assets:       pr.res.Assets[h*P : (h+1)*P],
				Liabilities:  pr.res.Liabilities[h*P : (h+1)*P],
				MaxDrawdown:  pr.res.MaxDrawdown[h*P : (h+1)*P],
			}, pr.scratch)
			if err != nil {
				return nil, data, fmt.Errorf("scenario %d: %w", sp.Index, err)
			}
		}
		out.Scenarios = append(out.Scenarios, sr)
		data = streams.PutFloats(data, pr.res.Assets)
		data = streams.PutFloats(data, pr.res.Liabilities)
		data = streams.PutFloats(data, pr.res.MaxDrawdown)
		hedges = streams.PutFloat32s(hedges, pr.res.HedgePnL)
		if spec.FundSteps {
			fund = streams.PutFloats(fund, pr.res.FundSteps)
		}
		if progress != nil {
			progress()
		}
	}
	return out, append(append(data, hedges...), fund...), nil
}
