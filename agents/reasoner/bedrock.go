package reasoner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// Defaults of the Bedrock reasoner.
const (
	DefaultMaxTurns  = 8
	DefaultTolerance = 0.005
	DefaultTimeout   = 2 * time.Minute
	DefaultMaxTokens = 2048
)

// Bedrock is a reasoner backed by a model on Amazon Bedrock, through the
// Converse API with tool use. See the package documentation for the loop
// and the rules its answers must follow. A Bedrock is safe for concurrent
// use.
type Bedrock struct {
	client    *bedrockruntime.Client
	model     string
	maxTurns  int
	tolerance float64
	timeout   time.Duration
	maxTokens int32
	fallback  Reasoner
}

type options struct {
	region      string
	endpoint    string
	profile     string
	creds       aws.CredentialsProvider
	httpClient  aws.HTTPClient
	maxTurns    int
	tolerance   float64
	timeout     time.Duration
	maxTokens   int32
	retryMax    int
	retryBack   time.Duration
	fallback    Reasoner
	retrySet    bool
	maxTurnsSet bool
}

// Option configures [NewBedrock]. Options validate their input and return
// an error wrapping ErrInvalidOption.
type Option func(*options) error

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidOption}, args...)...)
}

// WithRegion sets the AWS region (otherwise the standard configuration:
// AWS_REGION, the shared config file).
func WithRegion(region string) Option {
	return func(o *options) error {
		if region == "" {
			return invalid("empty region")
		}
		o.region = region
		return nil
	}
}

// WithProfile selects a shared configuration profile.
func WithProfile(name string) Option {
	return func(o *options) error {
		if name == "" {
			return invalid("empty profile")
		}
		o.profile = name
		return nil
	}
}

// WithEndpoint overrides the Bedrock runtime endpoint (a VPC endpoint, or a
// local server in tests): an absolute http or https URL.
func WithEndpoint(endpoint string) Option {
	return func(o *options) error {
		u, err := url.Parse(endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return invalid("endpoint %q is not an absolute http(s) URL", endpoint)
		}
		o.endpoint = endpoint
		return nil
	}
}

// WithCredentials sets the credentials provider (otherwise the standard
// chain: environment, shared files, SSO, IMDS).
func WithCredentials(p aws.CredentialsProvider) Option {
	return func(o *options) error {
		if p == nil {
			return invalid("nil credentials provider")
		}
		o.creds = p
		return nil
	}
}

// WithHTTPClient sets the HTTP client of the SDK.
func WithHTTPClient(c aws.HTTPClient) Option {
	return func(o *options) error {
		if c == nil {
			return invalid("nil HTTP client")
		}
		o.httpClient = c
		return nil
	}
}

// WithRetry sets the SDK's standard retryer: at most maxAttempts attempts
// per model call (>= 1; the SDK default is 3) with jittered exponential
// backoff capped at maxBackoff (> 0; the SDK default is 20 s). Throttling
// (HTTP 429 ThrottlingException) and 5xx answers are retried.
func WithRetry(maxAttempts int, maxBackoff time.Duration) Option {
	return func(o *options) error {
		if maxAttempts < 1 || maxBackoff <= 0 {
			return invalid("retry: %d attempts, backoff %v", maxAttempts, maxBackoff)
		}
		o.retryMax, o.retryBack, o.retrySet = maxAttempts, maxBackoff, true
		return nil
	}
}

// WithMaxTurns bounds the model calls of one decision (tool rounds and the
// repair turn included); default 8.
func WithMaxTurns(n int) Option {
	return func(o *options) error {
		if n < 1 || n > 64 {
			return invalid("max turns %d, want 1..64", n)
		}
		o.maxTurns, o.maxTurnsSet = n, true
		return nil
	}
}

// WithTolerance sets the relative tolerance of the figure check; default
// 0.005 (0.5%). A number also matches when it is the figure rounded to
// the digits written.
func WithTolerance(rel float64) Option {
	return func(o *options) error {
		if !(rel >= 0 && rel < 0.1) {
			return invalid("tolerance %v, want [0, 0.1)", rel)
		}
		o.tolerance = rel
		return nil
	}
}

// WithTimeout bounds a decision whose context has no deadline; default 2
// minutes.
func WithTimeout(d time.Duration) Option {
	return func(o *options) error {
		if d <= 0 {
			return invalid("timeout %v", d)
		}
		o.timeout = d
		return nil
	}
}

// WithMaxTokens caps the tokens of each model answer; default 2048.
func WithMaxTokens(n int) Option {
	return func(o *options) error {
		if n < 1 || n > 1<<20 {
			return invalid("max tokens %d", n)
		}
		o.maxTokens = int32(n)
		return nil
	}
}

// WithFallback replaces the reasoner used when an answer is rejected;
// default Deterministic{}.
func WithFallback(r Reasoner) Option {
	return func(o *options) error {
		if r == nil {
			return invalid("nil fallback")
		}
		o.fallback = r
		return nil
	}
}

// NewBedrock returns a Bedrock reasoner for modelID (a model or inference
// profile id, such as "anthropic.claude-3-5-sonnet-20240620-v1:0"), loading
// the standard AWS configuration (environment, shared files) with the
// options applied. ctx bounds the configuration loading only.
func NewBedrock(ctx context.Context, modelID string, opts ...Option) (*Bedrock, error) {
	o, err := applyOptions(opts)
	if err != nil {
		return nil, err
	}
	var load []func(*config.LoadOptions) error
	if o.region != "" {
		load = append(load, config.WithRegion(o.region))
	}
	if o.profile != "" {
		load = append(load, config.WithSharedConfigProfile(o.profile))
	}
	if o.creds != nil {
		load = append(load, config.WithCredentialsProvider(o.creds))
	}
	if o.httpClient != nil {
		load = append(load, config.WithHTTPClient(o.httpClient))
	}
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return nil, fmt.Errorf("%w: loading AWS configuration: %w", ErrInvalidOption, err)
	}
	return newBedrock(cfg, modelID, o)
}

// NewBedrockFromConfig is NewBedrock with an AWS configuration the caller
// has loaded; the region, profile, credentials and HTTP client options are
// then ignored.
func NewBedrockFromConfig(cfg aws.Config, modelID string, opts ...Option) (*Bedrock, error) {
	o, err := applyOptions(opts)
	if err != nil {
		return nil, err
	}
	return newBedrock(cfg, modelID, o)
}

func applyOptions(opts []Option) (options, error) {
	o := options{maxTurns: DefaultMaxTurns, tolerance: DefaultTolerance, timeout: DefaultTimeout,
		maxTokens: DefaultMaxTokens, fallback: Deterministic{}}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return o, err
		}
	}
	return o, nil
}

func newBedrock(cfg aws.Config, modelID string, o options) (*Bedrock, error) {
	if modelID == "" {
		return nil, invalid("empty model id")
	}
	if cfg.Region == "" {
		return nil, invalid("no AWS region: set AWS_REGION, a profile region or WithRegion")
	}
	client := bedrockruntime.NewFromConfig(cfg, func(c *bedrockruntime.Options) {
		if o.endpoint != "" {
			c.BaseEndpoint = aws.String(o.endpoint)
		}
		if o.retrySet {
			c.Retryer = retry.NewStandard(func(s *retry.StandardOptions) {
				s.MaxAttempts = o.retryMax
				s.MaxBackoff = o.retryBack
			})
		}
	})
	return &Bedrock{client: client, model: modelID, maxTurns: o.maxTurns, tolerance: o.tolerance,
		timeout: o.timeout, maxTokens: o.maxTokens, fallback: o.fallback}, nil
}

// Decide implements [Reasoner]. Errors from the model call (after the SDK's
// retries, or at the deadline) wrap ErrModel and the SDK's error. A
// rejected answer is not an error: Decide returns the fallback decision
// with Decision.Fallback set.
func (b *Bedrock) Decide(ctx context.Context, t Task) (Decision, error) {
	if err := t.validate(); err != nil {
		return Decision{}, err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, b.timeout)
		defer cancel()
	}
	var figs figureSet
	figs.addTask(t)
	dec := Decision{Backend: "bedrock", Model: b.model, Figures: map[string]Source{}, ToolCalls: []ToolCall{}}
	msgs := []types.Message{userText(prompt(t))}
	in := &bedrockruntime.ConverseInput{
		ModelId: aws.String(b.model),
		System:  []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: systemPrompt(t)}},
		InferenceConfig: &types.InferenceConfiguration{
			MaxTokens:   aws.Int32(b.maxTokens),
			Temperature: aws.Float32(0),
		},
	}
	if len(t.Tools) > 0 {
		cfg, err := toolConfig(t.Tools)
		if err != nil {
			return Decision{}, err
		}
		in.ToolConfig = cfg
	}
	repaired := false
	for turn := 0; turn < b.maxTurns; turn++ {
		in.Messages = msgs
		out, err := b.client.Converse(ctx, in)
		if err != nil {
			return Decision{}, fmt.Errorf("%w: %s turn %d: %w", ErrModel, b.model, turn+1, err)
		}
		dec.Usage.Turns++
		if u := out.Usage; u != nil {
			dec.Usage.InputTokens += int(aws.ToInt32(u.InputTokens))
			dec.Usage.OutputTokens += int(aws.ToInt32(u.OutputTokens))
		}
		msg, ok := out.Output.(*types.ConverseOutputMemberMessage)
		if !ok {
			return Decision{}, fmt.Errorf("%w: %s turn %d: answer without a message", ErrModel, b.model, turn+1)
		}
		msgs = append(msgs, msg.Value)
		var text strings.Builder
		var uses []types.ToolUseBlock
		for _, c := range msg.Value.Content {
			switch v := c.(type) {
			case *types.ContentBlockMemberText:
				text.WriteString(v.Value)
			case *types.ContentBlockMemberToolUse:
				uses = append(uses, v.Value)
			}
		}
		if len(uses) > 0 {
			results := b.runTools(ctx, t, uses, &dec, &figs)
			msgs = append(msgs, types.Message{Role: types.ConversationRoleUser, Content: results})
			continue
		}
		var perr error
		switch out.StopReason {
		case types.StopReasonGuardrailIntervened, types.StopReasonContentFiltered:
			perr = fmt.Errorf("%w: the model stopped: %s", ErrRejected, out.StopReason)
		default:
			var chosen, rationale string
			var used map[string]Source
			chosen, rationale, used, perr = parseAnswer(text.String(), t, &figs, b.tolerance)
			if perr == nil {
				dec.Chosen, dec.Rationale, dec.Figures = chosen, rationale, used
				return dec, nil
			}
		}
		if repaired || turn+1 == b.maxTurns {
			return b.fall(ctx, t, dec, perr)
		}
		repaired = true
		msgs = append(msgs, userText(repairPrompt(t, perr)))
	}
	return b.fall(ctx, t, dec, fmt.Errorf("%w: no final answer within %d turns", ErrRejected, b.maxTurns))
}

// fall returns the fallback reasoner's decision, marked.
func (b *Bedrock) fall(ctx context.Context, t Task, model Decision, reason error) (Decision, error) {
	d, err := b.fallback.Decide(ctx, t)
	if err != nil {
		return Decision{}, fmt.Errorf("%w (fallback failed: %w)", reason, err)
	}
	d.Model = b.model
	d.Usage = model.Usage
	d.Fallback = &Fallback{Reason: reason.Error(), Err: reason}
	return d, nil
}

// runTools executes the model's tool requests and returns the toolResult
// blocks, recording each call and the figures of its result.
func (b *Bedrock) runTools(ctx context.Context, t Task, uses []types.ToolUseBlock, dec *Decision, figs *figureSet) []types.ContentBlock {
	results := make([]types.ContentBlock, 0, len(uses))
	for _, u := range uses {
		name := aws.ToString(u.Name)
		input := json.RawMessage(`{}`)
		if u.Input != nil {
			if raw, err := u.Input.MarshalSmithyDocument(); err == nil && len(bytes.TrimSpace(raw)) > 0 && string(raw) != "null" {
				input = raw
			}
		}
		call := ToolCall{Tool: name, Input: input}
		var out json.RawMessage
		var err error
		var tool *Tool
		for i := range t.Tools {
			if t.Tools[i].Name == name {
				tool = &t.Tools[i]
			}
		}
		switch {
		case tool == nil:
			err = fmt.Errorf("no tool named %q", name)
		default:
			out, err = tool.Call(ctx, input)
			if err == nil && !json.Valid(out) {
				err = fmt.Errorf("tool %s returned invalid JSON", name)
			}
		}
		res := types.ToolResultBlock{ToolUseId: u.ToolUseId}
		if err != nil {
			call.Error = err.Error()
			res.Status = types.ToolResultStatusError
			res.Content = []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberText{Value: err.Error()}}
		} else {
			call.Output = out
			figs.addJSON(name, len(dec.ToolCalls), out)
			var v any
			_ = json.Unmarshal(out, &v)
			if _, isObj := v.(map[string]any); !isObj {
				v = map[string]any{"result": v}
			}
			res.Status = types.ToolResultStatusSuccess
			res.Content = []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberJson{Value: document.NewLazyDocument(v)}}
		}
		dec.ToolCalls = append(dec.ToolCalls, call)
		results = append(results, &types.ContentBlockMemberToolResult{Value: res})
	}
	return results
}

func toolConfig(tools []Tool) (*types.ToolConfiguration, error) {
	cfg := &types.ToolConfiguration{}
	for _, tl := range tools {
		schema := tl.InputSchema
		if schema == nil {
			schema = json.RawMessage(`{"type":"object","properties":{}}`)
		}
		var v any
		if err := json.Unmarshal(schema, &v); err != nil {
			return nil, fmt.Errorf("%w: tool %s schema: %w", ErrInvalidTask, tl.Name, err)
		}
		cfg.Tools = append(cfg.Tools, &types.ToolMemberToolSpec{Value: types.ToolSpecification{
			Name:        aws.String(tl.Name),
			Description: aws.String(tl.Description),
			InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(v)},
		}})
	}
	return cfg, nil
}

func userText(s string) types.Message {
	return types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: s}}}
}

func systemPrompt(t Task) string {
	role := t.Role
	if role == "" {
		role = "specialist"
	}
	return "You are the " + role + " of a pension fund's hedging committee. " +
		"You explain and choose among candidates that have already been scored. " +
		"You never invent, estimate or compute a figure: every number you write is copied " +
		"from a tool result or from the candidates' figures. " +
		`Your final answer is only a JSON object: {"chosen": "<candidate id>", "rationale": "<text>"}.`
}

func prompt(t Task) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Task for the %s.\n\n%s\n\n", t.Role, t.Instructions)
	better := "higher"
	if t.LowerIsBetter {
		better = "lower"
	}
	cands, _ := json.MarshalIndent(t.Candidates, "", "  ")
	fmt.Fprintf(&b, "Candidates (a %s score is better):\n%s\n\n", better, cands)
	if len(t.Tools) > 0 {
		b.WriteString("Call the tools for any figure you need.\n")
	}
	b.WriteString("Choose exactly one candidate by its id. Answer with only a JSON object " +
		`{"chosen": "<candidate id>", "rationale": "<a short explanation for trustees>"}. ` +
		"Every number in the rationale must be copied from a tool result or from the candidate figures above.")
	return b.String()
}

func repairPrompt(t Task, reason error) string {
	ids := make([]string, len(t.Candidates))
	for i, c := range t.Candidates {
		ids[i] = c.ID
	}
	return fmt.Sprintf("Your answer was rejected: %v. Answer again with only a JSON object "+
		`{"chosen": "<one of %s>", "rationale": "<text>"}. `+
		"Use only numbers that appear in the tool results or the candidate figures; do not compute, round differently or estimate new numbers.",
		reason, strings.Join(ids, ", "))
}

// parseAnswer reads the model's final text: a JSON object (possibly inside
// a code fence or after some words) with a chosen candidate id and a
// rationale whose every number is a known figure.
func parseAnswer(text string, t Task, figs *figureSet, tol float64) (string, string, map[string]Source, error) {
	i, j := strings.Index(text, "{"), strings.LastIndex(text, "}")
	if i < 0 || j < i {
		return "", "", nil, fmt.Errorf("%w: the answer is not a JSON object", ErrRejected)
	}
	var a struct {
		Chosen    string `json:"chosen"`
		Rationale string `json:"rationale"`
	}
	if err := json.Unmarshal([]byte(text[i:j+1]), &a); err != nil {
		return "", "", nil, fmt.Errorf("%w: the answer is not valid JSON: %v", ErrRejected, err)
	}
	known := false
	for _, c := range t.Candidates {
		known = known || c.ID == a.Chosen
	}
	if !known {
		return "", "", nil, fmt.Errorf("%w: chosen %q is not a candidate id", ErrRejected, a.Chosen)
	}
	if strings.TrimSpace(a.Rationale) == "" {
		return "", "", nil, fmt.Errorf("%w: empty rationale", ErrRejected)
	}
	used, invented := figs.checkRationale(a.Rationale, tol)
	if len(invented) > 0 {
		return "", "", nil, fmt.Errorf("%w: figures found in no tool result or candidate: %s",
			ErrRejected, strings.Join(invented, ", "))
	}
	return a.Chosen, a.Rationale, used, nil
}
