package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Bad flags are refused before anything is read or run, naming the flag.
func TestReplayRefusesBadFlags(t *testing.T) {
	data := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--data", data, "--rebalance", "daily"}, "--rebalance: weekly, monthly or N days"},
		{[]string{"--data", data, "--rebalance", "0 days"}, "--rebalance"},
		{[]string{"--data", data, "--window", "2009"}, "--window: 2008, 2020, 2022, all or FROM:TO"},
		{[]string{"--data", data, "--window", "2020-04-01:2020-03-01"}, "TO must be after FROM"},
		{[]string{"--data", data, "--scenarios", "0"}, "--scenarios: must be positive"},
		{[]string{"--data", data, "--tail-share", "1.5"}, "--tail-share: must be in (0, 1], got 1.5"},
		{[]string{"--data", filepath.Join(data, "nope")}, "--data: " + filepath.Join(data, "nope") + " is not a readable directory"},
		{[]string{"--data", data, "extra"}, `unexpected argument "extra"`},
	} {
		_, stderr, code := hedgeflow(t, "", append([]string{"replay"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, "hedgeflow replay: error: ") || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", c.args, code, stderr, c.want)
		}
	}
	// Without --data the environment is used; with neither, a clear error.
	cmd := []string{"replay"}
	t.Setenv("HEDGEFLOW_DATA", "")
	_, stderr, code := hedgeflow(t, "", cmd...)
	if code != 2 || !strings.Contains(stderr, "--data: no directory of historical series (give --data DIR or set $HEDGEFLOW_DATA)") {
		t.Errorf("no data: exit %d, %q", code, stderr)
	}
}

// A short real window end to end through the binary: the summary table,
// report.json with its backtest section and report.html with its chart.
func TestReplayWritesBacktest(t *testing.T) {
	data := os.Getenv("HEDGEFLOW_DATA")
	if data == "" {
		t.Skip("HEDGEFLOW_DATA is not set: skipping the replay of real market history")
	}
	out := t.TempDir()
	stdout, stderr, code := hedgeflow(t, "", "replay", "--data", data, "--window", "2020-03-02:2020-03-13", "--scenarios", "30", "--paths", "10", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"Backtest: rebalancing weekly, 30 scenarios x 10 paths per recalibration, seed 42", "max DD funded ratio",
		"2020-03-02:2020-03-13       10     2", "report: " + filepath.Join(out, "report.json")} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Backtest struct {
			Windows []struct {
				Name              string   `json:"name"`
				Days              int      `json:"days"`
				DrawdownReduction *float64 `json:"drawdown_reduction"`
				Series            struct {
					Unhedged []float64 `json:"funded_ratio_unhedged"`
					Hedged   []float64 `json:"funded_ratio_hedged"`
				} `json:"series"`
			} `json:"windows"`
		} `json:"backtest"`
		Recommended any `json:"recommended"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	ws := rep.Backtest.Windows
	if len(ws) != 1 || ws[0].Days != 10 || len(ws[0].Series.Hedged) != 10 || len(ws[0].Series.Unhedged) != 10 || ws[0].DrawdownReduction == nil || rep.Recommended == nil {
		t.Errorf("report.json backtest: %+v", rep.Backtest)
	}
	h, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(h), `id="chart-backtest-2020-03-02-2020-03-13"`) {
		t.Error("report.html has no backtest chart")
	}
}

// A window the data do not cover is an error naming what is missing.
func TestReplayWindowOutsideData(t *testing.T) {
	data := os.Getenv("HEDGEFLOW_DATA")
	if data == "" {
		t.Skip("HEDGEFLOW_DATA is not set")
	}
	_, stderr, code := hedgeflow(t, "", "replay", "--data", data, "--window", "1995-01-02:1995-06-30", "--out", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "window 1995-01-02:1995-06-30 needs history from 1994-01-02") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
