// Times QuantLib (C++) on the inputs of the Go benchmarks named in
// bench/quantlib/run, one line per kind: "<kind> <ns per price> <value>".
// Build: g++ -O2 -std=c++17 harness.cpp $(pkg-config --cflags --libs quantlib)
//
// Every timed iteration makes QuantLib compute afresh: instrument-based
// kinds alternate a market quote between two values (as a live revaluation
// would), so that lazy-object caching cannot return a stored NPV.
#include <ql/quantlib.hpp>
#include <ql/experimental/credit/basket.hpp>
#include <ql/experimental/credit/gaussianlhplossmodel.hpp>
#include <ql/experimental/credit/pool.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>

using namespace QuantLib;

static volatile double sink;
// Read through a volatile so that the compiler cannot fold vol*sqrt(T) out
// of the timed loops: the Go kernels take vol and expiry, as here.
static volatile double expiry5 = 5.0;

// ns returns nanoseconds per call of f, best of 5 runs of n calls.
static double ns(long n, const std::function<double(long)>& f) {
    double best = 1e300;
    for (int rep = 0; rep < 5; ++rep) {
        auto t0 = std::chrono::steady_clock::now();
        double acc = 0;
        for (long i = 0; i < n; ++i) acc += f(i);
        auto t1 = std::chrono::steady_clock::now();
        sink = acc;
        double d = std::chrono::duration<double, std::nano>(t1 - t0).count() / n;
        if (d < best) best = d;
    }
    return best;
}

int main(int argc, char** argv) {
    long scale = argc > 1 ? std::atol(argv[1]) : 1;
    Date today(15, January, 2024);
    Settings::instance().evaluationDate() = today;
    DayCounter dc = Actual360();  // 180 days = 0.5 years exactly

    // fx_option: GK, S 1.085, K 1.10, T 0.5, rd 5.3%, rf 3.9%, vol 7.5%,
    // call; NPV, delta and vega (AnalyticEuropeanEngine computes all greeks
    // in one calculation).
    {
        auto spot = ext::make_shared<SimpleQuote>(1.085);
        Handle<YieldTermStructure> rd(ext::make_shared<FlatForward>(today, 0.053, dc, Continuous));
        Handle<YieldTermStructure> rf(ext::make_shared<FlatForward>(today, 0.039, dc, Continuous));
        Handle<BlackVolTermStructure> vol(ext::make_shared<BlackConstantVol>(today, NullCalendar(), 0.075, dc));
        auto proc = ext::make_shared<GarmanKohlagenProcess>(Handle<Quote>(spot), rf, rd, vol);
        VanillaOption opt(ext::make_shared<PlainVanillaPayoff>(Option::Call, 1.10),
                          ext::make_shared<EuropeanExercise>(today + 180));
        opt.setPricingEngine(ext::make_shared<AnalyticEuropeanEngine>(proc));
        double v = opt.NPV();
        double t = ns(200000 * scale, [&](long i) {
            spot->setValue(i & 1 ? 1.085 : 1.0850000001);
            return opt.NPV() + opt.delta() + opt.vega();
        });
        std::printf("fx_option %.1f %.17g\n", t, v);
        // The closed form alone, without the instrument framework.
        double tf = ns(2000000 * scale, [&](long i) {
            double s = i & 1 ? 1.085 : 1.0850000001;
            double ddf = std::exp(-0.053 * 0.5), fdf = std::exp(-0.039 * 0.5);
            BlackCalculator bc(Option::Call, 1.10, s * fdf / ddf, 0.075 * std::sqrt(0.5), ddf);
            return bc.value() + bc.delta(s) + bc.vega(0.5);
        });
        std::printf("fx_option_formula %.1f %.17g\n", tf, v);
    }
    // fx_forward: S exp(-rf T) - K exp(-rd T) with the discount factors from
    // flat curves (QuantLib has no FX forward instrument).
    {
        auto r = ext::make_shared<SimpleQuote>(0.053);
        FlatForward rd(today, Handle<Quote>(r), dc, Continuous);
        FlatForward rf(today, 0.039, dc, Continuous);
        double v = 1.085 * rf.discount(0.5) - 1.10 * rd.discount(0.5);
        double t = ns(2000000 * scale, [&](long i) {
            r->setValue(i & 1 ? 0.053 : 0.0530000001);
            return 1.085 * rf.discount(0.5) - 1.10 * rd.discount(0.5);
        });
        std::printf("fx_forward %.1f %.17g\n", t, v);
    }
    // swaption: F 4%, K 4.5%, T 5, annuity 7.5, payer; normal vol 1.1%,
    // lognormal 27%.
    {
        double vn = bachelierBlackFormula(Option::Call, 0.045, 0.04, 0.011 * std::sqrt(5.0), 7.5);
        double tn = ns(2000000 * scale, [&](long i) {
            double T = expiry5;
            return bachelierBlackFormula(Option::Call, 0.045, i & 1 ? 0.04 : 0.0400000001, 0.011 * std::sqrt(T), 7.5);
        });
        std::printf("swaption_normal %.1f %.17g\n", tn, vn);
        double vb = blackFormula(Option::Call, 0.045, 0.04, 0.27 * std::sqrt(5.0), 7.5);
        double tb = ns(2000000 * scale, [&](long i) {
            double T = expiry5;
            return blackFormula(Option::Call, 0.045, i & 1 ? 0.04 : 0.0400000001, 0.27 * std::sqrt(T), 7.5);
        });
        std::printf("swaption_lognormal %.1f %.17g\n", tb, vb);
        // out of the money: strike 6%, d1 = -0.37 and d2 = -0.97
        double vo = blackFormula(Option::Call, 0.06, 0.04, 0.27 * std::sqrt(5.0), 7.5);
        double to = ns(2000000 * scale, [&](long i) {
            double T = expiry5;
            return blackFormula(Option::Call, 0.06, i & 1 ? 0.04 : 0.0400000001, 0.27 * std::sqrt(T), 7.5);
        });
        std::printf("swaption_lognormal_otm %.1f %.17g\n", to, vo);
    }
    // swap: 30y payer, fixed 3% semiannual, flat 3.7% continuous curve,
    // floating leg on the same curve; PV, fair rate, and DV01 from a second
    // valuation 1 bp up.
    {
        auto r = ext::make_shared<SimpleQuote>(0.037);
        Handle<YieldTermStructure> curve(ext::make_shared<FlatForward>(today, Handle<Quote>(r), dc, Continuous));
        std::vector<Date> dates;
        for (int i = 0; i <= 60; ++i) dates.push_back(today + 180 * i);
        Schedule sched(dates);
        auto index = ext::make_shared<IborIndex>("X", Period(6, Months), 0, USDCurrency(), NullCalendar(),
                                                 Unadjusted, false, dc, curve);
        VanillaSwap swap(VanillaSwap::Payer, 1.0, sched, 0.03, dc, sched, index, 0.0, dc);
        swap.setPricingEngine(ext::make_shared<DiscountingSwapEngine>(curve));
        double v = swap.NPV();
        double t = ns(20000 * scale, [&](long i) {
            double base = i & 1 ? 0.037 : 0.0370000001;
            r->setValue(base);
            double pv = swap.NPV(), par = swap.fairRate();
            r->setValue(base + 0.0001);
            return pv + par + (swap.NPV() - pv);
        });
        std::printf("swap %.1f %.17g\n", t, v);
    }
    // bond: 5% semiannual 10y per 100, yield 4.5% compounded semiannually;
    // price, modified duration and convexity (BondFunctions).
    {
        std::vector<Date> dates;
        for (int i = 0; i <= 20; ++i) dates.push_back(today + 180 * i);
        FixedRateBond bond(0, 100.0, Schedule(dates), std::vector<Rate>{0.05}, dc);
        double v = BondFunctions::cleanPrice(bond, 0.045, dc, Compounded, Semiannual, today);
        double t = ns(100000 * scale, [&](long i) {
            double y = i & 1 ? 0.045 : 0.0450000001;
            InterestRate ir(y, dc, Compounded, Semiannual);
            return BondFunctions::cleanPrice(bond, ir, today) +
                   BondFunctions::duration(bond, ir, Duration::Modified, today) +
                   BondFunctions::convexity(bond, ir, today);
        });
        std::printf("bond %.1f %.17g\n", t, v);
    }
    // cds: flat hazard 2%, recovery 40%, 5y, coupon 100 bp, flat rate 3%
    // continuous, quarterly; CreditDefaultSwap + MidPointCdsEngine on
    // Actual360 with periods of 90 days, so that t_i = i/4 exactly, as in
    // pricing/testdata/quantlib/credit_gen.py; fair spread and NPV.
    {
        auto h = ext::make_shared<SimpleQuote>(0.02);
        Handle<DefaultProbabilityTermStructure> haz(
            ext::make_shared<FlatHazardRate>(today, Handle<Quote>(h), dc));
        Handle<YieldTermStructure> disc(ext::make_shared<FlatForward>(today, 0.03, dc, Continuous));
        std::vector<Date> dates;
        for (int i = 0; i <= 20; ++i) dates.push_back(today + 90 * i);
        Schedule sched(dates, NullCalendar(), Unadjusted);
        CreditDefaultSwap cds(Protection::Buyer, 1.0, 0.01, sched, Unadjusted, dc, true, true, today);
        cds.setPricingEngine(ext::make_shared<MidPointCdsEngine>(haz, 0.4, disc));
        double v = cds.NPV();
        double t = ns(100000 * scale, [&](long i) {
            h->setValue(i & 1 ? 0.02 : 0.0200000001);
            return cds.NPV() + cds.fairSpread();
        });
        std::printf("cds %.1f %.17g\n", t, v);
    }
    // tranche_lhp: the [3%, 7%] tranche of a large homogeneous pool, pd 5%,
    // correlation 30%, recovery 40%: GaussianLHPLossModel
    // (ql/experimental/credit) on a one-name Basket whose flat hazard
    // -log(1 - pd) gives pd at one year (the model averages the pool's
    // probabilities and recoveries, so one name stands for the pool).
    // expectedTrancheLoss is in basket notional; divided by the tranche
    // width it is the contract's fraction of the tranche.
    {
        const double pd = 0.05, rho = 0.3, rec = 0.4, attach = 0.03, detach = 0.07;
        Handle<DefaultProbabilityTermStructure> curve(
            ext::make_shared<FlatHazardRate>(today, -std::log(1 - pd), dc));
        NorthAmericaCorpDefaultKey key(EURCurrency(), SeniorSec, Period(), 1.0);
        std::vector<Issuer::key_curve_pair> probs{std::make_pair(key, curve)};
        auto pool = ext::make_shared<Pool>();
        pool->add("A", Issuer(probs), key);
        auto basket = ext::make_shared<Basket>(today, std::vector<std::string>{"A"},
                                               std::vector<Real>{1.0}, pool, attach, detach);
        auto corr = ext::make_shared<SimpleQuote>(rho);
        basket->setLossModel(
            ext::make_shared<GaussianLHPLossModel>(Handle<Quote>(corr), std::vector<Real>{rec}));
        Date d = today + 360;
        double v = basket->expectedTrancheLoss(d) / (detach - attach);
        double t = ns(100000 * scale, [&](long i) {
            corr->setValue(i & 1 ? rho : rho + 1e-10);
            return basket->expectedTrancheLoss(d) / (detach - attach);
        });
        std::printf("tranche_lhp %.1f %.17g\n", t, v);
    }
    return 0;
}
