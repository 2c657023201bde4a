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


for name, fn in [("fx_option", fx_option), ("fx_forward", fx_forward), ("swaption_normal", swaption_normal),
                 ("swaption_lognormal", swaption_lognormal), ("swap", swap), ("bond", bond)]:
    t, v = fn()
    print("%s %.1f %.17g" % (name, t, v))
