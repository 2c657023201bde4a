package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/hedgeflow/hedgeflow/consumers/backtest"
	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/report"
	"github.com/hedgeflow/hedgeflow/run"
)

// dataEnv names the directory of historical series when --data is not
// given.
const dataEnv = "HEDGEFLOW_DATA"

func replayCmd(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("replay", "Backtests the fund through historical windows: the daily markets rebuilt from\n"+
		"FRED-format series are published on the MARKET stream and read back by the\n"+
		"backtest consumer; on every rebalance date a full run recalibrates the hedge\n"+
		"and the book trades to the recommended programme. Writes OUT/report.json (the\n"+
		"last recalibration's report with a \"backtest\" section) and OUT/report.html.", stderr)
	data := fs.String("data", "", "`DIR` of FRED-format series, <ID>.csv (default: $"+dataEnv+"; see README \"Historical data\")")
	window := fs.String("window", "all", "windows: 2008, 2020, 2022, all, or FROM:TO (YYYY-MM-DD:YYYY-MM-DD); several separated by commas")
	portfolio := fs.String("portfolio", "", "portfolio `FILE` (YAML); default: the built-in sample fund")
	configFile := fs.String("config", "", "run configuration `FILE` (YAML) of every recalibration run")
	scenarios := fs.Int("scenarios", backtest.DefaultScenarios, "scenarios of every recalibration run")
	paths := fs.Int("paths", backtest.DefaultPaths, "paths per scenario of every recalibration run")
	seed := fs.Uint64("seed", 42, "seed of every recalibration run (the same each time)")
	rebalance := fs.String("rebalance", "weekly", "when to recalibrate: weekly, monthly, or N days (every N business days)")
	budget := fs.Float64("budget-bps", 25, "hedging budget: all-in annual cost in bp of assets")
	robustness := fs.String("robustness", "worst", "what the robust programme minimises: worst (the worst scenario's CVaR 95) or tail (mean CVaR 95 of the worst --tail-share of scenarios: steadier from seed to seed)")
	tailShare := fs.Float64("tail-share", 0.10, "the share of worst scenarios --robustness tail averages, in (0, 1]")
	workers := fs.Int("workers", 0, "pricing workers in this process (default: number of CPUs)")
	keepLiabs := fs.Bool("keep-liabilities", false, "keep the liability cash flows as given instead of starting each window at the fund's own funded ratio")
	natsURL := fs.String("nats", "", "`URL` of an external NATS server with JetStream (default: embedded, in-process); a live serve there ignores the replayed quotes (older than its market), but its workers share the replay's runs")
	out := fs.String("out", "hedgeflow-replay", "output `DIR` for report.json and report.html")
	fromScratch := fs.Bool("from-scratch", false, "recalibrate as if nothing were held: by default each rebalance's optimiser sees the book and charges the bid-ask of trading away from it")
	verbose := fs.Bool("v", false, "log every rebalance to stderr")
	nf := addNATSFlags(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	for name, v := range map[string]int{"scenarios": *scenarios, "paths": *paths} {
		if v <= 0 {
			return usageErrorf("--%s: must be positive, got %d", name, v)
		}
	}
	if !(*tailShare > 0 && *tailShare <= 1) {
		return usageErrorf("--tail-share: must be in (0, 1], got %v", *tailShare)
	}
	dir := *data
	if dir == "" {
		dir = os.Getenv(dataEnv)
	}
	if dir == "" {
		return usageErrorf("--data: no directory of historical series (give --data DIR or set $%s)", dataEnv)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return usageErrorf("--data: %s is not a readable directory", dir)
	}
	ws, err := backtest.ParseWindows(*window)
	if err != nil {
		return usageErrorf("--%v", trimInvalid(err))
	}
	rb, err := backtest.ParseRebalance(*rebalance)
	if err != nil {
		return usageErrorf("--%v", trimInvalid(err))
	}
	o := backtest.Options{DataDir: dir, Windows: ws, PortfolioFile: examples.PortfolioFile, PortfolioYAML: examples.Portfolio,
		Rebalance: rb, KeepLiabilities: *keepLiabs, FromScratch: *fromScratch}
	o.Run = run.Options{Scenarios: *scenarios, Paths: *paths, Seed: *seed, Workers: *workers, NATSURL: *natsURL}
	o.Run.Policy.BudgetBps, o.Run.Policy.Robustness, o.Run.Policy.TailShare = *budget, *robustness, *tailShare
	if err := nf.apply(&o.Run); err != nil {
		return err
	}
	if err := loadInput(*portfolio, &o.PortfolioFile, &o.PortfolioYAML); err != nil {
		return err
	}
	if err := loadInput(*configFile, &o.Run.ConfigFile, &o.Run.ConfigYAML); err != nil {
		return err
	}
	o.Log = logger(stderr, *verbose, slog.LevelWarn, slog.LevelInfo)
	rep, err := backtest.Replay(ctx, o)
	if err != nil {
		return err
	}
	path, err := rep.WriteFiles(*out)
	if err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	printBacktest(stdout, rep.Backtest, path)
	return nil
}

// trimInvalid drops the package prefix of a parse error: "window: ...".
func trimInvalid(err error) string {
	s := err.Error()
	for _, p := range []string{"backtest: invalid: "} {
		if len(s) > len(p) && s[:len(p)] == p {
			return s[len(p):]
		}
	}
	return s
}

func printBacktest(w io.Writer, b *report.Backtest, path string) {
	fmt.Fprintf(w, "Backtest: rebalancing %s, %d scenarios x %d paths per recalibration, seed %d\n\n", b.Rebalance, b.Scenarios, b.Paths, b.Seed)
	fmt.Fprintf(w, "%-24s %5s %5s  %21s %9s  %21s %9s  %10s %9s\n", "window", "days", "rebal",
		"max DD funded ratio", "reduction", "max DD surplus", "reduction", "hedge P&L", "costs")
	red := func(x *float64) string {
		if x == nil {
			return "n/a"
		}
		return pct(*x)
	}
	for _, x := range b.Windows {
		fmt.Fprintf(w, "%-24s %5d %5d  %9s -> %-9s %9s  %9s -> %-9s %9s  %10s %9s\n", x.Name, x.Days, x.Rebalances,
			pct(x.Unhedged.MaxDrawdown), pct(x.Hedged.MaxDrawdown), red(x.DrawdownReduction),
			bn(x.Unhedged.SurplusMaxDrawdownUSD), bn(x.Hedged.SurplusMaxDrawdownUSD), red(x.SurplusDrawdownReduction),
			bn(x.HedgePnLUSD), bn(x.CostsUSD))
	}
	fmt.Fprintf(w, "\nreport: %s and %s (%.0f s)\n", path, filepath.Join(filepath.Dir(path), "report.html"), b.Seconds)
}
