package feed_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/hedgeflow/hedgeflow/producers/feed"
	"github.com/hedgeflow/hedgeflow/streams"
)

func TestDecodeQuotes(t *testing.T) {
	qs, err := feed.DecodeQuotes([]byte(`{"time":"2025-01-02T15:00:00Z","kind":"fx.vol","key":"EUR","value":0.09}`))
	if err != nil || len(qs) != 1 || qs[0].Value != 0.09 || qs[0].Subject() != "market.fx.vol.EUR" {
		t.Fatalf("%v %+v", err, qs)
	}
	qs, err = feed.DecodeQuotes([]byte(` [{"time":"2025-01-02T15:00:00Z","kind":"rates.zero","key":"USD","tenors":[2,10],"values":[4.25,4.55],"source":"desk"},
		{"time":"2025-01-02T15:00:00.5+01:00","kind":"credit.spread","key":"AAA","value":0}]`))
	if err != nil || len(qs) != 2 || qs[0].Values[1] != 4.55 || qs[0].Source != "desk" || qs[1].Time.UTC().Hour() != 14 {
		t.Fatalf("%v %+v", err, qs)
	}
	// Keys in any case land on the canonical subject.
	for in, want := range map[string]string{
		`{"time":"2025-01-02T15:00:00Z","kind":"fx.spot","key":"eur","value":1.03}`:       "market.fx.spot.EUR",
		`{"time":"2025-01-02T15:00:00Z","kind":"credit.spread","key":"bbb","value":104}`:  "market.credit.spread.BBB",
		`{"time":"2025-01-02T15:00:00Z","kind":"credit.index","key":"cdx_ig","value":55}`: "market.credit.index.CDX_IG",
		`{"time":"2025-01-02T15:00:00Z","kind":"equity.level","key":"spx","value":5000}`:  "market.equity.level.spx",
	} {
		q, err := feed.DecodeQuote([]byte(in))
		if err != nil || q.Subject() != want {
			t.Errorf("%s: %s %v, want %s", in, q.Subject(), err, want)
		}
	}
}

func TestDecodeErrorsNameTheField(t *testing.T) {
	big := "[" + strings.Repeat(`{"time":"2025-01-02T15:00:00Z","kind":"fx.vol","key":"EUR","value":0.09},`, feed.MaxQuotes) + `{"time":"2025-01-02T15:00:00Z","kind":"fx.vol","key":"EUR","value":0.09}]`
	for _, c := range []struct{ in, want string }{
		{``, "empty message"},
		{`null`, "want a JSON object"},
		{`[]`, "empty array"},
		{`{"time":`, "not JSON"},
		{`{} {}`, "text after the value"},
		{"\xff", "not UTF-8"},
		{`"EUR"`, "not JSON: want an object, got a JSON string"},
		{`{"time":"2025-01-02T15:00:00Z","kind":"fx.vol","key":"EUR","vlaue":0.09}`, "vlaue: unknown field"},
		{`{"kind":"fx.vol","key":"EUR","value":0.09}`, "time: missing"},
		{`{"time":"02/01/2025","kind":"fx.vol","key":"EUR","value":0.09}`, "time: want RFC 3339"},
		{`{"time":12,"kind":"fx.vol","key":"EUR","value":0.09}`, "time: want a string, got 12"},
		{`{"time":"2025-01-02T15:00:00Z","kind":"fx.vol","key":"EUR","value":"0.09"}`, `value: want a number, got "0.09"`},
		{`{"time":"2025-01-02T15:00:00Z","kind":"fx.vol","key":"EUR","value":9}`, "value: must be in (0, 5)"},
		{`{"time":"2025-01-02T15:00:00Z","kind":"fx.vols","key":"EUR","value":0.09}`, `kind: unknown "fx.vols"`},
		{`{"time":"2025-01-02T15:00:00Z","kind":"fx.vol","key":"XXX","value":0.09}`, `key: unknown currency "XXX"`},
		{`{"time":"2025-01-02T15:00:00Z","kind":"rates.zero","key":"USD","tenors":[2,10],"values":[4.25]}`, "tenors: need as many tenors as values"},
		{`{"time":"2025-01-02T15:00:00Z","kind":"rates.zero","key":"USD","tenors":[10,2],"values":[4.25,4]}`, "tenors[1]: must increase"},
		{`{"time":"2025-01-02T15:00:00Z","kind":"rates.zero","key":"USD","tenors":"2","values":[4.25]}`, `tenors: want an array of numbers, got "2"`},
		{`{"time":"2025-01-02T15:00:00Z","kind":"fx.vol","key":"EUR","value":0.09,"source":"` + strings.Repeat("x", 65) + `"}`, "source: longer than 64"},
		{`[{"time":"2025-01-02T15:00:00Z","kind":"fx.vol","key":"EUR","value":0.09},{"time":"2025-01-02T15:00:00Z","kind":"fx.spot","key":"EUR","value":-1}]`, "[1]: value: must be in (0, 1e+06)"},
		{big, "1001 quotes in one message, more than 1000"},
	} {
		_, err := feed.DecodeQuotes([]byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, feed.ErrInput) {
			t.Errorf("%.60q: got %v, want an ErrInput containing %q", c.in, err, c.want)
		}
	}
	_, err := feed.DecodeQuote([]byte(`{"time":"2025-01-02T15:00:00Z","kind":"fx.vol","key":"EUR","value":9}`))
	if !errors.Is(err, streams.ErrQuote) {
		t.Errorf("an invalid quote's error matches streams.ErrQuote: %v", err)
	}
}

// The ingest decoder reads what the network sends: it must never panic,
// and what it accepts must be valid quotes.
func FuzzDecodeQuotes(f *testing.F) {
	f.Add([]byte(`{"time":"2025-01-02T15:00:00Z","kind":"fx.vol","key":"EUR","value":0.09}`))
	f.Add([]byte(`[{"time":"2025-01-02T15:00:00Z","kind":"rates.zero","key":"USD","tenors":[2,10],"values":[4.25,4.55]}]`))
	f.Add([]byte(`{"time":"2025-01-02T15:00:00Z","kind":"equity.level","key":"SPX","value":5881.63,"source":"x"}`))
	f.Add([]byte(`[{"time":"1e9"},null,[],{}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		qs, err := feed.DecodeQuotes(data)
		if err != nil {
			if !errors.Is(err, feed.ErrInput) {
				t.Fatalf("error without ErrInput: %v", err)
			}
			return
		}
		if len(qs) == 0 || len(qs) > feed.MaxQuotes {
			t.Fatalf("%d quotes accepted", len(qs))
		}
		for i := range qs {
			if err := qs[i].Validate(); err != nil {
				t.Fatalf("accepted an invalid quote: %v", err)
			}
			// And its JSON form reads back to the same quote.
			b, err := feed.EncodeQuote(&qs[i])
			if err != nil {
				t.Fatal(err)
			}
			back, err := feed.DecodeQuote(b)
			if err != nil || !back.Time.Equal(qs[i].Time) || back.Value != qs[i].Value || back.Subject() != qs[i].Subject() {
				t.Fatalf("round trip of %s: %v", b, err)
			}
		}
	})
}
