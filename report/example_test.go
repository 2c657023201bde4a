package report_test

import (
	"fmt"
	"os"

	"github.com/hedgeflow/hedgeflow/report"
)

// WriteFiles writes report.json and report.html side by side; the page
// renders whatever the report holds, here a report without scenarios or
// hedging.
func ExampleReport_WriteFiles() {
	dir, err := os.MkdirTemp("", "report-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	r := &report.Report{RunID: "example", Portfolio: report.Portfolio{Name: "Example Fund"}}
	if _, err := r.WriteFiles(dir); err != nil {
		fmt.Println(err)
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range entries {
		fmt.Println(e.Name())
	}
	// Output:
	// report.html
	// report.json
}
