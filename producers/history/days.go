package history

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/hedgeflow/hedgeflow/pricing/curve"
	"github.com/hedgeflow/hedgeflow/pricing/market"
)

// The series Days reads, by FRED id (or the file name used in
// ../shared/data for the non-FRED ones).
const (
	DGS3MO  = "DGS3MO"
	DGS6MO  = "DGS6MO"
	DGS1    = "DGS1"
	DGS2    = "DGS2"
	DGS5    = "DGS5"
	DGS10   = "DGS10"
	DGS20   = "DGS20"
	DGS30   = "DGS30"
	DEXUSEU = "DEXUSEU"
	DEXUSUK = "DEXUSUK"
	DEXJPUS = "DEXJPUS"
	DEXSZUS = "DEXSZUS"
	DEXUSAL = "DEXUSAL"
	DEXCAUS = "DEXCAUS"
	VIXCLS  = "VIXCLS"
	EVZCLS  = "EVZCLS"
	OASAAA  = "BAMLC0A1CAAA"
	OASBBB  = "BAMLC0A4CBBB"
	OASBB   = "BAMLH0A1HYBB"
	OASHY   = "BAMLH0A0HYM2"
	DE10Y   = "DE10Y_INVESTING"
	UK10Y   = "UK10Y_INVESTING"
	SPX     = "SP500_GSPC"
	SX5E    = "STOXX50E"
	UKX     = "FTSE100"
	EAFE    = "EFA_ADJCLOSE"
)

// usdTenors are the Treasury CMT series of the USD curve and their tenors
// in years.
var usdTenors = []struct {
	id    string
	years float64
}{{DGS3MO, 0.25}, {DGS6MO, 0.5}, {DGS1, 1}, {DGS2, 2}, {DGS5, 5}, {DGS10, 10}, {DGS20, 20}, {DGS30, 30}}

// fxSeries gives each currency's H.10 series and whether it is quoted as
// units per USD (and so inverted to USD per unit).
var fxSeries = [market.NumCcy]struct {
	id     string
	invert bool
}{
	market.EUR: {DEXUSEU, false}, market.GBP: {DEXUSUK, false}, market.AUD: {DEXUSAL, false},
	market.JPY: {DEXJPUS, true}, market.CHF: {DEXSZUS, true}, market.CAD: {DEXCAUS, true},
}

// Core are the series every Day needs fresh (observed within
// Settings.MaxStale): the USD curve, the six FX rates, VIX and the AAA,
// BBB and high-yield OAS.
var Core = []string{DGS3MO, DGS6MO, DGS1, DGS2, DGS5, DGS10, DGS20, DGS30,
	DEXUSEU, DEXUSUK, DEXJPUS, DEXSZUS, DEXUSAL, DEXCAUS, VIXCLS, OASAAA, OASBBB, OASHY}

// Required are the series Days refuses to run without: Core plus the
// German and UK 10-year yields, whose history the EUR and GBP curves and
// their proxies are estimated on.
var Required = append(append([]string(nil), Core...), DE10Y, UK10Y)

// Optional series are used where present and replaced by a documented
// proxy where not: the BB OAS, EVZ and the equity indices other than the
// S&P 500 (an equity level missing on a day is left out of Day.Equity).
var Optional = []string{OASBB, EVZCLS, SPX, SX5E, UKX, EAFE}

// EquityIndex maps the equity.level keys to their series.
var EquityIndex = map[string]string{"SPX": SPX, "SX5E": SX5E, "UKX": UKX, "EAFE": EAFE}

// Day is the market of one business day rebuilt from history.
type Day struct {
	// Date is the day at UTC midnight.
	Date time.Time
	// Market is the day's snapshot; it passes Validate.
	Market *market.Snapshot
	// Equity holds the index levels (local currency) observed within
	// MaxStale of Date, by equity.level key (SPX, SX5E, UKX, EAFE).
	Equity map[string]float64
}

// Settings tune Days; the zero value (or nil) means the documented
// defaults.
type Settings struct {
	// MaxStale is how old a series' last observation may be and still
	// be carried to a day (holidays of one market); default 7 days.
	MaxStale time.Duration
	// VolWindow is the number of daily changes of the trailing realised
	// vols (FX vols without EVZ, swaption vols); default 63 (about three
	// months). A day needs at least a third of it.
	VolWindow int
	// FXVolFloor floors a realised FX vol (a fraction); default 0.03.
	FXVolFloor float64
	// SwaptionVolFloorBps floors a realised swaption normal vol; default
	// 10 bp a year.
	SwaptionVolFloorBps float64
	// ProxyBeta overrides DefaultProxyBeta for JPY, CHF, AUD and CAD.
	ProxyBeta map[market.Ccy]float64
}

// DefaultProxyBeta is how much of the change of its reference 10-year
// yield (USD for AUD and CAD, EUR for JPY and CHF) since the base
// snapshot's date moves each curve without data. They are judgement, read
// from year-end 10-year yields of 2000-2024, not estimated: no daily
// history of those curves is at hand.
func DefaultProxyBeta() map[market.Ccy]float64 {
	return map[market.Ccy]float64{market.AUD: 1.0, market.CAD: 0.8, market.CHF: 0.8, market.JPY: 0.35}
}

// proxyRef is the reference currency of each proxied curve.
var proxyRef = map[market.Ccy]market.Ccy{market.AUD: market.USD, market.CAD: market.USD, market.CHF: market.EUR, market.JPY: market.EUR}

func (s *Settings) withDefaults() Settings {
	var o Settings
	if s != nil {
		o = *s
	}
	if o.MaxStale == 0 {
		o.MaxStale = 7 * 24 * time.Hour
	}
	if o.VolWindow == 0 {
		o.VolWindow = 63
	}
	if o.FXVolFloor == 0 {
		o.FXVolFloor = 0.03
	}
	if o.SwaptionVolFloorBps == 0 {
		o.SwaptionVolFloorBps = 10
	}
	beta := DefaultProxyBeta()
	for c, b := range o.ProxyBeta {
		beta[c] = b
	}
	o.ProxyBeta = beta
	return o
}

// ErrSettings is wrapped by errors about invalid settings or arguments.
var ErrSettings = errors.New("history: invalid settings")

func (s Settings) validate() error {
	switch {
	case s.MaxStale < 24*time.Hour:
		return fmt.Errorf("%w: MaxStale: at least a day, got %v", ErrSettings, s.MaxStale)
	case s.VolWindow < 3:
		return fmt.Errorf("%w: VolWindow: at least 3 changes, got %d", ErrSettings, s.VolWindow)
	case !(s.FXVolFloor > 0 && s.FXVolFloor < 5):
		return fmt.Errorf("%w: FXVolFloor: in (0, 5), got %v", ErrSettings, s.FXVolFloor)
	case !(s.SwaptionVolFloorBps > 0 && s.SwaptionVolFloorBps < 1000):
		return fmt.Errorf("%w: SwaptionVolFloorBps: in (0, 1000), got %v", ErrSettings, s.SwaptionVolFloorBps)
	}
	for c, b := range s.ProxyBeta {
		if _, ok := proxyRef[c]; !ok {
			return fmt.Errorf("%w: ProxyBeta: %s has data or is a reference, only JPY, CHF, AUD and CAD are proxied", ErrSettings, c)
		}
		if !finite(b) || b < 0 || b > 3 {
			return fmt.Errorf("%w: ProxyBeta: %s in [0, 3], got %v", ErrSettings, c, b)
		}
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Estimates are the parameters Days estimates from the series and the
// base snapshot before it rebuilds any day.
type Estimates struct {
	// BaseDate is the base snapshot's date, where the ratios below are
	// anchored.
	BaseDate time.Time
	// EUROnUSD is the beta of daily changes of the German 10y on the USD
	// 10y (continuous compounding), no intercept, over every date both
	// are observed: it carries the EUR 10y past the end of DE10Y.
	EUROnUSD float64
	EURObs   int
	// GBPOnUSD and GBPOnEUR are the betas of daily changes of the UK 10y
	// on the USD and German 10y, jointly, over the overlap (UK10Y starts
	// 2015-02): they carry the GBP 10y before and after UK10Y.
	GBPOnUSD, GBPOnEUR float64
	GBPObs             int
	// BBToHY is the median ratio of the BB OAS to the high-yield OAS over
	// their overlap (2006-04 to 2014-03 in ../shared/data); without BB
	// history, the base snapshot's BB over the HY OAS of its date.
	BBToHY float64
	BBObs  int
	// BToHY is the base snapshot's B spread over the HY OAS of its date.
	BToHY float64
	// AAWeight and AWeight place AA and A between AAA (0) and BBB (1),
	// as the base snapshot does.
	AAWeight, AWeight float64
	// Anchors on the base date: BBB and HY OAS (percent), the USD and EUR
	// 10y (continuous, percent).
	BaseBBB, BaseHY, BaseUSD10, BaseEUR10 float64
}

// builder holds what Days needs while it rebuilds days.
type builder struct {
	set    Settings
	series map[string]*Series
	base   *market.Snapshot
	est    Estimates
}

// Bond-equivalent (semi-annual) and annual yields in percent to
// continuously compounded percent.
func semiToCont(y float64) float64   { return 200 * math.Log1p(y/200) }
func annualToCont(y float64) float64 { return 100 * math.Log1p(y/100) }

func (b *builder) get(id string, d time.Time) (float64, bool) {
	s := b.series[id]
	if s == nil {
		return 0, false
	}
	return s.Within(d, b.set.MaxStale)
}

func (b *builder) us10(d time.Time) (float64, bool) {
	y, ok := b.get(DGS10, d)
	return semiToCont(y), ok
}

// eur10 is the EUR 10y (continuous percent): the Bund yield where
// observed, else chained from the nearest Bund observation with the USD
// 10y's change times EUROnUSD.
func (b *builder) eur10(d time.Time) (float64, bool) {
	if y, ok := b.get(DE10Y, d); ok {
		return annualToCont(y), true
	}
	de := b.series[DE10Y]
	t0 := anchor(de, d)
	u, ok1 := b.us10(d)
	u0, ok2 := b.us10(t0)
	if !ok1 || !ok2 {
		return 0, false
	}
	return annualToCont(de.Values[de.index(t0)]) + b.est.EUROnUSD*(u-u0), true
}

// gbp10 is the GBP 10y: the gilt yield where observed, else chained from
// the nearest gilt observation with the USD and EUR 10y's changes.
func (b *builder) gbp10(d time.Time) (float64, bool) {
	if y, ok := b.get(UK10Y, d); ok {
		return semiToCont(y), true
	}
	uk := b.series[UK10Y]
	t0 := anchor(uk, d)
	u, ok1 := b.us10(d)
	u0, ok2 := b.us10(t0)
	e, ok3 := b.eur10(d)
	e0, ok4 := b.eur10(t0)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return 0, false
	}
	return semiToCont(uk.Values[uk.index(t0)]) + b.est.GBPOnUSD*(u-u0) + b.est.GBPOnEUR*(e-e0), true
}

// anchor is the date of s's last observation on or before d, or its
// first one when d is before the series starts.
func anchor(s *Series, d time.Time) time.Time {
	if i := s.index(d); i >= 0 {
		return s.Dates[i]
	}
	return s.Dates[0]
}

// changes returns the consecutive differences of every f over the dates
// where all of them are observed on that very date.
func changes(dates []time.Time, fs ...func(time.Time) (float64, bool)) [][]float64 {
	out := make([][]float64, len(fs))
	prev := make([]float64, len(fs))
	have := false
	cur := make([]float64, len(fs))
	for _, d := range dates {
		ok := true
		for i, f := range fs {
			v, o := f(d)
			if !o {
				ok = false
				break
			}
			cur[i] = v
		}
		if !ok {
			continue
		}
		if have {
			for i := range fs {
				out[i] = append(out[i], cur[i]-prev[i])
			}
		}
		copy(prev, cur)
		have = true
	}
	return out
}

// on wraps a series as an exact-date lookup converted by conv.
func on(s *Series, conv func(float64) float64) func(time.Time) (float64, bool) {
	return func(d time.Time) (float64, bool) {
		v, ok := s.On(d)
		return conv(v), ok
	}
}

func (b *builder) estimate() error {
	e := &b.est
	base := b.base
	bd, err := ParseDate(base.Date)
	if err != nil {
		return fmt.Errorf("%w: base snapshot date %q: want YYYY-MM-DD", ErrSettings, base.Date)
	}
	e.BaseDate = bd
	need := func(id string) (float64, error) {
		v, ok := b.get(id, bd)
		if !ok {
			return 0, fmt.Errorf("%w: base snapshot date %s: no %s observation within %v before it (the base date anchors the proxies)", ErrSettings, base.Date, id, b.set.MaxStale)
		}
		return v, nil
	}
	if e.BaseBBB, err = need(OASBBB); err != nil {
		return err
	}
	if e.BaseHY, err = need(OASHY); err != nil {
		return err
	}
	if _, err = need(DGS10); err != nil {
		return err
	}
	e.BaseUSD10, _ = b.us10(bd)

	us := on(b.series[DGS10], semiToCont)
	de := on(b.series[DE10Y], annualToCont)
	uk := on(b.series[UK10Y], semiToCont)
	ch := changes(b.series[DE10Y].Dates, de, us)
	if len(ch[0]) < 20 {
		return fmt.Errorf("%w: %s and %s share %d dates: too few to estimate the EUR proxy", ErrSettings, DE10Y, DGS10, len(ch[0])+1)
	}
	e.EUROnUSD, e.EURObs = ols1(ch[0], ch[1]), len(ch[0])
	ch = changes(b.series[UK10Y].Dates, uk, us, de)
	if len(ch[0]) < 20 {
		return fmt.Errorf("%w: %s, %s and %s share %d dates: too few to estimate the GBP proxy", ErrSettings, UK10Y, DGS10, DE10Y, len(ch[0])+1)
	}
	e.GBPOnUSD, e.GBPOnEUR = ols2(ch[0], ch[1], ch[2])
	e.GBPObs = len(ch[0])
	e.BaseEUR10, _ = b.eur10(bd)

	if bb := b.series[OASBB]; bb != nil {
		var r []float64
		hy := b.series[OASHY]
		for i, d := range bb.Dates {
			if h, ok := hy.On(d); ok && h > 0 {
				r = append(r, bb.Values[i]/h)
			}
		}
		if len(r) > 0 {
			sort.Float64s(r)
			e.BBToHY, e.BBObs = median(r), len(r)
		}
	}
	bpHY := e.BaseHY * 100
	if e.BBObs == 0 {
		e.BBToHY = base.Spread[market.BB] * 1e4 / bpHY
	}
	e.BToHY = base.Spread[market.B] * 1e4 / bpHY
	aaa, bbb := base.Spread[market.AAA], base.Spread[market.BBB]
	if bbb > aaa {
		e.AAWeight = (base.Spread[market.AA] - aaa) / (bbb - aaa)
		e.AWeight = (base.Spread[market.A] - aaa) / (bbb - aaa)
	} else {
		e.AAWeight, e.AWeight = 1.0/3, 2.0/3
	}
	return nil
}

// ols1 is the no-intercept least-squares slope of y on x.
func ols1(y, x []float64) float64 {
	var sxy, sxx float64
	for i := range y {
		sxy += x[i] * y[i]
		sxx += x[i] * x[i]
	}
	if sxx == 0 {
		return 0
	}
	return sxy / sxx
}

// ols2 is the no-intercept least-squares fit y = a x1 + b x2.
func ols2(y, x1, x2 []float64) (a, b float64) {
	var s11, s12, s22, s1y, s2y float64
	for i := range y {
		s11 += x1[i] * x1[i]
		s12 += x1[i] * x2[i]
		s22 += x2[i] * x2[i]
		s1y += x1[i] * y[i]
		s2y += x2[i] * y[i]
	}
	det := s11*s22 - s12*s12
	if det == 0 {
		return ols1(y, x1), 0
	}
	return (s1y*s22 - s2y*s12) / det, (s2y*s11 - s1y*s12) / det
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

func (b *builder) check(base *market.Snapshot) error {
	var missing []string
	for _, id := range Required {
		if s := b.series[id]; s == nil || s.Len() == 0 {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: missing series %s (see docs/market-data.md for where to get them)", ErrSettings, strings.Join(missing, ", "))
	}
	if base == nil {
		return fmt.Errorf("%w: base snapshot: nil", ErrSettings)
	}
	if err := base.Validate(); err != nil {
		return fmt.Errorf("history: base snapshot: %w", err)
	}
	return nil
}

// Estimate returns the parameters Days would estimate from series and
// base, with default settings.
func Estimate(series map[string]*Series, base *market.Snapshot) (Estimates, error) {
	b := &builder{set: (*Settings)(nil).withDefaults(), series: series, base: base}
	if err := b.check(base); err != nil {
		return Estimates{}, err
	}
	if err := b.estimate(); err != nil {
		return Estimates{}, err
	}
	return b.est, nil
}

// Days rebuilds one market state per business day from from to to
// (inclusive) with the default Settings; see the package documentation
// for the rules.
func Days(series map[string]*Series, base *market.Snapshot, from, to time.Time) ([]Day, error) {
	return DaysWith(series, base, from, to, nil)
}

// DaysWith is Days with settings (nil for the defaults).
func DaysWith(series map[string]*Series, base *market.Snapshot, from, to time.Time, set *Settings) ([]Day, error) {
	b := &builder{set: set.withDefaults(), series: series, base: base}
	if err := b.set.validate(); err != nil {
		return nil, err
	}
	if err := b.check(base); err != nil {
		return nil, err
	}
	from, to = Date(from), Date(to)
	if to.Before(from) {
		return nil, fmt.Errorf("%w: to %s is before from %s", ErrSettings, to.Format(time.DateOnly), from.Format(time.DateOnly))
	}
	if err := b.estimate(); err != nil {
		return nil, err
	}
	return b.days(from, to)
}

// gridDay holds the quantities the trailing vols are computed from.
type gridDay struct {
	date time.Time
	fx   [market.NumCcy]float64 // USD per unit
	ten  [market.NumCcy]float64 // 10y, continuous percent
}

func (b *builder) days(from, to time.Time) ([]Day, error) {
	// The grid: every weekday with a 10y Treasury observation (H.15
	// business days) on which all core series are fresh, from the start
	// of the data, so that trailing windows reach back before from.
	var grid []gridDay
	for _, d := range b.series[DGS10].Dates {
		if d.After(to) {
			break
		}
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		g, ok := b.gridDay(d)
		if ok {
			grid = append(grid, g)
		}
	}
	minChanges := b.set.VolWindow / 3
	var out []Day
	for k := range grid {
		d := grid[k].date
		if d.Before(from) || k < minChanges {
			continue
		}
		day, err := b.day(grid, k)
		if err != nil {
			return nil, err
		}
		out = append(out, day)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("history: no business day from %s to %s with every core series (%s) observed within %v; %s",
			from.Format(time.DateOnly), to.Format(time.DateOnly), strings.Join(Core, ", "), b.set.MaxStale, b.coverage())
	}
	return out, nil
}

// coverage says which dates the core series cover together.
func (b *builder) coverage() string {
	var start, end time.Time
	var first, last string
	for _, id := range Core {
		s := b.series[id]
		if s.Start().After(start) {
			start, first = s.Start(), id
		}
		if end.IsZero() || s.End().Before(end) {
			end, last = s.End(), id
		}
	}
	return fmt.Sprintf("together they cover %s (%s starts) to %s (%s ends), and the first %d business days warm up the realised vols",
		start.Format(time.DateOnly), first, end.Format(time.DateOnly), last, b.set.VolWindow/3)
}

func (b *builder) gridDay(d time.Time) (gridDay, bool) {
	g := gridDay{date: d}
	for _, id := range Core {
		if _, ok := b.get(id, d); !ok {
			return g, false
		}
	}
	g.fx[market.USD] = 1
	for c := market.EUR; c < market.NumCcy; c++ {
		v, _ := b.get(fxSeries[c].id, d)
		if fxSeries[c].invert {
			v = 1 / v
		}
		if !(v > 0) || !finite(v) {
			return g, false
		}
		g.fx[c] = v
	}
	var ok bool
	g.ten[market.USD], _ = b.us10(d)
	if g.ten[market.EUR], ok = b.eur10(d); !ok {
		return g, false
	}
	if g.ten[market.GBP], ok = b.gbp10(d); !ok {
		return g, false
	}
	for c, ref := range proxyRef {
		g.ten[c] = b.base.Curves[c].Rate(10)*100 + b.set.ProxyBeta[c]*(g.ten[ref]-b.baseRef(ref))
	}
	return g, true
}

func (b *builder) baseRef(c market.Ccy) float64 {
	if c == market.EUR {
		return b.est.BaseEUR10
	}
	return b.est.BaseUSD10
}

// realised returns the annualised root mean square of the last n changes
// of x up to grid index k (log changes when logs), with the number of
// changes used.
func realised(grid []gridDay, k, n int, x func(*gridDay) float64, logs bool) (float64, int) {
	var ss float64
	m := 0
	for j := k; j > 0 && m < n; j-- {
		a, p := x(&grid[j]), x(&grid[j-1])
		c := a - p
		if logs {
			c = math.Log(a / p)
		}
		ss += c * c
		m++
	}
	if m == 0 {
		return 0, 0
	}
	return math.Sqrt(ss / float64(m) * 252), m
}

func (b *builder) day(grid []gridDay, k int) (Day, error) {
	g := &grid[k]
	d := g.date
	base := b.base
	s := &market.Snapshot{Date: d.Format(time.DateOnly)}
	// USD: Treasury CMT yields as zero rates, continuous compounding.
	ts := make([]float64, len(usdTenors))
	rs := make([]float64, len(usdTenors))
	for i, t := range usdTenors {
		y, _ := b.get(t.id, d)
		ts[i], rs[i] = t.years, semiToCont(y)/100
	}
	z, err := curve.NewZero(ts, rs)
	if err != nil {
		return Day{}, fmt.Errorf("history: %s: USD curve: %w", s.Date, err)
	}
	s.Curves[market.USD] = z
	// Every other curve: the base shape shifted in parallel to the day's
	// (observed or proxied) 10y.
	for c := market.EUR; c < market.NumCcy; c++ {
		bz := base.Curves[c]
		shift := g.ten[c]/100 - bz.Rate(10)
		rs := make([]float64, len(bz.Rates))
		for i, r := range bz.Rates {
			rs[i] = r + shift
		}
		z, err := curve.NewZero(bz.Times, rs)
		if err != nil {
			return Day{}, fmt.Errorf("history: %s: %s curve: %w", s.Date, c, err)
		}
		s.Curves[c] = z
	}
	s.FX = g.fx
	// Credit: OAS in percent -> fractions.
	aaa, _ := b.get(OASAAA, d)
	bbb, _ := b.get(OASBBB, d)
	hy, _ := b.get(OASHY, d)
	bb, ok := b.get(OASBB, d)
	if !ok {
		bb = hy * b.est.BBToHY
	}
	s.Spread[market.AAA] = aaa / 100
	s.Spread[market.BBB] = bbb / 100
	s.Spread[market.AA] = (aaa + b.est.AAWeight*(bbb-aaa)) / 100
	s.Spread[market.A] = (aaa + b.est.AWeight*(bbb-aaa)) / 100
	s.Spread[market.BB] = bb / 100
	s.Spread[market.B] = hy * b.est.BToHY / 100
	vix, _ := b.get(VIXCLS, d)
	s.EquityVol = vix / 100
	// FX vols: EVZ for EUR where observed, else trailing realised vol.
	for c := market.EUR; c < market.NumCcy; c++ {
		if c == market.EUR {
			if v, ok := b.get(EVZCLS, d); ok && v > 0 {
				s.FXVol[c] = v / 100
				continue
			}
		}
		v, _ := realised(grid, k, b.set.VolWindow, func(g *gridDay) float64 { return g.fx[c] }, true)
		s.FXVol[c] = math.Max(v, b.set.FXVolFloor)
	}
	// Swaption normal vols: trailing realised vol of the 10y's daily
	// changes, percent -> bp -> fraction.
	for c := range market.NumCcy {
		v, _ := realised(grid, k, b.set.VolWindow, func(g *gridDay) float64 { return g.ten[c] }, false)
		s.SwaptionVol[c] = math.Max(v*100, b.set.SwaptionVolFloorBps) / 1e4
	}
	// CDS indices: the base spread scaled by the matching OAS since the
	// base date.
	s.IndexSpread[market.CDXIG] = base.IndexSpread[market.CDXIG] * bbb / b.est.BaseBBB
	s.IndexSpread[market.ITraxxMain] = base.IndexSpread[market.ITraxxMain] * bbb / b.est.BaseBBB
	s.IndexSpread[market.CDXHY] = base.IndexSpread[market.CDXHY] * hy / b.est.BaseHY
	s.IndexSpread[market.ITraxxCrossover] = base.IndexSpread[market.ITraxxCrossover] * hy / b.est.BaseHY
	if err := s.Validate(); err != nil {
		return Day{}, fmt.Errorf("history: %s: rebuilt market: %w", s.Date, err)
	}
	eq := map[string]float64{}
	for key, id := range EquityIndex {
		if v, ok := b.get(id, d); ok && v > 0 {
			eq[key] = v
		}
	}
	return Day{Date: d, Market: s, Equity: eq}, nil
}
