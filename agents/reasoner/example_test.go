package reasoner_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hedgeflow/hedgeflow/agents/reasoner"
)

func ExampleDeterministic() {
	task := reasoner.Task{
		Role:         "Interest Rate Strategist",
		Instructions: "Choose the swap overlay that best matches key-rate durations.",
		Tools: []reasoner.Tool{{
			Name:        "duration_gap",
			Description: "Duration gap after the overlay, years.",
			Call: func(context.Context, json.RawMessage) (json.RawMessage, error) {
				return json.RawMessage(`{"gap_years":0.18}`), nil
			},
		}},
		Candidates: []reasoner.Candidate{
			{ID: "pay10", Label: "Receive 10y and 20y", Score: 0.91, Figures: []reasoner.Figure{{Name: "cost_bps", Value: 3.2}}},
			{ID: "pay30", Label: "Receive 30y", Score: 0.84},
		},
	}
	d, err := reasoner.Deterministic{}.Decide(context.Background(), task)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Chosen)
	fmt.Println(d.Rationale)
	fmt.Println(d.Figures["duration_gap.gap_years"].From)
	// Output:
	// pay10
	// Interest Rate Strategist chooses Receive 10y and 20y (pay10): the highest score, 0.91, of 2 candidates. Its figures: cost_bps 3.2. Next best: Receive 30y (pay30) with score 0.84. Tool figures: duration_gap: gap_years 0.18.
	// tool duration_gap
}
