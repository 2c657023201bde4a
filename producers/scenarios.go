package producers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hedgeflow/hedgeflow/pricing/scenario"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Partitions splits scenarios into partitions of size at most size, in
// index order.
func Partitions(runID string, params []scenario.Params, size int) []streams.Partition {
	var out []streams.Partition
	for i := 0; i < len(params); i += size {
		out = append(out, streams.Partition{RunID: runID, Index: len(out), Scenarios: params[i:min(i+size, len(params))]})
	}
	return out
}

// PublishRun stores spec and the run's initial state in the runs bucket and
// publishes the partitions to the work queue, each with the message id
// "<run>/<partition>" so that a retried publish is stored once. It returns
// when the server has stored every partition.
func PublishRun(ctx context.Context, h *streams.Handles, spec streams.RunSpec, parts []streams.Partition) error {
	if !streams.ValidRunID(spec.RunID) {
		return fmt.Errorf("producers: invalid run id %q", spec.RunID)
	}
	if len(parts) != spec.Partitions {
		return fmt.Errorf("producers: %d partitions, spec says %d", len(parts), spec.Partitions)
	}
	b, err := streams.Encode(&spec)
	if err != nil {
		return err
	}
	if _, err := h.Runs.Put(ctx, streams.SpecKey(spec.RunID), b); err != nil {
		return fmt.Errorf("producers: storing spec: %w", err)
	}
	now := time.Now().UTC()
	st, err := streams.Encode(&streams.RunState{RunID: spec.RunID, Status: streams.StatusRunning, Partitions: spec.Partitions, Created: now, Updated: now})
	if err != nil {
		return err
	}
	if _, err := h.Runs.Create(ctx, spec.RunID, st); err != nil && !errors.Is(err, jetstream.ErrKeyExists) {
		return fmt.Errorf("producers: creating run state: %w", err)
	}
	futures := make([]jetstream.PubAckFuture, 0, len(parts))
	for i := range parts {
		body, err := streams.Encode(&parts[i])
		if err != nil {
			return err
		}
		f, err := h.JS.PublishMsgAsync(&nats.Msg{Subject: streams.ScenarioSubject(spec.RunID), Data: body},
			jetstream.WithMsgID(streams.MsgID(spec.RunID, parts[i].Index)))
		if err != nil {
			return fmt.Errorf("producers: publishing partition %d: %w", i, err)
		}
		futures = append(futures, f)
	}
	for i, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			if err := republish(ctx, h, spec.RunID, &parts[i], err); err != nil {
				return fmt.Errorf("producers: partition %d not stored: %w", i, err)
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// publishRetries bounds republish: 0.2, 0.4, 0.8, 1.6 and 3.2 s apart,
// about 6 s in all, the time a clustered stream takes to elect a new
// leader when the old one goes (or to answer again under load).
const publishRetries = 5

// republish stores partition p after its asynchronous publish failed with
// first ("no response from stream" while the stream's leader changes, or
// no responders): synchronously, with the same message id, so that a copy
// the server did store is not stored twice.
func republish(ctx context.Context, h *streams.Handles, runID string, p *streams.Partition, first error) error {
	body, err := streams.Encode(p)
	if err != nil {
		return err
	}
	last, wait := first, 200*time.Millisecond
	for range publishRetries {
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return fmt.Errorf("%w (after %v)", ctx.Err(), last)
		}
		wait *= 2
		_, err := h.JS.PublishMsg(ctx, &nats.Msg{Subject: streams.ScenarioSubject(runID), Data: body},
			jetstream.WithMsgID(streams.MsgID(runID, p.Index)))
		if err == nil {
			return nil
		}
		last = err
	}
	return fmt.Errorf("%d tries: %w", publishRetries+1, last)
}
