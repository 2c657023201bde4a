package backtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/hedgeflow/hedgeflow/input"
	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/pricing/optimize"
	"github.com/hedgeflow/hedgeflow/pricing/portfolio"
	"github.com/hedgeflow/hedgeflow/pricing/sim"
	"github.com/hedgeflow/hedgeflow/report"
	"github.com/hedgeflow/hedgeflow/run"
	"gopkg.in/yaml.v3"
)

// noFXMinimum is the minimum FX hedge ratio of a relaxed policy: zero in
// effect (agents.Policy reads an exact zero as its default, 50%).
const noFXMinimum = 1e-9

// RunRecalibrator recalibrates with a full run through JetStream
// (run.Execute: scenarios, pricing workers, aggregator, hedge optimiser and
// agents) on the day's market and the fund as it stands, and holds the
// recommended programme.
type RunRecalibrator struct {
	// Options is the template of every run: Scenarios, Paths, Seed (the
	// same every time), Conn (share one connection across the runs),
	// ConfigYAML, Policy, Workers, Log. Portfolio, market and run id are
	// set per rebalance.
	Options run.Options
	// RunIDPrefix prefixes each run's id, followed by the date.
	RunIDPrefix string
	// NoRelax keeps a rebalance's book unchanged when the policy is
	// infeasible on the day's market; by default the run is repeated
	// without the minimum FX hedge ratio (recorded in the rebalance).
	NoRelax bool
	// FromScratch recalibrates as if nothing were held: the optimiser
	// does not see the book, nor the bid-ask of trading away from it. By
	// default the holdings go into the policy (agents.Policy.Holdings),
	// so a rebalance keeps what still does the job.
	FromScratch bool

	last *report.Report // the last successful run's report
}

// Recalibrate runs the pipeline for day and returns its recommended
// programme; an error when the run fails or recommends nothing.
func (r *RunRecalibrator) Recalibrate(ctx context.Context, day *Day, fund *portfolio.Portfolio, held map[string]float64) (*Target, error) {
	date := day.Date.Format(time.DateOnly)
	pf, err := MarshalPortfolio(fund)
	if err != nil {
		return nil, err
	}
	snap := *day.Market
	snap.Date = date
	mk, err := input.MarshalMarket(&snap, "hedgeflow replay")
	if err != nil {
		return nil, fmt.Errorf("backtest: %s: market: %w", date, err)
	}
	// The hedges are priced on the market as the run reads it back.
	parsed, err := input.ParseMarket("market-"+date+".yaml", mk)
	if err != nil {
		return nil, fmt.Errorf("backtest: %s: market: %w", date, err)
	}
	o := r.Options
	o.PortfolioFile, o.PortfolioYAML = "fund-"+date+".yaml", pf
	o.MarketFile, o.MarketYAML = "market-"+date+".yaml", mk
	o.NoHedging = false
	if !r.FromScratch {
		// Held hedges the day's catalogue no longer has are left out: the
		// book sells them whatever the run recommends.
		cat, err := catalogue(fund, parsed)
		if err != nil {
			return nil, fmt.Errorf("backtest: %s: %w", date, err)
		}
		o.Policy.Holdings = map[string]float64{}
		for id, v := range held {
			if cat[id] && v != 0 {
				o.Policy.Holdings[id] = v
			}
		}
	}
	prefix := r.RunIDPrefix
	if prefix == "" {
		prefix = "replay"
	}
	var sfx [3]byte
	_, _ = rand.Read(sfx[:])
	o.RunID = prefix + "-" + strings.ReplaceAll(date, "-", "") + "-" + hex.EncodeToString(sfx[:])
	var hedges []sim.Hedge
	o.OnResult = func(res *run.Result) { hedges = res.Model.Hedges() }
	rep, err := run.Execute(ctx, o)
	if err != nil {
		return nil, err
	}
	relaxed := ""
	if rep.Recommended == nil && strings.Contains(rep.HedgingError, optimize.ErrInfeasible.Error()) && !r.NoRelax && o.Policy.FXRatioMin != noFXMinimum {
		// The policy cannot be met on this day's market (typically the
		// minimum FX hedge ratio costs more than the budget when the
		// forward points are wide, as in 2008): hedge without the minimum
		// rather than not at all, and say so.
		relaxed = fmt.Sprintf("run %s: %s; rerun without the minimum FX hedge ratio", rep.RunID, rep.HedgingError)
		o.Policy.FXRatioMin = noFXMinimum
		o.RunID += "-r"
		if rep, err = run.Execute(ctx, o); err != nil {
			return nil, err
		}
	}
	if rep.Recommended == nil {
		why := rep.HedgingError
		if why == "" {
			why = "no programme"
		}
		return nil, fmt.Errorf("backtest: %s: run %s recommended nothing: %s", date, rep.RunID, why)
	}
	t := &Target{RunID: rep.RunID, Market: parsed, Hedges: map[string]*sim.Hedge{}, Notional: map[string]float64{},
		CostBps: rep.Recommended.CostBps, Report: rep, Relaxed: relaxed}
	if rep.HedgingPolicy != nil {
		t.Decision = rep.HedgingPolicy.RebalanceDecision
	}
	byID := make(map[string]*sim.Hedge, len(hedges))
	for i := range hedges {
		byID[hedges[i].ID] = &hedges[i]
	}
	for _, pos := range rep.Recommended.Hedges {
		h := byID[pos.ID]
		if h == nil {
			return nil, fmt.Errorf("backtest: %s: run %s recommends %s, which its model does not price", date, rep.RunID, pos.ID)
		}
		t.Hedges[pos.ID] = h
		t.Notional[pos.ID] += pos.NotionalUSD
	}
	r.last = rep
	return t, nil
}

// The portfolio file's shape (README "Portfolio file"; read by
// input.ParsePortfolio).
type pfFile struct {
	Name          string   `yaml:"name"`
	LiabSpreadBps float64  `yaml:"liabilities_discount_spread_bps"`
	Equities      []pfEq   `yaml:"equities,omitempty"`
	Bonds         []pfBond `yaml:"bonds,omitempty"`
	Alternatives  []pfAlt  `yaml:"alternatives,omitempty"`
	Liabilities   []pfLiab `yaml:"liabilities"`
}

type pfEq struct {
	Name     string  `yaml:"name"`
	Currency string  `yaml:"currency"`
	ValueUSD float64 `yaml:"market_value_usd"`
}

type pfBond struct {
	Name      string   `yaml:"name"`
	Type      string   `yaml:"type"`
	Currency  string   `yaml:"currency"`
	ValueUSD  float64  `yaml:"market_value_usd"`
	Coupon    float64  `yaml:"coupon"`
	Maturity  float64  `yaml:"maturity_years"`
	Frequency int      `yaml:"frequency"`
	Rating    string   `yaml:"rating,omitempty"`
	Sector    string   `yaml:"sector,omitempty"`
	SpreadBps *float64 `yaml:"spread_bps,omitempty"`
}

type pfAlt struct {
	Name     string  `yaml:"name"`
	Currency string  `yaml:"currency"`
	ValueUSD float64 `yaml:"market_value_usd"`
	Beta     float64 `yaml:"equity_beta"`
	IdioVol  float64 `yaml:"idiosyncratic_vol"`
}

type pfLiab struct {
	Currency  string    `yaml:"currency"`
	Cashflows []float64 `yaml:"cashflows"`
}

// MarshalPortfolio writes p as portfolio YAML that input.ParsePortfolio
// reads back to the same portfolio.
func MarshalPortfolio(p *portfolio.Portfolio) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%w: portfolio: %v", ErrInvalid, err)
	}
	f := pfFile{Name: p.Name, LiabSpreadBps: p.LiabilitySpread * 1e4}
	for _, e := range p.Equities {
		f.Equities = append(f.Equities, pfEq{Name: e.Name, Currency: e.Ccy.String(), ValueUSD: e.ValueUSD})
	}
	for _, b := range p.Bonds {
		q := pfBond{Name: b.Name, Type: "corporate", Currency: b.Ccy.String(), ValueUSD: b.ValueUSD, Coupon: b.Coupon,
			Maturity: b.Maturity, Frequency: b.Freq}
		if b.Government {
			q.Type = "government"
		} else {
			q.Rating, q.Sector = b.Rating.String(), b.Sector.String()
		}
		if !math.IsNaN(b.SpreadOverride) {
			s := b.SpreadOverride * 1e4
			q.SpreadBps = &s
		}
		f.Bonds = append(f.Bonds, q)
	}
	for _, a := range p.Alternatives {
		f.Alternatives = append(f.Alternatives, pfAlt{Name: a.Name, Currency: a.Ccy.String(), ValueUSD: a.ValueUSD, Beta: a.Beta, IdioVol: a.IdioVol})
	}
	for _, l := range p.Liabilities {
		f.Liabilities = append(f.Liabilities, pfLiab{Currency: l.Ccy.String(), Cashflows: l.Cashflows})
	}
	out, err := yaml.Marshal(&f)
	if err != nil {
		return nil, fmt.Errorf("backtest: writing portfolio YAML: %w", err)
	}
	return out, nil
}

// Static holds the same programme at every rebalance, re-struck at the
// day's market (new strikes and par rates, the fund's hedge catalogue
// priced by sim.NewModel): a baseline to set against the recalibrated
// hedge, such as a fixed FX forward hedge.
type Static struct {
	// Notional is the USD notional of each hedge id of the catalogue
	// (pricing/sim, e.g. fx_forward_EUR, swap_receiver_USD_30y).
	Notional map[string]float64
}

// catalogue is the set of hedge ids sim.NewModel prices for fund on mk.
func catalogue(fund *portfolio.Portfolio, mk *market.Snapshot) (map[string]bool, error) {
	m, err := sim.NewModel(fund, mk, sim.Config{Paths: 1})
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, h := range m.Hedges() {
		out[h.ID] = true
	}
	return out, nil
}

// Recalibrate prices the catalogue on the day's market and returns the
// static programme; it holds the same whatever is held.
func (s *Static) Recalibrate(_ context.Context, day *Day, fund *portfolio.Portfolio, _ map[string]float64) (*Target, error) {
	m, err := sim.NewModel(fund, day.Market, sim.Config{Paths: 1})
	if err != nil {
		return nil, err
	}
	hs := m.Hedges()
	t := &Target{RunID: "static", Market: day.Market, Hedges: map[string]*sim.Hedge{}, Notional: map[string]float64{}}
	for id, n := range s.Notional {
		for i := range hs {
			if hs[i].ID == id {
				t.Hedges[id], t.Notional[id] = &hs[i], n
			}
		}
		if t.Hedges[id] == nil {
			return nil, fmt.Errorf("%w: static programme: %s is not in the fund's hedge catalogue", ErrInvalid, id)
		}
	}
	return t, nil
}
