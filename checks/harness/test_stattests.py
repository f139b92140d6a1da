"""The statistics module: levels, power and sample sizes are what they claim."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from claimledger import stattests as T

pytestmark = pytest.mark.harness


def test_rejects_false_fail_rate_above_project_ceiling():
    with pytest.raises(ValueError, match="false_fail_rate"):
        T.chi2_variance(np.ones(10), 1.0, false_fail_rate=0.01)
    with pytest.raises(ValueError):
        T.ErrorBudget(total=1e-3)


def test_error_budget_splits_bonferroni():
    b = T.ErrorBudget(total=1e-6, k=50)
    assert b.per_assertion == pytest.approx(2e-8, rel=0, abs=1e-20)


def test_chi2_sample_size_achieves_power_and_is_minimal():
    n = T.chi2_variance_sample_size(0.05)
    for eff in (0.05, -0.05):
        assert T.chi2_variance_power(n, eff, false_fail_rate=1e-6) >= 1 - 1e-6
    lower = min(T.chi2_variance_power(n - 1, e, false_fail_rate=1e-6) for e in (0.05, -0.05))
    assert lower < 1 - 1e-6, "sample size should be the smallest that achieves the power"
    assert 50_000 < n < 120_000


def test_chi2_min_detectable_inverts_sample_size():
    n = T.chi2_variance_sample_size(0.05)
    assert T.chi2_variance_min_detectable(n) == pytest.approx(0.05, rel=0.02, abs=0)


def test_chi2_detects_five_percent_variance_error(rng):
    n = T.chi2_variance_sample_size(0.05)
    ok = T.chi2_variance(rng.normal(0, 1, n), 1.0, false_fail_rate=1e-6)
    bad = T.chi2_variance(rng.normal(0, np.sqrt(1.05), n), 1.0, false_fail_rate=1e-6)
    assert ok.passed and not bad.passed, (ok.evidence(), bad.evidence())


def test_chi2_acceptance_region_has_stated_level():
    lo, hi = T._chi2_bounds(1000, 1e-6)
    level = stats.chi2.cdf(lo, 1000) + stats.chi2.sf(hi, 1000)
    assert level == pytest.approx(1e-6, rel=1e-6, abs=0)


def test_hoeffding_detects_effect_and_accepts_truth(rng):
    n = T.hoeffding_sample_size(0.02, lower=0, upper=1)
    assert T.hoeffding_min_detectable(n, lower=0, upper=1) <= 0.02
    ok = T.hoeffding_mean(rng.uniform(0, 1, n), 0.5, lower=0, upper=1, false_fail_rate=1e-6)
    bad = T.hoeffding_mean(rng.uniform(0, 1, n) * 0.96, 0.5, lower=0, upper=1,
                           false_fail_rate=1e-6)
    assert ok.passed and not bad.passed


def test_hoeffding_rejects_samples_outside_stated_range():
    with pytest.raises(ValueError, match="outside"):
        T.hoeffding_mean([0.5, 2.0], 0.5, lower=0, upper=1, false_fail_rate=1e-6)


def test_binomial_test_exact(rng):
    assert T.binomial(500, 1000, 0.5, false_fail_rate=1e-6).passed
    assert not T.binomial(600, 1000, 0.5, false_fail_rate=1e-6).passed


def test_t_batch_means_detects_shift(rng):
    x = rng.standard_t(5, 40_000)
    assert T.t_batch_means(x, 0.0, false_fail_rate=1e-6).passed
    assert not T.t_batch_means(x + 0.1, 0.0, false_fail_rate=1e-6).passed


def test_evidence_string_states_test_alpha_n_and_effect(rng):
    text = T.chi2_variance(rng.normal(0, 1, 1000), 1.0, false_fail_rate=1e-6).evidence()
    for part in ("chi-square", "n=1000", "alpha=1e-06", "detects"):
        assert part in text


# -- exact tests sized at the actual p (issue 17) --------------------------------------------
@pytest.mark.parametrize("n, p", [(50, 0.5), (1000, 0.1), (5000, 0.01), (20, 0.9)])
def test_binomial_region_has_level_at_most_alpha_and_is_maximal(n, p):
    a = 1e-3
    lo, hi = T._binomial_region(n, p, a)
    assert stats.binom.cdf(lo - 1, n, p) <= a / 2, "lower tail above alpha/2"
    assert stats.binom.sf(hi, n, p) <= a / 2, "upper tail above alpha/2"
    assert lo == 0 or stats.binom.cdf(lo, n, p) > a / 2, "lower tail could be larger"
    assert hi == n or stats.binom.sf(hi - 1, n, p) > a / 2, "upper tail could be larger"


@pytest.mark.parametrize("p", [0.5, 0.1, 0.03])
def test_binomial_sample_size_reaches_power_at_the_actual_p_and_is_minimal(p):
    n = T.binomial_sample_size(0.02, p)
    alts = [q for q in (p - 0.02, p + 0.02) if 0 < q < 1]
    assert all(T.binomial_power(n, p, q, false_fail_rate=1e-6) >= 1 - 1e-6 for q in alts)
    assert min(T.binomial_power(n - 1, p, q, false_fail_rate=1e-6) for q in alts) < 1 - 1e-6
    assert n < T.hoeffding_sample_size(0.02, lower=0, upper=1), "exact must beat Hoeffding"


def test_binomial_passes_iff_p_in_clopper_pearson_interval():
    for k in (0, 3, 40, 97, 100):
        lo, hi = T.clopper_pearson(k, 100, 1e-6)
        for p in np.linspace(0.01, 0.99, 99):
            if abs(p - lo) > 0.01 and abs(p - hi) > 0.01:  # away from the discrete edges
                passed = T.binomial(k, 100, float(p), false_fail_rate=1e-6).passed
                assert passed == (lo <= p <= hi), (k, p, lo, hi)


def test_one_sided_binomial_supports_only_the_stated_direction():
    n = T.binomial_one_sided_sample_size(0.5, 0.6)
    assert T.binomial_one_sided(int(0.6 * n), n, 0.5, alternative="greater",
                                false_fail_rate=1e-6).passed
    assert not T.binomial_one_sided(n // 2, n, 0.5, alternative="greater",
                                    false_fail_rate=1e-6).passed
    assert not T.binomial_one_sided(int(0.6 * n), n, 0.5, alternative="less",
                                    false_fail_rate=1e-6).passed


def test_zero_failures_refutes_on_one_failure_and_reports_exact_lower_bound():
    ok = T.zero_failures(0, 20, false_fail_rate=1e-6, detect_rate=0.5)
    assert ok.passed and "success rate >= 0.50118" in ok.evidence()
    assert not T.zero_failures(1, 20, false_fail_rate=1e-6).passed
    assert T.zero_failures_sample_size(0.5) == 20  # 0.5^20 < 1e-6 <= 0.5^19


def test_uniform_support_detects_five_percent_variance_error_with_hundreds_of_samples(rng):
    n = T.uniform_support_sample_size(0.05)
    assert n < 1000 < T.hoeffding_sample_size(0.05, lower=0, upper=1)
    a = 0.7
    assert T.uniform_support(rng.uniform(-a, a, n), a, rel_effect=0.05,
                             false_fail_rate=1e-6).passed
    for s in (math.sqrt(1.05), math.sqrt(0.95)):
        assert not T.uniform_support(rng.uniform(-a * s, a * s, n), a, rel_effect=0.05,
                                     false_fail_rate=1e-6).passed, s


def test_ks_fit_rejects_a_truncated_normal_sold_as_normal(rng):
    """JAX's 'normal' initialisers draw a truncated normal rescaled to the variance: the
    variance test cannot tell, the shape test can."""
    tn = stats.truncnorm(-2, 2)
    x = tn.rvs(size=T.ks_sample_size(0.02), random_state=rng) / tn.std()
    assert not T.ks_fit(x, stats.norm.cdf, false_fail_rate=1e-6).passed
    assert T.ks_fit(rng.normal(0, 1, 5000), stats.norm.cdf, false_fail_rate=1e-6).passed


def test_chi2_min_detectable_is_the_real_effect_for_small_n():
    assert T.chi2_variance_min_detectable(10) > 1  # no longer a capped 0.999
    n = 200
    e = T.chi2_variance_min_detectable(n)
    assert min(T.chi2_variance_power(n, s * e * 1.001, false_fail_rate=1e-6)
               for s in (1, -1) if s * e * 1.001 > -1) >= 1 - 1e-6 or e == math.inf


def test_every_evidence_states_level_kind():
    for o in (T.binomial(5, 10, 0.5, false_fail_rate=1e-6),
              T.t_batch_means(np.arange(200.0), 99.5, false_fail_rate=1e-6)):
        assert "level)" in o.evidence()
    assert "asymptotic" in T.t_batch_means(np.arange(200.0), 99.5,
                                           false_fail_rate=1e-6).evidence()


def test_stated_effect_sets_n_needed_for_every_test(rng):
    """A check states the effect it is sized for; n_needed is then that effect's sample size
    (not the min-detectable effect of the n it happened to use)."""
    x = rng.normal(0, 1, 5000)
    o = T.chi2_variance(x, 1.0, false_fail_rate=1e-6, effect=0.2)
    assert (o.effect, o.n_needed) == (0.2, T.chi2_variance_sample_size(0.2))
    u = rng.uniform(0, 1, 5000)
    o = T.hoeffding_mean(u, 0.5, lower=0, upper=1, false_fail_rate=1e-6, effect=0.05)
    assert o.n_needed == T.hoeffding_sample_size(0.05, lower=0, upper=1)
    o = T.binomial_one_sided(90, 120, 0.5, alternative="greater", false_fail_rate=1e-6,
                             effect=0.3)
    assert o.n_needed == T.binomial_one_sided_sample_size(0.5, 0.8) and o.passed
    o = T.t_batch_means(x, 0.0, false_fail_rate=1e-6, batches=20, effect=0.3)
    assert o.n_needed == T.t_batch_means_sample_size(0.3, batches=20)


def test_t_batch_means_sample_size_reaches_its_power_and_is_minimal():
    n = T.t_batch_means_sample_size(0.3, batches=20, false_fail_rate=1e-6)
    assert n % 20 == 0
    assert T.t_batch_means_miss(n, 0.3, batches=20, false_fail_rate=1e-6) <= 1e-6
    assert T.t_batch_means_miss(n - 20, 0.3, batches=20, false_fail_rate=1e-6) > 1e-6
    # the integral agrees with scipy's noncentral t where that is accurate
    q = stats.t.isf(0.05 / 2, 19)
    ncp = 0.3 * math.sqrt(100)
    ref = stats.nct.cdf(q, 19, ncp) - stats.nct.cdf(-q, 19, ncp)
    assert abs(T.t_batch_means_miss(100, 0.3, batches=20, false_fail_rate=0.05) - ref) < 1e-7


def test_t_batch_means_power_holds_by_simulation():
    """At alpha = 0.05 and the sample size for power 0.9 (sizing written for beta = 1e-6,
    checked here where it can be observed): the empirical power is >= 0.9 within noise."""
    old = T.MAX_FALSE_FAIL_RATE
    T.MAX_FALSE_FAIL_RATE = 0.05
    try:
        n = T.t_batch_means_sample_size(0.2, batches=10, false_fail_rate=0.05,
                                        false_pass_rate=0.1)
        g = np.random.default_rng(7)
        rej = sum(not T.t_batch_means(g.normal(0.2, 1, n), 0.0, false_fail_rate=0.05,
                                      batches=10).passed for _ in range(400))
    finally:
        T.MAX_FALSE_FAIL_RATE = old
    assert T.clopper_pearson(rej, 400, 0.001)[1] >= 0.9
