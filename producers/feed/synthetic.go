package feed

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/hedgeflow/hedgeflow/pricing/curve"
	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/streams"
)

// SyntheticSettings configure the synthetic feed; the zero value means
// the documented defaults.
type SyntheticSettings struct {
	// Seed fixes the path: the same seed and settings give the same
	// quotes.
	Seed uint64
	// Interval is the wall time between ticks in Run (default 1 s).
	Interval time.Duration
	// Step is the market time simulated per tick (default 1 h: a market
	// day every 24 ticks). Quotes are stamped Start + n Interval, so
	// that they sort with real quotes; the market moves by Step.
	Step time.Duration
	// Start stamps the first tick (default: the time NewSynthetic is
	// called, to the second).
	Start time.Time
	// SpikeProb is the probability of a stress spike per market day
	// (default 0.02, one every 50 market days on average); NoSpikes
	// turns them off.
	SpikeProb float64
	NoSpikes  bool
	// SpikeSize scales a spike (default 1). A spike lifts the equity
	// variance to 4 to 16 times its base level, FX and rates variances to
	// 2.25 to 6.25 times theirs (never lowering them), and a stress level
	// to 0.5 to 1.5 that decays with a six-week half-life and meanwhile
	// widens credit spreads (log +0.5 x beta per unit), cuts yields (15 bp
	// per unit) and equity levels (5% per unit) and moves FX towards the
	// havens (JPY, CHF up 3% per unit; AUD, CAD down 3%; EUR, GBP 1.5%).
	SpikeSize float64
	// Ticks stops Run after that many ticks (0: until ctx ends).
	Ticks int
	// Levels, if set, are equity index levels (equity.level keys) the
	// feed moves with the equity vol and publishes; none by default (the
	// snapshot holds no levels).
	Levels map[string]float64
	// Source is the quotes' Source (default "synthetic").
	Source string
}

// Model constants (annual rates; see doc.go for the equations).
const (
	fxKappa, fxLambda  = 4.0, 15.0   // FX variance reversion and feedback
	eqKappa, eqLambda  = 6.0, 25.0   // equity variance
	rKappa, rLambda    = 4.0, 15.0   // rates level variance
	fxMaxVar, eqMaxVar = 1.0, 2.25   // caps: 100% and 150% vol
	rMaxVar            = 0.03 * 0.03 // 300 bp a year
	levelRevert        = 0.5         // pull of each 10y to its base level
	stressKappa        = 6.0         // decay of stress (half-life 6 weeks)
	stressYield        = 0.0015      // yields fall 15 bp per unit of stress
	stressCredit       = 0.5         // log credit factor per unit of stress
	stressEquity       = 0.05        // equity levels fall 5% per unit of stress
	stressFX           = 0.03        // havens gain 3% per unit of stress
	shapeRevert        = 1.0         // pull of each curve to its base shape
	slopeVolRatio      = 0.5         // slope shock sd over level shock sd
	usdFactor          = 0.5         // correlation of FX moves (the USD)
	ratesFactor        = 0.6         // correlation of rates moves
	creditKappa        = 1.5         // credit factor reversion
	creditVol          = 0.35        // credit factor vol at base equity vol
	creditEquityCorr   = -0.6        // credit shocks against equity shocks
	creditJumpRate     = 4.0         // ordinary spread jumps a year
	creditJumpMean     = 0.08        // and their mean log size (sd the same)
	idioKappa, idioSd  = 2.0, 0.10   // rating-specific log spread noise
	studentDF          = 5           // tails of FX and equity shocks
	yearDur            = 365.25 * 24 * time.Hour
)

// creditBeta is each rating's log-spread loading on the credit factor
// (BBB 1): in 2008 AAA OAS rose about 4-fold, BBB 5-fold, HY 7-fold.
var creditBeta = [market.NumRating]float64{0.8, 0.85, 0.9, 1.0, 1.1, 1.2}

// Synthetic is a seeded random market: FX spots lognormal with GARCH-like
// variance, curves moved by level and slope shocks, credit spreads
// lognormal with jumps, implied vols mean-reverting and spiking in
// stress events. It is not safe for concurrent use.
type Synthetic struct {
	set  SyntheticSettings
	rng  *rand.Rand
	base market.Snapshot
	s    market.Snapshot
	dt   float64 // years per tick

	hFX    [market.NumCcy]float64 // spot log-return variance a year
	hEq    float64
	hR     [market.NumCcy]float64   // 10y level variance a year (rate^2)
	rates  [market.NumCcy][]float64 // curves before the stress offset
	fx     [market.NumCcy]float64   // spots before the stress offset
	credit float64                  // log credit factor
	stress float64                  // stress level, lifted by spikes
	idio   [market.NumRating]float64
	levels map[string]float64
	tick   int
	spikes int
}

// NewSynthetic starts a synthetic market at base (which must be valid).
func NewSynthetic(base *market.Snapshot, set SyntheticSettings) (*Synthetic, error) {
	if base == nil {
		return nil, fmt.Errorf("%w: synthetic feed: nil base snapshot", ErrInvalidOption)
	}
	if err := base.Validate(); err != nil {
		return nil, fmt.Errorf("feed: synthetic base: %w", err)
	}
	if set.Interval == 0 {
		set.Interval = time.Second
	}
	if set.Step == 0 {
		set.Step = time.Hour
	}
	if set.SpikeProb == 0 {
		set.SpikeProb = 0.02
	}
	if set.SpikeSize == 0 {
		set.SpikeSize = 1
	}
	if set.Source == "" {
		set.Source = "synthetic"
	}
	if set.Start.IsZero() {
		set.Start = time.Now().UTC().Truncate(time.Second)
	}
	switch {
	case set.Interval < 0:
		return nil, fmt.Errorf("%w: Interval must be positive, got %v", ErrInvalidOption, set.Interval)
	case set.Step < 0 || set.Step > 31*24*time.Hour:
		return nil, fmt.Errorf("%w: Step must be in (0, 31 days], got %v", ErrInvalidOption, set.Step)
	case !(set.SpikeProb > 0 && set.SpikeProb <= 1):
		return nil, fmt.Errorf("%w: SpikeProb must be in (0, 1] per market day, got %v", ErrInvalidOption, set.SpikeProb)
	case !(set.SpikeSize > 0 && set.SpikeSize <= 5):
		return nil, fmt.Errorf("%w: SpikeSize must be in (0, 5], got %v", ErrInvalidOption, set.SpikeSize)
	case set.Ticks < 0:
		return nil, fmt.Errorf("%w: Ticks must not be negative, got %d", ErrInvalidOption, set.Ticks)
	}
	for k, v := range set.Levels {
		q := streams.Quote{Time: set.Start, Kind: streams.KindEquityLevel, Key: k, Value: v}
		if err := q.Validate(); err != nil {
			return nil, fmt.Errorf("%w: Levels[%s]: %v", ErrInvalidOption, k, err)
		}
	}
	g := &Synthetic{
		set:    set,
		rng:    rand.New(rand.NewPCG(set.Seed, set.Seed^0x9e3779b97f4a7c15)),
		base:   copySnapshot(base),
		s:      copySnapshot(base),
		dt:     float64(set.Step) / float64(yearDur),
		levels: map[string]float64{},
	}
	for c := market.EUR; c < market.NumCcy; c++ {
		g.hFX[c] = base.FXVol[c] * base.FXVol[c]
	}
	for c := range market.NumCcy {
		g.hR[c] = base.SwaptionVol[c] * base.SwaptionVol[c]
	}
	g.hEq = base.EquityVol * base.EquityVol
	for k, v := range set.Levels {
		g.levels[k] = v
	}
	for c := range market.NumCcy {
		g.rates[c] = append([]float64(nil), base.Curves[c].Rates...)
	}
	g.fx = base.FX
	return g, nil
}

func copySnapshot(s *market.Snapshot) market.Snapshot {
	c := *s
	for i := range c.Curves {
		c.Curves[i] = curve.Zero{Times: append([]float64(nil), s.Curves[i].Times...), Rates: append([]float64(nil), s.Curves[i].Rates...)}
	}
	return c
}

// Market returns a copy of the current market.
func (g *Synthetic) Market() *market.Snapshot {
	c := copySnapshot(&g.s)
	return &c
}

// Spikes is how many stress spikes have happened so far.
func (g *Synthetic) Spikes() int { return g.spikes }

// Ticks is how many ticks Next has made.
func (g *Synthetic) Ticks() int { return g.tick }

// student returns a Student-t draw with studentDF degrees of freedom,
// scaled to unit variance.
func (g *Synthetic) student() float64 {
	var chi float64
	for range studentDF {
		z := g.rng.NormFloat64()
		chi += z * z
	}
	return g.rng.NormFloat64() / math.Sqrt(chi/studentDF) / math.Sqrt(float64(studentDF)/(studentDF-2))
}

// garch updates a variance after a shock of size r over dt: mean
// reversion to hbar at kappa and feedback of the squared shock at lambda.
func garch(h, hbar, r, dt, kappa, lambda float64) float64 {
	phi, a := math.Exp(-kappa*dt), 1-math.Exp(-lambda*dt)
	if a > phi {
		a = phi // keep the weights positive for very long steps
	}
	return math.Max(hbar*(1-phi)+(phi-a)*h+a*r*r/dt, 0.01*hbar)
}

// implied is the one-year implied vol of a mean-reverting variance: the
// root of its expected average over the year.
func implied(h, hbar, kappa float64) float64 {
	return math.Sqrt(hbar + (h-hbar)*(1-math.Exp(-kappa))/kappa)
}

// Next advances the market one tick and returns its quotes: every
// quantity of the snapshot (streams.QuotesOf) and the equity levels, all
// stamped Start + ticks x Interval.
func (g *Synthetic) Next() []streams.Quote {
	g.step()
	g.tick++
	t := g.set.Start.Add(time.Duration(g.tick) * g.set.Interval)
	qs := streams.QuotesOf(&g.s, t, g.set.Source)
	keys := make([]string, 0, len(g.levels))
	for k := range g.levels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := g.levels[k] * math.Exp(-stressEquity*g.stress)
		qs = append(qs, streams.Quote{Time: t, Kind: streams.KindEquityLevel, Key: k, Value: v, Source: g.set.Source})
	}
	return qs
}

func (g *Synthetic) step() {
	dt, sq := g.dt, math.Sqrt(g.dt)
	b := &g.base
	u := func() float64 { return 0.5 + g.rng.Float64() } // spike size draws, in [0.5, 1.5)
	spike := !g.set.NoSpikes && g.rng.Float64() < 1-math.Pow(1-g.set.SpikeProb, float64(g.set.Step)/float64(24*time.Hour))
	S := g.set.SpikeSize

	// Equity: GARCH-like variance, Student-t shocks, levels if any.
	hbarEq := b.EquityVol * b.EquityVol
	ze := g.student()
	re := math.Sqrt(g.hEq*dt) * ze
	g.hEq = math.Min(garch(g.hEq, hbarEq, re, dt, eqKappa, eqLambda), eqMaxVar)
	for k, v := range g.levels {
		g.levels[k] = v * math.Exp(re-g.hEq*dt/2)
	}

	// FX: a common USD shock and one per currency.
	zUSD := g.student()
	for c := market.EUR; c < market.NumCcy; c++ {
		hbar := b.FXVol[c] * b.FXVol[c]
		z := usdFactor*zUSD + math.Sqrt(1-usdFactor*usdFactor)*g.student()
		r := math.Sqrt(g.hFX[c]*dt) * z
		g.fx[c] *= math.Exp(r - g.hFX[c]*dt/2)
		g.hFX[c] = math.Min(garch(g.hFX[c], hbar, r, dt, fxKappa, fxLambda), fxMaxVar)
	}

	// Rates: level and slope shocks, a global factor, reversion of the
	// 10y to its base level and of the curve to its base shape.
	zG := g.rng.NormFloat64()
	for c := range market.NumCcy {
		hbar := b.SwaptionVol[c] * b.SwaptionVol[c]
		z := ratesFactor*zG + math.Sqrt(1-ratesFactor*ratesFactor)*g.rng.NormFloat64()
		sd := math.Sqrt(g.hR[c] * dt)
		bz, rs := b.Curves[c], g.rates[c]
		ten := curve.Zero{Times: bz.Times, Rates: rs}.Rate(10)
		dL := sd*z + levelRevert*dt*(bz.Rate(10)-ten)
		dS := slopeVolRatio * sd * g.rng.NormFloat64()
		shift := ten - bz.Rate(10)
		for i, tn := range bz.Times {
			w := (1 - math.Exp(-tn/2)) / (tn / 2)
			r := rs[i] + dL + w*dS + shapeRevert*dt*(bz.Rates[i]+shift-rs[i])
			rs[i] = math.Min(math.Max(r, -0.05), 0.30)
		}
		g.hR[c] = math.Min(garch(g.hR[c], hbar, sd*z, dt, rKappa, rLambda), rMaxVar)
	}

	// Credit: a lognormal factor against equity shocks, with jumps.
	zc := creditEquityCorr*ze + math.Sqrt(1-creditEquityCorr*creditEquityCorr)*g.rng.NormFloat64()
	volRatio := math.Sqrt(g.hEq / hbarEq)
	g.credit += -creditKappa*g.credit*dt + creditVol*volRatio*sq*zc
	if g.rng.Float64() < 1-math.Exp(-creditJumpRate*dt) {
		g.credit += creditJumpMean * (1 + g.rng.NormFloat64())
	}
	for r := range market.NumRating {
		g.idio[r] += -idioKappa*g.idio[r]*dt + idioSd*sq*g.rng.NormFloat64()
	}

	// Stress decays; a spike lifts it and the variances to a multiple of
	// their base levels (a spike during a spike does not compound).
	g.stress *= math.Exp(-stressKappa * dt)
	if spike {
		g.spikes++
		g.stress = math.Max(g.stress, S*u())
		lift := func(h, hbar, m, max float64) float64 { return math.Min(math.Max(h, hbar*m*m), max) }
		g.hEq = lift(g.hEq, hbarEq, 1+2*S*u(), eqMaxVar)
		for c := market.EUR; c < market.NumCcy; c++ {
			g.hFX[c] = lift(g.hFX[c], b.FXVol[c]*b.FXVol[c], 1+S*u(), fxMaxVar)
		}
		for c := range market.NumCcy {
			g.hR[c] = lift(g.hR[c], b.SwaptionVol[c]*b.SwaptionVol[c], 1+S*u(), rMaxVar)
		}
	}

	// Quotes from the state: while it lasts, stress cuts yields (flight
	// to quality), widens spreads and lifts the havens' FX.
	for c := market.EUR; c < market.NumCcy; c++ {
		g.s.FX[c] = g.fx[c] * math.Exp(havens[c]*stressFX*g.stress)
	}
	for c := range market.NumCcy {
		rs := g.s.Curves[c].Rates
		for i, r := range g.rates[c] {
			rs[i] = math.Max(r-stressYield*g.stress, -0.05)
		}
	}
	g.s.EquityVol = implied(g.hEq, hbarEq, eqKappa)
	for c := market.EUR; c < market.NumCcy; c++ {
		g.s.FXVol[c] = implied(g.hFX[c], b.FXVol[c]*b.FXVol[c], fxKappa)
	}
	for c := range market.NumCcy {
		g.s.SwaptionVol[c] = implied(g.hR[c], b.SwaptionVol[c]*b.SwaptionVol[c], rKappa)
	}
	cf := g.credit + stressCredit*g.stress
	for r := range market.NumRating {
		g.s.Spread[r] = math.Min(b.Spread[r]*math.Exp(creditBeta[r]*cf+g.idio[r]), 0.5)
	}
	ig, hy := math.Exp(creditBeta[market.BBB]*cf), math.Exp(creditBeta[market.B]*cf)
	g.s.IndexSpread[market.CDXIG] = math.Min(b.IndexSpread[market.CDXIG]*ig, 0.5)
	g.s.IndexSpread[market.ITraxxMain] = math.Min(b.IndexSpread[market.ITraxxMain]*ig, 0.5)
	g.s.IndexSpread[market.CDXHY] = math.Min(b.IndexSpread[market.CDXHY]*hy, 0.5)
	g.s.IndexSpread[market.ITraxxCrossover] = math.Min(b.IndexSpread[market.ITraxxCrossover]*hy, 0.5)
}

// havens are the FX moves under stress, in units of stressFX.
var havens = map[market.Ccy]float64{market.JPY: 1, market.CHF: 1, market.AUD: -1, market.CAD: -1, market.EUR: -0.5, market.GBP: -0.5}

// Run publishes a tick's quotes every Interval until ctx ends or Ticks
// ticks are out, and returns the number of ticks. The end of ctx is a
// normal stop (nil error); a publish error stops it.
func (g *Synthetic) Run(ctx context.Context, publish PublishFunc) (int, error) {
	tk := time.NewTicker(g.set.Interval)
	defer tk.Stop()
	n := 0
	for {
		for _, q := range g.Next() {
			if err := publish(ctx, &q); err != nil {
				if ctx.Err() != nil {
					return n, nil
				}
				return n, err
			}
		}
		n++
		if g.set.Ticks > 0 && n >= g.set.Ticks {
			return n, nil
		}
		select {
		case <-ctx.Done():
			return n, nil
		case <-tk.C:
		}
	}
}
