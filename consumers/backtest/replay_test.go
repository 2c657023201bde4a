package backtest

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/producers/history"
	"github.com/hedgeflow/hedgeflow/run"
)

// dataDir is the directory of real daily history (../shared/data, see its
// PROVENANCE.md), or the test is skipped.
func dataDir(t *testing.T) string {
	t.Helper()
	d := os.Getenv("HEDGEFLOW_DATA")
	if d == "" {
		t.Skip("HEDGEFLOW_DATA is not set: skipping the backtest on real market history")
	}
	return d
}

// Four weeks of March 2020 replayed end to end through JetStream with
// tiny recalibration runs: the structure of the backtest section, the
// accounting identity, and the unhedged funded ratio of every day against
// an independent valuation of the fund on the days rebuilt from history
// (not read back from the stream).
func TestReplayMarch2020(t *testing.T) {
	dir := dataDir(t)
	ws, err := ParseWindows("2020-03-02:2020-03-27")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ctx := context.Background()
	rep, err := Replay(ctx, Options{DataDir: dir, Windows: ws, PortfolioFile: examples.PortfolioFile, PortfolioYAML: examples.Portfolio,
		Run: run.Options{Scenarios: 50, Paths: 20, Seed: 7, Workers: 1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("replay took %v", time.Since(start))
	bt := rep.Backtest
	if bt == nil || len(bt.Windows) != 1 || bt.Rebalance != "weekly" || bt.Scenarios != 50 || bt.Paths != 20 || bt.Seed != 7 || bt.CostModel == "" {
		t.Fatalf("backtest section %+v", bt)
	}
	w := bt.Windows[0]
	series, err := history.LoadFRED(dir)
	if err != nil {
		t.Fatal(err)
	}
	base, err := exampleMarket()
	if err != nil {
		t.Fatal(err)
	}
	hd, err := history.Days(series, base, ws[0].From, ws[0].To)
	if err != nil {
		t.Fatal(err)
	}
	s := &w.Series
	if w.Days != len(hd) || len(s.Dates) != len(hd) || len(s.FundedRatioHedged) != len(hd) || len(s.CostsUSD) != len(hd) ||
		w.From != "2020-03-02" || w.To != "2020-03-27" || w.CalibrationFrom != "2019-03-02" {
		t.Fatalf("window %s: %d days (%s to %s), history has %d", w.Name, w.Days, w.From, w.To, len(hd))
	}
	// Mondays 2, 9, 16 and 23 March.
	if w.Rebalances+w.FailedRebalances != 4 || len(w.Trades) != 4 || w.Trades[3].Date != "2020-03-23" {
		t.Errorf("%d rebalances, %d failed, trades %d", w.Rebalances, w.FailedRebalances, len(w.Trades))
	}
	if w.Rebalances == 0 || !(w.TradeCostsUSD > 0) || !(w.RunningCostsUSD > 0) {
		t.Errorf("no trading: rebalances %d, costs %v + %v; first %+v", w.Rebalances, w.TradeCostsUSD, w.RunningCostsUSD, w.Trades[0])
	}
	// The fund starts at its funded ratio on the sample market.
	pf := sampleFund(t)
	if fr := pf.Value(base).FundedRatio; math.Abs(s.FundedRatioUnhedged[0]-fr) > 1e-12 {
		t.Errorf("first funded ratio %v, the fund's own %v", s.FundedRatioUnhedged[0], fr)
	}
	day := func(d history.Day) *Day { return &Day{Date: d.Date, Market: d.Market, Equity: d.Equity} }
	for i := range hd {
		a, l := independentValue(pf, day(hd[0]), day(hd[i]), w.LiabilityScale)
		if math.Abs(s.FundedRatioUnhedged[i]-a/l) > 1e-12 || s.Dates[i] != hd[i].Date.Format(time.DateOnly) {
			t.Errorf("%s: unhedged funded ratio %v, independent valuation %v", s.Dates[i], s.FundedRatioUnhedged[i], a/l)
		}
	}
	// Hedged - unhedged surplus change = hedge P&L - costs, to rounding.
	if diff, want := w.Hedged.SurplusChangeUSD-w.Unhedged.SurplusChangeUSD, w.HedgePnLUSD-w.CostsUSD; math.Abs(diff-want) > 1e-9*s.AssetsUnhedgedUSD[0] {
		t.Errorf("hedged - unhedged surplus change %v, hedge P&L - costs %v", diff, want)
	}
	if math.Abs(w.CostsUSD-w.TradeCostsUSD-w.RunningCostsUSD) > 1e-6 {
		t.Errorf("costs %v, trade %v + running %v", w.CostsUSD, w.TradeCostsUSD, w.RunningCostsUSD)
	}
	// March 2020: the unhedged fund fell.
	if !(w.Unhedged.MaxDrawdown > 0.05) || w.DrawdownReduction == nil {
		t.Errorf("unhedged drawdown %v, reduction %v", w.Unhedged.MaxDrawdown, w.DrawdownReduction)
	}
	if red := 1 - w.Hedged.MaxDrawdown/w.Unhedged.MaxDrawdown; math.Abs(red-*w.DrawdownReduction) > 1e-15 {
		t.Errorf("drawdown reduction %v, want %v", *w.DrawdownReduction, red)
	}
	// The programme held matches the last recalibration's positions.
	held := s.HedgeNotionalUSD[len(hd)-1]
	gross := 0.0
	for _, p := range w.Trades[3].Positions {
		gross += math.Abs(p.NotionalUSD)
	}
	if w.Trades[3].Error == "" && math.Abs(held-gross) > 1e-6*gross+len64(w.Trades[3].Positions) {
		t.Errorf("held %v at the end, last programme %v", held, gross)
	}
	// report.json carries the section; report.html draws it.
	b, err := rep.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var j map[string]any
	if err := json.Unmarshal(b, &j); err != nil {
		t.Fatal(err)
	}
	if _, ok := j["backtest"].(map[string]any)["windows"]; !ok {
		t.Error("report.json has no backtest windows")
	}
	h, err := rep.HTML()
	if err != nil {
		t.Fatal(err)
	}
	page := string(h)
	for _, want := range []string{`id="backtest"`, `id="chart-backtest-2020-03-02-2020-03-27"`, `class="line" data-series="unhedged" data-n="20"`,
		`class="line" data-series="hedged (recalibrated)" data-n="20"`, `<tr class="window"><td>2020-03-02:2020-03-27</td>`} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %s", want)
		}
	}
	if n := strings.Count(page, `class="pt" data-date=`); n != w.Rebalances {
		t.Errorf("%d rebalance dots, %d rebalances", n, w.Rebalances)
	}
}

func len64[T any](s []T) float64 { return float64(len(s)) }

// Windows the data do not cover fail before anything runs, naming the
// series and the dates.
func TestReplayWindowOutsideData(t *testing.T) {
	dir := dataDir(t)
	for _, c := range []struct {
		window string
		want   []string
	}{
		{"1995-01-02:1995-06-30", []string{"needs history from 1994-01-02", "DGS10 starts 2000-01-03"}},
		{"2027-01-04:2027-03-31", []string{"window 2027-01-04:2027-03-31 starts 2027-01-04 but", "ends"}},
		{"2025-06-02:2026-12-31", []string{"ends 2026-12-31 but the data end", "ends"}},
	} {
		ws, err := ParseWindows(c.window)
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		_, err = Replay(context.Background(), Options{DataDir: dir, Windows: ws, PortfolioFile: examples.PortfolioFile, PortfolioYAML: examples.Portfolio})
		if !errors.Is(err, ErrData) {
			t.Errorf("%s: error %v, want ErrData", c.window, err)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", c.window, err, w)
			}
		}
		if d := time.Since(t0); d > 20*time.Second {
			t.Errorf("%s: took %v to refuse", c.window, d)
		}
	}
	_, err := Replay(context.Background(), Options{DataDir: t.TempDir(), Windows: Windows[:1], PortfolioFile: examples.PortfolioFile, PortfolioYAML: examples.Portfolio})
	if err == nil || !strings.Contains(err.Error(), "no *.csv") {
		t.Errorf("empty data directory: %v", err)
	}
}
