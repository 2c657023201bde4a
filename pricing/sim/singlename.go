package sim

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/pricing/portfolio"
)

// MaxSingleNames is how many of the largest corporate holdings get a
// single-name CDS in the candidate hedges.
const MaxSingleNames = 5

// Single-name CDS quotes are wider than the indices': 5 bp bid-ask for an
// investment-grade name, 15 bp for high yield.
const (
	bidAskSingleIG = 5.0
	bidAskSingleHY = 15.0
)

// refName is a corporate holding that a single-name CDS can reference.
type refName struct {
	name    string
	ccy     market.Ccy
	rating  market.Rating
	sector  market.Sector
	value   float64 // USD
	spread0 float64
}

// largestHoldings returns the n largest corporate bond holdings by market
// value (ties in file order): the fund's largest single-name credit
// exposures. A holding's name is its reference entity.
func largestHoldings(p *portfolio.Portfolio, mk *market.Snapshot, n int) []refName {
	var out []refName
	for i := range p.Bonds {
		b := &p.Bonds[i]
		if b.Government {
			continue
		}
		out = append(out, refName{name: b.Name, ccy: b.Ccy, rating: b.Rating, sector: b.Sector, value: b.ValueUSD,
			spread0: portfolio.BondSpread(b, mk)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].value > out[j].value })
	return out[:min(n, len(out))]
}

// slug makes a hedge id part of a holding's name.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('_')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "_")
}

// buildSingleNames adds 5-year single-name CDS protection on each of the
// largest corporate holdings. Its spread moves as the holding's does in
// the simulation (the rating's credit factor scaled by the sector's
// systemic amplification, from the holding's own spread) and its default
// leg is the conditional default rate of the rating given that factor, as
// for the indices: the model has no issuer-specific default paths, so a
// single name hedges its holding's spread and systematic default risk,
// not an idiosyncratic default.
func (m *Model) buildSingleNames(mk *market.Snapshot) {
	seen := map[string]int{}
	for _, rn := range m.refs {
		f := m.fxOf[rn.ccy]
		if rn.ccy != market.USD && f < 0 {
			continue
		}
		factor := -1
		for i, r := range m.credits {
			if r == rn.rating {
				factor = i
			}
		}
		if factor < 0 || !(rn.spread0 > 0) {
			continue
		}
		id := "cds_single_" + slug(rn.name)
		if seen[id]++; seen[id] > 1 {
			id = fmt.Sprintf("%s_%d", id, seen[id])
		}
		hy := rn.rating >= market.BB
		coup, ba := 0.01, bidAskSingleIG
		if hy {
			coup, ba = 0.05, bidAskSingleHY
		}
		const rec = 0.40
		r := mk.Curves[rn.ccy].Rate(2.5)
		s0 := rn.spread0
		h := Hedge{ID: id, AssetClass: "credit", Kind: SingleNameCDS, Underlying: rn.name, Tenor: "5y", Ccy: rn.ccy, fx: f,
			credit: factor, beta: SectorAmplification[rn.sector], idxRating: rn.rating, rate: r, recovery: rec, coup: coup,
			tenor: 5, fwd: s0, limit: rn.value}
		h.Premium = (s0 - coup) * rpv01(s0, r, rec, 5)
		h.Delta = rpv01(s0, r, rec, 5) * 1e-4 // CS01
		h.CostBps = s0*1e4 + ba + collateral + cpCharge
		m.hedges = append(m.hedges, h)
	}
}

// HighYield reports whether a credit hedge references high-yield credit
// (an HY or crossover index, or a name rated BB or below).
func (h *Hedge) HighYield() bool {
	switch h.Kind {
	case CDSIndex, SingleNameCDS, TrancheProtection:
		return h.idxRating >= market.BB
	}
	return false
}

// QuotedBidAskBps is a CDS's quoted bid-offer in bp of running spread: 0.5
// (IG index), 3 (HY index), 5 (IG name), 15 (HY name); 0 for other kinds.
func (h *Hedge) QuotedBidAskBps() float64 {
	switch h.Kind {
	case CDSIndex, SingleNameCDS:
		return h.CostBps - h.fwd*1e4 - collateral - cpCharge
	}
	return 0
}
