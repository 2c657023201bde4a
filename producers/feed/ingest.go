package feed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Ingest defaults.
const (
	// IngestQueue is the queue group of the ingest bridges: several
	// processes share the subject, each message handled by one.
	IngestQueue = "hedgeflow-ingest"
	// DefaultMaxIngestBytes bounds an ingest message (64 KiB, about 500
	// quotes).
	DefaultMaxIngestBytes = 64 << 10
)

// IngestOption configures RunIngest.
type IngestOption func(*ingestConfig) error

type ingestConfig struct {
	queue    string
	maxBytes int
	onError  func(error)
	onQuotes func([]streams.Quote)
}

// ErrInvalidOption is wrapped by errors of invalid options.
var ErrInvalidOption = errors.New("feed: invalid option")

// WithQueue sets the queue group (default IngestQueue).
func WithQueue(q string) IngestOption {
	return func(c *ingestConfig) error {
		if q == "" {
			return fmt.Errorf("%w: empty queue group", ErrInvalidOption)
		}
		c.queue = q
		return nil
	}
}

// WithMaxBytes sets the largest message accepted (default
// DefaultMaxIngestBytes); larger ones are rejected with a reply.
func WithMaxBytes(n int) IngestOption {
	return func(c *ingestConfig) error {
		if n < 64 || n > 8<<20 {
			return fmt.Errorf("%w: max bytes must be in [64, 8 MiB], got %d", ErrInvalidOption, n)
		}
		c.maxBytes = n
		return nil
	}
}

// WithErrorHandler receives every rejected message's error and every
// failure to publish or reply (the library does not log).
func WithErrorHandler(f func(error)) IngestOption {
	return func(c *ingestConfig) error {
		c.onError = f
		return nil
	}
}

// WithAccepted is called with the quotes of every accepted message, after
// they are published.
func WithAccepted(f func([]streams.Quote)) IngestOption {
	return func(c *ingestConfig) error {
		c.onQuotes = f
		return nil
	}
}

// IngestReply is the JSON reply to an ingest request: Accepted quotes
// published, or Error naming the field (and, for an array, the element)
// that was wrong. A message with an error publishes nothing, unless the
// error came from JetStream after Accepted quotes went out.
type IngestReply struct {
	Accepted int    `json:"accepted"`
	Error    string `json:"error,omitempty"`
}

// RunIngest bridges streams.IngestSubject to the MARKET stream until ctx
// ends: every message, one JSON quote or an array of them (DecodeQuotes),
// is validated as a whole and its quotes published with
// streams.PublishQuote; a message with a reply subject gets an
// IngestReply. Garbage, oversized messages and panics are answered and
// reported, never fatal. On ctx's end it stops taking messages, finishes
// those already received, and returns nil; it returns an error only if
// it cannot subscribe.
func RunIngest(ctx context.Context, nc *nats.Conn, js jetstream.JetStream, kv jetstream.KeyValue, opts ...IngestOption) error {
	c := ingestConfig{queue: IngestQueue, maxBytes: DefaultMaxIngestBytes}
	for _, o := range opts {
		if err := o(&c); err != nil {
			return err
		}
	}
	if nc == nil || js == nil {
		return fmt.Errorf("%w: RunIngest needs a connection and a JetStream context", ErrInvalidOption)
	}
	ch := make(chan *nats.Msg, 256)
	sub, err := nc.ChanQueueSubscribe(streams.IngestSubject, c.queue, ch)
	if err != nil {
		return fmt.Errorf("feed: subscribing to %s: %w", streams.IngestSubject, err)
	}
	if err := nc.Flush(); err != nil {
		sub.Unsubscribe()
		return fmt.Errorf("feed: subscribing to %s: %w", streams.IngestSubject, err)
	}
	pub := &Publisher{js: js, kv: kv}
	for {
		select {
		case m := <-ch:
			c.handle(ctx, pub, m)
		case <-ctx.Done():
			// Stop the flow, then finish what arrived: those publishers
			// are waiting for a reply.
			sub.Unsubscribe()
			done := context.WithoutCancel(ctx)
			for {
				select {
				case m := <-ch:
					c.handle(done, pub, m)
				default:
					return nil
				}
			}
		}
	}
}

func (c *ingestConfig) report(err error) {
	if c.onError != nil {
		c.onError(err)
	}
}

// handle answers one message; it never panics.
func (c *ingestConfig) handle(ctx context.Context, pub *Publisher, m *nats.Msg) {
	reply := IngestReply{}
	defer func() {
		if r := recover(); r != nil {
			reply = IngestReply{Accepted: reply.Accepted, Error: fmt.Sprintf("internal error: %v", r)}
			c.report(fmt.Errorf("feed: ingest: panic: %v", r))
		}
		c.respond(m, reply)
	}()
	if len(m.Data) > c.maxBytes {
		reply.Error = fmt.Sprintf("message: %d bytes, more than the limit of %d; send fewer quotes per message", len(m.Data), c.maxBytes)
		c.report(fmt.Errorf("feed: ingest: %s", reply.Error))
		return
	}
	qs, err := DecodeQuotes(m.Data)
	if err != nil {
		reply.Error = err.Error()
		c.report(fmt.Errorf("feed: ingest: %w", err))
		return
	}
	pctx, cancel := context.WithTimeout(ctx, DefaultTimeout)
	defer cancel()
	for i := range qs {
		if err := pub.Publish(pctx, &qs[i]); err != nil {
			reply.Error = fmt.Sprintf("[%d]: %v", i, err)
			c.report(fmt.Errorf("feed: ingest: %w", err))
			return
		}
		reply.Accepted++
	}
	if c.onQuotes != nil {
		c.onQuotes(qs)
	}
}

func (c *ingestConfig) respond(m *nats.Msg, r IngestReply) {
	if m.Reply == "" {
		return
	}
	b, _ := json.Marshal(r)
	if err := m.Respond(b); err != nil {
		c.report(fmt.Errorf("feed: ingest: replying: %w", err))
	}
}

// IngestTimeout is how long Send waits for the bridge's reply.
const IngestTimeout = 10 * time.Second

// Send publishes quotes through the ingest subject as a request and
// returns the bridge's reply: how an external Go publisher uses it.
func Send(ctx context.Context, nc *nats.Conn, qs []streams.Quote) (IngestReply, error) {
	var r IngestReply
	data, err := json.Marshal(qs)
	if err != nil {
		return r, fmt.Errorf("feed: %w", err)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, IngestTimeout)
		defer cancel()
	}
	m, err := nc.RequestWithContext(ctx, streams.IngestSubject, data)
	if err != nil {
		return r, fmt.Errorf("feed: ingest request: %w", err)
	}
	if err := json.Unmarshal(m.Data, &r); err != nil {
		return r, fmt.Errorf("feed: ingest reply %q: %w", abbrev(m.Data), err)
	}
	if r.Error != "" {
		return r, fmt.Errorf("feed: ingest rejected: %s", r.Error)
	}
	return r, nil
}
