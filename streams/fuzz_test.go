package streams

import (
	"errors"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/pricing/risk"
	"github.com/hedgeflow/hedgeflow/pricing/scenario"
)

// The decoders below read bytes any peer with publish permission on a
// hedge.* subject or the runs bucket can send. Whatever the bytes, Decode
// must return (never panic or hang), and every failure must wrap
// ErrDecode so that a worker terminates the message instead of retrying.

func fuzzDecode[T any](f *testing.F, seeds ...any) {
	for _, s := range seeds {
		b, err := Encode(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		if len(b) > 4 {
			f.Add(b[:len(b)/2]) // truncated
		}
	}
	f.Add([]byte{})
	f.Add([]byte{0xc1})                              // never-used msgpack code
	f.Add([]byte{0xdd, 0xff, 0xff, 0xff, 0xff})      // array32 claiming 4 G elements
	f.Add([]byte{0xdb, 0x7f, 0xff, 0xff, 0xff, 'a'}) // str32 claiming 2 GB
	f.Fuzz(func(t *testing.T, data []byte) {
		var v T
		err := Decode(data, &v)
		if err != nil && !errors.Is(err, ErrDecode) {
			t.Fatalf("error %v does not wrap ErrDecode", err)
		}
		if err != nil {
			return
		}
		// What decodes must encode again and decode to the same bytes.
		b, err := Encode(&v)
		if err != nil {
			t.Fatalf("re-encoding a decoded value: %v", err)
		}
		var w T
		if err := Decode(b, &w); err != nil {
			t.Fatalf("decoding a re-encoded value: %v", err)
		}
		if p, ok := any(&v).(*Partition); ok {
			_ = p.Validate() // must not panic
		}
		if r, ok := any(&v).(*PartitionResult); ok {
			_ = r.PathValues()
			_, _ = Floats(nil, r.Data)
		}
		if q, ok := any(&v).(*Quote); ok {
			// What the recalibrator and the dashboard do with a quote
			// from the MARKET stream: validate it and apply it.
			_ = q.Validate()
			_, _ = Apply(&market.Snapshot{}, q)
			_ = q.Subject()
		}
	})
}

func samplePartition() *Partition {
	return &Partition{RunID: "r1", Index: 3, Scenarios: []scenario.Params{
		{Index: 6, FXVol: 0.1, IRVol: 0.01, ShortRateMult: 1.2, CreditVol: 0.4, EquityVol: 0.2, Regime: scenario.Stress},
		{Index: 7, FXVol: 0.3, IRVol: 0.02, ShortRateMult: 0.8, CreditVol: 0.6, EquityVol: 0.3},
	}}
}

func FuzzDecodePartition(f *testing.F) {
	fuzzDecode[Partition](f, samplePartition(), &Partition{RunID: "x"})
}

func FuzzDecodePartitionResult(f *testing.F) {
	p := samplePartition()
	fuzzDecode[PartitionResult](f,
		&PartitionResult{RunID: "r1", Partition: 3, Paths: 2, Horizons: 1,
			Scenarios: []ScenarioResult{{Params: p.Scenarios[0], Horizons: []risk.Metrics{{VaR95: 1e9, CVaR95: 2e9}}}},
			Data:      PutFloats(nil, []float64{1, 2, 3, 4, 5, 6}), CPUSeconds: 0.5, Worker: "w"},
		&PartitionResult{RunID: "r1", Blob: "r1/p000003"})
}

func FuzzDecodeRunSpec(f *testing.F) {
	fuzzDecode[RunSpec](f, &RunSpec{RunID: "r1", Seed: 42, Scenarios: 10, Paths: 100, PartitionSize: 5, Partitions: 2,
		StepDays: 5, HorizonDays: []int{21, 252}, Threshold: 0.85, PortfolioFile: "p.yaml", PortfolioYAML: []byte("name: x\n"),
		MarketFile: "m.yaml", MarketYAML: []byte("asof: 2024-12-31\n")})
}

func FuzzDecodeRunState(f *testing.F) {
	now := time.Date(2024, 12, 31, 12, 0, 0, 0, time.UTC)
	fuzzDecode[RunState](f, &RunState{RunID: "r1", Status: StatusFailed, Partitions: 4, Done: 2, Failed: []int{3}, Error: "x", Created: now, Updated: now})
}

// Found by FuzzDecodePartitionResult: an array header declaring 3.4
// billion scenarios in a 245-byte message made msgpack allocate them all
// and the process die of out-of-memory, which no recover catches.
func TestDecodeHugeArrayHeader(t *testing.T) {
	data := []byte("\x88\xa6run_id\xa2r1\xa9partition\x03\xa9scenarios\xdd\xcd\xe5\x00\x00\x00\x00\x00\x00")
	for _, v := range []any{&PartitionResult{}, &Partition{}} {
		if err := Decode(data, v); !errors.Is(err, ErrDecode) {
			t.Errorf("%T: error %v, want ErrDecode", v, err)
		}
	}
}

// Quotes on the MARKET stream: anyone with publish permission on market.>
// reaches the recalibrator's decoder.
func FuzzDecodeQuote(f *testing.F) {
	t0 := time.Date(2025, 1, 2, 15, 0, 0, 0, time.UTC)
	fuzzDecode[Quote](f,
		&Quote{Time: t0, Kind: KindFXVol, Key: "EUR", Value: 0.09, Source: "desk"},
		&Quote{Time: t0, Kind: KindZero, Key: "USD", Tenors: []float64{2, 10}, Values: []float64{4.25, 4.55}},
		&Quote{Time: t0, Kind: KindEquityLevel, Key: "SPX", Value: 5881.63})
}

// Recommendations on hedge.recommendation reach the dashboard's decoder.
func FuzzDecodeRecommendation(f *testing.F) {
	t0 := time.Date(2025, 1, 2, 15, 0, 0, 0, time.UTC)
	fuzzDecode[Recommendation](f, &Recommendation{Seq: 2, Time: t0, MarketTime: t0, BaseRunID: "r1", Mode: "reprice",
		Moves:   []MarketMove{{Quantity: "fx.vol.EUR", From: 7.6, To: 8.6, Threshold: 0.5, Unit: "vol points"}},
		Lines:   []RecommendedLine{{ID: "fx_forward_EUR", AssetClass: "fx", Instrument: "fx_forward", NotionalUSD: -1.2e9, CostBps: 1.1}},
		Changes: []LineChange{{ID: "fx_put_EUR_90", Change: "resized", From: 7e9, To: 6e9}}, Why: "because"})
}
