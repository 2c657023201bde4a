package feed_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hedgeflow/hedgeflow/producers/feed"
	"github.com/hedgeflow/hedgeflow/streams"
)

func TestReadJSONLKeepsGoodLines(t *testing.T) {
	text := `{"time":"2025-01-02T15:00:00Z","kind":"fx.spot","key":"EUR","value":1.0321}

{"time":"2025-01-02T15:00:00Z","kind":"fx.spot","key":"EUR","value":-1}
{"time":"2025-01-02T15:00:00Z","kind":"fx.vol","key":"GBP","value":0.09}
not json
{"time":"2025-01-02T15:00:00Z","kind":"equity.level","key":"SPX","value":5881.63,"extra":1}
{"time":"2025-01-02T15:01:00Z","kind":"credit.spread","key":"BBB","value":104}`
	got, err := feed.ReadJSONL("q.jsonl", strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if got.Read != 6 || len(got.Quotes) != 3 || len(got.Errors) != 3 {
		t.Fatalf("read %d, %d quotes, errors %v", got.Read, len(got.Quotes), got.Errors)
	}
	for i, want := range []string{"q.jsonl:3: value: must be in (0, 1e+06) USD per unit, got -1", "q.jsonl:5: not JSON", "q.jsonl:6: extra: unknown field"} {
		if !strings.HasPrefix(got.Errors[i].Error(), want) {
			t.Errorf("error %d: %v, want %q...", i, got.Errors[i], want)
		}
	}
	if got.Quotes[2].Key != "BBB" || got.Quotes[2].Value != 104 {
		t.Errorf("last quote %+v", got.Quotes[2])
	}
}

func TestReadJSONLLongLine(t *testing.T) {
	text := `{"time":"2025-01-02T15:00:00Z","kind":"fx.spot","key":"EUR","value":1.0321}` + "\n" + strings.Repeat("x", 2<<20) + "\n" +
		`{"time":"2025-01-02T15:00:00Z","kind":"fx.spot","key":"GBP","value":1.25}`
	got, err := feed.ReadJSONL("q.jsonl", strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Quotes) != 2 || len(got.Errors) != 1 || !strings.Contains(got.Errors[0].Error(), "q.jsonl:2: line: longer than") {
		t.Fatalf("%d quotes, errors %v", len(got.Quotes), got.Errors)
	}
}

func TestReadCSV(t *testing.T) {
	text := `# desk quotes
time,kind,key,value,tenor
2025-01-02T15:00:00Z,fx.spot,EUR,1.0321,
2025-01-02T15:00:00Z,rates.zero,USD,4.55,10
2025-01-02T15:00:00Z,rates.zero,USD,4.25,2
2025-01-02T15:00:00Z,credit.spread,BBB,104,
2025-01-02T15:00:00Z,rates.zero,USD,4.60,30
2025-01-02,fx.vol,EUR,0.081,
2025-01-02T15:00:00Z,rates.zero,USD,4.30,2
2025-01-02T15:00:00Z,rates.zero,EUR,2.3,
2025-01-02T15:00:00Z,fx.vol,EUR,0.081,1
2025-01-02T15:00:00Z,fx.vol,EUR,abc,
2025-01-02T15:00:00Z,rates.zero,GBP,4.5,-1
2025-01-02T15:00:00Z,fx.vol,EUR
`
	got, err := feed.ReadCSV("q.csv", strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"q.csv:9: tenor: 2 years of USD at this time already on line 5",
		`q.csv:10: tenor: a rates.zero row needs the tenor in years, got ""`,
		`q.csv:11: tenor: only rates.zero rows have a tenor, this is "fx.vol"`,
		`q.csv:12: value: want a number, got "abc"`,
		"q.csv:13: tenor: must be in (0, 100] years, got -1",
		"q.csv:14: row: 3 columns, the header has 5",
	}
	if len(got.Errors) != len(want) {
		t.Fatalf("errors %v", got.Errors)
	}
	for i, w := range want {
		if got.Errors[i].Error() != w {
			t.Errorf("error %d: %q, want %q", i, got.Errors[i], w)
		}
	}
	if got.Read != 12 || len(got.Quotes) != 4 {
		t.Fatalf("read %d, quotes %+v", got.Read, got.Quotes)
	}
	c := got.Quotes[1]
	if c.Kind != streams.KindZero || len(c.Tenors) != 3 || c.Tenors[0] != 2 || c.Values[0] != 4.25 || c.Tenors[2] != 30 {
		t.Errorf("the USD curve of three rows, sorted by tenor: %+v", c)
	}
	if d := got.Quotes[3]; d.Kind != streams.KindFXVol || d.Time.Hour() != 0 || d.Time.Day() != 2 {
		t.Errorf("a date-only time: %+v", d)
	}
	for _, bad := range []struct{ text, want string }{
		{"", "q.csv:1: header: empty file"},
		{"time,kind,key\n", `q.csv:1: header: column "value" missing`},
		{"time,kind,key,value,rate\n", `q.csv:1: header: unknown column "rate"`},
	} {
		if _, err := feed.ReadCSV("q.csv", strings.NewReader(bad.text)); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: %v, want %q", bad.text, err, bad.want)
		}
	}
}

func TestReadFileByExtensionAndWriteJSONL(t *testing.T) {
	dir := t.TempDir()
	qs := streamsOf(t)
	var buf bytes.Buffer
	if err := feed.WriteJSONL(&buf, qs); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "q.jsonl")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := feed.ReadFile(p)
	if err != nil || len(got.Errors) != 0 || len(got.Quotes) != len(qs) {
		t.Fatalf("%v %v", err, got)
	}
	sameQuotes(t, got.Quotes, qs)
	if _, err := feed.ReadFile(filepath.Join(dir, "q.xlsx")); err == nil {
		t.Error("a missing file")
	}
	p = filepath.Join(dir, "q.txt")
	os.WriteFile(p, nil, 0o644)
	if _, err := feed.ReadFile(p); err == nil || !strings.Contains(err.Error(), "unknown quote file type") {
		t.Errorf("unknown extension: %v", err)
	}
}
