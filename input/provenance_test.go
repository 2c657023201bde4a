package input

import (
	"bufio"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/pricing/market"
)

// dataDir returns the market-history directory named by HEDGEFLOW_DATA
// (.ci/run sets it to ../shared/data), or skips the test.
func dataDir(t *testing.T) string {
	t.Helper()
	d := os.Getenv("HEDGEFLOW_DATA")
	if d == "" {
		t.Skip("HEDGEFLOW_DATA is not set: skipping the test against real market history (see README, \"Market data\")")
	}
	return d
}

// fredValue returns the value of a FRED-format series (date,value) on date.
func fredValue(t *testing.T, dir, series, date string) float64 {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, series+".csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		d, v, ok := strings.Cut(sc.Text(), ",")
		if ok && d == date {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			return x
		}
	}
	t.Fatalf("%s has no value on %s", series, date)
	return 0
}

// The sample snapshot's USD curve and FX spots are the FRED values of
// 2024-12-31 it cites: Treasury CMT yields converted from semi-annual to
// continuous compounding (to the 4 decimals of the file), H.10 FX.
func TestSnapshotMatchesFRED(t *testing.T) {
	dir := dataDir(t)
	m, err := ParseMarket(examples.MarketFile, examples.Market)
	if err != nil {
		t.Fatal(err)
	}
	const date = "2024-12-31"
	tenors := map[string]float64{"DGS3MO": 0.25, "DGS6MO": 0.5, "DGS1": 1, "DGS2": 2, "DGS5": 5, "DGS10": 10, "DGS20": 20, "DGS30": 30}
	for s, tenor := range tenors {
		y := fredValue(t, dir, s, date) / 100
		want := 2 * math.Log(1+y/2)
		if got := m.Curves[market.USD].Rate(tenor); math.Abs(got-want) > 0.6e-6 {
			t.Errorf("USD %gy zero %.6f, FRED %s gives %.6f", tenor, got, s, want)
		}
	}
	fx := map[market.Ccy]float64{
		market.EUR: fredValue(t, dir, "DEXUSEU", date), market.GBP: fredValue(t, dir, "DEXUSUK", date),
		market.AUD: fredValue(t, dir, "DEXUSAL", date), market.JPY: 1 / fredValue(t, dir, "DEXJPUS", date),
		market.CHF: 1 / fredValue(t, dir, "DEXSZUS", date), market.CAD: 1 / fredValue(t, dir, "DEXCAUS", date),
	}
	for c, want := range fx {
		if got := m.FX[c]; math.Abs(got/want-1) > 5e-5 {
			t.Errorf("FX %s %v, FRED gives %v", c, got, want)
		}
	}
	for r, s := range map[market.Rating]string{market.AAA: "BAMLC0A1CAAA", market.BBB: "BAMLC0A4CBBB"} {
		want := fredValue(t, dir, s, date) / 100
		if got := m.Spread[r]; math.Abs(got-want) > 1e-9 {
			t.Errorf("%s spread %v, %s gives %v", r, got, s, want)
		}
	}
}
