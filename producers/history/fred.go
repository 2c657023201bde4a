package history

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ErrFormat is wrapped by every error about a malformed series file.
var ErrFormat = errors.New("history: malformed series")

// Series is one daily time series: strictly increasing dates (UTC
// midnight) and their values, in the units of the source (percent for
// FRED yields and spreads, index points, quoted FX).
type Series struct {
	ID     string
	Dates  []time.Time
	Values []float64
}

// Len is the number of observations.
func (s *Series) Len() int { return len(s.Dates) }

// Start and End are the first and last observation dates (zero for an
// empty series).
func (s *Series) Start() time.Time {
	if len(s.Dates) == 0 {
		return time.Time{}
	}
	return s.Dates[0]
}

// End is the last observation date.
func (s *Series) End() time.Time {
	if len(s.Dates) == 0 {
		return time.Time{}
	}
	return s.Dates[len(s.Dates)-1]
}

// index returns the index of the last observation on or before d, or -1.
func (s *Series) index(d time.Time) int {
	return sort.Search(len(s.Dates), func(i int) bool { return s.Dates[i].After(d) }) - 1
}

// At returns the last value on or before d (a time of day in d counts:
// the observation dated d is on or before d at 21:00).
func (s *Series) At(d time.Time) (float64, bool) {
	i := s.index(d)
	if i < 0 {
		return 0, false
	}
	return s.Values[i], true
}

// Within returns the last value on or before d if it is at most maxAge
// older than d: how a daily series is carried over holidays without
// carrying a discontinued series forever.
func (s *Series) Within(d time.Time, maxAge time.Duration) (float64, bool) {
	i := s.index(d)
	if i < 0 || d.Sub(s.Dates[i]) > maxAge {
		return 0, false
	}
	return s.Values[i], true
}

// On returns the value observed on d's calendar date (UTC), if any.
func (s *Series) On(d time.Time) (float64, bool) {
	day := Date(d)
	i := s.index(day)
	if i < 0 || !s.Dates[i].Equal(day) {
		return 0, false
	}
	return s.Values[i], true
}

// Between returns the observations with from <= date <= to, sharing
// storage with s.
func (s *Series) Between(from, to time.Time) *Series {
	lo := sort.Search(len(s.Dates), func(i int) bool { return !s.Dates[i].Before(from) })
	hi := s.index(to) + 1
	if hi < lo {
		hi = lo
	}
	return &Series{ID: s.ID, Dates: s.Dates[lo:hi], Values: s.Values[lo:hi]}
}

// Date truncates t to its UTC calendar date.
func Date(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDate reads an ISO date (2006-01-02) as UTC midnight.
func ParseDate(s string) (time.Time, error) {
	return time.Parse(time.DateOnly, s)
}

// ReadFRED reads a series in FRED's download format: a header line
// "DATE,VALUE" (older fredgraph downloads; any case) or
// "observation_date,<ID>" (current downloads), then "YYYY-MM-DD,value"
// lines in increasing date order. A value "." or empty is a missing
// observation and is skipped. The ID is the header's second column unless
// it is VALUE, else the file name without extension. Errors read
// "file:line: field: message".
func ReadFRED(path string) (*Series, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	defer f.Close()
	id := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	return ParseFRED(path, id, f)
}

// ParseFRED reads FRED-format CSV from r; file names it in errors and id
// is used when the header does not name the series.
func ParseFRED(file, id string, r io.Reader) (*Series, error) {
	bad := func(line int, field, format string, a ...any) error {
		return fmt.Errorf("%w: %s:%d: %s: %s", ErrFormat, file, line, field, fmt.Sprintf(format, a...))
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	s := &Series{ID: id}
	line, header := 0, false
	for sc.Scan() {
		line++
		text := strings.TrimSpace(string(bytes.TrimPrefix(sc.Bytes(), []byte("\xef\xbb\xbf"))))
		if text == "" {
			continue
		}
		cols := strings.Split(text, ",")
		for i := range cols {
			cols[i] = strings.Trim(strings.TrimSpace(cols[i]), `"`)
		}
		if !header {
			if len(cols) != 2 {
				return nil, bad(line, "header", "want 2 columns (DATE,VALUE or observation_date,<ID>), got %d: %q", len(cols), text)
			}
			if d := strings.ToLower(cols[0]); d != "date" && d != "observation_date" {
				return nil, bad(line, "header", "first column must be DATE or observation_date, got %q", cols[0])
			}
			if cols[1] == "" {
				return nil, bad(line, "header", "second column names no series")
			}
			if !strings.EqualFold(cols[1], "value") {
				s.ID = cols[1]
			}
			header = true
			continue
		}
		if len(cols) != 2 {
			return nil, bad(line, "row", "want 2 columns (date,value), got %d: %q", len(cols), text)
		}
		d, err := ParseDate(cols[0])
		if err != nil {
			return nil, bad(line, "date", "want YYYY-MM-DD, got %q", cols[0])
		}
		if n := len(s.Dates); n > 0 && !d.After(s.Dates[n-1]) {
			return nil, bad(line, "date", "%s is not after the previous date %s (dates must increase)", cols[0], s.Dates[n-1].Format(time.DateOnly))
		}
		if cols[1] == "" || cols[1] == "." {
			continue // FRED's missing observation
		}
		v, err := strconv.ParseFloat(cols[1], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, bad(line, "value", "want a number, '.' or empty, got %q", cols[1])
		}
		s.Dates = append(s.Dates, d)
		s.Values = append(s.Values, v)
	}
	if err := sc.Err(); err != nil {
		return nil, bad(line+1, "row", "%v", err)
	}
	if !header {
		return nil, bad(1, "header", "empty file")
	}
	return s, nil
}

// LoadFRED reads the series ids from dir, one file <id>.csv each (an
// error names a missing one), or every *.csv in dir when no id is given.
// The map is keyed by the file name's id, whatever the header says.
func LoadFRED(dir string, ids ...string) (map[string]*Series, error) {
	if len(ids) == 0 {
		paths, err := filepath.Glob(filepath.Join(dir, "*.csv"))
		if err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		if len(paths) == 0 {
			return nil, fmt.Errorf("history: %s: no *.csv series files", dir)
		}
		for _, p := range paths {
			ids = append(ids, strings.TrimSuffix(filepath.Base(p), ".csv"))
		}
	}
	out := make(map[string]*Series, len(ids))
	for _, id := range ids {
		s, err := ReadFRED(filepath.Join(dir, id+".csv"))
		if err != nil {
			return nil, err
		}
		s.ID = id
		out[id] = s
	}
	return out, nil
}
