package streams

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Names of the streams, consumer, buckets and subjects.
const (
	ScenarioStream    = "HEDGE_SCENARIOS"
	ResultStream      = "HEDGE_RESULTS"
	PricingConsumer   = "pricing"
	RunsBucket        = "HEDGE_RUNS"
	BlobBucket        = "HEDGE_BLOBS"
	scenarioPrefix    = "hedge.scenarios."
	resultPrefix      = "hedge.results."
	DuplicateWindow   = 2 * time.Hour
	ResultsMaxAge     = 7 * 24 * time.Hour
	DefaultAckWait    = 60 * time.Second
	DefaultMaxDeliver = 5
)

// ScenarioSubject is where the partitions of a run are published.
func ScenarioSubject(runID string) string { return scenarioPrefix + runID }

// ResultSubject is where the results of a run's partitions are published.
func ResultSubject(runID string) string { return resultPrefix + runID }

// MsgID is the deduplication id of a partition or its result.
func MsgID(runID string, partition int) string { return fmt.Sprintf("%s/%d", runID, partition) }

// BlobName is the object-store name of a partition's path values.
func BlobName(runID string, partition int) string { return fmt.Sprintf("%s/p%06d", runID, partition) }

// SpecKey is the KV key of a run's spec.
func SpecKey(runID string) string { return runID + ".spec" }

// ValidRunID reports whether id can be used in subjects and keys: 1 to 64
// characters of letters, digits, '-' and '_'.
func ValidRunID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// Topology sets how the streams are created. A zero field keeps the
// setting of a stream or consumer that exists, so that a process started
// without options (a worker, a run against a cluster) never undoes what an
// operator or the first process set up, and takes the default for one
// created now.
type Topology struct {
	// Replicas of every stream and bucket: 3 on a cluster; default 1.
	Replicas   int
	AckWait    time.Duration // default 60 s
	MaxDeliver int           // default 5
	// MaxAckPending bounds the partitions in flight across all workers;
	// default 64.
	MaxAckPending int
	Storage       jetstream.StorageType // default file
}

func (t *Topology) setDefaults() {
	if t.Replicas == 0 {
		t.Replicas = 1
	}
	if t.AckWait == 0 {
		t.AckWait = DefaultAckWait
	}
	if t.MaxDeliver == 0 {
		t.MaxDeliver = DefaultMaxDeliver
	}
	if t.MaxAckPending == 0 {
		t.MaxAckPending = 64
	}
}

// Handles are the JetStream objects of the topology.
type Handles struct {
	JS      jetstream.JetStream
	Pricing jetstream.Consumer
	Runs    jetstream.KeyValue
	Blobs   jetstream.ObjectStore
}

// Ensure creates or updates every stream, consumer and bucket.
func Ensure(ctx context.Context, js jetstream.JetStream, t Topology) (*Handles, error) {
	if t.Replicas < 0 || t.Replicas > 5 {
		return nil, fmt.Errorf("streams: replicas must be 1 to 5, got %d", t.Replicas)
	}
	if err := t.keepExisting(ctx, js); err != nil {
		return nil, err
	}
	t.setDefaults()
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        ScenarioStream,
		Description: "hedgeflow: partitions of scenarios to price (work queue)",
		Subjects:    []string{scenarioPrefix + ">"},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     t.Storage,
		Replicas:    t.Replicas,
		Duplicates:  DuplicateWindow,
	}); err != nil {
		return nil, fmt.Errorf("streams: creating %s: %w", ScenarioStream, err)
	}
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        ResultStream,
		Description: "hedgeflow: priced partitions",
		Subjects:    []string{resultPrefix + ">"},
		Retention:   jetstream.LimitsPolicy,
		Storage:     t.Storage,
		Replicas:    t.Replicas,
		Duplicates:  DuplicateWindow,
		MaxAge:      ResultsMaxAge,
	}); err != nil {
		return nil, fmt.Errorf("streams: creating %s: %w", ResultStream, err)
	}
	h := &Handles{JS: js}
	var err error
	h.Pricing, err = js.CreateOrUpdateConsumer(ctx, ScenarioStream, jetstream.ConsumerConfig{
		Durable:       PricingConsumer,
		Description:   "hedgeflow pricing workers",
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       t.AckWait,
		MaxDeliver:    t.MaxDeliver,
		MaxAckPending: t.MaxAckPending,
		FilterSubject: scenarioPrefix + ">",
	})
	if err != nil {
		return nil, fmt.Errorf("streams: creating consumer %s: %w", PricingConsumer, err)
	}
	h.Runs, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      RunsBucket,
		Description: "hedgeflow: run state and specs",
		Storage:     t.Storage,
		Replicas:    t.Replicas,
		History:     1,
	})
	if err != nil {
		return nil, fmt.Errorf("streams: creating KV %s: %w", RunsBucket, err)
	}
	h.Blobs, err = js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket:      BlobBucket,
		Description: "hedgeflow: large results and reports",
		Storage:     t.Storage,
		Replicas:    t.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("streams: creating object store %s: %w", BlobBucket, err)
	}
	return h, nil
}

// keepExisting fills t's zero fields from the stream and consumer that
// exist.
func (t *Topology) keepExisting(ctx context.Context, js jetstream.JetStream) error {
	if t.Replicas == 0 {
		s, err := js.Stream(ctx, ScenarioStream)
		switch {
		case errors.Is(err, jetstream.ErrStreamNotFound):
			return nil // nothing exists yet
		case err != nil:
			return fmt.Errorf("streams: looking up %s: %w", ScenarioStream, err)
		}
		t.Replicas = s.CachedInfo().Config.Replicas
	}
	if t.AckWait != 0 && t.MaxDeliver != 0 && t.MaxAckPending != 0 {
		return nil
	}
	c, err := js.Consumer(ctx, ScenarioStream, PricingConsumer)
	switch {
	case errors.Is(err, jetstream.ErrStreamNotFound) || errors.Is(err, jetstream.ErrConsumerNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("streams: looking up consumer %s: %w", PricingConsumer, err)
	}
	cfg := c.CachedInfo().Config
	if t.AckWait == 0 {
		t.AckWait = cfg.AckWait
	}
	if t.MaxDeliver == 0 {
		t.MaxDeliver = cfg.MaxDeliver
	}
	if t.MaxAckPending == 0 {
		t.MaxAckPending = cfg.MaxAckPending
	}
	return nil
}

// Bind looks up the topology that Ensure created, creating and changing
// nothing: all that a worker whose permissions allow only pulling
// partitions and publishing results can do. Errors wrap
// jetstream.ErrStreamNotFound, ErrConsumerNotFound or ErrBucketNotFound
// when a part of the topology is missing (IsMissing reports those).
func Bind(ctx context.Context, js jetstream.JetStream) (*Handles, error) {
	h := &Handles{JS: js}
	var err error
	if h.Pricing, err = js.Consumer(ctx, ScenarioStream, PricingConsumer); err != nil {
		return nil, fmt.Errorf("streams: consumer %s on %s: %w", PricingConsumer, ScenarioStream, err)
	}
	if h.Runs, err = js.KeyValue(ctx, RunsBucket); err != nil {
		return nil, fmt.Errorf("streams: KV %s: %w", RunsBucket, err)
	}
	if h.Blobs, err = js.ObjectStore(ctx, BlobBucket); err != nil {
		return nil, fmt.Errorf("streams: object store %s: %w", BlobBucket, err)
	}
	return h, nil
}

// IsMissing reports whether err says that a stream, consumer or bucket of
// the topology does not exist (rather than, say, that access was denied).
func IsMissing(err error) bool {
	return errors.Is(err, jetstream.ErrStreamNotFound) || errors.Is(err, jetstream.ErrConsumerNotFound) ||
		errors.Is(err, jetstream.ErrBucketNotFound)
}

// RunIDFromSubject returns the run id of a scenario or result subject.
func RunIDFromSubject(subject string) string {
	for _, p := range []string{scenarioPrefix, resultPrefix} {
		if strings.HasPrefix(subject, p) {
			return subject[len(p):]
		}
	}
	return ""
}
