package serve

import (
	"errors"
	"testing"
)

// hedge.run bodies come from any requester: whatever the bytes, the parser
// answers with a request or an error that is a bad request (named field),
// never a panic, and never reads a file (no portfolio directory here).
func FuzzParseRunRequest(f *testing.F) {
	for _, s := range []string{
		``, `{}`, `{"scenarios":200,"paths":200,"seed":7}`, `{"scenarios":1000,"paths":1000,"wait":false}`,
		`{"portfolio":"../etc/passwd"}`, `{"portfolio_yaml":"name: x\n","market_yaml":"date: x\n"}`,
		`{"prohibit":["fx","equity_put","nope"],"budget_bps":-1}`, `{"scenarios":1e99}`, `[1,2]`, `{"a":1}{"b":2}`,
		`{"objective":"variance","no_hedging":true}`,
		`{"holdings":{"fx_forward_EUR":-1.2e9,"swap_receiver_USD_30y":4e9}}`, `{"holdings":{"fx":1,"":2}}`, `{"holdings":[]}`,
	} {
		f.Add([]byte(s))
	}
	var lim Limits
	lim.setDefaults()
	f.Fuzz(func(t *testing.T, body []byte) {
		acc, err := parseRunRequest(body, lim, "")
		if err != nil {
			if !errors.Is(err, ErrBadRequest) {
				t.Fatalf("%q: error %v is not a bad request", body, err)
			}
			return
		}
		_ = acc.options()
	})
}
