package reasoner

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Deterministic is the offline reasoner. It calls every tool of the task
// once, in the order given, with the tool's DefaultInput; chooses the
// candidate with the best Score (highest, or lowest with LowerIsBetter),
// ties going to the candidate listed first; and writes the rationale from a
// fixed template with the figures it used. The same task gives the same
// decision, byte for byte. Its zero value is ready to use.
type Deterministic struct {
	// MaxToolFigures caps the tool figures quoted in the rationale, per
	// tool; 0 means 6. All of them are recorded in Decision.Figures.
	MaxToolFigures int
}

// Decide implements [Reasoner].
func (d Deterministic) Decide(ctx context.Context, t Task) (Decision, error) {
	if err := t.validate(); err != nil {
		return Decision{}, err
	}
	dec := Decision{Backend: "deterministic", Figures: map[string]Source{}, ToolCalls: []ToolCall{}}
	maxFig := d.MaxToolFigures
	if maxFig <= 0 {
		maxFig = 6
	}
	var toolLines []string
	for _, tl := range t.Tools {
		in := tl.DefaultInput
		if in == nil {
			in = json.RawMessage(`{}`)
		}
		if err := ctx.Err(); err != nil {
			return Decision{}, fmt.Errorf("%w: %s: %w", ErrTool, tl.Name, err)
		}
		out, err := tl.Call(ctx, in)
		if err != nil {
			return Decision{}, fmt.Errorf("%w: %s: %w", ErrTool, tl.Name, err)
		}
		if !json.Valid(out) {
			return Decision{}, fmt.Errorf("%w: %s returned invalid JSON", ErrTool, tl.Name)
		}
		call := len(dec.ToolCalls)
		dec.ToolCalls = append(dec.ToolCalls, ToolCall{Tool: tl.Name, Input: in, Output: out})
		var fs figureSet
		fs.addJSON(tl.Name, call, out)
		var quoted []string
		for _, f := range fs.figs {
			dec.Figures[f.name] = f.src
			if len(quoted) < maxFig && !strings.Contains(f.name, "[") {
				quoted = append(quoted, fmt.Sprintf("%s %s", strings.TrimPrefix(f.name, tl.Name+"."), fmtNum(f.src.Value)))
			}
		}
		if len(quoted) > 0 {
			toolLines = append(toolLines, fmt.Sprintf("%s: %s.", tl.Name, strings.Join(quoted, ", ")))
		}
	}

	order := make([]int, len(t.Candidates))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := t.Candidates[order[i]].Score, t.Candidates[order[j]].Score
		if t.LowerIsBetter {
			return a < b
		}
		return a > b
	})
	best := t.Candidates[order[0]]
	dec.Chosen = best.ID
	rule := "highest"
	if t.LowerIsBetter {
		rule = "lowest"
	}

	var b strings.Builder
	role := t.Role
	if role == "" {
		role = "Agent"
	}
	fmt.Fprintf(&b, "%s chooses %s (%s): the %s score, %s, of %d candidates.",
		role, best.Label, best.ID, rule, fmtNum(best.Score), len(t.Candidates))
	dec.Figures["candidate."+best.ID+".score"] = Source{Value: best.Score, Call: -1, From: "candidate " + best.ID}
	if len(best.Figures) > 0 {
		parts := make([]string, len(best.Figures))
		for i, f := range best.Figures {
			parts[i] = f.Name + " " + fmtNum(f.Value)
			dec.Figures["candidate."+best.ID+"."+f.Name] = Source{Value: f.Value, Call: -1, From: "candidate " + best.ID}
		}
		fmt.Fprintf(&b, " Its figures: %s.", strings.Join(parts, ", "))
	}
	if len(order) > 1 {
		next := t.Candidates[order[1]]
		fmt.Fprintf(&b, " Next best: %s (%s) with score %s.", next.Label, next.ID, fmtNum(next.Score))
		dec.Figures["candidate."+next.ID+".score"] = Source{Value: next.Score, Call: -1, From: "candidate " + next.ID}
	}
	if len(toolLines) > 0 {
		fmt.Fprintf(&b, " Tool figures: %s", strings.Join(toolLines, " "))
	}
	dec.Rationale = b.String()
	return dec, nil
}

// fmtNum writes a figure with up to 6 significant digits in plain decimal
// notation (no exponent), which the rationale checker reads back.
func fmtNum(v float64) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}
