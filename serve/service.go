package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hedgeflow/hedgeflow/run"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nats.go/micro"
)

// The micro service: its name (what `nats micro ls` lists) and the
// subjects of its endpoints.
const (
	serviceName           = "hedgeflow"
	RunSubject            = "hedge.run"
	StatusSubject         = "hedge.status"
	ReportSubject         = "hedge.report"
	LatestRecommSubject   = "hedge.recommendation.latest"
	maxRequestBytes       = 1 << 20
	handlerRequestTimeout = 10 * time.Second
)

// Run statuses in hedge.status replies, beyond streams' running, complete
// and failed.
const (
	statusQueued    = "queued"
	statusRunning   = streams.StatusRunning
	statusReporting = "reporting" // priced; hedging and writing the report
	statusComplete  = streams.StatusComplete
	statusFailed    = streams.StatusFailed
)

// Status is the reply of hedge.status.
type Status struct {
	RunID  string `json:"run_id"`
	Status string `json:"status"`
	// QueuePosition is 1 for the next run to start; 0 when not queued.
	QueuePosition int       `json:"queue_position,omitempty"`
	Partitions    int       `json:"partitions,omitempty"`
	Done          int       `json:"done"`
	Error         string    `json:"error,omitempty"`
	Created       time.Time `json:"created,omitzero"`
	Updated       time.Time `json:"updated,omitzero"`
	// Report is the object-store name of report.json once complete.
	Report string `json:"report,omitempty"`
}

// Accepted is the immediate reply of hedge.run with "wait": false.
type Accepted struct {
	RunID         string `json:"run_id"`
	Status        string `json:"status"`
	QueuePosition int    `json:"queue_position"`
}

// reqErr is a request error with its micro error code.
type reqErr struct {
	code string
	msg  string
}

func (e *reqErr) Error() string { return e.code + " " + e.msg }

func badRequest(err error) *reqErr { return &reqErr{"400", err.Error()} }

func (s *Server) addService() (micro.Service, error) {
	svc, err := micro.AddService(s.nc, micro.Config{
		Name:        serviceName,
		Version:     s.cfg.Version,
		Description: "hedgeflow: hedge a pension fund across volatility scenarios; runs on request, status, reports, the latest recommendation",
		ErrorHandler: func(_ micro.Service, e *micro.NATSError) {
			s.log.Warn("micro service error", "subject", e.Subject, "err", e.Description)
		},
	})
	if err != nil {
		return nil, fmt.Errorf("micro service: %w", err)
	}
	eps := []struct {
		name, subject, doc string
		h                  func(micro.Request) (any, *reqErr)
	}{
		{"run", RunSubject, `JSON run request {"portfolio"|"portfolio_yaml","market_yaml","scenarios","paths","partition_size","seed","objective","budget_bps","prohibit","no_hedging","wait"}; replies {"run_id",...}`, s.handleRun},
		{"status", StatusSubject, `run id (or {"run_id"}); replies the run's status and progress`, s.handleStatus},
		{"report", ReportSubject, `run id (or {"run_id","without":["scenario_metrics"]}); replies the run's report.json`, s.handleReport},
		{"recommendation_latest", LatestRecommSubject, "empty; replies the latest recommendation (JSON)", s.handleLatest},
	}
	for _, ep := range eps {
		h := ep.h
		err := svc.AddEndpoint(ep.name, micro.HandlerFunc(func(req micro.Request) { s.respond(req, h) }),
			micro.WithEndpointSubject(ep.subject), micro.WithEndpointMetadata(map[string]string{"description": ep.doc}))
		if err != nil {
			_ = svc.Stop()
			return nil, fmt.Errorf("micro endpoint %s: %w", ep.subject, err)
		}
	}
	return svc, nil
}

// respond calls h and answers: JSON, or a micro error with its code. A
// handler that panics answers 500 and the service goes on. A nil reply
// with no error means h answers later (a run's waiting requester).
func (s *Server) respond(req micro.Request, h func(micro.Request) (any, *reqErr)) {
	var (
		out  any
		rerr *reqErr
	)
	func() {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("handler panicked", "subject", req.Subject(), "panic", r)
				rerr = &reqErr{"500", fmt.Sprintf("internal error: %v", r)}
			}
		}()
		if len(req.Data()) > maxRequestBytes {
			rerr = &reqErr{"413", fmt.Sprintf("request of %d bytes, more than the limit of %d", len(req.Data()), maxRequestBytes)}
			return
		}
		out, rerr = h(req)
	}()
	switch {
	case rerr != nil:
		_ = req.Error(rerr.code, rerr.msg, nil)
	case out == nil:
	case out != nil:
		if raw, ok := out.(json.RawMessage); ok {
			_ = req.Respond(raw)
			return
		}
		b, err := json.Marshal(out)
		if err != nil {
			_ = req.Error("500", "encoding the reply: "+err.Error(), nil)
			return
		}
		_ = req.Respond(b)
	}
}

// handleRun validates a run request and queues it; it never runs it.
func (s *Server) handleRun(req micro.Request) (any, *reqErr) {
	if s.draining.Load() {
		return nil, &reqErr{"503", "the service is stopping: send the request again later"}
	}
	acc, err := parseRunRequest(req.Data(), s.cfg.Limits, s.cfg.PortfolioDir)
	if err != nil {
		s.met.rejected.WithLabelValues("bad_request").Inc()
		return nil, badRequest(err)
	}
	id := run.NewRunID()
	reply := ""
	if acc.Request.waits() {
		if req.Reply() == "" {
			return nil, badRequest(fmt.Errorf("%w: wait: a request that waits needs a reply subject (use a request, or \"wait\": false)", ErrBadRequest))
		}
		reply = req.Reply()
	}
	ctx, cancel := context.WithTimeout(context.Background(), handlerRequestTimeout)
	defer cancel()
	switch err := s.enqueue(ctx, id, acc, reply); {
	case errors.Is(err, errQueueFull):
		s.met.rejected.WithLabelValues("queue_full").Inc()
		return nil, &reqErr{"503", fmt.Sprintf("overloaded: %d runs already queued (the limit); send the request again later", s.cfg.QueueSize)}
	case errors.Is(err, errQueueClosed):
		return nil, &reqErr{"503", "the service is stopping: send the request again later"}
	case err != nil:
		return nil, &reqErr{"500", err.Error()}
	}
	s.log.Info("run queued", "run_id", id, "wait", reply != "", "position", s.q.position(id))
	s.dash.touch(sectionRuns)
	if reply != "" {
		return nil, nil // the runner answers with the summary
	}
	return Accepted{RunID: id, Status: statusQueued, QueuePosition: s.q.position(id)}, nil
}

func (s *Server) handleStatus(req micro.Request) (any, *reqErr) {
	id, err := idRequest(req.Data())
	if err != nil {
		return nil, badRequest(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), handlerRequestTimeout)
	defer cancel()
	st, rerr := s.status(ctx, id)
	if rerr != nil {
		return nil, rerr
	}
	return st, nil
}

// status combines the queue, this process's runs, the run's KV state and
// its report.
func (s *Server) status(ctx context.Context, id string) (*Status, *reqErr) {
	if p := s.q.position(id); p > 0 {
		return &Status{RunID: id, Status: statusQueued, QueuePosition: p}, nil
	}
	st, err := s.state(ctx, id)
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound):
		if _, rerr := s.h.Runs.Get(ctx, id+requestSuffix); rerr == nil {
			return &Status{RunID: id, Status: statusQueued}, nil
		}
		return nil, &reqErr{"404", fmt.Sprintf("unknown run %q", id)}
	case err != nil:
		return nil, &reqErr{"500", fmt.Sprintf("reading the state of run %s: %v", id, err)}
	}
	out := &Status{RunID: id, Status: st.Status, Partitions: st.Partitions, Done: st.Done, Error: st.Error, Created: st.Created, Updated: st.Updated}
	if st.Status == streams.StatusComplete {
		if _, err := s.h.Blobs.GetInfo(ctx, ReportObject(id)); err == nil {
			out.Report = ReportObject(id)
		} else {
			out.Status = statusReporting
		}
	}
	return out, nil
}

func (s *Server) handleReport(req micro.Request) (any, *reqErr) {
	rr, err := reportRequest(req.Data())
	if err != nil {
		return nil, badRequest(err)
	}
	id := rr.RunID
	ctx, cancel := context.WithTimeout(context.Background(), handlerRequestTimeout)
	defer cancel()
	b, rerr := s.report(ctx, id)
	if rerr != nil {
		return nil, rerr
	}
	if len(rr.Without) > 0 {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(b, &fields); err != nil {
			return nil, &reqErr{"500", fmt.Sprintf("report.json of run %s: %v", id, err)}
		}
		for i, f := range rr.Without {
			if _, ok := fields[f]; !ok {
				return nil, &reqErr{"400", fmt.Sprintf("bad request: without[%d]: report.json of run %s has no field %q", i, id, f)}
			}
			delete(fields, f)
		}
		if b, err = json.Marshal(fields); err != nil {
			return nil, &reqErr{"500", err.Error()}
		}
	}
	if max := s.nc.MaxPayload(); int64(len(b)) > max-1024 {
		return nil, &reqErr{"413", fmt.Sprintf("report.json of run %s is %d bytes, more than this connection's max payload of %d: "+
			"ask without the per-scenario figures ({\"run_id\":%q,\"without\":[\"scenario_metrics\"]}), "+
			"or get it whole from the object store (nats object get %s %s) or over HTTP (GET /api/runs/%s/report.json)",
			id, len(b), max, id, streams.BlobBucket, ReportObject(id), id)}
	}
	return json.RawMessage(b), nil
}

// report reads a run's report.json from the object store.
func (s *Server) report(ctx context.Context, id string) ([]byte, *reqErr) {
	b, err := s.h.Blobs.GetBytes(ctx, ReportObject(id))
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		st, rerr := s.status(ctx, id)
		if rerr != nil {
			return nil, rerr
		}
		msg := fmt.Sprintf("run %s has no report: it is %s", id, st.Status)
		if st.Error != "" {
			msg += ": " + st.Error
		}
		return nil, &reqErr{"404", msg}
	}
	if err != nil {
		return nil, &reqErr{"500", fmt.Sprintf("reading the report of run %s: %v", id, err)}
	}
	return b, nil
}

func (s *Server) handleLatest(req micro.Request) (any, *reqErr) {
	ctx, cancel := context.WithTimeout(context.Background(), handlerRequestTimeout)
	defer cancel()
	r, err := streams.LatestRecommendation(ctx, s.h)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, &reqErr{"404", "no recommendation yet: the recalibrator publishes one after its first run"}
	}
	if err != nil {
		return nil, &reqErr{"500", fmt.Sprintf("reading the latest recommendation: %v", err)}
	}
	return r, nil
}
