package feed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go/jetstream"
)

// DefaultTimeout bounds one quote's publication when the caller's
// context has no deadline.
const DefaultTimeout = 10 * time.Second

// Publisher puts quotes on the MARKET stream and the MARKET_STATE bucket
// (streams.PublishQuote: deduplicated by quantity and time, the bucket
// keeping the latest quote of each quantity).
type Publisher struct {
	js jetstream.JetStream
	kv jetstream.KeyValue
}

// NewPublisher binds to the MARKET stream and MARKET_STATE bucket,
// creating them with replicas (0 means 1) when either is missing: an
// existing stream keeps its configuration.
func NewPublisher(ctx context.Context, js jetstream.JetStream, replicas int) (*Publisher, error) {
	ctx, cancel := withDefault(ctx)
	defer cancel()
	kv, err := BindMarket(ctx, js, replicas)
	if err != nil {
		return nil, err
	}
	return &Publisher{js: js, kv: kv}, nil
}

// BindMarket returns the MARKET_STATE bucket, creating it and the MARKET
// stream (streams.EnsureMarket) when either is missing.
func BindMarket(ctx context.Context, js jetstream.JetStream, replicas int) (jetstream.KeyValue, error) {
	_, serr := js.Stream(ctx, streams.MarketStream)
	kv, kerr := js.KeyValue(ctx, streams.MarketStateBucket)
	if serr == nil && kerr == nil {
		return kv, nil
	}
	for _, err := range []error{serr, kerr} {
		if err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) && !errors.Is(err, jetstream.ErrBucketNotFound) {
			return nil, fmt.Errorf("feed: binding %s: %w", streams.MarketStream, err)
		}
	}
	_, kv, err := streams.EnsureMarket(ctx, js, replicas)
	return kv, err
}

// NewPublisherKV publishes with a bucket the caller already holds (serve
// creates the stream and bucket itself).
func NewPublisherKV(js jetstream.JetStream, kv jetstream.KeyValue) *Publisher {
	return &Publisher{js: js, kv: kv}
}

// Publish validates and publishes one quote.
func (p *Publisher) Publish(ctx context.Context, q *streams.Quote) error {
	ctx, cancel := withDefault(ctx)
	defer cancel()
	return streams.PublishQuote(ctx, p.js, p.kv, q)
}

// withDefault gives ctx DefaultTimeout when it has no deadline.
func withDefault(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, DefaultTimeout)
}
