package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// natsServerBinary finds a real nats-server binary: $HEDGEFLOW_NATS_SERVER
// (which .ci/run sets, so that CI fails rather than skips when the install
// went wrong), then PATH, then $(go env GOPATH)/bin.
func natsServerBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("HEDGEFLOW_NATS_SERVER"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("HEDGEFLOW_NATS_SERVER=%s: %v", p, err)
		}
		return p
	}
	if p, err := exec.LookPath("nats-server"); err == nil {
		return p
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		for _, dir := range filepath.SplitList(strings.TrimSpace(string(out))) {
			p := filepath.Join(dir, "bin", "nats-server")
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	t.Skip("no nats-server binary on PATH or in $(go env GOPATH)/bin: install it with " +
		"go install github.com/nats-io/nats-server/v2@v2.15.2 (as .ci/run does)")
	return ""
}

// proc is a child process whose output is kept for failure messages.
type proc struct {
	name string
	cmd  *exec.Cmd
	out  bytes.Buffer
	done chan struct{}
	err  error
}

func start(t *testing.T, name, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, cmd: exec.Command(bin, args...), done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = &syncWriter{w: &p.out}, &syncWriter{w: &p.out}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("%s output:\n%s", p.name, p.output())
		}
	})
	return p
}

// stop sends SIGTERM and waits for the process to exit.
func (p *proc) stop(t *testing.T) error {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.err
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not stop within 30 s of SIGTERM", p.name)
		return nil
	}
}

func (p *proc) output() string {
	mu.Lock()
	defer mu.Unlock()
	return p.out.String()
}

var mu sync.Mutex // guards every proc's output buffer

type syncWriter struct{ w *bytes.Buffer }

func (s *syncWriter) Write(b []byte) (int, error) {
	mu.Lock()
	defer mu.Unlock()
	return s.w.Write(b)
}

// realServer starts the nats-server binary with JetStream on a loopback
// port and a temporary store, and waits until JetStream answers.
func realServer(t *testing.T) string {
	t.Helper()
	bin := natsServerBinary(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	start(t, "nats-server", bin, "-js", "-a", "127.0.0.1", "-p", fmt.Sprint(port), "-sd", t.TempDir(), "-n", "hedgeflow-ci")
	url := fmt.Sprintf("nats://127.0.0.1:%d", port)
	deadline := time.Now().Add(15 * time.Second)
	for {
		nc, err := nats.Connect(url)
		if err == nil {
			js, _ := jetstream.New(nc)
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			_, err = js.AccountInfo(ctx)
			cancel()
			nc.Close()
			if err == nil {
				return url
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("nats-server at %s not ready: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// reportNumbers reads a report.json without the fields that differ between
// runs (run_id, timing).
func reportNumbers(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "run_id")
	delete(m, "timing")
	out, _ := json.Marshal(m)
	return string(out)
}

var smallRun = []string{"--scenarios", "30", "--paths", "40", "--partition-size", "2", "--no-hedging"}

// referenceNumbers runs the same small run on the embedded server.
func referenceNumbers(t *testing.T) string {
	t.Helper()
	out := t.TempDir()
	stdout, stderr, code := hedgeflow(t, "", append([]string{"run", "--out", out}, smallRun...)...)
	if code != 0 {
		t.Fatalf("reference run: exit %d\n%s%s", code, stdout, stderr)
	}
	return reportNumbers(t, out)
}

// Separate processes: a real nats-server, two "hedgeflow worker"
// processes and "hedgeflow run --workers -1" give the numbers of an
// all-in-one run; the workers stop cleanly on SIGTERM.
func TestProcessesWorkersAndRun(t *testing.T) {
	url := realServer(t)
	want := referenceNumbers(t)
	w1 := start(t, "worker 1", binary, "worker", "--nats", url, "--workers", "1", "--name", "w1")
	w2 := start(t, "worker 2", binary, "worker", "--nats", url, "--workers", "1", "--name", "w2")
	out := t.TempDir()
	r := start(t, "run", binary, append([]string{"run", "--nats", url, "--workers", "-1", "--out", out}, smallRun...)...)
	select {
	case <-r.done:
	case <-time.After(90 * time.Second):
		t.Fatal("run did not finish in 90 s")
	}
	if r.err != nil {
		t.Fatalf("run: %v\n%s", r.err, r.output())
	}
	if got := reportNumbers(t, out); got != want {
		t.Errorf("numbers differ from the all-in-one run:\n%s\nwant\n%s", got, want)
	}
	for _, w := range []*proc{w1, w2} {
		if err := w.stop(t); err != nil {
			t.Errorf("%s exited with %v after SIGTERM:\n%s", w.name, err, w.output())
		}
		if o := w.output(); !strings.Contains(o, "worker started") || !strings.Contains(o, "worker stopped") {
			t.Errorf("%s log:\n%s", w.name, o)
		}
	}
}

// A worker process killed with SIGKILL mid-run loses nothing: its
// partition is redelivered to the other worker after the ack wait, and the
// numbers are those of an undisturbed run.
func TestProcessesWorkerKilled(t *testing.T) {
	url := realServer(t)
	want := referenceNumbers(t)
	// The topology with a short ack wait, so that the killed worker's
	// partition comes back in seconds; later processes keep it (Ensure
	// leaves existing settings alone when not told otherwise).
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	h, err := streams.Ensure(ctx, js, streams.Topology{AckWait: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	victim := start(t, "worker 1", binary, "worker", "--nats", url, "--workers", "1", "--name", "victim")
	survivor := start(t, "worker 2", binary, "worker", "--nats", url, "--workers", "1", "--name", "survivor")
	out := t.TempDir()
	r := start(t, "run", binary, append([]string{"run", "--nats", url, "--workers", "-1", "--out", out}, smallRun...)...)
	// Kill the victim once the run is under way and it holds a partition.
	for {
		info, err := h.Pricing.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if info.Delivered.Consumer >= 3 && info.NumAckPending > 0 {
			break
		}
		select {
		case <-r.done:
			t.Fatalf("run ended before the worker could be killed: %v\n%s", r.err, r.output())
		case <-time.After(5 * time.Millisecond):
		}
	}
	if err := victim.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case <-r.done:
	case <-ctx.Done():
		t.Fatal("run did not finish in 90 s")
	}
	if r.err != nil {
		t.Fatalf("run: %v\n%s", r.err, r.output())
	}
	if got := reportNumbers(t, out); got != want {
		t.Errorf("numbers differ from the all-in-one run after a worker was killed")
	}
	info, err := h.Pricing.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Config.AckWait != 2*time.Second {
		t.Errorf("ack wait %v: a later process changed the consumer", info.Config.AckWait)
	}
	if err := survivor.stop(t); err != nil {
		t.Errorf("survivor exited with %v", err)
	}
}
