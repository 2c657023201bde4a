package streams

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Recommendations: every new hedge recommendation (from a run or a
// recalibration) is published on RecommendationSubject into the
// HEDGE_RECOMMENDATIONS stream; the latest is also kept in the runs bucket
// under LatestRecommendationKey.
const (
	RecommendationStream    = "HEDGE_RECOMMENDATIONS"
	RecommendationSubject   = "hedge.recommendation"
	LatestRecommendationKey = "recommendation.latest"
)

// RecommendedLine is one hedge of a recommended programme.
type RecommendedLine struct {
	ID          string  `msgpack:"id" json:"id"`
	AssetClass  string  `msgpack:"asset_class" json:"asset_class"`
	Instrument  string  `msgpack:"instrument" json:"instrument"`
	NotionalUSD float64 `msgpack:"notional_usd" json:"notional_usd"`
	CostBps     float64 `msgpack:"cost_bps" json:"cost_bps"`
}

// LineChange says how a line moved against the previous recommendation.
type LineChange struct {
	ID     string  `msgpack:"id" json:"id"`
	Change string  `msgpack:"change" json:"change"` // added, removed, resized
	From   float64 `msgpack:"from_usd" json:"from_usd"`
	To     float64 `msgpack:"to_usd" json:"to_usd"`
}

// MarketMove is a quantity that moved past its materiality threshold.
type MarketMove struct {
	Quantity  string  `msgpack:"quantity" json:"quantity"` // a state key, e.g. fx.vol.EUR
	From      float64 `msgpack:"from" json:"from"`
	To        float64 `msgpack:"to" json:"to"`
	Threshold float64 `msgpack:"threshold" json:"threshold"`
	Unit      string  `msgpack:"unit" json:"unit"`
}

// Recommendation is a recommended hedge programme with why it is new.
type Recommendation struct {
	Seq        uint64    `msgpack:"seq" json:"seq"`
	Time       time.Time `msgpack:"time" json:"time"`
	MarketTime time.Time `msgpack:"market_time" json:"market_time"`
	// BaseRunID is the run whose scenario set (seeds, paths) the
	// recommendation was computed on.
	BaseRunID string `msgpack:"base_run_id" json:"base_run_id"`
	// Mode: "run" (a full run), "reprice" (only the hedges' premiums
	// changed: the run's paths re-used), "rerun" (the market moved what
	// the paths depend on: the scenarios re-simulated with the same seeds).
	Mode           string            `msgpack:"mode" json:"mode"`
	Moves          []MarketMove      `msgpack:"moves,omitempty" json:"moves,omitempty"`
	Lines          []RecommendedLine `msgpack:"lines" json:"lines"`
	CostBps        float64           `msgpack:"cost_bps" json:"cost_bps"`
	CVaR95         float64           `msgpack:"cvar95_usd" json:"cvar95_usd"`
	UnhedgedCVaR95 float64           `msgpack:"unhedged_cvar95_usd" json:"unhedged_cvar95_usd"`
	FundingVol     float64           `msgpack:"funding_ratio_vol" json:"funding_ratio_vol"`
	UnhedgedFRVol  float64           `msgpack:"unhedged_funding_ratio_vol" json:"unhedged_funding_ratio_vol"`
	Changes        []LineChange      `msgpack:"changes,omitempty" json:"changes,omitempty"`
	// Why says in words what changed against the previous recommendation
	// and why.
	Why string `msgpack:"why" json:"why"`
	// LatencySeconds is from the triggering market event's arrival to
	// publication.
	LatencySeconds float64 `msgpack:"latency_seconds" json:"latency_seconds"`
}

// EnsureRecommendations creates or updates the recommendations stream.
func EnsureRecommendations(ctx context.Context, js jetstream.JetStream, replicas int) (jetstream.Stream, error) {
	if replicas == 0 {
		replicas = 1
	}
	st, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        RecommendationStream,
		Description: "hedgeflow: recommended hedge programmes, newest last",
		Subjects:    []string{RecommendationSubject},
		Retention:   jetstream.LimitsPolicy,
		Replicas:    replicas,
		MaxMsgs:     10_000,
	})
	if err != nil {
		return nil, fmt.Errorf("streams: creating %s: %w", RecommendationStream, err)
	}
	return st, nil
}

// PublishRecommendation publishes r and records it as the latest.
func PublishRecommendation(ctx context.Context, h *Handles, r *Recommendation) error {
	data, err := Encode(r)
	if err != nil {
		return err
	}
	if _, err := h.JS.Publish(ctx, RecommendationSubject, data); err != nil {
		return fmt.Errorf("streams: publishing a recommendation: %w", err)
	}
	if _, err := h.Runs.Put(ctx, LatestRecommendationKey, data); err != nil {
		return fmt.Errorf("streams: recording the latest recommendation: %w", err)
	}
	return nil
}

// LatestRecommendation returns the latest recommendation, or
// jetstream.ErrKeyNotFound when there is none yet.
func LatestRecommendation(ctx context.Context, h *Handles) (*Recommendation, error) {
	e, err := h.Runs.Get(ctx, LatestRecommendationKey)
	if err != nil {
		return nil, err
	}
	var r Recommendation
	if err := Decode(e.Value(), &r); err != nil {
		return nil, err
	}
	return &r, nil
}
