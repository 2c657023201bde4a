package input

import (
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
)

// Holdings-file limits: more hedges than any fund's catalogue, and a
// notional beyond any fund's size (USD 10 trillion).
const (
	MaxHoldings        = 10000
	MaxHoldingNotional = 1e13
)

type holdingsFile struct {
	Holdings *map[string]float64 `yaml:"holdings"`
}

// ReadHoldings reads and validates a holdings file.
func ReadHoldings(path string) (map[string]float64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseHoldings(path, data)
}

// ParseHoldings parses the hedges a fund holds today: USD notional by hedge
// id (the ids of report.json's programmes, signed as there), under a
// top-level "holdings" key; "holdings: {}" means nothing is held. The ids
// are checked against the fund's catalogue by the run that uses them
// (agents.Policy.Holdings).
//
//	holdings:
//	  fx_forward_EUR: 1.2e9
//	  swap_receiver_USD_30y: 5.0e8
func ParseHoldings(file string, data []byte) (map[string]float64, error) {
	var f holdingsFile
	root, err := decodeStrict(file, data, &f)
	if err != nil {
		return nil, err
	}
	if f.Holdings == nil {
		return nil, fieldError(file, root, "holdings", fmt.Errorf("missing (write \"holdings: {}\" when nothing is held)"))
	}
	h := *f.Holdings
	if h == nil {
		h = map[string]float64{}
	}
	if len(h) > MaxHoldings {
		return nil, fieldError(file, root, "holdings", fmt.Errorf("%d hedges, more than the limit %d", len(h), MaxHoldings))
	}
	ids := make([]string, 0, len(h))
	for id := range h {
		ids = append(ids, id)
	}
	sort.Strings(ids) // the first error in the file's terms, whatever the map's order
	for _, id := range ids {
		if strings.TrimSpace(id) == "" {
			return nil, fieldError(file, root, "holdings", fmt.Errorf("an empty hedge id"))
		}
		if err := CheckHolding(h[id]); err != nil {
			return nil, fieldError(file, root, "holdings."+id, err)
		}
	}
	return h, nil
}

// CheckHolding checks one held notional, in USD: finite and within
// MaxHoldingNotional. Services taking holdings in other formats (a JSON
// request) use it too.
func CheckHolding(v float64) error {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fmt.Errorf("notional must be finite, got %v", v)
	case math.Abs(v) > MaxHoldingNotional:
		return fmt.Errorf("notional %g USD is beyond any fund (limit %g)", v, MaxHoldingNotional)
	}
	return nil
}
