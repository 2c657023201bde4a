package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/producers/feed"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nats.go/micro"
)

// freePort returns a loopback port nobody listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startServe starts "hedgeflow serve" and waits until its services answer
// $SRV.PING; it returns the process and a connection to its NATS.
func startServe(t *testing.T, name, url string, args ...string) (*proc, *nats.Conn) {
	t.Helper()
	p := start(t, name, binary, append([]string{"serve"}, args...)...)
	deadline := time.Now().Add(30 * time.Second)
	for {
		nc, err := nats.Connect(url, nats.MaxReconnects(0))
		if err == nil {
			if _, err = nc.Request("$SRV.PING.hedgeflow", nil, time.Second); err == nil {
				// The endpoints subscribe after $SRV: wait for the last.
				if _, err = nc.Request("hedge.recommendation.latest", nil, time.Second); err == nil {
					t.Cleanup(nc.Close)
					return p, nc
				}
			}
			nc.Close()
		}
		select {
		case <-p.done:
			t.Fatalf("%s exited: %v\n%s", name, p.err, p.output())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: services not answering in 30 s: %v\n%s", name, err, p.output())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// runDone returns a run's partitions done and in all from its KV state.
func runDone(t *testing.T, nc *nats.Conn, id string) (done, total int) {
	t.Helper()
	js, _ := jetstream.New(nc)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	kv, err := js.KeyValue(ctx, streams.RunsBucket)
	if err != nil {
		return 0, 0
	}
	e, err := kv.Get(ctx, id)
	if err != nil {
		return 0, 0
	}
	var st streams.RunState
	if err := streams.Decode(e.Value(), &st); err != nil {
		t.Fatal(err)
	}
	return st.Done, st.Partitions
}

// hedgeflow serve killed (SIGKILL) mid-run and restarted on the same
// --store: the run resumes from its KV state and completes with the
// numbers of an undisturbed "hedgeflow run" with the same seed; nothing
// lost, nothing counted twice. Then SIGTERM stops it cleanly.
func TestServeKilledMidRunResumes(t *testing.T) {
	const scen, paths, size = 40, 400, 2
	ref := t.TempDir()
	stdout, stderr, code := hedgeflow(t, "", "run", "--out", ref, "--scenarios", fmt.Sprint(scen), "--paths", fmt.Sprint(paths),
		"--partition-size", fmt.Sprint(size), "--no-hedging", "--seed", "11")
	if code != 0 {
		t.Fatalf("reference run: exit %d\n%s%s", code, stdout, stderr)
	}
	want := reportNumbers(t, ref)

	store := t.TempDir()
	port := freePort(t)
	url := fmt.Sprintf("nats://127.0.0.1:%d", port)
	args := []string{"--listen", fmt.Sprintf("127.0.0.1:%d", port), "--http", fmt.Sprintf("127.0.0.1:%d", freePort(t)),
		"--store", store, "--workers", "1", "--recal=false", "--ack-wait", "2s"}
	first, nc := startServe(t, "serve (to be killed)", url, args...)
	m, err := nc.Request("hedge.run", []byte(fmt.Sprintf(`{"scenarios":%d,"paths":%d,"partition_size":%d,"seed":11,"no_hedging":true,"wait":false}`, scen, paths, size)), 5*time.Second)
	if err != nil || m.Header.Get(micro.ErrorCodeHeader) != "" {
		t.Fatalf("hedge.run: %v %v", err, m.Header)
	}
	var acc struct {
		RunID string `json:"run_id"`
	}
	if err := json.Unmarshal(m.Data, &acc); err != nil || acc.RunID == "" {
		t.Fatalf("hedge.run reply %q", m.Data)
	}
	// Kill it once some partitions are in, not all.
	deadline := time.Now().Add(60 * time.Second)
	var done, total int
	for {
		done, total = runDone(t, nc, acc.RunID)
		if done >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("run %s: %d/%d partitions after 60 s\n%s", acc.RunID, done, total, first.output())
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-first.done
	if done >= total {
		t.Fatalf("the run completed (%d/%d) before serve could be killed: make it bigger", done, total)
	}
	t.Logf("killed serve with %d of %d partitions done", done, total)
	nc.Close()

	restarted := time.Now()
	second, nc := startServe(t, "serve (restarted)", url, args...)
	deadline = time.Now().Add(90 * time.Second)
	var st struct {
		Status, Error string
		Done          int
		Partitions    int
	}
	for st.Status != "complete" {
		m, err := nc.Request("hedge.status", []byte(acc.RunID), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if c := m.Header.Get(micro.ErrorCodeHeader); c != "" {
			t.Fatalf("hedge.status after the restart: %s %s", c, m.Header.Get(micro.ErrorHeader))
		}
		if err := json.Unmarshal(m.Data, &st); err != nil {
			t.Fatal(err)
		}
		if st.Status == "failed" {
			t.Fatalf("run failed after the restart: %s", st.Error)
		}
		if time.Now().After(deadline) {
			t.Fatalf("run not complete 90 s after the restart: %+v\n%s", st, second.output())
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("complete %.1f s after the restart", time.Since(restarted).Seconds())
	if st.Done != total || st.Partitions != total {
		t.Errorf("complete with %d/%d partitions, want %d", st.Done, st.Partitions, total)
	}
	m, err = nc.Request("hedge.report", []byte(acc.RunID), 10*time.Second)
	if err != nil || m.Header.Get(micro.ErrorCodeHeader) != "" {
		t.Fatalf("hedge.report: %v %v", err, m.Header)
	}
	var rep map[string]any
	if err := json.Unmarshal(m.Data, &rep); err != nil {
		t.Fatal(err)
	}
	if rep["run_id"] != acc.RunID {
		t.Errorf("report of run %v, want %s", rep["run_id"], acc.RunID)
	}
	delete(rep, "run_id")
	delete(rep, "timing")
	got, _ := json.Marshal(rep)
	if string(got) != want {
		t.Error("the resumed run's numbers differ from an undisturbed hedgeflow run with the same seed")
	}
	// One result per partition: the redelivered ones were deduplicated.
	js, _ := jetstream.New(nc)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rs, err := js.Stream(ctx, streams.ResultStream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := rs.Info(ctx, jetstream.WithSubjectFilter(streams.ResultSubject(acc.RunID)))
	if err != nil {
		t.Fatal(err)
	}
	if n := info.State.Subjects[streams.ResultSubject(acc.RunID)]; n != uint64(total) {
		t.Errorf("%d results stored for %d partitions", n, total)
	}
	if o := second.output(); !strings.Contains(o, "resuming from its KV state") || !strings.Contains(o, acc.RunID) {
		t.Errorf("the restarted serve's log does not say it resumed the run:\n%s", o)
	}
	nc.Close()
	if err := second.stop(t); err != nil {
		t.Errorf("serve exited with %v after SIGTERM:\n%s", err, second.output())
	}
	if o := second.output(); !strings.Contains(o, "shutting down") || !strings.Contains(o, "msg=stopped") {
		t.Errorf("serve's log on SIGTERM:\n%s", o)
	}
}

// The HTTP side of the built binary: with $HEDGEFLOW_TOKEN set, the
// dashboard and its events answer 401 without the token and 200 with it;
// health does not ask for it. A quote sent to market.ingest reaches the
// dashboard's market state.
func TestServeHTTPTokenAndIngest(t *testing.T) {
	const token = "token-from-the-environment-42"
	t.Setenv(tokenEnv, token)
	port, hport := freePort(t), freePort(t)
	p, nc := startServe(t, "serve", fmt.Sprintf("nats://127.0.0.1:%d", port), "--listen", fmt.Sprintf("127.0.0.1:%d", port),
		"--http", fmt.Sprintf("127.0.0.1:%d", hport), "--workers", "1", "--recal=false")
	base := fmt.Sprintf("http://127.0.0.1:%d", hport)
	status := func(path string) int {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for path, want := range map[string]int{"/": 401, "/events": 401, "/metrics": 401, "/?token=" + token: 200, "/metrics?token=" + token: 200,
		"/healthz": 200, "/readyz": 200} {
		if got := status(path); got != want {
			t.Errorf("GET %s: %d, want %d", path, got, want)
		}
	}
	// The ingest bridge answers once it has subscribed.
	q := streams.Quote{Time: time.Date(2025, 2, 3, 10, 0, 0, 0, time.UTC), Kind: streams.KindFXVol, Key: "GBP", Value: 0.0912}
	deadline := time.Now().Add(20 * time.Second)
	for {
		r, err := feed.Send(context.Background(), nc, []streams.Quote{q})
		if err == nil && r.Accepted == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("market.ingest: %+v %v", r, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for {
		resp, err := http.Get(base + "/api/state?token=" + token)
		if err != nil {
			t.Fatal(err)
		}
		var state struct{ Market []streams.Quote }
		err = json.NewDecoder(resp.Body).Decode(&state)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(state.Market) == 1 && state.Market[0].Kind == q.Kind && state.Market[0].Value == q.Value {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the ingested quote is not in the dashboard's state: %+v", state.Market)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(p.output(), "dashboard "+base+"/") {
		t.Errorf("serve does not print its dashboard URL:\n%s", p.output())
	}
	if err := p.stop(t); err != nil {
		t.Errorf("serve exited with %v after SIGTERM", err)
	}
}

func TestServeRefusesBadFlags(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"serve", "--nats", "nats://127.0.0.1:1", "--store", "x"}, 2, "--listen and --store are for the embedded server"},
		{[]string{"serve", "--concurrency", "0"}, 2, "--concurrency: must be positive, got 0"},
		{[]string{"serve", "--workers", "0"}, 2, "--workers: a number of goroutines, or -1 for none, got 0"},
		{[]string{"serve", "--recal=false", "--recal-paths", "10"}, 2, "--recal-paths configures the recalibrator"},
		{[]string{"serve", "--objective", "sharpe"}, 2, `objective must be cvar or variance, got "sharpe"`},
		{[]string{"serve", "--robustness", "median"}, 2, `robustness must be tail or worst, got "median"`},
		{[]string{"serve", "--token", "short", "--listen", "", "--http", ""}, 1, "token must be at least 16 characters"},
		{[]string{"serve", "--portfolio-dir", "/nonexistent"}, 2, "--portfolio-dir /nonexistent: not a directory"},
		{[]string{"serve", "--thresholds", "testdata/missing.yaml"}, 1, "no such file"},
		{[]string{"serve", "extra"}, 2, `unexpected argument "extra"`},
	}
	for _, c := range cases {
		stdout, stderr, code := hedgeflow(t, "", c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("hedgeflow %v: exit %d, stderr %q; want exit %d and %q (stdout %q)", c.args, code, stderr, c.code, c.want, stdout)
		}
	}
}
