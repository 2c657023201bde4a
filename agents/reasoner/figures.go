package reasoner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// figure is a number the reasoner may quote, with where it came from.
type figure struct {
	name string
	src  Source
}

// figureSet holds every number a rationale may use.
type figureSet struct {
	figs []figure
}

func (s *figureSet) add(name string, v float64, call int, from string) {
	if finite(v) {
		s.figs = append(s.figs, figure{name: name, src: Source{Value: v, Call: call, From: from}})
	}
}

// addTask adds the candidates' scores and figures and the numbers written
// in the task's role, instructions and labels, and the number of
// candidates.
func (s *figureSet) addTask(t Task) {
	s.add("task.candidates", float64(len(t.Candidates)), -1, "task")
	for _, c := range t.Candidates {
		from := "candidate " + c.ID
		s.add("candidate."+c.ID+".score", c.Score, -1, from)
		for _, f := range c.Figures {
			s.add("candidate."+c.ID+"."+f.Name, f.Value, -1, from)
		}
		for i, n := range extractNumbers(c.Label + " " + c.ID) {
			s.add(fmt.Sprintf("candidate.%s.label[%d]", c.ID, i), n.raw, -1, from)
		}
	}
	for i, n := range extractNumbers(t.Role + "\n" + t.Instructions) {
		s.add(fmt.Sprintf("task[%d]", i), n.raw, -1, "task")
		for _, v := range n.values[1:] {
			s.add(fmt.Sprintf("task[%d]", i), v, -1, "task")
		}
	}
}

// addJSON adds every number of a tool result (and the numbers written in
// its strings), named tool.path.
func (s *figureSet) addJSON(tool string, call int, raw json.RawMessage) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return
	}
	from := "tool " + tool
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case json.Number:
			if f, err := x.Float64(); err == nil {
				s.add(path, f, call, from)
			}
		case string:
			for i, n := range extractNumbers(x) {
				s.add(fmt.Sprintf("%s[%d]", path, i), n.raw, call, from)
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(path+"."+k, x[k])
			}
		}
	}
	walk(tool, v)
}

// match returns the figure closest to one of n's readings, if one is within
// tolerance: |v - f| <= max(rel |f|, half a unit of the last digit written).
func (s *figureSet) match(n number, rel float64) (figure, bool) {
	best, bestD, ok := figure{}, math.Inf(1), false
	for i, v := range n.values {
		v = math.Abs(v)
		tol := n.halfUnits[i]
		for _, f := range s.figs {
			fv := math.Abs(f.src.Value)
			d := math.Abs(v - fv)
			if d <= math.Max(rel*fv, tol) && d < bestD {
				best, bestD, ok = f, d, true
			}
		}
	}
	return best, ok
}

// number is a number found in text with its possible readings: as
// written, and converted by its unit (12.5% is also 0.125 and 1250 bp;
// 35 bp is also 0.0035 and 0.35%; $1.2bn is also 1.2e9).
type number struct {
	text      string
	raw       float64
	values    []float64
	halfUnits []float64 // half a unit of the last digit written, per reading
}

var numberRE = regexp.MustCompile(`(?i)(\$|usd ?|eur ?|gbp ?|€|£)?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(%|percent\b|bps\b|bp\b|basis points?\b|bn\b|billion\b|trn\b|tn\b|trillion\b|mn\b|mm\b|million\b|m\b|k\b|thousand\b|b\b))?`)

// extractNumbers finds the numbers of a text. Digits glued to a letter or
// an underscore before them (S40, CVaR95, x2) are part of a name and
// skipped; so are the digits of a decimal's fraction.
func extractNumbers(text string) []number {
	var out []number
	for _, m := range numberRE.FindAllStringSubmatchIndex(text, -1) {
		start := m[0]
		if m[2] < 0 && start > 0 {
			prev := text[start-1]
			if prev == '_' || prev == '.' || prev >= 'a' && prev <= 'z' || prev >= 'A' && prev <= 'Z' || prev >= '0' && prev <= '9' {
				continue
			}
		}
		intPart := strings.ReplaceAll(text[m[4]:m[5]], ",", "")
		frac := ""
		if m[6] >= 0 {
			frac = text[m[6]:m[7]]
		}
		raw, err := strconv.ParseFloat(intPart+frac, 64)
		if err != nil {
			continue
		}
		half := 0.5
		if len(frac) > 1 {
			half = 0.5 * math.Pow(10, -float64(len(frac)-1))
		}
		unit := ""
		if m[8] >= 0 {
			unit = strings.ToLower(text[m[8]:m[9]])
		}
		money := m[2] >= 0
		n := number{text: text[m[0]:m[1]], raw: raw}
		read := func(scale float64) {
			n.values = append(n.values, raw*scale)
			n.halfUnits = append(n.halfUnits, half*scale)
		}
		read(1)
		switch {
		case unit == "%" || unit == "percent":
			read(0.01)
			read(100)
		case strings.HasPrefix(unit, "bp") || strings.HasPrefix(unit, "basis"):
			read(1e-4)
			read(0.01)
		case unit == "bn" || unit == "billion" || (unit == "b" && money):
			read(1e9)
		case unit == "trn" || unit == "tn" || unit == "trillion":
			read(1e12)
		case unit == "mn" || unit == "mm" || unit == "million" || unit == "m":
			read(1e6)
		case unit == "k" || unit == "thousand":
			read(1e3)
		}
		out = append(out, n)
	}
	return out
}

// checkRationale returns the figures a text uses and the numbers it writes
// that match none.
func (s *figureSet) checkRationale(text string, rel float64) (used map[string]Source, invented []string) {
	used = map[string]Source{}
	for _, n := range extractNumbers(text) {
		f, ok := s.match(n, rel)
		if !ok {
			invented = append(invented, n.text)
			continue
		}
		used[f.name] = f.src
	}
	return used, invented
}
