package backtest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"math"
	"time"

	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/pricing/portfolio"
	"github.com/hedgeflow/hedgeflow/pricing/sim"
	"github.com/hedgeflow/hedgeflow/report"
)

// ErrInvalid is wrapped by errors about invalid settings or programmes.
var ErrInvalid = errors.New("backtest: invalid")

// ErrData is wrapped by errors about market data that cannot drive a
// backtest (a missing equity level, dates out of order, no day).
var ErrData = errors.New("backtest: unusable market data")

// Day is one business day's market as the backtest consumer rebuilt it:
// the snapshot and the equity index levels by key (SPX, SX5E, UKX, EAFE:
// see EquityIndexOf).
type Day struct {
	Date   time.Time
	Market *market.Snapshot
	Equity map[string]float64
}

// Recalibrator answers, on a rebalance date, which programme to hold for
// the fund as it stands on that day's market, given the hedges held (USD
// notional by hedge id; empty at the first rebalance).
type Recalibrator interface {
	Recalibrate(ctx context.Context, day *Day, fund *portfolio.Portfolio, held map[string]float64) (*Target, error)
}

// Config sets up a window's backtest. The zero value of a field means its
// default.
type Config struct {
	// Recalibrator chooses the programme at each rebalance; required.
	Recalibrator Recalibrator
	// Rebalance is the policy; the zero value is weekly.
	Rebalance Rebalance
	// Log receives one line per rebalance; default none.
	Log *slog.Logger
	// OnDay, if set, is called after every day with its index.
	OnDay func(i int, d *Day)
	// FundedRatio, when positive, scales the liabilities' cash flows on
	// the first day so that the fund starts at this funded ratio (the
	// window's LiabilityScale); zero keeps them as given.
	FundedRatio float64
}

// CostModel describes the costs a backtest charges.
const CostModel = "bid-ask on every notional bought or sold (sim.Hedge.TradeCostBps: options 5% of the gross premium of every leg; " +
	"FX forwards 2 bp; bond futures 0.5 bp; swaps, FRAs and cross-currency swaps half a 0.5 bp bid-offer of rate per leg, and CDS indices half a 0.5 bp (IG) " +
	"or 3 bp (HY) bid-offer of spread, times their PV01 per unit notional: about 5 bp on a 30-year swap, 1 bp on an IG index) " +
	"plus running costs pro rata for the holding period (collateral funding 1 bp a year and a counterparty charge of 1 bp a year on OTC derivatives, " +
	"collateral only on futures). Option premiums, forward points and swap carry are not charged as costs: " +
	"they are in the hedges' marked-to-market P&L (charging the catalogue's all-in CostBps as well would count them twice)."

// Assumptions are the model's simplifications, for the report.
var Assumptions = []string{
	"Equities move with their local index (S&P 500, EURO STOXX 50, FTSE 100; MSCI EAFE via the iShares ETF for JPY, CHF, AUD and CAD) times the FX return; price indices, so dividends are not earned (EAFE is the dividend-adjusted ETF).",
	"Alternatives move by their equity beta times the local index return; their idiosyncratic risk and the smoothing of appraisal-based values are not modelled.",
	"Bonds keep the face implied on the first day and are repriced daily on the day's curve plus the spread of their rating; liabilities on the day's curve plus the fixed liability spread. Time passes ACT/365; coupons and benefits paid go to a USD cash account earning the overnight rate.",
	"Curves without daily history (JPY, CHF, AUD, CAD; GBP before 2015; EUR after 2024-04) are proxies built by producers/history; FX and swaption implied vols are realised vols where no implied vol series exists.",
	"Hedges are marked at the day's market with flat implied vols; swaps' floating legs reset continuously at the shortest zero rate; CDS indices follow index spreads scaled from corporate OAS; defaults are only in the spreads.",
	"Each recalibration hedges the invested fund as it stands that day (bond maturities rounded to the coupon grid, benefits still due at whole years); the cash account and the hedge book's P&L are not part of it.",
	"Trades are at the day's close, at the run's model prices plus the bid-ask of the cost model.",
}

// Run replays one window: every day from days, in date order, marks the
// fund and the hedge book, and on rebalance dates recalibrates and trades.
// It returns the window's report section (Name, series, trades, totals).
func Run(ctx context.Context, name string, p *portfolio.Portfolio, days iter.Seq2[*Day, error], cfg Config) (*report.BacktestWindow, error) {
	if cfg.Recalibrator == nil {
		return nil, fmt.Errorf("%w: no recalibrator", ErrInvalid)
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%w: portfolio: %v", ErrInvalid, err)
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	start := time.Now()
	need := equityNeeds(p)
	w := &report.BacktestWindow{Name: name}
	s := &w.Series
	var (
		f     *fund
		bk    book
		prev  *Day
		acc   [market.NumCcy]float64
		i     int
		first *sim.Mark
		last  *sim.Mark
	)
	for d, err := range days {
		if err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if d == nil || d.Market == nil {
			return nil, fmt.Errorf("%w: day %d has no market", ErrData, i)
		}
		date := d.Date.Format(time.DateOnly)
		if err := d.Market.Validate(); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrData, date, err)
		}
		levels, err := localLevels(d, &need)
		if err != nil {
			return nil, err
		}
		dt := 0.0
		if prev != nil {
			if !d.Date.After(prev.Date) {
				return nil, fmt.Errorf("%w: %s comes after %s", ErrData, date, prev.Date.Format(time.DateOnly))
			}
			dt = sim.YearFraction(prev.Date, d.Date)
			// Overnight interest accrues at the shortest zero rate of the
			// previous day.
			for c := range market.NumCcy {
				acc[c] += prev.Market.Curves[c].Rate(0) * dt
			}
		}
		mark := &sim.Mark{Date: d.Date, Market: d.Market, Equity: levels, Accrual: acc}
		if f == nil {
			if p, w.LiabilityScale, err = scaled(p, mark.Market, cfg.FundedRatio); err != nil {
				return nil, err
			}
			f = newFund(p, mark)
			first = mark
		}
		v := f.mark(mark)
		bk.accrue(dt)
		if prev == nil || cfg.Rebalance.due(i, prev.Date, d.Date) {
			rb := report.BacktestRebalance{Date: date}
			t0 := time.Now()
			t, err := cfg.Recalibrator.Recalibrate(ctx, d, f.current(v, d.Date), bk.held())
			rb.RunSeconds = time.Since(t0).Seconds()
			w.RunSeconds += rb.RunSeconds
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				// The book stays as it is: a failed recalibration is
				// recorded, not fatal.
				rb.Error = err.Error()
				w.FailedRebalances++
				log.Warn("recalibration failed; book unchanged", "window", name, "date", date, "err", err)
			} else {
				rb.RunID, rb.ProgrammeCostBps, rb.PolicyRelaxed, rb.Decision = t.RunID, t.CostBps, t.Relaxed, t.Decision
				inception := &sim.Mark{Date: d.Date, Market: t.Market, Equity: levels, Accrual: acc}
				hold, traded, cost, err := bk.trade(t, mark, inception)
				if err != nil {
					return nil, fmt.Errorf("backtest: %s: %w", date, err)
				}
				rb.Positions, rb.TradedNotionalUSD, rb.TradeCostUSD = hold, traded, cost
				w.Rebalances++
				if t.Relaxed != "" {
					w.RelaxedRebalances++
				}
				log.Info("rebalanced", "window", name, "date", date, "run", t.RunID, "positions", len(hold),
					"traded_usd", traded, "cost_usd", cost, "run_seconds", rb.RunSeconds, "decision", t.Decision)
			}
			w.Trades = append(w.Trades, rb)
		}
		u, err := bk.unrealised(mark)
		if err != nil {
			return nil, fmt.Errorf("backtest: %s: marking the hedges: %w", date, err)
		}
		pnl := bk.realised + u
		costs := bk.tradeCosts + bk.runningCosts
		ah := v.Assets + pnl - costs
		if math.IsNaN(ah) || math.IsInf(ah, 0) || math.IsNaN(v.Liabilities) || !(v.Liabilities > 0) {
			return nil, fmt.Errorf("%w: %s: assets %v, liabilities %v", ErrData, date, ah, v.Liabilities)
		}
		s.Dates = append(s.Dates, date)
		s.AssetsUnhedgedUSD = append(s.AssetsUnhedgedUSD, v.Assets)
		s.AssetsHedgedUSD = append(s.AssetsHedgedUSD, ah)
		s.LiabilitiesUSD = append(s.LiabilitiesUSD, v.Liabilities)
		s.FundedRatioUnhedged = append(s.FundedRatioUnhedged, v.Assets/v.Liabilities)
		s.FundedRatioHedged = append(s.FundedRatioHedged, ah/v.Liabilities)
		s.HedgePnLUSD = append(s.HedgePnLUSD, pnl)
		s.CostsUSD = append(s.CostsUSD, costs)
		s.HedgeNotionalUSD = append(s.HedgeNotionalUSD, bk.gross())
		if cfg.OnDay != nil {
			cfg.OnDay(i, d)
		}
		prev = d
		last = mark
		i++
	}
	if first == nil {
		return nil, fmt.Errorf("%w: window %s: no day", ErrData, name)
	}
	w.TradeCostsUSD, w.RunningCostsUSD, w.TradedNotionalUSD = bk.tradeCosts, bk.runningCosts, bk.traded
	byClass, err := bk.pnlByClass(last)
	if err != nil {
		return nil, fmt.Errorf("backtest: %s: marking the hedges: %w", last.Date.Format(time.DateOnly), err)
	}
	w.HedgePnLByClassUSD = byClass
	w.Summarise()
	w.Seconds = time.Since(start).Seconds()
	return w, nil
}

// scaled returns p with its liability cash flows scaled so that its funded
// ratio on m is fr (p itself and scale 1 when fr is zero).
func scaled(p *portfolio.Portfolio, m *market.Snapshot, fr float64) (*portfolio.Portfolio, float64, error) {
	if fr == 0 {
		return p, 1, nil
	}
	if !(fr > 0 && fr < 100) {
		return nil, 0, fmt.Errorf("%w: funded ratio to start from must be in (0, 100), got %v", ErrInvalid, fr)
	}
	v := p.Value(m)
	k := v.Assets / (fr * v.Liabilities)
	q := *p
	q.Liabilities = make([]portfolio.Liability, len(p.Liabilities))
	for i, l := range p.Liabilities {
		cfs := make([]float64, len(l.Cashflows))
		for j, cf := range l.Cashflows {
			cfs[j] = cf * k
		}
		q.Liabilities[i] = portfolio.Liability{Ccy: l.Ccy, Cashflows: cfs}
	}
	return &q, k, nil
}

// Slice yields the days of a slice, for Run.
func Slice(days []*Day) iter.Seq2[*Day, error] {
	return func(yield func(*Day, error) bool) {
		for _, d := range days {
			if !yield(d, nil) {
				return
			}
		}
	}
}
