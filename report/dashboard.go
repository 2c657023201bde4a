package report

import "html/template"

// Chart is one chart of report.html: an inline SVG element with its title
// and caption, or, when the report lacks its data, why it is missing.
type Chart struct {
	ID, Title, Caption string
	SVG                template.HTML
	Missing            string
}

// Charts returns the charts of report.html, built from r the same way, for
// pages that show them elsewhere (the live dashboard of hedgeflow serve).
// Their marks carry the classes described in charts.go; a page styles the
// text classes tick, label, legend-text, annot and cell-text.
func (r *Report) Charts() []Chart {
	cs := r.charts()
	out := make([]Chart, len(cs))
	for i, c := range cs {
		out[i] = Chart{ID: c.ID, Title: c.Title, Caption: c.Caption, SVG: c.SVG, Missing: c.Missing}
	}
	return out
}
