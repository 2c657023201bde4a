package input

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/pricing/market"
)

func TestSampleFundIs88PercentFunded(t *testing.T) {
	p, err := ParsePortfolio(examples.PortfolioFile, examples.Portfolio)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ParseMarket(examples.MarketFile, examples.Market)
	if err != nil {
		t.Fatal(err)
	}
	v := p.Value(m)
	if got := v.Assets; got < 24.999e9 || got > 25.001e9 {
		t.Errorf("assets = %.6g, want $25bn", got)
	}
	if got := v.FundedRatio; got < 0.875 || got > 0.885 {
		t.Errorf("funded ratio = %.4f, want 0.88 +- 0.005", got)
	}
	credit, fin := 0.0, 0.0
	for _, b := range p.Bonds {
		if !b.Government {
			credit += b.ValueUSD
			if b.Sector == market.Financials {
				fin += b.ValueUSD
			}
		}
	}
	if fin/credit <= 0.40 {
		t.Errorf("financials are %.1f%% of credit, want over 40%%", 100*fin/credit)
	}
	for _, c := range []market.Ccy{market.USD, market.EUR, market.GBP} {
		if v.LiabilitiesByCcy[c] <= 0 {
			t.Errorf("no %s liabilities", c)
		}
	}
}

// Each bad file in testdata/bad names, on its first line after "# want: ",
// the text the error must contain (file:line: field: message).
func TestBadPortfolios(t *testing.T) {
	files, _ := filepath.Glob("testdata/bad/*.yaml")
	if len(files) == 0 {
		t.Fatal("no test files")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(string(data), "\n")
			want := strings.TrimPrefix(first, "# want: ")
			_, err = ParsePortfolio(f, data)
			if err == nil {
				t.Fatalf("accepted; want error containing %q", want)
			}
			var ie *Error
			if !errors.As(err, &ie) {
				t.Errorf("error %T is not an *input.Error", err)
			}
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not contain %q", err, want)
			}
		})
	}
}

func TestBadMarket(t *testing.T) {
	good := string(examples.Market)
	cases := []struct{ name, from, to, want string }{
		{"negative fx", "AUD: 0.6185", "AUD: -0.6185", "fx_usd_per_unit.AUD: must be a positive USD price"},
		{"unknown ccy", "AUD: 0.6185", "XYZ: 0.6185", `fx_usd_per_unit.XYZ: unknown currency "XYZ"`},
		{"nan spread", "BBB: 102", "BBB: .nan", "credit_spreads_bps.BBB"},
		{"missing rating", "  BB: 185\n", "", "credit_spreads_bps.BB: missing"},
		{"unsorted curve", "[0.25, 0.5,  1,    2,    5,    10,   20,   30]\n    zero_rates_pct: [4.35", "[0.25, 0.5,  1,    2,    5,    10,   20,   20]\n    zero_rates_pct: [4.35", "curves.AUD"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bad := strings.Replace(good, c.from, c.to, 1)
			if bad == good {
				t.Fatalf("replacement %q not found", c.from)
			}
			_, err := ParseMarket("m.yaml", []byte(bad))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func FuzzParsePortfolio(f *testing.F) {
	f.Add(examples.Portfolio)
	files, _ := filepath.Glob("testdata/bad/*.yaml")
	for _, fn := range files {
		if b, err := os.ReadFile(fn); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePortfolio("fuzz.yaml", data)
		if err == nil {
			if verr := p.Validate(); verr != nil {
				t.Fatalf("parsed portfolio fails validation: %v", verr)
			}
		}
	})
}

func FuzzParseMarket(f *testing.F) {
	f.Add(examples.Market)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseMarket("fuzz.yaml", data)
		if err == nil {
			if verr := s.Validate(); verr != nil {
				t.Fatalf("parsed market fails validation: %v", verr)
			}
		}
	})
}
