package report_test

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hedgeflow/hedgeflow/report"
)

var snakeRE = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// keys walks decoded JSON and calls f with the path and name of every
// object key.
func keys(v any, path string, f func(path, key string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			f(path, k)
			keys(e, path+"."+k, f)
		}
	case []any:
		for _, e := range x {
			keys(e, path+"[]", f)
		}
	}
}

// report.json's execution_plan used Go field names ("Instrument",
// "NotionalUSD"); like the rest of report.json its keys are snake_case, and
// a report decoded from report.json renders the same execution section as
// the run's own.
func TestExecutionPlanSnakeCase(t *testing.T) {
	r := small(t)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	plan, ok := doc["execution_plan"].(map[string]any)
	if !ok {
		t.Fatalf("execution_plan is %T, want an object", doc["execution_plan"])
	}
	keys(plan, "execution_plan", func(path, k string) {
		if !snakeRE.MatchString(k) {
			t.Errorf("%s: key %q is not snake_case", path, k)
		}
	})
	for _, k := range []string{"approach", "rows", "by_instrument", "total", "roadmap"} {
		if _, ok := plan[k]; !ok {
			t.Errorf("execution_plan lacks %q", k)
		}
	}
	rows, _ := plan["rows"].([]any)
	if len(rows) == 0 {
		t.Fatal("execution_plan has no rows")
	}
	row, _ := rows[0].(map[string]any)
	for _, k := range []string{"day", "instrument", "kind", "notional_usd", "participation", "impact_bps", "cost_usd", "cost_bps"} {
		if _, ok := row[k]; !ok {
			t.Errorf("execution_plan.rows[0] lacks %q: %v", k, row)
		}
	}

	var decoded report.Report
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	want, got := section(t, page(t, r), "execution"), section(t, page(t, &decoded), "execution")
	if !strings.Contains(want, "<tbody>") {
		t.Fatalf("the run's execution section has no table:\n%s", want)
	}
	if got != want {
		t.Errorf("execution section from report.json differs from the run's:\n%s\nwant:\n%s", got, want)
	}
}

// section returns the <section id="id"> of an HTML page.
func section(t *testing.T, page []byte, id string) string {
	t.Helper()
	s := string(page)
	i := strings.Index(s, `<section id="`+id+`">`)
	if i < 0 {
		t.Fatalf("page has no section %q", id)
	}
	j := strings.Index(s[i:], "</section>")
	if j < 0 {
		t.Fatalf("section %q is not closed", id)
	}
	return s[i : i+j]
}

// Only the recommended programme is carried on the weekly paths: its
// max_drawdown is a number, those of the median-optimal, robust and
// frontier programmes are null, and max_drawdown_note says so; what the
// carry cost is in timing (not in the note: the numbers of a report are
// the same for the same seed).
func TestMaxDrawdownNullExplained(t *testing.T) {
	r := small(t)
	if r.Recommended.Metrics.MaxDrawdown == nil {
		t.Error("the recommended programme's max_drawdown is null")
	}
	nulls := map[string]*report.Programme{"median_optimal": r.MedianOptimal, "robust": r.Robust}
	for i := range r.Frontier {
		nulls["frontier "+strconv.Itoa(i)] = &r.Frontier[i].Programme
	}
	for name, p := range nulls {
		if p.Metrics.MaxDrawdown != nil {
			t.Errorf("%s: max_drawdown %v, but the note says it is not carried", name, *p.Metrics.MaxDrawdown)
		}
	}
	if !strings.Contains(r.MaxDrawdownNote, "recommended programme only") || !strings.Contains(r.MaxDrawdownNote, "timing.carry_seconds") {
		t.Fatalf("max_drawdown_note does not say what was carried and where its cost is: %q", r.MaxDrawdownNote)
	}
	if !(r.Timing.CarrySeconds > 0) {
		t.Errorf("timing.carry_seconds = %v", r.Timing.CarrySeconds)
	}
	for _, w := range []string{"median_optimal", "robust", "frontier"} {
		if !strings.Contains(r.MaxDrawdownNote, w) {
			t.Errorf("max_drawdown_note does not name %s: %q", w, r.MaxDrawdownNote)
		}
	}
}
