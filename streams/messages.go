package streams

import (
	"fmt"
	"time"

	"github.com/hedgeflow/hedgeflow/pricing/risk"
	"github.com/hedgeflow/hedgeflow/pricing/scenario"
)

// RunSpec is everything a worker needs to price a run's partitions. It is
// stored in the runs bucket under SpecKey(run) before any partition is
// published.
type RunSpec struct {
	RunID         string  `msgpack:"run_id"`
	Seed          uint64  `msgpack:"seed"`
	Scenarios     int     `msgpack:"scenarios"`
	Paths         int     `msgpack:"paths"`
	PartitionSize int     `msgpack:"partition_size"`
	Partitions    int     `msgpack:"partitions"`
	StepDays      int     `msgpack:"step_days"`
	HorizonDays   []int   `msgpack:"horizon_days"`
	Threshold     float64 `msgpack:"threshold"`
	PortfolioFile string  `msgpack:"portfolio_file"`
	PortfolioYAML []byte  `msgpack:"portfolio_yaml"`
	MarketFile    string  `msgpack:"market_file"`
	MarketYAML    []byte  `msgpack:"market_yaml"`
	ConfigFile    string  `msgpack:"config_file,omitempty"`
	ConfigYAML    []byte  `msgpack:"config_yaml,omitempty"`
	// FundSteps asks the workers for the fund's values at every step of
	// the hedge paths (PartitionResult.FundStepValues): a run that carries
	// a programme on those paths then values only the programme. Off for
	// runs without hedging, whose scale runs would hold them for nothing.
	FundSteps bool `msgpack:"fund_steps,omitempty"`
}

// Partition is a unit of work: scenarios of one run to price.
type Partition struct {
	RunID     string            `msgpack:"run_id"`
	Index     int               `msgpack:"index"`
	Scenarios []scenario.Params `msgpack:"scenarios"`
}

// ScenarioResult is one scenario's hyperparameters and metrics by horizon.
type ScenarioResult struct {
	Params   scenario.Params `msgpack:"params"`
	Horizons []risk.Metrics  `msgpack:"horizons"`
}

// PartitionResult is a priced partition. Its path values (per scenario,
// assets, liabilities and drawdowns by horizon and path, as little-endian
// float64s), followed by its candidate hedges' P&L (per scenario, path and
// hedge, as little-endian float32s), then the fund's assets and
// liabilities at every step of the hedge paths (per scenario, hedge path
// and step, as little-endian float64 pairs; absent when Steps is 0), are
// inline in Data when small, else in the object store under Blob.
type PartitionResult struct {
	RunID      string           `msgpack:"run_id"`
	Partition  int              `msgpack:"partition"`
	Scenarios  []ScenarioResult `msgpack:"scenarios"`
	Paths      int              `msgpack:"paths"`
	Horizons   int              `msgpack:"horizons"`
	HedgePaths int              `msgpack:"hedge_paths"`
	Hedges     int              `msgpack:"hedges"`
	// Steps is the number of simulation steps of the fund's values on the
	// hedge paths (0 in results of workers that did not send them).
	Steps      int     `msgpack:"steps,omitempty"`
	Blob       string  `msgpack:"blob,omitempty"`
	Data       []byte  `msgpack:"data,omitempty"`
	CPUSeconds float64 `msgpack:"cpu_seconds"`
	// ResultBlob, when set, names the object holding this whole result
	// (encoded): the message is only a pointer, because even the metrics
	// would pass the server's max payload.
	ResultBlob string `msgpack:"result_blob,omitempty"`
	Worker     string `msgpack:"worker"`
}

// PathValues returns the number of float64s in a partition's path values.
func (r *PartitionResult) PathValues() int {
	return len(r.Scenarios) * 3 * r.Horizons * r.Paths
}

// HedgeValues returns the number of float32s of candidate-hedge P&L that
// follow the path values: per scenario, HedgePaths rows of Hedges values.
func (r *PartitionResult) HedgeValues() int {
	return len(r.Scenarios) * r.HedgePaths * r.Hedges
}

// FundStepValues returns the number of float64s of the fund's values at
// every step of the hedge paths that follow the hedges' P&L.
func (r *PartitionResult) FundStepValues() int {
	return len(r.Scenarios) * r.HedgePaths * r.Steps * 2
}

// Run statuses.
const (
	StatusRunning  = "running"
	StatusComplete = "complete"
	StatusFailed   = "failed"
)

// RunState is a run's progress, kept in the runs bucket under its id.
type RunState struct {
	RunID      string    `msgpack:"run_id" json:"run_id"`
	Status     string    `msgpack:"status" json:"status"`
	Partitions int       `msgpack:"partitions" json:"partitions"`
	Done       int       `msgpack:"done" json:"done"`
	Failed     []int     `msgpack:"failed,omitempty" json:"failed,omitempty"`
	Error      string    `msgpack:"error,omitempty" json:"error,omitempty"`
	Created    time.Time `msgpack:"created" json:"created"`
	Updated    time.Time `msgpack:"updated" json:"updated"`
}

// Validate checks a partition received from the network.
func (p *Partition) Validate() error {
	if !ValidRunID(p.RunID) {
		return fmt.Errorf("%w: run_id %q", ErrDecode, p.RunID)
	}
	if p.Index < 0 {
		return fmt.Errorf("%w: index %d", ErrDecode, p.Index)
	}
	if len(p.Scenarios) == 0 || len(p.Scenarios) > 100_000 {
		return fmt.Errorf("%w: %d scenarios in a partition", ErrDecode, len(p.Scenarios))
	}
	return nil
}
