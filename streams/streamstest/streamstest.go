// Package streamstest starts an embedded JetStream server for a test: the
// one helper every package's tests used to write again.
package streamstest

import (
	"testing"

	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Start starts an embedded server with opts (its store in a temporary
// directory of the test unless opts.StoreDir is set) and returns a
// connection to it and its JetStream context. Both are closed when the
// test ends.
func Start(t testing.TB, opts streams.ServerOptions) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	if opts.StoreDir == "" {
		opts.StoreDir = t.TempDir()
	}
	srv, err := streams.StartServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	nc, err := srv.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return nc, js
}
