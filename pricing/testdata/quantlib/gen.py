#!/usr/bin/python3
"""Reference values for pricing/curve, pricing/fx, pricing/rates,
pricing/equity and the batch kinds fx_option, fx_forward, swaption, swap and
bond, from QuantLib-Python (Debian quantlib-python, QuantLib 1.29).

Run from the repository root:

    /usr/bin/python3 pricing/testdata/quantlib/gen.py

It writes pricing/testdata/quantlib/{fx_gk,equity_bs,swaption,swap,bond,
curve_bootstrap}.json. The Go tests read the JSON; they never run Python.

Like-for-like settings. Our Go code works in year fractions; QuantLib in
dates. So that both see the same numbers:
  * options (GK, BS): Actual365Fixed flat curves and vols, expiry a whole
    number of days, so T = days/365 exactly; the JSON carries T;
  * swaps and bonds: Actual360 and explicit schedules of 360/freq-day
    periods, so that every accrual is exactly 1/freq and t_i = i/freq;
  * bootstrap: Actual365Fixed for curve time and the fixed leg, NullCalendar,
    Unadjusted, no settlement lag, at-par floating coupons; the JSON carries
    the year fractions of every deposit and fixed payment date.
"""
import json
import math
import os

import QuantLib as ql

OUT = os.path.dirname(os.path.abspath(__file__))
TODAY = ql.Date(15, ql.January, 2024)
ql.Settings.instance().evaluationDate = TODAY
ql.IborCoupon.createAtParCoupons()


def write(name, doc):
    doc["source"] = ("QuantLib %s via pricing/testdata/quantlib/gen.py" % ql.__version__)
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")


def flat(rate, dc):
    return ql.YieldTermStructureHandle(ql.FlatForward(TODAY, rate, dc, ql.Continuous))


def analytic_european(spot, strike, days, r, q, vol, call, gk):
    dc = ql.Actual365Fixed()
    s = ql.QuoteHandle(ql.SimpleQuote(spot))
    v = ql.BlackVolTermStructureHandle(ql.BlackConstantVol(TODAY, ql.NullCalendar(), vol, dc))
    if gk:
        proc = ql.GarmanKohlagenProcess(s, flat(q, dc), flat(r, dc), v)
    else:
        proc = ql.BlackScholesMertonProcess(s, flat(q, dc), flat(r, dc), v)
    kind = ql.Option.Call if call else ql.Option.Put
    opt = ql.VanillaOption(ql.PlainVanillaPayoff(kind, strike), ql.EuropeanExercise(TODAY + days))
    opt.setPricingEngine(ql.AnalyticEuropeanEngine(proc))
    return {
        "spot": spot, "strike": strike, "expiry": days / 365.0, "vol": vol, "call": call,
        "pv": opt.NPV(), "delta": opt.delta(), "gamma": opt.gamma(), "vega": opt.vega(),
        "theta": opt.theta(), "rho": opt.rho(), "rho_q": opt.dividendRho(),
    }


def fx_gk():
    cases = []
    for spot, strike, days, rd, rf, vol in [
        (1.0850, 1.1000, 91, 0.053, 0.039, 0.075),
        (1.0850, 1.0500, 365, 0.053, 0.039, 0.081),
        (1.2700, 1.3000, 182, 0.052, 0.051, 0.09),
        (148.50, 140.00, 730, 0.052, -0.001, 0.11),
        (0.6550, 0.6550, 30, 0.043, 0.052, 0.12),
        (1.5600, 1.6000, 1825, 0.02, 0.045, 0.2),
        (0.8800, 0.9000, 7, -0.007, 0.05, 0.35),
    ]:
        for call in (True, False):
            c = analytic_european(spot, strike, days, rd, rf, vol, call, True)
            c["rd"], c["rf"] = rd, rf
            c["rho_d"], c["rho_f"] = c.pop("rho"), c.pop("rho_q")
            cases.append(c)
    write("fx_gk.json", {"cases": cases})


def equity_bs():
    cases = []
    for spot, strike, days, r, q, vol in [
        (4780.0, 4800.0, 91, 0.053, 0.015, 0.14),
        (4780.0, 4000.0, 365, 0.053, 0.015, 0.22),
        (16500.0, 17500.0, 730, 0.035, 0.03, 0.18),
        (33000.0, 33000.0, 30, -0.001, 0.02, 0.25),
        (7700.0, 8200.0, 1825, 0.04, 0.035, 0.16),
    ]:
        for call in (True, False):
            c = analytic_european(spot, strike, days, r, q, vol, call, False)
            c["rate"], c["div"] = r, q
            c["rho_r"], c["rho_q"] = c.pop("rho"), c.pop("rho_q")
            cases.append(c)
    write("equity_bs.json", {"cases": cases})


def swaption():
    cases = []
    for fwd, strike, expiry, annuity, nvol, lvol in [
        (0.0400, 0.0400, 1.0, 4.2, 0.0095, 0.24),
        (0.0400, 0.0450, 5.0, 7.5, 0.0110, 0.27),
        (0.0350, 0.0300, 0.25, 1.9, 0.0080, 0.20),
        (0.0420, 0.0380, 10.0, 12.1, 0.0090, 0.21),
        (0.0050, 0.0100, 2.0, 3.0, 0.0060, 0.80),
    ]:
        for payer in (True, False):
            kind = ql.Option.Call if payer else ql.Option.Put
            cases.append({
                "forward": fwd, "strike": strike, "expiry": expiry, "annuity": annuity,
                "normal_vol": nvol, "lognormal_vol": lvol, "payer": payer,
                "normal": ql.bachelierBlackFormula(kind, strike, fwd, nvol * math.sqrt(expiry), annuity),
                "lognormal": ql.blackFormula(kind, strike, fwd, lvol * math.sqrt(expiry), annuity),
            })
    write("swaption.json", {"cases": cases})


def schedule360(years, freq):
    step = 360 // freq
    return ql.Schedule([TODAY + step * i for i in range(int(round(years * freq)) + 1)])


def swap():
    cases = []
    dc = ql.Actual360()
    for fixed, tenor, freq, rate, payer in [
        (0.040, 5, 1, 0.038, True),
        (0.040, 5, 2, 0.038, False),
        (0.035, 10, 2, 0.041, True),
        (0.030, 30, 2, 0.037, True),
        (0.045, 2, 4, 0.052, False),
        (0.010, 1, 12, 0.005, True),
        (0.038, 30, 1, -0.002, False),
    ]:
        curve = flat(rate, dc)
        sched = schedule360(tenor, freq)
        index = ql.IborIndex("X", ql.Period(12 // freq, ql.Months), 0, ql.USDCurrency(),
                             ql.NullCalendar(), ql.Unadjusted, False, dc, curve)
        kind = ql.VanillaSwap.Payer if payer else ql.VanillaSwap.Receiver
        s = ql.VanillaSwap(kind, 1.0, sched, fixed, dc, sched, index, 0.0, dc)
        s.setPricingEngine(ql.DiscountingSwapEngine(curve))
        up = flat(rate + 0.0001, dc)
        index_up = ql.IborIndex("X", ql.Period(12 // freq, ql.Months), 0, ql.USDCurrency(),
                                ql.NullCalendar(), ql.Unadjusted, False, dc, up)
        s_up = ql.VanillaSwap(kind, 1.0, sched, fixed, dc, sched, index_up, 0.0, dc)
        s_up.setPricingEngine(ql.DiscountingSwapEngine(up))
        cases.append({
            "fixed_rate": fixed, "tenor": tenor, "freq": freq, "zero_rate": rate, "payer": payer,
            "pv": s.NPV(), "par_rate": s.fairRate(), "dv01": s_up.NPV() - s.NPV(),
            "float_leg": s.floatingLegNPV(),
        })
    write("swap.json", {"cases": cases})


def bond():
    cases = []
    dc = ql.Actual360()
    for coupon, maturity, freq, y in [
        (0.05, 10, 2, 0.045),
        (0.0425, 30, 2, 0.047),
        (0.02, 2, 1, 0.035),
        (0.0, 5, 1, 0.03),
        (0.07, 7, 4, 0.065),
        (0.03, 20, 12, 0.031),
        (0.06, 3, 2, 0.12),
    ]:
        b = ql.FixedRateBond(0, 100.0, schedule360(maturity, freq), [coupon], dc)
        f = ql.Monthly if freq == 12 else ql.Quarterly if freq == 4 else ql.Semiannual if freq == 2 else ql.Annual
        price = ql.BondFunctions.cleanPrice(b, y, dc, ql.Compounded, f, TODAY)
        cases.append({
            "coupon": coupon, "maturity": maturity, "freq": freq, "yield": y,
            "price": price,
            "modified_duration": ql.BondFunctions.duration(b, y, dc, ql.Compounded, f, ql.Duration.Modified, TODAY),
            "convexity": ql.BondFunctions.convexity(b, y, dc, ql.Compounded, f, TODAY),
            "yield_back": ql.BondFunctions.bondYield(b, price, dc, ql.Compounded, f, TODAY, 1e-14, 100, 0.05),
        })
    write("bond.json", {"cases": cases})


def curve_bootstrap():
    dc = ql.Actual365Fixed()
    cal = ql.NullCalendar()
    deposits = [(1, 0.0530), (3, 0.0535), (6, 0.0525)]
    swaps = [(1, 0.0500), (2, 0.0460), (3, 0.0435), (5, 0.0410), (7, 0.0402),
             (10, 0.0400), (15, 0.0405), (20, 0.0408), (30, 0.0395)]
    helpers, dep_out, swp_out = [], [], []
    for months, r in deposits:
        helpers.append(ql.DepositRateHelper(ql.QuoteHandle(ql.SimpleQuote(r)), ql.Period(months, ql.Months),
                                            0, cal, ql.Unadjusted, False, dc))
        dep_out.append({"maturity": dc.yearFraction(TODAY, TODAY + ql.Period(months, ql.Months)), "rate": r})
    index = ql.IborIndex("X", ql.Period(6, ql.Months), 0, ql.USDCurrency(), cal, ql.Unadjusted, False, dc)
    for years, r in swaps:
        helpers.append(ql.SwapRateHelper(ql.QuoteHandle(ql.SimpleQuote(r)), ql.Period(years, ql.Years), cal,
                                         ql.Annual, ql.Unadjusted, dc, index))
        sched = ql.Schedule(TODAY, TODAY + ql.Period(years, ql.Years), ql.Period(ql.Annual), cal,
                            ql.Unadjusted, ql.Unadjusted, ql.DateGeneration.Forward, False)
        swp_out.append({"rate": r, "fixed": [dc.yearFraction(TODAY, d) for d in list(sched)[1:]]})
    curve = ql.PiecewiseLinearZero(TODAY, helpers, dc)
    nodes = [{"t": t, "rate": curve.zeroRate(t, ql.Continuous).rate()} for t in
             [h["maturity"] for h in dep_out] + [s["fixed"][-1] for s in swp_out]]
    probe = [{"t": t, "rate": curve.zeroRate(t, ql.Continuous).rate()} for t in
             (0.01, 0.3, 0.9, 1.7, 4.2, 8.8, 12.5, 25.0)]
    write("curve_bootstrap.json", {
        "interpolation": "PiecewiseLinearZero (linear in continuously compounded zero rate), Actual365Fixed",
        "deposits": dep_out, "swaps": swp_out, "nodes": nodes, "probe": probe,
    })


if __name__ == "__main__":
    fx_gk()
    equity_bs()
    swaption()
    swap()
    bond()
    curve_bootstrap()
