package equity

import "math"

// Position is a holding of Units of an equity index (per index point: a
// futures or ETF position is its notional divided by the level) whose level
// is in Currency (ISO code).
type Position struct {
	Index, Currency string
	Units           float64
}

// Value returns the position's value in its currency at an index level.
func (p Position) Value(level float64) (float64, error) {
	if !(level > 0) || math.IsInf(level, 0) {
		return 0, errorf("%s level must be positive and finite, got %v", p.Index, level)
	}
	if !finite(p.Units) {
		return 0, errorf("%s units must be finite, got %v", p.Index, p.Units)
	}
	return p.Units * level, nil
}

// ByCurrency sums the values of positions per currency at the given index
// levels (by index name). Every position's index must have a level.
func ByCurrency(positions []Position, levels map[string]float64) (map[string]float64, error) {
	out := make(map[string]float64)
	for i, p := range positions {
		l, ok := levels[p.Index]
		if !ok {
			return nil, errorf("positions[%d]: no level for index %q", i, p.Index)
		}
		v, err := p.Value(l)
		if err != nil {
			return nil, err
		}
		out[p.Currency] += v
	}
	return out, nil
}
