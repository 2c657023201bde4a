package serve

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hedgeflow/hedgeflow/examples"
)

// A portfolio named in a request is a file of the portfolio directory and
// nothing outside it.
func TestPortfolioByName(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "fund.yaml"), examples.Portfolio, 0o644); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "secret.yaml")
	if err := os.WriteFile(outside, examples.Portfolio, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "escape.yaml")); err != nil {
		t.Fatal(err)
	}
	var lim Limits
	lim.setDefaults()
	for _, name := range []string{"fund", "fund.yaml", "global-pension-trust", ""} {
		a, err := parseRunRequest([]byte(`{"portfolio":"`+name+`"}`), lim, dir)
		if err != nil {
			t.Errorf("portfolio %q: %v", name, err)
			continue
		}
		if string(a.PortfolioYAML) != string(examples.Portfolio) {
			t.Errorf("portfolio %q: not the file's contents", name)
		}
	}
	for name, want := range map[string]string{
		"../fund":    "is not a file name",
		"sub/fund":   "is not a file name",
		".hidden":    "is not a file name",
		"missing":    `unknown portfolio "missing"`,
		"escape":     "portfolio:",
		"fund;rm -r": "is not a file name",
	} {
		_, err := parseRunRequest([]byte(`{"portfolio":"`+name+`"}`), lim, dir)
		if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, ErrBadRequest) {
			t.Errorf("portfolio %q: %v, want a bad request with %q", name, err, want)
		}
	}
}

// The run options of a request are those of hedgeflow run's defaults
// where the request says nothing.
func TestRequestDefaults(t *testing.T) {
	var lim Limits
	lim.setDefaults()
	a, err := parseRunRequest(nil, lim, "")
	if err != nil {
		t.Fatal(err)
	}
	o := a.options()
	if o.Seed != 42 || o.Scenarios != 0 || o.Paths != 0 || o.NoHedging || o.PortfolioFile != examples.PortfolioFile || !a.Request.waits() {
		t.Errorf("defaults: %+v, wait %v", o, a.Request.waits())
	}
	a, err = parseRunRequest([]byte(`{"seed":0,"wait":false,"scenarios":30,"budget_bps":40,"objective":"variance","prohibit":["equity_put","fx_forward_EUR"]}`), lim, "")
	if err != nil {
		t.Fatal(err)
	}
	o = a.options()
	if o.Seed != 0 || o.Scenarios != 30 || o.Policy.BudgetBps != 40 || o.Policy.Objective != "variance" || len(o.Policy.Prohibited) != 2 || a.Request.waits() {
		t.Errorf("options %+v", o)
	}
}

// A request's holdings reach the run's policy ({} is nothing held, absent
// is no book), and bad ones are refused naming the field.
func TestRequestHoldings(t *testing.T) {
	var lim Limits
	lim.setDefaults()
	a, err := parseRunRequest([]byte(`{"holdings":{"fx_forward_EUR":-1.2e9,"swap_receiver_USD_30y":4e9}}`), lim, "")
	if err != nil {
		t.Fatal(err)
	}
	if p := policy(&a.Request); p.Holdings["fx_forward_EUR"] != -1.2e9 || p.Holdings["swap_receiver_USD_30y"] != 4e9 {
		t.Errorf("policy holdings %v", p.Holdings)
	}
	for body, held := range map[string]bool{`{"holdings":{}}`: true, `{}`: false} {
		a, err := parseRunRequest([]byte(body), lim, "")
		if err != nil {
			t.Fatal(err)
		}
		if p := policy(&a.Request); (p.Holdings != nil) != held || len(p.Holdings) != 0 {
			t.Errorf("%s: policy holdings %#v, want a book: %v", body, p.Holdings, held)
		}
	}
	for body, want := range map[string]string{
		`{"holdings":{"fx":1e9}}`:                                    "holdings.fx: names no hedge id",
		`{"holdings":{"fx_forward_EUR":2e13}}`:                       "holdings.fx_forward_EUR: notional 2e+13 USD is beyond any fund",
		`{"holdings":{"fx_forward_EUR":"1e9"}}`:                      "holdings",
		`{"holdings":{"fx_forward_EUR":1e9},"objective":"variance"}`: "holdings (a trading cost in USD) need the cvar objective",
		`{"holdings":{},"no_hedging":true}`:                          "no_hedging: objective, budget_bps, robustness, prohibit and holdings apply to hedging",
	} {
		_, err := parseRunRequest([]byte(body), lim, "")
		if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, ErrBadRequest) {
			t.Errorf("%s: %v, want a bad request with %q", body, err, want)
		}
	}
}
