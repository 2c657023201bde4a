package sim

import (
	"errors"
	"math"
	"testing"

	"github.com/hedgeflow/hedgeflow/pricing/market"
)

// When only implied vols move, a fresh simulation of the new market gives
// the old hedge P&L shifted by the change in premiums, on every path: what
// lets a recalibration re-use a run's paths.
func TestPremiumShiftMatchesResimulation(t *testing.T) {
	p, mk := sample(t)
	cfg := Config{Paths: 40, HedgePaths: 40}
	m0, err := NewModel(p, mk, cfg)
	if err != nil {
		t.Fatal(err)
	}
	mk1 := *mk
	mk1.FXVol[market.EUR] *= 1.3
	mk1.FXVol[market.JPY] *= 0.8
	mk1.SwaptionVol[market.EUR] += 0.0020
	mk1.SwaptionVol[market.USD] += 0.0015
	mk1.EquityVol += 0.05
	m1, err := NewModel(p, &mk1, cfg)
	if err != nil {
		t.Fatal(err)
	}
	shift, err := PremiumShift(m0, m1)
	if err != nil {
		t.Fatal(err)
	}
	moved := map[HedgeKind]bool{}
	for j, h := range m0.Hedges() {
		if shift[j] != 0 {
			moved[h.Kind] = true
		}
	}
	for _, k := range []HedgeKind{FXPut, RiskReversal, Seagull, SwaptionReceiver, SwaptionPayer, EquityPut} {
		if !moved[k] {
			t.Errorf("no %s premium moved", k)
		}
	}
	var r0, r1 Result
	if err := m0.NewSim().Simulate(midScenario, 3, &r0); err != nil {
		t.Fatal(err)
	}
	if err := m1.NewSim().Simulate(midScenario, 3, &r1); err != nil {
		t.Fatal(err)
	}
	M := r0.Hedges
	worst := 0.0
	for i := range r0.HedgePnL {
		j := i % M
		d := math.Abs(r1.HedgePnL[i] - (r0.HedgePnL[i] - shift[j]))
		worst = math.Max(worst, d)
		if d > 1e-12 {
			t.Fatalf("%s path %d: resimulated %v, shifted %v", m0.Hedges()[j].ID, i/M, r1.HedgePnL[i], r0.HedgePnL[i]-shift[j])
		}
	}
	for i := range r0.Assets {
		if r0.Assets[i] != r1.Assets[i] || r0.Liabilities[i] != r1.Liabilities[i] || r0.MaxDrawdown[i] != r1.MaxDrawdown[i] {
			t.Fatalf("path value %d moved with implied vols", i)
		}
	}
	t.Logf("largest difference %g over %d hedge P&Ls", worst, len(r0.HedgePnL))

	// A curve move is not premium-only.
	mk2 := *mk
	mk2.FX[market.EUR] *= 1.01
	m2, err := NewModel(p, &mk2, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := PremiumShift(m0, m2); !errors.Is(err, ErrNotPremiumOnly) {
		t.Errorf("an FX spot move: %v", err)
	}
}
