package execution

import (
	"math"
	"sort"
)

// Order is one hedge to put on (or take off): trade NotionalUSD of an
// instrument. Buying and selling cost the same, so the side is not needed.
type Order struct {
	Instrument  string // unique name within a programme
	Kind        Kind
	NotionalUSD float64 // > 0
	Liquidity   Liquidity
}

// Approach is a way of spreading a programme over days.
type Approach string

// The approaches of [Plan].
const (
	// Immediate trades every order on day 1. It is never stretched: a
	// breach is reported.
	Immediate Approach = "immediate"
	// Phased trades each order in 5 phases of Settings.PhaseDays (5) days, a
	// fifth per phase, evenly within the phase. Phases are lengthened (up to
	// MaxDays/5 days each) when a day would break a limit.
	Phased Approach = "phased"
	// Optimal is the Almgren-Chriss trajectory on the horizon chosen by the
	// rule in the package documentation.
	Optimal Approach = "optimal"
	// Opportunistic trades more on days when the simulated bid-ask is tight:
	// the even daily rate is scaled by clamp(quoted/simulated, 0.5, 2).
	Opportunistic Approach = "opportunistic"
	// VolatilityAdaptive scales the even daily rate by clamp(1/v, 0.5, 2),
	// v the relative volatility signal (1 = normal).
	VolatilityAdaptive Approach = "volatility_adaptive"
)

// Approaches lists every approach in a fixed order.
func Approaches() []Approach {
	return []Approach{Immediate, Phased, Optimal, Opportunistic, VolatilityAdaptive}
}

// Signals are the simulated daily paths the adaptive approaches react to,
// keyed by instrument, one value per day from day 1; each must cover
// Settings.MaxDays days. See [LogAR1] to simulate them.
type Signals struct {
	// SpreadBps is the full bid-ask spread in bp of each day (Opportunistic).
	SpreadBps map[string][]float64
	// Vol is the volatility of each day relative to Liquidity.VolDailyBps
	// (VolatilityAdaptive; 1.2 is 20% above normal).
	Vol map[string][]float64
}

// Settings tune [Plan]. The zero value means every default.
type Settings struct {
	// RiskAversion is the Almgren-Chriss λ per USD; 0 means
	// DefaultRiskAversion. Use a tiny positive value for the λ → 0 (even,
	// TWAP) schedule.
	RiskAversion float64
	// MaxParticipation is the largest fraction of ADV traded in a day;
	// 0 means 0.15.
	MaxParticipation float64
	// MaxImpactBps is the largest market impact of a day's trade; 0 means 5.
	MaxImpactBps float64
	// MaxDays is the longest horizon in trading days; 0 means 30.
	MaxDays int
	// HorizonDays fixes the horizon of Optimal, Opportunistic and
	// VolatilityAdaptive (stretched if a limit requires); 0 lets Optimal
	// choose it and the adaptive approaches follow Optimal.
	HorizonDays int
	// PhaseDays is the length of a phase of Phased; 0 means 5.
	PhaseDays int
	// HorizonTolerance is the relative slack of the horizon rule of
	// Optimal; 0 means 0.01.
	HorizonTolerance float64
}

// Defaults of [Settings].
const (
	DefaultRiskAversion     = 1e-9
	DefaultMaxParticipation = 0.15
	DefaultMaxImpactBps     = 5.0
	DefaultMaxDays          = 30
	DefaultPhaseDays        = 5
	Phases                  = 5
	DefaultHorizonTol       = 0.01
)

func (s *Settings) withDefaults() (Settings, error) {
	var c Settings
	if s != nil {
		c = *s
	}
	if c.RiskAversion == 0 {
		c.RiskAversion = DefaultRiskAversion
	}
	if c.MaxParticipation == 0 {
		c.MaxParticipation = DefaultMaxParticipation
	}
	if c.MaxImpactBps == 0 {
		c.MaxImpactBps = DefaultMaxImpactBps
	}
	if c.MaxDays == 0 {
		c.MaxDays = DefaultMaxDays
	}
	if c.PhaseDays == 0 {
		c.PhaseDays = DefaultPhaseDays
	}
	if c.HorizonTolerance == 0 {
		c.HorizonTolerance = DefaultHorizonTol
	}
	switch {
	case !(c.RiskAversion > 0) || math.IsInf(c.RiskAversion, 0):
		return c, errorf("settings: RiskAversion = %g, want > 0", c.RiskAversion)
	case !(c.MaxParticipation > 0 && c.MaxParticipation <= 1):
		return c, errorf("settings: MaxParticipation = %g, want (0, 1]", c.MaxParticipation)
	case !(c.MaxImpactBps > 0) || math.IsInf(c.MaxImpactBps, 0):
		return c, errorf("settings: MaxImpactBps = %g, want > 0", c.MaxImpactBps)
	case c.MaxDays < 1 || c.PhaseDays < 1 || c.HorizonDays < 0:
		return c, errorf("settings: MaxDays %d, PhaseDays %d, HorizonDays %d", c.MaxDays, c.PhaseDays, c.HorizonDays)
	case !(c.HorizonTolerance > 0) || math.IsInf(c.HorizonTolerance, 0):
		return c, errorf("settings: HorizonTolerance = %g, want > 0", c.HorizonTolerance)
	}
	return c, nil
}

// Row is one instrument's trade on one day.
type Row struct {
	Day         int     `json:"day"` // 1-based trading day
	Instrument  string  `json:"instrument"`
	Kind        Kind    `json:"kind"`
	NotionalUSD float64 `json:"notional_usd"`
	// Participation is NotionalUSD / ADVUSD.
	Participation float64 `json:"participation"`
	// ImpactBps is the market impact of the day's trade: temporary plus the
	// permanent move it causes, (TempImpactBps + PermImpactBps) x
	// Participation.
	ImpactBps float64 `json:"impact_bps"`
	// SpreadBps is the full bid-ask assumed for the day.
	SpreadBps float64 `json:"spread_bps"`
	// Clips is the number of child orders of DepthUSD needed (0 when the
	// depth is unknown).
	Clips int `json:"clips"`
	// CostUSD is the expected cost of the day's trade: half the spread, the
	// temporary impact, and the permanent impact of the earlier days of the
	// same order; CostBps is CostUSD per notional, in bp.
	CostUSD float64 `json:"cost_usd"`
	CostBps float64 `json:"cost_bps"`
}

// Totals sum the rows of one instrument, or of the whole programme.
type Totals struct {
	Instrument  string  `json:"instrument,omitempty"` // empty for the programme
	NotionalUSD float64 `json:"notional_usd"`
	CostUSD     float64 `json:"cost_usd"`
	CostBps     float64 `json:"cost_bps"` // CostUSD / NotionalUSD in bp
	// VarianceUSD2 is the variance of the cost from price moves while the
	// order is open (Almgren-Chriss V); for the programme the instruments
	// are taken as independent. StdDevUSD is its square root.
	VarianceUSD2 float64 `json:"variance_usd2"`
	StdDevUSD    float64 `json:"std_dev_usd"`
	FirstDay     int     `json:"first_day"`
	LastDay      int     `json:"last_day"`
}

// Step is one entry of the roadmap: the orders in execution sequence,
// most liquid first.
type Step struct {
	Rank       int    `json:"rank"` // 1-based
	Instrument string `json:"instrument"`
	Kind       Kind   `json:"kind"`
	// Tier is "liquid" (fits in one day within the limits), "moderate"
	// (within PhaseDays days) or "illiquid".
	Tier string `json:"tier"`
	// DaysAtLimit is the fewest days the order needs within the
	// participation and impact limits.
	DaysAtLimit int     `json:"days_at_limit"`
	FirstDay    int     `json:"first_day"`
	LastDay     int     `json:"last_day"`
	NotionalUSD float64 `json:"notional_usd"`
	CostUSD     float64 `json:"cost_usd"`
	CostBps     float64 `json:"cost_bps"`
}

// Schedule is a day-by-day plan for a programme.
type Schedule struct {
	Approach Approach `json:"approach"`
	// Rows are sorted by day, then by roadmap rank.
	Rows         []Row    `json:"rows"`
	ByInstrument []Totals `json:"by_instrument"` // in roadmap order
	Total        Totals   `json:"total"`
	Roadmap      []Step   `json:"roadmap"`
	// Violations lists every breach of a limit; when it is not empty Plan
	// also returns a *ConstraintError.
	Violations []Violation `json:"violations"`
}

// Plan schedules orders with approach a. sig is needed only by
// Opportunistic (SpreadBps) and VolatilityAdaptive (Vol). Errors wrap
// ErrInvalid for bad input. When a limit cannot be met within MaxDays, Plan
// returns the schedule together with a *ConstraintError naming every
// breach.
func Plan(orders []Order, a Approach, sig *Signals, s *Settings) (*Schedule, error) {
	set, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(orders) == 0 {
		return nil, errorf("plan: no orders")
	}
	seen := make(map[string]bool, len(orders))
	for _, o := range orders {
		if o.Instrument == "" {
			return nil, errorf("plan: order without an instrument name")
		}
		if seen[o.Instrument] {
			return nil, errorf("plan: instrument %q appears twice", o.Instrument)
		}
		seen[o.Instrument] = true
		if !(o.NotionalUSD > 0) || math.IsInf(o.NotionalUSD, 0) {
			return nil, errorf("plan: %s: notional %g, want > 0", o.Instrument, o.NotionalUSD)
		}
		if err := o.Liquidity.validate(o.Instrument); err != nil {
			return nil, err
		}
	}
	if set.HorizonDays > set.MaxDays {
		return nil, &ConstraintError{Approach: a, Violations: []Violation{{
			Constraint: Horizon, Instrument: "programme", Day: set.HorizonDays,
			Value: float64(set.HorizonDays), Limit: float64(set.MaxDays)}}}
	}
	switch a {
	case Immediate, Phased, Optimal:
	case Opportunistic:
		if err := checkSignal(orders, sig, func(s *Signals) map[string][]float64 { return s.SpreadBps }, "SpreadBps", set.MaxDays); err != nil {
			return nil, err
		}
	case VolatilityAdaptive:
		if err := checkSignal(orders, sig, func(s *Signals) map[string][]float64 { return s.Vol }, "Vol", set.MaxDays); err != nil {
			return nil, err
		}
	default:
		return nil, errorf("plan: unknown approach %q", a)
	}

	ranked := rank(orders, set)
	sch := &Schedule{Approach: a}
	buf := make([]float64, set.MaxDays)
	for _, o := range ranked {
		trades, spreads, vols, viol := tradesFor(o, a, sig, set, buf)
		sch.Violations = append(sch.Violations, viol...)
		tot := addRows(sch, o, trades, spreads, vols, set)
		sch.ByInstrument = append(sch.ByInstrument, tot)
	}
	sort.SliceStable(sch.Rows, func(i, j int) bool { return sch.Rows[i].Day < sch.Rows[j].Day })
	sch.Total = programmeTotals(sch.ByInstrument)
	sch.Roadmap = roadmap(ranked, sch.ByInstrument, set)
	if len(sch.Violations) > 0 {
		return sch, &ConstraintError{Approach: a, Violations: sch.Violations}
	}
	return sch, nil
}

func checkSignal(orders []Order, sig *Signals, get func(*Signals) map[string][]float64, name string, days int) error {
	if sig == nil || get(sig) == nil {
		return errorf("plan: the approach needs Signals.%s", name)
	}
	for _, o := range orders {
		p := get(sig)[o.Instrument]
		if len(p) < days {
			return errorf("plan: Signals.%s[%q] has %d days, want %d", name, o.Instrument, len(p), days)
		}
		for d, v := range p[:days] {
			if !(v > 0) || math.IsInf(v, 0) {
				return errorf("plan: Signals.%s[%q] day %d = %g, want > 0", name, o.Instrument, d+1, v)
			}
		}
	}
	return nil
}

// dailyCap is the largest notional a day may trade within the participation
// and impact limits.
func dailyCap(l Liquidity, set Settings) float64 {
	p := set.MaxParticipation
	if ipa := l.impactPerADV(); ipa > 0 {
		p = math.Min(p, set.MaxImpactBps/ipa)
	}
	return p * l.ADVUSD
}

// daysAtLimit is the fewest days an order needs within the daily cap.
func daysAtLimit(o Order, set Settings) int {
	return int(math.Ceil(o.NotionalUSD/dailyCap(o.Liquidity, set)*(1-1e-12) - 1e-12))
}

type ranked struct {
	Order
	days int
}

// rank sorts orders for the roadmap: fewest days at the limits first, then
// the tighter bid-ask, then the name.
func rank(orders []Order, set Settings) []ranked {
	r := make([]ranked, len(orders))
	for i, o := range orders {
		r[i] = ranked{Order: o, days: max(1, daysAtLimit(o, set))}
	}
	sort.SliceStable(r, func(i, j int) bool {
		a, b := r[i], r[j]
		if a.days != b.days {
			return a.days < b.days
		}
		if a.Liquidity.BidAskBps != b.Liquidity.BidAskBps {
			return a.Liquidity.BidAskBps < b.Liquidity.BidAskBps
		}
		return a.Instrument < b.Instrument
	})
	return r
}

const feasTol = 1e-9

// tradesFor returns the order's daily trades (a fresh slice), the spread of
// each day, the relative vol of each day (nil when constant) and the
// breaches.
func tradesFor(o ranked, a Approach, sig *Signals, set Settings, buf []float64) (trades, spreads, vols []float64, viol []Violation) {
	l := o.Liquidity
	capUSD := dailyCap(l, set)
	switch a {
	case Immediate:
		trades = []float64{o.NotionalUSD}
	case Phased:
		pd := set.PhaseDays
		for pd < set.MaxDays/Phases && o.NotionalUSD/float64(Phases*pd) > capUSD*(1+feasTol) {
			pd++
		}
		trades = make([]float64, Phases*pd)
		for i := range trades {
			trades[i] = o.NotionalUSD / float64(len(trades))
		}
	case Optimal:
		trades = optimalTrades(o, set, buf)
	case Opportunistic, VolatilityAdaptive:
		horizon := set.HorizonDays
		if horizon == 0 {
			horizon = len(optimalTrades(o, set, buf))
		}
		var w []float64
		if a == Opportunistic {
			spreads = sig.SpreadBps[o.Instrument][:set.MaxDays]
			w = make([]float64, set.MaxDays)
			for d, s := range spreads {
				w[d] = clamp(l.BidAskBps/s, 0.5, 2)
			}
		} else {
			vols = sig.Vol[o.Instrument][:set.MaxDays]
			w = make([]float64, set.MaxDays)
			for d, v := range vols {
				w[d] = clamp(1/v, 0.5, 2)
			}
		}
		trades = weighted(o.NotionalUSD, horizon, capUSD, w)
	}
	if spreads == nil {
		spreads = make([]float64, len(trades))
		for i := range spreads {
			spreads[i] = l.BidAskBps
		}
	}
	viol = check(o, trades, set)
	return trades, spreads[:len(trades)], vols, viol
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

// weighted is the rule of Opportunistic and VolatilityAdaptive: on day d
// with R left and D the planned horizon, trade min(R, cap, w_d R/(D-d+1))
// while d < D, then min(R, cap) each day to the end, and on the last
// allowed day (len(w)) whatever is left.
func weighted(x float64, horizon int, capUSD float64, w []float64) []float64 {
	var trades []float64
	rem := x
	for d := 1; d <= len(w) && rem > x*1e-12; d++ {
		var q float64
		switch {
		case d == len(w):
			q = rem
		case d < horizon:
			q = math.Min(rem, math.Min(capUSD, w[d-1]*rem/float64(horizon-d+1)))
		default:
			q = math.Min(rem, capUSD)
		}
		trades = append(trades, q)
		rem -= q
	}
	return trades
}

// optimalTrades picks the Almgren-Chriss horizon N by the rule of the
// package documentation: the fewest days (from HorizonDays, or 1) that the
// limits allow whose objective E + λV is within HorizonTolerance of the best
// over all allowed N up to MaxDays; with HorizonDays set, the first allowed
// N from there. When no N up to MaxDays is allowed it returns the even
// schedule over MaxDays, which breaks the limits least.
func optimalTrades(o ranked, set Settings, buf []float64) []float64 {
	capUSD := dailyCap(o.Liquidity, set)
	lo := max(1, set.HorizonDays, o.days)
	if lo > set.MaxDays {
		tr := make([]float64, set.MaxDays)
		for i := range tr {
			tr[i] = o.NotionalUSD / float64(set.MaxDays)
		}
		return tr
	}
	if set.HorizonDays > 0 {
		tr, _, _ := cappedOptimal(o.Liquidity, o.NotionalUSD, lo, capUSD, set.RiskAversion, nil)
		return tr
	}
	objective := make([]float64, set.MaxDays+1)
	best := math.Inf(1)
	for n := lo; n <= set.MaxDays; n++ {
		_, e, v := cappedOptimal(o.Liquidity, o.NotionalUSD, n, capUSD, set.RiskAversion, buf)
		objective[n] = e + set.RiskAversion*v
		best = math.Min(best, objective[n])
	}
	n := set.MaxDays
	for k := lo; k <= set.MaxDays; k++ {
		if objective[k] <= best+set.HorizonTolerance*math.Abs(best) {
			n = k
			break
		}
	}
	tr, _, _ := cappedOptimal(o.Liquidity, o.NotionalUSD, n, capUSD, set.RiskAversion, nil)
	return tr
}

// cappedOptimal is the Almgren-Chriss trade list over days days with no day
// above capUSD (which must allow x in days days): the first m days trade at
// the cap and the rest follow the optimal trajectory of the remainder over
// the remaining days, m the smallest for which that trajectory's first trade
// is within the cap. The optimal trade list decreases day by day, so a cap
// binds on a prefix, and the remainder solves the same problem from x_m:
// this is the solution of the problem with the bound (the KKT conditions
// are checked in the tests). It returns the trade list (in dst) with its
// expected cost and variance over the whole horizon.
func cappedOptimal(l Liquidity, x float64, days int, capUSD, lambda float64, dst []float64) ([]float64, float64, float64) {
	if cap(dst) < days {
		dst = make([]float64, days)
	}
	dst = dst[:days]
	m := 0
	for ; m < days; m++ {
		rem := x - float64(m)*capUSD
		if rem <= capUSD*(1+feasTol) && m == days-1 {
			break
		}
		tail := dst[m:]
		if _, err := l.Model(rem, days-m, lambda).Trades(tail); err != nil || tail[0] <= capUSD*(1+feasTol) {
			break
		}
	}
	for i := 0; i < m; i++ {
		dst[i] = capUSD
	}
	if m == days-1 {
		dst[m] = x - float64(m)*capUSD
	}
	e, v, _ := l.Model(x, days, lambda).Cost(dst)
	return dst, e, v
}

// check lists the breaches of a trade list.
func check(o ranked, trades []float64, set Settings) []Violation {
	var v []Violation
	l := o.Liquidity
	for i, n := range trades {
		p := n / l.ADVUSD
		if p > set.MaxParticipation*(1+feasTol) {
			v = append(v, Violation{Participation, o.Instrument, i + 1, p, set.MaxParticipation})
		}
		if imp := l.impactPerADV() * p; imp > set.MaxImpactBps*(1+feasTol) {
			v = append(v, Violation{Impact, o.Instrument, i + 1, imp, set.MaxImpactBps})
		}
	}
	if len(v) > 0 && o.days > set.MaxDays {
		v = append(v, Violation{Horizon, o.Instrument, len(trades), float64(o.days), float64(set.MaxDays)})
	}
	return v
}

// addRows appends an order's rows and returns its totals. Day cost:
// ε_d n_d + η n_d² + γ n_d (X - x_{d-1}), which sums to the Almgren-Chriss
// E; variance σ² Σ v_d² x_d².
func addRows(sch *Schedule, o ranked, trades, spreads, vols []float64, set Settings) Totals {
	l := o.Liquidity
	m := l.Model(o.NotionalUSD, len(trades), set.RiskAversion)
	tot := Totals{Instrument: o.Instrument, NotionalUSD: o.NotionalUSD}
	done := 0.0
	for i, n := range trades {
		if n <= 0 {
			continue
		}
		eps := spreads[i] * 0.5e-4
		cost := eps*n + m.Eta*n*n + m.Gamma*n*done
		done += n
		rem := math.Max(0, o.NotionalUSD-done)
		s := m.Sigma
		if vols != nil {
			s *= vols[i]
		}
		tot.VarianceUSD2 += s * s * rem * rem
		clips := 0
		if l.DepthUSD > 0 {
			clips = int(math.Ceil(n/l.DepthUSD - 1e-12))
		}
		p := n / l.ADVUSD
		sch.Rows = append(sch.Rows, Row{
			Day: i + 1, Instrument: o.Instrument, Kind: o.Kind, NotionalUSD: n,
			Participation: p, ImpactBps: l.impactPerADV() * p, SpreadBps: spreads[i],
			Clips: clips, CostUSD: cost, CostBps: cost / n * 1e4,
		})
		if tot.FirstDay == 0 {
			tot.FirstDay = i + 1
		}
		tot.LastDay = i + 1
		tot.CostUSD += cost
	}
	tot.CostBps = tot.CostUSD / tot.NotionalUSD * 1e4
	tot.StdDevUSD = math.Sqrt(tot.VarianceUSD2)
	return tot
}

func programmeTotals(by []Totals) Totals {
	var t Totals
	for _, b := range by {
		t.NotionalUSD += b.NotionalUSD
		t.CostUSD += b.CostUSD
		t.VarianceUSD2 += b.VarianceUSD2
		if t.FirstDay == 0 || b.FirstDay < t.FirstDay {
			t.FirstDay = b.FirstDay
		}
		t.LastDay = max(t.LastDay, b.LastDay)
	}
	t.CostBps = t.CostUSD / t.NotionalUSD * 1e4
	t.StdDevUSD = math.Sqrt(t.VarianceUSD2)
	return t
}

func roadmap(r []ranked, by []Totals, set Settings) []Step {
	steps := make([]Step, len(r))
	for i, o := range r {
		tier := "illiquid"
		switch {
		case o.days <= 1:
			tier = "liquid"
		case o.days <= set.PhaseDays:
			tier = "moderate"
		}
		steps[i] = Step{
			Rank: i + 1, Instrument: o.Instrument, Kind: o.Kind, Tier: tier, DaysAtLimit: o.days,
			FirstDay: by[i].FirstDay, LastDay: by[i].LastDay, NotionalUSD: o.NotionalUSD,
			CostUSD: by[i].CostUSD, CostBps: by[i].CostBps,
		}
	}
	return steps
}
