package sim

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/pricing/scenario"
	"gonum.org/v1/gonum/stat"
)

func hedgeIndex(t testing.TB, m *Model, id string) int {
	t.Helper()
	for i, h := range m.Hedges() {
		if h.ID == id {
			return i
		}
	}
	t.Fatalf("no hedge %q", id)
	return -1
}

func TestHedgeCatalogue(t *testing.T) {
	m := sampleModel(t, Config{Paths: 10})
	seen := map[string]bool{}
	kinds := map[HedgeKind]int{}
	for _, h := range m.Hedges() {
		if seen[h.ID] {
			t.Errorf("duplicate hedge id %s", h.ID)
		}
		seen[h.ID] = true
		kinds[h.Kind]++
		if !(h.CostBps > 0) || math.IsNaN(h.Premium) {
			t.Errorf("%s: cost %v bp, premium %v", h.ID, h.CostBps, h.Premium)
		}
	}
	// Six foreign currencies x (forward, two puts, RR, seagull); swaps and
	// swaptions in USD, EUR, GBP; four credit indices; puts on seven
	// equity markets.
	want := map[HedgeKind]int{FXForward: 6, FXPut: 12, RiskReversal: 6, Seagull: 6, SwapReceiver: 24, SwapPayer: 24,
		SwaptionReceiver: 27, SwaptionPayer: 9, CDSIndex: 4, EquityPut: 14,
		FRAPayer: 6, FRAReceiver: 6, BondFuture: 3, XCCYSwap: 2, TrancheProtection: 2, SingleNameCDS: MaxSingleNames}
	for k, n := range want {
		if kinds[k] != n {
			t.Errorf("%d %s hedges, want %d", kinds[k], k, n)
		}
	}
}

// Put-call parity of the Garman-Kohlhagen prices (Hull, Options, Futures
// and Other Derivatives, 10th ed., eq. 17.3 with the foreign rate as
// yield): c - p = S e^{-rf T} - K e^{-rd T}, to rounding.
func TestGKParity(t *testing.T) {
	for _, c := range []struct{ s, k, t, rd, rf, v float64 }{{1, 0.95, 1, 0.04, 0.02, 0.08}, {1.3, 1.4, 0.5, 0.01, 0.05, 0.2}} {
		lhs := gkCall(c.s, c.k, c.t, c.rd, c.rf, c.v) - gkPut(c.s, c.k, c.t, c.rd, c.rf, c.v)
		rhs := c.s*math.Exp(-c.rf*c.t) - c.k*math.Exp(-c.rd*c.t)
		if math.Abs(lhs-rhs) > 1e-14 {
			t.Errorf("%+v: c-p = %v, forward = %v", c, lhs, rhs)
		}
	}
	// Deltas against a central finite difference of the price in spot.
	const eps = 1e-6
	for _, call := range []bool{false, true} {
		k, rd, rf, v := 0.97, 0.04, 0.025, 0.09
		price := gkPut
		if call {
			price = gkCall
		}
		fd := (price(1+eps, k, 1, rd, rf, v) - price(1-eps, k, 1, rd, rf, v)) / (2 * eps)
		if d := gkDelta(k, rd, rf, v, call); math.Abs(d-fd) > 1e-8 {
			t.Errorf("call=%v: delta %v, finite difference %v", call, d, fd)
		}
	}
	// Bachelier payer - receiver = F - K (per unit annuity).
	if d := bachelier(0.04, 0.035, 0.01, 2, false) - bachelier(0.04, 0.035, 0.01, 2, true) - 0.005; math.Abs(d) > 1e-15 {
		t.Errorf("Bachelier parity off by %g", d)
	}
}

// The FX forward's P&L is exactly forward - FX/FX0 on every path, and an
// equity put's payoff is never negative before its premium.
func TestHedgePnLIdentities(t *testing.T) {
	m := sampleModel(t, Config{Paths: 300, HedgePaths: 300})
	s := m.NewSim()
	fwd := hedgeIndex(t, m, "fx_forward_EUR")
	put := hedgeIndex(t, m, "equity_put_USD_90")
	h := m.Hedges()
	eurFX := m.fxOf[market.EUR]
	last := m.hzStep[m.hedgeHorizon()]
	var rel []float64
	s.trace = func(p, st int, _ scenario.Regime) {
		if st == last {
			rel = append(rel, math.Exp(s.x[eurFX]))
		}
	}
	var r Result
	if err := s.Simulate(midScenario, 1, &r); err != nil {
		t.Fatal(err)
	}
	for p := range r.HedgePaths {
		got := r.HedgePnL[p*r.Hedges+fwd]
		// Net of carry: the unshocked path ends at rel = 1.
		if want := (h[fwd].fwd - rel[p]) - (h[fwd].fwd - 1); math.Abs(got-want) > 1e-12 {
			t.Fatalf("path %d: forward P&L %v, want %v", p, got, want)
		}
		if v := r.HedgePnL[p*r.Hedges+put] + h[put].Premium; v < -1e-15 {
			t.Fatalf("path %d: put payoff %v < 0", p, v)
		}
	}
}

// With every vol at zero and the dynamics off, a receiver swap's one-year
// value is its roll-down on the unchanged curve plus carry, computed here
// directly from the curve: PV of the remaining fixed leg at par rate K,
// plus the final redemption, less the floating leg at par. That is the
// carry the hedge's P&L is measured net of: checked against the model's
// carry and the P&L, which must then be zero.
func TestSwapRollDownOnUnchangedCurve(t *testing.T) {
	p, mk := sample(t)
	m, err := NewModel(p, mk, Config{Paths: 2, HedgePaths: 2, Dynamics: quiet})
	if err != nil {
		t.Fatal(err)
	}
	var r Result
	if err := m.NewSim().Simulate(scenario.Params{Regime: scenario.Normal}, 1, &r); err != nil {
		t.Fatal(err)
	}
	z := mk.Curves[market.USD]
	df := func(t float64) float64 { return math.Exp(-z.Rate(t) * t) }
	for _, ten := range []float64{2, 10, 30} {
		i := hedgeIndex(t, m, fmt.Sprintf("swap_receiver_USD_%gy", ten))
		h := m.Hedges()[i]
		rem := ten - 1
		want := -1 + df(rem)
		for k := 1; 0.5*float64(k) <= rem+1e-9; k++ {
			want += 0.5 * h.fwd * df(0.5*float64(k))
		}
		want += h.carry
		s := m.NewSim()
		s.carry = make([]float64, len(m.Hedges()))
		st := m.hzStep[m.hedgeHorizon()]
		s.valueHedges(scenario.Params{}, st, 1, s.carry)
		if got := s.carry[i]; math.Abs(got-want) > 1e-12 {
			t.Errorf("%gy receiver: unshocked value %v, direct %v", ten, got, want)
		}
		if got := r.HedgePnL[i]; math.Abs(got) > 1e-12 {
			t.Errorf("%gy receiver: P&L net of carry on the unshocked path %v, want 0", ten, got)
		}
	}
}

// Hedges hedge: the minimum-variance combination of the USD, EUR and GBP
// 20-year receiver swaps removes a large part of the one-year surplus
// variance that rates create in a rates-only world (other vols zero).
func TestReceiverSwapsHedgeLiabilityRates(t *testing.T) {
	m := sampleModel(t, Config{Paths: 2000, HedgePaths: 2000, Dynamics: quiet})
	sp := scenario.Params{Index: 4, IRVol: 0.012, ShortRateMult: 1, Regime: scenario.Normal}
	var r Result
	if err := m.NewSim().Simulate(sp, 9, &r); err != nil {
		t.Fatal(err)
	}
	h := m.hedgeHorizon()
	P := r.Paths
	surplus := make([]float64, r.HedgePaths)
	for p := range surplus {
		surplus[p] = r.Assets[h*P+p] - r.Liabilities[h*P+p]
	}
	// One regressor: the sum of the three 20y receivers weighted by each
	// currency's liability share is close enough to a single factor; use
	// ordinary least squares on the USD one to show the mechanism.
	i := hedgeIndex(t, m, "swap_receiver_USD_20y")
	x := make([]float64, r.HedgePaths)
	for p := range x {
		x[p] = r.HedgePnL[p*r.Hedges+i]
	}
	rho := stat.Correlation(surplus, x, nil)
	if rho > -0.5 {
		t.Errorf("surplus and the USD 20y receiver correlate %.2f: the receiver should gain when the surplus falls on rates (want < -0.5)", rho)
	}
}

// A programme carried on the paths adds, at the hedge horizon, exactly its
// notionals times the hedges' P&L that the optimiser saw, and leaves the
// liabilities alone; between horizons it changes the drawdowns.
func TestProgrammeOnPaths(t *testing.T) {
	m := sampleModel(t, Config{Paths: 40, HedgePaths: 40})
	var plain, hedged Result
	s := m.NewSim()
	if err := s.Simulate(midScenario, 3, &plain); err != nil {
		t.Fatal(err)
	}
	x := make([]float64, len(m.Hedges()))
	x[hedgeIndex(t, m, "fx_forward_EUR")] = -1e9
	x[hedgeIndex(t, m, "swap_receiver_USD_30y")] = 5e9
	x[hedgeIndex(t, m, "equity_put_USD_90")] = 1e9
	x[hedgeIndex(t, m, "swaption_receiver_USD_5yx10y")] = 2e9
	// Hedges on the other curves: a programme values only the curves its
	// hedges discount on (a cross-currency swap on both of its own).
	x[hedgeIndex(t, m, "swap_receiver_EUR_20y")] = 2e9
	x[hedgeIndex(t, m, "xccy_swap_GBPUSD_5y")] = 1e9
	if err := s.SetProgramme(x); err != nil {
		t.Fatal(err)
	}
	if err := s.Simulate(midScenario, 3, &hedged); err != nil {
		t.Fatal(err)
	}
	h := m.hedgeHorizon()
	P := plain.Paths
	ddDiffers := false
	for p := range P {
		i := h*P + p
		want := 0.0
		for j, xj := range x {
			want += xj * plain.HedgePnL[p*plain.Hedges+j]
		}
		if got := hedged.Assets[i] - plain.Assets[i]; math.Abs(got-want) > 1e-6*math.Abs(want)+1 {
			t.Fatalf("path %d: programme adds %v at the horizon, optimiser saw %v", p, got, want)
		}
		if hedged.Liabilities[i] != plain.Liabilities[i] {
			t.Fatalf("path %d: liabilities changed", p)
		}
		ddDiffers = ddDiffers || hedged.MaxDrawdown[i] != plain.MaxDrawdown[i]
	}
	if !ddDiffers {
		t.Error("the programme changed no drawdown")
	}
	if err := s.SetProgramme(x[:3]); err == nil {
		t.Error("a programme of the wrong length was accepted")
	}
}

// With every vol at zero and the dynamics off, every linear hedge's P&L is
// zero: its whole unshocked-path value is carry, which is removed.
func TestLinearHedgesZeroOnUnshockedPath(t *testing.T) {
	p, mk := sample(t)
	m, err := NewModel(p, mk, Config{Paths: 2, HedgePaths: 2, Dynamics: quiet})
	if err != nil {
		t.Fatal(err)
	}
	var r Result
	if err := m.NewSim().Simulate(scenario.Params{Regime: scenario.Normal}, 1, &r); err != nil {
		t.Fatal(err)
	}
	for j, h := range m.Hedges() {
		if h.linear && math.Abs(r.HedgePnL[j]) > 1e-12 {
			t.Errorf("%s: P&L %v on the unshocked path", h.ID, r.HedgePnL[j])
		}
	}
}

// A cross-currency swap receiving USD hedges FX like a forward: their P&L
// correlate strongly across paths; a receiver FRA and a payer FRA are exact
// opposites; a bond future gains when its currency's rates fall, like a
// receiver swap.
func TestNewHedgesBehave(t *testing.T) {
	m := sampleModel(t, Config{Paths: 400, HedgePaths: 400})
	var r Result
	if err := m.NewSim().Simulate(midScenario, 5, &r); err != nil {
		t.Fatal(err)
	}
	col := func(id string) []float64 {
		j := hedgeIndex(t, m, id)
		out := make([]float64, r.HedgePaths)
		for p := range out {
			out[p] = r.HedgePnL[p*r.Hedges+j]
		}
		return out
	}
	if c := stat.Correlation(col("xccy_swap_EURUSD_5y"), col("fx_forward_EUR"), nil); c < 0.9 {
		t.Errorf("xccy and forward correlate %.3f, want > 0.9", c)
	}
	pay, rec := col("fra_payer_USD_2y"), col("fra_receiver_USD_2y")
	for p := range pay {
		if math.Abs(pay[p]+rec[p]) > 1e-15 {
			t.Fatalf("path %d: FRA payer %v, receiver %v", p, pay[p], rec[p])
		}
	}
	if c := stat.Correlation(col("bond_future_USD_10y"), col("swap_receiver_USD_10y"), nil); c < 0.9 {
		t.Errorf("bond future and 10y receiver correlate %.3f, want > 0.9", c)
	}
	if c := stat.Correlation(col("tranche_protection_CDX_IG_mezzanine"), col("cds_index_CDX_IG"), nil); c < 0.5 {
		t.Errorf("mezzanine protection and index protection correlate %.3f, want > 0.5", c)
	}
}

// BenchmarkCarry: one scenario's 50 hedge paths with the sample fund's
// recommended programme (12 lines: FX forwards, puts and a risk reversal,
// USD, EUR and GBP swaps) carried on them, as agents.CarryOnPaths does.
func BenchmarkCarry(b *testing.B) {
	m := sampleModel(b, Config{Paths: 50, HedgePaths: 50})
	x := make([]float64, len(m.Hedges()))
	for id, v := range map[string]float64{
		"fx_forward_EUR": -1.43e9, "fx_put_EUR_90": 7.16e9, "fx_forward_GBP": -2.99e9, "fx_forward_JPY": 0.63e9,
		"risk_reversal_CHF_95_105": 1.09e9, "fx_forward_AUD": 0.25e9, "fx_forward_CAD": 0.22e9, "fx_put_CAD_90": 4e9,
		"swap_receiver_USD_30y": 2.2e9, "swap_payer_EUR_10y": 5.61e9, "swap_receiver_EUR_30y": 5.68e9, "swap_receiver_GBP_30y": 7.1e9,
	} {
		x[hedgeIndex(b, m, id)] = v
	}
	// The fund's values on these paths, as the run's workers keep them.
	var run Result
	if err := m.NewSim().Simulate(midScenario, 42, &run); err != nil {
		b.Fatal(err)
	}
	for _, kept := range []bool{false, true} {
		b.Run(fmt.Sprintf("kept-fund-values=%v", kept), func(b *testing.B) {
			s := m.NewSim()
			s.SkipHedgePnL()
			if err := s.SetProgramme(x); err != nil {
				b.Fatal(err)
			}
			if kept {
				s.SetFundSteps(run.FundSteps)
			}
			var r Result
			b.ReportAllocs()
			for b.Loop() {
				if err := s.Simulate(midScenario, 42, &r); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(m.Paths()*len(m.steps)), "ns/path-step")
		})
	}
}

// fxOptionsValue, which shares the legs' logarithm, discount factors and
// vol, is the sum of its legs priced one by one (gkPut, gkCall) to 1e-13
// of the notional, for every FX option structure of the sample fund, over
// spots, times, vols and rates; and at expiry, or with no vol, their
// intrinsic values.
func TestFXOptionsValueIsItsLegs(t *testing.T) {
	m := sampleModel(t, Config{})
	n := 0
	for i := range m.hedges {
		h := &m.hedges[i]
		if h.Kind != FXPut && h.Kind != RiskReversal && h.Kind != Seagull {
			continue
		}
		n++
		f := h.fwd
		for _, rel := range []float64{0.6, 0.9, 0.97, 1, 1.04, 1.3, 2} {
			for _, tt := range []float64{0, 0.25, 0.9, 1} {
				for _, vol := range []float64{0, 0.05, 0.12, 0.35} {
					rd, rf := 0.043, 0.021
					tau := h.expiry - tt
					put := func(k float64) float64 {
						if tau <= 1e-9 {
							return math.Max(k*f-rel, 0)
						}
						return gkPut(rel, k*f, tau, rd, rf, vol)
					}
					call := func(k float64) float64 {
						if tau <= 1e-9 {
							return math.Max(rel-k*f, 0)
						}
						return gkCall(rel, k*f, tau, rd, rf, vol)
					}
					var want float64
					switch h.Kind {
					case FXPut:
						want = put(h.strike[0])
					case RiskReversal:
						want = put(h.strike[0]) - call(h.strike[1])
					case Seagull:
						want = put(h.strike[0]) - put(h.strike[1]) - call(h.strike[2])
					}
					if got := fxOptionsValue(h, rel, tt, vol, rd, rf); math.Abs(got-want) > 1e-13 {
						t.Fatalf("%s rel %v t %v vol %v: %.17g, legs %.17g", h.ID, rel, tt, vol, got, want)
					}
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("the sample fund has no FX option hedges")
	}
}

// A carried programme's swaps are valued at weekly steps by their Taylor
// expansion (Model.swapTaylor), as the fund's bonds and liabilities are,
// and exactly at the horizons. On 300 paths of the harshest rate scenario
// the generator draws (IR normal vol 180 bp, short rates twice as
// volatile, crisis), it is within 5e-3 of the notional at worst and 5e-5
// RMS. Over twelve run seeds I measured 0.4e-3 to 2.6e-3 worst and 1.2e-5
// to 2.6e-5 RMS; the fund's own expansion, on the same paths, misses its
// liabilities by up to 1.4e-3 relative. With the coupons and the notional
// in one class the same paths gave up to 1.9e-2 and 1.8e-4.
// A third-order expansion of the logarithm leaves the fourth cumulant of
// the cash-flow times, of order (duration spread · rate move)^4 / 24.
func TestSwapTaylorOnPaths(t *testing.T) {
	m := sampleModel(t, Config{Paths: 300, HedgePaths: 300})
	ids := []string{"swap_receiver_USD_30y", "swap_payer_EUR_10y", "swap_receiver_EUR_30y", "swap_receiver_GBP_30y", "swap_payer_USD_2y"}
	x := make([]float64, len(m.hedges))
	var only []int
	for _, id := range ids {
		j := hedgeIndex(t, m, id)
		if m.swapTaylor(j) == nil {
			t.Fatalf("%s has no expansion", id)
		}
		only = append(only, j)
		x[j] = 1
	}
	harsh := scenario.Params{Index: 3, FXVol: 0.2, IRVol: 0.018, ShortRateMult: 2, CreditVol: 0.5, EquityVol: 0.3, Regime: scenario.Crisis}
	carrier := m.NewSim() // values the programme on the paths of s
	if err := carrier.SetProgramme(x); err != nil {
		t.Fatal(err)
	}
	s := m.NewSim()
	worst, sq, n := 0.0, 0.0, 0
	s.trace = func(p, st int, _ scenario.Regime) {
		if slices.Contains(m.hzStep, st) {
			return
		}
		tt := float64(m.steps[st]) / DaysPerYear
		copy(carrier.x, s.x)
		carrier.h = s.h
		carrier.valueProgramme(harsh, st, tt, true)
		exact := slices.Clone(carrier.progVal)
		carrier.valueProgramme(harsh, st, tt, false)
		for _, j := range only {
			d := carrier.progVal[j] - exact[j]
			worst = math.Max(worst, math.Abs(d))
			sq += d * d
			n++
		}
	}
	var r Result
	if err := s.Simulate(harsh, 11, &r); err != nil {
		t.Fatal(err)
	}
	rms := math.Sqrt(sq / float64(n))
	t.Logf("%d swap values: largest difference %.2g of notional, RMS %.2g", n, worst, rms)
	if n == 0 || worst > 5e-3 || rms > 5e-5 {
		t.Errorf("Taylor swaps differ from exact by up to %.3g of notional, RMS %.3g, over %d values; want <= 5e-3 and 5e-5", worst, rms, n)
	}
}
