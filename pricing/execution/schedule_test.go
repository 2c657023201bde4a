package execution

import (
	"errors"
	"math/rand/v2"
	"testing"
)

func mustDefault(t testing.TB, k Kind, tenor float64) Liquidity {
	t.Helper()
	l, err := DefaultLiquidity(k, tenor)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func programme(t testing.TB) []Order {
	return []Order{
		{Instrument: "CDX.HY tranche 15-25", Kind: Tranche, NotionalUSD: 40e6, Liquidity: mustDefault(t, Tranche, 0)},
		{Instrument: "USD IRS 10y", Kind: IRS, NotionalUSD: 2e9, Liquidity: mustDefault(t, IRS, 10)},
		{Instrument: "EURUSD 3m fwd", Kind: FXForwardG10, NotionalUSD: 1.5e9, Liquidity: mustDefault(t, FXForwardG10, 0)},
		{Instrument: "CDX.IG 5y", Kind: CDSIndexIG, NotionalUSD: 500e6, Liquidity: mustDefault(t, CDSIndexIG, 0)},
	}
}

// checkSchedule verifies what every schedule must satisfy: each order is
// traded in full, rows are sorted by day, and the totals are the sums of
// the rows.
func checkSchedule(t *testing.T, orders []Order, s *Schedule) {
	t.Helper()
	by := map[string]float64{}
	cost := map[string]float64{}
	for i, r := range s.Rows {
		if i > 0 && r.Day < s.Rows[i-1].Day {
			t.Fatalf("rows not sorted by day at %d", i)
		}
		by[r.Instrument] += r.NotionalUSD
		cost[r.Instrument] += r.CostUSD
		if !near(r.CostBps, r.CostUSD/r.NotionalUSD*1e4, 1e-12) {
			t.Errorf("row %d: CostBps %v inconsistent", i, r.CostBps)
		}
	}
	var total float64
	for _, o := range orders {
		if !near(by[o.Instrument], o.NotionalUSD, 1e-9) {
			t.Errorf("%s: traded %v of %v", o.Instrument, by[o.Instrument], o.NotionalUSD)
		}
		total += cost[o.Instrument]
	}
	for _, b := range s.ByInstrument {
		if !near(b.CostUSD, cost[b.Instrument], 1e-9) {
			t.Errorf("%s: totals %v, rows %v", b.Instrument, b.CostUSD, cost[b.Instrument])
		}
	}
	if !near(s.Total.CostUSD, total, 1e-9) {
		t.Errorf("programme cost %v, rows %v", s.Total.CostUSD, total)
	}
}

func TestImmediateFlagsLimits(t *testing.T) {
	orders := programme(t)
	s, err := Plan(orders, Immediate, nil, nil)
	var ce *ConstraintError
	if !errors.As(err, &ce) || !errors.Is(err, ErrConstraint) {
		t.Fatalf("err = %v, want *ConstraintError", err)
	}
	if s == nil {
		t.Fatal("schedule not returned with the constraint error")
	}
	checkSchedule(t, orders, s)
	if !ce.Has(Participation) || !ce.Has(Impact) || ce.Has(Horizon) {
		t.Errorf("violations %v, want participation and impact only", ce.Violations)
	}
	// The tranche is 80% of its ADV in one day.
	found := false
	for _, v := range ce.Violations {
		if v.Instrument == "CDX.HY tranche 15-25" && v.Constraint == Participation {
			found = near(v.Value, 0.8, 1e-12)
		}
	}
	if !found {
		t.Errorf("no tranche participation 80%% in %v", ce.Violations)
	}
}

// TestOptimalMeetsLimits: the Almgren-Chriss plan stretches each order
// until every day is within 15% of ADV and 5 bp of impact, and the rows'
// cost adds up to the model's expected cost.
func TestOptimalMeetsLimits(t *testing.T) {
	orders := programme(t)
	s, err := Plan(orders, Optimal, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkSchedule(t, orders, s)
	for _, r := range s.Rows {
		if r.Participation > DefaultMaxParticipation*(1+1e-9) || r.ImpactBps > DefaultMaxImpactBps*(1+1e-9) {
			t.Errorf("%s day %d: participation %v impact %v", r.Instrument, r.Day, r.Participation, r.ImpactBps)
		}
	}
	for _, b := range s.ByInstrument {
		var o Order
		for _, x := range orders {
			if x.Instrument == b.Instrument {
				o = x
			}
		}
		m := o.Liquidity.Model(o.NotionalUSD, b.LastDay, DefaultRiskAversion)
		tr, e, v, _ := m.Optimal(nil)
		if len(tr) != b.LastDay || !near(b.CostUSD, e, 1e-9) || !near(b.VarianceUSD2, v, 1e-9) {
			t.Errorf("%s: cost %v var %v, model E %v V %v", b.Instrument, b.CostUSD, b.VarianceUSD2, e, v)
		}
	}
	// Roadmap: FX forward (liquid) first, tranche (illiquid) last.
	if s.Roadmap[0].Instrument != "EURUSD 3m fwd" || s.Roadmap[0].Tier != "liquid" ||
		s.Roadmap[3].Instrument != "CDX.HY tranche 15-25" {
		t.Errorf("roadmap %+v", s.Roadmap)
	}
}

// TestOptimalHorizonRule: the horizon is the fewest days within 1% of the
// best objective; a longer horizon does no better than that.
func TestOptimalHorizonRule(t *testing.T) {
	o := programme(t)[1] // IRS 10y
	o.NotionalUSD = 15e9 // 4 days at the 5 bp limit
	s, err := Plan([]Order{o}, Optimal, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := s.Total.LastDay
	obj := func(days int) float64 {
		_, e, v, _ := o.Liquidity.Model(o.NotionalUSD, days, DefaultRiskAversion).Optimal(nil)
		return e + DefaultRiskAversion*v
	}
	best := obj(DefaultMaxDays)
	minDays := daysAtLimit(o, Settings{MaxParticipation: DefaultMaxParticipation, MaxImpactBps: DefaultMaxImpactBps})
	if minDays < 2 {
		t.Fatalf("test order needs %d days, want several", minDays)
	}
	if n < minDays || obj(n) > best*1.01 || (n > minDays && obj(n-1) <= best*1.01) {
		t.Errorf("horizon %d (limits need %d): objective %v, %d days %v, best %v", n, minDays, obj(n), n-1, obj(n-1), best)
	}
}

func TestPhased(t *testing.T) {
	orders := programme(t)[1:] // without the tranche
	s, err := Plan(orders, Phased, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkSchedule(t, orders, s)
	for _, r := range s.Rows {
		var x float64
		for _, o := range orders {
			if o.Instrument == r.Instrument {
				x = o.NotionalUSD
			}
		}
		if !near(r.NotionalUSD, x/25, 1e-12) {
			t.Errorf("%s day %d: %v, want a 25th of %v", r.Instrument, r.Day, r.NotionalUSD, x)
		}
	}
	if s.Total.LastDay != 25 {
		t.Errorf("last day %d, want 25", s.Total.LastDay)
	}
}

// TestPhasedStretchedThenFlagged: a tranche order of 30% of ADV a day over
// 25 days is stretched to phases of 6 days (30 days) and, needing 35 days
// within 5 bp of impact, flagged with the horizon named.
func TestPhasedStretchedThenFlagged(t *testing.T) {
	l := mustDefault(t, Tranche, 0)
	capUSD := dailyCap(l, Settings{MaxParticipation: .15, MaxImpactBps: 5})
	o := Order{Instrument: "tranche", Kind: Tranche, NotionalUSD: 26 * capUSD, Liquidity: l}
	s, err := Plan([]Order{o}, Phased, nil, nil)
	if err != nil || s.Total.LastDay != 30 {
		t.Fatalf("26 days of cap: err %v, last day %v, want stretched to 30 without error", err, s.Total.LastDay)
	}
	o.NotionalUSD = 35 * capUSD
	s, err = Plan([]Order{o}, Phased, nil, nil)
	var ce *ConstraintError
	if !errors.As(err, &ce) || !ce.Has(Horizon) || !ce.Has(Impact) || s.Total.LastDay != 30 {
		t.Fatalf("err = %v, last day %d", err, s.Total.LastDay)
	}
	for _, v := range ce.Violations {
		if v.Constraint == Horizon && (v.Value != 35 || v.Limit != 30) {
			t.Errorf("horizon violation %+v, want 35 days > 30", v)
		}
	}
}

func TestHorizonAboveLimit(t *testing.T) {
	_, err := Plan(programme(t), Optimal, nil, &Settings{HorizonDays: 40})
	var ce *ConstraintError
	if !errors.As(err, &ce) || !ce.Has(Horizon) {
		t.Fatalf("err = %v, want a horizon violation", err)
	}
}

// TestOpportunistic: with spreads alternating tight (half the quote) and
// wide (twice the quote), the rule trades twice the even rate on tight days
// and half on wide days, and pays less than the even schedule on the same
// spreads.
func TestOpportunistic(t *testing.T) {
	o := programme(t)[3] // CDX IG $500m
	o.NotionalUSD = 100e6
	days := DefaultMaxDays
	sp := make([]float64, days)
	for d := range sp {
		sp[d] = o.Liquidity.BidAskBps * 2
		if d%2 == 0 {
			sp[d] = o.Liquidity.BidAskBps / 2
		}
	}
	sig := &Signals{SpreadBps: map[string][]float64{o.Instrument: sp}}
	set := &Settings{HorizonDays: 10}
	s, err := Plan([]Order{o}, Opportunistic, sig, set)
	if err != nil {
		t.Fatal(err)
	}
	checkSchedule(t, []Order{o}, s)
	if r := s.Rows[0]; !near(r.NotionalUSD, 2*o.NotionalUSD/10, 1e-12) || r.SpreadBps != sp[0] {
		t.Errorf("day 1 (tight): %v at %v bp, want %v", r.NotionalUSD, r.SpreadBps, 2*o.NotionalUSD/10)
	}
	var tight, wide float64
	for _, r := range s.Rows {
		if r.SpreadBps < o.Liquidity.BidAskBps {
			tight += r.NotionalUSD
		} else {
			wide += r.NotionalUSD
		}
	}
	if tight <= wide {
		t.Errorf("tight-day notional %v <= wide-day %v", tight, wide)
	}
	// The even schedule over the same 10 days and spreads.
	m := o.Liquidity.Model(o.NotionalUSD, 10, DefaultRiskAversion)
	var even float64
	for d := 0; d < 10; d++ {
		n := o.NotionalUSD / 10
		even += sp[d]*0.5e-4*n + m.Eta*n*n + m.Gamma*n*float64(d)*n
	}
	if s.Total.CostUSD >= even {
		t.Errorf("opportunistic cost %v >= even %v", s.Total.CostUSD, even)
	}
}

func TestVolatilityAdaptive(t *testing.T) {
	o := programme(t)[1]
	v := make([]float64, DefaultMaxDays)
	for d := range v {
		v[d] = 1
	}
	v[0] = 2 // a stressed first day: trade half the even rate
	sig := &Signals{Vol: map[string][]float64{o.Instrument: v}}
	s, err := Plan([]Order{o}, VolatilityAdaptive, sig, &Settings{HorizonDays: 20})
	if err != nil {
		t.Fatal(err)
	}
	checkSchedule(t, []Order{o}, s)
	if !near(s.Rows[0].NotionalUSD, o.NotionalUSD/20/2, 1e-12) {
		t.Errorf("day 1: %v, want half of %v", s.Rows[0].NotionalUSD, o.NotionalUSD/20)
	}
	if s.Rows[1].NotionalUSD <= s.Rows[0].NotionalUSD {
		t.Errorf("day 2 %v not above stressed day 1 %v", s.Rows[1].NotionalUSD, s.Rows[0].NotionalUSD)
	}
}

// TestSignalsSeeded: the same seed gives the same path and the same plan.
func TestSignalsSeeded(t *testing.T) {
	o := programme(t)[3]
	path := func(seed uint64) []float64 {
		p, err := LogAR1{Level: o.Liquidity.BidAskBps}.Path(nil, DefaultMaxDays, rand.New(rand.NewPCG(seed, 1)))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, b, c := path(7), path(7), path(8)
	for d := range a {
		if a[d] != b[d] || !(a[d] > 0) {
			t.Fatalf("day %d: %v vs %v", d, a[d], b[d])
		}
	}
	if a[3] == c[3] {
		t.Error("different seeds, same path")
	}
	s1, err1 := Plan([]Order{o}, Opportunistic, &Signals{SpreadBps: map[string][]float64{o.Instrument: a}}, nil)
	s2, err2 := Plan([]Order{o}, Opportunistic, &Signals{SpreadBps: map[string][]float64{o.Instrument: b}}, nil)
	if err1 != nil || err2 != nil || s1.Total != s2.Total {
		t.Errorf("plans differ: %v %v %+v %+v", err1, err2, s1.Total, s2.Total)
	}
}

func TestPlanInvalid(t *testing.T) {
	good := programme(t)
	bad := func(f func(o []Order) []Order) []Order {
		o := append([]Order(nil), good...)
		return f(o)
	}
	cases := map[string]struct {
		orders []Order
		a      Approach
		sig    *Signals
		set    *Settings
	}{
		"empty":         {nil, Optimal, nil, nil},
		"zero notional": {bad(func(o []Order) []Order { o[0].NotionalUSD = 0; return o }), Optimal, nil, nil},
		"no ADV":        {bad(func(o []Order) []Order { o[0].Liquidity.ADVUSD = 0; return o }), Optimal, nil, nil},
		"duplicate":     {bad(func(o []Order) []Order { o[1].Instrument = o[0].Instrument; return o }), Optimal, nil, nil},
		"approach":      {good, "twap", nil, nil},
		"no spreads":    {good, Opportunistic, nil, nil},
		"short signal":  {good, VolatilityAdaptive, &Signals{Vol: map[string][]float64{}}, nil},
		"participation": {good, Optimal, nil, &Settings{MaxParticipation: 2}},
	}
	for name, c := range cases {
		if _, err := Plan(c.orders, c.a, c.sig, c.set); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
}

func TestDefaults(t *testing.T) {
	kinds := map[Kind]bool{}
	for _, d := range Defaults() {
		kinds[d.Kind] = true
		if err := d.Liquidity.validate(string(d.Kind)); err != nil || d.Basis == "" {
			t.Errorf("%s: %v, basis %q", d.Kind, err, d.Basis)
		}
	}
	for _, k := range []Kind{FXForwardG10, FXOption, IRS, Swaption, BondFuture, CDSIndexIG, CDSIndexHY, CDSSingleName, Tranche, EquityIndexOption} {
		if !kinds[k] {
			t.Errorf("no default for %s", k)
		}
	}
	l7, _ := DefaultLiquidity(IRS, 8)
	l10, _ := DefaultLiquidity(IRS, 10)
	if l7 != l10 {
		t.Error("IRS 8y does not take the nearest (10y) bucket")
	}
	if _, err := DefaultLiquidity("bitcoin", 0); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown kind: %v", err)
	}
	// Ordering of liquidity the table must keep: tranches and single names
	// are the least liquid, bond futures and FX forwards the most.
	fx, tr := mustDefault(t, FXForwardG10, 0), mustDefault(t, Tranche, 0)
	if !(fx.ADVUSD > 1000*tr.ADVUSD && fx.BidAskBps < tr.BidAskBps/10) {
		t.Errorf("FX %+v vs tranche %+v", fx, tr)
	}
}
