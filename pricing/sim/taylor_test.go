package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// polyDots gives polyDotsGo's results bit for bit (on amd64 with AVX2 that
// is the assembly), 0 where v0 is 0, at every row count.
func TestPolyDots(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var mon [numMon]float64
	for i := range numMon - 1 {
		mon[i] = (rng.Float64()*2 - 1) * 0.03
	}
	for n := range 12 {
		row := make([]poly, n)
		for i := range row {
			for j := range row[i].c {
				row[i].c[j] = (rng.Float64()*2 - 1) * 40
			}
			switch i % 4 {
			case 0:
				row[i].v0 = 0
			case 1:
				row[i].v0 = math.NaN()
			default:
				row[i].v0 = rng.Float64() * 1e9
			}
		}
		got, want := make([]float64, n+1), make([]float64, n+1)
		got[n], want[n] = 7, 7
		polyDots(row, &mon, got[:n])
		polyDotsGo(row, &mon, want[:n])
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("%d rows: entry %d is %v, want %v", n, i, got[i], want[i])
			}
		}
		for i := 0; i < n; i += 4 {
			if got[i] != 0 {
				t.Errorf("%d rows: entry %d with v0 = 0 is %v, want 0", n, i, got[i])
			}
		}
	}
}
