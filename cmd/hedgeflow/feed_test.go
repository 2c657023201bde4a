package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/producers/feed"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

func TestFeedRefusesBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"feed"}, "give one source"},
		{[]string{"feed", "--synthetic", "--file", "q.jsonl"}, "give one source"},
		{[]string{"feed", "--synthetic"}, "--nats URL is required"},
		{[]string{"feed", "--synthetic"}, "use --dry-run"},
		{[]string{"feed", "--synthetic", "--speed", "10x", "--dry-run"}, "--speed goes with --file or --fred"},
		{[]string{"feed", "--file", "q.jsonl", "--speed", "fast", "--dry-run"}, `--speed: "fast": want a factor such as 3600x`},
		{[]string{"feed", "--file", "q.jsonl", "--seed", "3", "--dry-run"}, "--seed goes with --synthetic"},
		{[]string{"feed", "--synthetic", "--spike-prob", "2", "--dry-run"}, "--spike-prob: a probability per market day in (0, 1]"},
		{[]string{"feed", "--fred", "dir", "--dry-run"}, "--fred needs --from and --to"},
		{[]string{"feed", "--fred", "dir", "--from", "2008-09-01", "--to", "1/3/2009", "--dry-run"}, `--to: want YYYY-MM-DD, got "1/3/2009"`},
		{[]string{"feed", "--synthetic", "--from", "2008-09-01", "--dry-run"}, "--from and --to go with --fred"},
		{[]string{"feed", "--ingest", "--dry-run"}, "--ingest needs a server"},
		{[]string{"feed", "--synthetic", "--dry-run", "--nats", "nats://127.0.0.1:4222"}, "--dry-run publishes nothing"},
		{[]string{"record", "--out", "x.jsonl"}, "--nats URL is required"},
		{[]string{"record", "--nats", "nats://127.0.0.1:1"}, "--out FILE is required"},
		{[]string{"record", "--nats", "nats://127.0.0.1:1", "--out", "x", "--all", "--since", "2025-01-01"}, "--all and --since are alternatives"},
		{[]string{"record", "--nats", "nats://127.0.0.1:1", "--out", "x", "--since", "yesterday"}, `--since: want RFC 3339`},
	} {
		_, stderr, code := hedgeflow(t, "", c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

// A quote file with a bad line: the good ones come out, the bad one is
// named by file:line: field, and the exit status says something was
// rejected.
func TestFeedDryRunFileReportsBadLines(t *testing.T) {
	p := writeFile(t, "q.csv", []byte("time,kind,key,value,tenor\n"+
		"2025-01-02T15:00:00Z,fx.spot,EUR,1.0321,\n"+
		"2025-01-02T15:00:00Z,fx.vol,EUR,9,\n"+
		"2025-01-02T15:00:00Z,rates.zero,USD,4.55,10\n"))
	stdout, stderr, code := hedgeflow(t, "", "feed", "--file", p, "--dry-run")
	if code != 1 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{p + ":3: value: must be in (0, 5) (a fraction), got 9", "1 of 3 lines of " + p + " rejected", "wrote 2 quotes"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	lines, err := feed.ReadJSONL("stdout", strings.NewReader(stdout))
	if err != nil || len(lines.Errors) > 0 || len(lines.Quotes) != 2 || lines.Quotes[1].Tenors[0] != 10 {
		t.Fatalf("stdout is not the 2 good quotes: %v %v\n%s", err, lines, stdout)
	}
}

// listeningServer is an embedded JetStream server on a loopback port, for
// the hedgeflow processes under test.
func listeningServer(t *testing.T) (url string, js jetstream.JetStream, nc *nats.Conn) {
	t.Helper()
	srv, err := streams.StartServer(streams.ServerOptions{StoreDir: t.TempDir(), Listen: "127.0.0.1:-1", MaxMemory: 64 << 20, MaxStore: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	nc, err = srv.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err = jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return srv.ClientURL(), js, nc
}

func streamCount(t *testing.T, js jetstream.JetStream) uint64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := js.Stream(ctx, streams.MarketStream)
	if err != nil {
		return 0
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// hedgeflow record captures what hedgeflow feed publishes; the recording
// replayed onto another server at 36000x keeps the quotes and, roughly,
// their spacing (two quotes an hour apart take about 100 ms).
func TestFeedRecordReplayProcesses(t *testing.T) {
	url, js, _ := listeningServer(t)
	t0 := time.Date(2025, 1, 2, 15, 0, 0, 0, time.UTC)
	var in bytes.Buffer
	qs := []streams.Quote{
		{Time: t0, Kind: streams.KindFXSpot, Key: "EUR", Value: 1.0321, Source: "desk"},
		{Time: t0, Kind: streams.KindZero, Key: "USD", Tenors: []float64{2, 10}, Values: []float64{4.25, 4.55}},
		{Time: t0.Add(time.Hour), Kind: streams.KindEquityVol, Key: "SPX", Value: 0.2},
	}
	if err := feed.WriteJSONL(&in, qs); err != nil {
		t.Fatal(err)
	}
	src := writeFile(t, "in.jsonl", in.Bytes())
	rec := filepath.Join(t.TempDir(), "rec.jsonl")
	r := start(t, "record", binary, "record", "--nats", url, "--out", rec, "--all")
	stdout, stderr, code := hedgeflow(t, "", "feed", "--nats", url, "--file", src)
	if code != 0 || !strings.Contains(stdout, "published 3 quotes") {
		t.Fatalf("feed: exit %d\n%s%s", code, stdout, stderr)
	}
	waitFor(t, "3 recorded lines", func() bool {
		b, _ := os.ReadFile(rec)
		return bytes.Count(b, []byte("\n")) == 3
	})
	if err := r.stop(t); err != nil {
		t.Fatalf("record on SIGTERM: %v\n%s", err, r.output())
	}
	if !strings.Contains(r.output(), "recorded 3 quotes") {
		t.Errorf("record's summary:\n%s", r.output())
	}
	got, _ := os.ReadFile(rec)
	if string(got) != in.String() {
		t.Errorf("recording differs from the input:\n%s\nvs\n%s", got, in.String())
	}

	url2, js2, _ := listeningServer(t)
	began := time.Now()
	stdout, stderr, code = hedgeflow(t, "", "feed", "--nats", url2, "--file", rec, "--speed", "36000x")
	took := time.Since(began)
	if code != 0 || streamCount(t, js2) != 3 {
		t.Fatalf("replay: exit %d, %d quotes\n%s%s", code, streamCount(t, js2), stdout, stderr)
	}
	if took < 100*time.Millisecond {
		t.Errorf("an hour at 36000x took %v, want at least 100 ms", took)
	}

	// The synthetic feed: 3 ticks of 37 quotes.
	before := streamCount(t, js)
	stdout, stderr, code = hedgeflow(t, "", "feed", "--nats", url, "--synthetic", "--ticks", "3", "--interval", "10ms", "--seed", "9")
	if code != 0 || streamCount(t, js)-before != 3*37 || !strings.Contains(stdout, "synthetic feed: 3 ticks") {
		t.Fatalf("synthetic: exit %d, %d new quotes\n%s%s", code, streamCount(t, js)-before, stdout, stderr)
	}
}

// hedgeflow feed --ingest answers the documented nats req example.
func TestFeedIngestProcess(t *testing.T) {
	url, js, nc := listeningServer(t)
	p := start(t, "ingest", binary, "feed", "--nats", url, "--ingest")
	ask := func(body string) feed.IngestReply {
		t.Helper()
		var r feed.IngestReply
		waitFor(t, "an ingest reply", func() bool {
			m, err := nc.Request(streams.IngestSubject, []byte(body), 500*time.Millisecond)
			if err != nil {
				return false
			}
			if err := json.Unmarshal(m.Data, &r); err != nil {
				t.Fatalf("reply %q: %v", m.Data, err)
			}
			return true
		})
		return r
	}
	if r := ask(`{"time":"2025-01-02T15:00:00Z","kind":"fx.vol","key":"EUR","value":0.09}`); r.Accepted != 1 || r.Error != "" {
		t.Errorf("good quote: %+v", r)
	}
	if r := ask(`{"time":"2025-01-02T15:00:00Z","kind":"fx.vol","key":"EUR","valeu":0.09}`); r.Accepted != 0 || !strings.Contains(r.Error, "valeu: unknown field") {
		t.Errorf("bad quote: %+v", r)
	}
	if n := streamCount(t, js); n != 1 {
		t.Errorf("%d quotes on the stream, want 1", n)
	}
	if err := p.stop(t); err != nil {
		t.Fatalf("ingest on SIGTERM: %v\n%s", err, p.output())
	}
	if !strings.Contains(p.output(), "published 1 quotes") {
		t.Errorf("summary:\n%s", p.output())
	}
}

// FRED history (HEDGEFLOW_DATA) as JSON Lines: one market state of 41
// quotes per business day.
func TestFeedFREDDryRun(t *testing.T) {
	dir := os.Getenv("HEDGEFLOW_DATA")
	if dir == "" {
		t.Skip("HEDGEFLOW_DATA is not set: skipping the test against real market history")
	}
	cmd := exec.Command(binary, "feed", "--fred", dir, "--from", "2008-09-15", "--to", "2008-09-19", "--dry-run")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	lines, _ := feed.ReadJSONL("stdout", bytes.NewReader(out))
	if len(lines.Errors) > 0 || len(lines.Quotes) != 5*41 {
		t.Fatalf("%d quotes, errors %v", len(lines.Quotes), lines.Errors)
	}
	if q := lines.Quotes[0]; q.Time != time.Date(2008, 9, 15, 21, 0, 0, 0, time.UTC) || q.Source != "history" {
		t.Errorf("first quote %+v", q)
	}
}
