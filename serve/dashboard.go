package serve

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/report"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go/jetstream"
)

//go:embed dashboard.tmpl
var dashFS embed.FS

var dashTemplate = template.Must(template.New("dashboard.tmpl").ParseFS(dashFS, "dashboard.tmpl"))

// Sections of the dashboard: each is rendered on the server and sent
// whole, as an event of its name, when its data changes.
type section int

const (
	sectionMarket section = iota
	sectionRuns
	sectionRecommendation
	sectionCharts
	numSections
)

var sectionNames = [numSections]string{"market", "runs", "recommendation", "charts"}

// dashboard holds what the live page shows, kept current by watchers on
// JetStream, and renders it.
type dashboard struct {
	s   *Server
	hub *hub

	mu      sync.Mutex
	quotes  map[string]streams.Quote
	runs    map[string]streams.RunState
	rec     *streams.Recommendation
	recSeen int
	rep     *chartsView
	// stored remembers the runs whose report is in the object store.
	stored map[string]bool
	dirty  [numSections]bool
	kick   chan struct{}
}

func newDashboard(s *Server) *dashboard {
	return &dashboard{s: s, hub: newHub(), quotes: map[string]streams.Quote{}, runs: map[string]streams.RunState{},
		stored: map[string]bool{}, kick: make(chan struct{}, 1)}
}

// touch marks a section as changed.
func (d *dashboard) touch(sec section) {
	d.mu.Lock()
	d.dirty[sec] = true
	d.mu.Unlock()
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// start runs the watchers and the renderer until ctx ends.
func (d *dashboard) start(ctx context.Context, wg *sync.WaitGroup) error {
	for _, w := range []struct {
		name string
		f    func(context.Context) error
	}{
		{"runs watcher", d.watchRuns},
		{"market watcher", d.watchMarket},
		{"recommendation watcher", d.watchRecommendations},
		{"latest report", d.loadLatestReport},
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.keep(ctx, w.name, w.f)
		}()
	}
	wg.Add(1)
	go func() { defer wg.Done(); d.render(ctx) }()
	return nil
}

// keep runs f until it returns nil or ctx ends, starting it again after
// errors.
func (d *dashboard) keep(ctx context.Context, name string, f func(context.Context) error) {
	pause := time.Second
	for {
		err := safeRun(ctx, f)
		if err == nil || ctx.Err() != nil {
			return
		}
		d.s.log.Warn("dashboard: "+name+" stopped; starting it again", "err", err, "after", pause)
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, 30*time.Second)
	}
}

// render publishes the changed sections, coalescing bursts of changes
// (a run's partitions) into one event per section every 100 ms at most.
func (d *dashboard) render(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-d.kick:
		}
		d.mu.Lock()
		dirty := d.dirty
		d.dirty = [numSections]bool{}
		d.mu.Unlock()
		for sec, on := range dirty {
			if on && d.hub.count() > 0 {
				d.hub.publish(event{name: sectionNames[sec], data: d.fragment(section(sec))})
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// snapshot returns every section as an event, for a new event stream.
func (d *dashboard) snapshot() []event {
	out := make([]event, numSections)
	for sec := range numSections {
		out[sec] = event{name: sectionNames[sec], data: d.fragment(sec)}
	}
	return out
}

// fragment renders a section.
func (d *dashboard) fragment(sec section) []byte {
	var v any
	switch sec {
	case sectionMarket:
		v = d.marketView()
	case sectionRuns:
		v = d.runsView()
	case sectionRecommendation:
		v = d.recView()
	case sectionCharts:
		d.mu.Lock()
		v = d.rep
		d.mu.Unlock()
		if v == (*chartsView)(nil) {
			v = &chartsView{}
		}
	}
	var buf bytes.Buffer
	if err := dashTemplate.ExecuteTemplate(&buf, sectionNames[sec], v); err != nil {
		d.s.log.Error("dashboard: rendering", "section", sectionNames[sec], "err", err)
		return []byte(`<p class="note">This section could not be rendered: ` + template.HTMLEscapeString(err.Error()) + `</p>`)
	}
	return buf.Bytes()
}

// servePage renders the whole page with the current state.
func (d *dashboard) servePage(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	v := struct {
		Service                              string
		Market, Runs, Recommendation, Charts template.HTML
	}{
		Service:        fmt.Sprintf("NATS %s", d.s.nc.ConnectedUrlRedacted()),
		Market:         template.HTML(d.fragment(sectionMarket)),
		Runs:           template.HTML(d.fragment(sectionRuns)),
		Recommendation: template.HTML(d.fragment(sectionRecommendation)),
		Charts:         template.HTML(d.fragment(sectionCharts)),
	}
	var buf bytes.Buffer
	if err := dashTemplate.ExecuteTemplate(&buf, "page", v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

// Watchers.

func (d *dashboard) watchRuns(ctx context.Context) error {
	// "*" matches the keys of one token: run states, not specs, requests
	// or the latest-recommendation key.
	w, err := d.s.h.Runs.Watch(ctx, "*")
	if err != nil {
		return err
	}
	return mirror(ctx, d, w, "runs", d.runs, sectionRuns)
}

func (d *dashboard) watchMarket(ctx context.Context) error {
	w, err := d.s.marketKV.WatchAll(ctx)
	if err != nil {
		return err
	}
	return mirror(ctx, d, w, "market", d.quotes, sectionMarket)
}

// mirror keeps dst (under d.mu) equal to the decoded values of the keys w
// watches, and refreshes sec after every change, until ctx ends. It
// stops w.
func mirror[T any](ctx context.Context, d *dashboard, w jetstream.KeyWatcher, name string, dst map[string]T, sec section) error {
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case e, ok := <-w.Updates():
			if !ok {
				return errors.New(name + " watch closed")
			}
			if e == nil {
				continue // the initial values are in
			}
			d.mu.Lock()
			if e.Operation() != jetstream.KeyValuePut {
				delete(dst, e.Key())
			} else {
				var v T
				if streams.Decode(e.Value(), &v) == nil {
					dst[e.Key()] = v
				}
			}
			d.mu.Unlock()
			d.touch(sec)
		}
	}
}

// watchRecommendations follows the recommendations stream from its last
// message.
func (d *dashboard) watchRecommendations(ctx context.Context) error {
	cons, err := d.s.js.OrderedConsumer(ctx, streams.RecommendationStream, jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverLastPolicy,
	})
	if err != nil {
		return err
	}
	it, err := cons.Messages()
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()
	defer it.Stop()
	first := true
	for {
		m, err := it.Next()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		var r streams.Recommendation
		if err := streams.Decode(m.Data(), &r); err != nil {
			d.s.log.Warn("dashboard: undecodable recommendation ignored", "err", err)
			continue
		}
		md, _ := m.Metadata()
		// The last stored one is the current state, not news.
		fresh := !first || md == nil || time.Since(md.Timestamp) < time.Minute
		first = false
		d.mu.Lock()
		d.rec = &r
		d.recSeen++
		d.mu.Unlock()
		if fresh {
			d.s.met.recommendations.Inc()
			if r.LatencySeconds > 0 {
				d.s.met.recLatency.Observe(r.LatencySeconds)
			}
		}
		d.touch(sectionRecommendation)
	}
}

// loadLatestReport shows the newest stored report at start.
func (d *dashboard) loadLatestReport(ctx context.Context) error {
	e, err := d.s.h.Runs.Get(ctx, latestReportKey)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	b, err := d.s.h.Blobs.GetBytes(ctx, ReportObject(string(e.Value())))
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	var rep report.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return fmt.Errorf("report %s: %w", e.Value(), err)
	}
	d.mu.Lock()
	newer := d.rep == nil
	d.mu.Unlock()
	if newer {
		d.setReport(&rep)
	}
	return nil
}

// Views.

// cell is one quoted value in the market tables; Key is its state key.
type cell struct{ Key, Value string }

// ccyRow is one currency's FX, curve and swaption quotes.
type ccyRow struct {
	Ccy                          string
	Spot, Vol, Z2, Z10, Z30, Swp cell
}

type marketView struct {
	AsOf    string
	N       int
	Ccys    []ccyRow
	Ratings []cell // credit spreads by rating
	Indices []cell // credit index spreads
	Equity  []cell // equity vols and levels
	// Names label the cells of Ratings, Indices and Equity.
	RatingNames, IndexNames, EquityNames []string
}

func quoteValue(q *streams.Quote) string {
	switch q.Kind {
	case streams.KindFXSpot:
		return fmt.Sprintf("%.4f", q.Value)
	case streams.KindFXVol, streams.KindEquityVol:
		return fmt.Sprintf("%.2f%%", 100*q.Value)
	case streams.KindSwaptionVol, streams.KindCreditSpread, streams.KindCreditIndex:
		return fmt.Sprintf("%.1f bp", q.Value)
	}
	return fmt.Sprintf("%.2f", q.Value)
}

// zeroAt returns a zero quote's rate at tenor years, if it has that tenor.
func zeroAt(q *streams.Quote, years float64) (cell, bool) {
	for i, t := range q.Tenors {
		if t == years && i < len(q.Values) {
			return cell{q.StateKey(), fmt.Sprintf("%.2f%%", q.Values[i])}, true
		}
	}
	return cell{}, false
}

// marketView lays the state out as a currency table (FX spot and vol,
// zero rates at 2, 10 and 30 years, swaption vol) and rows of credit and
// equity quotes.
func (d *dashboard) marketView() *marketView {
	d.mu.Lock()
	qs := make(map[string]streams.Quote, len(d.quotes))
	maps.Copy(qs, d.quotes)
	d.mu.Unlock()
	v := &marketView{N: len(qs)}
	var latest time.Time
	for _, q := range qs {
		if q.Time.After(latest) {
			latest = q.Time
		}
	}
	v.AsOf = latest.UTC().Format("2006-01-02 15:04:05 MST")
	get := func(kind, key string) (cell, *streams.Quote) {
		q, ok := qs[kind+"."+key]
		if !ok {
			return cell{Value: "-"}, nil
		}
		return cell{q.StateKey(), quoteValue(&q)}, &q
	}
	for c := range market.NumCcy {
		name := c.String()
		row := ccyRow{Ccy: name}
		row.Spot, _ = get(streams.KindFXSpot, name)
		row.Vol, _ = get(streams.KindFXVol, name)
		row.Swp, _ = get(streams.KindSwaptionVol, name)
		row.Z2, row.Z10, row.Z30 = cell{Value: "-"}, cell{Value: "-"}, cell{Value: "-"}
		if _, z := get(streams.KindZero, name); z != nil {
			for _, p := range []struct {
				c *cell
				t float64
			}{{&row.Z2, 2}, {&row.Z10, 10}, {&row.Z30, 30}} {
				if x, ok := zeroAt(z, p.t); ok {
					*p.c = x
				}
			}
		}
		if c == market.USD {
			row.Spot, row.Vol = cell{Value: "1"}, cell{Value: "-"}
		}
		v.Ccys = append(v.Ccys, row)
	}
	for r := range market.NumRating {
		c, _ := get(streams.KindCreditSpread, r.String())
		v.Ratings, v.RatingNames = append(v.Ratings, c), append(v.RatingNames, r.String())
	}
	for i := range market.NumIndex {
		c, _ := get(streams.KindCreditIndex, i.String())
		v.Indices, v.IndexNames = append(v.Indices, c), append(v.IndexNames, i.String())
	}
	var eq []string
	for k, q := range qs {
		if q.Kind == streams.KindEquityVol || q.Kind == streams.KindEquityLevel {
			eq = append(eq, k)
		}
	}
	slices.Sort(eq)
	for _, k := range eq {
		q := qs[k]
		label := q.Key + " vol"
		if q.Kind == streams.KindEquityLevel {
			label = q.Key + " level"
		}
		v.Equity, v.EquityNames = append(v.Equity, cell{k, quoteValue(&q)}), append(v.EquityNames, label)
	}
	return v
}

type runRow struct {
	ID, Status, Error, Updated string
	Done, Total, Position      int
	Report                     bool
}

type runsView struct {
	Rows                            []runRow
	InProgress, Queued, Concurrency int
}

// runsView lists the queued runs, the runs in progress (here, elsewhere,
// or left to resume), and the five latest finished ones.
func (d *dashboard) runsView() *runsView {
	s := d.s
	queued := s.q.ids()
	s.mu.Lock()
	active := make(map[string]activeRun, len(s.active))
	for id, a := range s.active {
		active[id] = *a
	}
	s.mu.Unlock()
	d.mu.Lock()
	states := make([]streams.RunState, 0, len(d.runs))
	for _, st := range d.runs {
		states = append(states, st)
	}
	d.mu.Unlock()
	v := &runsView{InProgress: len(active), Queued: len(queued), Concurrency: s.cfg.Concurrency}
	for i, id := range queued {
		v.Rows = append(v.Rows, runRow{ID: id, Status: statusQueued, Position: i + 1})
	}
	slices.SortFunc(states, func(a, b streams.RunState) int { return b.Updated.Compare(a.Updated) })
	var finished []runRow
	seen := map[string]bool{}
	for _, st := range states {
		seen[st.RunID] = true
		row := runRow{ID: st.RunID, Status: st.Status, Error: st.Error, Done: st.Done, Total: st.Partitions,
			Updated: st.Updated.UTC().Format("15:04:05")}
		a, here := active[st.RunID]
		switch {
		case here:
			row.Done = max(row.Done, a.Done)
			if a.Reporting || st.Status == streams.StatusComplete {
				row.Status = statusReporting
			}
			v.Rows = append(v.Rows, row)
		case st.Status == streams.StatusRunning:
			v.Rows = append(v.Rows, row)
		default:
			if len(finished) < 5 {
				row.Report = st.Status == streams.StatusComplete && d.hasReport(st.RunID)
				finished = append(finished, row)
			}
		}
	}
	for id, a := range active {
		if !seen[id] {
			v.Rows = append(v.Rows, runRow{ID: id, Status: statusRunning, Done: a.Done, Total: a.Total})
		}
	}
	v.Rows = append(v.Rows, finished...)
	return v
}

// hasReport reports whether a run's report is in the object store (the
// recalibrator's runs publish recommendations, not reports).
func (d *dashboard) hasReport(id string) bool {
	d.mu.Lock()
	ok := d.stored[id]
	d.mu.Unlock()
	if ok {
		return true
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := d.s.h.Blobs.GetInfo(ctx, ReportObject(id)); err != nil {
		return false
	}
	d.mu.Lock()
	d.stored[id] = true
	d.mu.Unlock()
	return true
}

type lineRow struct{ ID, Instrument, Notional, CostBps string }

type changeRow struct{ ID, Change, From, To string }

type moveRow struct{ Quantity, From, To, Threshold, Unit string }

type recDetail struct {
	Seq                               uint64
	Time, MarketTime, Mode, BaseRunID string
	CostBps, Latency                  string
	CVaR95, UnhedgedCVaR95            string
	FundingVol, UnhedgedFRVol         string
	Why                               string
	Lines                             []lineRow
	Changes                           []changeRow
	Moves                             []moveRow
	Seen                              int
}

type recView struct{ R *recDetail }

func usd(x float64) string {
	sign := ""
	if x < 0 {
		sign, x = "-", -x
	}
	switch {
	case x >= 1e9:
		return fmt.Sprintf("%s$%.2fbn", sign, x/1e9)
	case x >= 1e6:
		return fmt.Sprintf("%s$%.1fm", sign, x/1e6)
	}
	return fmt.Sprintf("%s$%.0f", sign, x)
}

func pct(x float64) string { return fmt.Sprintf("%.2f%%", 100*x) }

func (d *dashboard) recView() *recView {
	d.mu.Lock()
	r, seen := d.rec, d.recSeen
	d.mu.Unlock()
	if r == nil {
		return &recView{}
	}
	v := &recDetail{Seq: r.Seq, Time: r.Time.UTC().Format("2006-01-02 15:04:05"), MarketTime: r.MarketTime.UTC().Format("2006-01-02 15:04:05"),
		Mode: r.Mode, BaseRunID: r.BaseRunID, CostBps: fmt.Sprintf("%.1f bp a year", r.CostBps),
		Latency: fmt.Sprintf("%.2f s", r.LatencySeconds), CVaR95: usd(r.CVaR95), UnhedgedCVaR95: usd(r.UnhedgedCVaR95),
		FundingVol: pct(r.FundingVol), UnhedgedFRVol: pct(r.UnhedgedFRVol), Why: r.Why, Seen: seen}
	if r.MarketTime.IsZero() {
		v.MarketTime = "-"
	}
	for _, l := range r.Lines {
		v.Lines = append(v.Lines, lineRow{ID: l.ID, Instrument: l.Instrument, Notional: usd(l.NotionalUSD), CostBps: fmt.Sprintf("%.2f bp", l.CostBps)})
	}
	for _, c := range r.Changes {
		v.Changes = append(v.Changes, changeRow{ID: c.ID, Change: c.Change, From: usd(c.From), To: usd(c.To)})
	}
	for _, m := range r.Moves {
		f := func(x float64) string { return fmt.Sprintf("%.4g", x) }
		v.Moves = append(v.Moves, moveRow{Quantity: m.Quantity, From: f(m.From), To: f(m.To), Threshold: f(m.Threshold), Unit: m.Unit})
	}
	return &recView{R: v}
}

type fact struct{ Name, Value string }

type chartsView struct {
	RunID  string
	Facts  []fact
	Charts []report.Chart
}

// setReport makes rep the report whose charts the page shows.
func (d *dashboard) setReport(rep *report.Report) {
	v := &chartsView{RunID: rep.RunID, Charts: rep.Charts(), Facts: []fact{
		{"Fund", rep.Portfolio.Name}, {"Scenarios x paths", fmt.Sprintf("%d x %d", rep.Scenarios, rep.Paths)},
		{"Seed", fmt.Sprint(rep.Seed)}, {"Funded ratio", pct(rep.Portfolio.FundedRatio)},
	}}
	d.mu.Lock()
	d.rep = v
	d.stored[rep.RunID] = true
	d.mu.Unlock()
	d.touch(sectionCharts)
	d.touch(sectionRuns)
}
