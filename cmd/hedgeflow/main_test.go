package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var binary string

// TestMain builds the real binary once; the tests run it as a user would.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hedgeflow-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "hedgeflow")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func hedgeflow(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

func TestRunWritesReport(t *testing.T) {
	out := t.TempDir()
	stdout, stderr, code := hedgeflow(t, "", "run", "--scenarios", "20", "--paths", "30", "--partition-size", "7", "--out", out, "--prohibit", "swaption_receiver,swaption_payer")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"Global Pension Trust: assets $25.00bn", "20 scenarios x 30 paths, seed 42", "CVaR 95", "P(funded ratio < 0.85)",
		"Recommended programme:", "Cost of robustness:", "report: " + filepath.Join(out, "report.json")} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	// stdout is not a terminal: no progress bar.
	if strings.Contains(stdout, "pricing partitions") || strings.Contains(stdout, "\r") {
		t.Errorf("progress bar written to a non-terminal:\n%q", stdout)
	}
	if st, err := os.Stat(filepath.Join(out, "report.html")); err != nil || st.Size() < 10000 {
		t.Errorf("report.html missing or tiny: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep map[string]any
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"run_id", "seed", "scenarios", "paths", "portfolio", "unhedged", "scenario_metrics", "timing", "recommended", "robust", "median_optimal"} {
		if _, ok := rep[k]; !ok {
			t.Errorf("report.json lacks %q", k)
		}
	}
}

func TestRunRefusesBadInput(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"run", "--scenarios", "0"}, 2, "--scenarios: must be positive, got 0"},
		{[]string{"run", "--reasoner", "bedrock"}, 2, "--reasoner bedrock needs --bedrock-model"},
		{[]string{"run", "--reasoner", "oracle"}, 2, `--reasoner: deterministic or bedrock, got "oracle"`},
		{[]string{"run", "--scenarios", "5", "--paths", "20", "--objective", "sharpe"}, 1, `objective must be cvar or variance, got "sharpe"`},
		{[]string{"run", "--scenarios", "5", "--paths", "20", "--budget-bps", "-3"}, 1, "budget_bps must be in (0, 1000]"},
		{[]string{"run", "--scenarios", "5", "--paths", "20", "--robustness", "median"}, 1, `robustness must be tail or worst, got "median"`},
		{[]string{"run", "--tail-share", "0"}, 2, "--tail-share: must be in (0, 1], got 0"},
		{[]string{"run", "--paths", "-5"}, 2, "--paths: must be positive"},
		{[]string{"run", "--scenarios", "100000000"}, 1, "scenarios: must be in [1, 1000000]"},
		{[]string{"run", "--portfolio", "testdata/bad-portfolio.yaml"}, 1, `testdata/bad-portfolio.yaml:4: equities[1].currency: unknown currency "XMR"`},
		{[]string{"run", "--portfolio", "testdata/missing.yaml"}, 1, "no such file"},
		{[]string{"run", "--holdings", "testdata/holdings-nan.yaml"}, 1, "testdata/holdings-nan.yaml:3: holdings.fx_forward_GBP: notional must be finite, got NaN"},
		{[]string{"run", "--scenarios", "5", "--paths", "20", "--holdings", "testdata/holdings-unknown.yaml"}, 1, "holdings: fx_forward_XMR is not a hedge of this fund's catalogue"},
		{[]string{"run", "--holdings", "testdata/holdings.yaml", "--no-hedging"}, 2, "--holdings is for the hedge optimisation, which --no-hedging skips"},
		{[]string{"run", "--holdings", "testdata/holdings.yaml", "--objective", "variance"}, 2, `holdings (a trading cost in USD) need the cvar objective, got "variance"`},
		{[]string{"run", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"bogus"}, 2, `unknown command "bogus"`},
	}
	for _, c := range cases {
		stdout, stderr, code := hedgeflow(t, "", c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("hedgeflow %v: exit %d, stderr %q; want exit %d and %q (stdout %q)", c.args, code, stderr, c.code, c.want, stdout)
		}
	}
}

// --holdings: the recommended programme of one run, given back as the
// book, is kept by the next run on the same inputs (a rebalance gains
// nothing), and the summary says so.
func TestRunWithHoldings(t *testing.T) {
	dir := t.TempDir()
	args := []string{"run", "--scenarios", "20", "--paths", "30", "--out", dir}
	stdout, stderr, code := hedgeflow(t, "", args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Recommended struct {
			Hedges []struct {
				ID          string  `json:"id"`
				NotionalUSD float64 `json:"notional_usd"`
			} `json:"hedges"`
		} `json:"recommended"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Recommended.Hedges) == 0 {
		t.Fatal("no recommended hedges to hold")
	}
	var y strings.Builder
	y.WriteString("holdings:\n")
	for _, h := range rep.Recommended.Hedges {
		fmt.Fprintf(&y, "  %s: %v\n", h.ID, h.NotionalUSD)
	}
	book := filepath.Join(dir, "book.yaml")
	if err := os.WriteFile(book, []byte(y.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code = hedgeflow(t, "", append(args, "--holdings", book)...)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "Held book (--holdings): keep: ") {
		t.Errorf("the recommendation given back as holdings is not kept:\n%s", stdout)
	}
}

func TestRunHelpExplainsFlags(t *testing.T) {
	_, stderr, code := hedgeflow(t, "", "run", "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, f := range []string{"-portfolio", "-scenarios", "-paths", "-seed", "-workers", "-partition-size", "-nats", "-store", "-out"} {
		if !strings.Contains(stderr, f) {
			t.Errorf("help lacks %s:\n%s", f, stderr)
		}
	}
}

// hedgeflow price: one result per line in order; a bad line gets an error
// naming the field and the exit code is 1, the other lines still priced.
func TestPriceLines(t *testing.T) {
	in := `{"kind":"tranche_lhp","attach":0.03,"detach":0.07,"pd":0.02,"rho":0.3,"recovery":0.4}
{"kind":"tranche_lhp","attach":0.03,"detach":0.07,"pd":0.02,"rho":0.3,"recovery":1.2}
not json
{"kind":"cds","hazard":0.02,"recovery":0.4,"maturity":5,"coupon":0.01,"rate":0.03,"freq":4}
`
	stdout, _, code := hedgeflow(t, in, "price")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d output lines, want 4:\n%s", len(lines), stdout)
	}
	for i, want := range []string{`"expected_loss"`, `"error":"recovery`, `"error":"invalid JSON`, `"par_spread"`} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("line %d = %s, want %s", i+1, lines[i], want)
		}
	}
}
