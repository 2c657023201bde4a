package approx

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestLogULP: Log against log computed at 256 bits (bigLog), in ulps of
// the true value. The bound is 0.6 ulp (measured 0.501 worst over these
// points); math.Log's own error is up to about 1 ulp.
func TestLogULP(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var xs []float64
	for i := 0; i < 4000; i++ {
		xs = append(xs, 1+(rng.Float64()*2-1)*0x1p-6) // around 1, where log x is small
		xs = append(xs, 0.5+rng.Float64())            // the table's range
		xs = append(xs, math.Exp((rng.Float64()*2-1)*700))
	}
	for i := 0; i < logN; i++ { // bucket edges
		e := logTable[i].c
		xs = append(xs, e, math.Nextafter(e, 0), math.Nextafter(e, 2))
	}
	worst := 0.0
	for _, x := range xs {
		got := Log(x)
		err := ulpErr(got, x)
		worst = math.Max(worst, err)
		if err > 0.6 {
			t.Errorf("Log(%v) = %v: %.3f ulp from the true value (math.Log %v)", x, got, err, math.Log(x))
		}
	}
	t.Logf("worst error %.3f ulp over %d points", worst, len(xs))
}

// TestLog: Log within 1.5 ulps of math.Log (both within about 1 ulp of the
// truth) over a million points across the whole float64 range, and the
// special values of math.Log.
func TestLog(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 1_000_000; i++ {
		x := math.Float64frombits(rng.Uint64() &^ (1 << 63)) // any positive float64, NaN and Inf too
		if i%2 == 0 {
			x = 0.25 + rng.Float64()*4
		}
		got, want := Log(x), math.Log(x)
		if got != want && !(math.IsNaN(got) && math.IsNaN(want)) && !(math.Abs(got-want) <= 1.5*ulp(want)) {
			t.Fatalf("Log(%v) = %v, math.Log %v (%v ulps)", x, got, want, (got-want)/ulp(want))
		}
	}
	for _, x := range []float64{0, math.Copysign(0, -1), -1, -math.SmallestNonzeroFloat64, math.SmallestNonzeroFloat64,
		0x1p-1060, math.Nextafter(0x1p-1022, 0), 0x1p-1022, math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(), 1, 2, 0.5} {
		got, want := Log(x), math.Log(x)
		if !(got == want || math.IsNaN(got) && math.IsNaN(want) || math.Abs(got-want) <= ulp(want)) {
			t.Errorf("Log(%v) = %v, want %v", x, got, want)
		}
	}
	if Log(1) != 0 {
		t.Errorf("Log(1) = %v", Log(1))
	}
}

// TestLogTable: the entries are what gen_logtable.go wrote: c on its
// bucket, 1/c and log c to 1 ulp.
func TestLogTable(t *testing.T) {
	for i, e := range logTable {
		if w := 1 / e.c; e.invc != w {
			t.Errorf("table[%d].invc = %v, want %v", i, e.invc, w)
		}
		if w := math.Log(e.c); math.Abs(e.logc-w) > ulp(w) || math.Abs(e.logcLo) > ulp(w) {
			t.Errorf("table[%d].logc = %v + %v, math.Log %v", i, e.logc, e.logcLo, w)
		}
		ix := math.Float64bits(e.c)
		if j := ((ix - 0x3fe6000000000000) >> 45) % logN; int(j) != i && e.c != 1 {
			t.Errorf("table[%d].c = %v falls in bucket %d", i, e.c, j)
		}
	}
}

// FuzzLog: Log agrees with math.Log to 1.5 ulps on any input.
func FuzzLog(f *testing.F) {
	for _, x := range []float64{1, 0.999, 1e-310, 1e308, -1, 0, math.Inf(1), math.NaN()} {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		got, want := Log(x), math.Log(x)
		if got == want || math.IsNaN(got) && math.IsNaN(want) {
			return
		}
		if !(math.Abs(got-want) <= 1.5*ulp(want)) {
			t.Fatalf("Log(%v) = %v, math.Log %v", x, got, want)
		}
	})
}

// ulpErr returns |got - log x| in ulps of log x, log x at 256 bits.
func ulpErr(got, x float64) float64 {
	l := bigLog(x)
	want, _ := l.Float64()
	d := new(big.Float).SetPrec(256).SetFloat64(got)
	d.Sub(d, l)
	df, _ := d.Float64()
	if want == 0 {
		return math.Abs(df) / math.SmallestNonzeroFloat64
	}
	return math.Abs(df) / ulp(want)
}

// bigLog returns log x for finite x > 0 at 256 bits: x = 2^k m with m in
// [0.75, 1.5), log x = k log 2 + 2 atanh((m-1)/(m+1)).
func bigLog(x float64) *big.Float {
	const prec = 256
	m, k := math.Frexp(x) // m in [0.5, 1)
	if m < 0.75 {
		m, k = 2*m, k-1
	}
	atanh2 := func(m *big.Float) *big.Float { // 2 atanh((m-1)/(m+1))
		one := big.NewFloat(1).SetPrec(prec)
		s := new(big.Float).SetPrec(prec).Quo(new(big.Float).SetPrec(prec).Sub(m, one), new(big.Float).SetPrec(prec).Add(m, one))
		s2 := new(big.Float).SetPrec(prec).Mul(s, s)
		sum, pow := new(big.Float).SetPrec(prec), new(big.Float).SetPrec(prec).Set(s)
		for j := int64(1); pow.Sign() != 0 && j < 2000; j += 2 {
			sum.Add(sum, new(big.Float).SetPrec(prec).Quo(pow, new(big.Float).SetPrec(prec).SetInt64(j)))
			pow.Mul(pow, s2)
			if pow.Sign() != 0 && pow.MantExp(nil) < -2*prec {
				break
			}
		}
		return sum.Mul(sum, big.NewFloat(2))
	}
	r := atanh2(new(big.Float).SetPrec(prec).SetFloat64(m))
	ln2 := atanh2(new(big.Float).SetPrec(prec).SetInt64(2))
	ln2.Mul(ln2, new(big.Float).SetPrec(prec).SetInt64(int64(k)))
	return r.Add(r, ln2)
}

// TestLogFast: LogFast within 4e-16 max(|log x|, 2^-7) of log x at 256
// bits, over the points of TestLogULP and a million random ones, and the
// special values of math.Log.
func TestLogFast(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var xs []float64
	for i := 0; i < 4000; i++ {
		xs = append(xs, 1+(rng.Float64()*2-1)*0x1p-6, 0.5+rng.Float64(), math.Exp((rng.Float64()*2-1)*700))
	}
	for i := 0; i < logN; i++ {
		e := logTable[i].c
		xs = append(xs, e, math.Nextafter(e, 0), math.Nextafter(e, 2))
	}
	worst := 0.0
	for _, x := range xs {
		got, want := big.NewFloat(LogFast(x)).SetPrec(256), bigLog(x)
		scale := math.Max(math.Abs(math.Log(x)), 0x1p-7)
		d, _ := new(big.Float).Sub(got, want).Float64()
		err := math.Abs(d) / scale
		worst = math.Max(worst, err)
		if err > 4e-16 {
			t.Errorf("LogFast(%v) = %v: error %.3g of max(|log x|, 2^-7)", x, LogFast(x), err)
		}
	}
	t.Logf("worst error %.3g of max(|log x|, 2^-7) over %d points", worst, len(xs))
	for i := 0; i < 1_000_000; i++ {
		x := math.Float64frombits(rng.Uint64() &^ (1 << 63))
		got, want := LogFast(x), math.Log(x)
		if got != want && !(math.IsNaN(got) && math.IsNaN(want)) &&
			!(math.Abs(got-want) <= 5e-16*math.Max(math.Abs(want), 0x1p-7)) {
			t.Fatalf("LogFast(%v) = %v, math.Log %v", x, got, want)
		}
	}
	for _, x := range []float64{0, -1, math.SmallestNonzeroFloat64, math.MaxFloat64, math.Inf(1), math.NaN(), 1} {
		got, want := LogFast(x), math.Log(x)
		if !(got == want || math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("LogFast(%v) = %v, want %v", x, got, want)
		}
	}
}
