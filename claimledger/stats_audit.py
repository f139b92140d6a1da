"""``make stats-audit``: are the statistical checks right-sized, and are the tests calibrated?

Two parts.

**Sizing.** The article's checks run once with ``$VERIFY_STATS_LOG`` set; every
statistical outcome (:class:`claimledger.stattests.TestOutcome`) is logged with its
test, alpha, the effect the check states it must detect, the samples it used and the
samples a test of that kind needs for the same alpha, effect and power (1 - 1e-6). The
audit prints the table and fails when a check uses more than 1.5 times what it needs, or
states no effect (a sample size that answers to no stated effect cannot be judged).

**Calibration.** Each test of :mod:`stattests` runs at alpha = 0.05 on data drawn from its
null and from its stated alternative, over many seeds (sample sizes from the module's own
``*_sample_size`` at power 0.9). The empirical level and power are reported with exact
Clopper-Pearson intervals; the audit fails when the level is significantly above alpha
(interval entirely above it) or the power significantly below 0.9.

``python -m claimledger.stats_audit sizing LOG`` / ``calibrate [--reps R] [--shard k/N]``.
"""
from __future__ import annotations

import json
import math
import sys
from collections import defaultdict

import numpy as np
from scipy import stats

from . import stattests as T

RATIO_LIMIT = 1.5


def sizing(log_path: str) -> int:
    rows: dict[tuple, dict] = {}
    with open(log_path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            key = (r["check"], r["test"])
            old = rows.get(key)
            if old is None or r["n"] > old["n"]:
                rows[key] = r  # the largest sample a check draws for one test
    bad = 0
    print(f"{'check':<70} {'test':<42} {'alpha':>8} {'effect':>8} {'n used':>9} "
          f"{'n needed':>9} {'ratio':>6} level")
    for (check, test), r in sorted(rows.items()):
        need, eff = r.get("n_needed"), r.get("effect")
        if not need or eff is None:
            verdict, ratio = "NO STATED EFFECT", float("nan")
            bad += 1
        else:
            ratio = r["n"] / need
            verdict = "OVER" if ratio > RATIO_LIMIT else ""
            bad += ratio > RATIO_LIMIT
        eff_s = f"{eff:.3g}" if isinstance(eff, (int, float)) else "-"
        print(f"{check[-70:]:<70} {test[:42]:<42} {r['false_fail_rate']:>8.2g} {eff_s:>8} "
              f"{r['n']:>9} {need or '-':>9} {ratio:>6.2f} {r.get('level', '')} {verdict}")
    print(f"\n{len(rows)} statistical outcomes; {bad} over {RATIO_LIMIT}x or without a stated "
          "effect")
    return 1 if bad else 0


# -- calibration ---------------------------------------------------------------------------
def _cases():
    """(name, n, draw_null(rng, n), draw_alt(rng, n), decide(x) -> passed)."""
    a, alpha = 0.05, 0.05
    out = []
    n = T.chi2_variance_sample_size(0.1, false_fail_rate=a, false_pass_rate=0.1)
    out.append(("chi2_variance, +-10 % variance", n,
                lambda g, n: g.normal(0, 1, n), lambda g, n: g.normal(0, math.sqrt(1.1), n),
                lambda x: T.chi2_variance(x, 1.0, false_fail_rate=alpha).passed))
    n = T.binomial_sample_size(0.05, 0.3, false_fail_rate=a, false_pass_rate=0.1)
    out.append(("binomial p=0.3, +-0.05", n,
                lambda g, n: g.binomial(n, 0.3), lambda g, n: g.binomial(n, 0.35),
                lambda k, n=n: T.binomial(int(k), n, 0.3, false_fail_rate=alpha).passed))
    n = T.uniform_support_sample_size(0.1, false_fail_rate=a, false_pass_rate=0.1)
    out.append(("uniform_support, +10 % variance", n,
                lambda g, n: g.uniform(-1, 1, n),
                lambda g, n: g.uniform(-math.sqrt(1.1), math.sqrt(1.1), n),
                lambda x: T.uniform_support(x, 1.0, rel_effect=0.1, false_fail_rate=alpha).passed))
    n = T.ks_sample_size(0.05, false_fail_rate=a, false_pass_rate=0.1)
    shift = 0.05 / stats.norm.pdf(0)  # a location shift with sup CDF distance ~ 0.05
    out.append(("ks_fit normal, CDF distance 0.05", n,
                lambda g, n: g.normal(0, 1, n), lambda g, n: g.normal(shift, 1, n),
                lambda x: T.ks_fit(x, stats.norm.cdf, false_fail_rate=alpha).passed))
    n = T.hoeffding_sample_size(0.05, lower=0, upper=1, false_fail_rate=a, false_pass_rate=0.1)
    out.append(("hoeffding_mean [0,1], 0.05", n,
                lambda g, n: g.uniform(0, 1, n), lambda g, n: g.uniform(0.1, 1, n),
                lambda x: T.hoeffding_mean(x, 0.5, lower=0, upper=1,
                                           false_fail_rate=alpha).passed))
    n = T.binomial_one_sided_sample_size(0.5, 0.6, false_fail_rate=a, false_pass_rate=0.1)
    out.append(("binomial_one_sided > 0.5, at 0.6", n,
                lambda g, n: g.binomial(n, 0.5), lambda g, n: g.binomial(n, 0.6),
                # "passed" means the claim rate > 1/2 is supported: under the null (rate
                # 1/2) support is the false alarm, under the alternative its absence is
                lambda k, n=n: not T.binomial_one_sided(int(k), n, 0.5, alternative="greater",
                                                        false_fail_rate=alpha).passed))
    n = T.t_batch_means_sample_size(0.2, batches=20, false_fail_rate=a, false_pass_rate=0.1)
    out.append(("t_batch_means 20 batches, 0.2 sd", n,
                lambda g, n: g.exponential(1, n) - 1, lambda g, n: g.exponential(1, n) - 0.8,
                lambda x: T.t_batch_means(x, 0.0, false_fail_rate=alpha, batches=20).passed))
    n = T.zero_failures_sample_size(0.05, false_pass_rate=0.1)
    out.append(("zero_failures, failure rate 0.05", n,
                lambda g, n: np.zeros(n), lambda g, n: g.random(n) < 0.05,
                lambda x: T.zero_failures(int(np.sum(x)), x.size, false_fail_rate=alpha).passed))
    return out


def calibrate(reps: int = 1000, shard: tuple[int, int] = (1, 1), seed: int = 0) -> int:
    old = T.MAX_FALSE_FAIL_RATE
    T.MAX_FALSE_FAIL_RATE = 0.05  # calibration runs the tests at a level one can observe
    bad = 0
    try:
        k, m = shard
        print(f"{'test':<36} {'n':>7} {'level':>7} {'CP 99% level':>18} {'power':>7} "
              f"{'CP 99% power':>18}")
        for i, (name, n, null, alt, decide) in enumerate(_cases()):
            if i % m != k - 1:
                continue
            rejections = defaultdict(int)
            for r in range(reps):
                g = np.random.default_rng([seed, i, r])
                rejections["null"] += not decide(null(g, n))
                rejections["alt"] += not decide(alt(g, n))
            lv = T.clopper_pearson(rejections["null"], reps, 0.01)
            pw = T.clopper_pearson(rejections["alt"], reps, 0.01)
            flag = ""
            if lv[0] > 0.05:
                flag += " LEVEL ABOVE ALPHA"
            if pw[1] < 0.9:
                flag += " POWER BELOW 0.9"
            bad += bool(flag)
            print(f"{name:<36} {n:>7} {rejections['null'] / reps:>7.3f} "
                  f"[{lv[0]:.3f}, {lv[1]:.3f}]".rjust(18) + f" {rejections['alt'] / reps:>7.3f} "
                  f"[{pw[0]:.3f}, {pw[1]:.3f}]".rjust(18) + flag)
    finally:
        T.MAX_FALSE_FAIL_RATE = old
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[1] == "sizing":
        return sizing(argv[2])
    if len(argv) >= 2 and argv[1] == "calibrate":
        reps, shard = 1000, (1, 1)
        if "--reps" in argv:
            reps = int(argv[argv.index("--reps") + 1])
        if "--shard" in argv:
            k, m = argv[argv.index("--shard") + 1].split("/")
            shard = (int(k), int(m))
        return calibrate(reps, shard)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
