package consumers

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

// ErrPartitionFailed reports a partition that exhausted its deliveries or
// was terminated as malformed: the run cannot complete.
var ErrPartitionFailed = errors.New("partition failed")

// Collected is a complete run: every partition's result, by partition, with
// its path values decoded.
type Collected struct {
	Spec       streams.RunSpec
	Results    []*streams.PartitionResult
	PathValues [][]float64 // by partition
	HedgePnL   [][]float32 // by partition: per scenario, hedge path and hedge
	// FundSteps are the fund's values at every step of the hedge paths,
	// by partition: per scenario, hedge path and step, assets then
	// liabilities (sim.Result.FundSteps); empty for a partition whose
	// worker did not send them.
	FundSteps  [][]float64
	Duplicates int // results received more than once (and ignored)
}

// ScenarioFundSteps returns the fund's values on the hedge paths of the
// s-th scenario of partition pi, nil when the partition has none.
func (c *Collected) ScenarioFundSteps(pi, s int) []float64 {
	r := c.Results[pi]
	if r == nil || r.Steps == 0 || pi >= len(c.FundSteps) {
		return nil
	}
	n := r.HedgePaths * r.Steps * 2
	if (s+1)*n > len(c.FundSteps[pi]) {
		return nil
	}
	return c.FundSteps[pi][s*n : (s+1)*n]
}

// decodeValues splits a result's data into its path values, hedge P&L and
// fund values on the hedge paths, checking their sizes.
func decodeValues(r *streams.PartitionResult, data []byte) (vals []float64, hv []float32, fund []float64, err error) {
	np, nh, nf := r.PathValues()*8, r.HedgeValues()*4, r.FundStepValues()*8
	if len(data) != np+nh+nf {
		return nil, nil, nil, fmt.Errorf("partition %d: %d bytes of values, want %d", r.Partition, len(data), np+nh+nf)
	}
	if vals, err = streams.Floats(nil, data[:np]); err != nil {
		return nil, nil, nil, fmt.Errorf("partition %d: %w", r.Partition, err)
	}
	if hv, err = streams.Float32s(nil, data[np:np+nh]); err != nil {
		return nil, nil, nil, fmt.Errorf("partition %d: %w", r.Partition, err)
	}
	if fund, err = streams.Floats(nil, data[np+nh:]); err != nil {
		return nil, nil, nil, fmt.Errorf("partition %d: %w", r.Partition, err)
	}
	return vals, hv, fund, nil
}

// Aggregator collects the results of one run.
type Aggregator struct {
	h    *streams.Handles
	spec streams.RunSpec
	// OnProgress, if set, is called after each new partition.
	OnProgress func(done, total int)
	// OnCaughtUp, if set, is called once, from Run, when the aggregator
	// has read every result the stream held when Run started, with the
	// partitions still missing in index order: a resumed run republishes
	// those that were never published (deduplicated by message id if
	// they were). It may publish but must not wait for results.
	OnCaughtUp func(missing []int)
}

// NewAggregator returns an aggregator for the run of spec.
func NewAggregator(h *streams.Handles, spec streams.RunSpec) *Aggregator {
	return &Aggregator{h: h, spec: spec}
}

type advisory struct {
	Stream    string `json:"stream"`
	Consumer  string `json:"consumer"`
	StreamSeq uint64 `json:"stream_seq"`
	Reason    string `json:"reason"`
}

// parseAdvisory reads a JetStream max-deliveries or terminated advisory
// (JSON from the server, but reachable by any peer allowed to publish on
// the advisory subject) and reports whether it concerns a message of the
// scenario stream.
func parseAdvisory(data []byte) (advisory, bool) {
	var adv advisory
	if json.Unmarshal(data, &adv) != nil || adv.Stream != streams.ScenarioStream || adv.StreamSeq == 0 {
		return advisory{}, false
	}
	return adv, true
}

// Run collects results until every partition is in, ctx ends, or a
// partition fails for good. It records progress in the runs bucket.
func (a *Aggregator) Run(ctx context.Context) (*Collected, error) {
	spec := a.spec
	col := &Collected{Spec: spec, Results: make([]*streams.PartitionResult, spec.Partitions),
		PathValues: make([][]float64, spec.Partitions), HedgePnL: make([][]float32, spec.Partitions),
		FundSteps: make([][]float64, spec.Partitions)}

	// Dead letters: partitions past MaxDeliver, or terminated.
	failed := make(chan string, 16)
	nc := a.h.JS.Conn()
	onAdvisory := func(m *nats.Msg) {
		adv, ok := parseAdvisory(m.Data)
		if !ok {
			return
		}
		actx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		raw, err := a.h.JS.Stream(actx, streams.ScenarioStream)
		if err != nil {
			return
		}
		sm, err := raw.GetMsg(actx, adv.StreamSeq)
		if err != nil {
			return
		}
		if streams.RunIDFromSubject(sm.Subject) != spec.RunID {
			return
		}
		var p streams.Partition
		idx := -1
		if streams.Decode(sm.Data, &p) == nil {
			idx = p.Index
		}
		why := "exhausted its deliveries"
		if adv.Reason != "" {
			why = "was terminated: " + adv.Reason
		}
		select {
		case failed <- fmt.Sprintf("partition %d %s", idx, why):
		default:
		}
	}
	for _, subj := range []string{
		"$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES." + streams.ScenarioStream + "." + streams.PricingConsumer,
		"$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED." + streams.ScenarioStream + "." + streams.PricingConsumer,
	} {
		sub, err := nc.Subscribe(subj, onAdvisory)
		if err != nil {
			return nil, fmt.Errorf("aggregator: watching dead letters: %w", err)
		}
		defer sub.Unsubscribe()
	}

	cons, err := a.h.JS.OrderedConsumer(ctx, streams.ResultStream, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{streams.ResultSubject(spec.RunID)},
	})
	if err != nil {
		return nil, fmt.Errorf("aggregator: %w", err)
	}
	it, err := cons.Messages()
	if err != nil {
		return nil, fmt.Errorf("aggregator: %w", err)
	}
	defer it.Stop()
	msgs := make(chan jetstream.Msg)
	go func() {
		defer close(msgs)
		for {
			m, err := it.Next()
			if err != nil {
				return
			}
			select {
			case msgs <- m:
			case <-ctx.Done():
				return
			}
		}
	}()
	stopIt := context.AfterFunc(ctx, it.Stop)
	defer stopIt()

	done := 0
	caughtUp := func() {
		if a.OnCaughtUp == nil {
			return
		}
		var missing []int
		for i, r := range col.Results {
			if r == nil {
				missing = append(missing, i)
			}
		}
		a.OnCaughtUp(missing)
		a.OnCaughtUp = nil
	}
	if a.OnCaughtUp != nil {
		n, err := a.stored(ctx)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			caughtUp()
		}
	}
	for done < spec.Partitions {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case why := <-failed:
			err := fmt.Errorf("run %s: %w: %s", spec.RunID, ErrPartitionFailed, why)
			a.setState(ctx, func(s *streams.RunState) { s.Status, s.Error = streams.StatusFailed, err.Error() })
			return nil, err
		case m, ok := <-msgs:
			if !ok {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				return nil, fmt.Errorf("aggregator: result stream closed")
			}
			// The last result stored so far: once it is counted, the
			// missing partitions are known.
			md, err := m.Metadata()
			last := err == nil && md.NumPending == 0
			var r streams.PartitionResult
			if err := streams.Decode(m.Data(), &r); err != nil {
				return nil, fmt.Errorf("aggregator: result %s: %w", m.Subject(), err)
			}
			if r.ResultBlob != "" {
				b, err := a.getBlob(ctx, r.ResultBlob)
				if err != nil {
					return nil, fmt.Errorf("aggregator: fetching %s: %w", r.ResultBlob, err)
				}
				var full streams.PartitionResult
				if err := streams.Decode(b, &full); err != nil {
					return nil, fmt.Errorf("aggregator: result %s: %w", r.ResultBlob, err)
				}
				if full.RunID != r.RunID || full.Partition != r.Partition || full.ResultBlob != "" {
					return nil, fmt.Errorf("aggregator: object %s holds run %q partition %d, pointer says %q %d", r.ResultBlob, full.RunID, full.Partition, r.RunID, r.Partition)
				}
				r = full
			}
			if r.RunID != spec.RunID || r.Partition < 0 || r.Partition >= spec.Partitions {
				return nil, fmt.Errorf("aggregator: result for run %q partition %d does not belong to run %s", r.RunID, r.Partition, spec.RunID)
			}
			if col.Results[r.Partition] != nil {
				col.Duplicates++
				if last {
					caughtUp()
				}
				continue
			}
			data := r.Data
			if r.Blob != "" {
				if data, err = a.getBlob(ctx, r.Blob); err != nil {
					return nil, fmt.Errorf("aggregator: fetching %s: %w", r.Blob, err)
				}
			}
			vals, hv, fund, err := decodeValues(&r, data)
			if err != nil {
				return nil, fmt.Errorf("aggregator: %w", err)
			}
			col.HedgePnL[r.Partition], col.FundSteps[r.Partition] = hv, fund
			r.Data = nil
			col.Results[r.Partition] = &r
			col.PathValues[r.Partition] = vals
			done++
			a.setState(ctx, func(s *streams.RunState) {
				s.Done = done
				if done == spec.Partitions {
					s.Status = streams.StatusComplete
				}
			})
			if a.OnProgress != nil {
				a.OnProgress(done, spec.Partitions)
			}
			if last {
				caughtUp()
			}
		}
	}
	return col, nil
}

// stored returns how many result messages of the run the stream holds.
func (a *Aggregator) stored(ctx context.Context) (uint64, error) {
	subj := streams.ResultSubject(a.spec.RunID)
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	st, err := a.h.JS.Stream(rctx, streams.ResultStream)
	if err != nil {
		return 0, fmt.Errorf("aggregator: %w", err)
	}
	info, err := st.Info(rctx, jetstream.WithSubjectFilter(subj))
	if err != nil {
		return 0, fmt.Errorf("aggregator: counting stored results: %w", err)
	}
	return info.State.Subjects[subj], nil
}

// stateTimeout bounds each request of a state update: a KV request sent
// while its stream elects a new leader can go unanswered, and the run's own
// context has no deadline.
const stateTimeout = 3 * time.Second

// setState applies f to the run's state with compare-and-set, retrying on
// conflicts with other writers and on requests lost in a leader election.
// The state is the run's progress record; aggregation does not wait on it
// beyond these retries.
func (a *Aggregator) setState(ctx context.Context, f func(*streams.RunState)) {
	for attempt := range 10 {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
		rctx, cancel := context.WithTimeout(ctx, stateTimeout)
		e, err := a.h.Runs.Get(rctx, a.spec.RunID)
		if err != nil {
			cancel()
			continue
		}
		var s streams.RunState
		if streams.Decode(e.Value(), &s) != nil {
			cancel()
			return
		}
		f(&s)
		s.Updated = time.Now().UTC()
		b, err := streams.Encode(&s)
		if err != nil {
			cancel()
			return
		}
		_, err = a.h.Runs.Update(rctx, a.spec.RunID, b, e.Revision())
		cancel()
		if err == nil {
			return
		}
	}
}

// getBlob fetches an object, retrying requests lost in a leader election.
func (a *Aggregator) getBlob(ctx context.Context, name string) ([]byte, error) {
	var err error
	for attempt := range 5 {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(500 * time.Millisecond):
			}
		}
		rctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		var b []byte
		b, err = a.h.Blobs.GetBytes(rctx, name)
		cancel()
		if err == nil {
			return b, nil
		}
	}
	return nil, err
}
