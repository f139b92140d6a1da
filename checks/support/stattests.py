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
``binomial``        exact two-sided binomial test (scipy.stats.binomtest).
``t_batch_means``   Student t on batch means, for unbounded non-normal data; its level is
                    exact only asymptotically (CLT over each batch), said in the evidence.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

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

    @property
    def passed(self) -> bool:
        return self.lower <= self.statistic <= self.upper

    def evidence(self) -> str:
        return (f"{self.test}: n={self.n}, estimate {self.estimate:.6g} vs {self.target:.6g}, "
                f"statistic {self.statistic:.6g} in [{self.lower:.6g}, {self.upper:.6g}], "
                f"alpha={self.false_fail_rate:.3g}, {self.detectable}")

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


@functools.lru_cache(maxsize=1024)  # a bisection of 60 power evaluations: reuse it
def chi2_variance_min_detectable(n: int, *, false_fail_rate: float = 1e-6,
                                 false_pass_rate: float = 1e-6) -> float:
    """Smallest relative variance error detected w.p. >= 1 - beta with n samples."""
    _check_rates(false_fail_rate, false_pass_rate)
    lo, hi = 1e-6, 0.999
    for _ in range(60):
        mid = (lo + hi) / 2
        p = min(chi2_variance_power(n, mid, false_fail_rate=false_fail_rate),
                chi2_variance_power(n, -mid, false_fail_rate=false_fail_rate))
        lo, hi = (lo, mid) if p >= 1 - false_pass_rate else (mid, hi)
    return hi


def chi2_variance(x, variance: float, *, mean: float = 0.0,
                  false_fail_rate: float) -> TestOutcome:
    """Exact two-sided test that i.i.d. normal samples with known mean have ``variance``."""
    _check_rates(false_fail_rate)
    x = _as_sample(x)
    if not variance > 0:
        raise ValueError("variance must be positive")
    n = x.size
    stat = float(np.sum((x - mean) ** 2) / variance)
    lo, hi = _chi2_bounds(n, false_fail_rate)
    det = chi2_variance_min_detectable(n, false_fail_rate=false_fail_rate)
    return TestOutcome("chi-square variance test", n, stat, lo, hi, false_fail_rate,
                       variance, stat * variance / n,
                       f"detects a relative variance error >= {det:.3g} w.p. >= 1-1e-6")


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


def hoeffding_mean(x, mean: float, *, lower: float, upper: float,
                   false_fail_rate: float) -> TestOutcome:
    """Two-sided Hoeffding test that i.i.d. samples in [lower, upper] have mean ``mean``."""
    _check_rates(false_fail_rate)
    x = _as_sample(x)
    if np.any(x < lower) or np.any(x > upper):
        raise ValueError(f"samples outside the stated range [{lower}, {upper}]")
    n = x.size
    r = hoeffding_radius(n, width=upper - lower, rate=false_fail_rate)
    est = float(np.mean(x))
    det = hoeffding_min_detectable(n, lower=lower, upper=upper, false_fail_rate=false_fail_rate)
    return TestOutcome("Hoeffding mean test", n, est - mean, -r, r, false_fail_rate, mean, est,
                       f"detects |mean error| >= {det:.3g} w.p. >= 1-1e-6")


# -- exact binomial test -------------------------------------------------------------
def binomial(k: int, n: int, p: float, *, false_fail_rate: float) -> TestOutcome:
    """Exact two-sided binomial test of success probability ``p``."""
    _check_rates(false_fail_rate)
    if not (0 <= k <= n and n >= 1 and 0 < p < 1):
        raise ValueError("need 0 <= k <= n, n >= 1 and 0 < p < 1")
    pval = stats.binomtest(k, n, p).pvalue
    # express as statistic in [alpha, 1]: passes when the p-value is at least alpha
    return TestOutcome("exact binomial test (p-value)", n, float(pval), false_fail_rate, 1.0,
                       false_fail_rate, p, k / n, "two-sided")


def binomial_sample_size(effect: float, p: float, *, false_fail_rate: float = 1e-6,
                         false_pass_rate: float = 1e-6) -> int:
    """n for which Hoeffding's bound guarantees detection of |p' - p| >= effect."""
    return hoeffding_sample_size(effect, lower=0.0, upper=1.0, false_fail_rate=false_fail_rate,
                                 false_pass_rate=false_pass_rate)


# -- t test on batch means -----------------------------------------------------------
def t_batch_means(x, mean: float, *, false_fail_rate: float, batches: int = 50) -> TestOutcome:
    """Student t test of the mean on ``batches`` batch means (approximate: CLT per batch)."""
    _check_rates(false_fail_rate)
    x = _as_sample(x)
    if x.size < 2 * batches:
        raise ValueError("need at least two samples per batch")
    m = x[: x.size // batches * batches].reshape(batches, -1).mean(axis=1)
    se = m.std(ddof=1) / math.sqrt(batches)
    t = float((m.mean() - mean) / se) if se > 0 else (0.0 if m.mean() == mean else math.inf)
    q = stats.t.isf(false_fail_rate / 2, batches - 1)
    return TestOutcome(f"t test on {batches} batch means (CLT-approximate level)", x.size, t, -q,
                       q, false_fail_rate, mean, float(m.mean()),
                       f"detects a mean error of about {(q + stats.norm.isf(1e-6)) * se:.3g}")
