package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/input"
	"github.com/hedgeflow/hedgeflow/pricing/risk"
	"github.com/hedgeflow/hedgeflow/report"
	"github.com/hedgeflow/hedgeflow/run"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nats.go/micro"
)

// Keys and object names the service adds to the runs bucket and the
// object store.
const (
	// requestSuffix: <run>.request holds an accepted request until its
	// run is done, so that a restarted service runs or resumes it.
	requestSuffix = ".request"
	// latestReportKey names the run whose report is the newest.
	latestReportKey = "report.latest"
)

// ReportObject is the object-store name of a run's report.json in the
// HEDGE_BLOBS bucket; its report.html is beside it.
func ReportObject(runID string) string { return runID + "/report.json" }

func reportHTMLObject(runID string) string { return runID + "/report.html" }

// record is what <run>.request holds.
type record struct {
	accepted
	Enqueued time.Time `json:"enqueued"`
	// Reply is the requester's reply subject when it waits: a restarted
	// service still answers it if the requester is still listening.
	Reply string `json:"reply,omitempty"`
}

// Summary is what a waiting hedge.run requester gets back.
type Summary struct {
	RunID     string           `json:"run_id"`
	Status    string           `json:"status"`
	Seconds   float64          `json:"seconds"`
	Portfolio report.Portfolio `json:"portfolio"`
	Scenarios int              `json:"scenarios"`
	Paths     int              `json:"paths"`
	Seed      uint64           `json:"seed"`
	// Unhedged holds the one-year metrics over every path.
	Unhedged risk.Metrics `json:"unhedged"`
	// UnhedgedOnHedgePaths and Recommended compare like for like.
	UnhedgedOnHedgePaths *report.ProgrammeMetrics `json:"unhedged_on_hedge_paths,omitempty"`
	Recommended          *ProgrammeSummary        `json:"recommended,omitempty"`
	HedgingError         string                   `json:"hedging_error,omitempty"`
	ExecutiveSummary     string                   `json:"executive_summary,omitempty"`
	// Report is the object-store name of report.json (bucket HEDGE_BLOBS),
	// also served by hedge.report and GET /api/runs/ID/report.json.
	Report string `json:"report"`
}

// ProgrammeSummary is the recommended hedge programme in brief.
type ProgrammeSummary struct {
	CostBps     float64                 `json:"cost_bps"`
	CostUSD     float64                 `json:"cost_usd_per_year"`
	Metrics     report.ProgrammeMetrics `json:"metrics"`
	WorstCVaR95 float64                 `json:"worst_scenario_cvar95"`
	Hedges      []HedgeLine             `json:"hedges"`
}

// HedgeLine is one hedge of the recommended programme.
type HedgeLine struct {
	ID          string   `json:"id"`
	Instrument  string   `json:"instrument"`
	Underlying  string   `json:"underlying"`
	Tenor       string   `json:"tenor"`
	NotionalUSD float64  `json:"notional_usd"`
	HedgeRatio  *float64 `json:"hedge_ratio,omitempty"`
	CostBps     float64  `json:"cost_bps"`
}

func summarise(rep *report.Report) *Summary {
	s := &Summary{RunID: rep.RunID, Status: statusComplete, Seconds: rep.Timing.TotalSeconds, Portfolio: rep.Portfolio,
		Scenarios: rep.Scenarios, Paths: rep.Paths, Seed: rep.Seed, Unhedged: rep.Unhedged,
		UnhedgedOnHedgePaths: rep.UnhedgedOnHedgePaths, HedgingError: rep.HedgingError,
		ExecutiveSummary: rep.ExecutiveSummary, Report: ReportObject(rep.RunID)}
	if p := rep.Recommended; p != nil {
		ps := &ProgrammeSummary{CostBps: p.CostBps, CostUSD: p.CostUSD, WorstCVaR95: p.WorstCVaR95}
		if p.Metrics != nil {
			ps.Metrics = *p.Metrics
		}
		for _, h := range p.Hedges {
			ps.Hedges = append(ps.Hedges, HedgeLine{ID: h.ID, Instrument: h.Instrument, Underlying: h.Underlying, Tenor: h.Tenor,
				NotionalUSD: h.NotionalUSD, HedgeRatio: h.HedgeRatio, CostBps: h.CostBps})
		}
		s.Recommended = ps
	}
	return s
}

// enqueue records an accepted request in the runs bucket and queues it.
func (s *Server) enqueue(ctx context.Context, id string, acc *accepted, reply string) error {
	rec := record{accepted: *acc, Enqueued: time.Now().UTC(), Reply: reply}
	b, err := json.Marshal(&rec)
	if err != nil {
		return err
	}
	if _, err := s.h.Runs.Create(ctx, id+requestSuffix, b); err != nil {
		return fmt.Errorf("recording the request: %w", err)
	}
	if err := s.q.push(&job{id: id, acc: acc, reply: reply, enqueued: rec.Enqueued}, false); err != nil {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		_ = s.h.Runs.Delete(dctx, id+requestSuffix)
		cancel()
		return err
	}
	return nil
}

// recover queues the runs a previous process accepted and did not finish:
// those it had started are resumed from their KV state, the others run
// from the start, oldest first.
func (s *Server) recover(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	keys, err := s.h.Runs.ListKeysFiltered(ctx, "*"+requestSuffix)
	if err != nil {
		return err
	}
	var jobs []*job
	for k := range keys.Keys() {
		id := strings.TrimSuffix(k, requestSuffix)
		e, err := s.h.Runs.Get(ctx, k)
		if err != nil {
			s.log.Warn("unfinished run: cannot read its request", "run_id", id, "err", err)
			continue
		}
		var rec record
		if err := json.Unmarshal(e.Value(), &rec); err != nil || !streams.ValidRunID(id) {
			s.log.Error("unfinished run: its request record is unreadable; dropped", "run_id", id, "err", err)
			_ = s.h.Runs.Delete(ctx, k)
			continue
		}
		j := &job{id: id, acc: &rec.accepted, reply: rec.Reply, enqueued: rec.Enqueued}
		if _, err := s.h.Runs.Get(ctx, streams.SpecKey(id)); err == nil {
			j.resume = true
			if st, err := s.state(ctx, id); err == nil && st.Status == streams.StatusFailed {
				_ = s.h.Runs.Delete(ctx, k)
				continue
			}
			if _, err := s.h.Blobs.GetInfo(ctx, ReportObject(id)); err == nil {
				_ = s.h.Runs.Delete(ctx, k) // done; only the record was left
				continue
			}
		} else if !errors.Is(err, jetstream.ErrKeyNotFound) {
			return err
		}
		jobs = append(jobs, j)
	}
	slices.SortFunc(jobs, func(a, b *job) int { return a.enqueued.Compare(b.enqueued) })
	for _, j := range jobs {
		if err := s.q.push(j, true); err != nil {
			return err
		}
		how := "queued again"
		if j.resume {
			how = "resuming from its KV state"
		}
		s.log.Info("unfinished run from before the restart: "+how, "run_id", j.id)
	}
	return nil
}

// state reads a run's state from the runs bucket.
func (s *Server) state(ctx context.Context, id string) (*streams.RunState, error) {
	e, err := s.h.Runs.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	var st streams.RunState
	if err := streams.Decode(e.Value(), &st); err != nil {
		return nil, err
	}
	return &st, nil
}

// execute computes one run, stores its report and answers a waiting
// requester. It never panics; a run stopped by shutdown is left for the
// next start.
func (s *Server) execute(ctx context.Context, j *job) {
	ar := &activeRun{Started: time.Now()}
	if j.resume {
		if st, err := s.state(ctx, j.id); err == nil {
			ar.baseDone, ar.Done, ar.Total = st.Done, st.Done, st.Partitions
		}
	}
	s.mu.Lock()
	s.active[j.id] = ar
	s.mu.Unlock()
	s.met.inFlight.Inc()
	s.dash.touch(sectionRuns)
	defer func() {
		s.mu.Lock()
		delete(s.active, j.id)
		s.mu.Unlock()
		s.met.inFlight.Dec()
		s.dash.touch(sectionRuns)
	}()

	rep, err := s.compute(ctx, j, ar)
	switch {
	case err != nil && ctx.Err() != nil:
		s.leave(j, "the service stopped during the run; it resumes when the service is back")
		return
	case err != nil:
		s.fail(j, err)
		return
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if err := s.storeReport(sctx, rep); err != nil {
		s.fail(j, fmt.Errorf("storing the report: %w", err))
		return
	}
	_ = s.h.Runs.Delete(sctx, j.id+requestSuffix)
	secs := time.Since(ar.Started).Seconds()
	s.met.completed.Inc()
	s.met.duration.Observe(secs)
	s.log.Info("run complete", "run_id", j.id, "seconds", secs, "resumed", j.resume)
	s.dash.setReport(rep)
	if j.reply != "" {
		sum := summarise(rep)
		b, err := json.Marshal(sum)
		if err != nil {
			s.replyError(j.reply, j.id, "500", "encoding the summary: "+err.Error())
			return
		}
		if err := s.nc.Publish(j.reply, b); err != nil {
			s.log.Warn("replying to the requester", "run_id", j.id, "err", err)
		}
	}
}

// compute runs or resumes j, turning a panic into an error.
func (s *Server) compute(ctx context.Context, j *job, ar *activeRun) (rep *report.Report, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	o := j.acc.options()
	o.Conn, o.RunID, o.Workers, o.Topology, o.Log = s.nc, j.id, -1, s.cfg.Topology, s.log
	o.Progress = func(done, total int) {
		s.mu.Lock()
		if done > ar.Done && done > ar.baseDone {
			s.met.partitions.Add(float64(done - max(ar.Done, ar.baseDone)))
		}
		ar.Done, ar.Total = max(ar.Done, done), total
		ar.Reporting = done == total
		s.mu.Unlock()
		s.dash.touch(sectionRuns)
	}
	s.met.started.Inc()
	if j.resume {
		s.log.Info("resuming run", "run_id", j.id)
		return run.Resume(ctx, o)
	}
	if o.MarketFile, o.MarketYAML, err = s.market(ctx, j.acc); err != nil {
		return nil, err
	}
	s.log.Info("run started", "run_id", j.id, "scenarios", o.Scenarios, "paths", o.Paths, "market", o.MarketFile)
	return run.Execute(ctx, o)
}

// market returns the run's market: the request's own, else the current
// market state over the built-in snapshot (the snapshot itself when the
// state holds no quote).
func (s *Server) market(ctx context.Context, acc *accepted) (string, []byte, error) {
	if acc.Request.MarketYAML != "" {
		return "market_yaml", []byte(acc.Request.MarketYAML), nil
	}
	base, err := input.ParseMarket(examples.MarketFile, examples.Market)
	if err != nil {
		return "", nil, err
	}
	mctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	snap, _, latest, err := streams.LoadMarketState(mctx, s.marketKV, base)
	if err != nil {
		return "", nil, fmt.Errorf("market state: %w", err)
	}
	if latest.IsZero() {
		return examples.MarketFile, examples.Market, nil
	}
	name := streams.MarketStateBucket + "@" + latest.UTC().Format(time.RFC3339)
	b, err := input.MarshalMarket(snap, name)
	if err != nil {
		return "", nil, fmt.Errorf("market state: %w", err)
	}
	return name, b, nil
}

// storeReport puts report.json and report.html in the object store and
// makes the run the latest.
func (s *Server) storeReport(ctx context.Context, rep *report.Report) error {
	b, err := rep.JSON()
	if err != nil {
		return err
	}
	// PutBlob keeps the chunks under the server's max payload.
	if err := streams.PutBlob(ctx, s.h, ReportObject(rep.RunID), b); err != nil {
		return err
	}
	if page, err := rep.HTML(); err != nil {
		s.log.Warn("report.html not written", "run_id", rep.RunID, "err", err)
	} else if err := streams.PutBlob(ctx, s.h, reportHTMLObject(rep.RunID), page); err != nil {
		return err
	}
	_, err = s.h.Runs.PutString(ctx, latestReportKey, rep.RunID)
	return err
}

// fail records a failed run and tells a waiting requester.
func (s *Server) fail(j *job, err error) {
	s.met.failed.Inc()
	s.log.Error("run failed", "run_id", j.id, "err", err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if !errors.Is(err, run.ErrRunFailed) {
		s.markFailed(ctx, j.id, err)
	}
	_ = s.h.Runs.Delete(ctx, j.id+requestSuffix)
	if j.reply != "" {
		code := "500"
		if errors.Is(err, run.ErrInvalid) {
			code = "400"
		}
		s.replyError(j.reply, j.id, code, fmt.Sprintf("run %s failed: %v", j.id, err))
	}
}

// markFailed sets a run's state to failed, creating it if the run failed
// before it had one.
func (s *Server) markFailed(ctx context.Context, id string, cause error) {
	for range 5 {
		e, err := s.h.Runs.Get(ctx, id)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			now := time.Now().UTC()
			b, _ := streams.Encode(&streams.RunState{RunID: id, Status: streams.StatusFailed, Error: cause.Error(), Created: now, Updated: now})
			if _, err := s.h.Runs.Create(ctx, id, b); err == nil {
				return
			}
			continue
		}
		if err != nil {
			continue
		}
		var st streams.RunState
		if streams.Decode(e.Value(), &st) != nil {
			return
		}
		st.Status, st.Error, st.Updated = streams.StatusFailed, cause.Error(), time.Now().UTC()
		b, _ := streams.Encode(&st)
		if _, err := s.h.Runs.Update(ctx, id, b, e.Revision()); err == nil {
			return
		}
	}
	s.log.Warn("could not record the failure in the run's state", "run_id", id)
}

// leave answers a waiting requester that the run is left for the next
// start; its request record stays in the runs bucket.
func (s *Server) leave(j *job, why string) {
	s.log.Info("run left for the next start", "run_id", j.id, "why", why)
	if j.reply != "" {
		s.replyError(j.reply, j.id, "503", fmt.Sprintf("run %s: %s", j.id, why))
	}
}

// replyError answers a request later, from a runner: with the micro error
// headers, as req.Error does in a handler, and the run id as the body.
func (s *Server) replyError(reply, runID, code, description string) {
	body, _ := json.Marshal(map[string]string{"run_id": runID})
	m := &nats.Msg{Subject: reply, Header: nats.Header{}, Data: body}
	m.Header.Set(micro.ErrorCodeHeader, code)
	m.Header.Set(micro.ErrorHeader, description)
	if err := s.nc.PublishMsg(m); err != nil {
		s.log.Warn("replying to the requester", "err", err)
	}
}

// RecordReport stores a report made outside the run queue (the
// recalibrator's full runs) as the requested runs' are: in the object
// store, as the latest, and on the dashboard's charts.
func (s *Server) RecordReport(ctx context.Context, rep *report.Report) error {
	if err := s.storeReport(ctx, rep); err != nil {
		return err
	}
	s.dash.setReport(rep)
	return nil
}
