package sim

import (
	"fmt"
	"math"

	"github.com/hedgeflow/hedgeflow/pricing/approx"
	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/pricing/scenario"
)

// Result holds a scenario's path values at each horizon, laid out
// [horizon*Paths + path]. MaxDrawdown is the largest fall of the funded ratio
// from its running peak (as a fraction of the peak) up to the horizon.
type Result struct {
	Horizons, Paths int
	Assets          []float64 // USD
	Liabilities     []float64 // USD
	MaxDrawdown     []float64
	// HedgePnL holds, for the first HedgePaths paths, the P&L of every
	// candidate hedge per USD notional at the hedge horizon, laid out
	// [path*Hedges + hedge].
	HedgePaths, Hedges int
	HedgePnL           []float64
	// FundSteps holds, for the same paths, the fund's assets and
	// liabilities (USD, no programme) at every step, laid out
	// [(path*Steps + step)*2 + 0 for assets, 1 for liabilities]: what a
	// programme carried on these paths later needs of the fund
	// (Sim.SetFundSteps).
	Steps     int
	FundSteps []float64
}

// Reset sizes r for h horizons and p paths, reusing its storage.
func (r *Result) Reset(h, p int) {
	r.Horizons, r.Paths = h, p
	n := h * p
	r.Assets = resize(r.Assets, n)
	r.Liabilities = resize(r.Liabilities, n)
	r.MaxDrawdown = resize(r.MaxDrawdown, n)
}

func (r *Result) resetHedges(paths, hedges, steps int) {
	r.HedgePaths, r.Hedges, r.Steps = paths, hedges, steps
	r.HedgePnL = resize(r.HedgePnL, paths*hedges)
	r.FundSteps = resize(r.FundSteps, paths*steps*2)
}

func resize(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// Sim simulates scenarios of one Model. It holds scratch buffers, so each
// goroutine needs its own; create it with Model.NewSim.
type Sim struct {
	m      *Model
	e, z   []float64
	x      []float64 // factor values
	vol    []float64 // base vol of each factor
	kappa  []float64 // mean-reversion speed
	mu     []float64 // drift per year before the Itô term (equities)
	lnAlt  []float64
	eBuf   []float64
	segBuf []float64 // shockDF's exponents: two per knot segment
	vBuf   []float64 // per class, block after block: value (or Taylor exponent)
	// survive is, per class (block after block), the share of its value
	// that survives defaults: 1 - (1-recovery)·(its rating's default rate),
	// updated when that rate rises, 1 for classes without credit.
	survive []float64
	// Per credit class (block after block): half the scenario's variance
	// rate of its log-spread, (σ·amp)²/2.
	crHalfVar []float64
	lnBuf     []float64  // value's log-moves of equities, alternatives, currencies, then credit spread moves
	h         [4]float64 // GARCH variance multipliers by class
	drMax     [market.NumRating]float64
	yMax      [market.NumRating]float64 // the argument of Φ at drMax
	// trace, in tests, sees the factors after every step.
	trace func(path, step int, regime scenario.Regime)
	// Per rate block: shocked discount factors and their running sums at
	// the hedge horizon.
	hdf, hcum [][]float64
	carry     []float64 // per hedge: P&L on the unshocked path (linear hedges)
	// A programme carried on the paths (SetProgramme).
	prog      []int
	progX     []float64
	progVal   []float64
	progCarry []float64 // [step*len(prog)+k]
	progNeed  []float64 // per rate block: curveNeed of the programme
	// Per programme hedge and step: a swap's Taylor class (Model.swapTaylor),
	// nil for the others; and per rate block, curveNeed of those others.
	progTaylor     [][]poly
	progNeedWeekly []float64
	// The FX factors the programme's hedges read; scratch for their
	// exponentials with the expanded swaps'; and the swaps' values.
	progFX    []int
	progExp   []float64
	progSwapV []float64
	// noHedgePnL skips the candidate hedges' P&L (SkipHedgePnL).
	noHedgePnL bool
	// fund, when set (SetFundSteps), is the fund's values at every step
	// of every path, which Simulate then reads instead of valuing the fund.
	fund []float64
	rng  rng // the scenario's random stream, reseeded by Simulate
	// defSlope is the scenario's Model.defaultSlope at every step.
	defSlope []float64
}

// SetFundSteps gives the next Simulate the fund's assets and liabilities
// at every step of every path, laid out as Result.FundSteps, from an
// earlier simulation of the same scenario and paths: Simulate then moves
// the factors and values only the programme (SetProgramme) on them, and
// its results are the same to the last bit as valuing the fund again.
// nil goes back to valuing the fund.
func (s *Sim) SetFundSteps(v []float64) { s.fund = v }

// SkipHedgePnL makes Simulate leave Result.HedgePnL empty: a caller that
// only wants the fund's path values (a programme carried on the paths)
// does not pay for valuing every candidate hedge.
func (s *Sim) SkipHedgePnL() { s.noHedgePnL = true }

// NewSim returns a simulator with its own buffers.
func (m *Model) NewSim() *Sim {
	d := len(m.kinds)
	maxLive, maxSegs := 0, 0
	for _, bl := range m.blocks {
		for _, hd := range bl.hz {
			maxLive = max(maxLive, len(hd.tau))
			maxSegs = max(maxSegs, len(hd.starts))
		}
	}
	s := &Sim{
		m: m, e: make([]float64, d), z: make([]float64, d), x: make([]float64, d),
		vol: make([]float64, d), kappa: make([]float64, d), mu: make([]float64, d),
		lnAlt: make([]float64, len(m.alts)), eBuf: make([]float64, maxLive), segBuf: make([]float64, 2*maxSegs),
	}
	classes, credits := 0, 0
	for _, bl := range m.blocks {
		classes += len(bl.classes)
		credits += len(bl.credit)
	}
	s.vBuf, s.survive, s.crHalfVar = make([]float64, classes), make([]float64, classes), make([]float64, credits)
	s.lnBuf = make([]float64, 0, len(m.eqValue)+len(m.alts)+len(m.blocks)+credits)
	for range m.blocks {
		s.hdf = append(s.hdf, make([]float64, maxLive))
		s.hcum = append(s.hcum, make([]float64, maxLive+1))
	}
	return s
}

// Simulate simulates scenario sp with the random stream of (runSeed,
// sp.Index) and writes its path values to out.
func (s *Sim) Simulate(sp scenario.Params, runSeed uint64, out *Result) error {
	m := s.m
	if !(sp.FXVol >= 0 && sp.IRVol >= 0 && sp.ShortRateMult >= 0 && sp.CreditVol >= 0 && sp.EquityVol >= 0) ||
		math.IsInf(sp.FXVol+sp.IRVol+sp.ShortRateMult+sp.CreditVol+sp.EquityVol, 0) || sp.Regime >= scenario.NumRegime {
		return fmt.Errorf("%w: scenario %d: vols must be finite non-negative numbers and the regime known, got %+v", ErrInvalid, sp.Index, sp)
	}
	dyn := &m.cfg.Dynamics
	for i, k := range m.kinds {
		s.kappa[i] = 0
		switch k {
		case kFX:
			s.vol[i] = sp.FXVol
		case kLevel:
			s.vol[i] = sp.IRVol * math.Sqrt(0.60)
			s.kappa[i] = dyn.RateKappa
		case kSlope:
			s.vol[i] = sp.IRVol * math.Sqrt(0.25) * sp.ShortRateMult
			s.kappa[i] = dyn.RateKappa
		case kCurv:
			s.vol[i] = sp.IRVol * math.Sqrt(0.15)
			s.kappa[i] = dyn.RateKappa
		case kCredit:
			s.vol[i] = sp.CreditVol
			s.kappa[i] = dyn.SpreadKappa
		case kEquity:
			s.vol[i] = sp.EquityVol
		}
		s.mu[i] = 0
	}
	for c, i := range m.eqOf {
		if i >= 0 {
			s.mu[i] = m.eqRate[c] + m.cfg.EquityRiskPremium
		}
	}
	bd := b2i(sp.Breakdown)
	d := len(m.kinds)
	rng := &s.rng
	rng.seed(scenario.Seeds(runSeed, sp.Index))
	P := m.cfg.Paths
	out.Reset(len(m.cfg.HorizonDays), P)
	hp, nh := m.HedgePaths(), len(m.hedges)
	if s.noHedgePnL {
		hp = 0
	}
	out.resetHedges(hp, nh, len(m.steps))
	if s.fund != nil && len(s.fund) != P*len(m.steps)*2 {
		return fmt.Errorf("%w: scenario %d: %d fund values given, want %d paths x %d steps x 2", ErrInvalid, sp.Index, len(s.fund), P, len(m.steps))
	}
	hedgeStep := m.hzStep[m.hedgeHorizon()]
	if len(s.prog) > 0 {
		s.programmeCarry(sp)
	}
	// Linear hedges' P&L on the unshocked path: their carry, removed below.
	if hp > 0 {
		clear(s.x)
		s.h = [4]float64{1, 1, 1, 1}
		s.carry = resize(s.carry, nh)
		s.valueHedges(sp, hedgeStep, float64(m.steps[hedgeStep])/DaysPerYear, s.carry)
		for i := range m.hedges {
			if !m.hedges[i].linear {
				s.carry[i] = 0
			}
		}
	}
	fr0 := m.assets0 / m.liabs0
	s.defSlope = resize(s.defSlope, len(m.steps))
	for st := range m.steps {
		s.defSlope[st] = m.defaultSlope(sp, st)
	}
	nc := len(m.credits)
	for j, amp := range m.crAmp {
		sv := sp.CreditVol * amp
		s.crHalfVar[j] = 0.5 * sv * sv
	}

	for p := range P {
		clear(s.x)
		clear(s.lnAlt)
		clear(s.drMax[:nc])
		for ci := range nc {
			s.yMax[ci] = math.Inf(-1)
		}
		for i := range s.survive {
			s.survive[i] = 1
		}
		s.h = [4]float64{1, 1, 1, 1}
		sh := [4]float64{1, 1, 1, 1} // √h, taken when h changes
		regime := sp.Regime
		peak, mdd := fr0, 0.0
		hz := 0
		for st, day := range m.steps {
			dt, sq := m.stepDt[st], m.stepSqrtDt[st]
			if !dyn.NoRegimeSwitching {
				u := rng.float64()
				row := &m.trans[st][regime]
				next := scenario.Regime(0)
				for next < scenario.NumRegime-1 && u >= row[next] {
					next++
				}
				regime = next
			}
			rng.normAll(s.e[:d])
			m.corr[regime][bd].apply(s.e, s.z)
			// The factors move class by class (NewModel groups them so):
			// one update formula per class, and each class's sum of squared
			// shocks for GARCH kept in a register.
			var z2 [4]float64
			eqDown := 0.0
			x, z, vol := s.x, s.z, s.vol
			for c := range 4 {
				lo, hi := m.classAt[c], m.classAt[c+1]
				shc, acc := sh[c], 0.0
				switch c {
				case 0: // FX: driftless in USD terms, log-moves
					for i := lo; i < hi; i++ {
						zi := z[i]
						acc += zi * zi
						v := vol[i] * shc
						x[i] += -0.5*v*v*dt + v*sq*zi
					}
				case 3: // equity: log-moves with drift
					for i := lo; i < hi; i++ {
						zi := z[i]
						acc += zi * zi
						v := vol[i] * shc
						x[i] += (s.mu[i]-0.5*v*v)*dt + v*sq*zi
						eqDown += zi
					}
				default: // curve factors and log-spreads: mean-reverting
					for i := lo; i < hi; i++ {
						zi := z[i]
						acc += zi * zi
						v := vol[i] * shc
						x[i] += -s.kappa[i]*x[i]*dt + v*sq*zi
					}
				}
				z2[c] = acc
			}
			// Systemic spread jumps: Poisson count by inversion.
			if nc > 0 && dyn.JumpIntensity[regime] > 0 {
				u := rng.float64()
				pk := m.noJump[st][regime]
				lam := dyn.JumpIntensity[regime] * dt
				cum := pk
				for n := 1; u > cum && n < 50; n++ {
					pk *= lam / float64(n)
					cum += pk
					jump := dyn.JumpMean + dyn.JumpStd*rng.norm()
					for _, i := range m.creditIdx {
						s.x[i] += jump
					}
				}
			}
			for ai := range m.alts {
				if s.fund != nil { // the fund's values are given: only the draw
					rng.norm()
					continue
				}
				a := &m.alts[ai]
				ev := sp.EquityVol * sh[3] * a.Beta
				tot := ev*ev + a.IdioVol*a.IdioVol
				s.lnAlt[ai] += (m.usdRate+a.Beta*m.cfg.EquityRiskPremium-0.5*tot)*dt +
					ev*sq*s.z[m.eqOf[a.Ccy]] + a.IdioVol*sq*rng.norm()
			}
			// GARCH(1,1) update of each class's variance multiplier from the
			// class's mean squared shock, GJR leverage on equity.
			if dyn.GARCHAlpha+dyn.GARCHBeta > 0 {
				for k := range s.h {
					n := m.classN[k]
					if n == 0 {
						continue
					}
					a, b, g := m.garch[st][0], m.garch[st][1], m.garch[st][2]
					zz := z2[k] / float64(n)
					if k != 3 { // leverage acts on equity only
						s.h[k] = 1 - a - b + s.h[k]*(a*zz+b)
						continue
					}
					lev := 0.0
					if eqDown < 0 {
						lev = g * zz
					}
					s.h[k] = 1 - a - b - g/2 + s.h[k]*(a*zz+b+lev)
				}
				for k := range sh {
					sh[k] = math.Sqrt(s.h[k])
				}
			}
			// Defaults: the credit book's default rate given each rating's
			// systematic factor (its standardised log-spread move), kept at
			// its running maximum: defaults are permanent.
			if !dyn.NoDefaults && s.fund == nil { // only the fund's values read them
				if b := s.defSlope[st]; b > 0 {
					for ci, r := range m.credits {
						// Φ is increasing: its running maximum is Φ at
						// the running maximum of its argument, so Φ is
						// taken only when that rises
						if y := m.pdY[st][r] + b*s.x[m.creditIdx[ci]]; y > s.yMax[ci] {
							s.yMax[ci] = y
							if dr := fastNormCDF(y); dr > s.drMax[ci] {
								s.drMax[ci] = dr
								for _, fc := range m.classesOf[ci] {
									s.survive[fc] = 1 - (1-dyn.Recovery)*dr
								}
							}
						}
					}
				}
			}
			t := float64(day) / DaysPerYear
			isHz := hz < len(m.hzStep) && m.hzStep[hz] == st
			var assets, liabs float64
			if s.fund != nil {
				k := (p*len(m.steps) + st) * 2
				assets, liabs = s.fund[k], s.fund[k+1]
			} else {
				assets, liabs = s.value(sp, st, hz, t, isHz)
			}
			if p < hp {
				k := (p*len(m.steps) + st) * 2
				out.FundSteps[k], out.FundSteps[k+1] = assets, liabs
			}
			if len(s.prog) > 0 {
				assets += s.programmeValue(sp, st, t, isHz)
			}
			fr := assets / liabs
			if fr > peak {
				peak = fr
			} else if dd := 1 - fr/peak; dd > mdd {
				mdd = dd
			}
			if st == hedgeStep && p < hp {
				row := out.HedgePnL[p*nh : (p+1)*nh]
				s.valueHedges(sp, st, t, row)
				for i, c := range s.carry {
					row[i] -= c
				}
			}
			if s.trace != nil {
				s.trace(p, st, regime)
			}
			if isHz {
				i := hz*P + p
				out.Assets[i], out.Liabilities[i], out.MaxDrawdown[i] = assets, liabs, mdd
				hz++
			}
		}
	}
	return nil
}

// value returns the fund's assets and liabilities in USD at step st (time t
// years): exactly at horizon hz when exact, else by Taylor expansion.
//
// The exponentials are taken in two batches (approx.ExpAll), so that they
// run four at a time: first the log-moves of the equities, alternatives
// and currencies with every credit class's spread move, then, at a weekly
// step, every class's Taylor exponent, which needs the spread moves.
// The sums are then formed in the same order as ever.
func (s *Sim) value(sp scenario.Params, st, hz int, t float64, exact bool) (assets, liabs float64) {
	m := s.m
	x := s.x
	ln := s.lnBuf[:0]
	for c, v := range m.eqValue {
		if v == 0 {
			continue
		}
		l := x[m.eqOf[c]]
		if f := m.fxOf[c]; f >= 0 {
			l += x[f]
		}
		ln = append(ln, l)
	}
	for ai := range m.alts {
		a := &m.alts[ai]
		l := s.lnAlt[ai]
		if f := m.fxOf[a.Ccy]; f >= 0 {
			l += x[f]
		}
		ln = append(ln, l)
	}
	for bi := range m.blocks {
		if f := m.blocks[bi].fx; f >= 0 {
			ln = append(ln, x[f])
		}
	}
	nLn := len(ln)
	sv := m.spreadVar[st]
	ln = ln[:nLn+len(m.crAmp)]
	cr := ln[nLn:]
	for j, f := range m.crFactor {
		cr[j] = m.crAmp[j]*x[f] - s.crHalfVar[j]*sv
	}
	approx.ExpAll(ln)
	if !exact {
		s.taylorExponents(st, ln[nLn:])
	}
	k := 0
	for _, v := range m.eqValue {
		if v != 0 {
			assets += v * ln[k]
			k++
		}
	}
	for ai := range m.alts {
		assets += m.alts[ai].ValueUSD * ln[k]
		k++
	}
	sp1, val, survive := ln[nLn:], s.vBuf, s.survive
	for bi := range m.blocks {
		bl := &m.blocks[bi]
		fx := m.fx0[bl.ccy]
		if bl.fx >= 0 {
			fx *= ln[k]
			k++
		}
		row := bl.steps[st]
		kp := survive[:len(bl.classes)]
		if exact {
			hd := &bl.hz[st]
			s.shockDF(hd, len(hd.tau), x[bl.rate], x[bl.rate+1], x[bl.rate+2])
			j := 0
			for ci := range bl.classes {
				ds := 0.0
				if j < len(bl.credit) && bl.credit[j] == ci {
					ds = bl.classes[ci].spread0 * (sp1[j] - 1)
					j++
				}
				val[ci] = exactPV(hd.w[ci], hd.tau, s.eBuf, ds)
			}
		} else {
			for ci := range bl.classes {
				val[ci] *= row[ci].v0
			}
		}
		var a, l float64
		for ci := range bl.classes {
			v := val[ci]
			if bl.classes[ci].liability {
				l += v
			} else {
				a += v * kp[ci]
			}
			a += row[ci].cashPaid
		}
		assets += fx * a
		liabs += fx * l
		sp1, val, survive = sp1[len(bl.credit):], val[len(bl.classes):], survive[len(bl.classes):]
	}
	return assets, liabs
}

// polyDots sets out[i] to row[i].c·mon, 0 where row[i].v0 is 0.
func polyDots(row []poly, mon *[numMon]float64, out []float64) {
	if hasAVX2 {
		polyDotsAVX2(row, mon, out)
		return
	}
	polyDotsGo(row, mon, out)
}

// polyDotsGo is polyDots in Go: four accumulators, so that the additions
// pipeline; polyDotsAVX2 makes them one vector.
func polyDotsGo(row []poly, mon *[numMon]float64, out []float64) {
	for ci := range row {
		out[ci] = 0 // e^0 times v0 = 0: no value
		if row[ci].v0 == 0 {
			continue
		}
		out[ci] = dotMon(&row[ci].c, mon)
	}
}

// dotMon is c·mon with four accumulators, so that the additions pipeline.
func dotMon(c, mon *[numMon]float64) float64 {
	var s0, s1, s2, s3 float64
	for i := 0; i < numMon; i += 4 {
		s0 += c[i] * mon[i]
		s1 += c[i+1] * mon[i+1]
		s2 += c[i+2] * mon[i+2]
		s3 += c[i+3] * mon[i+3]
	}
	return (s0 + s1) + (s2 + s3)
}

// monomials lists the monomials of degree 1 to 3 in (L, S, C) in poly's
// order, then a zero.
func monomials(L, S, C float64) [numMon]float64 {
	ll, ls, lc, ss, sc, cc := L*L, L*S, L*C, S*S, S*C, C*C
	return [numMon]float64{L, S, C, ll, ls, lc, ss, sc, cc,
		ll * L, ll * S, ll * C, ss * L, ls * C, cc * L, ss * S, ss * C, cc * S, cc * C, 0}
}

// taylorExponents fills s.vBuf, block after block, with e to the power of
// every class's Taylor exponent of ln(V/v0) at weekly step st, given the
// credit classes' e^(spread log-move) in sp1, block after block.
func (s *Sim) taylorExponents(st int, sp1 []float64) {
	m := s.m
	x := s.x
	all := s.vBuf
	val := all
	for bi := range m.blocks {
		bl := &m.blocks[bi]
		L, S, C := x[bl.rate], x[bl.rate+1], x[bl.rate+2]
		row := bl.steps[st]
		mon := monomials(L, S, C)
		polyDots(row, &mon, val[:len(row)])
		for j, ci := range bl.credit {
			if pc := &row[ci]; pc.v0 != 0 {
				ds := bl.classes[ci].spread0 * (sp1[j] - 1)
				val[ci] += ds * (pc.gs + pc.hss2*ds + pc.hsx[0]*L + pc.hsx[1]*S + pc.hsx[2]*C)
			}
		}
		sp1, val = sp1[len(bl.credit):], val[len(bl.classes):]
	}
	approx.ExpAll(all[:len(all)-len(val)])
}

// shockDF fills s.eBuf with exp(-(L τ + S I_S(τ) + C I_C(τ))) at the
// first n live points of hd. The exponent is linear in τ within a knot
// segment, so each segment needs two exponentials (its first point and its
// ratio per grid step), all taken together (approx.ExpAll), and then a
// geometric progression.
func (s *Sim) shockDF(hd *horizonData, n int, L, S, C float64) {
	m := s.m
	k := len(hd.starts)
	for k > 0 && hd.starts[k-1] >= n {
		k--
	}
	buf := s.segBuf[:2*k]
	for j, i := range hd.starts[:k] {
		seg := hd.seg[i]
		buf[2*j] = -(L*hd.tau[i] + S*hd.is[i] + C*hd.ic[i])
		buf[2*j+1] = -0.5 * (L + S*m.segSlope[seg] + C*m.segCurv[seg])
	}
	approx.ExpAll(buf)
	out := s.eBuf[:n]
	for j, i := range hd.starts[:k] {
		end := n
		if j+1 < k {
			end = hd.starts[j+1]
		}
		e, ratio := buf[2*j], buf[2*j+1]
		out[i] = e
		for i++; i < end; i++ {
			e *= ratio
			out[i] = e
		}
	}
}

// exactPV sums w[i]·E[i]·exp(-ds·τ[i]); the grid is uniform (step 0.5), so
// the spread factor is geometric. Four lanes, each with its own running
// spread factor (stepping by q⁴), so that the additions and the
// multiplications of the factor pipeline instead of forming one chain.
func exactPV(w, tau, e []float64, ds float64) float64 {
	n := len(w)
	if n == 0 {
		return 0
	}
	e = e[:n]
	var v0, v1, v2, v3 float64
	i := 0
	if ds == 0 { // no spread move: a plain dot product
		for ; i+4 <= n; i += 4 {
			v0 += w[i] * e[i]
			v1 += w[i+1] * e[i+1]
			v2 += w[i+2] * e[i+2]
			v3 += w[i+3] * e[i+3]
		}
		for ; i < n; i++ {
			v0 += w[i] * e[i]
		}
		return (v0 + v1) + (v2 + v3)
	}
	q := exp(-0.5 * ds)
	g0 := exp(-ds * tau[0])
	g1 := g0 * q
	g2 := g1 * q
	g3 := g2 * q
	q2 := q * q
	q4 := q2 * q2
	for ; i+4 <= n; i += 4 {
		v0 += w[i] * e[i] * g0
		v1 += w[i+1] * e[i+1] * g1
		v2 += w[i+2] * e[i+2] * g2
		v3 += w[i+3] * e[i+3] * g3
		g0 *= q4
		g1 *= q4
		g2 *= q4
		g3 *= q4
	}
	for ; i < n; i++ { // g0 is the factor at i
		v0 += w[i] * e[i] * g0
		g0 *= q
	}
	return (v0 + v1) + (v2 + v3)
}
