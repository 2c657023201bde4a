package streams

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// The agents' DAG: each role is a durable consumer on its own subject
// hedge.agents.<run>.<role>; a role's output is kept in the runs bucket
// under AgentKey(run, role).
const (
	AgentStream = "HEDGE_AGENTS"
	agentPrefix = "hedge.agents."
)

// AgentSubject is where a role of a run is triggered.
func AgentSubject(runID, role string) string { return agentPrefix + runID + "." + role }

// AgentKey is the runs-bucket key of a role's output.
func AgentKey(runID, role string) string { return runID + ".agent." + role }

// AgentConsumer is the durable consumer name of a role.
func AgentConsumer(role string) string { return "agent-" + role }

// EnsureAgents creates the agents' stream and one consumer per role.
func EnsureAgents(ctx context.Context, js jetstream.JetStream, replicas int, roles []string) (map[string]jetstream.Consumer, error) {
	if replicas == 0 {
		replicas = 1
	}
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        AgentStream,
		Description: "hedgeflow: agent triggers (the decision DAG)",
		Subjects:    []string{agentPrefix + ">"},
		Retention:   jetstream.LimitsPolicy,
		Replicas:    replicas,
		Duplicates:  DuplicateWindow,
		MaxAge:      24 * time.Hour,
	}); err != nil {
		return nil, fmt.Errorf("streams: creating %s: %w", AgentStream, err)
	}
	// MaxAckPending is not 1: a trigger delivered and never acknowledged
	// (a late duplicate in the buffer of a service that stopped at the
	// end of its run) then held every later trigger of the role until its
	// ack wait, 2 minutes: one recalibration of a weekly replay took
	// 120 s. Triggers are idempotent (an output already in the runs
	// bucket is acknowledged and skipped), and each service handles a
	// role's triggers one at a time.
	out := map[string]jetstream.Consumer{}
	for _, r := range roles {
		c, err := js.CreateOrUpdateConsumer(ctx, AgentStream, jetstream.ConsumerConfig{
			Durable:       AgentConsumer(r),
			Description:   "hedgeflow agent " + r,
			AckPolicy:     jetstream.AckExplicitPolicy,
			AckWait:       2 * time.Minute,
			MaxDeliver:    5,
			MaxAckPending: 256, // not 1: see above
			FilterSubject: agentPrefix + "*." + r,
		})
		if err != nil {
			return nil, fmt.Errorf("streams: creating agent consumer %s: %w", r, err)
		}
		out[r] = c
	}
	return out, nil
}
