package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/pricing/execution"
	"github.com/hedgeflow/hedgeflow/report"
	"github.com/hedgeflow/hedgeflow/run"
)

var (
	smallOnce sync.Once
	smallRep  *report.Report
	smallErr  error
)

// small runs the sample fund once for all the tests of this file: 20
// scenarios x 40 paths, hedging and agents on.
func small(t *testing.T) *report.Report {
	t.Helper()
	smallOnce.Do(func() {
		smallRep, smallErr = run.Execute(context.Background(), run.Options{
			PortfolioFile: examples.PortfolioFile, PortfolioYAML: examples.Portfolio,
			MarketFile: examples.MarketFile, MarketYAML: examples.Market,
			Scenarios: 20, Paths: 40, Seed: 42, Workers: 2,
		})
	})
	if smallErr != nil {
		t.Fatal(smallErr)
	}
	if smallRep.Recommended == nil || len(smallRep.Agents) == 0 || smallRep.ExecutionPlan == nil {
		t.Fatalf("the small run has no programme, agents or execution plan (hedging error %q, agents error %q)",
			smallRep.HedgingError, smallRep.AgentsError)
	}
	return smallRep
}

var (
	svgRE   = regexp.MustCompile(`(?s)<svg class="chart" id="([a-z-]+)".*?</svg>`)
	classRE = regexp.MustCompile(`<(?:rect|circle)[^>]* class="([a-z -]+)"[^>]*>`)
	dataNRE = regexp.MustCompile(`data-n="(\d+)"`)
)

// chart is one SVG of a page: its marks by class and the data-n of each.
type chart struct {
	src   string
	count map[string]int
	n     map[string]int // sum of data-n by class
}

// charts extracts the page's SVGs, checking each is well-formed XML.
func charts(t *testing.T, page []byte) map[string]chart {
	t.Helper()
	out := map[string]chart{}
	for _, m := range svgRE.FindAllStringSubmatch(string(page), -1) {
		d := xml.NewDecoder(strings.NewReader(m[0]))
		for {
			_, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("chart %s is not well-formed XML: %v", m[1], err)
			}
		}
		c := chart{src: m[0], count: map[string]int{}, n: map[string]int{}}
		for _, e := range classRE.FindAllStringSubmatch(m[0], -1) {
			c.count[e[1]]++
			if n := dataNRE.FindStringSubmatch(e[0]); n != nil {
				v, _ := strconv.Atoi(n[1])
				c.n[e[1]] += v
			}
		}
		out[m[1]] = c
	}
	return out
}

func page(t *testing.T, r *report.Report) []byte {
	t.Helper()
	b, err := r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// noExternal fails when the page could load anything from outside itself.
func noExternal(t *testing.T, b []byte) {
	t.Helper()
	s := strings.ToLower(string(b))
	for _, bad := range []string{"http", "<script", "src=", "href=", "url(", "@import", "<link"} {
		if strings.Contains(s, bad) {
			i := strings.Index(s, bad)
			t.Errorf("page contains %q: ...%s...", bad, s[max(i-60, 0):min(i+60, len(s))])
		}
	}
}

func TestHTMLCharts(t *testing.T) {
	r := small(t)
	b := page(t, r)
	noExternal(t, b)
	cs := charts(t, b)
	for _, id := range []string{"chart-fr-dist", "chart-effectiveness", "chart-frontier", "chart-heatmap", "chart-execution"} {
		if _, ok := cs[id]; !ok {
			t.Errorf("chart %s missing", id)
		}
	}

	// 1: every scenario counted once unhedged and once hedged.
	fr := cs["chart-fr-dist"]
	if fr.n["bar"] != 2*r.Scenarios || fr.count["bar"] < 2 {
		t.Errorf("funded-ratio vol histogram: %d bars holding %d scenarios, want both series over %d scenarios", fr.count["bar"], fr.n["bar"], r.Scenarios)
	}
	if got := strings.Count(fr.src, `data-series="hedged (recommended)"`); got == 0 {
		t.Error("funded-ratio vol histogram has no hedged bar")
	}

	// 2: one point per scenario with a positive unhedged CVaR.
	want := 0
	for _, s := range r.ScenarioMetrics {
		if s.Hedged != nil && s.Unhedged.CVaR95 > 0 {
			want++
		}
	}
	if got := cs["chart-effectiveness"].count["pt"]; got != want || want == 0 {
		t.Errorf("effectiveness scatter has %d points, want %d", got, want)
	}

	// 3: two points per frontier programme, three named programmes.
	fc := cs["chart-frontier"]
	if got := fc.count["pt"]; got != 2*len(r.Frontier) || len(r.Frontier) == 0 {
		t.Errorf("frontier has %d points, want %d", got, 2*len(r.Frontier))
	}
	for _, name := range []string{"median-optimal", "robust", "recommended"} {
		if !strings.Contains(fc.src, `class="mark" data-name="`+name+`"`) {
			t.Errorf("frontier does not mark the %s programme", name)
		}
	}

	// 4: a square grid of cells holding every scenario once.
	hm := cs["chart-heatmap"]
	cells := hm.count["cell"] + hm.count["cell empty"]
	if k := isqrt(cells); k*k != cells || k < 2 {
		t.Errorf("heatmap has %d cells, want a square grid", cells)
	}
	if hm.n["cell"] != r.Scenarios {
		t.Errorf("heatmap cells hold %d scenarios, want %d", hm.n["cell"], r.Scenarios)
	}

	// 5: one bar per trade of the execution plan.
	s := schedule(t, r)
	trades := 0
	for _, row := range s.Rows {
		if row.NotionalUSD > 0 {
			trades++
		}
	}
	if got := cs["chart-execution"].count["bar"]; got != trades || trades == 0 {
		t.Errorf("execution chart has %d bars, want %d", got, trades)
	}
}

func isqrt(n int) int {
	k := 0
	for (k+1)*(k+1) <= n {
		k++
	}
	return k
}

func schedule(t *testing.T, r *report.Report) *execution.Schedule {
	t.Helper()
	b, err := json.Marshal(r.ExecutionPlan)
	if err != nil {
		t.Fatal(err)
	}
	var s execution.Schedule
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

var hedgeRowRE = regexp.MustCompile(`<tr class="hedge"><td>([^<]*)</td>`)

func TestHTMLTables(t *testing.T) {
	r := small(t)
	b := string(page(t, r))
	rows := hedgeRowRE.FindAllStringSubmatch(b, -1)
	if len(rows) != len(r.Recommended.Hedges) || len(rows) == 0 {
		t.Fatalf("programme table has %d rows, recommended programme %d hedges", len(rows), len(r.Recommended.Hedges))
	}
	for i, h := range r.Recommended.Hedges {
		if rows[i][1] != h.ID {
			t.Errorf("programme row %d is %q, want %q", i, rows[i][1], h.ID)
		}
	}
	for _, want := range []string{
		"against a budget of " + strconv.FormatFloat(r.HedgingPolicy.BudgetBps, 'f', 1, 64) + " bp",
		`id="horizon-table"`, `id="compare-table"`, `id="robustness-table"`, `id="roadmap-table"`,
		"median-optimal", "robust", "@media print",
		// the frontier and the cost of robustness in the policy's measure
		"λ worst-scenario CVaR 95", "USD of worst-scenario CVaR 95 saved per USD given up",
	} {
		if !strings.Contains(b, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// The same report under the tail measure speaks of the tail.
	tr := *r
	hp := *r.HedgingPolicy
	hp.Robustness, hp.TailShare = "tail", 0.10
	tr.HedgingPolicy = &hp
	tb := string(page(t, &tr))
	for _, want := range []string{"λ mean CVaR 95 of the worst 10% of scenarios", "USD of mean CVaR 95 of the worst 10% of scenarios saved per USD given up"} {
		if !strings.Contains(tb, want) {
			t.Errorf("the page under the tail measure lacks %q", want)
		}
	}
	if strings.Contains(tb, "λ worst-scenario CVaR 95") {
		t.Error("the page under the tail measure still weighs the worst scenario")
	}
	if got := strings.Count(b, `<div class="agent">`); got != len(r.Agents) {
		t.Errorf("page shows %d agents, report has %d", got, len(r.Agents))
	}
	if got := strings.Count(regexp.MustCompile(`(?s)<table id="horizon-table">.*?</table>`).FindString(b), "<tr>") - 1; got != len(r.ByHorizon) {
		t.Errorf("horizon table has %d rows, report %d horizons", got, len(r.ByHorizon))
	}
	// Unhedged and hedged by horizon: a header of two rows, then one row
	// per horizon with the 5 metrics in pairs.
	ht := regexp.MustCompile(`(?s)<table id="hedged-horizon-table">.*?</table>`).FindString(b)
	if got := strings.Count(ht, "<tr>") - 2; got != len(r.ByHorizon) || len(r.Recommended.ByHorizon) != len(r.ByHorizon) {
		t.Errorf("hedged-by-horizon table has %d rows, report %d horizons (%d hedged)", got, len(r.ByHorizon), len(r.Recommended.ByHorizon))
	}
	if last := r.Recommended.ByHorizon[len(r.ByHorizon)-1]; !strings.Contains(ht, ">"+strconv.FormatFloat(100*last.FundingRatioVol, 'f', 1, 64)+"%<") {
		t.Errorf("hedged-by-horizon table lacks the hedged one-year funding-ratio vol %.4f", last.FundingRatioVol)
	}
}

// A run given holdings: the programme section says whether the book was
// kept and what trading to the recommendation costs, and when there is
// nothing to trade the execution section says so, not that the agents did
// not run. Without holdings neither line appears.
func TestHTMLHeldBook(t *testing.T) {
	r := small(t)
	if b := string(page(t, r)); strings.Contains(b, `id="held-book"`) {
		t.Error("a run without holdings shows a held book")
	}
	hr := *r
	hp := *r.HedgingPolicy
	hp.RebalanceDecision = "keep: the best rebalance improves on the held programme by 0.00%"
	hr.HedgingPolicy = &hp
	rec := *r.Recommended
	rec.TradeCostUSD = 2.5e6
	hr.Recommended = &rec
	hr.ExecutionPlan = nil
	hr.Agents = append([]report.Agent(nil), r.Agents...)
	for i := range hr.Agents {
		if hr.Agents[i].Role == "execution" {
			hr.Agents[i].Decision, hr.Agents[i].Chosen = "nothing to execute: the programme is the book held", "none"
		}
	}
	b := string(page(t, &hr))
	for _, want := range []string{
		`<p id="held-book"><strong>Held book:</strong> keep: the best rebalance improves on the held programme by 0.00%; trading from the book to the recommendation costs `,
		"No execution plan: nothing to execute: the programme is the book held.",
	} {
		if !strings.Contains(b, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// A report read back from report.json renders the same page as the run's
// own (the execution plan is then a decoded map, not a *Schedule).
func TestHTMLFromJSON(t *testing.T) {
	r := small(t)
	j, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var back report.Report
	if err := json.Unmarshal(j, &back); err != nil {
		t.Fatal(err)
	}
	if _, ok := back.ExecutionPlan.(map[string]any); !ok {
		t.Fatalf("decoded execution plan is %T", back.ExecutionPlan)
	}
	if !bytes.Equal(page(t, r), page(t, &back)) {
		t.Error("the page from report.json differs from the run's")
	}
}

// Without hedging or agents the page still renders, says why sections are
// missing, and keeps the charts that need only the unhedged run.
func TestHTMLMissingData(t *testing.T) {
	r := *small(t)
	r.UnhedgedOnHedgePaths, r.Recommended, r.MedianOptimal, r.Robust, r.CostOfRobustness = nil, nil, nil, nil, nil
	r.Frontier, r.HedgingPolicy, r.Agents, r.ExecutionPlan, r.ExecutiveSummary = nil, nil, nil, nil, ""
	r.ScenarioMetrics = append([]report.ScenarioMetric(nil), r.ScenarioMetrics...)
	for i := range r.ScenarioMetrics {
		r.ScenarioMetrics[i].Hedged = nil
	}
	b := page(t, &r)
	noExternal(t, b)
	cs := charts(t, b)
	for _, id := range []string{"chart-fr-dist", "chart-heatmap"} {
		if _, ok := cs[id]; !ok {
			t.Errorf("chart %s missing without hedging", id)
		}
	}
	for _, id := range []string{"chart-effectiveness", "chart-frontier", "chart-execution"} {
		if _, ok := cs[id]; ok {
			t.Errorf("chart %s drawn without hedging", id)
		}
	}
	if got := cs["chart-fr-dist"].n["bar"]; got != r.Scenarios {
		t.Errorf("unhedged histogram holds %d scenarios, want %d", got, r.Scenarios)
	}
	s := string(b)
	for _, want := range []string{"This run had no hedging", "No agent decisions", "No execution plan", "No executive summary"} {
		if !strings.Contains(s, want) {
			t.Errorf("page does not say %q", want)
		}
	}
	if strings.Contains(s, `id="programme-table"`) {
		t.Error("programme table shown without a programme")
	}

	r.HedgingError = "optimiser: infeasible"
	if !strings.Contains(string(page(t, &r)), "The hedge optimisation failed: optimiser: infeasible") {
		t.Error("page does not give the hedging error")
	}

	// An execution plan that is not a schedule is reported, not fatal.
	r.ExecutionPlan = "not a schedule"
	if !strings.Contains(string(page(t, &r)), "The execution plan could not be read") {
		t.Error("page does not say the execution plan is unreadable")
	}

	// An empty report renders too, with every section saying it is empty.
	e := string(page(t, &report.Report{}))
	if strings.Contains(e, `<svg`) || !strings.Contains(e, "no scenario metrics") || !strings.Contains(e, "no metrics by horizon") {
		t.Error("empty report: charts drawn or missing notes")
	}
}

// A real --no-hedging run: no programme, agents or execution plan, and a
// page that says so with the unhedged charts drawn.
func TestHTMLNoHedgingRun(t *testing.T) {
	r, err := run.Execute(context.Background(), run.Options{
		PortfolioFile: examples.PortfolioFile, PortfolioYAML: examples.Portfolio,
		MarketFile: examples.MarketFile, MarketYAML: examples.Market,
		Scenarios: 12, Paths: 30, Seed: 7, Workers: 2, NoHedging: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	b := page(t, r)
	noExternal(t, b)
	cs := charts(t, b)
	if len(cs) != 2 || cs["chart-fr-dist"].n["bar"] != r.Scenarios || cs["chart-heatmap"].n["cell"] != r.Scenarios {
		t.Errorf("no-hedging page draws %d charts, want the two unhedged ones over %d scenarios", len(cs), r.Scenarios)
	}
	for _, want := range []string{"This run had no hedging", "No agent decisions", "No execution plan", `id="horizon-table"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("no-hedging page lacks %q", want)
		}
	}
}

// Text from the agents (a language model's rationale, say) and names from
// the portfolio are escaped in the HTML and in the SVG.
func TestHTMLEscapes(t *testing.T) {
	r := *small(t)
	evil := `<script>alert(1)</script><img src=x onerror=alert(2)>`
	r.ExecutiveSummary = evil
	r.Agents = append([]report.Agent{{Role: "x", Name: evil, Decision: evil, Rationale: evil}}, r.Agents...)
	rec := *r.Recommended
	rec.Hedges = append(rec.Hedges[:0:0], rec.Hedges...)
	rec.Hedges[0].ID = evil
	r.Recommended = &rec
	s := schedule(t, &r)
	s.Rows[0].Instrument, s.Roadmap[0].Instrument = evil, evil
	r.ExecutionPlan = s
	b := page(t, &r)
	if bytes.Contains(b, []byte("<script")) || bytes.Contains(b, []byte("<img")) {
		t.Error("agent or hedge text reached the page unescaped")
	}
	charts(t, b) // the SVGs stay well-formed
}

func TestWriteFilesHTML(t *testing.T) {
	r := small(t)
	dir := t.TempDir()
	p, err := r.WriteFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p != filepath.Join(dir, "report.json") {
		t.Errorf("WriteFiles returned %s", p)
	}
	got, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, page(t, r)) {
		t.Error("report.html differs from Report.HTML")
	}
}
