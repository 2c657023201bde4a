package feed_test

import (
	"context"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/input"
	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/producers/feed"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/hedgeflow/hedgeflow/streams/streamstest"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// env is an embedded JetStream server with the MARKET stream.
type env struct {
	nc  *nats.Conn
	js  jetstream.JetStream
	kv  jetstream.KeyValue
	pub *feed.Publisher
}

func newEnv(t *testing.T) *env {
	t.Helper()
	nc, js := streamstest.Start(t, streams.ServerOptions{MaxMemory: 64 << 20, MaxStore: 1 << 30})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pub, err := feed.NewPublisher(ctx, js, 0)
	if err != nil {
		t.Fatal(err)
	}
	kv, err := js.KeyValue(ctx, streams.MarketStateBucket)
	if err != nil {
		t.Fatal(err)
	}
	return &env{nc: nc, js: js, kv: kv, pub: pub}
}

// count is the number of messages in the MARKET stream.
func (e *env) count(t *testing.T) uint64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := e.js.Stream(ctx, streams.MarketStream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

func sample(t testing.TB) *market.Snapshot {
	t.Helper()
	s, err := input.ParseMarket(examples.MarketFile, examples.Market)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func ctxT(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
