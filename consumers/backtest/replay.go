package backtest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/input"
	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/producers/feed"
	"github.com/hedgeflow/hedgeflow/producers/history"
	"github.com/hedgeflow/hedgeflow/report"
	"github.com/hedgeflow/hedgeflow/run"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go/jetstream"
)

// Window is a historical window to replay, From and To inclusive.
type Window struct {
	Name     string
	From, To time.Time
}

// CalibrationYears is how much history a window needs before From: the
// realised vols of its first days are estimated on it.
const CalibrationYears = 1

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Windows are the named stress windows: the 2008 crisis, the 2020 COVID
// crash and the 2022 rates repricing (with the UK LDI crisis).
var Windows = []Window{
	{"2008", day(2008, 9, 1), day(2009, 3, 31)},
	{"2020", day(2020, 2, 1), day(2020, 4, 30)},
	{"2022", day(2022, 1, 1), day(2022, 12, 31)},
}

// ParseWindows reads "2008", "2020", "2022", "all" or "FROM:TO" (ISO
// dates), or several of them separated by commas.
func ParseWindows(s string) ([]Window, error) {
	var out []Window
	for _, part := range strings.Split(s, ",") {
		p := strings.TrimSpace(part)
		switch {
		case p == "":
			continue
		case strings.EqualFold(p, "all"):
			out = append(out, Windows...)
			continue
		}
		found := false
		for _, w := range Windows {
			if p == w.Name {
				out, found = append(out, w), true
			}
		}
		if found {
			continue
		}
		from, to, ok := strings.Cut(p, ":")
		if !ok {
			return nil, fmt.Errorf("%w: window: 2008, 2020, 2022, all or FROM:TO (YYYY-MM-DD:YYYY-MM-DD), got %q", ErrInvalid, p)
		}
		f, err := time.Parse(time.DateOnly, strings.TrimSpace(from))
		if err != nil {
			return nil, fmt.Errorf("%w: window %q: FROM is not a date YYYY-MM-DD", ErrInvalid, p)
		}
		t, err := time.Parse(time.DateOnly, strings.TrimSpace(to))
		if err != nil {
			return nil, fmt.Errorf("%w: window %q: TO is not a date YYYY-MM-DD", ErrInvalid, p)
		}
		if !t.After(f) {
			return nil, fmt.Errorf("%w: window %q: TO must be after FROM", ErrInvalid, p)
		}
		out = append(out, Window{Name: f.Format(time.DateOnly) + ":" + t.Format(time.DateOnly), From: f, To: t})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: window: none given", ErrInvalid)
	}
	return out, nil
}

// Options configure a replay. The zero value of a field means its default.
type Options struct {
	// DataDir holds the FRED-format series (<ID>.csv; see
	// producers/history for the list).
	DataDir string
	Windows []Window
	// PortfolioFile/PortfolioYAML: the fund; required.
	PortfolioFile string
	PortfolioYAML []byte
	// Base is the snapshot the history is rebuilt on (the quantities
	// without history keep its shape); default the sample market of
	// examples/.
	Base *market.Snapshot
	// Run is the template of the recalibration runs (Scenarios, Paths,
	// Seed, ConfigYAML, Policy, Workers); defaults 200 scenarios x 100
	// paths. Its Conn, NATSURL and NATSOpts are the connection of the
	// whole replay (an embedded server when none is given).
	Run       run.Options
	Rebalance Rebalance
	// KeepLiabilities keeps the liability cash flows as given; by default
	// they are scaled so that each window starts at the funded ratio the
	// fund has on Base (see report.BacktestWindow.LiabilityScale).
	KeepLiabilities bool
	// FromScratch recalibrates without the book's holdings
	// (RunRecalibrator.FromScratch).
	FromScratch bool
	Log         *slog.Logger
}

// Default sizes of a recalibration run in a backtest.
const (
	DefaultScenarios = 200
	DefaultPaths     = 100
)

// Replay replays every window through JetStream: the rebuilt days are
// published as quotes on the MARKET stream (producers/feed, as fast as
// possible), read back by the backtest consumer (StreamDays) and
// backtested with a full run at every rebalance. It returns the report
// of the last recalibration with the backtest section.
func Replay(ctx context.Context, o Options) (*report.Report, error) {
	start := time.Now()
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if len(o.Windows) == 0 {
		return nil, fmt.Errorf("%w: window: none given", ErrInvalid)
	}
	if o.DataDir == "" {
		return nil, fmt.Errorf("%w: data: no directory given (--data or $HEDGEFLOW_DATA)", ErrInvalid)
	}
	pf, err := input.ParsePortfolio(o.PortfolioFile, o.PortfolioYAML)
	if err != nil {
		return nil, err
	}
	if o.Base == nil {
		if o.Base, err = exampleMarket(); err != nil {
			return nil, err
		}
	}
	if o.Run.Scenarios == 0 {
		o.Run.Scenarios = DefaultScenarios
	}
	if o.Run.Paths == 0 {
		o.Run.Paths = DefaultPaths
	}
	// Every window starts at the funded ratio the fund has on its own
	// market (Base unless the caller gave another).
	fr := pf.Value(o.Base).FundedRatio
	if o.KeepLiabilities {
		fr = 0
	}
	series, err := history.LoadFRED(o.DataDir)
	if err != nil {
		return nil, err
	}
	for _, w := range o.Windows {
		if err := covers(series, w); err != nil {
			return nil, err
		}
	}
	nc, shutdown, err := run.Connect(o.Run, "hedgeflow replay")
	if err != nil {
		return nil, err
	}
	defer shutdown()
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	if _, err := feed.BindMarket(ctx, js, o.Run.Topology.Replicas); err != nil {
		return nil, err
	}
	// Historical quotes go on the stream but not into MARKET_STATE, the
	// live market's last state.
	pub := feed.NewPublisherKV(js, nil)
	o.Run.Conn = nc
	rc := &RunRecalibrator{Options: o.Run, FromScratch: o.FromScratch}
	bt := &report.Backtest{Rebalance: o.Rebalance.String(), Scenarios: o.Run.Scenarios, Paths: o.Run.Paths, Seed: o.Run.Seed,
		CostModel: CostModel, Assumptions: Assumptions, HoldingsAware: !o.FromScratch}
	var last *report.Report
	for _, w := range o.Windows {
		days, err := history.Days(series, o.Base, w.From, w.To)
		if err != nil {
			return nil, fmt.Errorf("window %s: %w", w.Name, err)
		}
		if end := days[len(days)-1].Date; w.To.Sub(end) > 7*24*time.Hour {
			return nil, fmt.Errorf("%w: window %s ends %s but the data end %s (%s)", ErrData, w.Name,
				w.To.Format(time.DateOnly), end.Format(time.DateOnly), coreEnd(series))
		}
		first, err := LastSequence(ctx, js)
		if err != nil {
			return nil, err
		}
		qs := feed.HistoryQuotes(days)
		t0 := time.Now()
		if _, err := feed.Replay(ctx, qs, feed.Max, pub.Publish); err != nil {
			return nil, fmt.Errorf("window %s: publishing: %w", w.Name, err)
		}
		lastSeq, err := LastSequence(ctx, js)
		if err != nil {
			return nil, err
		}
		o.Log.Info("window published", "window", w.Name, "days", len(days), "quotes", len(qs), "seconds", time.Since(t0).Seconds())
		r := StreamRange{First: first + 1, Last: lastSeq, From: days[0].Date, To: days[len(days)-1].Date.Add(24*time.Hour - 1)}
		if lastSeq <= first {
			// Everything was a duplicate of an earlier replay still in
			// the stream's duplicate window: read the stream from the
			// start, keeping this window's dates.
			r.First, r.Last = 1, lastSeq
		}
		rc.RunIDPrefix = "replay" + chartSafe(w.Name)
		read := 0
		stream := func(yield func(*Day, error) bool) {
			for d, err := range StreamDays(ctx, js, r, nil) {
				if err == nil && read < len(days) && !d.Date.Equal(days[read].Date) {
					err = fmt.Errorf("%w: window %s: the stream gives %s where %s was published (quotes deduplicated against an earlier replay?)",
						ErrData, w.Name, d.Date.Format(time.DateOnly), days[read].Date.Format(time.DateOnly))
				}
				read++
				if !yield(d, err) || err != nil {
					return
				}
			}
		}
		win, err := Run(ctx, w.Name, pf, stream, Config{Recalibrator: rc, Rebalance: o.Rebalance, Log: o.Log, FundedRatio: fr})
		if err != nil {
			return nil, fmt.Errorf("window %s: %w", w.Name, err)
		}
		if read != len(days) {
			return nil, fmt.Errorf("%w: window %s: %d days read back from %s, %d published", ErrData, w.Name, read, streams.MarketStream, len(days))
		}
		win.CalibrationFrom = w.From.AddDate(-CalibrationYears, 0, 0).Format(time.DateOnly)
		bt.Windows = append(bt.Windows, win)
		if rc.last != nil {
			last = rc.last
		}
		red := "n/a"
		if win.DrawdownReduction != nil {
			red = fmt.Sprintf("%.1f%%", 100**win.DrawdownReduction)
		}
		o.Log.Info("window done", "window", w.Name, "days", win.Days, "rebalances", win.Rebalances,
			"max_drawdown_unhedged", win.Unhedged.MaxDrawdown, "max_drawdown_hedged", win.Hedged.MaxDrawdown,
			"drawdown_reduction", red, "seconds", win.Seconds)
	}
	if last == nil {
		return nil, errors.New("backtest: no recalibration succeeded in any window: see the log")
	}
	bt.Seconds = time.Since(start).Seconds()
	last.Backtest = bt
	return last, nil
}

// covers checks that the data hold the window and the calibration year
// before it.
func covers(series map[string]*history.Series, w Window) error {
	need := w.From.AddDate(-CalibrationYears, 0, 0)
	var late []string
	for _, id := range history.Core {
		s := series[id]
		if s == nil || s.Len() == 0 {
			return fmt.Errorf("%w: window %s: series %s is missing from the data directory", ErrData, w.Name, id)
		}
		if s.Start().After(need) {
			late = append(late, fmt.Sprintf("%s starts %s", id, s.Start().Format(time.DateOnly)))
		}
		if s.End().Before(w.From) {
			return fmt.Errorf("%w: window %s starts %s but %s ends %s", ErrData, w.Name, w.From.Format(time.DateOnly), id, s.End().Format(time.DateOnly))
		}
	}
	if len(late) > 0 {
		sort.Strings(late)
		return fmt.Errorf("%w: window %s needs history from %s (a year before it, to calibrate the realised vols): %s",
			ErrData, w.Name, need.Format(time.DateOnly), strings.Join(late, ", "))
	}
	return nil
}

// coreEnd says which core series ends first.
func coreEnd(series map[string]*history.Series) string {
	var end time.Time
	id := ""
	for _, k := range history.Core {
		if s := series[k]; s != nil && (end.IsZero() || s.End().Before(end)) {
			end, id = s.End(), k
		}
	}
	return fmt.Sprintf("%s ends %s", id, end.Format(time.DateOnly))
}

func chartSafe(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// exampleMarket is the sample snapshot of examples/.
func exampleMarket() (*market.Snapshot, error) {
	return input.ParseMarket(examples.MarketFile, examples.Market)
}
