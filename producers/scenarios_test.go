package producers

import (
	"context"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/pricing/scenario"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/hedgeflow/hedgeflow/streams/streamstest"
)

// A partition whose publish finds no stream to answer (a clustered stream
// electing a new leader; here the stream deleted and created again 3 s
// later) is published again with its message id, and the run is stored
// whole, each partition once.
func TestPublishRunRetriesWhileTheStreamIsAway(t *testing.T) {
	_, js := streamstest.Start(t, streams.ServerOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h, err := streams.Ensure(ctx, js, streams.Topology{})
	if err != nil {
		t.Fatal(err)
	}
	if err := js.DeleteStream(ctx, streams.ScenarioStream); err != nil {
		t.Fatal(err)
	}
	params := make([]scenario.Params, 10)
	for i := range params {
		params[i] = scenario.Params{Index: i, FXVol: 0.1, IRVol: 0.01, ShortRateMult: 1, CreditVol: 0.3, EquityVol: 0.2}
	}
	parts := Partitions("retry-run", params, 3)
	spec := streams.RunSpec{RunID: "retry-run", Seed: 1, Scenarios: len(params), Paths: 1, PartitionSize: 3, Partitions: len(parts)}
	back := make(chan error, 1)
	go func() {
		time.Sleep(3 * time.Second)
		_, err := streams.Ensure(ctx, js, streams.Topology{})
		back <- err
	}()
	if err := PublishRun(ctx, h, spec, parts); err != nil {
		t.Fatalf("PublishRun with the stream away for 3 s: %v", err)
	}
	if err := <-back; err != nil {
		t.Fatal(err)
	}
	st, err := js.Stream(ctx, streams.ScenarioStream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.State.Msgs; got != uint64(len(parts)) {
		t.Errorf("the stream holds %d partitions, want %d", got, len(parts))
	}
}
