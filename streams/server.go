package streams

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// ServerOptions configure the embedded nats-server.
type ServerOptions struct {
	// StoreDir holds JetStream's files; empty means a new temporary
	// directory, removed on Shutdown.
	StoreDir string
	// Listen, when set ("127.0.0.1:4222"), opens a client port so that the
	// nats CLI and remote workers can connect; empty runs in-process only.
	Listen string
	// MaxMemory and MaxStore cap JetStream (bytes); defaults 512 MiB and
	// 8 GiB, so that it does not claim 75% of RAM and disk.
	MaxMemory, MaxStore int64
	// MaxPayload is the largest message (bytes); default 1 MiB (the
	// server's own default).
	MaxPayload int32
}

// Server is an embedded nats-server with JetStream.
type Server struct {
	NS      *server.Server
	tempDir string
}

// StartServer starts an embedded server and waits until it accepts
// connections.
func StartServer(o ServerOptions) (*Server, error) {
	s := &Server{}
	if o.StoreDir == "" {
		dir, err := os.MkdirTemp("", "hedgeflow-js-")
		if err != nil {
			return nil, fmt.Errorf("streams: store dir: %w", err)
		}
		o.StoreDir, s.tempDir = dir, dir
	} else if err := os.MkdirAll(o.StoreDir, 0o755); err != nil {
		return nil, fmt.Errorf("streams: store dir: %w", err)
	}
	if o.MaxMemory == 0 {
		o.MaxMemory = 512 << 20
	}
	if o.MaxStore == 0 {
		o.MaxStore = 8 << 30
	}
	opts := &server.Options{
		ServerName:         "hedgeflow",
		JetStream:          true,
		StoreDir:           o.StoreDir,
		JetStreamMaxMemory: o.MaxMemory,
		JetStreamMaxStore:  o.MaxStore,
		NoSigs:             true,
		NoLog:              true,
		MaxPayload:         o.MaxPayload,
	}
	if o.Listen == "" {
		opts.DontListen = true
	} else {
		host, port, err := net.SplitHostPort(o.Listen)
		if err != nil {
			return nil, fmt.Errorf("streams: listen address %q: %w", o.Listen, err)
		}
		p, err := strconv.Atoi(port)
		if err != nil {
			return nil, fmt.Errorf("streams: listen port %q: %w", port, err)
		}
		opts.Host, opts.Port = host, p
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		s.cleanup()
		return nil, fmt.Errorf("streams: embedded server: %w", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		s.cleanup()
		return nil, errors.New("streams: embedded server not ready after 10s")
	}
	s.NS = ns
	return s, nil
}

// Connect opens a client connection to the embedded server, in-process.
func (s *Server) Connect(opts ...nats.Option) (*nats.Conn, error) {
	opts = append([]nats.Option{nats.InProcessServer(s.NS), nats.Name("hedgeflow")}, opts...)
	return nats.Connect("", opts...)
}

// ClientURL is the URL remote clients use, empty when not listening.
func (s *Server) ClientURL() string {
	if s.NS.Addr() == nil {
		return ""
	}
	return s.NS.ClientURL()
}

// Shutdown stops the server and removes a temporary store.
func (s *Server) Shutdown() {
	s.NS.Shutdown()
	s.NS.WaitForShutdown()
	s.cleanup()
}

func (s *Server) cleanup() {
	if s.tempDir != "" {
		os.RemoveAll(s.tempDir)
	}
}
