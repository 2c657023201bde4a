package history_test

import (
	"fmt"
	"strings"

	"github.com/hedgeflow/hedgeflow/producers/history"
)

func ExampleParseFRED() {
	csv := "observation_date,DGS10\n2008-09-12,3.72\n2008-09-15,.\n2008-09-16,3.41\n"
	s, err := history.ParseFRED("DGS10.csv", "", strings.NewReader(csv))
	if err != nil {
		fmt.Println(err)
		return
	}
	v, _ := s.At(history.Date(s.Dates[0]).AddDate(0, 0, 3)) // 2008-09-15: missing, so the 12th
	fmt.Println(s.ID, s.Len(), v)
	_, err = history.ParseFRED("bad.csv", "X", strings.NewReader("DATE,VALUE\n2008-09-12,3,72\n"))
	fmt.Println(err)
	// Output:
	// DGS10 2 3.72
	// history: malformed series: bad.csv:2: row: want 2 columns (date,value), got 3: "2008-09-12,3,72"
}
