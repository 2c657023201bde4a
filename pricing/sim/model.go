package sim

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/hedgeflow/hedgeflow/pricing/approx"
	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/pricing/portfolio"
	"github.com/hedgeflow/hedgeflow/pricing/scenario"
)

// ErrInvalid is wrapped by every error about invalid settings.
var ErrInvalid = errors.New("sim: invalid")

// DaysPerYear is the number of trading days in a year.
const DaysPerYear = 252

// nsLambda is the Nelson-Siegel decay in years (Diebold & Li 2006: 0.0609
// per month).
const nsLambda = 1 / (0.0609 * 12)

// Knots are the maturities, in years, between which curve shocks are linear
// in τ (piecewise-constant forward shocks).
var Knots = []float64{0, 0.5, 1, 2, 3, 5, 7, 10, 15, 20, 30, 40, 50, 60, 80, 100, 125}

// SectorAmplification scales the credit spread vol of each sector: systemic
// amplification of financials 1.4, industrials 1.1, utilities 0.9, energy 1.3.
var SectorAmplification = [market.NumSector]float64{1.4, 1.1, 0.9, 1.3}

// Config sets up a simulation. The zero value of a field means its default.
type Config struct {
	Paths             int     // Monte Carlo paths per scenario; default 1000
	StepDays          int     // days per step; default 5 (weekly)
	HorizonDays       []int   // default 21, 63, 126, 252
	EquityRiskPremium float64 // default 0.04 a year; set NaN for zero
	Dynamics          Dynamics
	// HedgePaths is how many paths of each scenario (the first ones) also
	// value every candidate hedge at the hedge horizon; default 50, at
	// most Paths. They are the optimiser's rows (50,000 for 1,000
	// scenarios).
	HedgePaths int
}

// Dynamics are the path dynamics, each on by default and switchable. The
// zero value of a number means its default; a negative number means zero.
type Dynamics struct {
	NoClustering, NoLeverage, NoMeanReversion, NoRegimeSwitching, NoJumps, NoDefaults bool

	// GARCH(1,1) variance multipliers per asset class (FX, rates, credit,
	// equity) with unit long-run mean: h' = 1-α-β-γ/2 + h(α z̄² + β + γ z̄² 1{equity down}),
	// per week (Bollerslev 1986; leverage as in Glosten, Jagannathan &
	// Runkle 1993, on equity only). Defaults α 0.06, β 0.90, γ 0.04 (persistence 0.98 a week).
	GARCHAlpha, GARCHBeta, LeverageGamma float64
	// Mean reversion speeds per year of the curve factors (default 0.10)
	// and of log spreads (default 0.50): Ornstein-Uhlenbeck.
	RateKappa, SpreadKappa float64
	// Weekly transition probabilities of the path's regime (normal, stress,
	// crisis), starting from the scenario's regime; default
	// {{0.98, 0.015, 0.005}, {0.08, 0.90, 0.02}, {0.04, 0.12, 0.84}}.
	Transition [scenario.NumRegime][scenario.NumRegime]float64
	// Systemic jumps in all log spreads: intensity per year by regime
	// (default 0.5, 2, 6) and normal jump size (default mean 0.15, sd 0.10).
	JumpIntensity     [scenario.NumRegime]float64
	JumpMean, JumpStd float64
	// Defaults of the credit book through the one-factor Gaussian copula
	// (Vasicek 2002): annual PDs by rating (default AAA 0.01%, AA 0.02%, A
	// 0.05%, BBB 0.15%, BB 0.6%, B 3%), asset correlation (default 0.20) and
	// recovery (default 0.40).
	PD        [market.NumRating]float64
	AssetCorr float64
	Recovery  float64
}

func defNum(x *float64, d float64) {
	if *x == 0 {
		*x = d
	} else if *x < 0 {
		*x = 0
	}
}

func (d *Dynamics) setDefaults() {
	defNum(&d.GARCHAlpha, 0.06)
	defNum(&d.GARCHBeta, 0.90)
	defNum(&d.LeverageGamma, 0.04)
	defNum(&d.RateKappa, 0.10)
	defNum(&d.SpreadKappa, 0.50)
	if d.Transition == [scenario.NumRegime][scenario.NumRegime]float64{} {
		d.Transition = [scenario.NumRegime][scenario.NumRegime]float64{{0.98, 0.015, 0.005}, {0.08, 0.90, 0.02}, {0.04, 0.12, 0.84}}
	}
	for r, v := range [scenario.NumRegime]float64{0.5, 2, 6} {
		defNum(&d.JumpIntensity[r], v)
	}
	defNum(&d.JumpMean, 0.15)
	defNum(&d.JumpStd, 0.10)
	for r, v := range [market.NumRating]float64{0.0001, 0.0002, 0.0005, 0.0015, 0.006, 0.03} {
		defNum(&d.PD[r], v)
	}
	defNum(&d.AssetCorr, 0.20)
	defNum(&d.Recovery, 0.40)
	if d.NoClustering {
		d.GARCHAlpha, d.GARCHBeta, d.LeverageGamma = 0, 0, 0
	}
	if d.NoLeverage {
		d.LeverageGamma = 0
	}
	if d.NoMeanReversion {
		d.RateKappa, d.SpreadKappa = 0, 0
	}
	if d.NoJumps {
		d.JumpIntensity = [scenario.NumRegime]float64{}
	}
}

func (d *Dynamics) validate() error {
	if d.GARCHAlpha+d.GARCHBeta+d.LeverageGamma/2 >= 1 {
		return fmt.Errorf("%w: dynamics: garch_alpha + garch_beta + leverage_gamma/2 must be below 1 (stationary), got %v", ErrInvalid, d.GARCHAlpha+d.GARCHBeta+d.LeverageGamma/2)
	}
	for _, v := range []struct {
		name   string
		x      float64
		lo, hi float64
	}{
		{"garch_alpha", d.GARCHAlpha, 0, 1}, {"garch_beta", d.GARCHBeta, 0, 1}, {"leverage_gamma", d.LeverageGamma, 0, 1},
		{"rate_kappa", d.RateKappa, 0, 10}, {"spread_kappa", d.SpreadKappa, 0, 10},
		{"jump_mean", d.JumpMean, -2, 2}, {"jump_std", d.JumpStd, 0, 2},
		{"asset_corr", d.AssetCorr, 0, 0.99}, {"recovery", d.Recovery, 0, 1},
	} {
		if !(v.x >= v.lo && v.x <= v.hi) {
			return fmt.Errorf("%w: dynamics: %s must be in [%v, %v], got %v", ErrInvalid, v.name, v.lo, v.hi, v.x)
		}
	}
	for r := range scenario.NumRegime {
		sum := 0.0
		for _, p := range d.Transition[r] {
			if !(p >= 0 && p <= 1) {
				return fmt.Errorf("%w: dynamics: transition[%s] has a probability outside [0, 1]", ErrInvalid, r)
			}
			sum += p
		}
		if math.Abs(sum-1) > 1e-9 {
			return fmt.Errorf("%w: dynamics: transition[%s] sums to %v, not 1", ErrInvalid, r, sum)
		}
		if !(d.JumpIntensity[r] >= 0 && d.JumpIntensity[r] <= 100) {
			return fmt.Errorf("%w: dynamics: jump_intensity[%s] must be in [0, 100], got %v", ErrInvalid, r, d.JumpIntensity[r])
		}
	}
	for r, p := range d.PD {
		if !(p >= 0 && p < 1) {
			return fmt.Errorf("%w: dynamics: pd[%s] must be in [0, 1), got %v", ErrInvalid, market.Rating(r), p)
		}
	}
	return nil
}

// MaxPaths bounds the paths per scenario.
const MaxPaths = 1_000_000

func (c *Config) setDefaults() {
	if c.Paths == 0 {
		c.Paths = 1000
	}
	if c.StepDays == 0 {
		c.StepDays = 5
	}
	if len(c.HorizonDays) == 0 {
		c.HorizonDays = []int{21, 63, 126, 252}
	}
	if c.EquityRiskPremium == 0 {
		c.EquityRiskPremium = 0.04
	} else if math.IsNaN(c.EquityRiskPremium) {
		c.EquityRiskPremium = 0
	}
	c.Dynamics.setDefaults()
	if c.HedgePaths == 0 {
		c.HedgePaths = 50
	}
	if c.HedgePaths > c.Paths {
		c.HedgePaths = c.Paths
	}
}

// Validate checks c after defaults.
func (c *Config) Validate() error {
	if c.Paths < 1 || c.Paths > MaxPaths {
		return fmt.Errorf("%w: paths: must be in [1, %d], got %d", ErrInvalid, MaxPaths, c.Paths)
	}
	if c.StepDays < 1 || c.StepDays > DaysPerYear {
		return fmt.Errorf("%w: step_days: must be in [1, %d], got %d", ErrInvalid, DaysPerYear, c.StepDays)
	}
	for i, h := range c.HorizonDays {
		if h < 1 || h > 10*DaysPerYear {
			return fmt.Errorf("%w: horizons[%d]: must be in [1, %d] days, got %d", ErrInvalid, i, 10*DaysPerYear, h)
		}
		if i > 0 && h <= c.HorizonDays[i-1] {
			return fmt.Errorf("%w: horizons: must be increasing, got %v", ErrInvalid, c.HorizonDays)
		}
	}
	if c.EquityRiskPremium < -0.5 || c.EquityRiskPremium > 0.5 {
		return fmt.Errorf("%w: equity_risk_premium: must be in [-0.5, 0.5], got %v", ErrInvalid, c.EquityRiskPremium)
	}
	return c.Dynamics.validate()
}

// class is a set of cash flows in one currency discounted at one spread
// with one credit factor.
type class struct {
	liability bool
	spread0   float64
	credit    int     // index of the credit factor, -1 for none
	amp       float64 // sector amplification of the credit vol
	cf        []float64
}

// taylor holds a class's value at a step and the derivatives of its
// logarithm in the factors x = (L, S, C) and the absolute spread change ds.
// Expanding ln V rather than V makes the second-order expansion exact for a
// single cash flow and leaves only the third cumulant of the cash-flow
// times as error.
type taylor struct {
	v0       float64
	g        [3]float64
	h        [6]float64 // LL, LS, LC, SS, SC, CC
	gs, hss  float64
	hsx      [3]float64
	k3       [10]float64 // third cumulants of d: LLL LLS LLC LSS LSC LCC SSS SSC SCC CCC
	m3       [10]float64 // raw third moments while accumulating
	cashPaid float64     // cash flows paid by this step, signed: bonds +, liabilities -
}

// horizonData is what the exact revaluation at one horizon needs.
type horizonData struct {
	k0     int         // first live grid index (τ > 0)
	tau    []float64   // τ of live points
	is, ic []float64   // integrated slope and curvature loadings at τ
	seg    []int       // knot segment of each live point
	starts []int       // the live points where a knot segment starts (the first among them)
	df0    []float64   // base risk-free discount factor at τ (no spread)
	w      [][]float64 // per class: cf × base discount factor at τ
}

type block struct {
	ccy     market.Ccy
	fx      int // factor index of the currency's FX, -1 for USD
	rate    int // factor index of its level factor; slope +1, curvature +2
	classes []class
	credit  []int         // indices of the classes with a credit factor
	steps   [][]poly      // [step][class]
	hz      []horizonData // per horizon
}

// poly is a class's taylor expansion at a step in the form the weekly
// revaluation evaluates: ln(V/v0) = c·mon(L, S, C) + ds·(gs + hss2·ds +
// hsx·(L, S, C)), where mon lists the monomials of degree 1 to 3 (L, S, C;
// LL LS LC SS SC CC; the cubes in the order of triples; then a zero) and c
// folds in the 1/2 and -1/6 of the expansion.
type poly struct {
	c        [numMon]float64
	gs, hss2 float64
	hsx      [3]float64
	v0       float64
	cashPaid float64
}

// numMon is the number of monomials of degree 1 to 3 in (L, S, C), plus
// one zero to make four accumulators of five.
const numMon = 20

// polyOf is tc (after toLog) as a poly.
func polyOf(tc *taylor) poly {
	p := poly{v0: tc.v0, cashPaid: tc.cashPaid, gs: tc.gs, hss2: 0.5 * tc.hss, hsx: tc.hsx}
	p.c[0], p.c[1], p.c[2] = tc.g[0], tc.g[1], tc.g[2]
	p.c[3], p.c[4], p.c[5] = 0.5*tc.h[0], tc.h[1], tc.h[2]
	p.c[6], p.c[7], p.c[8] = 0.5*tc.h[3], tc.h[4], 0.5*tc.h[5]
	for k, v := range tc.k3 {
		p.c[9+k] = -v / 6
	}
	return p
}

// Model is a portfolio prepared for simulation on a market snapshot. It is
// read-only once built and safe for concurrent use by many workers.
type Model struct {
	cfg       Config
	fx0       [market.NumCcy]float64
	kinds     []kind
	fxOf      [market.NumCcy]int // factor index, -1 if none
	eqOf      [market.NumCcy]int
	credits   []market.Rating
	creditIdx []int                               // factor index of each credit rating factor
	corr      [scenario.NumRegime][2]*blockFactor // by regime and breakdown
	repaired  [scenario.NumRegime][2]bool
	class     []int // GARCH class of each factor: 0 FX, 1 rates, 2 credit, 3 equity
	// Per step: the diffusion variance factor of an OU log spread,
	// (1-e^{-2κt})/(2κ); the normal quantile of the rating PDs to t; the
	// probability of no spread jump by regime; regime transition CDFs.
	// pdY is the normal quantile of each rating's PD to t over √(1-ρ), the
	// Vasicek default rate's argument with a zero factor (defaultSlope).
	spreadVar []float64
	spreadSD  []float64 // √spreadVar
	// √ρ and √(1-ρ) of the default copula's asset correlation.
	sqrtRho, sqrt1mRho float64
	// Per step: its length in years and the square root of that.
	stepDt, stepSqrtDt []float64
	pdY                [][market.NumRating]float64
	noJump             [][scenario.NumRegime]float64
	trans              [][scenario.NumRegime][scenario.NumRegime]float64
	garch              [][3]float64 // per step: α, β, γ scaled to the step's length
	classN             [4]int       // factors per GARCH class
	classAt            [5]int       // class c's factors are classAt[c]:classAt[c+1]
	steps              []int        // day at the end of each step
	hzStep             []int        // step index of each horizon
	blocks             []block
	eqValue            [market.NumCcy]float64
	eqRate             [market.NumCcy]float64 // local 3-month rate
	usdRate            float64
	alts               []portfolio.Alternative
	assets0            float64
	liabs0             float64
	hedges             []Hedge
	fxAt               [][]fxStep // per hedge, per step: an FX hedge's path-independent part (tabulateFX)
	// The credit classes, block after block: their log-spread factor and
	// sector amplification; and per credit factor, the classes (numbered
	// block after block) it drives.
	crFactor  []int
	crAmp     []float64
	classesOf [][]int
	refs      []refName // the largest corporate holdings, for single-name CDS
	curveRate [market.NumCcy]func(float64) float64
	segSlope  []float64 // forward loading of slope per knot segment
	segCurv   []float64
}

// Horizons returns the horizons in days.
func (m *Model) Horizons() []int { return m.cfg.HorizonDays }

// Steps returns the number of simulation steps of a path.
func (m *Model) Steps() int { return len(m.steps) }

// Paths returns the number of paths per scenario.
func (m *Model) Paths() int { return m.cfg.Paths }

// HedgePaths returns how many paths per scenario value the candidate hedges.
func (m *Model) HedgePaths() int {
	if len(m.hedges) == 0 {
		return 0
	}
	return m.cfg.HedgePaths
}

// Assets0 and Liabilities0 are the fund's values today, USD.
func (m *Model) Assets0() float64      { return m.assets0 }
func (m *Model) Liabilities0() float64 { return m.liabs0 }

// Repaired reports whether the correlation matrix of a regime (in a
// breakdown or not) was not positive semidefinite and was repaired.
func (m *Model) Repaired(r scenario.Regime, breakdown bool) bool {
	return m.repaired[r][b2i(breakdown)]
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Dim is the number of correlated factors.
func (m *Model) Dim() int { return len(m.kinds) }

// NewModel prepares p on snapshot mk for simulation.
func NewModel(p *portfolio.Portfolio, mk *market.Snapshot, cfg Config) (*Model, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := mk.Validate(); err != nil {
		return nil, err
	}
	m := &Model{cfg: cfg, fx0: mk.FX}
	for c := range market.NumCcy {
		m.curveRate[c] = mk.Curves[c].Rate
	}
	m.cfg.HorizonDays = append([]int(nil), cfg.HorizonDays...)
	for i := range m.fxOf {
		m.fxOf[i], m.eqOf[i] = -1, -1
	}
	// Which currencies, rate blocks and ratings the fund is exposed to.
	var fxUsed, rateUsed [market.NumCcy]bool
	var ratingUsed [market.NumRating]bool
	for _, e := range p.Equities {
		fxUsed[e.Ccy] = true
		m.eqValue[e.Ccy] += e.ValueUSD
	}
	for _, a := range p.Alternatives {
		fxUsed[a.Ccy] = true // its beta also needs its currency's equity factor (below)
	}
	for _, b := range p.Bonds {
		fxUsed[b.Ccy], rateUsed[b.Ccy] = true, true
		if !b.Government {
			ratingUsed[b.Rating] = true
		}
	}
	for _, l := range p.Liabilities {
		fxUsed[l.Ccy], rateUsed[l.Ccy] = true, true
	}
	for c := market.Ccy(1); c < market.NumCcy; c++ {
		if fxUsed[c] {
			m.fxOf[c] = len(m.kinds)
			m.kinds = append(m.kinds, kFX)
		}
	}
	for c := range market.NumCcy {
		if rateUsed[c] {
			m.blocks = append(m.blocks, block{ccy: c, fx: m.fxOf[c], rate: len(m.kinds)})
			m.kinds = append(m.kinds, kLevel, kSlope, kCurv)
		}
	}
	var ratingFactor [market.NumRating]int
	for r := range market.NumRating {
		ratingFactor[r] = -1
		if ratingUsed[r] {
			ratingFactor[r] = len(m.credits)
			m.credits = append(m.credits, r)
			m.creditIdx = append(m.creditIdx, len(m.kinds))
			m.kinds = append(m.kinds, kCredit)
		}
	}
	var eqUsed [market.NumCcy]bool
	for _, e := range p.Equities {
		eqUsed[e.Ccy] = true
	}
	for _, a := range p.Alternatives {
		eqUsed[a.Ccy] = true
	}
	for c := range market.NumCcy {
		if eqUsed[c] {
			m.eqOf[c] = len(m.kinds)
			m.kinds = append(m.kinds, kEquity)
		}
		m.eqRate[c] = mk.Curves[c].Rate(0.25)
	}
	m.usdRate = m.eqRate[market.USD]
	m.alts = append(m.alts, p.Alternatives...)
	for r := range scenario.NumRegime {
		for b := range 2 {
			f, rep, err := newBlockFactor(m.kinds, r, b == 1)
			if err != nil {
				return nil, err
			}
			m.corr[r][b], m.repaired[r][b] = f, rep
		}
	}
	for i, k := range m.kinds {
		if i > 0 && classOf(k) < classOf(m.kinds[i-1]) {
			return nil, fmt.Errorf("sim: internal: factors not grouped by GARCH class: %v", m.kinds)
		}
		m.classN[classOf(k)]++
		for c := classOf(k) + 1; c < len(m.classAt); c++ {
			m.classAt[c]++
		}
		switch k {
		case kFX:
			m.class = append(m.class, 0)
		case kLevel, kSlope, kCurv:
			m.class = append(m.class, 1)
		case kCredit:
			m.class = append(m.class, 2)
		default:
			m.class = append(m.class, 3)
		}
	}

	// Time grid: every StepDays days, plus the horizons.
	last := cfg.HorizonDays[len(cfg.HorizonDays)-1]
	days := map[int]bool{}
	for d := cfg.StepDays; d < last; d += cfg.StepDays {
		days[d] = true
	}
	for _, h := range cfg.HorizonDays {
		days[h] = true
	}
	for d := range days {
		m.steps = append(m.steps, d)
	}
	sort.Ints(m.steps)
	for _, h := range cfg.HorizonDays {
		m.hzStep = append(m.hzStep, sort.SearchInts(m.steps, h))
	}
	m.prepareSteps()

	// Knot segments' forward loadings.
	for j := 0; j+1 < len(Knots); j++ {
		a, b := Knots[j], Knots[j+1]
		m.segSlope = append(m.segSlope, (intSlope(b)-intSlope(a))/(b-a))
		m.segCurv = append(m.segCurv, (intCurv(b)-intCurv(a))/(b-a))
	}

	// Cash-flow classes per currency block.
	for bi := range m.blocks {
		bl := &m.blocks[bi]
		addClass := func(cl class) *class {
			for i := range bl.classes {
				o := &bl.classes[i]
				if o.liability == cl.liability && o.spread0 == cl.spread0 && o.credit == cl.credit && o.amp == cl.amp {
					return o
				}
			}
			bl.classes = append(bl.classes, cl)
			return &bl.classes[len(bl.classes)-1]
		}
		for i := range p.Bonds {
			b := &p.Bonds[i]
			if b.Ccy != bl.ccy {
				continue
			}
			cl := class{spread0: portfolio.BondSpread(b, mk), credit: -1}
			if !b.Government {
				cl.credit = ratingFactor[b.Rating]
				cl.amp = SectorAmplification[b.Sector]
			}
			c := addClass(cl)
			face := portfolio.FaceLocal(b, mk)
			n := int(math.Round(b.Maturity * float64(b.Freq)))
			step := 2 / b.Freq // grid points per coupon period
			for i := 1; i <= n; i++ {
				k := i * step
				c.cf = growTo(c.cf, k)
				c.cf[k-1] += face * b.Coupon / float64(b.Freq)
				if i == n {
					c.cf[k-1] += face
				}
			}
		}
		for i := range p.Liabilities {
			l := &p.Liabilities[i]
			if l.Ccy != bl.ccy {
				continue
			}
			c := addClass(class{liability: true, spread0: p.LiabilitySpread, credit: -1})
			for y, cf := range l.Cashflows {
				k := 2 * (y + 1)
				c.cf = growTo(c.cf, k)
				c.cf[k-1] += cf
			}
		}
		m.prepareBlock(bl, mk)
	}

	m.classesOf = make([][]int, len(m.credits))
	fc := 0
	for bi := range m.blocks {
		bl := &m.blocks[bi]
		for _, ci := range bl.credit {
			cl := &bl.classes[ci]
			m.crFactor = append(m.crFactor, m.creditIdx[cl.credit])
			m.crAmp = append(m.crAmp, cl.amp)
			m.classesOf[cl.credit] = append(m.classesOf[cl.credit], fc+ci)
		}
		fc += len(bl.classes)
	}

	// Candidate hedges need their horizon on the semi-annual grid.
	if hd := m.HedgeHorizonDays(); hd%(DaysPerYear/2) == 0 {
		m.refs = largestHoldings(p, mk, MaxSingleNames)
		m.buildHedges(mk)
		for i := range m.hedges {
			switch m.hedges[i].Kind {
			case FXForward, SwapReceiver, SwapPayer, CDSIndex, FRAPayer, FRAReceiver, BondFuture, XCCYSwap, TrancheProtection, SingleNameCDS:
				m.hedges[i].linear = true
			}
		}
		m.tabulateFX()
	}

	// Today's values, from the same machinery as the paths.
	for c := range market.NumCcy {
		m.assets0 += m.eqValue[c]
	}
	for _, a := range m.alts {
		m.assets0 += a.ValueUSD
	}
	for _, bl := range m.blocks {
		for _, cl := range bl.classes {
			v := m.fx0[bl.ccy] * pvAt(cl.cf, mk.Curves[bl.ccy].Rate, cl.spread0, 0)
			if cl.liability {
				m.liabs0 += v
			} else {
				m.assets0 += v
			}
		}
	}
	return m, nil
}

func growTo(s []float64, n int) []float64 {
	for len(s) < n {
		s = append(s, 0)
	}
	return s
}

// pvAt is the unshocked value at time t (years) of cash flows on the
// semi-annual grid still to come, at the base curve plus spread.
func pvAt(cf []float64, rate func(float64) float64, spread, t float64) float64 {
	pv := 0.0
	for k, c := range cf {
		tau := 0.5*float64(k+1) - t
		if tau > 1e-12 && c != 0 {
			pv += c * math.Exp(-(rate(tau)+spread)*tau)
		}
	}
	return pv
}

// intSlope and intCurv are the Nelson-Siegel zero loadings times τ: the
// integrals of the forward loadings from 0 to τ.
func intSlope(tau float64) float64 { return nsLambda * (1 - math.Exp(-tau/nsLambda)) }
func intCurv(tau float64) float64 {
	x := tau / nsLambda
	return nsLambda * (1 - math.Exp(-x)*(1+x))
}

// segOf returns the knot segment holding τ > 0.
func segOf(tau float64) int {
	j := sort.SearchFloat64s(Knots, tau) - 1 // Knots[j] < tau <= Knots[j+1]
	if j < 0 {
		j = 0
	}
	if j >= len(Knots)-1 {
		j = len(Knots) - 2
	}
	return j
}

// loadings returns the integrated slope and curvature loadings at τ: linear
// between knots, exact at them.
func (m *Model) loadings(tau float64) (float64, float64) {
	j := segOf(tau)
	a := Knots[j]
	return intSlope(a) + m.segSlope[j]*(tau-a), intCurv(a) + m.segCurv[j]*(tau-a)
}

func (m *Model) prepareBlock(bl *block, mk *market.Snapshot) {
	z := mk.Curves[bl.ccy]
	bl.credit = bl.credit[:0]
	for ci, cl := range bl.classes {
		if cl.credit >= 0 {
			bl.credit = append(bl.credit, ci)
		}
	}
	bl.steps = make([][]poly, len(m.steps))
	for s, day := range m.steps {
		t := float64(day) / DaysPerYear
		row := make([]taylor, len(bl.classes))
		for ci, cl := range bl.classes {
			tc := &row[ci]
			for k, c := range cl.cf {
				if c == 0 {
					continue
				}
				tau := 0.5*float64(k+1) - t
				if tau <= 1e-12 {
					if cl.liability {
						tc.cashPaid -= c
					} else {
						tc.cashPaid += c
					}
					continue
				}
				m.addFlow(tc, c*math.Exp(-(z.Rate(tau)+cl.spread0)*tau), tau)
			}
			tc.toLog()
		}
		bl.steps[s] = make([]poly, len(row))
		for ci := range row {
			bl.steps[s][ci] = polyOf(&row[ci])
		}
	}
	bl.hz = make([]horizonData, len(m.steps))
	for hi, day := range m.steps {
		t := float64(day) / DaysPerYear
		hd := &bl.hz[hi]
		maxK := 0
		for _, cl := range bl.classes {
			maxK = max(maxK, len(cl.cf))
		}
		hd.k0 = maxK
		for k := 0; k < maxK; k++ {
			if 0.5*float64(k+1)-t > 1e-12 {
				hd.k0 = k
				break
			}
		}
		for k := hd.k0; k < maxK; k++ {
			tau := 0.5*float64(k+1) - t
			is, ic := m.loadings(tau)
			hd.tau = append(hd.tau, tau)
			hd.df0 = append(hd.df0, math.Exp(-z.Rate(tau)*tau))
			hd.is = append(hd.is, is)
			hd.ic = append(hd.ic, ic)
			if i := len(hd.seg); i == 0 || hd.seg[i-1] != segOf(tau) {
				hd.starts = append(hd.starts, i)
			}
			hd.seg = append(hd.seg, segOf(tau))
		}
		hd.w = make([][]float64, len(bl.classes))
		for ci, cl := range bl.classes {
			w := make([]float64, 0, len(hd.tau))
			for i, tau := range hd.tau {
				k := hd.k0 + i
				if k >= len(cl.cf) {
					break
				}
				w = append(w, cl.cf[k]*math.Exp(-(z.Rate(tau)+cl.spread0)*tau))
			}
			hd.w[ci] = w
		}
	}
}

// addFlow adds to tc's value and its derivatives a cash flow at τ whose
// discounted value today is w.
func (m *Model) addFlow(tc *taylor, w, tau float64) {
	is, ic := m.loadings(tau)
	d := [3]float64{tau, is, ic}
	tc.v0 += w
	for a := range 3 {
		tc.g[a] -= w * d[a]
		tc.hsx[a] += w * tau * d[a]
	}
	tc.h[0] += w * d[0] * d[0]
	tc.h[1] += w * d[0] * d[1]
	tc.h[2] += w * d[0] * d[2]
	tc.h[3] += w * d[1] * d[1]
	tc.h[4] += w * d[1] * d[2]
	tc.h[5] += w * d[2] * d[2]
	tc.gs -= w * tau
	tc.hss += w * tau * tau
	for k, ijk := range triples {
		tc.m3[k] += w * d[ijk[0]] * d[ijk[1]] * d[ijk[2]]
	}
}

// toLog turns value derivatives (V, ∂V, ∂²V) into derivatives of ln V:
// a = ∂V/V, B = ∂²V/V - a aᵀ.
func (tc *taylor) toLog() {
	if tc.v0 <= 0 {
		*tc = taylor{cashPaid: tc.cashPaid}
		return
	}
	inv := 1 / tc.v0
	var a [4]float64
	for i := range 3 {
		a[i] = tc.g[i] * inv
	}
	a[3] = tc.gs * inv
	idx := [6][2]int{{0, 0}, {0, 1}, {0, 2}, {1, 1}, {1, 2}, {2, 2}}
	for k, ij := range idx {
		tc.h[k] = tc.h[k]*inv - a[ij[0]]*a[ij[1]]
	}
	for i := range 3 {
		tc.hsx[i] = tc.hsx[i]*inv - a[3]*a[i]
	}
	tc.hss = tc.hss*inv - a[3]*a[3]
	// Raw moments of d under the weights w/V: m1 = -a, m2 = B + a aᵀ.
	var m1 [3]float64
	var m2 [3][3]float64
	for i := range 3 {
		m1[i] = -a[i]
	}
	for k, ij := range idx {
		v := tc.h[k] + a[ij[0]]*a[ij[1]]
		m2[ij[0]][ij[1]], m2[ij[1]][ij[0]] = v, v
	}
	for k, t := range triples {
		i, j, l := t[0], t[1], t[2]
		tc.k3[k] = tc.m3[k]*inv - (m2[i][j]*m1[l] + m2[i][l]*m1[j] + m2[j][l]*m1[i]) + 2*m1[i]*m1[j]*m1[l]
		// Each distinct triple stands for its permutations in Σ κ_abc x_a x_b x_c.
		tc.k3[k] *= float64(permutations(t))
	}
	tc.g = [3]float64{a[0], a[1], a[2]}
	tc.gs = a[3]
}

// triples are the distinct index triples i <= j <= l of three factors.
var triples = [10][3]int{{0, 0, 0}, {0, 0, 1}, {0, 0, 2}, {0, 1, 1}, {0, 1, 2}, {0, 2, 2}, {1, 1, 1}, {1, 1, 2}, {1, 2, 2}, {2, 2, 2}}

func permutations(t [3]int) int {
	switch {
	case t[0] == t[1] && t[1] == t[2]:
		return 1
	case t[0] == t[1] || t[1] == t[2] || t[0] == t[2]:
		return 3
	default:
		return 6
	}
}

// prepareSteps tabulates what the dynamics need per step.
func (m *Model) prepareSteps() {
	d := &m.cfg.Dynamics
	m.sqrtRho, m.sqrt1mRho = math.Sqrt(d.AssetCorr), math.Sqrt(1-d.AssetCorr)
	prev := 0
	for _, day := range m.steps {
		t := float64(day) / DaysPerYear
		dt := float64(day-prev) / DaysPerYear
		w := float64(day-prev) / 5 // in weeks
		prev = day
		v := t
		if k := d.SpreadKappa; k > 0 {
			v = (1 - math.Exp(-2*k*t)) / (2 * k)
		}
		m.spreadVar = append(m.spreadVar, v)
		m.spreadSD = append(m.spreadSD, math.Sqrt(v))
		m.stepDt = append(m.stepDt, dt)
		m.stepSqrtDt = append(m.stepSqrtDt, math.Sqrt(dt))
		var q [market.NumRating]float64
		for r, pd := range d.PD {
			q[r] = math.Inf(-1)
			if pd > 0 {
				q[r] = normQuantile(1-math.Pow(1-pd, t)) / m.sqrt1mRho
			}
		}
		m.pdY = append(m.pdY, q)
		var nj [scenario.NumRegime]float64
		var tr [scenario.NumRegime][scenario.NumRegime]float64
		for r := range scenario.NumRegime {
			nj[r] = math.Exp(-d.JumpIntensity[r] * dt)
			// Off-diagonal probabilities scale with the step's length in
			// weeks; the diagonal takes the rest. Stored as a CDF.
			off := 0.0
			row := d.Transition[r]
			for j := range scenario.NumRegime {
				if j != r {
					row[j] = math.Min(row[j]*w, 1)
					off += row[j]
				}
			}
			if off > 1 {
				for j := range scenario.NumRegime {
					if j != r {
						row[j] /= off
					}
				}
				off = 1
			}
			row[r] = 1 - off
			c := 0.0
			for j := range row {
				c += row[j]
				tr[r][j] = c
			}
		}
		m.noJump = append(m.noJump, nj)
		m.trans = append(m.trans, tr)
		// GARCH per step: persistence φ^w, shock weights scaled by w and
		// capped so that β stays non-negative.
		phi := math.Pow(d.GARCHAlpha+d.GARCHBeta+d.LeverageGamma/2, w)
		a, g := d.GARCHAlpha*w, d.LeverageGamma*w
		if a+g/2 > phi {
			k := phi / (a + g/2)
			a, g = a*k, g*k
		}
		m.garch = append(m.garch, [3]float64{a, phi - a - g/2, g})
	}
}

// normQuantile is the standard normal quantile: Φ⁻¹(p) = -√2 erfcinv(2p),
// accurate for p down to the smallest positive floats.
func normQuantile(p float64) float64 { return -math.Sqrt2 * math.Erfcinv(2*p) }

// normCDF is Φ(x) = erfc(-x/√2)/2.
// normCDF is Φ, approx.Phi (within 3 ulps, about twice as fast as
// 0.5·erfc(-x/√2), which loses up to (1+x²) ulps in the lower tail).
func normCDF(x float64) float64 { return approx.Phi(x) }

func classOf(k kind) int {
	switch k {
	case kFX:
		return 0
	case kLevel, kSlope, kCurv:
		return 1
	case kCredit:
		return 2
	}
	return 3
}

// ValidateConfig checks a configuration as NewModel would, after defaults.
func ValidateConfig(c Config) error {
	c.setDefaults()
	return c.Validate()
}

// FXExposure returns the fund's net exposure to each currency today, in
// USD: assets held in it less liabilities owed in it (FXExposure[USD] is
// the USD net position).
func (m *Model) FXExposure() [market.NumCcy]float64 {
	var e [market.NumCcy]float64
	for c, v := range m.eqValue {
		e[c] += v
	}
	for _, a := range m.alts {
		e[a.Ccy] += a.ValueUSD
	}
	for _, bl := range m.blocks {
		for _, cl := range bl.classes {
			v := m.fx0[bl.ccy] * pvAt(cl.cf, m.curveRate[bl.ccy], cl.spread0, 0)
			if cl.liability {
				e[bl.ccy] -= v
			} else {
				e[bl.ccy] += v
			}
		}
	}
	return e
}

// LiabilitiesByCcy returns today's liabilities per currency, USD.
func (m *Model) LiabilitiesByCcy() [market.NumCcy]float64 {
	var out [market.NumCcy]float64
	for _, bl := range m.blocks {
		for _, cl := range bl.classes {
			if cl.liability {
				out[bl.ccy] += m.fx0[bl.ccy] * pvAt(cl.cf, m.curveRate[bl.ccy], cl.spread0, 0)
			}
		}
	}
	return out
}

// CreditValue returns today's value of the credit (corporate bond) book, USD.
func (m *Model) CreditValue() float64 {
	v := 0.0
	for _, bl := range m.blocks {
		for _, cl := range bl.classes {
			if cl.credit >= 0 {
				v += m.fx0[bl.ccy] * pvAt(cl.cf, m.curveRate[bl.ccy], cl.spread0, 0)
			}
		}
	}
	return v
}

// EquityByCcy returns today's equity holdings per currency, USD.
func (m *Model) EquityByCcy() [market.NumCcy]float64 { return m.eqValue }
