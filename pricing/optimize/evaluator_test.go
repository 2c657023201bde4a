package optimize

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
)

// An Evaluator gives Evaluate's metrics, bit for bit, from many goroutines
// at once, and refuses notionals of the wrong length or not finite.
func TestEvaluator(t *testing.T) {
	p := randProblem(5, 40, 20, 6)
	set := &Settings{TailShare: 0.2}
	ev, err := NewEvaluator(p, set)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(13, 14))
	xs := make([][]float64, 16)
	want := make([]Metrics, len(xs))
	for i := range xs {
		xs[i] = make([]float64, p.M())
		for j := range xs[i] {
			xs[i][j] = (rng.Float64()*2 - 1) * 3e8
		}
		if want[i], err = Evaluate(p, xs[i], set); err != nil {
			t.Fatal(err)
		}
	}
	got := make([]Metrics, len(xs))
	var wg sync.WaitGroup
	for i := range xs {
		wg.Go(func() {
			for range 5 {
				got[i], _ = ev.Evaluate(xs[i])
			}
		})
	}
	wg.Wait()
	for i := range xs {
		if got[i] != want[i] {
			t.Errorf("notionals %d: %+v, Evaluate %+v", i, got[i], want[i])
		}
	}
	if _, err := ev.Evaluate(xs[0][:3]); !errors.Is(err, ErrInvalid) {
		t.Errorf("short notionals: %v, want ErrInvalid", err)
	}
	bad := slices.Clone(xs[0])
	bad[2] = math.NaN()
	if _, err := ev.Evaluate(bad); err == nil || !strings.Contains(err.Error(), "x[2]") {
		t.Errorf("a NaN notional: %v, want an error naming x[2]", err)
	}
}
