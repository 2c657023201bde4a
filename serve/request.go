package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hedgeflow/hedgeflow/agents"
	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/input"
	"github.com/hedgeflow/hedgeflow/pricing/sim"
	"github.com/hedgeflow/hedgeflow/run"
	"github.com/hedgeflow/hedgeflow/streams"
)

// ErrBadRequest is wrapped by every error about a request's content; the
// message names the field.
var ErrBadRequest = errors.New("bad request")

// RunRequest is the JSON body of a hedge.run request. Zero fields take the
// defaults of hedgeflow run.
type RunRequest struct {
	// Portfolio names a portfolio: "global-pension-trust" (the built-in
	// sample fund) or a file of the service's portfolio directory, with
	// or without its .yaml extension. PortfolioYAML gives one inline
	// instead. Neither: the sample fund.
	Portfolio     string `json:"portfolio,omitempty"`
	PortfolioYAML string `json:"portfolio_yaml,omitempty"`
	// MarketYAML is a market snapshot inline; empty means the current
	// market state (the MARKET_STATE bucket applied to the built-in
	// snapshot) when the run starts.
	MarketYAML    string `json:"market_yaml,omitempty"`
	Scenarios     int    `json:"scenarios,omitempty"`      // default 1000
	Paths         int    `json:"paths,omitempty"`          // default 1000
	PartitionSize int    `json:"partition_size,omitempty"` // default 50
	// Seed defaults to 42, as for hedgeflow run (0 is a seed).
	Seed      *uint64 `json:"seed,omitempty"`
	Objective string  `json:"objective,omitempty"` // cvar (default) or variance
	// Robustness is what the robust programme minimises: worst (default,
	// the worst scenario's CVaR 95) or tail (the mean CVaR 95 of the worst
	// 10% of scenarios).
	Robustness string   `json:"robustness,omitempty"`
	BudgetBps  float64  `json:"budget_bps,omitempty"` // default 25
	Prohibit   []string `json:"prohibit,omitempty"`   // hedge ids, kinds or asset classes
	// Holdings are the hedges held, USD notional by hedge id, as in
	// hedgeflow run --holdings (README, "Holdings"); {} means nothing is
	// held, absent that the run ignores the book.
	Holdings  map[string]float64 `json:"holdings,omitempty"`
	NoHedging bool               `json:"no_hedging,omitempty"`
	// Wait: true (the default) replies when the run is done, with its
	// summary; false replies at once with the run id.
	Wait *bool `json:"wait,omitempty"`
}

// waits reports whether the requester waits for the run.
func (r *RunRequest) waits() bool { return r.Wait == nil || *r.Wait }

// Limits bound what a request may ask for. The zero value of a field means
// its default.
type Limits struct {
	MaxScenarios int // default 5,000
	MaxPaths     int // default 5,000
	// MaxScenarioPaths bounds scenarios × paths (the aggregator holds
	// 96 bytes per scenario and path at four horizons); default 4,000,000.
	MaxScenarioPaths  int64
	MaxPortfolioBytes int // default 256 KiB
	// MaxPositions bounds a portfolio's equities, bonds, alternatives
	// and liabilities together; default 500.
	MaxPositions int
}

func (l *Limits) setDefaults() {
	if l.MaxScenarios == 0 {
		l.MaxScenarios = 5000
	}
	if l.MaxPaths == 0 {
		l.MaxPaths = 5000
	}
	if l.MaxScenarioPaths == 0 {
		l.MaxScenarioPaths = 4_000_000
	}
	if l.MaxPortfolioBytes == 0 {
		l.MaxPortfolioBytes = 256 << 10
	}
	if l.MaxPositions == 0 {
		l.MaxPositions = 500
	}
}

// Validate checks the limits after defaults against the run package's
// own.
func (l *Limits) Validate() error {
	switch {
	case l.MaxScenarios < 1 || l.MaxScenarios > run.MaxScenarios:
		return fmt.Errorf("%w: max scenarios must be in [1, %d], got %d", ErrInvalidConfig, run.MaxScenarios, l.MaxScenarios)
	case l.MaxPaths < 1 || l.MaxPaths > run.MaxPaths:
		return fmt.Errorf("%w: max paths must be in [1, %d], got %d", ErrInvalidConfig, run.MaxPaths, l.MaxPaths)
	case l.MaxScenarioPaths < 1 || l.MaxScenarioPaths > run.MaxScenarioPaths:
		return fmt.Errorf("%w: max scenarios × paths must be in [1, %d], got %d", ErrInvalidConfig, run.MaxScenarioPaths, l.MaxScenarioPaths)
	case l.MaxPortfolioBytes < 1 || l.MaxPortfolioBytes > 16<<20:
		return fmt.Errorf("%w: max portfolio bytes must be in [1, 16 MiB], got %d", ErrInvalidConfig, l.MaxPortfolioBytes)
	case l.MaxPositions < 1:
		return fmt.Errorf("%w: max positions must be positive, got %d", ErrInvalidConfig, l.MaxPositions)
	}
	return nil
}

// samplePortfolio is the name of the built-in sample fund.
const samplePortfolio = "global-pension-trust"

// accepted is a request that passed validation, with its portfolio read:
// what the queue and the KV record hold, enough to run it again after a
// restart.
type accepted struct {
	Request       RunRequest `json:"request"`
	PortfolioFile string     `json:"portfolio_file"`
	PortfolioYAML []byte     `json:"portfolio_yaml"`
}

// parseRunRequest decodes and validates a hedge.run body: unknown fields,
// values out of the limits, a portfolio that does not parse or is too big
// are errors naming the field.
func parseRunRequest(body []byte, lim Limits, portfolioDir string) (*accepted, error) {
	var req RunRequest
	if len(bytes.TrimSpace(body)) > 0 {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			return nil, jsonError(err)
		}
		if _, err := dec.Token(); err != io.EOF {
			return nil, fmt.Errorf("%w: body: more than one JSON value", ErrBadRequest)
		}
	}
	bad := func(field, format string, a ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrBadRequest, field, fmt.Sprintf(format, a...))
	}
	switch {
	case req.Scenarios < 0 || req.Scenarios > lim.MaxScenarios:
		return nil, bad("scenarios", "must be in [1, %d], got %d", lim.MaxScenarios, req.Scenarios)
	case req.Paths < 0 || req.Paths > lim.MaxPaths:
		return nil, bad("paths", "must be in [1, %d], got %d", lim.MaxPaths, req.Paths)
	case req.PartitionSize < 0 || req.PartitionSize > run.MaxPartitionSize:
		return nil, bad("partition_size", "must be in [1, %d], got %d", run.MaxPartitionSize, req.PartitionSize)
	case req.Portfolio != "" && req.PortfolioYAML != "":
		return nil, bad("portfolio", "give a name or portfolio_yaml, not both")
	case len(req.MarketYAML) > lim.MaxPortfolioBytes:
		return nil, bad("market_yaml", "%d bytes, more than the limit of %d", len(req.MarketYAML), lim.MaxPortfolioBytes)
	case len(req.Prohibit) > 100:
		return nil, bad("prohibit", "%d entries, more than 100", len(req.Prohibit))
	case len(req.Holdings) > input.MaxHoldings:
		return nil, bad("holdings", "%d hedges, more than %d", len(req.Holdings), input.MaxHoldings)
	}
	sc, pa := orDefault(req.Scenarios, 1000), orDefault(req.Paths, 1000)
	if int64(sc)*int64(pa) > lim.MaxScenarioPaths {
		return nil, bad("scenarios", "scenarios × paths = %d × %d is more than this service's limit of %d", sc, pa, lim.MaxScenarioPaths)
	}
	for i, x := range req.Prohibit {
		if !knownHedge(x) {
			return nil, bad(fmt.Sprintf("prohibit[%d]", i), "%q names no asset class (fx, rates, credit, equity), hedge kind (e.g. equity_put) or hedge id (e.g. fx_forward_EUR)", x)
		}
	}
	ids := make([]string, 0, len(req.Holdings))
	for id := range req.Holdings {
		ids = append(ids, id)
	}
	slices.Sort(ids) // the first bad one, whatever the map's order
	for _, id := range ids {
		if !hedgeID(id) {
			return nil, bad("holdings."+id, "names no hedge id (e.g. fx_forward_EUR)")
		}
		if err := input.CheckHolding(req.Holdings[id]); err != nil {
			return nil, bad("holdings."+id, "%v", err)
		}
	}
	if !req.NoHedging {
		p := policy(&req)
		if err := p.Check(); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadRequest, err)
		}
	} else if req.Objective != "" || req.BudgetBps != 0 || len(req.Prohibit) > 0 || req.Robustness != "" || req.Holdings != nil {
		return nil, bad("no_hedging", "objective, budget_bps, robustness, prohibit and holdings apply to hedging, which no_hedging turns off")
	}
	a := &accepted{Request: req}
	switch {
	case req.PortfolioYAML != "":
		a.PortfolioFile, a.PortfolioYAML = "portfolio_yaml", []byte(req.PortfolioYAML)
		a.Request.PortfolioYAML = "" // kept once, in PortfolioYAML
	case req.Portfolio == "" || strings.TrimSuffix(req.Portfolio, ".yaml") == samplePortfolio:
		a.PortfolioFile, a.PortfolioYAML = examples.PortfolioFile, examples.Portfolio
	default:
		file, data, err := readPortfolio(req.Portfolio, portfolioDir, lim.MaxPortfolioBytes)
		if err != nil {
			return nil, err
		}
		a.PortfolioFile, a.PortfolioYAML = file, data
	}
	if len(a.PortfolioYAML) > lim.MaxPortfolioBytes {
		return nil, bad("portfolio_yaml", "%d bytes, more than the limit of %d", len(a.PortfolioYAML), lim.MaxPortfolioBytes)
	}
	pf, err := input.ParsePortfolio(a.PortfolioFile, a.PortfolioYAML)
	if err != nil {
		return nil, fmt.Errorf("%w: portfolio: %w", ErrBadRequest, err)
	}
	if n := len(pf.Equities) + len(pf.Bonds) + len(pf.Alternatives) + len(pf.Liabilities); n > lim.MaxPositions {
		return nil, bad("portfolio", "%d positions, more than this service's limit of %d", n, lim.MaxPositions)
	}
	if req.MarketYAML != "" {
		if _, err := input.ParseMarket("market_yaml", []byte(req.MarketYAML)); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadRequest, err)
		}
	}
	return a, nil
}

// jsonError turns a decoding error into one naming the field.
func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "body"
		}
		return fmt.Errorf("%w: %s: must be %s, got %s", ErrBadRequest, field, te.Type, te.Value)
	case errors.As(err, &se):
		return fmt.Errorf("%w: body: invalid JSON at byte %d: %v", ErrBadRequest, se.Offset, se)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Errorf("%w: %s: unknown field", ErrBadRequest, strings.TrimPrefix(err.Error(), "json: unknown field "))
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: body: truncated JSON", ErrBadRequest)
	}
	return fmt.Errorf("%w: body: %v", ErrBadRequest, err)
}

// readPortfolio reads the portfolio file name from dir: a bare file name,
// with or without .yaml/.yml, that cannot leave dir.
func readPortfolio(name, dir string, limit int) (string, []byte, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: portfolio: %s", ErrBadRequest, fmt.Sprintf(format, a...))
	}
	if dir == "" {
		return "", nil, bad("unknown portfolio %q: this service has no portfolio directory; the built-in one is %q, or send portfolio_yaml", name, samplePortfolio)
	}
	if len(name) > 128 || strings.HasPrefix(name, ".") || strings.ContainsAny(name, `/\`) || name != filepath.Base(name) {
		return "", nil, bad("%q is not a file name (letters, digits, '.', '-', '_'; no directories)", name)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return "", nil, bad("%q is not a file name (letters, digits, '.', '-', '_'; no directories)", name)
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return "", nil, fmt.Errorf("portfolio directory: %w", err)
	}
	defer root.Close()
	candidates := []string{name}
	if filepath.Ext(name) == "" {
		candidates = []string{name + ".yaml", name + ".yml"}
	}
	for _, c := range candidates {
		f, err := root.Open(c)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", nil, bad("%q: %v", name, err)
		}
		data, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
		f.Close()
		if err != nil {
			return "", nil, bad("%q: %v", name, err)
		}
		if len(data) > limit {
			return "", nil, bad("%q is more than the limit of %d bytes", name, limit)
		}
		return c, data, nil
	}
	return "", nil, bad("unknown portfolio %q (not the built-in %q, nor a file of the portfolio directory)", name, samplePortfolio)
}

// knownHedge reports whether x can name hedges: an asset class, a kind,
// or an id (a kind followed by '_' and its underlying and tenor).
func knownHedge(x string) bool {
	switch x {
	case "fx", "rates", "credit", "equity":
		return true
	}
	for k := sim.HedgeKind(0); !strings.HasPrefix(k.String(), "HedgeKind("); k++ {
		if x == k.String() {
			return true
		}
	}
	return hedgeID(x)
}

// hedgeID reports whether x has the shape of a hedge id: a kind, an
// underscore and more (the run checks it against the fund's catalogue).
func hedgeID(x string) bool {
	for k := sim.HedgeKind(0); !strings.HasPrefix(k.String(), "HedgeKind("); k++ {
		if strings.HasPrefix(x, k.String()+"_") && len(x) <= 64 {
			return true
		}
	}
	return false
}

func orDefault(v, d int) int {
	if v == 0 {
		return d
	}
	return v
}

// policy is the hedging policy a request asks for.
func policy(r *RunRequest) agents.Policy {
	return agents.Policy{BudgetBps: r.BudgetBps, Objective: r.Objective, Robustness: r.Robustness, Prohibited: r.Prohibit, Holdings: r.Holdings}
}

// options are the run options of an accepted request, less the
// connection, the run id and the market.
func (a *accepted) options() run.Options {
	r := &a.Request
	seed := uint64(42)
	if r.Seed != nil {
		seed = *r.Seed
	}
	return run.Options{
		PortfolioFile: a.PortfolioFile, PortfolioYAML: a.PortfolioYAML,
		Scenarios: r.Scenarios, Paths: r.Paths, PartitionSize: r.PartitionSize, Seed: seed,
		Policy: policy(r), NoHedging: r.NoHedging,
	}
}

// idRequest reads the run id of a hedge.status request: the id as the
// whole body, or {"run_id": "..."}.
func idRequest(body []byte) (string, error) {
	r, err := reportRequest(body)
	if err != nil {
		return "", err
	}
	if len(r.Without) > 0 {
		return "", fmt.Errorf("%w: \"without\": unknown field", ErrBadRequest)
	}
	return r.RunID, nil
}

// ReportRequest is the JSON form of a hedge.report request; the run id
// alone is the short form.
type ReportRequest struct {
	RunID string `json:"run_id"`
	// Without lists top-level fields of report.json to leave out, e.g.
	// ["scenario_metrics"]: what makes the report of a run of 1,000
	// scenarios larger than a NATS message.
	Without []string `json:"without,omitempty"`
}

// reportRequest reads a hedge.report or hedge.status request.
func reportRequest(body []byte) (*ReportRequest, error) {
	b := bytes.TrimSpace(body)
	req := &ReportRequest{RunID: string(b)}
	if len(b) > 0 && b[0] == '{' {
		*req = ReportRequest{}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(req); err != nil {
			return nil, jsonError(err)
		}
	} else if len(b) > 1 && b[0] == '"' {
		if err := json.Unmarshal(b, &req.RunID); err != nil {
			return nil, jsonError(err)
		}
	}
	id := req.RunID
	if id == "" {
		return nil, fmt.Errorf("%w: run_id: missing (send the id, or {\"run_id\": \"...\"})", ErrBadRequest)
	}
	if !streams.ValidRunID(id) {
		if len(id) > 80 {
			id = id[:80] + "..."
		}
		return nil, fmt.Errorf("%w: run_id: 1 to 64 letters, digits, '-' or '_', got %q", ErrBadRequest, id)
	}
	if len(req.Without) > 64 {
		return nil, fmt.Errorf("%w: without: %d fields, more than 64", ErrBadRequest, len(req.Without))
	}
	return req, nil
}
