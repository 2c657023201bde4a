package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/streams"
)

// ErrInput is matched (errors.Is) by every error about a malformed
// quote, file line or ingest message. Their text names the field and
// nothing else ("value: must be in (0, 5) (a fraction), got 9"), so that
// it reads well after a file:line or in an ingest reply; an invalid
// quote's error also matches streams.ErrQuote.
var ErrInput = errors.New("feed: bad input")

type inputError struct {
	msg  string
	wrap error
}

func (e *inputError) Error() string        { return e.msg }
func (e *inputError) Is(target error) bool { return target == ErrInput }
func (e *inputError) Unwrap() error        { return e.wrap }

func inputf(format string, a ...any) error {
	return &inputError{msg: fmt.Sprintf(format, a...)}
}

// invalid wraps a streams.ErrQuote error without repeating its prefix.
func invalid(err error) error {
	return &inputError{msg: strings.TrimPrefix(err.Error(), streams.ErrQuote.Error()+": "), wrap: err}
}

// at prefixes an input error with where it happened ("f.csv:3", "[2]"),
// keeping what it matches.
func at(where string, err error) error {
	var ie *inputError
	if errors.As(err, &ie) {
		return &inputError{msg: where + ": " + ie.msg, wrap: ie.wrap}
	}
	return fmt.Errorf("%s: %w", where, err)
}

// Limits of what DecodeQuotes accepts.
const (
	// MaxQuotes is the largest JSON array of quotes in one message.
	MaxQuotes = 1000
	// maxSource bounds Quote.Source.
	maxSource = 64
	// maxTenors bounds a curve quote.
	maxTenors = 100
)

var quoteFields = []string{"time", "kind", "key", "value", "tenors", "values", "source"}

// DecodeQuote decodes one quote in its JSON form,
//
//	{"time":"2025-01-02T15:00:00Z","kind":"fx.spot","key":"EUR","value":1.0321}
//
// and validates it; the error names the field. Unknown fields are
// errors (a misspelt "vlaue" must not pass as a quote of 0).
func DecodeQuote(data []byte) (streams.Quote, error) {
	var raw map[string]json.RawMessage
	if err := strictUnmarshal(data, &raw); err != nil {
		return streams.Quote{}, err
	}
	if raw == nil {
		return streams.Quote{}, inputf("want a JSON object, got null")
	}
	return quoteFrom(raw)
}

// DecodeQuotes decodes what an ingest message carries: one JSON quote or
// a JSON array of at most MaxQuotes of them, every one validated. An
// error about an array element starts with its index: "[3]: value: ...".
func DecodeQuotes(data []byte) ([]streams.Quote, error) {
	t := bytes.TrimLeft(data, " \t\r\n")
	if len(t) == 0 {
		return nil, inputf("empty message: want a JSON quote or an array of quotes")
	}
	if t[0] != '[' {
		q, err := DecodeQuote(data)
		if err != nil {
			return nil, err
		}
		return []streams.Quote{q}, nil
	}
	var elems []json.RawMessage
	if err := strictUnmarshal(data, &elems); err != nil {
		return nil, err
	}
	if len(elems) == 0 {
		return nil, inputf("empty array: want at least one quote")
	}
	if len(elems) > MaxQuotes {
		return nil, inputf("%d quotes in one message, more than %d", len(elems), MaxQuotes)
	}
	qs := make([]streams.Quote, len(elems))
	for i, e := range elems {
		q, err := DecodeQuote(e)
		if err != nil {
			return nil, at(fmt.Sprintf("[%d]", i), err)
		}
		qs[i] = q
	}
	return qs, nil
}

func strictUnmarshal(data []byte, v any) error {
	if !utf8.Valid(data) {
		return inputf("not UTF-8 text")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return inputf("not JSON: %s", jsonMessage(err))
	}
	if dec.More() {
		return inputf("not JSON: text after the value")
	}
	return nil
}

// jsonMessage turns encoding/json's errors into what a publisher can act
// on.
func jsonMessage(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("want %s, got a JSON %s", goKind(te.Type.Kind().String()), te.Value)
	}
	return err.Error()
}

func goKind(k string) string {
	switch k {
	case "map", "struct":
		return "an object"
	case "slice":
		return "an array"
	case "float64":
		return "a number"
	case "string":
		return "a string"
	}
	return k
}

func quoteFrom(raw map[string]json.RawMessage) (streams.Quote, error) {
	var q streams.Quote
	bad := func(field, format string, a ...any) error {
		return inputf("%s: %s", field, fmt.Sprintf(format, a...))
	}
	var unknown []string
	for k := range raw {
		if !isQuoteField(k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return q, bad(unknown[0], "unknown field (fields: %s)", strings.Join(quoteFields, ", "))
	}
	str := func(field string, max int) (string, error) {
		m, ok := raw[field]
		if !ok {
			return "", nil
		}
		var s string
		if err := json.Unmarshal(m, &s); err != nil {
			return "", bad(field, "want a string, got %s", abbrev(m))
		}
		if len(s) > max {
			return "", bad(field, "longer than %d bytes", max)
		}
		return s, nil
	}
	nums := func(field string) ([]float64, error) {
		m, ok := raw[field]
		if !ok {
			return nil, nil
		}
		var xs []float64
		if err := json.Unmarshal(m, &xs); err != nil {
			return nil, bad(field, "want an array of numbers, got %s", abbrev(m))
		}
		if len(xs) > maxTenors {
			return nil, bad(field, "%d numbers, more than %d", len(xs), maxTenors)
		}
		return xs, nil
	}
	ts, err := str("time", 64)
	if err != nil {
		return q, err
	}
	if ts == "" {
		return q, bad("time", "missing (RFC 3339, e.g. 2025-01-02T15:04:05Z)")
	}
	if q.Time, err = time.Parse(time.RFC3339Nano, ts); err != nil {
		return q, bad("time", "want RFC 3339 (2025-01-02T15:04:05Z), got %q", ts)
	}
	if q.Kind, err = str("kind", 64); err != nil {
		return q, err
	}
	if q.Key, err = str("key", 64); err != nil {
		return q, err
	}
	if q.Source, err = str("source", maxSource); err != nil {
		return q, err
	}
	if m, ok := raw["value"]; ok {
		if err := json.Unmarshal(m, &q.Value); err != nil {
			return q, bad("value", "want a number, got %s", abbrev(m))
		}
	}
	if q.Tenors, err = nums("tenors"); err != nil {
		return q, err
	}
	if q.Values, err = nums("values"); err != nil {
		return q, err
	}
	canonical(&q)
	if err := q.Validate(); err != nil {
		return q, invalid(err)
	}
	return q, nil
}

// canonical spells a quote's currency, rating or index key as the
// stream does (EUR, BBB, CDX_IG), whatever case it came in: the key is
// part of the subject and of the state key.
func canonical(q *streams.Quote) {
	switch q.Kind {
	case streams.KindFXSpot, streams.KindFXVol, streams.KindZero, streams.KindSwaptionVol:
		if c, err := market.ParseCcy(q.Key); err == nil {
			q.Key = c.String()
		}
	case streams.KindCreditSpread:
		if r, err := market.ParseRating(q.Key); err == nil {
			q.Key = r.String()
		}
	case streams.KindCreditIndex:
		if i, err := market.ParseIndex(q.Key); err == nil {
			q.Key = i.String()
		}
	}
}

func isQuoteField(k string) bool {
	for _, f := range quoteFields {
		if k == f {
			return true
		}
	}
	return false
}

// abbrev shows at most 40 bytes of a JSON value in an error.
func abbrev(m json.RawMessage) string {
	s := string(m)
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return s
}

// EncodeQuote is the JSON form of q that DecodeQuote reads: one line of a
// JSON Lines file, without the newline.
func EncodeQuote(q *streams.Quote) ([]byte, error) {
	return json.Marshal(q)
}
