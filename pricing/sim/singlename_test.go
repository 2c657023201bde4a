package sim

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// The largest corporate holdings get single-name CDS protection limited to
// the holding; the protection moves with the holding's sector: a
// financials name (systemic amplification 1.4) swings more than an
// industrials name of the same rating, currency and spread (1.1).
func TestSingleNameCDS(t *testing.T) {
	m := sampleModel(t, Config{Paths: 400, HedgePaths: 400})
	want := map[string]float64{ // the sample fund's five largest corporate holdings
		"cds_single_a_financials": 1.00e9, "cds_single_a_industrials": 0.80e9, "cds_single_bbb_industrials": 0.80e9,
		"cds_single_aa_financials": 0.75e9, "cds_single_bbb_financials": 0.70e9,
	}
	for id, v := range want {
		h := hedgeByID(t, m, id)
		if h.Limit() != v || h.Kind != SingleNameCDS || h.AssetClass != "credit" || !h.Linear() {
			t.Errorf("%s: limit %v kind %v class %s linear %v", id, h.Limit(), h.Kind, h.AssetClass, h.Linear())
		}
		if !(h.Delta > 3e-4 && h.Delta < 5e-4) {
			t.Errorf("%s: CS01 %v per USD, want about 4.5 years of annuity × 1 bp", id, h.Delta)
		}
	}
	fin, ind := hedgeIndex(t, m, "cds_single_a_financials"), hedgeIndex(t, m, "cds_single_a_industrials")
	var r Result
	if err := m.NewSim().Simulate(midScenario, 11, &r); err != nil {
		t.Fatal(err)
	}
	a, b := make([]float64, r.HedgePaths), make([]float64, r.HedgePaths)
	for p := range r.HedgePaths {
		a[p], b[p] = r.HedgePnL[p*r.Hedges+fin], r.HedgePnL[p*r.Hedges+ind]
	}
	ratio := stat.StdDev(a, nil) / stat.StdDev(b, nil)
	if !(ratio > 1.15 && ratio < 1.5) {
		t.Errorf("P&L std financials / industrials = %v, want about 1.4/1.1 = 1.27", ratio)
	}
	if c := stat.Correlation(a, b, nil); c < 0.9 {
		t.Errorf("same rating factor, correlation %v", c)
	}
	if math.IsNaN(ratio) {
		t.Fatal("NaN")
	}
	if got := slug("BBB financials (covered) / GBP"); got != "bbb_financials_covered_gbp" {
		t.Errorf("slug %q", got)
	}
}
