package reasoner

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// The Converse wire protocol, as the Bedrock runtime speaks it
// (POST /model/{modelId}/converse, JSON in and out; API reference
// "Converse", Amazon Bedrock Runtime). The server below decodes what the
// real SDK client sends and answers from a script.

type wireToolUse struct {
	ToolUseID string          `json:"toolUseId"`
	Name      string          `json:"name"`
	Input     json.RawMessage `json:"input"`
}

type wireToolResult struct {
	ToolUseID string                       `json:"toolUseId"`
	Content   []map[string]json.RawMessage `json:"content"`
	Status    string                       `json:"status"`
}

type wireBlock struct {
	Text       *string         `json:"text,omitempty"`
	ToolUse    *wireToolUse    `json:"toolUse,omitempty"`
	ToolResult *wireToolResult `json:"toolResult,omitempty"`
}

type wireMessage struct {
	Role    string      `json:"role"`
	Content []wireBlock `json:"content"`
}

type wireToolSpec struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	InputSchema struct {
		JSON json.RawMessage `json:"json"`
	} `json:"inputSchema"`
}

type converseRequest struct {
	Path       string
	Auth       string
	Messages   []wireMessage           `json:"messages"`
	System     []struct{ Text string } `json:"system"`
	ToolConfig *struct {
		Tools []struct {
			ToolSpec wireToolSpec `json:"toolSpec"`
		} `json:"tools"`
	} `json:"toolConfig"`
	InferenceConfig struct {
		MaxTokens   int     `json:"maxTokens"`
		Temperature float64 `json:"temperature"`
	} `json:"inferenceConfig"`
}

// lastUserText is the text of the last user message of the request.
func (r converseRequest) lastUserText() string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if r.Messages[i].Role == "user" {
			var b strings.Builder
			for _, c := range r.Messages[i].Content {
				if c.Text != nil {
					b.WriteString(*c.Text)
				}
			}
			return b.String()
		}
	}
	return ""
}

type step func(w http.ResponseWriter, r *http.Request, req converseRequest)

type converseServer struct {
	*httptest.Server
	t      *testing.T
	mu     sync.Mutex
	reqs   []converseRequest
	script []step
}

func newConverseServer(t *testing.T, script ...step) *converseServer {
	s := &converseServer{t: t, script: script}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(s.Close)
	return s
}

func (s *converseServer) handle(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req converseRequest
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/converse") || !strings.HasPrefix(r.URL.Path, "/model/") {
		http.Error(w, `{"message":"unknown operation"}`, http.StatusNotFound)
		return
	}
	if err := json.Unmarshal(body, &req); err != nil {
		w.Header().Set("x-amzn-ErrorType", "ValidationException")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"message":"malformed request body"}`)
		return
	}
	req.Path, req.Auth = r.URL.Path, r.Header.Get("Authorization")
	s.mu.Lock()
	n := len(s.reqs)
	s.reqs = append(s.reqs, req)
	s.mu.Unlock()
	if n >= len(s.script) {
		w.Header().Set("x-amzn-ErrorType", "ValidationException")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"message":"script exhausted"}`)
		return
	}
	s.script[n](w, r, req)
}

func (s *converseServer) requests() []converseRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]converseRequest(nil), s.reqs...)
}

// answer writes a Converse response: the assistant message with its
// content blocks, the stop reason and the token usage.
func answer(w http.ResponseWriter, stop string, blocks ...map[string]any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"output":     map[string]any{"message": map[string]any{"role": "assistant", "content": blocks}},
		"stopReason": stop,
		"usage":      map[string]any{"inputTokens": 100, "outputTokens": 20, "totalTokens": 120},
		"metrics":    map[string]any{"latencyMs": 5},
	})
}

func textBlock(s string) map[string]any { return map[string]any{"text": s} }

func toolUseBlock(id, name string, input any) map[string]any {
	return map[string]any{"toolUse": map[string]any{"toolUseId": id, "name": name, "input": input}}
}

func final(text string) step {
	return func(w http.ResponseWriter, _ *http.Request, _ converseRequest) {
		answer(w, "end_turn", textBlock(text))
	}
}

func useTool(id, name string, input any) step {
	return func(w http.ResponseWriter, _ *http.Request, _ converseRequest) {
		answer(w, "tool_use", textBlock("Looking up the figures."), toolUseBlock(id, name, input))
	}
}

func throttle(w http.ResponseWriter, _ *http.Request, _ converseRequest) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-amzn-ErrorType", "ThrottlingException")
	w.WriteHeader(http.StatusTooManyRequests)
	io.WriteString(w, `{"message":"Too many requests, please wait before trying again."}`)
}
