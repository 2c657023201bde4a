// Package input reads the files a user gives hedgeflow (a portfolio, a
// market snapshot) into pricing types, and reports a bad file with the field
// and the line at fault: "portfolio.yaml:42: bonds[3].coupon: must be in
// [0, 0.5], got 7".
//
// The formats are documented in the README ("Portfolio file" and "Market
// file"); examples/ holds one of each. Unknown keys are errors, so that a
// typo is not silently ignored.
package input
