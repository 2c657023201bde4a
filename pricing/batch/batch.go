package batch

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// pricer decodes one request (the whole JSON object) and returns the result
// object to encode.
type pricer func(raw []byte) (any, error)

// kinds maps a request's "kind" to its pricer. Each instrument family
// registers its kinds in its own file of this package.
var kinds = map[string]pricer{}

func register(kind string, p pricer) {
	if _, dup := kinds[kind]; dup {
		panic("batch: kind registered twice: " + kind)
	}
	kinds[kind] = p
}

// Kinds lists the request kinds this package prices, sorted.
func Kinds() []string {
	out := make([]string, 0, len(kinds))
	for k := range kinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Price prices one request line and returns the JSON result line (without a
// trailing newline) and whether it succeeded. It never panics on any input.
func Price(line []byte) (out []byte, ok bool) {
	res, err := price(line)
	if err != nil {
		b, _ := json.Marshal(map[string]string{"error": err.Error()})
		return b, false
	}
	b, err := json.Marshal(res)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"error": "encoding result: " + err.Error()})
		return b, false
	}
	return b, true
}

func price(line []byte) (res any, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("internal error: %v", r)
		}
	}()
	var head struct {
		Kind *string `json:"kind"`
	}
	if err := json.Unmarshal(line, &head); err != nil {
		return nil, fmt.Errorf("invalid JSON: %v", err)
	}
	if head.Kind == nil {
		return nil, fmt.Errorf("kind: missing (one of %s)", strings.Join(Kinds(), ", "))
	}
	p, ok := kinds[*head.Kind]
	if !ok {
		return nil, fmt.Errorf("kind: unknown %q (one of %s)", *head.Kind, strings.Join(Kinds(), ", "))
	}
	return p(line)
}
