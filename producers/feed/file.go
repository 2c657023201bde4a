package feed

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hedgeflow/hedgeflow/streams"
)

// maxLine bounds one line of a quote file.
const maxLine = 1 << 20

// Lines is what a quote file holds: the quotes of its good lines in file
// order, and an error per bad line ("file:line: field: message"); a bad
// line does not stop the others.
type Lines struct {
	Quotes []streams.Quote
	Errors []error
	// Read counts the data lines (not blank, not comments, not the CSV
	// header).
	Read int
}

// ReadFile reads a quote file by its extension: .jsonl, .ndjson or .json
// as JSON Lines, .csv as CSV. The error is for a file that cannot be read
// at all; bad lines are in Lines.Errors.
func ReadFile(path string) (*Lines, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("feed: %w", err)
	}
	defer f.Close()
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".ndjson", ".json":
		return ReadJSONL(path, f)
	case ".csv":
		return ReadCSV(path, f)
	}
	return nil, fmt.Errorf("feed: %s: unknown quote file type %q (want .jsonl or .csv)", path, filepath.Ext(path))
}

// ReadJSONL reads JSON Lines: one quote per line in the JSON form of
// streams.Quote (DecodeQuote); blank lines are skipped. name is used in
// errors.
func ReadJSONL(name string, r io.Reader) (*Lines, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	out := &Lines{}
	for line := 1; ; line++ {
		text, err := readLine(br)
		if err == io.EOF && text == nil {
			return out, nil
		}
		if errors.Is(err, errLong) {
			out.Read++
			out.Errors = append(out.Errors, at(fmt.Sprintf("%s:%d", name, line), inputf("line: longer than %d bytes", maxLine)))
			continue
		}
		if err != nil && err != io.EOF {
			return out, fmt.Errorf("feed: %s:%d: %w", name, line, err)
		}
		text = bytes.TrimSpace(text)
		if len(text) > 0 {
			out.Read++
			q, qerr := DecodeQuote(text)
			if qerr != nil {
				out.Errors = append(out.Errors, at(fmt.Sprintf("%s:%d", name, line), qerr))
			} else {
				out.Quotes = append(out.Quotes, q)
			}
		}
		if err == io.EOF {
			return out, nil
		}
	}
}

var errLong = errors.New("line too long")

// readLine returns the next line without its newline; a line longer than
// maxLine is consumed and reported as errLong.
func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) > maxLine {
			for err == bufio.ErrBufferFull {
				_, err = br.ReadSlice('\n')
			}
			if err != nil && err != io.EOF {
				return nil, err
			}
			return nil, errLong
		}
		buf = append(buf, chunk...)
		switch err {
		case bufio.ErrBufferFull:
			continue
		case nil:
			return buf[:len(buf)-1], nil
		case io.EOF:
			if len(buf) == 0 {
				return nil, io.EOF
			}
			return buf, io.EOF
		default:
			return nil, err
		}
	}
}

// CSV columns: time, kind, key and value are required, tenor and source
// optional, in any order.
var csvColumns = []string{"time", "kind", "key", "value", "tenor", "source"}

// ReadCSV reads a CSV quote file. The header names the columns: time,
// kind, key, value (required), tenor and source (optional), in any
// order. time is RFC 3339 or a date (YYYY-MM-DD, midnight UTC); value is
// in the unit of the kind (docs/market-data.md). A rates.zero row is one
// point of a curve: tenor in years, value the zero rate in percent; the
// rows of one currency and time make one curve quote, placed where its
// first row is. Other kinds leave tenor empty. Lines starting with # are
// comments.
func ReadCSV(name string, r io.Reader) (*Lines, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	out := &Lines{}
	head, err := cr.Read()
	if err == io.EOF {
		return nil, at(name+":1", inputf("header: empty file (want time,kind,key,value[,tenor][,source])"))
	}
	if err != nil {
		return nil, at(name, inputf("header: %v", err))
	}
	hline := 1
	if len(head) > 0 {
		hline, _ = cr.FieldPos(0)
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !contains(csvColumns, h) {
			return nil, at(fmt.Sprintf("%s:%d", name, hline), inputf("header: unknown column %q (columns: %s)", h, strings.Join(csvColumns, ", ")))
		}
		if _, dup := col[h]; dup {
			return nil, at(fmt.Sprintf("%s:%d", name, hline), inputf("header: column %q twice", h))
		}
		col[h] = i
	}
	for _, c := range csvColumns[:4] {
		if _, ok := col[c]; !ok {
			return nil, at(fmt.Sprintf("%s:%d", name, hline), inputf("header: column %q missing (want time,kind,key,value[,tenor][,source])", c))
		}
	}
	// Curve points group by currency and time into one quote.
	type group struct {
		index  int // in out.Quotes
		tenors map[float64]int
	}
	groups := map[string]*group{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && (pe.Err == csv.ErrQuote || pe.Err == csv.ErrBareQuote) {
				out.Read++
				out.Errors = append(out.Errors, at(fmt.Sprintf("%s:%d", name, pe.Line), inputf("row: %v", pe.Err)))
				continue
			}
			return out, fmt.Errorf("feed: %s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		where := fmt.Sprintf("%s:%d", name, line)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		out.Read++
		if len(rec) != len(head) {
			out.Errors = append(out.Errors, at(where, inputf("row: %d columns, the header has %d", len(rec), len(head))))
			continue
		}
		get := func(c string) string {
			if i, ok := col[c]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		q, tenor, err := csvQuote(get)
		if err != nil {
			out.Errors = append(out.Errors, at(where, err))
			continue
		}
		if q.Kind != streams.KindZero {
			out.Quotes = append(out.Quotes, q)
			continue
		}
		k := q.Key + "@" + q.Time.UTC().Format(time.RFC3339Nano)
		g := groups[k]
		if g == nil {
			g = &group{index: len(out.Quotes), tenors: map[float64]int{}}
			groups[k] = g
			out.Quotes = append(out.Quotes, streams.Quote{Time: q.Time, Kind: q.Kind, Key: q.Key, Source: q.Source})
		}
		if first, dup := g.tenors[tenor]; dup {
			out.Errors = append(out.Errors, at(where, inputf("tenor: %v years of %s at this time already on line %d", tenor, q.Key, first)))
			continue
		}
		g.tenors[tenor] = line
		cq := &out.Quotes[g.index]
		cq.Tenors = append(cq.Tenors, tenor)
		cq.Values = append(cq.Values, q.Values[0])
	}
	// Curve points sorted by tenor; a group whose rows all failed is
	// dropped.
	kept := out.Quotes[:0]
	for _, q := range out.Quotes {
		if q.Kind == streams.KindZero {
			if len(q.Tenors) == 0 {
				continue
			}
			idx := make([]int, len(q.Tenors))
			for i := range idx {
				idx[i] = i
			}
			sort.Slice(idx, func(a, b int) bool { return q.Tenors[idx[a]] < q.Tenors[idx[b]] })
			ts, vs := make([]float64, len(idx)), make([]float64, len(idx))
			for i, j := range idx {
				ts[i], vs[i] = q.Tenors[j], q.Values[j]
			}
			q.Tenors, q.Values = ts, vs
		}
		kept = append(kept, q)
	}
	out.Quotes = kept
	return out, nil
}

// csvQuote builds and validates the quote of one CSV row; a rates.zero
// row is validated as a one-point curve and its tenor returned.
func csvQuote(get func(string) string) (streams.Quote, float64, error) {
	var q streams.Quote
	ts := get("time")
	t, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		if t, err = time.Parse(time.DateOnly, ts); err != nil {
			return q, 0, inputf("time: want RFC 3339 (2025-01-02T15:04:05Z) or a date (2025-01-02), got %q", ts)
		}
	}
	q.Time, q.Kind, q.Key, q.Source = t, get("kind"), get("key"), get("source")
	if len(q.Source) > maxSource {
		return q, 0, inputf("source: longer than %d bytes", maxSource)
	}
	vs := get("value")
	v, err := strconv.ParseFloat(vs, 64)
	if err != nil {
		return q, 0, inputf("value: want a number, got %q", vs)
	}
	tn := get("tenor")
	if q.Kind != streams.KindZero {
		if tn != "" {
			return q, 0, inputf("tenor: only rates.zero rows have a tenor, this is %q", q.Kind)
		}
		q.Value = v
		canonical(&q)
		if err := q.Validate(); err != nil {
			return q, 0, invalid(err)
		}
		return q, 0, nil
	}
	tenor, err := strconv.ParseFloat(tn, 64)
	if err != nil {
		return q, 0, inputf("tenor: a rates.zero row needs the tenor in years, got %q", tn)
	}
	q.Tenors, q.Values = []float64{tenor}, []float64{v}
	canonical(&q)
	if err := q.Validate(); err != nil {
		// One point: name the CSV columns, not the quote's arrays.
		msg := strings.TrimPrefix(err.Error(), streams.ErrQuote.Error()+": ")
		msg = strings.Replace(strings.Replace(msg, "tenors[0]", "tenor", 1), "values[0]", "value", 1)
		return q, 0, &inputError{msg: msg, wrap: err}
	}
	return q, tenor, nil
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

// WriteJSONL writes quotes as JSON Lines (the form ReadJSONL and the
// recorder use).
func WriteJSONL(w io.Writer, qs []streams.Quote) error {
	bw := bufio.NewWriter(w)
	for i := range qs {
		b, err := EncodeQuote(&qs[i])
		if err != nil {
			return fmt.Errorf("feed: %s: %w", qs[i].Subject(), err)
		}
		bw.Write(b)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
