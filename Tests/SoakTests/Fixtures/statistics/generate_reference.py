#!/usr/bin/env python3
"""Reference vectors for SoakAnalysis's statistics (Theil-Sen, Mann-Kendall, Hamed-Rao).

Run once by hand when the cases change; the JSON it writes is committed so the Swift tests never
need Python:

    pip install pymannkendall   # scipy and numpy are needed too
    python3 Tests/SoakTests/Fixtures/statistics/generate_reference.py

Every input series comes from a seeded generator, so re-running writes identical files (given the
same scipy / pymannkendall versions, which are recorded in the output).

Output (beside this script):
  theilsen_vectors.json     x, y and scipy.stats.theilslopes (95%, method='separate')
  mannkendall_vectors.json  values and pymannkendall original_test / hamed_rao_modification_test

p-values: pymannkendall computes p = 2 * (1 - norm.cdf(|z|)), which loses all precision below
about 1e-15. The vectors carry `p_exact` = 2 * norm.sf(|z|) (same quantity, no cancellation) for
the Swift tests to match relatively; `p` is pymannkendall's own value, checked here to agree with
`p_exact` in absolute terms.
"""

import json
import math
import os

import numpy as np
import pymannkendall as mk
import scipy
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
OUR_ALPHA = 0.01  # the harness's default alpha for the trend decision


def finite_or_none(value):
    value = float(value)
    return value if math.isfinite(value) else None


def quantised(values, page=4096):
    return [float(page * round(v / page)) for v in values]


def ar1(rng, n, phi, sd, level):
    out = np.empty(n)
    state = 0.0
    for i in range(n):
        state = phi * state + rng.normal(0, sd)
        out[i] = level + state
    return out


def ar1_false_trend(n=300, phi=0.9):
    """First seed whose AR(1) series (no trend) the plain test calls increasing but Hamed-Rao does not."""
    for seed in range(1000, 100000):
        rng = np.random.default_rng(seed)
        y = [float(round(v)) for v in ar1(rng, n, phi, 20_000.0, 50e6)]
        plain = mk.original_test(y, alpha=OUR_ALPHA)
        corrected_ours = mk.hamed_rao_modification_test(y, alpha=0.05)  # lag significance 5%
        corrected_strict = mk.hamed_rao_modification_test(y, alpha=OUR_ALPHA)
        ours_says_trend = abs(corrected_ours.z) > stats.norm.ppf(1 - OUR_ALPHA / 2)
        if plain.trend == "increasing" and not ours_says_trend and corrected_strict.trend == "no trend":
            return seed, y
    raise SystemExit("no AR(1) seed qualified")


def series_cases():
    """(name, x, y) triples; x is None where the index is the natural axis."""
    cases = []
    rng = np.random.default_rng(20240501)
    i300 = np.arange(300)

    cases.append(("flat_noise", None, [float(round(v)) for v in 50e6 + rng.normal(0, 200_000, 200)]))
    cases.append(("clear_leak", None, [float(round(v)) for v in 50e6 + 1024 * i300 + rng.normal(0, 100_000, 300)]))
    cases.append(("small_leak_large_noise", None,
                  [float(round(v)) for v in 50e6 + 50 * np.arange(500) + rng.normal(0, 1e6, 500)]))
    cases.append(("page_quantised_leak", None,
                  quantised(40e6 + 300 * np.arange(400) + rng.normal(0, 50_000, 400))))
    cases.append(("page_quantised_flat", None, quantised(40e6 + rng.normal(0, 4096, 400))))
    step = np.where(i300 < 100, 40e6, 45e6) + rng.normal(0, 30_000, 300)
    cases.append(("step_then_flat", None, [float(round(v)) for v in step]))
    seed, y = ar1_false_trend()
    cases.append((f"ar1_phi0.9_no_trend_seed{seed}", None, y))
    cases.append(("decreasing", None, [float(round(v)) for v in 80e6 - 2000 * i300 + rng.normal(0, 150_000, 300)]))
    cases.append(("fractional_values", None, [round(float(v), 3) for v in 3.5 + 0.01 * i300 + rng.normal(0, 0.4, 300)]))

    # Irregular x with repeated x values (bucketed periodic series can share a time stamp).
    x = np.sort(np.round(rng.uniform(0, 1000, 250)))
    cases.append(("irregular_x_with_ties", [float(v) for v in x],
                  [float(round(v)) for v in 1e6 + 37.5 * x + rng.normal(0, 8_000, 250)]))

    # Sizes that take the bounded-memory selection path in Swift (many pairwise slopes).
    cases.append(("large_leak_n1500", None,
                  [float(round(v)) for v in 60e6 + 700 * np.arange(1500) + rng.normal(0, 400_000, 1500)]))
    cases.append(("large_quantised_n1200", None, quantised(30e6 + 20 * np.arange(1200) + rng.normal(0, 8_000, 1200))))
    cases.append(("large_noise_n2500", None, [float(round(v)) for v in 70e6 + rng.normal(0, 1e6, 2500)]))

    # Small-n edge cases.
    cases.append(("n2", None, [5.0, 7.0]))
    cases.append(("n3", None, [5.0, 7.0, 6.0]))
    cases.append(("n4_ties", None, [4096.0, 4096.0, 8192.0, 4096.0]))
    cases.append(("n5_all_equal", None, [8192.0] * 5))
    cases.append(("n12_increasing", None, [float(v) for v in [3, 4, 4, 6, 5, 7, 9, 8, 10, 12, 11, 13]]))
    cases.append(("x_mostly_tied", [0.0, 0.0, 0.0, 0.0, 1.0, 1.0], [1.0, 2.0, 3.0, 4.0, 9.0, 8.0]))
    return cases


def theilsen_vector(name, x, y):
    xs = list(range(len(y))) if x is None else x
    xs = [float(v) for v in xs]
    res = stats.theilslopes(y, xs, 0.95, method="separate")
    return {
        "name": name, "x": xs, "y": y,
        "slope": finite_or_none(res.slope), "intercept": finite_or_none(res.intercept),
        "low_slope": finite_or_none(res.low_slope), "high_slope": finite_or_none(res.high_slope),
    }


def mk_record(result, alpha):
    p_exact = 2 * stats.norm.sf(abs(result.z))
    assert abs(p_exact - result.p) < 1e-12, (p_exact, result.p)
    return {
        "s": float(result.s), "var_s": finite_or_none(result.var_s), "z": float(result.z),
        "p": float(result.p), "p_exact": float(p_exact), "tau": float(result.Tau),
        "trend": result.trend, "alpha": alpha, "slope": finite_or_none(result.slope),
    }


def trend_at(z, alpha):
    significant = abs(z) > stats.norm.ppf(1 - alpha / 2)
    if significant and z > 0:
        return "increasing"
    if significant and z < 0:
        return "decreasing"
    return "no trend"


def mannkendall_vector(name, y):
    record = {"name": name, "values": y, "original": mk_record(mk.original_test(y, alpha=0.05), 0.05)}
    record["original_trend_at_0.01"] = trend_at(record["original"]["z"], OUR_ALPHA)
    if len(y) >= 3:
        hr05 = mk.hamed_rao_modification_test(y, alpha=0.05)
        record["hamed_rao_lag05"] = mk_record(hr05, 0.05)
        record["hamed_rao_lag05"]["trend_at_0.01"] = trend_at(hr05.z, OUR_ALPHA)
        record["hamed_rao_lag01"] = mk_record(mk.hamed_rao_modification_test(y, alpha=0.01), 0.01)
    return record


def main():
    cases = series_cases()
    versions = {"scipy": scipy.__version__, "numpy": np.__version__, "pymannkendall": mk.__version__}
    theil = [theilsen_vector(name, x, y) for name, x, y in cases]
    kendall = [mannkendall_vector(name, y) for name, x, y in cases if x is None]

    ar1 = next(v for v in kendall if v["name"].startswith("ar1_"))
    assert ar1["original_trend_at_0.01"] == "increasing"
    assert ar1["hamed_rao_lag05"]["trend_at_0.01"] == "no trend"
    assert ar1["hamed_rao_lag01"]["trend"] == "no trend"

    for file_name, vectors in (("theilsen_vectors.json", theil), ("mannkendall_vectors.json", kendall)):
        with open(os.path.join(HERE, file_name), "w") as out:
            json.dump({"generator": "generate_reference.py", "versions": versions, "cases": vectors}, out,
                      allow_nan=False)
            out.write("\n")
    print(f"wrote {len(theil)} Theil-Sen and {len(kendall)} Mann-Kendall cases; AR(1): {ar1['name']}")


if __name__ == "__main__":
    main()
