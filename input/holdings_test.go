package input

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestParseHoldings(t *testing.T) {
	h, err := ParseHoldings("h.yaml", []byte("# today's book\nholdings:\n  fx_forward_EUR: 1.2e9\n  swap_receiver_USD_30y: -5.0e8\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h["fx_forward_EUR"] != 1.2e9 || h["swap_receiver_USD_30y"] != -5e8 {
		t.Errorf("parsed %v", h)
	}
	h, err = ParseHoldings("h.yaml", []byte("holdings: {}\n"))
	if err != nil || h == nil || len(h) != 0 {
		t.Errorf("holdings: {}: %v, %v; want an empty, non-nil map (nothing held)", h, err)
	}
}

// TestBadHoldings: every bad file is refused with an *Error naming the
// field (and its line where it has one).
func TestBadHoldings(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"", "empty file"},
		{"positions:\n  fx_forward_EUR: 1e9\n", "field positions not found"},
		{"# nothing\nbook: x\n", "field book not found"},
		{"holdings:\n  fx_forward_EUR: lots\n", "h.yaml:2"},
		{"holdings:\n  fx_forward_EUR: .nan\n", "h.yaml:2: holdings.fx_forward_EUR: notional must be finite"},
		{"holdings:\n  a: 1\n  fx_forward_GBP: -.inf\n", "h.yaml:3: holdings.fx_forward_GBP: notional must be finite"},
		{"holdings:\n  fx_forward_EUR: 2e13\n", "holdings.fx_forward_EUR: notional 2e+13 USD is beyond any fund"},
		{"holdings:\n  \"\": 1e9\n", "holdings: an empty hedge id"},
		{"holdings: [1, 2]\n", "h.yaml:1"},
		{"holdings: 5\n", "h.yaml:1"},
	} {
		_, err := ParseHoldings("h.yaml", []byte(c.yaml))
		var ie *Error
		if err == nil || !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want an *input.Error containing %q", c.yaml, err, c.want)
		}
	}
	// no holdings key, or one without a value: missing, and what to write
	for _, y := range []string{"# empty\n{}\n", "holdings:\n"} {
		if _, err := ParseHoldings("h.yaml", []byte(y)); err == nil || !strings.Contains(err.Error(), `holdings: missing (write "holdings: {}"`) {
			t.Errorf("%q: %v", y, err)
		}
	}
	var big strings.Builder
	big.WriteString("holdings:\n")
	for i := 0; i <= MaxHoldings; i++ {
		big.WriteString("  h" + strconv.Itoa(i) + ": 1\n")
	}
	if _, err := ParseHoldings("h.yaml", []byte(big.String())); err == nil || !strings.Contains(err.Error(), "more than the limit") {
		t.Errorf("%d hedges: %v", MaxHoldings+1, err)
	}
}

// FuzzParseHoldings: any bytes give holdings that pass the checks, or an
// *Error; never a panic.
func FuzzParseHoldings(f *testing.F) {
	for _, s := range []string{"holdings:\n  fx_forward_EUR: -1.2e9\n", "holdings: {}\n", "holdings:\n  x: .nan\n", "holdings: [1]\n", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ParseHoldings("fuzz.yaml", data)
		if err != nil {
			var ie *Error
			if !errors.As(err, &ie) {
				t.Fatalf("error %T is not an *input.Error: %v", err, err)
			}
			return
		}
		if h == nil || len(h) > MaxHoldings {
			t.Fatalf("accepted %d holdings (nil: %v)", len(h), h == nil)
		}
		for id, v := range h {
			if strings.TrimSpace(id) == "" || CheckHolding(v) != nil {
				t.Fatalf("accepted %q: %v", id, v)
			}
		}
	})
}
