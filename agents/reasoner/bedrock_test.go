package reasoner

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go"
)

const testModel = "anthropic.claude-3-5-sonnet-20240620-v1:0"

// currencyTask is a Currency Risk Specialist task with one tool and three
// scored candidates. toolInputs records what the tool received.
func currencyTask(toolInputs *[]string) Task {
	return Task{
		Role:         "Currency Risk Specialist",
		Instructions: "Choose the EUR hedge that best cuts CVaR 95 of the 1-year surplus loss within the cost budget.",
		Tools: []Tool{{
			Name:         "hedge_metrics",
			Description:  "Scenario metrics of a candidate EUR hedge.",
			InputSchema:  json.RawMessage(`{"type":"object","properties":{"candidate":{"type":"string"}},"required":["candidate"]}`),
			DefaultInput: json.RawMessage(`{"candidate":"fwd75"}`),
			Call: func(_ context.Context, in json.RawMessage) (json.RawMessage, error) {
				if toolInputs != nil {
					*toolInputs = append(*toolInputs, string(in))
				}
				return json.RawMessage(`{"cvar95_reduction_pct":38.2,"cost_bps":12.5,"effectiveness":0.87,"notional_usd":1250000000}`), nil
			},
		}},
		Candidates: []Candidate{
			{ID: "fwd75", Label: "EUR forwards, 75% hedge ratio", Score: 0.82, Figures: []Figure{{"cost_bps", 12.5}, {"cvar95_usd", -2.1e8}}},
			{ID: "fwd90", Label: "EUR forwards, 90% hedge ratio", Score: 0.79, Figures: []Figure{{"cost_bps", 15.1}}},
			{ID: "seagull", Label: "EUR seagull", Score: 0.74, Figures: []Figure{{"cost_bps", 9.8}}},
		},
	}
}

func newTestBedrock(t *testing.T, srv *converseServer, opts ...Option) *Bedrock {
	t.Helper()
	// Keep the machine's AWS configuration out of the test.
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_ENDPOINT_URL", "")
	base := []Option{
		WithRegion("us-east-1"),
		WithCredentials(credentials.NewStaticCredentialsProvider("AKIDTEST", "SECRETTEST", "")),
		WithEndpoint(srv.URL),
		WithRetry(3, 5*time.Millisecond),
	}
	b, err := NewBedrock(context.Background(), testModel, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// candidateAnswer uses only candidate figures and task numbers, valid
// without any tool call.
const candidateAnswer = `{"chosen":"fwd75","rationale":"Forwards at a 75% hedge ratio score 0.82 for 12.5 bp; the 90% ratio scores 0.79 for 15.1 bp."}`

const goodAnswer = `{"chosen":"fwd75","rationale":"Forwards at a 75% hedge ratio cut CVaR 95 by 38.2% for 12.5 bp a year on $1.25bn, with hedge effectiveness of 0.87; the 90% ratio costs 15.1 bp."}`

func TestBedrockToolUseRoundTrip(t *testing.T) {
	srv := newConverseServer(t,
		useTool("tu-1", "hedge_metrics", map[string]any{"candidate": "fwd75"}),
		final("Here is my decision:\n```json\n"+goodAnswer+"\n```"),
	)
	var inputs []string
	b := newTestBedrock(t, srv)
	d, err := b.Decide(context.Background(), currencyTask(&inputs))
	if err != nil {
		t.Fatal(err)
	}
	if d.Chosen != "fwd75" || d.Fallback != nil || d.Backend != "bedrock" || d.Model != testModel {
		t.Fatalf("decision %+v", d)
	}
	if len(inputs) != 1 || inputs[0] != `{"candidate":"fwd75"}` {
		t.Errorf("tool inputs %q", inputs)
	}
	if len(d.ToolCalls) != 1 || d.ToolCalls[0].Tool != "hedge_metrics" || !strings.Contains(string(d.ToolCalls[0].Output), "38.2") {
		t.Errorf("tool calls %+v", d.ToolCalls)
	}
	if src, ok := d.Figures["hedge_metrics.cvar95_reduction_pct"]; !ok || src.Call != 0 || src.Value != 38.2 {
		t.Errorf("figures %+v, want cvar95_reduction_pct from call 0", d.Figures)
	}
	if src := d.Figures["hedge_metrics.notional_usd"]; src.Value != 1.25e9 {
		t.Errorf("$1.25bn not traced to notional_usd: %+v", d.Figures)
	}
	if d.Usage.Turns != 2 || d.Usage.InputTokens != 200 || d.Usage.OutputTokens != 40 {
		t.Errorf("usage %+v", d.Usage)
	}

	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	r0, r1 := reqs[0], reqs[1]
	if r0.Path != "/model/"+testModel+"/converse" {
		t.Errorf("path %q", r0.Path)
	}
	if !strings.HasPrefix(r0.Auth, "AWS4-HMAC-SHA256 Credential=AKIDTEST/") || !strings.Contains(r0.Auth, "/us-east-1/bedrock/aws4_request") {
		t.Errorf("not SigV4-signed for bedrock in us-east-1: %q", r0.Auth)
	}
	if r0.ToolConfig == nil || len(r0.ToolConfig.Tools) != 1 || r0.ToolConfig.Tools[0].ToolSpec.Name != "hedge_metrics" ||
		!strings.Contains(string(r0.ToolConfig.Tools[0].ToolSpec.InputSchema.JSON), `"required":["candidate"]`) {
		t.Errorf("tool config %+v", r0.ToolConfig)
	}
	if len(r0.System) != 1 || !strings.Contains(r0.System[0].Text, "never invent") || r0.InferenceConfig.MaxTokens != DefaultMaxTokens {
		t.Errorf("system %+v inference %+v", r0.System, r0.InferenceConfig)
	}
	if !strings.Contains(r0.lastUserText(), `"id": "seagull"`) {
		t.Errorf("candidates not in the prompt: %s", r0.lastUserText())
	}
	// Second turn: user, assistant (with the toolUse), user (with the toolResult).
	if len(r1.Messages) != 3 || r1.Messages[1].Role != "assistant" || r1.Messages[2].Role != "user" {
		t.Fatalf("second request messages %+v", r1.Messages)
	}
	var tr *wireToolResult
	for _, c := range r1.Messages[2].Content {
		if c.ToolResult != nil {
			tr = c.ToolResult
		}
	}
	if tr == nil || tr.ToolUseID != "tu-1" || tr.Status != "success" || len(tr.Content) != 1 ||
		!strings.Contains(string(tr.Content[0]["json"]), `"cvar95_reduction_pct":38.2`) {
		t.Errorf("tool result %+v", tr)
	}
	var echoed bool
	for _, c := range r1.Messages[1].Content {
		echoed = echoed || (c.ToolUse != nil && c.ToolUse.ToolUseID == "tu-1")
	}
	if !echoed {
		t.Error("assistant toolUse not sent back in the history")
	}
}

// TestBedrockUnknownTool: a request for a tool the task does not have is
// answered with an error toolResult, and the loop goes on.
func TestBedrockUnknownTool(t *testing.T) {
	srv := newConverseServer(t, useTool("tu-9", "fetch_prices", map[string]any{}), final(candidateAnswer))
	d, err := newTestBedrock(t, srv).Decide(context.Background(), currencyTask(nil))
	if err != nil || d.Fallback != nil {
		t.Fatalf("err %v decision %+v", err, d)
	}
	tr := srv.requests()[1].Messages[2].Content[0].ToolResult
	if tr == nil || tr.Status != "error" || !strings.Contains(string(tr.Content[0]["text"]), "fetch_prices") {
		t.Errorf("tool result %+v", tr)
	}
	if d.ToolCalls[0].Error == "" {
		t.Error("failed call not recorded")
	}
}

func TestBedrockThrottlingRetried(t *testing.T) {
	srv := newConverseServer(t, throttle, throttle, final(candidateAnswer))
	d, err := newTestBedrock(t, srv).Decide(context.Background(), currencyTask(nil))
	if err != nil {
		t.Fatal(err)
	}
	if d.Chosen != "fwd75" || len(srv.requests()) != 3 || d.Usage.Turns != 1 {
		t.Errorf("chosen %q after %d requests, %d turns", d.Chosen, len(srv.requests()), d.Usage.Turns)
	}
}

func TestBedrockThrottlingExhausted(t *testing.T) {
	srv := newConverseServer(t, throttle, throttle, throttle, final(goodAnswer))
	_, err := newTestBedrock(t, srv).Decide(context.Background(), currencyTask(nil))
	var api smithy.APIError
	if !errors.Is(err, ErrModel) || !errors.As(err, &api) || api.ErrorCode() != "ThrottlingException" {
		t.Fatalf("err = %v, want ErrModel wrapping ThrottlingException", err)
	}
	if n := len(srv.requests()); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
}

func TestBedrockTimeout(t *testing.T) {
	var stalled atomic.Int32
	stall := func(w http.ResponseWriter, r *http.Request, _ converseRequest) {
		stalled.Add(1)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}
	srv := newConverseServer(t, stall, stall, stall)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := newTestBedrock(t, srv).Decide(ctx, currencyTask(nil))
	if !errors.Is(err, ErrModel) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want ErrModel wrapping context.DeadlineExceeded", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %v, the deadline was 200ms", el)
	}
	if stalled.Load() == 0 {
		t.Error("the server never saw the request")
	}
}

// TestBedrockDefaultTimeout: with no deadline on ctx, WithTimeout bounds
// the decision.
func TestBedrockDefaultTimeout(t *testing.T) {
	stall := func(w http.ResponseWriter, r *http.Request, _ converseRequest) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}
	srv := newConverseServer(t, stall, stall, stall)
	_, err := newTestBedrock(t, srv, WithTimeout(150*time.Millisecond)).Decide(context.Background(), currencyTask(nil))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
}

func TestBedrockMalformed(t *testing.T) {
	det, err := Deterministic{}.Decide(context.Background(), currencyTask(nil))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name       string
		script     []step
		fallback   bool
		reason     string // in the fallback reason, or in the repair prompt
		wantChosen string
	}{
		{"invalid JSON repaired", []step{final(`{"chosen": "fwd75", "rationale": "cheap",}`), final(candidateAnswer)}, false, "not valid JSON", "fwd75"},
		{"no JSON repaired", []step{final("I recommend the 75% forwards."), final(candidateAnswer)}, false, "not a JSON object", "fwd75"},
		{"unknown candidate rejected", []step{
			final(`{"chosen":"options","rationale":"Options are best."}`),
			final(`{"chosen":"collar","rationale":"A collar is best."}`)}, true, `chosen "collar" is not a candidate id`, det.Chosen},
		{"invented figure repaired", []step{
			final(`{"chosen":"seagull","rationale":"The seagull saves 41% of the cost at 9.8 bp."}`),
			final(`{"chosen":"seagull","rationale":"The seagull costs 9.8 bp against 12.5 bp for forwards."}`)}, false, "41%", "seagull"},
		{"invented figure rejected", []step{
			final(`{"chosen":"seagull","rationale":"The seagull saves $40m a year."}`),
			final(`{"chosen":"seagull","rationale":"The seagull saves $40m a year, 3.3 bp."}`)}, true, "$40m", det.Chosen},
		{"tool figures without the tool call rejected", []step{final(goodAnswer), final(goodAnswer)}, true, "38.2%, $1.25bn, 0.87", det.Chosen},
		{"empty rationale rejected", []step{final(`{"chosen":"fwd90","rationale":""}`), final(`{"chosen":"fwd90"}`)}, true, "empty rationale", det.Chosen},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := newConverseServer(t, c.script...)
			d, err := newTestBedrock(t, srv).Decide(context.Background(), currencyTask(nil))
			if err != nil {
				t.Fatal(err)
			}
			if d.Chosen != c.wantChosen {
				t.Errorf("chosen %q, want %q", d.Chosen, c.wantChosen)
			}
			reqs := srv.requests()
			if len(reqs) != 2 {
				t.Fatalf("%d requests, want the answer and one repair", len(reqs))
			}
			repair := reqs[1].lastUserText()
			if !strings.Contains(repair, "rejected") || !strings.Contains(repair, "fwd75, fwd90, seagull") {
				t.Errorf("repair prompt %q", repair)
			}
			if c.fallback {
				if d.Fallback == nil || !errors.Is(d.Fallback.Err, ErrRejected) || !strings.Contains(d.Fallback.Reason, c.reason) ||
					d.Backend != "deterministic" || d.Rationale != det.Rationale {
					t.Errorf("decision %+v, want the deterministic fallback for %q", d, c.reason)
				}
				return
			}
			if d.Fallback != nil || d.Backend != "bedrock" {
				t.Errorf("unexpected fallback %+v", d.Fallback)
			}
			if !strings.Contains(srv.requests()[1].lastUserText(), c.reason) {
				t.Errorf("repair prompt does not name %q: %s", c.reason, repair)
			}
		})
	}
}

func TestBedrockOptionsInvalid(t *testing.T) {
	for name, o := range map[string]Option{
		"endpoint":  WithEndpoint("localhost:1234"),
		"region":    WithRegion(""),
		"retry":     WithRetry(0, time.Second),
		"turns":     WithMaxTurns(0),
		"tolerance": WithTolerance(0.5),
		"timeout":   WithTimeout(0),
		"creds":     WithCredentials(nil),
	} {
		if _, err := NewBedrock(context.Background(), testModel, o); !errors.Is(err, ErrInvalidOption) {
			t.Errorf("%s: err = %v, want ErrInvalidOption", name, err)
		}
	}
}
