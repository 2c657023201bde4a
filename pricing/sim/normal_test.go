package sim

import (
	"math"
	"slices"
	"testing"
)

// The ziggurat's draws are standard normal: mean, variance and kurtosis
// within 5 standard errors, and the Kolmogorov-Smirnov distance to Φ
// below its 0.1% critical value 1.95/√n (Marsaglia, Tsang & Wang 2003).
func TestZigguratIsNormal(t *testing.T) {
	const n = 1_000_000
	g := newRNG(7, 8)
	xs := make([]float64, n)
	var m1, m2, m4 float64
	for i := range xs {
		x := g.norm()
		xs[i] = x
		m1 += x
		m2 += x * x
		m4 += x * x * x * x
	}
	m1, m2, m4 = m1/n, m2/n, m4/n
	if math.Abs(m1) > 5/math.Sqrt(n) || math.Abs(m2-1) > 5*math.Sqrt(2.0/n) || math.Abs(m4-3) > 5*math.Sqrt(96.0/n) {
		t.Errorf("moments: mean %v, variance %v, fourth %v", m1, m2, m4)
	}
	slices.Sort(xs)
	d := 0.0
	for i, x := range xs {
		f := normCDF(x)
		d = math.Max(d, math.Max(math.Abs(f-float64(i)/n), math.Abs(f-float64(i+1)/n)))
	}
	if d > 1.95/math.Sqrt(n) {
		t.Errorf("Kolmogorov-Smirnov distance %v above %v", d, 1.95/math.Sqrt(n))
	}
	// The tail beyond zigR is visited and has the right mass.
	tail := 0
	for _, x := range xs {
		if math.Abs(x) > zigR {
			tail++
		}
	}
	want := 2 * (1 - normCDF(zigR)) * n
	if math.Abs(float64(tail)-want) > 5*math.Sqrt(want) {
		t.Errorf("%d draws beyond %v, want %.0f", tail, zigR, want)
	}
}

// The vector kernel and its Go twin give the same draws, raw bits, misses
// and state, bit for bit, over many refills from several seeds.
func TestZigBlocksAVX2MatchesGo(t *testing.T) {
	if !hasAVX2 {
		t.Skip("no AVX2 on this CPU (or -tags purego): zigBlocksGo is the only kernel")
	}
	for seed := range uint64(5) {
		a, b := newRNG(seed, ^seed), newRNG(seed, ^seed)
		for r := range 2000 {
			zigBlocksAVX2(&a.s, &a.buf, &a.raw, &a.rej, &zigKW)
			zigBlocksGo(&b.s, &b.buf, &b.raw, &b.rej)
			if a.s != b.s || a.raw != b.raw || a.rej != b.rej {
				t.Fatalf("seed %d, refill %d: state, raw bits or misses differ", seed, r)
			}
			for i := range a.buf {
				if math.Float64bits(a.buf[i]) != math.Float64bits(b.buf[i]) {
					t.Fatalf("seed %d, refill %d, draw %d: %v != %v", seed, r, i, a.buf[i], b.buf[i])
				}
			}
		}
	}
}

// Every lane of a refill is its own xoshiro256++ stream: a lane started
// from state (0, 0, 0, 1) gives the reference C code's first ten outputs,
// as tabulated in the test data of xoshiro-fortran (github.com/DSCF-1224/
// xoshiro-fortran, test/README.md), whatever the other lanes hold.
func TestXoshiroLane(t *testing.T) {
	want := [10]uint64{0x0000000000800000, 0x0000000000800011, 0x0002200000800011, 0x0002200044000020,
		0x00022000448008A1, 0x01102100802208A0, 0x0114002284200880, 0x0402896644A64095,
		0x8A14A0A244ACC891, 0x8C88BA4680B20495}
	for lane := range 4 {
		g := newRNG(1, 2) // other lanes keep their seeded states
		for w := range 4 {
			g.s[w][lane] = 0
		}
		g.s[3][lane] = 1
		g.refill()
		for k, w := range want {
			if got := g.raw[4*k+lane]; got != w {
				t.Fatalf("lane %d, output %d: %#x, want %#x", lane, k+1, got, w)
			}
		}
	}
}
