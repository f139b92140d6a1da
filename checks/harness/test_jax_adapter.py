"""The JAX adapter and the §7 JAX checks have teeth; compare_ledgers fails broken modules.

* every §7 JAX check helper (``checks/test_s7_jax.py``) rejects a function that behaves
  as the article does (or as the reference does) instead of as JAX does - so the JAX
  claims are findings about JAX, not checks that pass for anything;
* the adapter defines exactly the protocol names minus ``NOT_PROVIDED``, declares valid
  conventions, and every known difference names a §7 claim that exists;
* ``compare_ledgers`` exits non-zero for a failed claim without a known list (what
  ``make verify IMPL=path`` relies on) and loads ``--known`` from a module or a path.

The JAX parts skip without JAX ("jax not installed"); the compare_ledgers parts always run.
"""
from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from claimledger import compare_ledgers

pytestmark = pytest.mark.harness

try:
    import checks.test_s7_jax as S7
    from checks.test_s7_jax import jax
except ImportError:  # pragma: no cover - the s7 module itself tolerates a missing jax
    S7 = jax = None

needs_jax = pytest.mark.skipif(jax is None, reason="jax not installed")


def _rejects(fn, *args) -> None:
    with pytest.raises(AssertionError):
        fn(*args)


@needs_jax
def test_relu_kink_check_rejects_the_article_convention():
    jnp = S7.jnp
    article_relu = lambda t: jnp.where(t >= 0, t, 0.0)  # noqa: E731  derivative 1 at 0
    _rejects(S7.check_relu_kink, article_relu, jax.nn.leaky_relu, S7._flax_prelu(0.25))


@needs_jax
def test_saturation_check_rejects_an_accurate_sigmoid_derivative():
    jnp = S7.jnp
    fns = {k: v[0]() for k, v in S7.SATURATION.items()}
    fns["sigmoid"] = lambda t: jnp.exp(jax.nn.log_sigmoid(t))  # derivative sigma(z) sigma(-z)
    _rejects(S7.check_saturated_zero, fns)


@needs_jax
def test_flush_check_rejects_ieee_subnormals():
    from scipy.special import xlogy
    _rejects(S7.check_flush_to_zero, lambda a, b: np.float64(a) * np.float64(b),
             lambda z: max(np.float64(z), 0.0), lambda z: 1.0 if z >= 0 else 0.01, xlogy)


@needs_jax
def test_gelu_tanh_check_rejects_a_non_cancelling_form():
    jnp = S7.jnp
    c = math.sqrt(2 / math.pi)
    stable = lambda t: t * jax.nn.sigmoid(2 * c * (t + 0.044715 * t**3))  # noqa: E731
    _rejects(S7.check_gelu_tanh_tail, stable)
    assert jnp is not None


@needs_jax
def test_log1p_check_rejects_a_correctly_rounded_log1p():
    _rejects(S7.check_log1p_error, math.log1p)


@needs_jax
def test_global_norm_check_rejects_a_scaled_norm():
    def scaled(g):
        m = max(float(np.max(np.abs(a))) for a in g)
        return 0.0 if m == 0 else m * math.sqrt(sum(float(np.sum((a / m) ** 2)) for a in g))

    def clip(g, tau):
        n = scaled(g)
        return [a * min(1.0, tau / n) for a in g]

    _rejects(S7.check_global_norm, scaled, clip)


@needs_jax
def test_kl_check_rejects_the_convention_zero_log_zero():
    from scipy.special import rel_entr
    _rejects(S7.check_kl_nan, lambda p, q: float(np.sum(rel_entr(p, q))))


@needs_jax
def test_fast_variance_check_rejects_two_pass_normalisation():
    _rejects(S7.check_fast_variance, lambda x, eps: S7._flax_bn(x, eps, fast=False))


@needs_jax
def test_batchnorm_check_rejects_the_unbiased_running_variance():
    def unbiased(x, rm, rv, m):
        B = x.shape[0]
        return (m * rm + (1 - m) * float(x.mean()),
                m * rv + (1 - m) * float(x.var()) * B / (B - 1))
    _rejects(S7.check_batchnorm_running_stats, unbiased)


@needs_jax
def test_truncation_check_rejects_a_true_normal():
    from claimledger.evidence import Evidence
    init = jax.nn.initializers.normal(stddev=0.1)
    _rejects(S7.check_truncated_normal, init, np.random.default_rng(3), Evidence(), "normal",
             0.1, 2000)


@needs_jax
def test_dropout_check_rejects_the_article_convention():
    drop = lambda p, h, key: S7._flax_drop_train(p, h, key) * (1 - p)  # noqa: E731
    _rejects(S7.check_dropout_inverted, drop, S7._flax_drop_eval, np.random.default_rng(4),
             0.3, 200)


@needs_jax
def test_adapter_defines_the_protocol_minus_not_provided_and_valid_conventions():
    import implementations
    from claimledger import impl as I
    from implementations.adapters import jax_adapter as A
    from implementations.adapters import jax_known_differences as K
    from claimledger.claims import load

    proto = set(implementations.__all__)
    defined = {n for n in proto if hasattr(A, n)}
    assert set(A.NOT_PROVIDED) <= proto
    assert defined == proto - set(A.NOT_PROVIDED)
    impl = I.Implementation(A, "jax", implementations)
    for key in implementations.CONVENTION_CHOICES:
        impl.convention(key)  # raises on an invalid declared value
    registry = load(["theorems"])
    for cid, text in {**K.KNOWN_DIFFERENCES, **K.DECLARED}.items():
        assert cid in registry, cid
        for ref in re.findall(r"\[([a-z0-9]+(?:-[a-z0-9]+)+)\]", text):
            assert ref in registry and registry[ref].section == "7", (cid, ref)


# -- compare_ledgers: the exit status make verify relies on (no jax needed) ----------------
def _ledger(path, verdicts: dict[str, str]):
    claims = [{"id": k, "section": "1.1", "title": k, "verdict": v, "checks": []}
              for k, v in verdicts.items()]
    path.write_text(json.dumps({"impl": "broken", "claims": claims}))
    return path


def test_a_failed_claim_without_known_list_fails_the_comparison(tmp_path):
    ref = _ledger(tmp_path / "ref.json", {"a-b": "proved", "c-d": "proved"})
    (tmp_path / "o").mkdir()
    other = _ledger(tmp_path / "o" / "ledger.json", {"a-b": "proved", "c-d": "failed"})
    assert compare_ledgers.main([str(ref), str(other)]) == 1
    ok = _ledger(tmp_path / "o" / "ledger.json", {"a-b": "proved", "c-d": "proved"})
    assert compare_ledgers.main([str(ref), str(ok)]) == 0


def test_known_list_is_read_from_a_path(tmp_path):
    ref = _ledger(tmp_path / "ref.json", {"a-b": "proved"})
    (tmp_path / "o").mkdir()
    other = _ledger(tmp_path / "o" / "ledger.json", {"a-b": "failed"})
    known = tmp_path / "my_known.py"
    known.write_text('KNOWN_DIFFERENCES = {"a-b": "documented"}\n')
    assert compare_ledgers.main([str(ref), str(other), "--known", str(known)]) == 0
    known.write_text("KNOWN_DIFFERENCES = {}\n")
    assert compare_ledgers.main([str(ref), str(other), "--known", str(known)]) == 1
