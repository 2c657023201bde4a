package agents

import (
	"errors"
	"math"

	"github.com/hedgeflow/hedgeflow/input"
	"github.com/hedgeflow/hedgeflow/pricing/curve"
	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/pricing/portfolio"
	"github.com/hedgeflow/hedgeflow/pricing/sim"
	"github.com/hedgeflow/hedgeflow/streams"
)

func errorsAs(err error, target any) bool { return errors.As(err, target) }

// Inputs are the fund and market of a run, for the agents' static stress
// tests (full revaluation today under shocked curves and spreads).
type Inputs struct {
	P *portfolio.Portfolio
	M *market.Snapshot
}

// LoadInputs parses a run spec's portfolio and market.
func LoadInputs(spec streams.RunSpec) (*Inputs, error) {
	p, err := input.ParsePortfolio(spec.PortfolioFile, spec.PortfolioYAML)
	if err != nil {
		return nil, err
	}
	m, err := input.ParseMarket(spec.MarketFile, spec.MarketYAML)
	if err != nil {
		return nil, err
	}
	return &Inputs{P: p, M: m}, nil
}

// shifted returns the snapshot with every curve of ccy (all currencies
// when ccy is NumCcy) moved by shift(τ) at its nodes, and spreads moved by
// spread(rating, sector) for credit.
func (in *Inputs) shifted(ccy market.Ccy, shift func(tau float64) float64) *market.Snapshot {
	m := *in.M
	for c := range market.NumCcy {
		if ccy != market.NumCcy && c != ccy {
			continue
		}
		z := m.Curves[c]
		rates := make([]float64, len(z.Rates))
		for i, t := range z.Times {
			rates[i] = z.Rates[i] + shift(t)
		}
		m.Curves[c] = curve.Zero{Times: z.Times, Rates: rates}
	}
	return &m
}

// value returns assets (bonds at their faces, other assets unchanged) and
// liabilities in USD on snapshot m, with bond spreads moved by dspread.
func (in *Inputs) value(m *market.Snapshot, dspread func(b *portfolio.Bond) float64) (assets, liabs float64) {
	for _, e := range in.P.Equities {
		assets += e.ValueUSD
	}
	for _, a := range in.P.Alternatives {
		assets += a.ValueUSD
	}
	for i := range in.P.Bonds {
		b := &in.P.Bonds[i]
		face := portfolio.FaceLocal(b, in.M)
		s := portfolio.BondSpread(b, in.M)
		if dspread != nil {
			s += dspread(b)
		}
		assets += face * portfolio.PricePerFace(b, m, s) * m.FX[b.Ccy]
	}
	for i := range in.P.Liabilities {
		l := &in.P.Liabilities[i]
		liabs += portfolio.LiabilityPVLocal(l, m, in.P.LiabilitySpread) * m.FX[l.Ccy]
	}
	return assets, liabs
}

type dv01s struct{ assets, liabs float64 }

// dv01 returns, per currency, the USD change of bond assets and of
// liabilities for a 1 bp fall in that currency's rates.
func (in *Inputs) dv01() [market.NumCcy]dv01s {
	var out [market.NumCcy]dv01s
	a0, l0 := in.value(in.M, nil)
	for c := range market.NumCcy {
		a, l := in.value(in.shifted(c, func(float64) float64 { return -1e-4 }), nil)
		out[c] = dv01s{a - a0, l - l0}
	}
	return out
}

// parallelLoss is the surplus loss (USD, positive = loss) for a parallel
// shift of ccy's curve by d.
func (in *Inputs) parallelLoss(c market.Ccy, d float64) float64 {
	a0, l0 := in.value(in.M, nil)
	a, l := in.value(in.shifted(c, func(float64) float64 { return d }), nil)
	return (a0 - l0) - (a - l)
}

// cs01 returns the credit book's USD loss per 1 bp widening, by rating.
func (in *Inputs) cs01() [market.NumRating]float64 {
	var out [market.NumRating]float64
	a0, _ := in.value(in.M, nil)
	for r := range market.NumRating {
		a, _ := in.value(in.M, func(b *portfolio.Bond) float64 {
			if !b.Government && b.Rating == r {
				return 1e-4
			}
			return 0
		})
		out[r] = a0 - a
	}
	return out
}

// hedgeValue revalues the rates hedges of x (swaps, swaptions, FRAs, bond
// futures, cross-currency swaps) today on snapshot m (USD), with swaption
// vols multiplied by volMult: marked to market as a backtest would
// (sim.Hedge.Value), from inception at the run's market.
func (in *Inputs) hedgeValue(hs []sim.Hedge, x []float64, m *market.Snapshot, volMult float64) float64 {
	mk := *m
	for c := range mk.SwaptionVol {
		mk.SwaptionVol[c] *= volMult
	}
	now := &sim.Mark{Market: &mk}
	inception := &sim.Mark{Market: in.M}
	for c := range market.NumCcy {
		now.Equity[c], inception.Equity[c] = 1, 1
	}
	v := 0.0
	for j := range hs {
		h := &hs[j]
		if x[j] == 0 || h.AssetClass != "rates" {
			continue
		}
		val, err := h.Value(inception, now)
		if err != nil {
			continue // only a missing curve or FX fails, and Inputs' snapshots are validated
		}
		v += x[j] * val
	}
	return v
}

// Stresses are the rates stress tests: name and shift of every curve.
var Stresses = []struct {
	Name    string
	Shift   func(tau float64) float64
	VolMult float64
}{
	{"parallel_up_200", func(float64) float64 { return 0.02 }, 1},
	{"parallel_down_200", func(float64) float64 { return -0.02 }, 1},
	{"steepening_200", func(t float64) float64 { return -0.01 + 0.02*math.Min(t, 30)/30 }, 1},
	{"flattening_200", func(t float64) float64 { return 0.01 - 0.02*math.Min(t, 30)/30 }, 1},
	{"butterfly", func(t float64) float64 { return 0.01 - 0.02*math.Exp(-math.Pow((t-7)/5, 2)) }, 1},
	{"vol_doubling", func(float64) float64 { return 0 }, 2},
	{"aggressive_tightening", func(t float64) float64 { return 0.03 - 0.025*math.Min(t, 10)/10 }, 1},
}

// stressTable returns the funded-ratio change under each stress with the
// rates hedges x.
func (in *Inputs) stressTable(hs []sim.Hedge, x []float64) map[string]float64 {
	a0, l0 := in.value(in.M, nil)
	h0 := in.hedgeValue(hs, x, in.M, 1)
	out := map[string]float64{}
	for _, s := range Stresses {
		m := in.shifted(market.NumCcy, s.Shift)
		a, l := in.value(m, nil)
		h := in.hedgeValue(hs, x, m, s.VolMult)
		out[s.Name] = (a+h-h0)/l - a0/l0
	}
	return out
}

// durationGaps returns, per currency with liabilities, the duration gap in
// years between liabilities and assets plus rates hedges: (DV01 of
// liabilities - DV01 of assets and hedges) / (liabilities × 1 bp).
func (in *Inputs) durationGaps(hs []sim.Hedge, x []float64) map[string]float64 {
	out := map[string]float64{}
	dv := in.dv01()
	for i := range in.P.Liabilities {
		c := in.P.Liabilities[i].Ccy
		l := portfolio.LiabilityPVLocal(&in.P.Liabilities[i], in.M, in.P.LiabilitySpread) * in.M.FX[c]
		m := in.shifted(c, func(float64) float64 { return -1e-4 })
		xc := make([]float64, len(x))
		for j, h := range hs {
			if h.Ccy == c {
				xc[j] = x[j]
			}
		}
		hdv := in.hedgeValue(hs, xc, m, 1) - in.hedgeValue(hs, xc, in.M, 1)
		out[c.String()] = (dv[c].liabs - dv[c].assets - hdv) / (l * 1e-4)
	}
	return out
}

// Concentration describes the credit book.
type Concentration struct {
	Herfindahl float64            `json:"herfindahl"`
	Sectors    map[string]float64 `json:"sector_shares"`
	Ratings    map[string]float64 `json:"rating_shares"`
	Largest    []string           `json:"largest_buckets"`
}

func (in *Inputs) concentration() Concentration {
	c := Concentration{Sectors: map[string]float64{}, Ratings: map[string]float64{}}
	tot := 0.0
	for _, b := range in.P.Bonds {
		if !b.Government {
			tot += b.ValueUSD
		}
	}
	best, bestV := []string{}, []float64{}
	for _, b := range in.P.Bonds {
		if b.Government || tot == 0 {
			continue
		}
		w := b.ValueUSD / tot
		c.Herfindahl += w * w
		c.Sectors[b.Sector.String()] += w
		c.Ratings[b.Rating.String()] += w
		best, bestV = append(best, b.Name), append(bestV, w)
	}
	// The three largest buckets.
	for k := 0; k < 3 && k < len(best); k++ {
		m := k
		for i := k + 1; i < len(best); i++ {
			if bestV[i] > bestV[m] {
				m = i
			}
		}
		best[k], best[m] = best[m], best[k]
		bestV[k], bestV[m] = bestV[m], bestV[k]
		c.Largest = append(c.Largest, best[k])
	}
	return c
}

// creditStress returns USD losses (positive = loss) of the credit book
// under the credit stress tests, and the programme's credit-index hedges'
// offset (protection gains) where they apply.
func (in *Inputs) creditStress(hs []sim.Hedge, x []float64) map[string]float64 {
	a0, _ := in.value(in.M, nil)
	loss := func(ds func(b *portfolio.Bond) float64) float64 {
		a, _ := in.value(in.M, ds)
		return a0 - a
	}
	credit := 0.0
	for _, b := range in.P.Bonds {
		if !b.Government {
			credit += b.ValueUSD
		}
	}
	// Index protection's gain for a spread widening ds: CS01 × ds in bp.
	protect := func(dsIG, dsHY float64) float64 {
		g := 0.0
		for j, h := range hs {
			if (h.Kind != sim.CDSIndex && h.Kind != sim.SingleNameCDS) || x[j] == 0 {
				continue
			}
			ds := dsIG
			if h.HighYield() {
				ds = dsHY
			}
			g += x[j] * h.Delta * ds * 1e4
		}
		return g
	}
	out := map[string]float64{}
	ig := func(b *portfolio.Bond) float64 {
		if b.Government {
			return 0
		}
		if b.Rating <= market.BBB {
			return 0.02
		}
		return 0.05
	}
	out["ig_200_hy_500_loss_usd"] = loss(ig)
	out["ig_200_hy_500_hedge_gain_usd"] = protect(0.02, 0.05)
	out["financials_x3_loss_usd"] = loss(func(b *portfolio.Bond) float64 {
		if !b.Government && b.Sector == market.Financials {
			return 2 * portfolio.BondSpread(b, in.M)
		}
		return 0
	})
	out["downgrade_15pct_loss_usd"] = loss(func(b *portfolio.Bond) float64 {
		if b.Government || b.Rating >= market.B {
			return 0
		}
		return 0.15 * (in.M.Spread[b.Rating+1] - in.M.Spread[b.Rating])
	})
	// Five defaults at 30% recovery among 100 equal names of the book.
	out["five_defaults_loss_usd"] = 5 * credit / 100 * (1 - 0.30)
	// Default correlation 0.80: the 99th percentile Vasicek default rate of
	// the book at its average BBB-like PD, times loss given default.
	pd, rho := 0.0015, 0.80
	q := math.Sqrt(2) * math.Erfinv(2*0.99-1)
	dr := 0.5 * math.Erfc(-((-math.Sqrt2*math.Erfcinv(2*pd))+math.Sqrt(rho)*q)/math.Sqrt(1-rho)/math.Sqrt2)
	out["default_corr_080_p99_loss_usd"] = dr * credit * (1 - 0.40)
	// CDS bid-ask x3: the extra annual cost of the programme's index hedges.
	extra := 0.0
	for j, h := range hs {
		if (h.Kind == sim.CDSIndex || h.Kind == sim.SingleNameCDS) && x[j] != 0 {
			extra += math.Abs(x[j]) * 2 * h.QuotedBidAskBps() / 1e4
		}
	}
	out["cds_bid_ask_x3_extra_cost_usd"] = extra
	return out
}
