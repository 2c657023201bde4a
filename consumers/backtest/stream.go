package backtest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Reading the MARKET stream back: the backtest consumer is a plain
// JetStream consumer (DeliverByStartSequence, ReplayInstant, no acks) on
// the MARKET stream, as the design asks of replays (the ordered consumer
// ignores the replay policy). It applies every quote to a running
// snapshot (streams.Apply) and keeps the last equity.level of each index;
// all the quotes of one market state share one time, so a quote with a
// later time closes the day before it, and the last message of the range
// closes the last day.

// StreamRange is what a consumer reads: the stream sequences First to Last
// (inclusive), keeping the quotes stamped From to To (inclusive; zero
// times mean no bound).
type StreamRange struct {
	First, Last uint64
	From, To    time.Time
}

// readTimeout bounds the wait for a batch of messages of a range known to
// exist; fetchBatch is the batch size.
const (
	readTimeout = 30 * time.Second
	fetchBatch  = 512
)

// StreamDays yields the market states of r, rebuilt on a copy of base (nil
// for an empty snapshot: the first state must then carry every quantity).
// The states are yielded as they are completed, so that the backtest marks
// a day while the following ones are still being read.
func StreamDays(ctx context.Context, js jetstream.JetStream, r StreamRange, base *market.Snapshot) iter.Seq2[*Day, error] {
	return func(yield func(*Day, error) bool) {
		if r.First == 0 || r.Last < r.First {
			yield(nil, fmt.Errorf("%w: stream range %d to %d is empty", ErrData, r.First, r.Last))
			return
		}
		cons, err := js.CreateConsumer(ctx, streams.MarketStream, jetstream.ConsumerConfig{
			Description:       "hedgeflow replay: backtest consumer",
			DeliverPolicy:     jetstream.DeliverByStartSequencePolicy,
			OptStartSeq:       r.First,
			AckPolicy:         jetstream.AckNonePolicy,
			ReplayPolicy:      jetstream.ReplayInstantPolicy,
			InactiveThreshold: 5 * time.Minute,
			MemoryStorage:     true,
		})
		if err != nil {
			yield(nil, fmt.Errorf("backtest: consumer on %s: %w", streams.MarketStream, err))
			return
		}
		defer func() {
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			_ = js.DeleteConsumer(dctx, streams.MarketStream, cons.CachedInfo().Name)
		}()
		snap := &market.Snapshot{}
		if base != nil {
			*snap = *base
		}
		snap.FX[market.USD] = 1
		levels := map[string]float64{}
		var cur time.Time // the time of the state being built
		got := 0          // messages of the current batch
		emit := func() bool {
			s := *snap // curves are replaced by Apply, never changed in place
			eq := make(map[string]float64, len(levels))
			for k, v := range levels {
				eq[k] = v
			}
			d := &Day{Date: dateOf(cur), Market: &s, Equity: eq}
			s.Date = d.Date.Format(time.DateOnly)
			return yield(d, nil)
		}
		var batch jetstream.MessageBatch
		for {
			var m jetstream.Msg
			for m == nil {
				if batch != nil {
					if x, ok := <-batch.Messages(); ok {
						m = x
						continue
					}
					if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) {
						yield(nil, fmt.Errorf("backtest: reading %s: %w", streams.MarketStream, err))
						return
					}
					if got == 0 {
						yield(nil, fmt.Errorf("backtest: no message from %s for %v while reading sequences %d to %d", streams.MarketStream, readTimeout, r.First, r.Last))
						return
					}
				}
				if err := ctx.Err(); err != nil {
					yield(nil, err)
					return
				}
				batch, err = cons.Fetch(fetchBatch, jetstream.FetchMaxWait(readTimeout))
				if err != nil {
					yield(nil, fmt.Errorf("backtest: reading %s: %w", streams.MarketStream, err))
					return
				}
				got = 0
			}
			got++
			md, err := m.Metadata()
			if err != nil {
				yield(nil, fmt.Errorf("backtest: reading %s: %w", streams.MarketStream, err))
				return
			}
			seq := md.Sequence.Stream
			if seq > r.Last {
				break
			}
			var q streams.Quote
			if err := streams.Decode(m.Data(), &q); err != nil {
				yield(nil, fmt.Errorf("%w: %s sequence %d: %v", ErrData, streams.MarketStream, seq, err))
				return
			}
			in := (r.From.IsZero() || !q.Time.Before(r.From)) && (r.To.IsZero() || !q.Time.After(r.To))
			if in {
				if !cur.IsZero() && q.Time.After(cur) {
					if !emit() {
						return
					}
				}
				if cur.IsZero() || q.Time.After(cur) {
					cur = q.Time
				}
				if q.Time.Before(cur) {
					yield(nil, fmt.Errorf("%w: %s sequence %d: quote of %s after one of %s", ErrData, streams.MarketStream, seq,
						q.Time.Format(time.RFC3339), cur.Format(time.RFC3339)))
					return
				}
				if _, err := streams.Apply(snap, &q); err != nil {
					yield(nil, fmt.Errorf("%w: %s sequence %d: %v", ErrData, streams.MarketStream, seq, err))
					return
				}
				if q.Kind == streams.KindEquityLevel {
					levels[q.Key] = q.Value
				}
			}
			if seq == r.Last {
				break
			}
		}
		if cur.IsZero() {
			yield(nil, fmt.Errorf("%w: no quote from %s to %s in %s sequences %d to %d", ErrData,
				r.From.Format(time.DateOnly), r.To.Format(time.DateOnly), streams.MarketStream, r.First, r.Last))
			return
		}
		emit()
	}
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// LastSequence is the MARKET stream's last sequence (0 when empty).
func LastSequence(ctx context.Context, js jetstream.JetStream) (uint64, error) {
	st, err := js.Stream(ctx, streams.MarketStream)
	if err != nil {
		if errors.Is(err, jetstream.ErrStreamNotFound) {
			return 0, nil
		}
		return 0, fmt.Errorf("backtest: %s: %w", streams.MarketStream, err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("backtest: %s: %w", streams.MarketStream, err)
	}
	return info.State.LastSeq, nil
}
