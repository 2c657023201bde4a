package run

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/report"
	"github.com/hedgeflow/hedgeflow/streams"
)

func sampleOptions() Options {
	return Options{
		PortfolioFile: examples.PortfolioFile, PortfolioYAML: examples.Portfolio,
		MarketFile: examples.MarketFile, MarketYAML: examples.Market,
		Scenarios: 24, Paths: 60, Seed: 42,
		NoHedging: true, // TestReportContract and TestHedgedDeterministic cover hedging
	}
}

// numbers returns the report's JSON without the fields that legitimately
// differ between runs (run_id, timing).
func numbers(t *testing.T, r *report.Report) []byte {
	t.Helper()
	c := *r
	c.RunID, c.Timing = "", report.Timing{}
	b, err := c.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The same seed and inputs give byte-identical numbers whatever the number
// of workers and the partition size.
func TestDeterministicAcrossWorkersAndPartitions(t *testing.T) {
	ctx := context.Background()
	var first []byte
	for i, c := range []struct{ workers, size int }{{1, 50}, {2, 5}, {3, 7}, {2, 1}} {
		o := sampleOptions()
		o.Workers, o.PartitionSize, o.StoreDir = c.workers, c.size, t.TempDir()
		r, err := Execute(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		got := numbers(t, r)
		if i == 0 {
			first = got
			continue
		}
		if !bytes.Equal(got, first) {
			t.Fatalf("workers=%d partition-size=%d gave different numbers than workers=1 partition-size=50", c.workers, c.size)
		}
	}
	o := sampleOptions()
	o.Seed = 43
	r, err := Execute(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(numbers(t, r), first) {
		t.Error("a different seed gave the same numbers")
	}
}

// The report holds the contract's fields with sane values.
func TestReportContract(t *testing.T) {
	o := sampleOptions()
	o.NoHedging = false
	r, err := Execute(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if r.Portfolio.Name != "Global Pension Trust" || r.Scenarios != 24 || r.Paths != 60 || len(r.ScenarioMetrics) != 24 {
		t.Fatalf("report header %+v", r.Portfolio)
	}
	if fr := r.Portfolio.FundedRatio; fr < 0.875 || fr > 0.885 {
		t.Errorf("funded ratio %v", fr)
	}
	u := r.Unhedged
	if !(u.VaR95 > 0 && u.VaR95 <= u.CVaR95 && u.VaR95 <= u.VaR99 && u.VaR99 <= u.CVaR99) {
		t.Errorf("unhedged metrics out of order: %+v", u)
	}
	if !(u.FundingRatioVol > 0 && u.ShortfallProb >= 0 && u.ShortfallProb <= 1 && u.MaxDrawdown > 0) {
		t.Errorf("unhedged metrics: %+v", u)
	}
	if len(r.ByHorizon) != 4 {
		t.Fatalf("%d horizons, want 4", len(r.ByHorizon))
	}
	for _, h := range r.ByHorizon {
		m, ci, a := h.Unhedged, h.UnhedgedCI95, h.AcrossScenarios
		for _, c := range []struct {
			name      string
			v, lo, hi float64
		}{{"var95", m.VaR95, ci.VaR95.Lo, ci.VaR95.Hi}, {"cvar99", m.CVaR99, ci.CVaR99.Lo, ci.CVaR99.Hi},
			{"fr vol", m.FundingRatioVol, ci.FundingRatioVol.Lo, ci.FundingRatioVol.Hi}, {"shortfall", m.ShortfallProb, ci.ShortfallProb.Lo, ci.ShortfallProb.Hi}} {
			if !(c.lo <= c.v && c.v <= c.hi && c.lo < c.hi) {
				t.Errorf("%d days %s: %v outside its interval [%v, %v]", h.Days, c.name, c.v, c.lo, c.hi)
			}
		}
		if !(a.P05.CVaR95 <= a.Median.CVaR95 && a.Median.CVaR95 <= a.P95.CVaR95 && a.P95.CVaR95 <= a.Worst.CVaR95) {
			t.Errorf("%d days: across-scenario CVaR95 percentiles out of order: %+v", h.Days, a)
		}
	}
	if r.ByHorizon[3].Unhedged != r.Unhedged || r.ByHorizon[3].Days != 252 {
		t.Error("the top-level unhedged metrics are not the 252-day horizon's")
	}
	if r.ByHorizon[0].Unhedged.VaR95 >= r.ByHorizon[3].Unhedged.VaR95 {
		t.Error("one-month VaR is not below one-year VaR")
	}
	if r.Recommended == nil || r.MedianOptimal == nil || r.Robust == nil || r.CostOfRobustness == nil || len(r.Frontier) == 0 {
		t.Fatalf("hedge programmes missing (hedging error %q)", r.HedgingError)
	}
	if r.Recommended.CostBps > r.HedgingPolicy.BudgetBps*(1+1e-6) {
		t.Errorf("recommended costs %.2f bp over the %.0f bp budget", r.Recommended.CostBps, r.HedgingPolicy.BudgetBps)
	}
	if !(r.Recommended.Metrics.CVaR95 < r.UnhedgedOnHedgePaths.CVaR95) {
		t.Errorf("recommended CVaR95 %.4g not below unhedged %.4g", r.Recommended.Metrics.CVaR95, r.UnhedgedOnHedgePaths.CVaR95)
	}
	for _, sm := range r.ScenarioMetrics {
		if sm.Hedged == nil {
			t.Fatalf("scenario %d has no hedged metrics", sm.Index)
		}
	}
	b, _ := r.JSON()
	for _, k := range []string{`"run_id"`, `"seed"`, `"scenarios"`, `"paths"`, `"assets_usd"`, `"liabilities_usd"`, `"funded_ratio"`,
		`"unhedged"`, `"scenario_metrics"`, `"index"`, `"fx_vol"`, `"ir_vol"`, `"credit_vol"`, `"equity_vol"`, `"regime"`,
		`"var95"`, `"cvar95"`, `"var99"`, `"cvar99"`, `"funding_ratio_vol"`, `"shortfall_prob"`, `"max_drawdown"`,
		`"timing"`, `"total_seconds"`, `"pricing_seconds"`, `"by_horizon"`, `"unhedged_ci95"`, `"across_scenarios"`,
		`"recommended"`, `"median_optimal"`, `"robust"`, `"cost_of_robustness"`, `"frontier"`, `"hedges"`, `"notional_usd"`, `"cost_bps"`, `"hedged"`} {
		if !bytes.Contains(b, []byte(k)) {
			t.Errorf("report.json lacks %s", k)
		}
	}
}

// --nats URL: the run uses an external server (here a real nats-server
// listening on a loopback port) and gives the same numbers.
func TestExternalServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	srv, err := streams.StartServer(streams.ServerOptions{StoreDir: t.TempDir(), Listen: "127.0.0.1:" + strconv.Itoa(port)})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	ctx := context.Background()
	o := sampleOptions()
	embedded, err := Execute(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	o.NATSURL = srv.ClientURL()
	external, err := Execute(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(numbers(t, embedded), numbers(t, external)) {
		t.Error("external server gave different numbers")
	}
}

func TestBadOptions(t *testing.T) {
	cases := []struct {
		name string
		mod  func(*Options)
		want string
	}{
		{"absurd scenarios", func(o *Options) { o.Scenarios = 50_000_000 }, "scenarios: must be in"},
		{"absurd product", func(o *Options) { o.Scenarios, o.Paths = 1_000_000, 100 }, "scenarios × paths"},
		{"negative paths", func(o *Options) { o.Paths = -3 }, "paths: must be in"},
		{"bad run id", func(o *Options) { o.RunID = "a.b" }, "run-id"},
		{"bad portfolio", func(o *Options) { o.PortfolioYAML = []byte("name: x\nequities: 3\n") }, "examples/global-pension-trust.yaml:2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := sampleOptions()
			c.mod(&o)
			_, err := Execute(context.Background(), o)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
	o := sampleOptions()
	o.Paths = -1
	if _, err := Execute(context.Background(), o); !errors.Is(err, ErrInvalid) {
		t.Errorf("error %v is not ErrInvalid", err)
	}
}

// The hedge programmes are as deterministic as the risk numbers: the same
// seed gives byte-identical programmes with one worker or three.
func TestHedgedDeterministic(t *testing.T) {
	var first []byte
	for i, w := range []int{1, 3} {
		o := sampleOptions()
		o.Scenarios, o.Paths, o.NoHedging, o.Workers, o.PartitionSize = 12, 40, false, w, 5+i
		r, err := Execute(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		if r.Recommended == nil {
			t.Fatalf("no recommendation: %s", r.HedgingError)
		}
		got := numbers(t, r)
		if i == 0 {
			first = got
		} else if !bytes.Equal(got, first) {
			t.Error("hedge programmes differ between 1 and 3 workers")
		}
	}
}
