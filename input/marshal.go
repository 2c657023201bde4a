package input

import (
	"fmt"

	"github.com/hedgeflow/hedgeflow/pricing/market"
	"gopkg.in/yaml.v3"
)

// MarshalMarket writes a snapshot as market YAML that ParseMarket reads
// back to the same snapshot: how a market state rebuilt from quotes
// becomes a run's market.
func MarshalMarket(s *market.Snapshot, source string) ([]byte, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	date := s.Date
	f := marketFile{
		Date: &date, Source: source,
		Curves: map[string]curveFile{}, FX: map[string]float64{}, SpreadsBps: map[string]float64{},
		FXVol: map[string]float64{}, SwptVolBps: map[string]float64{}, IndexBps: map[string]float64{},
	}
	for c := market.Ccy(0); c < market.NumCcy; c++ {
		z := s.Curves[c]
		pct := make([]float64, len(z.Rates))
		for i, r := range z.Rates {
			pct[i] = r * 100
		}
		f.Curves[c.String()] = curveFile{Tenors: z.Times, Zero: pct}
		f.FX[c.String()] = s.FX[c]
		if c != market.USD {
			f.FXVol[c.String()] = s.FXVol[c]
		}
		f.SwptVolBps[c.String()] = s.SwaptionVol[c] * 1e4
	}
	for r := market.Rating(0); r < market.NumRating; r++ {
		f.SpreadsBps[r.String()] = s.Spread[r] * 1e4
	}
	for i := market.Index(0); i < market.NumIndex; i++ {
		f.IndexBps[i.String()] = s.IndexSpread[i] * 1e4
	}
	ev := s.EquityVol
	f.EquityVol = &ev
	out, err := yaml.Marshal(&f)
	if err != nil {
		return nil, fmt.Errorf("input: writing market YAML: %w", err)
	}
	return out, nil
}
