"""Statistical assertions with a stated false-alarm rate and power.

In the manner of TensorFlow Probability's ``statistical_testing``: every assertion takes
its ``false_fail_rate`` (probability that a *correct* implementation fails the check),
and beside each test are two functions: the sample size needed to detect a stated
discrepancy with probability at least ``1 - false_pass_rate``, and the smallest
discrepancy detectable with a given sample size. Sample sizes are computed, never picked
by hand. One :class:`ErrorBudget` splits a total false-fail rate over a batch of
assertions (Bonferroni), e.g. over the examples a hypothesis test generates.

Tests
-----
``chi2_variance``   exact: for i.i.d. N(mu, s2) samples with known mu,
                    sum((x - mu)^2) / s2 ~ chi2(n). Two-sided.
``hoeffding_mean``  exact (distribution-free) for i.i.d. samples in [lo, hi]:
                    P(|mean - mu| >= t) <= 2 exp(-2 n t^2 / (hi - lo)^2).
``binomial``        exact equal-tailed binomial test: passes iff p lies in the
                    Clopper-Pearson interval; sample sizes from the exact power at the
                    actual p (``scipy.stats.binom``), not a distribution-free bound.
``binomial_one_sided`` exact one-sided binomial test (e.g. "P(event) > 1/2").
``zero_failures``   a claim of probability 1: any failure refutes it (level 0); reports the
                    exact lower confidence bound on the success rate.
``uniform_support`` exact test of U(-a, a) by its support: max|w| > a is impossible, and
                    max|w| < a sqrt(1 - e) has probability (1 - e)^(n/2); detects a
                    relative variance error e with far fewer samples than a mean test.
``ks_fit``          Kolmogorov-Smirnov goodness of fit (scipy's exact/asymptotic null);
                    power from the DKW inequality, so the stated detectable distance holds.
``t_batch_means``   Student t on batch means, for unbounded non-normal data; its level is
                    exact only asymptotically (CLT over each batch), said in the evidence.

Every outcome states its test, alpha, samples, the smallest discrepancy it detects with
probability >= 1 - 1e-6, and whether its level is exact, conservative or asymptotic. With
``$VERIFY_STATS_LOG`` set, each outcome is also appended to that file (JSON lines) with
the samples it used and the samples a test of its kind needs for the same alpha, effect
and power: ``make stats-audit`` reads it (``claimledger/stats_audit.py``).
"""
from __future__ import annotations

import functools
import json
import math
import os
from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats

MAX_FALSE_FAIL_RATE = 1e-6  # the project's ceiling per check


@dataclass(frozen=True)
class TestOutcome:
    test: str
    n: int
    statistic: float
    lower: float
    upper: float
    false_fail_rate: float
    target: float
    estimate: float
    detectable: str
    level: str = "exact"  # exact | conservative | asymptotic: how the false-fail rate holds
    effect: float | None = None  # the discrepancy the sample size was chosen to detect
    n_needed: int | None = None  # samples a test of this kind needs for that effect

    def __post_init__(self) -> None:
        log = os.environ.get("VERIFY_STATS_LOG")
        if log:
            rec = {k: (v if not isinstance(v, float) or math.isfinite(v) else str(v))
                   for k, v in asdict(self).items()}
            rec["check"] = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0]
            with open(log, "a", encoding="utf-8") as f:
                f.write(json.dumps(rec) + "\n")

    @property
    def passed(self) -> bool:
        return self.lower <= self.statistic <= self.upper

    def evidence(self) -> str:
        return (f"{self.test}: n={self.n}, estimate {self.estimate:.6g} vs {self.target:.6g}, "
                f"statistic {self.statistic:.6g} in [{self.lower:.6g}, {self.upper:.6g}], "
                f"alpha={self.false_fail_rate:.3g} ({self.level} level), {self.detectable}")

    def assert_ok(self, what: str) -> None:
        if not self.passed:
            raise AssertionError(f"{what}: rejected by {self.evidence()}")


class ErrorBudget:
    """A total false-fail rate shared equally by ``k`` assertions (Bonferroni)."""

    def __init__(self, total: float = MAX_FALSE_FAIL_RATE, k: int = 1) -> None:
        if not 0 < total <= MAX_FALSE_FAIL_RATE:
            raise ValueError(f"total false-fail rate must be in (0, {MAX_FALSE_FAIL_RATE}]")
        if k < 1:
            raise ValueError("k must be >= 1")
        self.total, self.k = total, k

    @property
    def per_assertion(self) -> float:
        return self.total / self.k

    def __repr__(self) -> str:
        return f"ErrorBudget(total={self.total:g}, k={self.k}, each={self.per_assertion:.3g})"


def _check_rates(false_fail_rate: float, false_pass_rate: float | None = None) -> None:
    if not 0 < false_fail_rate <= MAX_FALSE_FAIL_RATE:
        raise ValueError(f"false_fail_rate must be in (0, {MAX_FALSE_FAIL_RATE}], "
                         f"got {false_fail_rate}")
    if false_pass_rate is not None and not 0 < false_pass_rate < 1:
        raise ValueError(f"false_pass_rate must be in (0, 1), got {false_pass_rate}")


def _as_sample(x) -> np.ndarray:
    x = np.asarray(x, dtype=float).ravel()
    if x.size < 2 or not np.all(np.isfinite(x)):
        raise ValueError("a sample needs at least 2 finite values")
    return x


# -- chi-square test of a normal variance --------------------------------------------
def _chi2_bounds(n: int, alpha: float) -> tuple[float, float]:
    return stats.chi2.ppf(alpha / 2, n), stats.chi2.isf(alpha / 2, n)


def chi2_variance_power(n: int, rel_effect: float, *, false_fail_rate: float) -> float:
    """P(reject) when the true variance is ``(1 + rel_effect)`` times the tested one."""
    lo, hi = _chi2_bounds(n, false_fail_rate)
    s = 1.0 + rel_effect
    return float(stats.chi2.sf(hi / s, n) + stats.chi2.cdf(lo / s, n))


def chi2_variance_sample_size(rel_effect: float, *, false_fail_rate: float = 1e-6,
                              false_pass_rate: float = 1e-6) -> int:
    """Smallest n detecting a relative variance error of +-``rel_effect`` w.p. >= 1 - beta."""
    _check_rates(false_fail_rate, false_pass_rate)
    if not 0 < rel_effect < 1:
        raise ValueError("rel_effect must be in (0, 1)")

    def ok(n: int) -> bool:
        return min(chi2_variance_power(n, rel_effect, false_fail_rate=false_fail_rate),
                   chi2_variance_power(n, -rel_effect, false_fail_rate=false_fail_rate)) \
            >= 1 - false_pass_rate

    hi = 2
    while not ok(hi):
        hi *= 2
    lo = hi // 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if ok(mid) else (mid, hi)
    return hi


def _bisect_effect(power, lo: float, hi: float, beta: float) -> float:
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if power(mid) >= 1 - beta else (mid, hi)
    return hi


@functools.lru_cache(maxsize=1024)  # bisections of 60 power evaluations: reuse them
def chi2_variance_min_detectable(n: int, *, false_fail_rate: float = 1e-6,
                                 false_pass_rate: float = 1e-6) -> float:
    """Smallest e such that relative variance errors of +e and -e are both detected
    w.p. >= 1 - beta with n samples; ``inf`` when no decrease below the tested variance
    (e < 1) is detectable that reliably with so few samples."""
    _check_rates(false_fail_rate, false_pass_rate)

    def pw(e: float) -> float:
        return chi2_variance_power(n, e, false_fail_rate=false_fail_rate)

    if pw(-(1 - 1e-12)) < 1 - false_pass_rate:
        return math.inf
    up_hi = 1.0
    while pw(up_hi) < 1 - false_pass_rate:
        up_hi *= 2
    up = _bisect_effect(pw, 1e-9, up_hi, false_pass_rate)
    down = _bisect_effect(lambda e: pw(-e), 1e-9, 1 - 1e-12, false_pass_rate)
    return max(up, down)


def chi2_variance(x, variance: float, *, mean: float = 0.0, false_fail_rate: float,
                  effect: float | None = None) -> TestOutcome:
    """Exact two-sided test that i.i.d. normal samples with known mean have ``variance``.
    ``effect``: the relative variance error the check is sized to detect (its ``n_needed``
    is then :func:`chi2_variance_sample_size` of it); without it, the min-detectable."""
    _check_rates(false_fail_rate)
    x = _as_sample(x)
    if not variance > 0:
        raise ValueError("variance must be positive")
    n = x.size
    stat = float(np.sum((x - mean) ** 2) / variance)
    lo, hi = _chi2_bounds(n, false_fail_rate)
    det = chi2_variance_min_detectable(n, false_fail_rate=false_fail_rate)
    eff = effect if effect is not None else (det if det < 1 else None)
    need = chi2_variance_sample_size(eff, false_fail_rate=false_fail_rate) \
        if eff is not None else None
    return TestOutcome("chi-square variance test", n, stat, lo, hi, false_fail_rate,
                       variance, stat * variance / n,
                       f"detects a relative variance error >= {det:.3g} w.p. >= 1-1e-6",
                       effect=eff, n_needed=need)


# -- Hoeffding test of a bounded mean ------------------------------------------------
def hoeffding_radius(n: int, *, width: float, rate: float) -> float:
    """t with 2 exp(-2 n t^2 / width^2) = rate."""
    return width * math.sqrt(math.log(2 / rate) / (2 * n))


def hoeffding_sample_size(effect: float, *, lower: float, upper: float,
                          false_fail_rate: float = 1e-6, false_pass_rate: float = 1e-6) -> int:
    """Smallest n detecting ``|true mean - tested mean| >= effect`` w.p. >= 1 - beta.

    Rejection happens when ``|mean - mu| > r_alpha``; under an alternative at distance
    ``effect`` the sample mean is within ``r_beta`` (one-sided Hoeffding) of its own mean
    w.p. >= 1 - beta, so ``r_alpha + r_beta <= effect`` suffices.
    """
    _check_rates(false_fail_rate, false_pass_rate)
    w = upper - lower
    if not (effect > 0 and w > 0):
        raise ValueError("need effect > 0 and upper > lower")
    c = math.sqrt(math.log(2 / false_fail_rate) / 2) + math.sqrt(math.log(1 / false_pass_rate) / 2)
    return math.ceil((c * w / effect) ** 2)


def hoeffding_min_detectable(n: int, *, lower: float, upper: float,
                             false_fail_rate: float = 1e-6, false_pass_rate: float = 1e-6) -> float:
    w = upper - lower
    return (hoeffding_radius(n, width=w, rate=false_fail_rate)
            + w * math.sqrt(math.log(1 / false_pass_rate) / (2 * n)))


def hoeffding_mean(x, mean: float, *, lower: float, upper: float, false_fail_rate: float,
                   effect: float | None = None) -> TestOutcome:
    """Two-sided Hoeffding test that i.i.d. samples in [lower, upper] have mean ``mean``.
    ``effect``: the mean error the check is sized to detect (default: the min-detectable)."""
    _check_rates(false_fail_rate)
    x = _as_sample(x)
    if np.any(x < lower) or np.any(x > upper):
        raise ValueError(f"samples outside the stated range [{lower}, {upper}]")
    n = x.size
    r = hoeffding_radius(n, width=upper - lower, rate=false_fail_rate)
    est = float(np.mean(x))
    det = hoeffding_min_detectable(n, lower=lower, upper=upper, false_fail_rate=false_fail_rate)
    eff = effect if effect is not None else det
    return TestOutcome("Hoeffding mean test", n, est - mean, -r, r, false_fail_rate, mean, est,
                       f"detects |mean error| >= {det:.3g} w.p. >= 1-1e-6",
                       level="conservative", effect=eff,
                       n_needed=hoeffding_sample_size(eff, lower=lower, upper=upper,
                                                      false_fail_rate=false_fail_rate))


# -- exact binomial tests ------------------------------------------------------------
def _binomial_region(n: int, p: float, alpha: float) -> tuple[int, int]:
    """Equal-tailed exact acceptance region [lo, hi] of Bin(n, p) at level alpha: the
    largest lo with P(X < lo) <= alpha/2 and the smallest hi with P(X > hi) <= alpha/2."""
    lo = int(stats.binom.ppf(alpha / 2, n, p))
    if stats.binom.cdf(lo, n, p) > alpha / 2:
        lo -= 1  # ppf gives P(X <= lo) >= alpha/2; the rejection tail is X <= lo - 1...
    lo += 1
    hi = int(stats.binom.isf(alpha / 2, n, p))
    while hi < n and stats.binom.sf(hi, n, p) > alpha / 2:
        hi += 1
    while hi > 0 and stats.binom.sf(hi - 1, n, p) <= alpha / 2:
        hi -= 1
    return max(lo, 0), hi


def binomial_power(n: int, p: float, p_true: float, *, false_fail_rate: float) -> float:
    """Exact P(reject) of :func:`binomial` at n trials when the success rate is ``p_true``."""
    lo, hi = _binomial_region(n, p, false_fail_rate)
    return float(stats.binom.cdf(lo - 1, n, p_true) + stats.binom.sf(hi, n, p_true))


def _smallest_n(ok, start: int = 1) -> int:
    """Smallest n with ok(n), by doubling then bisection (power is monotone up to the
    binomial's small wiggles; the result is checked and stepped past any wiggle)."""
    hi = max(start, 1)
    while not ok(hi):
        hi *= 2
        if hi > 10**9:
            raise ValueError("no sample size up to 1e9 reaches the stated power")
    lo = hi // 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if ok(mid) else (mid, hi)
    return hi


@functools.lru_cache(maxsize=256)
def binomial_sample_size(effect: float, p: float, *, false_fail_rate: float = 1e-6,
                         false_pass_rate: float = 1e-6) -> int:
    """Smallest n at which the exact equal-tailed test of ``p`` rejects success rates
    ``p + effect`` and ``p - effect`` (those inside (0, 1)) w.p. >= 1 - beta."""
    _check_rates(false_fail_rate, false_pass_rate)
    if not (0 < p < 1 and effect > 0):
        raise ValueError("need 0 < p < 1 and effect > 0")
    alts = [q for q in (p - effect, p + effect) if 0 < q < 1]
    if not alts:
        raise ValueError("p +- effect leaves (0, 1): nothing to detect")

    def ok(n: int) -> bool:
        return all(binomial_power(n, p, q, false_fail_rate=false_fail_rate)
                   >= 1 - false_pass_rate for q in alts)

    return _smallest_n(ok)


def binomial_min_detectable(n: int, p: float, *, false_fail_rate: float = 1e-6,
                            false_pass_rate: float = 1e-6) -> float:
    """Smallest e such that p +- e (inside (0, 1)) are rejected w.p. >= 1 - beta."""
    def ok(e: float) -> bool:
        alts = [q for q in (p - e, p + e) if 0 < q < 1]
        return bool(alts) and all(binomial_power(n, p, q, false_fail_rate=false_fail_rate)
                                  >= 1 - false_pass_rate for q in alts)

    lo, hi = 0.0, max(p, 1 - p)
    if not ok(hi * (1 - 1e-9)):
        return math.inf
    for _ in range(50):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if ok(mid) else (mid, hi)
    return hi


def clopper_pearson(k: int, n: int, alpha: float) -> tuple[float, float]:
    """Exact two-sided 1 - alpha confidence interval for a binomial success rate."""
    lo = 0.0 if k == 0 else float(stats.beta.ppf(alpha / 2, k, n - k + 1))
    hi = 1.0 if k == n else float(stats.beta.isf(alpha / 2, k + 1, n - k))
    return lo, hi


def binomial(k: int, n: int, p: float, *, false_fail_rate: float,
             effect: float | None = None) -> TestOutcome:
    """Exact equal-tailed binomial test of success probability ``p`` (passes iff ``p`` is
    in the Clopper-Pearson interval at level ``false_fail_rate``)."""
    _check_rates(false_fail_rate)
    if not (0 <= k <= n and n >= 1 and 0 < p < 1):
        raise ValueError("need 0 <= k <= n, n >= 1 and 0 < p < 1")
    lo, hi = _binomial_region(n, p, false_fail_rate)
    cp = clopper_pearson(k, n, false_fail_rate)
    det = binomial_min_detectable(n, p, false_fail_rate=false_fail_rate)
    eff = effect if effect is not None else (det if math.isfinite(det) else None)
    return TestOutcome("exact binomial test (equal-tailed)", n, float(k), float(lo), float(hi),
                       false_fail_rate, p, k / n,
                       f"Clopper-Pearson [{cp[0]:.4g}, {cp[1]:.4g}]; detects |rate error| >= "
                       f"{det:.3g} w.p. >= 1-1e-6",
                       effect=eff,
                       n_needed=binomial_sample_size(eff, p, false_fail_rate=false_fail_rate)
                       if eff else None)


def binomial_one_sided(k: int, n: int, p0: float, *, alternative: str,
                       false_fail_rate: float, effect: float | None = None) -> TestOutcome:
    """Exact one-sided binomial test. ``alternative="greater"`` passes (supports "rate >
    p0") iff P(X >= k | p0) <= alpha; ``"less"`` iff P(X <= k | p0) <= alpha. ``effect``:
    the distance |p1 - p0| of the true rate p1 at which the check is sized to pass w.p.
    >= 1 - 1e-6 (its ``n_needed`` is :func:`binomial_one_sided_sample_size`)."""
    _check_rates(false_fail_rate)
    if not (0 <= k <= n and n >= 1 and 0 < p0 < 1) or alternative not in ("greater", "less"):
        raise ValueError("need 0 <= k <= n, n >= 1, 0 < p0 < 1, alternative greater|less")
    tail = stats.binom.sf(k - 1, n, p0) if alternative == "greater" else \
        stats.binom.cdf(k, n, p0)
    need = None
    if effect is not None:
        p1 = p0 + effect if alternative == "greater" else p0 - effect
        if not 0 < p1 < 1:
            raise ValueError("p0 +- effect must lie in (0, 1)")
        need = binomial_one_sided_sample_size(p0, p1, false_fail_rate=false_fail_rate)
    return TestOutcome(f"exact one-sided binomial test (rate {'>' if alternative == 'greater' else '<'}"
                       f" {p0:g})", n, float(tail), 0.0, false_fail_rate, false_fail_rate, p0,
                       k / n, f"tail probability under p0 = {tail:.3g}"
                       + (f"; passes w.p. >= 1-1e-6 when the rate is {p1:g}"
                          if effect is not None else ""),
                       effect=effect, n_needed=need)


def binomial_one_sided_sample_size(p0: float, p1: float, *, false_fail_rate: float = 1e-6,
                                   false_pass_rate: float = 1e-6) -> int:
    """Smallest n at which the one-sided exact test of p0 supports the truth w.p. >= 1 - beta
    when the true rate is p1 (p1 > p0 for "greater", p1 < p0 for "less")."""
    _check_rates(false_fail_rate, false_pass_rate)
    greater = p1 > p0

    def ok(n: int) -> bool:
        if greater:
            k = int(stats.binom.isf(false_fail_rate, n, p0)) + 1  # smallest k: sf(k-1) <= a
            while k > 0 and stats.binom.sf(k - 2, n, p0) <= false_fail_rate:
                k -= 1
            return stats.binom.sf(k - 1, n, p1) >= 1 - false_pass_rate
        k = int(stats.binom.ppf(false_fail_rate, n, p0))
        while k >= 0 and stats.binom.cdf(k, n, p0) > false_fail_rate:
            k -= 1
        return k >= 0 and stats.binom.cdf(k, n, p1) >= 1 - false_pass_rate

    return _smallest_n(ok)


def zero_failures(failures: int, n: int, *, false_fail_rate: float,
                  detect_rate: float | None = None) -> TestOutcome:
    """A claim that an event has probability 1, tested as such: a correct implementation
    never fails (level 0 <= alpha), any failure refutes it. Reports the exact one-sided
    1 - alpha lower bound on the success rate, alpha^(1/n) when no failure occurred."""
    _check_rates(false_fail_rate)
    if not (0 <= failures <= n and n >= 1):
        raise ValueError("need 0 <= failures <= n and n >= 1")
    lower = false_fail_rate ** (1 / n) if failures == 0 else \
        float(stats.beta.ppf(false_fail_rate, n - failures, failures + 1))
    need = zero_failures_sample_size(detect_rate) if detect_rate else None
    return TestOutcome("zero-failure test of a probability-1 claim", n, float(failures), 0.0, 0.0,
                       false_fail_rate, 1.0, 1 - failures / n,
                       f"success rate >= {lower:.6g} (exact one-sided, 1 - {false_fail_rate:g})"
                       + (f"; detects a failure rate >= {detect_rate:g} w.p. >= 1-1e-6"
                          if detect_rate else ""),
                       effect=detect_rate, n_needed=need)


def zero_failures_sample_size(failure_rate: float, *, false_pass_rate: float = 1e-6) -> int:
    """Smallest n with P(no failure in n trials) = (1 - rate)^n <= beta."""
    if not 0 < failure_rate < 1:
        raise ValueError("failure_rate must be in (0, 1)")
    return math.ceil(math.log(false_pass_rate) / math.log1p(-failure_rate))


# -- the support test of a uniform distribution ----------------------------------------
def uniform_support_sample_size(rel_effect: float, *, false_fail_rate: float = 1e-6,
                                false_pass_rate: float = 1e-6) -> int:
    """Smallest n at which :func:`uniform_support` detects a relative variance error of
    +-``rel_effect`` w.p. >= 1 - beta. Variance (1 + e) a^2/3 means support a sqrt(1 + e):
    a sample beyond a has probability 1 - 1/sqrt(1 + e) each; variance (1 - e) a^2/3 puts
    every sample below the threshold a sqrt(1 - e) (certain detection), while a correct
    U(-a, a) stays below it w.p. (1 - e)^(n/2) <= alpha."""
    _check_rates(false_fail_rate, false_pass_rate)
    if not 0 < rel_effect < 1:
        raise ValueError("rel_effect must be in (0, 1)")
    n_low = math.ceil(2 * math.log(false_fail_rate) / math.log1p(-rel_effect))
    q = 1 / math.sqrt(1 + rel_effect)  # P(|w| <= a) under the wider support
    n_high = math.ceil(math.log(false_pass_rate) / math.log(q))
    return max(n_low, n_high)


def uniform_support(x, a: float, *, rel_effect: float, false_fail_rate: float) -> TestOutcome:
    """Exact test that i.i.d. samples are U(-a, a), by the support: fails if any |x| > a
    (impossible under the claim) or max |x| < a sqrt(1 - e) (probability (1 - e)^(n/2)
    under the claim, held to <= alpha by n). Detects relative variance errors >= e."""
    _check_rates(false_fail_rate)
    x = _as_sample(x)
    if not (a > 0 and 0 < rel_effect < 1):
        raise ValueError("need a > 0 and 0 < rel_effect < 1")
    n = x.size
    m = float(np.max(np.abs(x)))
    level = (1 - rel_effect) ** (n / 2)
    if level > false_fail_rate:
        raise ValueError(f"n = {n} too small: P(max|x| < a sqrt(1-e)) = {level:.3g} > alpha")
    return TestOutcome("support test of U(-a, a) (max |x|)", n, m / a, math.sqrt(1 - rel_effect),
                       1.0, false_fail_rate, a, m,
                       f"detects a relative variance error >= {rel_effect:g} w.p. >= 1-1e-6",
                       effect=rel_effect,
                       n_needed=uniform_support_sample_size(rel_effect,
                                                            false_fail_rate=false_fail_rate))


# -- goodness of fit -----------------------------------------------------------------
@functools.lru_cache(maxsize=256)  # a check's cases share n and alpha; isf costs ~5 ms
def _ks_critical(n: int, alpha: float) -> float:
    return float(stats.kstwo.isf(alpha, n))


def ks_min_detectable(n: int, *, false_fail_rate: float = 1e-6,
                      false_pass_rate: float = 1e-6) -> float:
    """Smallest sup-distance between the true and the tested CDF that the KS test detects
    w.p. >= 1 - beta: its exact critical value plus the DKW radius at beta."""
    crit = _ks_critical(n, false_fail_rate)
    return crit + math.sqrt(math.log(2 / false_pass_rate) / (2 * n))


@functools.lru_cache(maxsize=256)  # dozens of KS power evaluations: reuse them
def ks_sample_size(distance: float, *, false_fail_rate: float = 1e-6,
                   false_pass_rate: float = 1e-6) -> int:
    """Smallest n at which :func:`ks_fit` detects a CDF sup-distance >= ``distance``."""
    _check_rates(false_fail_rate, false_pass_rate)
    if not 0 < distance < 1:
        raise ValueError("distance must be in (0, 1)")
    return _smallest_n(lambda n: ks_min_detectable(n, false_fail_rate=false_fail_rate,
                                                   false_pass_rate=false_pass_rate) <= distance,
                       start=8)


def ks_fit(x, cdf, *, false_fail_rate: float, name: str = "",
           distance: float | None = None) -> TestOutcome:
    """Kolmogorov-Smirnov test that i.i.d. samples follow the continuous ``cdf`` (a scipy
    frozen distribution's cdf or a callable). Level exact (scipy's ``kstwo`` null)."""
    _check_rates(false_fail_rate)
    x = _as_sample(x)
    n = x.size
    res = stats.kstest(x, cdf, method="asymp" if n > 10_000 else "exact")
    crit = _ks_critical(n, false_fail_rate)
    det = ks_min_detectable(n, false_fail_rate=false_fail_rate)
    eff = distance if distance is not None else det
    return TestOutcome(f"Kolmogorov-Smirnov fit{' to ' + name if name else ''}", n,
                       float(res.statistic), 0.0, crit, false_fail_rate, 0.0,
                       float(res.statistic),
                       f"detects a CDF distance >= {det:.3g} w.p. >= 1-1e-6 (DKW)",
                       level="exact" if n <= 10_000 else "asymptotic (n > 10^4; "
                       "critical value exact)", effect=eff,
                       n_needed=ks_sample_size(eff, false_fail_rate=false_fail_rate)
                       if eff < 1 else None)


# -- t test on batch means -----------------------------------------------------------
def t_batch_means_miss(n: int, effect: float, *, batches: int, false_fail_rate: float) -> float:
    """P(pass) of :func:`t_batch_means` with ``n`` samples in ``batches`` batches when the
    mean is off by ``effect`` standard deviations of one sample, the batch means taken as
    normal (the CLT approximation of the test itself): P(|noncentral t(B - 1, effect sqrt n)|
    <= q), integrated over the chi-square of the standard error (scipy's ``nct`` loses
    accuracy this far in the tail)."""
    from scipy import integrate

    df = batches - 1
    q = stats.t.isf(false_fail_rate / 2, df)
    ncp = effect * math.sqrt(n)

    def f(v: float) -> float:
        s = q * math.sqrt(v / df)
        return float((stats.norm.cdf(s - ncp) - stats.norm.cdf(-s - ncp)) * stats.chi2.pdf(v, df))

    hi = float(stats.chi2.isf(1e-14, df))
    return float(integrate.quad(f, 0.0, hi, epsabs=1e-13, epsrel=1e-8, limit=200,
                                points=[df])[0])


@functools.lru_cache(maxsize=64)
def t_batch_means_sample_size(effect: float, *, batches: int = 50,
                              false_fail_rate: float = 1e-6,
                              false_pass_rate: float = 1e-6) -> int:
    """Smallest n (a multiple of ``batches``) at which :func:`t_batch_means` detects a mean
    error of ``effect`` standard deviations w.p. >= 1 - beta (approximate, as its level)."""
    _check_rates(false_fail_rate, false_pass_rate)
    if not effect > 0 or batches < 2:
        raise ValueError("need effect > 0 and batches >= 2")
    k = _smallest_n(lambda k: t_batch_means_miss(k * batches, effect, batches=batches,
                                                 false_fail_rate=false_fail_rate)
                    <= false_pass_rate, start=2)
    return k * batches


def t_batch_means(x, mean: float, *, false_fail_rate: float, batches: int = 50,
                  effect: float | None = None) -> TestOutcome:
    """Student t test of the mean on ``batches`` batch means (approximate: CLT per batch).
    ``effect``: the mean error, in standard deviations of one sample, the check is sized to
    detect (its ``n_needed`` is :func:`t_batch_means_sample_size`)."""
    _check_rates(false_fail_rate)
    x = _as_sample(x)
    if x.size < 2 * batches:
        raise ValueError("need at least two samples per batch")
    m = x[: x.size // batches * batches].reshape(batches, -1).mean(axis=1)
    se = m.std(ddof=1) / math.sqrt(batches)
    t = float((m.mean() - mean) / se) if se > 0 else (0.0 if m.mean() == mean else math.inf)
    q = stats.t.isf(false_fail_rate / 2, batches - 1)
    need = t_batch_means_sample_size(effect, batches=batches, false_fail_rate=false_fail_rate) \
        if effect is not None else None
    return TestOutcome(f"t test on {batches} batch means", x.size, t, -q,
                       q, false_fail_rate, mean, float(m.mean()),
                       f"detects a mean error of about {(q + stats.norm.isf(1e-6)) * se:.3g}"
                       + (f"; sized for {effect:g} sd" if effect is not None else ""),
                       level="asymptotic (CLT within each batch)", effect=effect, n_needed=need)
