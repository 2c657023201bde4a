package feed

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go/jetstream"
)

// RecordOptions choose what Record captures.
type RecordOptions struct {
	// All records the stream from its first quote; Since from the first
	// quote stored at or after Since; neither, only quotes stored after
	// the recorder started.
	All   bool
	Since time.Time
	// Subjects filter the stream (market.fx.>, ...); empty means all.
	Subjects []string
	// Max stops after that many quotes; 0 runs until ctx ends.
	Max int
	// Ready, if not nil, is closed once the consumer exists: quotes
	// published after that are recorded.
	Ready chan<- struct{}
	// OnSkip receives messages on the stream that are not quotes (they
	// are counted and skipped).
	OnSkip func(error)
}

// RecordStats say what a recording holds.
type RecordStats struct {
	Quotes  int
	Skipped int
	// LastSeq and LastTime are the stream sequence and stored time of the
	// last message recorded: Since = LastTime resumes (duplicates of that
	// instant are removed by the MsgID deduplication of a replay).
	LastSeq  uint64
	LastTime time.Time
}

// flushEvery bounds how many lines wait in the buffer while a backlog
// is read; once the recorder has caught up, every line is flushed.
const flushEvery = 512

// Record captures the MARKET stream to w as JSON Lines (the form
// ReadJSONL and Replay read) with an ordered consumer, until ctx ends or
// Max quotes are recorded. Lines are flushed whenever the recorder has
// caught up with the stream and at least every 512 lines, and everything
// received is flushed before Record returns: a cancelled recording loses
// nothing it was handed. The end of ctx is a normal stop (nil error).
func Record(ctx context.Context, js jetstream.JetStream, w io.Writer, o RecordOptions) (RecordStats, error) {
	var st RecordStats
	cfg := jetstream.OrderedConsumerConfig{FilterSubjects: o.Subjects, DeliverPolicy: jetstream.DeliverNewPolicy}
	switch {
	case o.All && !o.Since.IsZero():
		return st, fmt.Errorf("%w: All and Since are alternatives", ErrInvalidOption)
	case o.All:
		cfg.DeliverPolicy = jetstream.DeliverAllPolicy
	case !o.Since.IsZero():
		cfg.DeliverPolicy = jetstream.DeliverByStartTimePolicy
		since := o.Since
		cfg.OptStartTime = &since
	}
	if o.Max < 0 {
		return st, fmt.Errorf("%w: Max must not be negative, got %d", ErrInvalidOption, o.Max)
	}
	cctx, cancel := withDefault(ctx)
	cons, err := js.OrderedConsumer(cctx, streams.MarketStream, cfg)
	cancel()
	if err != nil {
		return st, fmt.Errorf("feed: recording %s: %w", streams.MarketStream, err)
	}
	it, err := cons.Messages()
	if err != nil {
		return st, fmt.Errorf("feed: recording %s: %w", streams.MarketStream, err)
	}
	if o.Ready != nil {
		close(o.Ready)
	}
	stopped := make(chan struct{})
	defer close(stopped)
	go func() {
		select {
		case <-ctx.Done():
			it.Stop()
		case <-stopped:
		}
	}()
	bw := bufio.NewWriterSize(w, 64<<10)
	pending := 0
	finish := func(err error) (RecordStats, error) {
		it.Stop()
		if ferr := bw.Flush(); ferr != nil && err == nil {
			err = fmt.Errorf("feed: writing the recording: %w", ferr)
		}
		return st, err
	}
	for {
		m, err := it.Next()
		if err != nil {
			if errors.Is(err, jetstream.ErrMsgIteratorClosed) || ctx.Err() != nil {
				return finish(nil)
			}
			return finish(fmt.Errorf("feed: recording %s: %w", streams.MarketStream, err))
		}
		meta, merr := m.Metadata()
		var q streams.Quote
		if derr := streams.Decode(m.Data(), &q); derr != nil {
			st.Skipped++
			if o.OnSkip != nil {
				o.OnSkip(fmt.Errorf("feed: %s: %w", m.Subject(), derr))
			}
			continue
		}
		line, err := EncodeQuote(&q)
		if err != nil {
			st.Skipped++
			if o.OnSkip != nil {
				o.OnSkip(fmt.Errorf("feed: %s: %w", m.Subject(), err))
			}
			continue
		}
		bw.Write(line)
		if err := bw.WriteByte('\n'); err != nil {
			return finish(fmt.Errorf("feed: writing the recording: %w", err))
		}
		st.Quotes++
		pending++
		if merr == nil {
			st.LastSeq, st.LastTime = meta.Sequence.Stream, meta.Timestamp
		}
		if pending >= flushEvery || merr != nil || meta.NumPending == 0 {
			if err := bw.Flush(); err != nil {
				return finish(fmt.Errorf("feed: writing the recording: %w", err))
			}
			pending = 0
		}
		if o.Max > 0 && st.Quotes >= o.Max {
			return finish(nil)
		}
	}
}
