package serve

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Handler returns the HTTP endpoints:
//
//	/                          the live dashboard
//	/events                    its server-sent events
//	/api/state                 what the dashboard shows, as JSON
//	/api/runs/{id}             a run's status (as hedge.status)
//	/api/runs/{id}/report.json its report (as hedge.report, any size)
//	/api/runs/{id}/report.html its report page
//	/metrics                   Prometheus metrics
//	/healthz                   200 while the process serves
//	/readyz                    200 when NATS is connected and JetStream answers
//
// With a token configured every path but /healthz and /readyz requires
// it.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	auth := s.auth
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", s.ready)
	mux.Handle("GET /metrics", auth(promhttp.HandlerFor(s.met.reg, promhttp.HandlerOpts{})))
	mux.Handle("GET /events", auth(http.HandlerFunc(s.dash.serveEvents)))
	mux.Handle("GET /api/state", auth(http.HandlerFunc(s.apiState)))
	mux.Handle("GET /api/runs/{id}", auth(http.HandlerFunc(s.apiStatus)))
	mux.Handle("GET /api/runs/{id}/{file}", auth(http.HandlerFunc(s.apiReport)))
	mux.Handle("GET /{$}", auth(http.HandlerFunc(s.dash.servePage)))
	return securityHeaders(mux)
}

func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer") // the page's URL may hold its token
		w.Header().Set("X-Frame-Options", "DENY")
		h.ServeHTTP(w, r)
	})
}

// auth requires the token, when one is configured: "Authorization: Bearer
// TOKEN", or ?token=TOKEN (EventSource cannot send headers).
func (s *Server) auth(h http.Handler) http.Handler {
	if s.cfg.Token == "" {
		return h
	}
	want := []byte(s.cfg.Token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.URL.Query().Get("token")
		if a := r.Header.Get("Authorization"); strings.HasPrefix(a, "Bearer ") {
			got = strings.TrimPrefix(a, "Bearer ")
		}
		if subtle.ConstantTimeCompare([]byte(got), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="hedgeflow"`)
			http.Error(w, "401 unauthorized: this hedgeflow serve requires its token (Authorization: Bearer TOKEN, or ?token=TOKEN)", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write(append(b, '\n'))
}

// ready answers 200 when the service can take requests: not stopping, NATS
// connected, JetStream answering.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	out := map[string]any{"nats_connected": s.nc.IsConnected(), "draining": s.draining.Load()}
	ok := s.nc.IsConnected() && !s.draining.Load()
	if ok {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		_, err := s.js.AccountInfo(ctx)
		cancel()
		if err != nil {
			out["jetstream"] = err.Error()
			ok = false
		} else {
			out["jetstream"] = "ok"
		}
	}
	out["queue_length"] = s.q.len()
	code := http.StatusOK
	if !ok {
		code = http.StatusServiceUnavailable
	}
	out["ready"] = ok
	writeJSON(w, code, out)
}

// apiState is the dashboard's data as JSON.
func (s *Server) apiState(w http.ResponseWriter, r *http.Request) {
	d := s.dash
	runs := d.runsView()
	d.mu.Lock()
	quotes := make([]streams.Quote, 0, len(d.quotes))
	for _, q := range d.quotes {
		quotes = append(quotes, q)
	}
	rec := d.rec
	latest := ""
	if d.rep != nil {
		latest = d.rep.RunID
	}
	d.mu.Unlock()
	type runJSON struct {
		RunID         string `json:"run_id"`
		Status        string `json:"status"`
		QueuePosition int    `json:"queue_position,omitempty"`
		Done          int    `json:"done"`
		Partitions    int    `json:"partitions"`
		Error         string `json:"error,omitempty"`
	}
	rs := make([]runJSON, 0, len(runs.Rows))
	for _, x := range runs.Rows {
		rs = append(rs, runJSON{x.ID, x.Status, x.Position, x.Done, x.Total, x.Error})
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"market": quotes, "runs": rs, "recommendation": rec, "latest_report": latest,
	})
}

func (s *Server) apiStatus(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !streams.ValidRunID(id) {
		http.Error(w, "400 run id: 1 to 64 letters, digits, '-' or '_'", http.StatusBadRequest)
		return
	}
	st, rerr := s.status(r.Context(), id)
	if rerr != nil {
		httpError(w, rerr)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

func (s *Server) apiReport(w http.ResponseWriter, r *http.Request) {
	id, file := r.PathValue("id"), r.PathValue("file")
	if !streams.ValidRunID(id) {
		http.Error(w, "400 run id: 1 to 64 letters, digits, '-' or '_'", http.StatusBadRequest)
		return
	}
	switch file {
	case "report.json":
		b, rerr := s.report(r.Context(), id)
		if rerr != nil {
			httpError(w, rerr)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	case "report.html":
		b, err := s.h.Blobs.GetBytes(r.Context(), reportHTMLObject(id))
		if errors.Is(err, jetstream.ErrObjectNotFound) {
			http.Error(w, "404 no report.html for run "+id, http.StatusNotFound)
			return
		}
		if err != nil {
			http.Error(w, "500 "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(b)
	default:
		http.NotFound(w, r)
	}
}

func httpError(w http.ResponseWriter, e *reqErr) {
	code, err := strconv.Atoi(e.code)
	if err != nil {
		code = http.StatusInternalServerError
	}
	http.Error(w, e.code+" "+e.msg, code)
}
