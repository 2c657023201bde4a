package consumers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// InlineLimit is the largest path-value payload carried inside a result
// message; larger ones go to the object store.
const InlineLimit = 256 << 10

// Worker pulls partitions from the work queue and prices them.
type Worker struct {
	h      *streams.Handles
	name   string
	log    *slog.Logger
	models models
	// Grace is how long, after Run's ctx ends, partitions already being
	// priced may still be finished, published and acked. Past it, or at
	// once when it is zero, they are abandoned for redelivery. Set it
	// before Run.
	Grace time.Duration
	// testHook, when set, runs after the result is published and before
	// the ack; returning an error makes the worker drop the message as if
	// it had died.
	testHook func(p *streams.Partition) error
	// testBefore, when set, runs before pricing: errHang makes the worker
	// hang on the message until its context ends (no ack, no progress);
	// another error fails the attempt (nak).
	testBefore func(p *streams.Partition) error
}

// NewWorker returns a worker on h. name identifies it in results and logs;
// log may be nil.
func NewWorker(h *streams.Handles, name string, log *slog.Logger) *Worker {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if name == "" {
		host, _ := os.Hostname()
		name = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	return &Worker{h: h, name: name, log: log, models: models{kv: h.Runs}}
}

// errDied marks a message the worker abandons without ack or nak.
var errDied = errors.New("worker died")

// errHang makes a test worker hang on a message.
var errHang = errors.New("worker hangs")

// Run starts n pricing goroutines and blocks until ctx is done and all have
// stopped. When ctx ends the workers stop pulling; a partition in flight is
// finished and acked if that takes less than w.Grace, else it is left
// unacknowledged (or negatively acknowledged) and redelivered to another
// worker.
func (w *Worker) Run(ctx context.Context, n int) error {
	if n < 1 {
		return fmt.Errorf("consumers: workers must be at least 1, got %d", n)
	}
	// hctx is what handlers use: it outlives ctx by the grace period.
	hctx, abort := context.WithCancel(context.WithoutCancel(ctx))
	defer abort()
	if w.Grace <= 0 {
		hctx = ctx
	}
	var (
		mu    sync.Mutex
		grace *time.Timer
	)
	stopGrace := context.AfterFunc(ctx, func() {
		mu.Lock()
		grace = time.AfterFunc(max(w.Grace, 0), abort)
		mu.Unlock()
	})
	defer func() {
		stopGrace()
		mu.Lock()
		if grace != nil {
			grace.Stop()
		}
		mu.Unlock()
	}()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := w.loop(ctx, hctx, i); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func (w *Worker) loop(ctx, hctx context.Context, id int) error {
	// Short pull expiry and heartbeat: a pull lost with a consumer leader
	// that died is noticed and re-issued in seconds, not half a minute.
	it, err := w.h.Pricing.Messages(jetstream.PullMaxMessages(1), jetstream.PullExpiry(5*time.Second), jetstream.PullHeartbeat(2*time.Second))
	if err != nil {
		return fmt.Errorf("consumers: worker %d: %w", id, err)
	}
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()
	defer it.Stop()
	pricers := map[string]*Pricer{}
	for {
		msg, err := it.Next()
		if err != nil {
			if errors.Is(err, jetstream.ErrMsgIteratorClosed) || ctx.Err() != nil {
				return nil
			}
			w.log.Warn("pull failed", "worker", id, "err", err)
			continue
		}
		if err := w.handle(hctx, msg, pricers); err != nil {
			if errors.Is(err, errDied) {
				return nil
			}
			if hctx.Err() != nil {
				w.log.Info("stopping: partition left for redelivery", "worker", id, "subject", msg.Subject())
				return nil
			}
			w.log.Error("partition failed", "worker", id, "subject", msg.Subject(), "err", err)
		}
	}
}

// handle prices one message. It never panics: a panic is recovered and the
// message is left for redelivery, where MaxDeliver eventually fails it
// visibly.
func (w *Worker) handle(ctx context.Context, msg jetstream.Msg, pricers map[string]*Pricer) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
			_ = msg.NakWithDelay(time.Second)
		}
	}()
	var p streams.Partition
	if err := streams.Decode(msg.Data(), &p); err == nil {
		err = p.Validate()
	}
	if err != nil {
		// A malformed partition will not get better: terminate it so the
		// aggregator's dead-letter watch sees it.
		_ = msg.TermWithReason(err.Error())
		return err
	}
	if w.testBefore != nil {
		if err := w.testBefore(&p); errors.Is(err, errHang) {
			<-ctx.Done()
			return errDied
		} else if err != nil {
			_ = msg.NakWithDelay(10 * time.Millisecond)
			return err
		}
	}
	// Every request below has its own deadline: one sent while a stream
	// elects a new leader can go unanswered, and ctx has none.
	mctx, mcancel := context.WithTimeout(ctx, 10*time.Second)
	rm, err := w.models.get(mctx, p.RunID)
	mcancel()
	if err != nil {
		_ = msg.NakWithDelay(2 * time.Second)
		return err
	}
	pr := pricers[p.RunID]
	if pr == nil {
		if len(pricers) >= 4 {
			clear(pricers)
		}
		pr = NewPricer(rm)
		pricers[p.RunID] = pr
	}
	start := time.Now()
	last := start
	res, data, err := pr.Price(&p, nil, func() {
		if time.Since(last) > 2*time.Second {
			_ = msg.InProgress()
			last = time.Now()
		}
	})
	if err != nil {
		if errors.Is(err, streams.ErrDecode) {
			_ = msg.TermWithReason(err.Error())
		} else {
			_ = msg.NakWithDelay(time.Second)
		}
		return err
	}
	res.Worker = w.name
	res.CPUSeconds = time.Since(start).Seconds()
	// Keep the message under the server's max payload (and InlineLimit):
	// the path values go to the object store when they would not fit, and
	// the whole result when even its metrics would not. Never dropped.
	limit := int64(InlineLimit)
	if mp := w.h.JS.Conn().MaxPayload(); mp > 0 && mp-8<<10 < limit {
		limit = mp - 8<<10
	}
	res.Data = data
	body, err := streams.Encode(res)
	if err != nil {
		return err
	}
	if int64(len(body)) > limit {
		name := streams.BlobName(p.RunID, p.Index)
		bctx, bcancel := context.WithTimeout(ctx, 30*time.Second)
		err := streams.PutBlob(bctx, w.h, name, data)
		bcancel()
		if err != nil {
			_ = msg.NakWithDelay(time.Second)
			return fmt.Errorf("storing %s: %w", name, err)
		}
		res.Data, res.Blob = nil, name
		if body, err = streams.Encode(res); err != nil {
			return err
		}
	}
	if int64(len(body)) > limit {
		name := streams.BlobName(p.RunID, p.Index) + ".result"
		bctx, bcancel := context.WithTimeout(ctx, 30*time.Second)
		err := streams.PutBlob(bctx, w.h, name, body)
		bcancel()
		if err != nil {
			_ = msg.NakWithDelay(time.Second)
			return fmt.Errorf("storing %s: %w", name, err)
		}
		ptr := streams.PartitionResult{RunID: p.RunID, Partition: p.Index, ResultBlob: name}
		if body, err = streams.Encode(&ptr); err != nil {
			return err
		}
	}
	pctx, pcancel := context.WithTimeout(ctx, 10*time.Second)
	_, err = w.h.JS.PublishMsg(pctx, &nats.Msg{Subject: streams.ResultSubject(p.RunID), Data: body},
		jetstream.WithMsgID(streams.MsgID(p.RunID, p.Index)))
	pcancel()
	if err != nil {
		_ = msg.NakWithDelay(time.Second)
		return fmt.Errorf("publishing result: %w", err)
	}
	if w.testHook != nil {
		if err := w.testHook(&p); err != nil {
			return errDied
		}
	}
	actx, acancel := context.WithTimeout(ctx, 10*time.Second)
	defer acancel()
	return msg.DoubleAck(actx)
}
