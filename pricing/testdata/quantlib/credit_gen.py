#!/usr/bin/python3
"""Reference values for pricing/credit and the batch kinds "cds" and
"tranche_lhp", from QuantLib-Python (Debian quantlib-python, QuantLib 1.29).

Run from the repository root:

    /usr/bin/python3 pricing/testdata/quantlib/credit_gen.py

It writes pricing/testdata/quantlib/credit_*.json. The Go tests read the
JSON; they never run Python.

Like-for-like settings. Our Go code works in year fractions: premiums at
t_i = i/freq, default assumed at period mid-points (MidPointCdsEngine), flat
continuously compounded rates. QuantLib works in dates, and the mid-point
engine rounds the default date to a whole day. So that both see the same
numbers:
  * single-name CDS: Actual360 everywhere (discount, hazard, coupons) and an
    explicit schedule of periods of 360/freq days (freq in 1, 2, 4, 12), so
    t_i = i/freq exactly and every mid-point falls on a whole day;
  * hazard bootstrap: Actual364 and EveryFourthWeek premiums (28 days, 13 a
    year, mid-points on whole days), tenors of 364*k days, no accrual rebate
    (rebatesAccrual=False: the ISDA step-in rebate of one day has no
    counterpart in a year-fraction model) and lastPeriodDayCounter = Actual364
    (the helper's default Actual360(true) adds a day to the last coupon).
"""
import json
import math
import os

import QuantLib as ql

OUT = os.path.dirname(os.path.abspath(__file__))
TODAY = ql.Date(15, 1, 2024)
ql.Settings.instance().evaluationDate = TODAY


def write(name, doc):
    doc["generator"] = "pricing/testdata/quantlib/credit_gen.py"
    doc["quantlib"] = ql.__version__
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")


def cds_case(hazard, recovery, maturity, coupon, rate, freq):
    dc = ql.Actual360()
    days = 360 // freq
    n = round(maturity * freq)
    dates = [TODAY + days * i for i in range(n + 1)]
    sched = ql.Schedule(dates, ql.NullCalendar(), ql.Unadjusted)
    disc = ql.YieldTermStructureHandle(ql.FlatForward(TODAY, rate, dc, ql.Continuous))
    haz = ql.DefaultProbabilityTermStructureHandle(
        ql.FlatHazardRate(TODAY, ql.QuoteHandle(ql.SimpleQuote(hazard)), dc))
    cds = ql.CreditDefaultSwap(ql.Protection.Buyer, 1.0, coupon, sched, ql.Unadjusted, dc,
                               True, True, TODAY)
    cds.setPricingEngine(ql.MidPointCdsEngine(haz, recovery, disc))
    return {
        "hazard": hazard, "recovery": recovery, "maturity": maturity, "coupon": coupon,
        "rate": rate, "freq": freq,
        "par_spread": cds.fairSpread(), "pv": cds.NPV(),
        "protection": cds.defaultLegNPV(),
        # couponLegNPV is -coupon x risky annuity for the buyer.
        "premium": -cds.couponLegNPV(),
    }


def cds_cases():
    out = []
    for hazard, recovery, coupon in [(0.02, 0.4, 0.01), (0.0, 0.4, 0.01), (0.1, 0.25, 0.05),
                                     (0.005, 0.0, 0.001), (0.35, 0.4, 0.05)]:
        for maturity, freq in [(5, 4), (1, 4), (10, 4), (3, 1), (7, 2), (2.5, 12), (0.25, 4)]:
            for rate in [0.03, 0.0, -0.005, 0.12]:
                out.append(cds_case(hazard, recovery, maturity, coupon, rate, freq))
    return out


def bootstrap_case(quotes, recovery, rate):
    dc = ql.Actual364()
    disc = ql.YieldTermStructureHandle(ql.FlatForward(TODAY, rate, dc, ql.Continuous))
    helpers = [ql.SpreadCdsHelper(s, ql.Period(364 * y, ql.Days), 0, ql.NullCalendar(),
                                  ql.EveryFourthWeek, ql.Unadjusted, ql.DateGeneration.Forward,
                                  dc, recovery, disc, True, True, TODAY, dc, False)
               for y, s in quotes]
    curve = ql.PiecewiseFlatHazardRate(TODAY, helpers, dc)
    nodes = curve.nodes()[1:]  # the first node repeats the first rate at t=0
    return {
        "freq": 13, "recovery": recovery, "rate": rate,
        "maturities": [y for y, _ in quotes], "spreads": [s for _, s in quotes],
        "times": [dc.yearFraction(TODAY, d) for d, _ in nodes],
        "hazards": [h for _, h in nodes],
    }


def bvn_cases():
    out = []
    for rho in [-0.95, -0.7, -0.3, 0.0, 0.2, 0.5, 0.8, 0.93, 0.99]:
        f = ql.BivariateCumulativeNormalDistribution(rho)
        for a, b in [(-2.0, -1.5), (-0.3, 0.4), (0.0, 0.0), (1.2, -0.7), (2.5, 2.0),
                     (-4.0, 1.0), (0.5, 3.0)]:
            out.append({"a": a, "b": b, "rho": rho, "cdf": f(a, b)})
    return out


if __name__ == "__main__":
    write("credit_cds.json", {
        "note": "CreditDefaultSwap + MidPointCdsEngine, FlatHazardRate, FlatForward "
                "continuous, Actual360, schedule of 360/freq-day periods; notional 1, "
                "protection buyer",
        "cases": cds_cases()})
    write("credit_bootstrap.json", {
        "note": "PiecewiseFlatHazardRate from SpreadCdsHelper, MidPoint model, Actual364, "
                "EveryFourthWeek premiums, tenors 364*k days, FlatForward continuous",
        "cases": [
            bootstrap_case([(1, 0.005), (3, 0.008), (5, 0.011), (7, 0.013), (10, 0.015)], 0.4, 0.03),
            bootstrap_case([(1, 0.05), (2, 0.045), (3, 0.042), (5, 0.04)], 0.25, 0.01),
            bootstrap_case([(2, 0.002), (4, 0.0035), (6, 0.0042)], 0.4, -0.004),
        ]})
    write("credit_bvn.json", {
        "note": "BivariateCumulativeNormalDistribution (Genz 2004 algorithm, QuantLib We04DP)",
        "cases": bvn_cases()})
