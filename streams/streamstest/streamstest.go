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
	return Connect(t, Server(t, opts))
}

// Server starts an embedded server with opts (its store in a temporary
// directory of the test unless opts.StoreDir is set), shut down when the
// test ends: for a test that needs several connections to it.
func Server(t testing.TB, opts streams.ServerOptions) *streams.Server {
	t.Helper()
	if opts.StoreDir == "" {
		opts.StoreDir = t.TempDir()
	}
	srv, err := streams.StartServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	return srv
}

// Connect opens a connection to srv and its JetStream context; the
// connection is closed when the test ends (or earlier by the test).
func Connect(t testing.TB, srv *streams.Server) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
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
