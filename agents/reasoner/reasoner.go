package reasoner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// Reasoner chooses one of a task's scored candidates and explains why.
type Reasoner interface {
	Decide(ctx context.Context, t Task) (Decision, error)
}

// Errors. Every error of the package wraps one of them.
var (
	// ErrInvalidTask: a task without candidates, with duplicate ids or tool
	// names, a tool without a function, a non-finite figure.
	ErrInvalidTask = errors.New("reasoner: invalid task")
	// ErrInvalidOption: an option out of range.
	ErrInvalidOption = errors.New("reasoner: invalid option")
	// ErrTool: a tool failed when the deterministic reasoner called it.
	ErrTool = errors.New("reasoner: tool failed")
	// ErrModel: the model could not be reached or answered with an error
	// (after the SDK's retries), or the deadline passed.
	ErrModel = errors.New("reasoner: model call failed")
	// ErrRejected: the model's answer broke the rules (not JSON, unknown
	// candidate, a figure that no tool or candidate gave) after the repair
	// turn, or it ran out of turns. The Bedrock reasoner then falls back to
	// the deterministic decision and records this error in
	// Decision.Fallback.
	ErrRejected = errors.New("reasoner: answer rejected")
)

// ToolFunc runs a tool on its JSON input and returns a JSON result.
type ToolFunc func(ctx context.Context, input json.RawMessage) (json.RawMessage, error)

// Tool is a function over the numbers that a reasoner may call.
type Tool struct {
	// Name is unique within a task: letters, digits, '_' and '-', at most
	// 64 characters (the Bedrock tool-name rule).
	Name        string
	Description string
	// InputSchema is the JSON Schema of the input object; nil means
	// {"type":"object"}.
	InputSchema json.RawMessage
	// DefaultInput is the input the deterministic reasoner passes; nil
	// means {}.
	DefaultInput json.RawMessage
	Call         ToolFunc
}

// Figure is a named number.
type Figure struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// Candidate is one option an agent may choose, with its score and the
// figures behind it.
type Candidate struct {
	ID    string  `json:"id"`
	Label string  `json:"label"`
	Score float64 `json:"score"`
	// Figures are the candidate's scored metrics (cost_bps, cvar95, ...).
	Figures []Figure `json:"figures,omitempty"`
}

// Task is what an agent asks its reasoner.
type Task struct {
	// Role is the agent ("Currency Risk Specialist").
	Role string
	// Instructions say what to decide and how to weigh the figures.
	Instructions string
	Tools        []Tool
	Candidates   []Candidate
	// LowerIsBetter: the best candidate has the lowest Score (a cost or a
	// risk); by default the highest Score is best.
	LowerIsBetter bool
}

var toolNameOK = func(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func (t Task) validate() error {
	if len(t.Candidates) == 0 {
		return fmt.Errorf("%w: no candidates", ErrInvalidTask)
	}
	ids := map[string]bool{}
	for _, c := range t.Candidates {
		if c.ID == "" || ids[c.ID] {
			return fmt.Errorf("%w: candidate id %q empty or repeated", ErrInvalidTask, c.ID)
		}
		ids[c.ID] = true
		if !finite(c.Score) {
			return fmt.Errorf("%w: candidate %s: score %v", ErrInvalidTask, c.ID, c.Score)
		}
		for _, f := range c.Figures {
			if !finite(f.Value) || f.Name == "" {
				return fmt.Errorf("%w: candidate %s: figure %q = %v", ErrInvalidTask, c.ID, f.Name, f.Value)
			}
		}
	}
	names := map[string]bool{}
	for _, tl := range t.Tools {
		if !toolNameOK(tl.Name) || names[tl.Name] {
			return fmt.Errorf("%w: tool name %q invalid or repeated", ErrInvalidTask, tl.Name)
		}
		names[tl.Name] = true
		if tl.Call == nil {
			return fmt.Errorf("%w: tool %s has no function", ErrInvalidTask, tl.Name)
		}
		for _, raw := range []json.RawMessage{tl.InputSchema, tl.DefaultInput} {
			if raw != nil && !json.Valid(raw) {
				return fmt.Errorf("%w: tool %s: schema or default input is not JSON", ErrInvalidTask, tl.Name)
			}
		}
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// ToolCall records one call of a tool.
type ToolCall struct {
	Tool   string          `json:"tool"`
	Input  json.RawMessage `json:"input"`
	Output json.RawMessage `json:"output,omitempty"`
	Error  string          `json:"error,omitempty"`
}

// Source says where a figure of a decision comes from.
type Source struct {
	Value float64 `json:"value"`
	// Call is the index in Decision.ToolCalls of the call whose result
	// holds the figure, or -1 for a candidate figure or a number of the
	// task text.
	Call int `json:"call"`
	// From is "tool <name>", "candidate <id>" or "task".
	From string `json:"from"`
}

// Fallback marks a decision taken by the deterministic reasoner because
// the model's answer was rejected.
type Fallback struct {
	Reason string `json:"reason"`
	// Err wraps ErrRejected.
	Err error `json:"-"`
}

// Decision is a reasoner's structured answer.
type Decision struct {
	// Chosen is the id of one of the task's candidates.
	Chosen    string `json:"chosen"`
	Rationale string `json:"rationale"`
	// Figures are the numbers the rationale uses, by name ("tool.path" for a
	// tool result, "candidate.<id>.<figure>" for a candidate figure).
	Figures   map[string]Source `json:"figures"`
	ToolCalls []ToolCall        `json:"tool_calls"`
	// Backend is "deterministic" or "bedrock".
	Backend string `json:"backend"`
	// Model is the Bedrock model id, when the backend is bedrock.
	Model string `json:"model,omitempty"`
	// Fallback is set when the Bedrock answer was rejected and this is the
	// deterministic decision.
	Fallback *Fallback `json:"fallback,omitempty"`
	// Usage counts the model's tokens (zero for the deterministic backend).
	Usage Usage `json:"usage"`
}

// Usage counts model tokens over every turn of a decision.
type Usage struct {
	InputTokens  int `json:"input_tokens"`
	OutputTokens int `json:"output_tokens"`
	Turns        int `json:"turns"`
}
