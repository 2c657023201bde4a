#!/usr/bin/python3
"""Times QuantLib-Python (Debian quantlib-python, QuantLib 1.29) on the
inputs of the Go benchmarks and of harness.cpp, one line per kind:
"<kind> <ns per price> <value>". Run by bench/quantlib/run.

As in harness.cpp, instrument-based kinds alternate a market quote between
two values every iteration so that QuantLib recomputes; the time is the best
of 5 runs, per price, including the Python call overhead a Python user pays.
"""
import math
import sys
import time

import QuantLib as ql

SCALE = int(sys.argv[1]) if len(sys.argv) > 1 else 1


def ns(n, f):
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter_ns()
        for i in range(n):
            f(i)
        best = min(best, (time.perf_counter_ns() - t0) / n)
    return best


today = ql.Date(15, ql.January, 2024)
ql.Settings.instance().evaluationDate = today
dc = ql.Actual360()  # 180 days = 0.5 years exactly


def fx_option():
    spot = ql.SimpleQuote(1.085)
    rd = ql.YieldTermStructureHandle(ql.FlatForward(today, 0.053, dc, ql.Continuous))
    rf = ql.YieldTermStructureHandle(ql.FlatForward(today, 0.039, dc, ql.Continuous))
    vol = ql.BlackVolTermStructureHandle(ql.BlackConstantVol(today, ql.NullCalendar(), 0.075, dc))
    proc = ql.GarmanKohlagenProcess(ql.QuoteHandle(spot), rf, rd, vol)
    opt = ql.VanillaOption(ql.PlainVanillaPayoff(ql.Option.Call, 1.10), ql.EuropeanExercise(today + 180))
    opt.setPricingEngine(ql.AnalyticEuropeanEngine(proc))
    v = opt.NPV()

    def f(i):
        spot.setValue(1.085 if i & 1 else 1.0850000001)
        return opt.NPV() + opt.delta() + opt.vega()
    return ns(20000 * SCALE, f), v


def fx_forward():
    r = ql.SimpleQuote(0.053)
    rd = ql.FlatForward(today, ql.QuoteHandle(r), dc, ql.Continuous)
    rf = ql.FlatForward(today, 0.039, dc, ql.Continuous)
    v = 1.085 * rf.discount(0.5) - 1.10 * rd.discount(0.5)

    def f(i):
        r.setValue(0.053 if i & 1 else 0.0530000001)
        return 1.085 * rf.discount(0.5) - 1.10 * rd.discount(0.5)
    return ns(50000 * SCALE, f), v


def swaption_normal():
    v = ql.bachelierBlackFormula(ql.Option.Call, 0.045, 0.04, 0.011 * math.sqrt(5.0), 7.5)
    return ns(100000 * SCALE, lambda i: ql.bachelierBlackFormula(
        ql.Option.Call, 0.045, 0.04 if i & 1 else 0.0400000001, 0.011 * math.sqrt(5.0), 7.5)), v


def swaption_lognormal():
    v = ql.blackFormula(ql.Option.Call, 0.045, 0.04, 0.27 * math.sqrt(5.0), 7.5)
    return ns(100000 * SCALE, lambda i: ql.blackFormula(
        ql.Option.Call, 0.045, 0.04 if i & 1 else 0.0400000001, 0.27 * math.sqrt(5.0), 7.5)), v


def swaption_lognormal_otm():
    v = ql.blackFormula(ql.Option.Call, 0.06, 0.04, 0.27 * math.sqrt(5.0), 7.5)
    return ns(100000 * SCALE, lambda i: ql.blackFormula(
        ql.Option.Call, 0.06, 0.04 if i & 1 else 0.0400000001, 0.27 * math.sqrt(5.0), 7.5)), v


def swap():
    r = ql.SimpleQuote(0.037)
    curve = ql.YieldTermStructureHandle(ql.FlatForward(today, ql.QuoteHandle(r), dc, ql.Continuous))
    sched = ql.Schedule([today + 180 * i for i in range(61)])
    index = ql.IborIndex("X", ql.Period(6, ql.Months), 0, ql.USDCurrency(), ql.NullCalendar(),
                         ql.Unadjusted, False, dc, curve)
    s = ql.VanillaSwap(ql.VanillaSwap.Payer, 1.0, sched, 0.03, dc, sched, index, 0.0, dc)
    s.setPricingEngine(ql.DiscountingSwapEngine(curve))
    v = s.NPV()

    def f(i):
        base = 0.037 if i & 1 else 0.0370000001
        r.setValue(base)
        pv, par = s.NPV(), s.fairRate()
        r.setValue(base + 0.0001)
        return pv + par + (s.NPV() - pv)
    return ns(2000 * SCALE, f), v


def bond():
    b = ql.FixedRateBond(0, 100.0, ql.Schedule([today + 180 * i for i in range(21)]), [0.05], dc)
    v = ql.BondFunctions.cleanPrice(b, 0.045, dc, ql.Compounded, ql.Semiannual, today)

    def f(i):
        y = 0.045 if i & 1 else 0.0450000001
        ir = ql.InterestRate(y, dc, ql.Compounded, ql.Semiannual)
        return (ql.BondFunctions.cleanPrice(b, ir, today) +
                ql.BondFunctions.duration(b, ir, ql.Duration.Modified, today) +
                ql.BondFunctions.convexity(b, ir, today))
    return ns(10000 * SCALE, f), v


def cds():
    # As harness.cpp and pricing/testdata/quantlib/credit_gen.py: Actual360,
    # periods of 90 days, MidPointCdsEngine; fair spread and NPV.
    h = ql.SimpleQuote(0.02)
    haz = ql.DefaultProbabilityTermStructureHandle(ql.FlatHazardRate(today, ql.QuoteHandle(h), dc))
    disc = ql.YieldTermStructureHandle(ql.FlatForward(today, 0.03, dc, ql.Continuous))
    sched = ql.Schedule([today + 90 * i for i in range(21)], ql.NullCalendar(), ql.Unadjusted)
    c = ql.CreditDefaultSwap(ql.Protection.Buyer, 1.0, 0.01, sched, ql.Unadjusted, dc, True, True, today)
    c.setPricingEngine(ql.MidPointCdsEngine(haz, 0.4, disc))
    v = c.NPV()

    def f(i):
        h.setValue(0.02 if i & 1 else 0.0200000001)
        return c.NPV() + c.fairSpread()
    return ns(5000 * SCALE, f), v


def tranche_lhp_composed():
    """Not a QuantLib call: QuantLib-Python 1.29 wraps no LHP loss model
    (GaussianLHPLossModel, Basket and Pool are C++ only). This is the
    Vasicek formula a Python user would write over QuantLib's normal
    distribution objects, timed for information and printed apart."""
    pd, rho, rec, a, d = 0.05, 0.3, 0.4, 0.03, 0.07
    inv = ql.InverseCumulativeNormal()
    cum = ql.CumulativeNormalDistribution()

    def base(k, r):
        lgd = 1 - rec
        if k >= lgd:
            return pd * lgd
        kappa = k / lgd
        c = inv(pd)
        sr = math.sqrt(r)
        z = (c - math.sqrt(1 - r) * inv(kappa)) / sr
        bvn = ql.BivariateCumulativeNormalDistributionWe04DP(sr)
        return lgd * (pd - bvn(c, z) + kappa * cum(z))

    def f(i):
        r = rho if i & 1 else rho + 1e-10
        return (base(d, r) - base(a, r)) / (d - a)
    return ns(20000 * SCALE, f), f(1)


for name, fn in [("fx_option", fx_option), ("fx_forward", fx_forward), ("swaption_normal", swaption_normal),
                 ("swaption_lognormal", swaption_lognormal), ("swaption_lognormal_otm", swaption_lognormal_otm), ("swap", swap), ("bond", bond), ("cds", cds),
                 ("tranche_lhp_composed", tranche_lhp_composed)]:
    t, v = fn()
    print("%s %.1f %.17g" % (name, t, v))
