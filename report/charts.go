package report

import (
	"cmp"
	"fmt"
	"html"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The charts of report.html are hand-written SVG: a handful of marks on
// linear axes, which keeps the page free of fonts, scripts and external
// references, and lets the tests count each chart's marks by class
// ("pt" for points, "bar" for bars, "cell" for heatmap cells, "mark" for
// the named programmes of the frontier).

const (
	colUnhedged = "#b03a2e"
	colHedged   = "#1f618d"
	colMedian   = "#7d3c98"
	colGrid     = "#d5d8dc"
	colAxis     = "#566573"
)

// palette colours the instruments of the execution chart, in roadmap order.
var palette = []string{"#1f618d", "#d35400", "#239b56", "#b03a2e", "#7d3c98", "#7e5109",
	"#c2185b", "#5d6d7e", "#9a7d0a", "#117a65", "#2e4053", "#a04000"}

// plot is one chart: a plotting area inside margins with linear x and y
// scales over [x0, x1] and [y0, y1].
type plot struct {
	id, title          string
	w, h               float64
	ml, mr, mt, mb     float64
	x0, x1, y0, y1     float64
	xstep, ystep       float64
	b                  strings.Builder
	legendX, legendRow float64
}

func newPlot(id, title string, w, h float64) *plot {
	return &plot{id: id, title: title, w: w, h: h, ml: 78, mr: 20, mt: 34, mb: 52}
}

// setX and setY choose nice bounds and tick steps covering [lo, hi].
func (p *plot) setX(lo, hi float64) { p.x0, p.x1, p.xstep = niceRange(lo, hi, 6) }
func (p *plot) setY(lo, hi float64) { p.y0, p.y1, p.ystep = niceRange(lo, hi, 5) }

func (p *plot) px(x float64) float64 { return p.ml + (x-p.x0)/(p.x1-p.x0)*(p.w-p.ml-p.mr) }
func (p *plot) py(y float64) float64 { return p.h - p.mb - (y-p.y0)/(p.y1-p.y0)*(p.h-p.mt-p.mb) }

func (p *plot) add(format string, a ...any) {
	fmt.Fprintf(&p.b, format, a...)
	p.b.WriteByte('\n')
}

// text writes an escaped text element.
func (p *plot) text(x, y float64, anchor, class, s string) {
	p.add(`<text x="%.1f" y="%.1f" text-anchor="%s" class="%s">%s</text>`, x, y, anchor, class, html.EscapeString(s))
}

// axes draws the grid, the ticks with their labels and the axis titles.
// A zero step leaves that axis without ticks (the caller labels it).
func (p *plot) axes(xlabel, ylabel string, xfmt, yfmt func(float64) string) {
	left, right, top, bottom := p.ml, p.w-p.mr, p.mt, p.h-p.mb
	if p.ystep > 0 {
		for _, v := range ticks(p.y0, p.y1, p.ystep) {
			y := p.py(v)
			p.add(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="0.6"/>`, left, y, right, y, colGrid)
			p.text(left-6, y+4, "end", "tick", yfmt(v))
		}
	}
	if p.xstep > 0 {
		for _, v := range ticks(p.x0, p.x1, p.xstep) {
			x := p.px(v)
			p.add(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="0.6"/>`, x, top, x, bottom, colGrid)
			p.text(x, bottom+16, "middle", "tick", xfmt(v))
		}
	}
	p.add(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"/>`, left, bottom, right, bottom, colAxis)
	p.add(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"/>`, left, top, left, bottom, colAxis)
	p.text((left+right)/2, p.h-12, "middle", "label", xlabel)
	p.add(`<text transform="translate(16 %.1f) rotate(-90)" text-anchor="middle" class="label">%s</text>`, (top+bottom)/2, html.EscapeString(ylabel))
}

// legend adds an entry to the row of legend entries above the plot area.
func (p *plot) legend(colour, label string) {
	if p.legendX == 0 {
		p.legendX = p.ml
	}
	y := p.mt - 14 + p.legendRow
	p.add(`<rect class="legend" x="%.1f" y="%.1f" width="10" height="10" fill="%s"/>`, p.legendX, y-9, colour)
	p.text(p.legendX+14, y, "start", "legend-text", label)
	p.legendX += 24 + 6.2*float64(len(label))
}

// svg returns the chart as an inline SVG element, scaled by its viewBox.
func (p *plot) svg() string {
	var s strings.Builder
	fmt.Fprintf(&s, `<svg class="chart" id="%s" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`+"\n",
		p.id, p.w, p.h, html.EscapeString(p.title))
	fmt.Fprintf(&s, "<title>%s</title>\n", html.EscapeString(p.title))
	s.WriteString(p.b.String())
	s.WriteString("</svg>")
	return s.String()
}

// niceRange widens [lo, hi] to multiples of a 1, 2 or 5 step giving about
// n intervals.
func niceRange(lo, hi float64, n int) (float64, float64, float64) {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		lo, hi = 0, 1
	}
	if hi < lo {
		lo, hi = hi, lo
	}
	if hi == lo {
		d := math.Max(math.Abs(lo)*0.1, 1e-9)
		lo, hi = lo-d, hi+d
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	return math.Floor(lo/step) * step, math.Ceil(hi/step) * step, step
}

func ticks(lo, hi, step float64) []float64 {
	var out []float64
	for i := 0; ; i++ {
		v := lo + float64(i)*step
		if v > hi+step*1e-6 || i > 100 {
			return out
		}
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		out = append(out, v)
	}
}

func minMax(xs ...[]float64) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range xs {
		for _, v := range s {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	return lo, hi
}

// histogramChart draws the distributions of a and b (b may be empty)
// over the same bins, as bars side by side.
func histogramChart(id, title, xlabel string, xfmt func(float64) string, a []float64, aLabel string, b []float64, bLabel string) string {
	lo, hi := minMax(a, b)
	p := newPlot(id, title, 760, 360)
	k := min(max(int(math.Ceil(math.Sqrt(float64(max(len(a), len(b))))))+2, 6), 24)
	_, _, step := niceRange(lo, hi, k)
	p.setX(lo, hi)
	if p.xstep < step {
		p.xstep = step
	}
	p.x0, p.x1 = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	if p.x1 <= p.x0 {
		p.x1 = p.x0 + step
	}
	nb := int(math.Round((p.x1 - p.x0) / step))
	count := func(xs []float64) []int {
		c := make([]int, nb)
		for _, v := range xs {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			c[min(max(int((v-p.x0)/step), 0), nb-1)]++
		}
		return c
	}
	ca, cb := count(a), count(b)
	top := max(slices.Max(ca), 1)
	if len(b) > 0 {
		top = max(top, slices.Max(cb))
	}
	p.setY(0, float64(top))
	if p.ystep < 1 {
		p.ystep = 1
	}
	p.axes(xlabel, "scenarios", xfmt, func(v float64) string { return fmt.Sprintf("%.0f", v) })
	series := [][]int{ca}
	colours, labels := []string{colUnhedged}, []string{aLabel}
	if len(b) > 0 {
		series, colours, labels = append(series, cb), append(colours, colHedged), append(labels, bLabel)
	}
	bw := (p.px(p.x0+step) - p.px(p.x0)) / float64(len(series))
	for si, c := range series {
		for i, n := range c {
			if n == 0 {
				continue
			}
			x := p.px(p.x0+float64(i)*step) + float64(si)*bw
			p.add(`<rect class="bar" data-series="%s" data-n="%d" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" fill-opacity="0.85"/>`,
				html.EscapeString(labels[si]), n, x+0.5, p.py(float64(n)), bw-1, p.py(0)-p.py(float64(n)), colours[si])
		}
		p.legend(colours[si], labels[si])
	}
	return p.svg()
}

// scatterChart draws the points (xs[i], ys[i]), with a line at y = 0 when
// the range spans it.
func scatterChart(id, title, xlabel, ylabel string, xfmt, yfmt func(float64) string, xs, ys []float64, colour, label string) string {
	p := newPlot(id, title, 760, 380)
	p.setX(minMax(xs))
	lo, hi := minMax(ys)
	p.setY(math.Min(lo, 0), math.Max(hi, 0))
	p.axes(xlabel, ylabel, xfmt, yfmt)
	if p.y0 < 0 && p.y1 > 0 {
		p.add(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="4 3"/>`, p.ml, p.py(0), p.w-p.mr, p.py(0), colAxis)
	}
	for i := range xs {
		p.add(`<circle class="pt" cx="%.1f" cy="%.1f" r="4" fill="%s" fill-opacity="0.7"/>`, p.px(xs[i]), p.py(ys[i]), colour)
	}
	p.legend(colour, label)
	return p.svg()
}

// tailMeasure is the robustness measure of the report's policy: its name
// and its value for a programme (the worst scenario's CVaR 95 for reports
// written before the policy named one).
func (r *Report) tailMeasure() (string, func(*Programme) float64) {
	if hp := r.HedgingPolicy; hp != nil && hp.Robustness == "tail" {
		return fmt.Sprintf("mean CVaR 95 of the worst %.0f%% of scenarios", 100*hp.TailShare),
			func(q *Programme) float64 { return q.TailCVaR95 }
	}
	return "worst-scenario CVaR 95", func(q *Programme) float64 { return q.WorstCVaR95 }
}

// frontierChart draws the frontier's tail measure (Report.tailMeasure) and
// median-scenario CVaR 95 against cost, with the median-optimal, robust
// and recommended programmes marked.
func frontierChart(r *Report) string {
	tailName, tailOf := r.tailMeasure()
	// In order of λ, the frontier's own order: costs can tie or fall
	// back as the weight on the tail grows.
	pts := slices.Clone(r.Frontier)
	slices.SortStableFunc(pts, func(a, b FrontierPoint) int { return cmp.Compare(a.Lambda, b.Lambda) })
	named := []struct {
		name string
		p    *Programme
	}{{"median-optimal", r.MedianOptimal}, {"robust", r.Robust}, {"recommended", r.Recommended}}
	var cost, worst, median []float64
	for _, f := range pts {
		cost, worst, median = append(cost, f.CostBps), append(worst, tailOf(&f.Programme)/1e9), append(median, f.MedianCVaR95/1e9)
	}
	for _, n := range named {
		if n.p != nil {
			cost, worst, median = append(cost, n.p.CostBps), append(worst, tailOf(n.p)/1e9), append(median, n.p.MedianCVaR95/1e9)
		}
	}
	p := newPlot("chart-frontier", "Cost versus tail risk: the frontier from median-optimal to robust", 760, 420)
	p.mr = 120
	p.setX(minMax(cost))
	p.setY(minMax(worst, median))
	p.axes("all-in annual cost (bp of assets)", "scenario CVaR 95 at 1y ($bn)", fmtNum, fmtNum)
	for si, s := range []struct {
		colour, label string
		y             func(*Programme) float64
	}{
		{colUnhedged, tailName, func(q *Programme) float64 { return tailOf(q) / 1e9 }},
		{colMedian, "median-scenario CVaR 95", func(q *Programme) float64 { return q.MedianCVaR95 / 1e9 }},
	} {
		var path strings.Builder
		for i := range pts {
			fmt.Fprintf(&path, "%.1f,%.1f ", p.px(pts[i].CostBps), p.py(s.y(&pts[i].Programme)))
		}
		p.add(`<polyline fill="none" stroke="%s" stroke-width="1.5" points="%s"/>`, s.colour, strings.TrimSpace(path.String()))
		for i := range pts {
			p.add(`<circle class="pt" data-series="%d" data-lambda="%g" cx="%.1f" cy="%.1f" r="3.5" fill="%s"/>`,
				si, pts[i].Lambda, p.px(pts[i].CostBps), p.py(s.y(&pts[i].Programme)), s.colour)
		}
		p.legend(s.colour, s.label)
	}
	for i, n := range named {
		if n.p == nil {
			continue
		}
		x, y := p.px(n.p.CostBps), p.py(tailOf(n.p)/1e9)
		switch n.name {
		case "recommended":
			p.add(`<circle class="mark" data-name="recommended" cx="%.1f" cy="%.1f" r="9" fill="none" stroke="#f39c12" stroke-width="3"/>`, x, y)
			p.add(`<circle class="mark-median" cx="%.1f" cy="%.1f" r="9" fill="none" stroke="#f39c12" stroke-width="3"/>`, x, p.py(n.p.MedianCVaR95/1e9))
		default:
			p.add(`<rect class="mark" data-name="%s" x="%.1f" y="%.1f" width="10" height="10" fill="#17202a" transform="rotate(45 %.1f %.1f)"/>`, n.name, x-5, y-5, x, y)
			p.add(`<rect class="mark-median" x="%.1f" y="%.1f" width="10" height="10" fill="#17202a" transform="rotate(45 %.1f %.1f)"/>`,
				x-5, p.py(n.p.MedianCVaR95/1e9)-5, x, p.py(n.p.MedianCVaR95/1e9))
		}
		p.text(x+12, y-6-float64(i)*12, "start", "annot", n.name)
	}
	p.legend("#17202a", "median-optimal / robust")
	p.legend("#f39c12", "recommended")
	return p.svg()
}

// heatmapChart bins the scenarios by FX vol and rates vol and colours each
// bin by the mean unhedged CVaR 95 of its scenarios.
func heatmapChart(sms []ScenarioMetric) string {
	n := len(sms)
	nb := min(max(int(math.Round(math.Sqrt(float64(n)/1.5))), 2), 8)
	fx, ir := make([]float64, n), make([]float64, n)
	for i, s := range sms {
		fx[i], ir[i] = s.FXVol, s.IRVol
	}
	fxLo, fxHi := minMax(fx)
	irLo, irHi := minMax(ir)
	if fxHi <= fxLo {
		fxHi = fxLo + 1e-6
	}
	if irHi <= irLo {
		irHi = irLo + 1e-6
	}
	bin := func(v, lo, hi float64) int { return min(max(int((v-lo)/(hi-lo)*float64(nb)), 0), nb-1) }
	sum, cnt := make([]float64, nb*nb), make([]int, nb*nb)
	for _, s := range sms {
		k := bin(s.IRVol, irLo, irHi)*nb + bin(s.FXVol, fxLo, fxHi)
		sum[k] += s.Unhedged.CVaR95
		cnt[k]++
	}
	var means []float64
	for k := range sum {
		if cnt[k] > 0 {
			means = append(means, sum[k]/float64(cnt[k]))
		}
	}
	cLo, cHi := minMax(means)
	p := newPlot("chart-heatmap", "Unhedged CVaR 95 at 1y over FX vol x rates vol", 760, 460)
	p.mr = 110
	p.x0, p.x1, p.y0, p.y1 = fxLo, fxHi, irLo, irHi
	p.axes("FX vol (annualised)", "rates normal vol (bp a year)", nil, nil)
	cw, ch := (p.w-p.ml-p.mr)/float64(nb), (p.h-p.mt-p.mb)/float64(nb)
	for i := 0; i <= nb; i++ {
		fv := fxLo + float64(i)/float64(nb)*(fxHi-fxLo)
		p.text(p.ml+float64(i)*cw, p.h-p.mb+16, "middle", "tick", fmtPct(fv))
		iv := irLo + float64(i)/float64(nb)*(irHi-irLo)
		p.text(p.ml-6, p.h-p.mb-float64(i)*ch+4, "end", "tick", fmt.Sprintf("%.0f", iv*1e4))
	}
	for iy := range nb {
		for ix := range nb {
			k := iy*nb + ix
			x, y := p.ml+float64(ix)*cw, p.h-p.mb-float64(iy+1)*ch
			if cnt[k] == 0 {
				p.add(`<rect class="cell empty" data-n="0" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#f2f3f4" stroke="#fff"/>`, x, y, cw, ch)
				continue
			}
			m := sum[k] / float64(cnt[k])
			t := 0.0
			if cHi > cLo {
				t = (m - cLo) / (cHi - cLo)
			}
			p.add(`<rect class="cell" data-n="%d" data-mean="%.0f" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" stroke="#fff"/>`,
				cnt[k], m, x, y, cw, ch, heat(t))
			cls := "cell-text"
			if t > 0.55 {
				cls = "cell-text light"
			}
			p.text(x+cw/2, y+ch/2+4, "middle", cls, fmtUSD(m))
		}
	}
	// Colour scale.
	lx, top, bottom := p.w-p.mr+24, p.mt, p.h-p.mb
	const steps = 10
	for i := range steps {
		h := (bottom - top) / steps
		p.add(`<rect class="legend" x="%.1f" y="%.1f" width="16" height="%.1f" fill="%s"/>`, lx, bottom-float64(i+1)*h, h+0.5, heat((float64(i)+0.5)/steps))
	}
	p.text(lx, top-6, "start", "tick", fmtUSD(cHi))
	p.text(lx, bottom+14, "start", "tick", fmtUSD(cLo))
	return p.svg()
}

// heat maps t in [0, 1] from pale yellow to dark red.
func heat(t float64) string {
	t = math.Min(math.Max(t, 0), 1)
	stops := [][3]float64{{255, 245, 200}, {245, 160, 70}, {200, 50, 40}, {110, 10, 30}}
	f := t * float64(len(stops)-1)
	i := min(int(f), len(stops)-2)
	u := f - float64(i)
	var c [3]int
	for j := range 3 {
		c[j] = int(math.Round(stops[i][j] + u*(stops[i+1][j]-stops[i][j])))
	}
	return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2])
}

// executionChart stacks each day's notional by instrument.
func executionChart(rows []execRow, instruments []string) string {
	days := 1
	for _, r := range rows {
		days = max(days, r.Day)
	}
	totals := make([]float64, days+1)
	for _, r := range rows {
		totals[r.Day] += r.NotionalUSD / 1e6
	}
	p := newPlot("chart-execution", "Execution schedule: notional traded per day", 760, 400)
	p.mr = 190
	p.x0, p.x1 = 0.5, float64(days)+0.5
	p.setY(0, slices.Max(totals))
	xt := ticks(1, float64(days), math.Max(1, math.Ceil(float64(days)/12)))
	p.axes("trading day", "notional ($m)", nil, fmtNum)
	for _, v := range xt {
		p.text(p.px(v), p.h-p.mb+16, "middle", "tick", fmt.Sprintf("%.0f", v))
	}
	colour := map[string]string{}
	for i, in := range instruments {
		colour[in] = palette[i%len(palette)]
	}
	base := make([]float64, days+1)
	bw := (p.px(1) - p.px(0)) * 0.8
	for _, r := range rows {
		v := r.NotionalUSD / 1e6
		if !(v > 0) {
			continue
		}
		y0, y1 := p.py(base[r.Day]), p.py(base[r.Day]+v)
		p.add(`<rect class="bar" data-day="%d" data-instrument="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`,
			r.Day, html.EscapeString(r.Instrument), p.px(float64(r.Day))-bw/2, y1, bw, y0-y1, colour[r.Instrument])
		base[r.Day] += v
	}
	for i, in := range instruments {
		y := p.mt + 4 + float64(i)*16
		p.add(`<rect class="legend" x="%.1f" y="%.1f" width="10" height="10" fill="%s"/>`, p.w-p.mr+14, y, colour[in])
		p.text(p.w-p.mr+28, y+9, "start", "legend-text", in)
	}
	return p.svg()
}

// execRow is the part of an execution.Row the chart needs.
type execRow struct {
	Day         int
	Instrument  string
	NotionalUSD float64
}

// fmtNum formats a plain number: whole above 100, three significant
// digits below, grouped in thousands when large.
func fmtNum(v float64) string {
	switch a := math.Abs(v); {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "n/a"
	case a >= 1e15:
		return strconv.FormatFloat(v, 'g', 4, 64)
	case a >= 100:
		return group(int64(math.Round(v)))
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// group writes n with commas between thousands.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// backtestChart draws a backtest window's daily funded ratio unhedged and
// hedged, one polyline each (class "line"), with a dot (class "pt") on the
// hedged line at every rebalance and a dashed line at the starting level.
func backtestChart(id, title string, w *BacktestWindow) string {
	s := &w.Series
	n := len(s.Dates)
	p := newPlot(id, title, 760, 380)
	p.setX(0, float64(n-1))
	if p.xstep < 1 {
		p.xstep = 1
	}
	lo, hi := minMax(s.FundedRatioUnhedged, s.FundedRatioHedged)
	p.setY(lo, hi)
	p.axes("business day", "funded ratio", func(v float64) string {
		i := int(math.Round(v))
		if i < 0 || i >= n {
			return ""
		}
		return s.Dates[i]
	}, fmtPct)
	p.add(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="4 3"/>`,
		p.ml, p.py(s.FundedRatioUnhedged[0]), p.w-p.mr, p.py(s.FundedRatioUnhedged[0]), colAxis)
	for _, l := range []struct {
		ys            []float64
		colour, label string
	}{{s.FundedRatioUnhedged, colUnhedged, "unhedged"}, {s.FundedRatioHedged, colHedged, "hedged (recalibrated)"}} {
		var pts strings.Builder
		for i, y := range l.ys {
			fmt.Fprintf(&pts, "%.1f,%.1f ", p.px(float64(i)), p.py(y))
		}
		p.add(`<polyline class="line" data-series="%s" data-n="%d" fill="none" stroke="%s" stroke-width="1.6" points="%s"/>`,
			html.EscapeString(l.label), len(l.ys), l.colour, strings.TrimSpace(pts.String()))
		p.legend(l.colour, l.label)
	}
	at := make(map[string]int, n)
	for i, d := range s.Dates {
		at[d] = i
	}
	for _, t := range w.Trades {
		if i, ok := at[t.Date]; ok && t.Error == "" {
			p.add(`<circle class="pt" data-date="%s" cx="%.1f" cy="%.1f" r="2.5" fill="%s"/>`,
				html.EscapeString(t.Date), p.px(float64(i)), p.py(s.FundedRatioHedged[i]), colHedged)
		}
	}
	return p.svg()
}
