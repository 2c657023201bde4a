package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/input"
	"github.com/hedgeflow/hedgeflow/report"
	"github.com/hedgeflow/hedgeflow/run"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"
)

// natsServer starts an embedded server with JetStream on dir and returns
// it with a connection.
func natsServer(t *testing.T, dir string) (*streams.Server, *nats.Conn) {
	t.Helper()
	srv, err := streams.StartServer(streams.ServerOptions{StoreDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	nc, err := srv.Connect()
	if err != nil {
		srv.Shutdown()
		t.Fatal(err)
	}
	return srv, nc
}

// running is a Server running in the test, stopped by stop (and at
// cleanup).
type running struct {
	*Server
	stop func() error
}

func startServe(t *testing.T, cfg Config) *running {
	t.Helper()
	if cfg.Workers == 0 {
		cfg.Workers = 1
	}
	if cfg.Log == nil && testing.Verbose() {
		cfg.Log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	s, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var once bool
	var runErr error
	stop := func() error {
		if !once {
			once = true
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(60 * time.Second):
				t.Fatal("serve did not stop within 60 s")
			}
		}
		return runErr
	}
	t.Cleanup(func() { _ = stop() })
	// Ready when the micro service answers, and its last endpoint too
	// (the endpoints subscribe one after another, after $SRV).
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := cfg.Conn.Request("$SRV.PING."+serviceName, nil, time.Second); err == nil {
			if _, err := cfg.Conn.Request(LatestRecommSubject, nil, time.Second); err == nil {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the micro service did not answer $SRV.PING in 20 s")
		}
	}
	return &running{Server: s, stop: stop}
}

// ask sends a request and returns its body, or the micro error code and
// message.
func ask(t *testing.T, nc *nats.Conn, subject, body string, timeout time.Duration) (data []byte, code, desc string) {
	t.Helper()
	m, err := nc.Request(subject, []byte(body), timeout)
	if err != nil {
		t.Fatalf("%s %s: %v", subject, body, err)
	}
	return m.Data, m.Header.Get(micro.ErrorCodeHeader), m.Header.Get(micro.ErrorHeader)
}

// numbers is a report.json without the fields that differ between runs.
func numbers(t *testing.T, b []byte) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("report.json: %v", err)
	}
	delete(m, "run_id")
	delete(m, "timing")
	out, _ := json.Marshal(m)
	return string(out)
}

// reference runs the same run with hedgeflow's run package on its own
// embedded server.
func reference(t *testing.T, scenarios, paths int, seed uint64, noHedging bool) (*report.Report, string) {
	t.Helper()
	rep, err := run.Execute(context.Background(), run.Options{
		PortfolioFile: examples.PortfolioFile, PortfolioYAML: examples.Portfolio,
		MarketFile: examples.MarketFile, MarketYAML: examples.Market,
		Scenarios: scenarios, Paths: paths, Seed: seed, NoHedging: noHedging, Workers: 1, StoreDir: t.TempDir(),
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := rep.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return rep, numbers(t, b)
}

// waitStatus polls hedge.status until the run has the status.
func waitStatus(t *testing.T, nc *nats.Conn, id, want string, timeout time.Duration) Status {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		data, code, desc := ask(t, nc, StatusSubject, id, 5*time.Second)
		var st Status
		if code == "" {
			if err := json.Unmarshal(data, &st); err != nil {
				t.Fatal(err)
			}
			if st.Status == want {
				return st
			}
			if st.Status == statusFailed {
				t.Fatalf("run %s failed: %s", id, st.Error)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("run %s: not %s within %v (last: %+v %s %s)", id, want, timeout, st, code, desc)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The services are discoverable with $SRV; a run requested with wait and
// one without give the numbers of hedgeflow's run package for the same
// seed; status, report and errors answer as documented; the metrics count
// what happened.
func TestServiceRuns(t *testing.T) {
	srv, nc := natsServer(t, t.TempDir())
	defer srv.Shutdown()
	defer nc.Close()
	s := startServe(t, Config{Conn: nc, HTTPAddr: "127.0.0.1:0"})

	// Discovery: $SRV.INFO lists the four endpoints.
	data, code, _ := ask(t, nc, "$SRV.INFO."+serviceName, "", 5*time.Second)
	var info micro.Info
	if err := json.Unmarshal(data, &info); err != nil || code != "" {
		t.Fatalf("$SRV.INFO: %v %s", err, data)
	}
	subjects := map[string]bool{}
	for _, ep := range info.Endpoints {
		subjects[ep.Subject] = true
	}
	for _, want := range []string{RunSubject, StatusSubject, ReportSubject, LatestRecommSubject} {
		if !subjects[want] {
			t.Errorf("$SRV.INFO lacks endpoint %s: %+v", want, info.Endpoints)
		}
	}

	// Nothing yet.
	if _, code, desc := ask(t, nc, LatestRecommSubject, "", 5*time.Second); code != "404" {
		t.Errorf("latest recommendation before any: code %q %q", code, desc)
	}
	if _, code, desc := ask(t, nc, StatusSubject, "no-such-run", 5*time.Second); code != "404" || !strings.Contains(desc, "no-such-run") {
		t.Errorf("status of an unknown run: %q %q", code, desc)
	}
	if _, code, _ := ask(t, nc, ReportSubject, `{"run_id":"no-such-run"}`, 5*time.Second); code != "404" {
		t.Errorf("report of an unknown run: %q", code)
	}

	_, want := reference(t, 20, 50, 7, true)

	// wait (the default): the reply is the summary.
	data, code, desc := ask(t, nc, RunSubject, `{"scenarios":20,"paths":50,"seed":7,"no_hedging":true}`, 60*time.Second)
	if code != "" {
		t.Fatalf("hedge.run: %s %s", code, desc)
	}
	var sum Summary
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.RunID == "" || sum.Status != statusComplete || sum.Scenarios != 20 || sum.Paths != 50 || sum.Seed != 7 || sum.Report != ReportObject(sum.RunID) {
		t.Fatalf("summary %+v", sum)
	}
	rep, code, _ := ask(t, nc, ReportSubject, sum.RunID, 10*time.Second)
	if code != "" || numbers(t, rep) != want {
		t.Errorf("the waited run's report differs from hedgeflow's run package for the same seed (code %q)", code)
	}

	// "wait": false answers at once with the run id; the run completes.
	data, code, _ = ask(t, nc, RunSubject, `{"scenarios":20,"paths":50,"seed":7,"no_hedging":true,"wait":false}`, 5*time.Second)
	var acc Accepted
	if err := json.Unmarshal(data, &acc); err != nil || code != "" || acc.RunID == "" || acc.RunID == sum.RunID {
		t.Fatalf("wait=false reply %s (%s, %v)", data, code, err)
	}
	st := waitStatus(t, nc, acc.RunID, statusComplete, 60*time.Second)
	if st.Done != st.Partitions || st.Partitions == 0 || st.Report != ReportObject(acc.RunID) {
		t.Errorf("complete status %+v", st)
	}
	rep, code, _ = ask(t, nc, ReportSubject, `{"run_id":"`+acc.RunID+`"}`, 10*time.Second)
	if code != "" || numbers(t, rep) != want {
		t.Errorf("the run's report differs from hedgeflow's run package for the same seed (code %q)", code)
	}

	// The same report over HTTP.
	base := "http://" + s.HTTPAddr()
	resp, err := http.Get(base + "/api/runs/" + acc.RunID + "/report.json")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || numbers(t, b) != want {
		t.Errorf("GET report.json: %d", resp.StatusCode)
	}

	// A published recommendation is the latest.
	rec := &streams.Recommendation{Seq: 3, Time: time.Now().UTC(), Mode: "reprice", Why: "EUR vol up 2 points"}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := streams.PublishRecommendation(ctx, s.h, rec); err != nil {
		t.Fatal(err)
	}
	data, code, _ = ask(t, nc, LatestRecommSubject, "", 5*time.Second)
	var got streams.Recommendation
	if err := json.Unmarshal(data, &got); err != nil || code != "" || got.Seq != 3 || got.Why != rec.Why {
		t.Errorf("latest recommendation %s (%s)", data, code)
	}

	// Health, readiness, metrics.
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
	}
	metrics := get(t, base+"/metrics")
	for _, want := range []string{
		"hedgeflow_runs_started_total 2", "hedgeflow_runs_completed_total 2", "hedgeflow_runs_failed_total 0",
		"hedgeflow_partitions_done_total 2", "hedgeflow_run_queue_length 0", "hedgeflow_pricing_consumer_pending 0",
		"hedgeflow_run_duration_seconds_count 2", "hedgeflow_pricing_consumer_up 1",
	} {
		if !strings.Contains(metrics, want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if err := s.stop(); err != nil {
		t.Errorf("Run returned %v", err)
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return string(b)
}

// Bad requests are refused with 400 naming the field, and do not disturb
// a run in progress.
func TestBadRequestsRefused(t *testing.T) {
	srv, nc := natsServer(t, t.TempDir())
	defer srv.Shutdown()
	defer nc.Close()
	pf, err := input.ParsePortfolio(examples.PortfolioFile, examples.Portfolio)
	if err != nil {
		t.Fatal(err)
	}
	// The sample fund is at the limit; one more position is over it.
	n := len(pf.Equities) + len(pf.Bonds) + len(pf.Alternatives) + len(pf.Liabilities)
	bigger := strings.Replace(string(examples.Portfolio), "\nequities:", "\nequities:\n  - {name: One more, currency: USD, market_value_usd: 1.0e8}", 1)
	startServe(t, Config{Conn: nc, Limits: Limits{MaxScenarios: 500, MaxPositions: n}})
	data, code, _ := ask(t, nc, RunSubject, `{"scenarios":20,"paths":50,"no_hedging":true,"wait":false}`, 5*time.Second)
	var acc Accepted
	if err := json.Unmarshal(data, &acc); err != nil || code != "" {
		t.Fatalf("good request: %s %s", data, code)
	}
	cases := []struct{ body, code, want string }{
		{`{"scenarios":-1}`, "400", "scenarios: must be in [1, 500]"},
		{`{"scenarios":501}`, "400", "scenarios: must be in [1, 500]"},
		{`{"paths":"many"}`, "400", "paths: must be int"},
		{`{"scenarioz":3}`, "400", `"scenarioz": unknown field`},
		{`{"scenarios":3`, "400", "body: truncated JSON"},
		{`[1,2]`, "400", "body: must be serve.RunRequest"},
		{`{"budget_bps":-4}`, "400", "budget_bps must be in (0, 1000]"},
		{`{"objective":"sharpe"}`, "400", `objective must be cvar or variance, got "sharpe"`},
		{`{"robustness":"median"}`, "400", `robustness must be tail or worst, got "median"`},
		{`{"prohibit":["fx","gold"]}`, "400", `prohibit[1]: "gold" names no asset class`},
		{`{"no_hedging":true,"budget_bps":30}`, "400", "no_hedging: objective, budget_bps, robustness, prohibit and holdings apply to hedging"},
		{`{"portfolio":"../etc/passwd"}`, "400", "this service has no portfolio directory"},
		{`{"portfolio":"x","portfolio_yaml":"name: y"}`, "400", "portfolio: give a name or portfolio_yaml, not both"},
		{`{"portfolio_yaml":"name: x\nequities: 3\n"}`, "400", "portfolio: portfolio_yaml:2"},
		{`{"portfolio_yaml":` + jsonString(bigger) + `}`, "400", fmt.Sprintf("portfolio: %d positions, more than this service's limit of %d", n+1, n)},
		{`{"market_yaml":"date: 2024-12-31\n"}`, "400", "market_yaml"},
		{`{"scenarios":400,"paths":20000}`, "400", "paths: must be in [1, 5000]"},
	}
	for _, c := range cases {
		_, code, desc := ask(t, nc, RunSubject, c.body, 5*time.Second)
		if code != c.code || !strings.Contains(desc, c.want) {
			t.Errorf("hedge.run %.60s: %s %q, want %s and %q", c.body, code, desc, c.code, c.want)
		}
	}
	for _, c := range []struct{ body, want string }{
		{"", "run_id: missing"}, {`{"run":"x"}`, `"run": unknown field`}, {"a.b", "run_id: 1 to 64 letters"},
		{strings.Repeat("x", 65), "run_id: 1 to 64 letters"},
	} {
		_, code, desc := ask(t, nc, StatusSubject, c.body, 5*time.Second)
		if code != "400" || !strings.Contains(desc, c.want) {
			t.Errorf("hedge.status %q: %s %q, want 400 and %q", c.body, code, desc, c.want)
		}
	}
	waitStatus(t, nc, acc.RunID, statusComplete, 60*time.Second)
}

// A request past the queue's bound gets 503; a stop leaves the run in
// progress and the queued one in JetStream, and the next start finishes
// both with the numbers of undisturbed runs.
func TestQueueBoundAndRestart(t *testing.T) {
	dir := t.TempDir()
	srv, nc := natsServer(t, dir)
	// No workers: the first run waits for pricing that does not come.
	s := startServe(t, Config{Conn: nc, Workers: -1, QueueSize: 2, ShutdownGrace: 100 * time.Millisecond})
	var ids []string
	for i, body := range []string{
		`{"scenarios":20,"paths":50,"seed":3,"no_hedging":true,"wait":false}`,
		`{"scenarios":20,"paths":50,"seed":3,"no_hedging":true,"wait":false,"partition_size":7}`,
	} {
		data, code, desc := ask(t, nc, RunSubject, body, 5*time.Second)
		var acc Accepted
		if err := json.Unmarshal(data, &acc); err != nil || code != "" {
			t.Fatalf("request %d: %s %s %s", i, data, code, desc)
		}
		ids = append(ids, acc.RunID)
		if i == 0 {
			waitStatus(t, nc, acc.RunID, statusRunning, 20*time.Second)
		} else if acc.QueuePosition != 1 {
			t.Errorf("second run at queue position %d, want 1", acc.QueuePosition)
		}
	}
	// A third that waits for its run, queued behind the second.
	waited := make(chan *nats.Msg, 1)
	go func() {
		m, err := nc.Request(RunSubject, []byte(`{"scenarios":20,"paths":50,"seed":3,"no_hedging":true,"partition_size":3}`), time.Minute)
		if err != nil {
			t.Errorf("waiting request: %v", err)
		}
		waited <- m
	}()
	deadline := time.Now().Add(10 * time.Second)
	for s.q.len() < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the waiting request was not queued")
		}
		time.Sleep(5 * time.Millisecond)
	}
	_, code, desc := ask(t, nc, RunSubject, `{"scenarios":20,"paths":50,"wait":false}`, 5*time.Second)
	if code != "503" || !strings.Contains(desc, "overloaded") {
		t.Errorf("request past the queue: %s %q, want 503 overloaded", code, desc)
	}
	if err := s.stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	// The waiting requester is told its run starts when the service is back.
	if m := <-waited; m == nil || m.Header.Get(micro.ErrorCodeHeader) != "503" || !strings.Contains(m.Header.Get(micro.ErrorHeader), "when the service is back") {
		t.Errorf("waiting requester's reply at stop: %+v", m)
	} else {
		var body struct {
			RunID string `json:"run_id"`
		}
		if err := json.Unmarshal(m.Data, &body); err != nil || body.RunID == "" {
			t.Fatalf("the error reply does not carry the run id: %q", m.Data)
		}
		ids = append(ids, body.RunID)
	}
	nc.Close()
	srv.Shutdown()

	// The next start, on the same store, with a worker.
	srv, nc = natsServer(t, dir)
	defer srv.Shutdown()
	defer nc.Close()
	startServe(t, Config{Conn: nc})
	_, want := reference(t, 20, 50, 3, true)
	for _, id := range ids {
		waitStatus(t, nc, id, statusComplete, 60*time.Second)
		rep, code, _ := ask(t, nc, ReportSubject, id, 10*time.Second)
		if code != "" || numbers(t, rep) != want {
			t.Errorf("run %s after the restart: numbers differ from an undisturbed run (code %q)", id, code)
		}
	}
}

// With a token, the page, its events, the JSON API and the metrics answer
// 401 without it and 200 with it, as a bearer header or in the URL;
// /healthz stays open.
func TestTokenRequired(t *testing.T) {
	srv, nc := natsServer(t, t.TempDir())
	defer srv.Shutdown()
	defer nc.Close()
	const token = "s3cret-token-0123456789"
	s := startServe(t, Config{Conn: nc, HTTPAddr: "127.0.0.1:0", Token: token})
	base := "http://" + s.HTTPAddr()
	do := func(path, auth string) (int, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		// An event stream does not end: read its first event only.
		b := make([]byte, 4096)
		n, _ := io.ReadAtLeast(resp.Body, b, 1)
		return resp.StatusCode, string(b[:n])
	}
	for _, path := range []string{"/", "/events", "/api/state", "/metrics", "/api/runs/x"} {
		if code, body := do(path, ""); code != 401 || !strings.Contains(body, "requires its token") {
			t.Errorf("GET %s without the token: %d %q", path, code, body)
		}
		if code, _ := do(path, "Bearer wrong-token-0123456789"); code != 401 {
			t.Errorf("GET %s with a wrong token: %d", path, code)
		}
	}
	if code, body := do("/", "Bearer "+token); code != 200 || !strings.Contains(body, "<title>hedgeflow: live</title>") {
		t.Errorf("GET / with the bearer token: %d", code)
	}
	if code, body := do("/events?token="+token, ""); code != 200 || !strings.Contains(body, "event: ") {
		t.Errorf("GET /events?token=: %d %q", code, body)
	}
	if code, _ := do("/api/state?token="+token, ""); code != 200 {
		t.Errorf("GET /api/state?token=: %d", code)
	}
	if code, _ := do("/healthz", ""); code != 200 {
		t.Errorf("GET /healthz without the token: %d", code)
	}
	if code, _ := do("/readyz", ""); code != 200 {
		t.Errorf("GET /readyz without the token: %d", code)
	}
}

func TestConfigRefused(t *testing.T) {
	srv, nc := natsServer(t, t.TempDir())
	defer srv.Shutdown()
	defer nc.Close()
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, "a NATS connection is required"},
		{Config{Conn: nc, Token: "short"}, "token must be at least 16 characters"},
		{Config{Conn: nc, Concurrency: 100}, "concurrency must be in [1, 64]"},
		{Config{Conn: nc, Limits: Limits{MaxScenarios: 2_000_000}}, "max scenarios must be in"},
		{Config{Conn: nc, HTTPAddr: "256.0.0.1:80"}, "http:"},
	} {
		_, err := New(context.Background(), c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%+v): %v, want %q", c.cfg, err, c.want)
		}
		if c.want != "http:" && !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("%v is not ErrInvalidConfig", err)
		}
	}
}

// A report larger than a NATS message is refused with 413 saying where to
// get it; without its per-scenario figures it fits.
func TestReportLargerThanMaxPayload(t *testing.T) {
	srv, err := streams.StartServer(streams.ServerOptions{StoreDir: t.TempDir(), MaxPayload: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	nc, err := srv.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	s := startServe(t, Config{Conn: nc, HTTPAddr: "127.0.0.1:0"})
	data, code, desc := ask(t, nc, RunSubject, `{"scenarios":40,"paths":20,"no_hedging":true}`, time.Minute)
	var sum Summary
	if err := json.Unmarshal(data, &sum); err != nil || code != "" {
		t.Fatalf("hedge.run: %s %s %s", data, code, desc)
	}
	whole := get(t, "http://"+s.HTTPAddr()+"/api/runs/"+sum.RunID+"/report.json")
	if len(whole) <= 64<<10 {
		t.Fatalf("report.json is %d bytes: the test needs one over the max payload", len(whole))
	}
	_, code, desc = ask(t, nc, ReportSubject, sum.RunID, 10*time.Second)
	if code != "413" || !strings.Contains(desc, `"without":["scenario_metrics"]`) || !strings.Contains(desc, "nats object get HEDGE_BLOBS "+sum.RunID+"/report.json") {
		t.Errorf("a report over the max payload: %s %q", code, desc)
	}
	data, code, desc = ask(t, nc, ReportSubject, `{"run_id":"`+sum.RunID+`","without":["scenario_metrics"]}`, 10*time.Second)
	if code != "" {
		t.Fatalf("report without scenario_metrics: %s %s", code, desc)
	}
	var part, all map[string]json.RawMessage
	if err := json.Unmarshal(data, &part); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(whole), &all); err != nil {
		t.Fatal(err)
	}
	if _, ok := part["scenario_metrics"]; ok || len(part) != len(all)-1 {
		t.Errorf("without scenario_metrics: %d fields of %d", len(part), len(all))
	}
	for k, v := range part {
		var a, b bytes.Buffer
		if json.Compact(&a, v) != nil || json.Compact(&b, all[k]) != nil || a.String() != b.String() {
			t.Errorf("field %s differs from the whole report's", k)
		}
	}
	_, code, desc = ask(t, nc, ReportSubject, `{"run_id":"`+sum.RunID+`","without":["nonsense"]}`, 10*time.Second)
	if code != "400" || !strings.Contains(desc, `without[0]`) {
		t.Errorf("without an unknown field: %s %q", code, desc)
	}
}

// A task holding a run slot (the recalibrator's rerun) holds back the
// requested runs, which start when it is released: with Concurrency 1 the
// service computes one run at a time, whoever asked for it.
func TestRunSlotSharedWithTasks(t *testing.T) {
	srv, nc := natsServer(t, t.TempDir())
	defer srv.Shutdown()
	defer nc.Close()
	s := startServe(t, Config{Conn: nc})
	release, err := s.RunSlot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	if _, err := s.RunSlot(ctx); err == nil {
		t.Fatal("a second slot with Concurrency 1")
	}
	cancel()
	data, code, desc := ask(t, nc, RunSubject, `{"scenarios":20,"paths":50,"seed":3,"no_hedging":true,"wait":false}`, 5*time.Second)
	var acc Accepted
	if err := json.Unmarshal(data, &acc); err != nil || code != "" {
		t.Fatalf("request: %s %s %s", data, code, desc)
	}
	time.Sleep(500 * time.Millisecond)
	data, code, _ = ask(t, nc, StatusSubject, acc.RunID, 5*time.Second)
	var st Status
	if err := json.Unmarshal(data, &st); err != nil || code != "" || st.Status != statusQueued || st.QueuePosition != 1 {
		t.Fatalf("run while the slot is held: %s %s, want %s at position 1", data, code, statusQueued)
	}
	release()
	release() // a second release is a no-op
	waitStatus(t, nc, acc.RunID, statusComplete, 60*time.Second)
}

// Of two serve processes on one JetStream, only the one holding a task's
// lease runs the task (the recalibrator's case) and reports it in
// hedgeflow_task_lease_held; when it stops, the other takes over.
func TestLeasedTaskRunsInOneProcess(t *testing.T) {
	srv, nc := natsServer(t, t.TempDir())
	defer srv.Shutdown()
	defer nc.Close()
	nc2, err := srv.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer nc2.Close()
	var mu sync.Mutex
	active := map[string]int{} // runs in progress per process
	started := make(chan string, 4)
	task := func(name string) Task {
		return Task{Name: "recalibrator", Lease: "recalibrator", Run: func(ctx context.Context) error {
			mu.Lock()
			active[name]++
			both := active["a"] > 0 && active["b"] > 0
			mu.Unlock()
			if both {
				t.Error("the leased task runs in both processes")
			}
			started <- name
			<-ctx.Done()
			mu.Lock()
			active[name]--
			mu.Unlock()
			return nil
		}}
	}
	a := startServe(t, Config{Conn: nc, Tasks: []Task{task("a")}, LeaseTTL: time.Second})
	b := startServe(t, Config{Conn: nc2, Tasks: []Task{task("b")}, LeaseTTL: time.Second})
	var first string
	select {
	case first = <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("no process runs the leased task")
	}
	time.Sleep(3 * time.Second) // renewals, and the other's attempts
	select {
	case n := <-started:
		t.Fatalf("%s started the task too", n)
	default:
	}
	held := func(s *Server) float64 {
		mfs, err := s.met.reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, mf := range mfs {
			if mf.GetName() == "hedgeflow_task_lease_held" {
				for _, m := range mf.GetMetric() {
					return m.GetGauge().GetValue()
				}
			}
		}
		return -1 // never set: the process has not held it
	}
	leader, standby := a, b
	if first == "b" {
		leader, standby = b, a
	}
	if held(leader.Server) != 1 || held(standby.Server) == 1 {
		t.Fatalf("lease gauge: leader %v, standby %v", held(leader.Server), held(standby.Server))
	}
	if err := leader.stop(); err != nil {
		t.Fatal(err)
	}
	select {
	case n := <-started:
		if n == first {
			t.Fatalf("%s started again after it stopped", n)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the standby did not take the task over after the leader stopped")
	}
	if held(standby.Server) != 1 {
		t.Fatalf("the new leader's lease gauge is %v", held(standby.Server))
	}
}
