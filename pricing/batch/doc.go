// Package batch prices one JSON request per line, the contract behind
// `hedgeflow price`.
//
// Each line is a JSON object with a "kind" field naming the instrument; the
// other fields are that kind's inputs (see README, "hedgeflow price"). Rates
// are continuously compounded flat rates, times are year fractions, vols are
// fractions (normal vols in absolute rate units). A line that cannot be priced
// yields {"error": "..."} naming the field.
//
// Kinds and their outputs:
//
//	fx_option   {spot, strike, expiry, rd, rf, vol, call}        -> {pv, delta, vega}   Garman-Kohlhagen, per unit foreign notional
//	fx_forward  {spot, strike, expiry, rd, rf}                   -> {pv}                spot·e^{-rf T} - strike·e^{-rd T}
//	swaption    {forward, strike, expiry, annuity, vol, model, payer} -> {pv}           Bachelier ("normal") or Black ("lognormal") times annuity
//	swap        {fixed_rate, tenor, freq, zero_rate, payer}      -> {pv, par_rate, dv01} notional 1, single flat curve
//	bond        {coupon, maturity, freq, yield}                  -> {price, modified_duration, convexity} per 100 face
//	cds         {hazard, recovery, maturity, coupon, rate, freq} -> {par_spread, pv}    protection buyer, mid-point accrual on default
//	tranche_lhp {attach, detach, pd, rho, recovery}              -> {expected_loss}     Vasicek large pool, fraction of tranche notional
package batch
