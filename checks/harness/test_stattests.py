"""The statistics module: levels, power and sample sizes are what they claim."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from checks.support import stattests as T

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
