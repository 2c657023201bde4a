package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hedgeflow/hedgeflow/agents/reasoner"
	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/input"
	"github.com/hedgeflow/hedgeflow/pricing/risk"
	"github.com/hedgeflow/hedgeflow/report"
	"github.com/hedgeflow/hedgeflow/run"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

func runCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("run", "Analyses a pension fund across volatility scenarios on NATS JetStream (an\n"+
		"embedded server unless --nats is given) and writes OUT/report.json.", stderr)
	portfolio := fs.String("portfolio", "", "portfolio `FILE` (YAML, see README); default: the built-in sample fund \"Global Pension Trust\"")
	marketFile := fs.String("market", "", "market snapshot `FILE` (YAML); default: the built-in snapshot of 2024-12-31")
	configFile := fs.String("config", "", "run configuration `FILE` (YAML: scenario ranges, sampling, steps, horizons, dynamics; see examples/run-config.yaml)")
	scenarios := fs.Int("scenarios", 1000, "number of volatility scenarios")
	paths := fs.Int("paths", 1000, "Monte Carlo paths per scenario")
	seed := fs.Uint64("seed", 42, "random seed: the same seed and inputs give the same numbers")
	workers := fs.Int("workers", 0, "pricing workers in this process (default: number of CPUs; -1: none, for remote workers)")
	partition := fs.Int("partition-size", 50, "scenarios per work-queue message")
	natsURL := fs.String("nats", "", "`URL` of an external NATS server with JetStream (default: embedded, in-process)")
	store := fs.String("store", "", "`DIR` for the embedded server's JetStream files, kept after the run (default: a temporary directory)")
	out := fs.String("out", "hedgeflow-out", "output `DIR` for report.json")
	threshold := fs.Float64("threshold", 0.85, "funded-ratio threshold for the shortfall probability (overrides --config)")
	stepDays := fs.Int("step-days", 5, "simulation step in trading days, 5 is weekly (overrides --config)")
	runID := fs.String("run-id", "", "run id (default: time and a random suffix)")
	budget := fs.Float64("budget-bps", 25, "hedging budget: all-in annual cost in bp of assets")
	objective := fs.String("objective", "cvar", "hedge objective: cvar (CVaR 95 of the one-year surplus loss) or variance (funded-ratio variance)")
	robustness := fs.String("robustness", "worst", "what the robust programme minimises: worst (the worst scenario's CVaR 95) or tail (mean CVaR 95 of the worst --tail-share of scenarios: steadier from seed to seed)")
	tailShare := fs.Float64("tail-share", 0.10, "the share of worst scenarios --robustness tail averages, in (0, 1]")
	holdings := fs.String("holdings", "", "`FILE` of the hedges held today (YAML, \"holdings:\" hedge id: USD notional): the optimiser charges the bid-ask of trading away from them, and the book is kept while it meets the policy and a rebalance gains under 1% (README, \"Holdings\")")
	prohibit := fs.String("prohibit", "", "comma-separated hedge ids, kinds (e.g. equity_put) or asset classes (fx, rates, credit, equity) not to use")
	noHedging := fs.Bool("no-hedging", false, "skip the hedge optimisation")
	reasonerName := fs.String("reasoner", "deterministic", "agents' reasoner: deterministic (offline, default) or bedrock (Amazon Bedrock Converse; explains and chooses among scored candidates, figures checked)")
	bedrockModel := fs.String("bedrock-model", "", "Bedrock model `ID` for --reasoner bedrock")
	bedrockRegion := fs.String("bedrock-region", "", "AWS region for Bedrock (default: the standard AWS configuration)")
	verbose := fs.Bool("v", false, "log progress to stderr")
	nf := addNATSFlags(fs)
	s3f := addS3Flags(fs)
	set, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	o := run.Options{
		PortfolioFile: examples.PortfolioFile, PortfolioYAML: examples.Portfolio,
		MarketFile: examples.MarketFile, MarketYAML: examples.Market,
		Scenarios: *scenarios, Paths: *paths, Seed: *seed, Workers: *workers, PartitionSize: *partition,
		NATSURL: *natsURL, StoreDir: *store, RunID: *runID, NoHedging: *noHedging,
	}
	o.Policy.BudgetBps, o.Policy.Objective, o.Policy.Robustness, o.Policy.TailShare = *budget, *objective, *robustness, *tailShare
	switch *reasonerName {
	case "deterministic":
	case "bedrock":
		if *bedrockModel == "" {
			return usageErrorf("--reasoner bedrock needs --bedrock-model")
		}
		var opts []reasoner.Option
		if *bedrockRegion != "" {
			opts = append(opts, reasoner.WithRegion(*bedrockRegion))
		}
		b, err := reasoner.NewBedrock(ctx, *bedrockModel, opts...)
		if err != nil {
			return fmt.Errorf("bedrock reasoner: %w", err)
		}
		o.Reasoner = b
	default:
		return usageErrorf("--reasoner: deterministic or bedrock, got %q", *reasonerName)
	}
	for _, p := range strings.Split(*prohibit, ",") {
		if p = strings.TrimSpace(p); p != "" {
			o.Policy.Prohibited = append(o.Policy.Prohibited, p)
		}
	}
	// Threshold and steps come from --config unless given as flags.
	if set["threshold"] || *configFile == "" {
		o.Threshold = *threshold
	}
	if set["step-days"] || *configFile == "" {
		o.StepDays = *stepDays
	}
	if err := nf.apply(&o); err != nil {
		return err
	}
	if err := s3f.check(); err != nil {
		return err
	}
	// Flags given as zero mean zero, not "default": refuse them here.
	for name, v := range map[string]int{"scenarios": *scenarios, "paths": *paths, "partition-size": *partition, "step-days": *stepDays} {
		if v <= 0 {
			return usageErrorf("--%s: must be positive, got %d", name, v)
		}
	}
	if !(*tailShare > 0 && *tailShare <= 1) {
		return usageErrorf("--tail-share: must be in (0, 1], got %v", *tailShare)
	}
	if err := loadInput(*portfolio, &o.PortfolioFile, &o.PortfolioYAML); err != nil {
		return err
	}
	if err := loadInput(*configFile, &o.ConfigFile, &o.ConfigYAML); err != nil {
		return err
	}
	if err := loadInput(*marketFile, &o.MarketFile, &o.MarketYAML); err != nil {
		return err
	}
	if *holdings != "" {
		if *noHedging {
			return usageErrorf("--holdings is for the hedge optimisation, which --no-hedging skips")
		}
		if o.Policy.Holdings, err = readHoldings(*holdings); err != nil {
			return err
		}
		if err := o.Policy.Check(); err != nil {
			return usageErrorf("%v", err)
		}
	}
	o.Log = logger(stderr, *verbose, slog.LevelWarn, slog.LevelInfo)
	if f, ok := stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		var bar *progressbar.ProgressBar
		o.Progress = func(done, total int) {
			if bar == nil {
				bar = progressbar.NewOptions(total,
					progressbar.OptionSetWriter(f),
					progressbar.OptionSetDescription("pricing partitions"),
					progressbar.OptionShowCount(),
					progressbar.OptionShowIts(),
					progressbar.OptionSetItsString("partitions"),
					progressbar.OptionSetPredictTime(true),
					progressbar.OptionClearOnFinish(),
					progressbar.OptionThrottle(100*time.Millisecond))
			}
			_ = bar.Set(done)
		}
	}
	rep, err := run.Execute(ctx, o)
	if err != nil {
		return err
	}
	path, err := rep.WriteFiles(*out)
	if err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	printSummary(stdout, rep, path)
	return s3f.upload(ctx, rep, path, stdout)
}

// loadInput reads the input file path, when one is given, into *file (its
// name, for messages) and *data.
func loadInput(path string, file *string, data *[]byte) error {
	if path == "" {
		return nil
	}
	b, err := readInput(path)
	if err != nil {
		return err
	}
	*file, *data = path, b
	return nil
}

// readHoldings reads and checks a holdings file (input.ParseHoldings).
func readHoldings(path string) (map[string]float64, error) {
	b, err := readInput(path)
	if err != nil {
		return nil, err
	}
	return input.ParseHoldings(path, b)
}

// readInput reads a user's file with a size limit (16 MiB).
func readInput(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > 16<<20 {
		return nil, fmt.Errorf("%s: %d bytes, more than the 16 MiB limit", path, st.Size())
	}
	return os.ReadFile(filepath.Clean(path))
}

func printSummary(w io.Writer, r *report.Report, path string) {
	p := r.Portfolio
	fmt.Fprintf(w, "%s: assets %s, liabilities %s, funded ratio %.1f%%\n", p.Name, bn(p.AssetsUSD), bn(p.LiabilitiesUSD), 100*p.FundedRatio)
	fmt.Fprintf(w, "%d scenarios x %d paths, seed %d, run %s\n\n", r.Scenarios, r.Paths, r.Seed, r.RunID)
	col := func(f func(m risk.Metrics) float64) (median, worst float64) {
		xs := make([]float64, len(r.ScenarioMetrics))
		for i, s := range r.ScenarioMetrics {
			xs[i] = f(s.Unhedged)
		}
		slices.Sort(xs)
		return xs[len(xs)/2], xs[len(xs)-1]
	}
	fmt.Fprintf(w, "%-24s %14s %16s %15s\n", fmt.Sprintf("Unhedged, %d days", r.HorizonDays), "all scenarios", "median scenario", "worst scenario")
	rows := []struct {
		name string
		f    func(m risk.Metrics) float64
		pct  bool
	}{
		{"VaR 95 (surplus loss)", func(m risk.Metrics) float64 { return m.VaR95 }, false},
		{"CVaR 95", func(m risk.Metrics) float64 { return m.CVaR95 }, false},
		{"VaR 99", func(m risk.Metrics) float64 { return m.VaR99 }, false},
		{"CVaR 99", func(m risk.Metrics) float64 { return m.CVaR99 }, false},
		{"Funding-ratio vol", func(m risk.Metrics) float64 { return m.FundingRatioVol }, true},
		{fmt.Sprintf("P(funded ratio < %.2f)", r.Threshold), func(m risk.Metrics) float64 { return m.ShortfallProb }, true},
		{"Max drawdown (mean)", func(m risk.Metrics) float64 { return m.MaxDrawdown }, true},
	}
	for _, row := range rows {
		med, worst := col(row.f)
		all := row.f(r.Unhedged)
		f := bn
		if row.pct {
			f = func(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }
		}
		fmt.Fprintf(w, "%-24s %14s %16s %15s\n", row.name, f(all), f(med), f(worst))
	}
	if rec := r.Recommended; rec != nil {
		u := r.UnhedgedOnHedgePaths
		fmt.Fprintf(w, "\nRecommended programme: %d hedges, %.1f bp a year (budget %.0f bp)\n", len(rec.Hedges), rec.CostBps, r.HedgingPolicy.BudgetBps)
		if d := r.HedgingPolicy.RebalanceDecision; d != "" {
			fmt.Fprintf(w, "  Held book (--holdings): %s; trading to it costs %s\n", d, bn(rec.TradeCostUSD))
		}
		fmt.Fprintf(w, "  %-28s %14s %16s\n", "1 year, hedge paths", "unhedged", "recommended")
		fmt.Fprintf(w, "  %-28s %14s %16s\n", "CVaR 95", bn(u.CVaR95), bn(rec.Metrics.CVaR95))
		fmt.Fprintf(w, "  %-28s %14s %16s\n", "Funding-ratio vol", pct(u.FundingRatioVol), pct(rec.Metrics.FundingRatioVol))
		fmt.Fprintf(w, "  %-28s %14s %16s\n", "Worst-scenario CVaR 95", "", bn(rec.WorstCVaR95))
		for _, h := range rec.Hedges {
			fmt.Fprintf(w, "    %-34s %10s\n", h.ID, bn(h.NotionalUSD))
		}
		if c := r.CostOfRobustness; c != nil {
			fmt.Fprintf(w, "  Cost of robustness: the robust programme gives up %s of median-scenario CVaR and %s a year to save %s of worst-scenario CVaR\n",
				bn(c.MedianGivenUpUSD), bn(c.ExtraCostUSD), bn(c.WorstSavedUSD))
		}
	} else if r.HedgingError != "" {
		fmt.Fprintf(w, "\nHedging failed: %s\n", r.HedgingError)
	}
	fmt.Fprintf(w, "\nreport: %s and %s (%.1f s: pricing %.1f s, hedging %.1f s)\n", path, filepath.Join(filepath.Dir(path), "report.html"), r.Timing.TotalSeconds, r.Timing.PricingSeconds, r.Timing.HedgingSeconds)
}

func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

// bn formats USD in billions.
func bn(x float64) string {
	s := fmt.Sprintf("$%.2fbn", math.Abs(x)/1e9)
	if x < 0 {
		s = "-" + s
	}
	return strings.TrimSpace(s)
}
