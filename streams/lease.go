package streams

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// LeaseBucket is the KV bucket of leases: a key that one holder at a time
// keeps fresh, so that of several `hedgeflow serve` processes on one
// JetStream only one runs the recalibrator (the others stand by and take
// over when it stops or dies).
const LeaseBucket = "HEDGE_LEASES"

// LeaseTTL is the default time a lease outlives its holder's last
// renewal: the bucket's TTL (MaxAge), so that the key of a holder that
// died without releasing it expires and a standby can create it. Holders
// renew every TTL/4.
const LeaseTTL = 8 * time.Second

// EnsureLeases creates or binds LeaseBucket with keys that expire ttl
// after their last write (LeaseTTL if 0).
func EnsureLeases(ctx context.Context, js jetstream.JetStream, replicas int, ttl time.Duration) (jetstream.KeyValue, error) {
	if replicas == 0 {
		replicas = 1
	}
	if ttl == 0 {
		ttl = LeaseTTL
	}
	if ttl < 100*time.Millisecond {
		return nil, fmt.Errorf("streams: lease TTL %v is below 100ms", ttl)
	}
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      LeaseBucket,
		Description: "hedgeflow: leases (one holder at a time per key, e.g. the recalibrator)",
		Replicas:    replicas,
		History:     1,
		TTL:         ttl,
	})
	if err != nil {
		return nil, fmt.Errorf("streams: creating KV %s: %w", LeaseBucket, err)
	}
	return kv, nil
}

// Lease is one holder's claim on a key of LeaseBucket.
type Lease struct {
	KV  jetstream.KeyValue
	Key string // e.g. "recalibrator"
	// Holder names this holder, uniquely among all that may hold the key
	// (host, process, start): it is the key's value, which tells a holder
	// a renewal it did not see acknowledged from someone else's write, and
	// operators who holds the lease.
	Holder string
	Log    *slog.Logger
	// OnChange, if set, is called with true when the lease is taken and
	// false when it is given up or lost (for a metric).
	OnChange func(held bool)
}

// Hold runs fn whenever this holder holds the lease, until ctx ends. It
// waits for the key to be free (created by nobody, released, or expired
// the bucket's TTL after its holder's last renewal), creates it, and runs fn with
// a context that ends if a renewal finds the key taken or has not
// reached the server for half the TTL (so that fn stops before the key
// can expire and another holder start). When fn returns, the lease is released at
// once (deleted at its revision: a standby need not wait for the TTL). If
// the lease was lost, Hold waits for it again; otherwise it returns fn's
// error (nil when ctx ended).
func (l *Lease) Hold(ctx context.Context, fn func(context.Context) error) error {
	if l.KV == nil || l.Key == "" || l.Holder == "" {
		return errors.New("streams: a lease needs a bucket, a key and a holder")
	}
	st, err := l.KV.Status(ctx)
	if err != nil {
		return fmt.Errorf("streams: lease bucket: %w", err)
	}
	ttl := st.TTL() // the renewals' pace follows the bucket's expiry
	if ttl <= 0 {
		return fmt.Errorf("streams: lease bucket %s keeps keys for ever: a dead holder's lease would never expire", st.Bucket())
	}
	log := l.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	every := ttl / 4
	waiting := false
	for {
		rev, err := l.KV.Create(ctx, l.Key, []byte(l.Holder))
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if !waiting {
				owner := "?"
				if e, gerr := l.KV.Get(ctx, l.Key); gerr == nil {
					owner = string(e.Value())
				}
				if errors.Is(err, jetstream.ErrKeyExists) {
					log.Info("standing by: another process holds the lease", "lease", l.Key, "holder", owner)
				} else {
					log.Warn("cannot take the lease; trying again", "lease", l.Key, "err", err)
				}
				waiting = true
			}
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(every):
			}
			continue
		}
		waiting = false
		log.Info("lease taken", "lease", l.Key, "holder", l.Holder)
		if l.OnChange != nil {
			l.OnChange(true)
		}
		lost, err := l.hold(ctx, rev, every, ttl, fn)
		if l.OnChange != nil {
			l.OnChange(false)
		}
		if ctx.Err() != nil {
			return nil
		}
		if lost == nil {
			return err
		}
		log.Warn("lease lost: stopped, standing by", "lease", l.Key, "why", lost)
	}
}

// hold runs fn under the lease of revision rev, renewing it. It returns
// why the lease was lost (nil if it was not: fn returned, or ctx ended)
// and fn's error.
func (l *Lease) hold(ctx context.Context, rev uint64, every, ttl time.Duration, fn func(context.Context) error) (lost, _ error) {
	fctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	errLost := errors.New("lease lost")
	done := make(chan error, 1)
	go func() { done <- fn(fctx) }()
	tick := time.NewTicker(every)
	defer tick.Stop()
	renewed := time.Now()
	cur := rev
	for {
		select {
		case err := <-done:
			if cause := context.Cause(fctx); errors.Is(cause, errLost) {
				return cause, err
			}
			l.release(ctx, cur, every)
			return nil, err
		case <-tick.C:
			if context.Cause(fctx) != nil {
				continue // stopping: wait for fn
			}
			// Not cancelled with ctx: a renewal the server applies must
			// not look failed to us.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), every)
			r, err := l.KV.Update(rctx, l.Key, []byte(l.Holder), cur)
			if errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
				// Ours at a revision we did not see (an earlier renewal
				// timed out here but reached the server), or taken.
				if e, gerr := l.KV.Get(rctx, l.Key); gerr == nil && string(e.Value()) == l.Holder {
					r, err = l.KV.Update(rctx, l.Key, []byte(l.Holder), e.Revision())
				}
			}
			cancel()
			switch {
			case err == nil:
				cur, renewed = r, time.Now()
			case errors.Is(err, jetstream.ErrKeyRevisionMismatch), errors.Is(err, jetstream.ErrKeyExists):
				// Someone else's (it expired and was taken) or gone.
				stop(fmt.Errorf("%w: %v", errLost, err))
			case time.Since(renewed) >= ttl/2:
				// Half its life gone without a renewal: stop well before
				// it can expire and another holder start.
				stop(fmt.Errorf("%w: not renewed for %v: %v", errLost, time.Since(renewed).Round(time.Millisecond), err))
			}
		}
	}
}

// release deletes the key if it is still this holder's, so that a standby
// takes over at once rather than after the TTL.
func (l *Lease) release(ctx context.Context, rev uint64, wait time.Duration) {
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), wait)
	defer cancel()
	err := l.KV.Delete(dctx, l.Key, jetstream.LastRevision(rev))
	if errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
		// A renewal we took for failed reached the server: still ours if
		// it holds our name.
		if e, gerr := l.KV.Get(dctx, l.Key); gerr == nil && string(e.Value()) == l.Holder {
			err = l.KV.Delete(dctx, l.Key, jetstream.LastRevision(e.Revision()))
		} else {
			err = nil // someone else's now: nothing to release
		}
	}
	if err != nil && l.Log != nil {
		l.Log.Warn("lease not released; it expires by itself", "lease", l.Key, "err", err)
	}
}
