package curve

import (
	"math"
	"testing"
)

func testCurve(t *testing.T) Zero {
	t.Helper()
	z, err := NewZero([]float64{0.5, 1, 3, 6, 12, 25, 40}, []float64{0.05, 0.048, 0.042, 0.040, 0.041, 0.043, 0.039})
	if err != nil {
		t.Fatal(err)
	}
	return z
}

var probeTimes = []float64{0.01, 0.25, 0.3, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8.5, 10, 15, 20, 25, 30, 35, 50}

// TestShiftExact: a shifted curve is the curve plus the shock at every t, to
// rounding (node union keeps linear interpolation exact), and ShiftedDF
// agrees with the shifted curve's DF.
func TestShiftExact(t *testing.T) {
	z := testCurve(t)
	shocks := map[string]Shock{"zero": {}, "parallel": Parallel(0.01), "slope": Slope(0.005), "curvature": Curvature(-0.003)}
	for i := 0; i < NumKeys; i++ {
		shocks["key"+string(rune('0'+i))] = KeyRate(i, 0.0001)
	}
	for name, s := range shocks {
		zs := z.Shift(s)
		if _, err := NewZero(zs.Times, zs.Rates); err != nil {
			t.Fatalf("%s: shifted curve invalid: %v", name, err)
		}
		for _, tt := range probeTimes {
			want := z.Rate(tt) + s.At(tt)
			if got := zs.Rate(tt); math.Abs(got-want) > 1e-16 {
				t.Errorf("%s: r(%v) = %v, want %v", name, tt, got, want)
			}
			if got, want := z.ShiftedDF(tt, s), zs.DF(tt); math.Abs(got-want) > 1e-15 {
				t.Errorf("%s: ShiftedDF(%v) = %v, shifted curve %v", name, tt, got, want)
			}
		}
	}
}

// TestShockShapes checks each shock's defining values.
func TestShockShapes(t *testing.T) {
	h := 0.01
	for _, c := range []struct {
		name    string
		s       Shock
		t, want float64
	}{
		{"parallel", Parallel(h), 0.1, h}, {"parallel", Parallel(h), 50, h},
		{"slope", Slope(h), 1, -h / 2}, {"slope", Slope(h), 16, 0}, {"slope", Slope(h), 30, h / 2}, {"slope", Slope(h), 45, h / 2},
		{"curvature", Curvature(h), 1, 0}, {"curvature", Curvature(h), 6, h / 2}, {"curvature", Curvature(h), 10, h},
		{"curvature", Curvature(h), 20, h / 2}, {"curvature", Curvature(h), 31, 0},
		{"key 0.25", KeyRate(0, h), 0.1, h}, {"key 0.25", KeyRate(0, h), 0.375, h / 2}, {"key 0.25", KeyRate(0, h), 0.5, 0},
		{"key 5", KeyRate(5, h), 3, 0}, {"key 5", KeyRate(5, h), 4, h / 2}, {"key 5", KeyRate(5, h), 5, h}, {"key 5", KeyRate(5, h), 6, h / 2}, {"key 5", KeyRate(5, h), 7, 0},
		{"key 30", KeyRate(9, h), 20, 0}, {"key 30", KeyRate(9, h), 25, h / 2}, {"key 30", KeyRate(9, h), 60, h},
	} {
		if got := c.s.At(c.t); math.Abs(got-c.want) > 1e-17 {
			t.Errorf("%s at %v: %v, want %v", c.name, c.t, got, c.want)
		}
	}
}

// TestKeyRatesSumToParallel: the ten key-rate bumps partition a parallel
// shift at every t.
func TestKeyRatesSumToParallel(t *testing.T) {
	for _, tt := range probeTimes {
		sum := 0.0
		for i := 0; i < NumKeys; i++ {
			sum += KeyRate(i, 0.0001).At(tt)
		}
		if math.Abs(sum-0.0001) > 1e-19 {
			t.Errorf("t = %v: sum %v", tt, sum)
		}
	}
}

func TestKeyRatePanicsOutOfRange(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	KeyRate(NumKeys, 1)
}

// TestBasisForward: with flat curves the basis forward is covered interest
// parity with rf + b: S exp((rd - rf - b) T); the zero Basis is plain CIP.
func TestBasisForward(t *testing.T) {
	dom, _ := NewZero([]float64{1}, []float64{0.05})
	fgn, _ := NewZero([]float64{1}, []float64{0.03})
	b, err := NewBasis([]float64{1, 10}, []float64{-0.002, -0.002})
	if err != nil {
		t.Fatal(err)
	}
	for _, T := range []float64{0.25, 1, 5, 20} {
		want := 1.1 * math.Exp((0.05-0.03+0.002)*T)
		if got := b.Forward(1.1, dom, fgn, T); math.Abs(got-want) > 1e-15*want {
			t.Errorf("T=%v: forward %v, want %v", T, got, want)
		}
		cip := 1.1 * math.Exp((0.05-0.03)*T)
		if got := (Basis{}).Forward(1.1, dom, fgn, T); math.Abs(got-cip) > 1e-15*cip {
			t.Errorf("T=%v: no basis %v, want %v", T, got, cip)
		}
		if got, want := b.Foreign(fgn).DF(T), b.ForeignDF(fgn, T); math.Abs(got-want) > 1e-16 {
			t.Errorf("T=%v: adjusted curve DF %v, ForeignDF %v", T, got, want)
		}
	}
	if _, err := NewBasis([]float64{1}, []float64{math.NaN()}); err == nil {
		t.Error("NaN basis accepted")
	}
}

func TestDualSimple(t *testing.T) {
	z := testCurve(t)
	d := Single(z)
	// (P1/P2 - 1)/τ equals (exp(∫f) - 1)/τ with the continuous forward.
	f := z.Forward(2, 2.5)
	want := (math.Exp(f*0.5) - 1) / 0.5
	if got := d.Simple(2, 2.5); math.Abs(got-want) > 1e-14 {
		t.Errorf("Simple = %v, want %v", got, want)
	}
}
