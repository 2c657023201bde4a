package consumers

import (
	"context"
	"fmt"
	"sync"

	"github.com/hedgeflow/hedgeflow/streams"
)

// PriceLocal prices every partition of a run in this process, without
// NATS, with n goroutines, and returns what the aggregator would have
// collected. It is the reference the pipeline is measured against (same
// numbers, none of the messaging), and serves tests and benchmarks.
func PriceLocal(ctx context.Context, spec streams.RunSpec, parts []streams.Partition, n int) (*Collected, error) {
	rm, err := BuildModel(spec)
	if err != nil {
		return nil, err
	}
	if n < 1 {
		n = 1
	}
	col := &Collected{Spec: spec, Results: make([]*streams.PartitionResult, len(parts)),
		PathValues: make([][]float64, len(parts)), HedgePnL: make([][]float32, len(parts)),
		FundSteps: make([][]float64, len(parts))}
	next := make(chan int)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pr := NewPricer(rm)
			for i := range next {
				res, data, err := pr.Price(&parts[i], nil, nil)
				if err != nil {
					errs <- fmt.Errorf("partition %d: %w", i, err)
					return
				}
				vals, hv, fund, err := decodeValues(res, data)
				if err != nil {
					errs <- err
					return
				}
				col.Results[i], col.PathValues[i], col.HedgePnL[i], col.FundSteps[i] = res, vals, hv, fund
			}
		}()
	}
	var ferr error
feed:
	for i := range parts {
		select {
		case next <- i:
		case ferr = <-errs:
			break feed
		case <-ctx.Done():
			ferr = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	close(errs)
	if ferr != nil {
		return nil, ferr
	}
	if err := <-errs; err != nil {
		return nil, err
	}
	return col, nil
}
