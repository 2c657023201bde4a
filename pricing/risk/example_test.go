package risk_test

import (
	"fmt"
	"slices"

	"github.com/hedgeflow/hedgeflow/pricing/risk"
)

// VaR and CVaR of twenty losses at 90%: the 18th smallest loss, and the
// mean of the two largest.
func ExampleCVaR() {
	losses := []float64{5, -3, 12, 7, 0, 9, -1, 4, 15, 2, 8, 6, -2, 11, 3, 1, 10, 14, 13, 20}
	slices.Sort(losses)
	fmt.Printf("%.6g %.6g\n", risk.VaR(losses, 0.90), risk.CVaR(losses, 0.90))
	// Output: 14 17.5
}
