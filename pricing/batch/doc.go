// Package batch prices one JSON request per line, the contract behind
// `hedgeflow price`.
//
// Each line is a JSON object with a "kind" field naming the instrument; the
// other fields are that kind's inputs (see README, "hedgeflow price"). Rates
// are continuously compounded flat rates, times are year fractions, vols are
// fractions (normal vols in absolute rate units). A line that cannot be priced
// yields {"error": "..."} naming the field.
package batch
