package history_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/producers/history"
)

func date(s string) time.Time {
	d, err := history.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestReadFREDFormats(t *testing.T) {
	dir := t.TempDir()
	// The current download header, a BOM, CRLF, FRED's "." and an empty
	// value (both missing), a blank line.
	cur := "\xef\xbb\xbfobservation_date,DGS10\r\n2008-09-12,3.72\r\n2008-09-15,.\r\n2008-09-16,3.41\r\n\r\n2008-09-17,\r\n2008-09-18,3.53\r\n"
	// The older fredgraph header, named by the file.
	old := "DATE,VALUE\n2008-09-12,1.4172\n2008-09-15,1.4241\n"
	if err := os.WriteFile(filepath.Join(dir, "a.csv"), []byte(cur), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "DEXUSEU.csv"), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := history.ReadFRED(filepath.Join(dir, "a.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != "DGS10" || s.Len() != 3 {
		t.Fatalf("id %q, %d observations; want DGS10 and 3 (two missing skipped)", s.ID, s.Len())
	}
	if s.Values[1] != 3.41 || !s.Dates[2].Equal(date("2008-09-18")) {
		t.Errorf("got %v %v", s.Dates, s.Values)
	}
	all, err := history.LoadFRED(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all["DEXUSEU"].ID != "DEXUSEU" || all["a"].Len() != 3 {
		t.Errorf("LoadFRED: %v", all)
	}
	if _, err := history.LoadFRED(dir, "DEXUSEU", "DGS30"); err == nil || !strings.Contains(err.Error(), "DGS30.csv") {
		t.Errorf("a missing series file must be named: %v", err)
	}
}

func TestReadFREDErrorsNameFileLineField(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"empty", "", "bad.csv:1: header: empty file"},
		{"header columns", "DATE,VALUE,X\n", "bad.csv:1: header: want 2 columns"},
		{"header name", "day,value\n", "bad.csv:1: header: first column"},
		{"date", "DATE,VALUE\n2008-09-12,1\n12/09/2008,2\n", "bad.csv:3: date: want YYYY-MM-DD"},
		{"order", "DATE,VALUE\n2008-09-12,1\n2008-09-15,2\n2008-09-15,3\n", "bad.csv:4: date: 2008-09-15 is not after"},
		{"value", "DATE,VALUE\n2008-09-12,1\n\n2008-09-15,abc\n", "bad.csv:4: value: want a number"},
		{"nan", "DATE,VALUE\n2008-09-12,NaN\n", "bad.csv:2: value"},
		{"columns", "DATE,VALUE\n2008-09-12,1,2\n", "bad.csv:2: row: want 2 columns"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "bad.csv")
			if err := os.WriteFile(p, []byte(c.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := history.ReadFRED(p)
			if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, history.ErrFormat) {
				t.Fatalf("got %v, want an ErrFormat containing %q", err, c.want)
			}
		})
	}
}

func TestSeriesLookups(t *testing.T) {
	s, err := history.ParseFRED("s.csv", "X", strings.NewReader("DATE,VALUE\n2024-12-20,1\n2024-12-23,2\n2024-12-24,3\n2024-12-26,4\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		at   string
		want float64
		ok   bool
	}{{"2024-12-19", 0, false}, {"2024-12-20", 1, true}, {"2024-12-22", 1, true}, {"2024-12-25", 3, true}, {"2025-03-01", 4, true}} {
		v, ok := s.At(date(c.at))
		if v != c.want || ok != c.ok {
			t.Errorf("At(%s) = %v %v, want %v %v", c.at, v, ok, c.want, c.ok)
		}
	}
	// A time of day counts as its date.
	if v, _ := s.At(date("2024-12-24").Add(21 * time.Hour)); v != 3 {
		t.Errorf("At(2024-12-24 21:00) = %v, want 3", v)
	}
	if _, ok := s.On(date("2024-12-25")); ok {
		t.Error("On(Christmas): no observation")
	}
	if v, ok := s.On(date("2024-12-26").Add(9 * time.Hour)); !ok || v != 4 {
		t.Errorf("On(2024-12-26 09:00) = %v %v", v, ok)
	}
	if _, ok := s.Within(date("2025-01-02"), 7*24*time.Hour); !ok {
		t.Error("7 days after 2024-12-26: carried")
	}
	if _, ok := s.Within(date("2025-01-03"), 7*24*time.Hour); ok {
		t.Error("8 days old is stale for a 7-day limit")
	}
	b := s.Between(date("2024-12-21"), date("2024-12-24"))
	if b.Len() != 2 || b.Values[0] != 2 || b.Values[1] != 3 {
		t.Errorf("Between: %v", b.Values)
	}
	if b := s.Between(date("2025-01-01"), date("2025-01-02")); b.Len() != 0 {
		t.Errorf("Between after the end: %v", b.Values)
	}
}

func FuzzParseFRED(f *testing.F) {
	f.Add("DATE,VALUE\n2008-09-12,1.4\n2008-09-15,.\n")
	f.Add("observation_date,DGS10\n2024-12-31,4.58\n")
	f.Fuzz(func(t *testing.T, text string) {
		s, err := history.ParseFRED("f.csv", "F", strings.NewReader(text))
		if err != nil {
			if !errors.Is(err, history.ErrFormat) {
				t.Fatalf("error without ErrFormat: %v", err)
			}
			return
		}
		for i := 1; i < s.Len(); i++ {
			if !s.Dates[i].After(s.Dates[i-1]) {
				t.Fatalf("dates not increasing: %v", s.Dates)
			}
		}
	})
}
