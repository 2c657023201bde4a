package agents

import (
	"fmt"

	"github.com/hedgeflow/hedgeflow/consumers"
	"github.com/hedgeflow/hedgeflow/pricing/risk"
	"github.com/hedgeflow/hedgeflow/pricing/sim"
)

// UnhedgedOnPaths is CarryOnPaths with no programme, read from the run's
// own path values instead of simulated again: the hedge paths are the
// first HedgePaths paths of every scenario, on the same random streams.
func UnhedgedOnPaths(col *consumers.Collected, model *sim.Model) (*OnPaths, error) {
	hp := model.HedgePaths()
	if hp == 0 {
		return nil, fmt.Errorf("%w: the run valued no hedges", ErrInvalid)
	}
	hz := model.Horizons()
	H, P := len(hz), col.Spec.Paths
	if hp > P {
		return nil, fmt.Errorf("%w: %d hedge paths of %d paths", ErrInvalid, hp, P)
	}
	S := col.Spec.Scenarios
	out := &OnPaths{Horizons: hz, ByScenario: make([][]risk.Metrics, 0, S)}
	assets := make([][]float64, H)
	liabs := make([][]float64, H)
	dds := make([][]float64, H)
	for h := range H {
		assets[h] = make([]float64, 0, S*hp)
		liabs[h] = make([]float64, 0, S*hp)
		dds[h] = make([]float64, 0, S*hp)
	}
	var scratch []float64
	sample := func(h int, a, l, d []float64) risk.Sample {
		return risk.Sample{Years: float64(hz[h]) / sim.DaysPerYear, Assets0: model.Assets0(), Liabilities0: model.Liabilities0(),
			Threshold: col.Spec.Threshold, Assets: a, Liabilities: l, MaxDrawdown: d}
	}
	for pi, res := range col.Results {
		vals := col.PathValues[pi]
		for s := range res.Scenarios {
			per := make([]risk.Metrics, H)
			for h := range H {
				at := func(k int) []float64 { o := (s*3+k)*H*P + h*P; return vals[o : o+hp] }
				a, l, d := at(0), at(1), at(2)
				assets[h] = append(assets[h], a...)
				liabs[h] = append(liabs[h], l...)
				dds[h] = append(dds[h], d...)
				var err error
				if per[h], scratch, err = risk.Compute(sample(h, a, l, d), scratch); err != nil {
					return nil, err
				}
			}
			out.ByScenario = append(out.ByScenario, per)
		}
	}
	for h := range H {
		m, _, err := risk.Compute(sample(h, assets[h], liabs[h], dds[h]), nil)
		if err != nil {
			return nil, err
		}
		out.Pooled = append(out.Pooled, m)
	}
	return out, nil
}
