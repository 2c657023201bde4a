package consumers

import (
	"testing"

	"github.com/hedgeflow/hedgeflow/streams"
)

// Advisories arrive as JSON on subjects a peer may be allowed to publish
// on: parsing any bytes must not panic, and only a scenario-stream
// advisory with a sequence is accepted.
func FuzzParseAdvisory(f *testing.F) {
	f.Add([]byte(`{"type":"io.nats.jetstream.advisory.v1.max_deliver","id":"x","timestamp":"2024-01-01T00:00:00Z","stream":"HEDGE_SCENARIOS","consumer":"pricing","stream_seq":7,"deliveries":5}`))
	f.Add([]byte(`{"type":"io.nats.jetstream.advisory.v1.terminated","stream":"HEDGE_SCENARIOS","consumer":"pricing","consumer_seq":3,"stream_seq":12,"deliveries":1,"reason":"bad"}`))
	f.Add([]byte(`{"stream":"OTHER","stream_seq":1}`))
	f.Add([]byte(`{"stream":"HEDGE_SCENARIOS","stream_seq":-1}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"stream":`))
	f.Fuzz(func(t *testing.T, data []byte) {
		adv, ok := parseAdvisory(data)
		if ok && (adv.Stream != streams.ScenarioStream || adv.StreamSeq == 0) {
			t.Fatalf("accepted %+v", adv)
		}
		if !ok && adv != (advisory{}) {
			t.Fatalf("rejected but returned %+v", adv)
		}
	})
}
