"""Evidence for §4.3: BatchNorm (training and inference), LayerNorm and RMSNorm.

Symbolic identities use sympy on a batch of symbolic size B (``IndexedBase`` sums expanded
by linearity); a few concrete ones use a batch of three symbolic samples (scope instance). Implementation checks compare with an
oracle computed exactly in rationals (``Fraction``) from the same inputs.

Tolerances: inputs reach |x| <= 1e3 (plus shifts up to 1e3) and a feature may vary by only
1e-4, so centring loses up to 7 of float64's 16 digits: the batch mean carries an absolute
error up to ~B * 2e3 * eps ~ 4e-12, which the division by sqrt(sigma^2 + eps) >= 1e-3
(eps >= 1e-6) turns into ~4e-9 on x-hat, ~2e-8 after gamma (|gamma| <= 5). Hence
``ATOL = 1e-7`` and ``RTOL = 1e-6``; every defect these checks target changes the outputs
by far more (a variance off by B/(B-1) >= 1.14, a mean left in, eps misplaced at eps = 0.1).
"""
from __future__ import annotations

from fractions import Fraction

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from checks.support import strategies as S
from checks.support import precision as WP

claim = pytest.mark.claim

# cheap property checks: half the profile's examples (30 under ci, 300 under thorough) keep
# the section inside its time budget
HALF = settings(max_examples=max(30, settings().max_examples // 2))

RTOL, ATOL = 1e-6, 1e-7


def _exact_moments(col) -> tuple[Fraction, Fraction]:
    """Exact mean and biased variance of a column of floats."""
    v = [Fraction(float(t)) for t in col]
    mu = sum(v, Fraction(0)) / len(v)
    return mu, sum(((t - mu)**2 for t in v), Fraction(0)) / len(v)


def _oracle_bn(x, gamma, beta, eps):
    """gamma (x - mu)/sqrt(var + eps) + beta per feature, mean and var exact."""
    out = np.empty_like(x)
    for j in range(x.shape[1]):
        mu, var = _exact_moments(x[:, j])
        centred = np.array([float(Fraction(float(t)) - mu) for t in x[:, j]])
        out[:, j] = gamma[j] * centred / np.sqrt(float(var) + eps) + beta[j]
    return out


def _symbols(B=3):
    xs = sp.symbols(f"x1:{B + 1}", real=True)
    eps = sp.symbols("epsilon", positive=True)
    mu = sum(xs) / B
    var = sum((x - mu)**2 for x in xs) / B
    xhat = [(x - mu) / sp.sqrt(var + eps) for x in xs]
    return xs, eps, mu, var, xhat


def _zeros(F):
    return np.zeros(F), np.ones(F)


# -- output statistics --------------------------------------------------------------------
@claim("batchnorm-output-has-zero-mean-unit-variance", kind="symbolic", scope="instance", target="corrected")
@claim("affine-sets-any-output-mean-and-variance", kind="symbolic", scope="instance")
def test_normalised_batch_moments_symbolic(evidence):
    xs, eps, mu, var, xhat = _symbols()
    B = len(xs)
    assert sp.simplify(sum(xhat) / B) == 0, "mean of x-hat is 0"
    v_hat = sum(h**2 for h in xhat) / B
    assert sp.simplify(v_hat - var / (var + eps)) == 0, "var of x-hat = var / (var + eps)"
    g, b = sp.symbols("gamma beta", real=True)
    y = [g * h + b for h in xhat]
    assert sp.simplify(sum(y) / B - b) == 0
    assert sp.simplify(sum((t - b)**2 for t in y) / B - g**2 * var / (var + eps)) == 0
    evidence.note("sympy (B = 3, symbolic eps; for any B the same two lines: mean(c(x - mu)) = "
                  "c(mean x - mu) = 0 and var(c x) = c^2 var x): mean(x-hat) = 0, var(x-hat) = "
                  "sigma^2/(sigma^2 + eps); y = gamma x-hat + beta has mean beta and variance "
                  "gamma^2 sigma^2/(sigma^2 + eps)")


@claim("batchnorm-output-has-zero-mean-unit-variance", kind="exact", target="counterexample")
def test_small_variance_feature_is_not_unit_variance(impl, evidence):
    x = np.array([[0.0, 5.0], [1e-3, 5.0]])
    eps = 1e-5
    y, _, _ = impl.batchnorm_train(x, np.ones(2), np.zeros(2), *_zeros(2), momentum=0.1,
                                   eps=eps)
    mu, var = _exact_moments(x[:, 0])
    target = float(var / (var + Fraction(eps)))
    np.testing.assert_allclose(np.var(y[:, 0]), target, rtol=RTOL, atol=ATOL,
                               err_msg="output variance sigma^2/(sigma^2 + eps)")
    assert target < 0.025 and np.all(y[:, 1] == 0.0)
    evidence.counterexample(f"feature values (0, 1e-3) with eps = 1e-5: sigma^2 = 2.5e-7, output "
                            f"variance {np.var(y[:, 0]):.5f} = sigma^2/(sigma^2+eps) - not 1; a "
                            f"constant feature (5, 5) comes out as (0, 0), variance 0")


@claim("batchnorm-output-has-zero-mean-unit-variance", kind="exact", scope="instance", target="corrected")
@claim("affine-sets-any-output-mean-and-variance", kind="exact", scope="instance")
@HALF
@given(batch=S.normalisation_batches(), eps=S.epsilons(), affine=st.booleans())
def test_batchnorm_train_output_matches_formula(impl, evidence, batch, eps, affine):
    x, gamma, beta = batch
    F = x.shape[1]
    if not affine:
        gamma, beta = np.ones(F), np.zeros(F)
    y, _, _ = impl.batchnorm_train(x, gamma, beta, *_zeros(F), momentum=0.1, eps=eps)
    np.testing.assert_allclose(y, _oracle_bn(x, gamma, beta, eps), rtol=WP.tol(impl, RTOL),
                               atol=WP.tol(impl, ATOL * (1 + float(np.max(np.abs(gamma))))),
                               err_msg="BN train = gamma (x - mu_B)/sqrt(sigma_B^2 + eps) + beta")
    for j in range(F):
        _, var = _exact_moments(x[:, j])
        target = gamma[j]**2 * float(var / (var + Fraction(eps)))
        np.testing.assert_allclose(np.mean(y[:, j]), beta[j], rtol=WP.tol(impl, RTOL),
                                   atol=WP.tol(impl, ATOL * (1 + abs(gamma[j]))),
                                   err_msg=f"feature {j}: output mean = beta")
        np.testing.assert_allclose(np.var(y[:, j]), target, rtol=WP.tol(impl, RTOL),
                                   atol=WP.tol(impl, ATOL * (1 + gamma[j]**2)),
                                   err_msg=f"feature {j}: variance = gamma^2 s^2/(s^2 + eps)")
        evidence.least("output variance / gamma^2 (1 would be 'unit variance')",
                       float(var / (var + Fraction(eps))), at=f"eps={eps}")
    evidence.count("batches")


# -- undoing the normalisation --------------------------------------------------------------
@claim("affine-undoes-normalisation-exactly", kind="symbolic", target="counterexample")
def test_undo_needs_the_batch_statistics_symbolic(evidence):
    xs, eps, mu, var, xhat = _symbols()
    y = [sp.sqrt(var + eps) * h + mu for h in xhat]
    assert all(sp.simplify(t - x) == 0 for t, x in zip(y, xs)), "gamma = sqrt(var+eps), beta = mu"
    # one fixed (gamma, beta) for two batches: {0, 2} forces gamma = sqrt(1 + eps), beta = 1
    e = sp.symbols("e", nonnegative=True)
    g = sp.sqrt(1 + e)
    y4 = g * (4 - 2) / sp.sqrt(4 + e) + 1  # the same parameters on batch {0, 4}, at x = 4
    assert sp.simplify(y4 - (1 + 2 * sp.sqrt(1 + e) / sp.sqrt(4 + e))) == 0
    gap = sp.simplify((2 * sp.sqrt(1 + e))**2 - (sp.sqrt(4 + e))**2)  # 3e >= 0 ...
    assert gap == 3 * e
    assert sp.simplify(y4.subs(e, 0)) == 2 and y4.subs(e, sp.Rational(1, 10**5)) < 4
    evidence.counterexample("batches {0, 2} and {0, 4} of one feature: the identity on the "
                            "first needs gamma = sqrt(1+eps), beta = 1, which maps 4 in the "
                            "second batch to 1 + 2 sqrt(1+eps)/sqrt(4+eps) <= 3 (= 2 at eps = 0), "
                            "not 4: no fixed (gamma, beta) undoes training-mode BN on both")


@claim("affine-undoes-normalisation-exactly", kind="sampled", target="corrected")
@HALF
@given(batch=S.normalisation_batches(), eps=S.epsilons(),
       stats=st.tuples(S.moderate_floats(bound=100.0), st.floats(0.0, 100.0)))
def test_batch_statistics_or_running_statistics_undo_it(impl, evidence, batch, eps, stats):
    x, _, _ = batch
    F = x.shape[1]
    mus = np.array([float(_exact_moments(x[:, j])[0]) for j in range(F)])
    var = np.array([float(_exact_moments(x[:, j])[1]) for j in range(F)])
    y, _, _ = impl.batchnorm_train(x, np.sqrt(var + eps), mus, *_zeros(F), momentum=0.1,
                                   eps=eps)
    np.testing.assert_allclose(y, x, rtol=WP.tol(impl, RTOL), atol=WP.tol(impl, ATOL * (1 + float(np.max(np.abs(x))))),
                               err_msg="train: gamma = sqrt(sigma_B^2+eps), beta = mu_B undo BN")
    rm, rv = np.full(F, stats[0]), np.full(F, stats[1])
    ye = impl.batchnorm_eval(x, np.sqrt(rv + eps), rm, rm, rv, eps=eps)
    # eval: two roundings per entry, relative to |x - rm| + |rm|
    np.testing.assert_allclose(ye, x, rtol=WP.tol(impl, 1e-12),
                               atol=WP.tol(impl, 1e-12 * (float(np.max(np.abs(x))) + abs(stats[0]) + 1)),
                               err_msg="eval: gamma = sqrt(rv + eps), beta = rm give identity")
    evidence.count("batches restored exactly (train: per-batch gamma, beta; eval: fixed)")


# -- the bias before the normalisation ---------------------------------------------------------
@claim("bias-before-normalisation-is-redundant", kind="symbolic", target="counterexample")
@claim("bias-before-normalisation-is-redundant", kind="symbolic", scope="instance", target="corrected")
def test_bias_cancels_in_batchnorm_not_in_layernorm_symbolic(evidence):
    xs, eps, mu, var, xhat = _symbols()
    b = sp.symbols("b", real=True)
    shifted = [x + b for x in xs]
    mu_b = sum(shifted) / 3
    var_b = sum((t - mu_b)**2 for t in shifted) / 3
    assert all(sp.simplify((t - mu_b) / sp.sqrt(var_b + eps) - h) == 0
               for t, h in zip(shifted, xhat)), "BN(x + b) = BN(x)"
    # LayerNorm over the features of one sample (eps = 1e-5 exactly)
    e = sp.Rational(1, 10**5)

    def ln(v):
        m = sum(v) / len(v)
        s2 = sum((t - m)**2 for t in v) / len(v)
        return [(t - m) / sp.sqrt(s2 + e) for t in v]

    z1 = [sp.Integer(1), sp.Integer(0), sp.Integer(-1)]
    z2 = [2 * t for t in z1]
    bias = [sp.Integer(1), sp.Integer(0), sp.Integer(0)]
    d1 = [p - q for p, q in zip(ln([a + c for a, c in zip(z1, bias)]), ln(z1))]
    d2 = [p - q for p, q in zip(ln([a + c for a, c in zip(z2, bias)]), ln(z2))]
    gaps = [abs(float(sp.N(p - q, 30))) for p, q in zip(d1, d2)]
    assert max(gaps) > 0.1, "LN(z + b) - LN(z) depends on z: no beta reproduces the bias"
    const = [sp.Integer(7)] * 3
    assert all(sp.simplify(p - q) == 0 for p, q in
               zip(ln([a + c for a, c in zip(z1, const)]), ln(z1))), "a constant bias cancels"
    evidence.counterexample("LayerNorm with eps = 1e-5, bias b = (1, 0, 0): LN(z + b) - LN(z) is "
                            f"{[round(float(sp.N(t)), 4) for t in d1]} at z = (1, 0, -1) but "
                            f"{[round(float(sp.N(t)), 4) for t in d2]} at z = (2, 0, -2): the bias "
                            "is not a fixed output shift, so LN's beta cannot replace it; "
                            "BN(x + b) = BN(x) exactly (sympy), and LN(z + c 1) = LN(z)")


@claim("bias-before-normalisation-is-redundant", kind="sampled", target="corrected")
@HALF
@given(batch=S.normalisation_batches(), eps=S.epsilons(), shift=S.moderate_floats(bound=1e3))
def test_bias_is_absorbed_by_batchnorm_and_constant_shift_by_layernorm(impl, evidence, batch,
                                                                       eps, shift):
    x, gamma, beta = batch
    F = x.shape[1]
    b = np.linspace(-1.0, 1.0, F) * shift  # one bias per feature
    y0, _, _ = impl.batchnorm_train(x, gamma, beta, *_zeros(F), momentum=0.1, eps=eps)
    y1, _, _ = impl.batchnorm_train(x + b, gamma, beta, *_zeros(F), momentum=0.1, eps=eps)
    # each side carries the module's ~2e-8 centring error (ATOL above)
    np.testing.assert_allclose(y1, y0, rtol=WP.tol(impl, RTOL), atol=WP.tol(impl, 2 * ATOL), err_msg="BN(x + b) = BN(x)")
    l0 = impl.layernorm(x, gamma, beta, eps=eps)
    l1 = impl.layernorm(x + shift, gamma, beta, eps=eps)
    np.testing.assert_allclose(l1, l0, rtol=WP.tol(impl, RTOL), atol=WP.tol(impl, 2 * ATOL), err_msg="LN(x + c 1) = LN(x)")
    evidence.count("batches: per-feature bias removed by BN, constant shift removed by LN")


@claim("bias-before-normalisation-is-redundant", kind="sampled", target="counterexample")
def test_layernorm_keeps_a_nonconstant_bias(impl, evidence):
    z = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0]])
    b = np.array([1.0, 0.0, 0.0])
    g, beta = np.ones(3), np.zeros(3)
    d = impl.layernorm(z + b, g, beta, eps=1e-5) - impl.layernorm(z, g, beta, eps=1e-5)
    assert np.max(np.abs(d[0] - d[1])) > 0.1, "LN(z + b) - LN(z) must depend on z"
    evidence.note(f"implementation: LN(z+b) - LN(z) = {np.round(d[0], 4).tolist()} at z = (1,0,-1) "
                  f"and {np.round(d[1], 4).tolist()} at z = (2,0,-2)")


# -- batch dependence -------------------------------------------------------------------------
@claim("batchnorm-train-depends-on-batch-eval-does-not", kind="sampled")
def test_same_sample_different_batches(impl, evidence):
    eps = 1e-5
    a, _, _ = impl.batchnorm_train([[1.0], [3.0]], [1.0], [0.0], [0.0], [1.0], momentum=0.1,
                                   eps=eps)
    b, _, _ = impl.batchnorm_train([[1.0], [-1.0]], [1.0], [0.0], [0.0], [1.0], momentum=0.1,
                                   eps=eps)
    expected = 1 / np.sqrt(1 + eps)
    np.testing.assert_allclose([a[0, 0], b[0, 0]], [-expected, expected], rtol=WP.tol(impl, 1e-12), atol=0,
                               err_msg="x = 1 in batches {1, 3} and {1, -1}")
    e1 = impl.batchnorm_eval([[1.0], [3.0]], [1.0], [0.0], [0.5], [2.0], eps=eps)
    e2 = impl.batchnorm_eval([[1.0], [-1.0]], [1.0], [0.0], [0.5], [2.0], eps=eps)
    assert e1[0, 0] == e2[0, 0], "eval: the output of x = 1 ignores its batch"
    evidence.note(f"training mode: x = 1 gives {a[0, 0]:.6f} in batch {{1, 3}} and "
                  f"{b[0, 0]:.6f} in batch {{1, -1}}; eval mode: {e1[0, 0]:.6f} in both")


@claim("batchnorm-train-depends-on-batch-eval-does-not", kind="sampled")
@HALF
@given(batch=S.normalisation_batches(), eps=S.epsilons(),
       stats=st.tuples(S.moderate_floats(bound=100.0), st.floats(0.0, 100.0)),
       others=st.integers(0, 2**32 - 1))
def test_eval_output_of_a_sample_ignores_the_rest_of_the_batch(impl, evidence, batch, eps,
                                                               stats, others):
    x, gamma, beta = batch
    F = x.shape[1]
    rm, rv = np.full(F, stats[0]), np.full(F, stats[1])
    full = impl.batchnorm_eval(x, gamma, beta, rm, rv, eps=eps)
    other = np.random.default_rng(others).normal(0, 100, size=(3, F))
    mixed = impl.batchnorm_eval(np.vstack([x[:1], other]), gamma, beta, rm, rv, eps=eps)
    alone = impl.batchnorm_eval(x[:1], gamma, beta, rm, rv, eps=eps)
    # elementwise arithmetic on identical numbers: equal up to at most a rounding
    np.testing.assert_allclose(mixed[0], full[0], rtol=WP.tol(impl, 1e-15), atol=WP.underflow_tol(impl, 1e-300),
                               err_msg="eval output of sample 0 depends on its batch")
    np.testing.assert_allclose(alone[0], full[0], rtol=WP.tol(impl, 1e-15), atol=WP.underflow_tol(impl, 1e-300),
                               err_msg="eval output of sample 0 alone differs")
    ref = gamma * (x[0] - rm) / np.sqrt(rv + eps) + beta
    np.testing.assert_allclose(full[0], ref, rtol=WP.tol(impl, 1e-12),
                               atol=WP.tol(impl, 1e-12 * (1 + float(np.max(np.abs(ref))))),
                               err_msg="eval = gamma (x - rm)/sqrt(rv + eps) + beta")
    evidence.count("batches: eval output per sample unchanged by its companions")


# -- running statistics -----------------------------------------------------------------------
@claim("batchnorm-running-averages-of-batch-statistics", kind="exact", scope="instance", target="corrected")
@HALF
@given(batch=S.normalisation_batches(), eps=S.epsilons(), momentum=st.floats(0.0, 1.0),
       stats=st.tuples(S.moderate_floats(bound=100.0), st.floats(0.0, 100.0)))
def test_running_statistics_are_emas_of_mean_and_unbiased_variance(impl, evidence, batch, eps,
                                                                   momentum, stats):
    x, gamma, beta = batch
    B, F = x.shape
    rm, rv = np.full(F, stats[0]), np.full(F, stats[1])
    _, new_rm, new_rv = impl.batchnorm_train(x, gamma, beta, rm, rv, momentum=momentum, eps=eps)
    mom = Fraction(momentum)
    # the article does not fix which variance is tracked: the declared convention is
    # tested exactly (the reference and PyTorch: unbiased; flax: biased, a §7 finding)
    unbiased = impl.convention("running_var") == "unbiased"
    for j in range(F):
        mu, var = _exact_moments(x[:, j])
        exp_rm = (1 - mom) * Fraction(stats[0]) + mom * mu
        exp_rv = (1 - mom) * Fraction(stats[1]) + mom * var * (Fraction(B, B - 1) if unbiased
                                                                 else 1)
        np.testing.assert_allclose(new_rm[j], float(exp_rm), rtol=WP.tol(impl, RTOL), atol=WP.tol(impl, ATOL),
                                   err_msg="running_mean = (1-m) rm + m mu_B")
        np.testing.assert_allclose(new_rv[j], float(exp_rv), rtol=WP.tol(impl, RTOL), atol=WP.tol(impl, ATOL),
                                   err_msg="running_var = (1-m) rv + m c sigma_B^2, c = "
                                           "B/(B-1) (unbiased) or 1 (biased), as declared")
    evidence.count("running-statistic updates")


@claim("batchnorm-running-averages-of-batch-statistics", kind="sampled", target="counterexample")
def test_eval_after_training_on_one_batch_is_not_the_training_output(impl, evidence):
    x = np.array([[0.0], [2.0]])  # mu = 1, biased sigma^2 = 1, unbiased 2
    eps, rm, rv = 1e-5, np.zeros(1), np.ones(1)
    for _ in range(400):
        y_train, rm, rv = impl.batchnorm_train(x, [1.0], [0.0], rm, rv, momentum=0.1, eps=eps)
    # the declared convention, tested exactly: unbiased -> 2 (the counterexample), biased
    # -> 1 (flax: then eval equals train here; the difference is the §7 finding)
    v = 2.0 if impl.convention("running_var") == "unbiased" else 1.0
    np.testing.assert_allclose([rm[0], rv[0]], [1.0, v], rtol=WP.tol(impl, 1e-12), atol=WP.tol(impl, 1e-12),
                               err_msg="running stats converge to mu and the declared variance")
    y_eval = impl.batchnorm_eval(x, [1.0], [0.0], rm, rv, eps=eps)
    ratio = y_eval[1, 0] / y_train[1, 0]
    np.testing.assert_allclose(ratio, np.sqrt((1 + eps) / (v + eps)), rtol=WP.tol(impl, 1e-12), atol=0,
                               err_msg="eval / train = sqrt((s^2+eps)/(B s^2/(B-1)+eps))")
    evidence.counterexample(f"batch {{0, 2}} (B = 2) seen 400 times, momentum 0.1: running_var -> "
                            f"{rv[0]:.6f} (unbiased), not the training normaliser sigma^2 = 1; "
                            f"eval output {y_eval[1, 0]:.6f} vs training output "
                            f"{y_train[1, 0]:.6f} "
                            f"(ratio {ratio:.6f} = sqrt((1+eps)/(2+eps)))")


# -- LayerNorm, RMSNorm -------------------------------------------------------------------------
def _row_target(row, eps):
    mu, var = _exact_moments(row)
    return mu, var, float(var / (var + Fraction(eps)))


@claim("layernorm-is-independent-of-the-batch", kind="sampled")
@HALF
@given(batch=S.normalisation_batches(min_batch=1), eps=S.epsilons(),
       others=st.integers(0, 2**32 - 1))
def test_layernorm_normalises_each_sample_alone(impl, evidence, batch, eps, others):
    x, gamma, beta = batch
    B, F = x.shape
    y = impl.layernorm(x, np.ones(F), np.zeros(F), eps=eps)
    for i in range(B):
        _, var, target = _row_target(x[i], eps)
        np.testing.assert_allclose(np.mean(y[i]), 0.0, rtol=0, atol=WP.tol(impl, ATOL),
                                   err_msg=f"sample {i}: mean over features = 0")
        np.testing.assert_allclose(np.var(y[i]), target, rtol=WP.tol(impl, RTOL), atol=WP.tol(impl, ATOL),
                                   err_msg=f"sample {i}: var = sigma^2/(sigma^2 + eps)")
    ya = impl.layernorm(x, gamma, beta, eps=eps)
    single = impl.layernorm(x[0], gamma, beta, eps=eps)
    other = np.random.default_rng(others).normal(0, 100, size=(4, F))
    mixed = impl.layernorm(np.vstack([other[:2], x[:1], other[2:]]), gamma, beta, eps=eps)
    np.testing.assert_allclose(single, ya[0], rtol=WP.tol(impl, 1e-12), atol=WP.tol(impl, 1e-12),
                               err_msg="LN of one sample alone = its row in the batch")
    np.testing.assert_allclose(mixed[2], ya[0], rtol=WP.tol(impl, 1e-12), atol=WP.tol(impl, 1e-12),
                               err_msg="LN of a sample does not depend on the other samples")
    evidence.count("batches (B = 1..8), each row checked alone and among random companions")


@claim("rmsnorm-does-not-centre", kind="sampled")
def test_rmsnorm_keeps_the_mean(impl, evidence):
    x = np.array([1.0, 2.0, 3.0])
    y = impl.rmsnorm(x, np.ones(3), eps=1e-5)
    expected = x / np.sqrt(14 / 3 + 1e-5)
    np.testing.assert_allclose(y, expected, rtol=WP.tol(impl, 1e-12), atol=0, err_msg="x / sqrt(ms + eps)")
    ln = impl.layernorm(x, np.ones(3), np.zeros(3), eps=1e-5)
    assert np.mean(y) > 0.9 and abs(np.mean(ln)) < 1e-12
    evidence.note(f"x = (1, 2, 3): RMSNorm gives mean {np.mean(y):.4f} (not centred), LayerNorm "
                  f"mean {np.mean(ln):.1e}")


@claim("rmsnorm-does-not-centre", kind="exact", scope="instance")
@HALF
@given(batch=S.normalisation_batches(min_batch=1), eps=S.epsilons())
def test_rmsnorm_scales_by_root_mean_square_and_equals_layernorm_on_centred_rows(impl, evidence,
                                                                                 batch, eps):
    x, gamma, beta = batch
    B, F = x.shape
    y = impl.rmsnorm(x, gamma, eps=eps)
    for i in range(B):
        ms = sum((Fraction(float(t))**2 for t in x[i]), Fraction(0)) / F
        ref = gamma * x[i] / np.sqrt(float(ms) + eps)
        np.testing.assert_allclose(y[i], ref, rtol=WP.tol(impl, 1e-12), atol=WP.underflow_tol(impl, 1e-300),
                                   err_msg=f"row {i}: gamma x / sqrt(mean(x^2) + eps)")
    # integer rows with zero sum have mean exactly 0 in floats: then RMSNorm = LayerNorm
    xi = np.round(x)
    if F > 1:
        xi[:, -1] = -xi[:, :-1].sum(axis=1)
        # atol: outputs are O(1) after normalisation, and a LayerNorm may compute the
        # (exactly zero) row mean with rounding of its own (PyTorch's kernel leaves
        # ~3e-17 on zero entries), so entries at 0 may differ by a few ulps of 1
        np.testing.assert_allclose(impl.rmsnorm(xi, gamma, eps=eps),
                                   impl.layernorm(xi, gamma, np.zeros(F), eps=eps),
                                   rtol=WP.tol(impl, 1e-12), atol=WP.tol(impl, 1e-14),
                                   err_msg="RMSNorm = LayerNorm (beta = 0) on zero-mean rows")
    evidence.count("batches")


def _symbolic_batch():
    """A batch x_1..x_B of symbolic size B (IndexedBase) and ``reduce``: sums expanded by
    linearity, constant sums evaluated, and sum x_i written S1 (whatever its index)."""
    from claimledger.symbolic import constant_sums, linear

    i, j, B = sp.symbols("i j B", integer=True, positive=True)
    x = sp.IndexedBase("x", real=True)
    s1 = sp.symbols("S1", real=True)

    def reduce(e):
        e = constant_sums(linear(e))
        return e.subs({sp.Sum(x[i], (i, 1, B)): s1, sp.Sum(x[j], (j, 1, B)): s1})

    return i, j, B, x, reduce


@claim("affine-sets-any-output-mean-and-variance", kind="symbolic")
@claim("batchnorm-output-has-zero-mean-unit-variance", kind="symbolic", target="corrected")
def test_affine_output_moments_for_symbolic_batch_size(evidence):
    """For a batch of symbolic size B: y_i = gamma (x_i - mu)/sqrt(v + eps) + beta has batch
    mean beta and biased batch variance gamma^2 s^2/(v + eps), s^2 the batch variance (which
    the normaliser's v is): gamma^2 sigma^2/(sigma^2 + eps). At gamma = 1, beta = 0 (the
    plain normalisation): mean 0 and variance sigma^2/(sigma^2 + eps) < 1, 0 for a constant
    feature."""
    i, j, B, x, reduce = _symbolic_batch()
    gamma, beta, v = sp.symbols("gamma beta v", real=True)
    eps = sp.symbols("epsilon", positive=True)
    mu = sp.Sum(x[j], (j, 1, B)) / B
    y = gamma * (x[i] - mu) / sp.sqrt(v + eps) + beta
    mean_y = reduce(sp.Sum(y, (i, 1, B)) / B)
    assert sp.simplify(mean_y - beta) == 0, f"batch mean of y = {mean_y}"
    batch_var = reduce(sp.Sum((x[i] - mu) ** 2, (i, 1, B)) / B)
    var_y = reduce(sp.Sum((y - mean_y) ** 2, (i, 1, B)) / B)
    assert sp.simplify(var_y - gamma ** 2 * batch_var / (v + eps)) == 0, f"Var(y) = {var_y}"
    # the plain normalisation (gamma = 1, beta = 0), with v the batch variance sigma^2 >= 0
    sig2 = sp.symbols("sigma2", nonnegative=True)
    plain = (var_y.subs(gamma, 1) / batch_var * sig2).subs(v, sig2)
    assert mean_y.subs(beta, 0) == 0
    assert sp.simplify(plain - sig2 / (sig2 + eps)) == 0
    assert (1 - plain).simplify().is_positive, "variance below 1 for every eps > 0"
    assert plain.subs(sig2, 0) == 0, "a constant feature comes out as 0"
    evidence.note("sympy, symbolic batch size B (sums by linearity): mean(y) = beta, "
                  "Var(y) = gamma^2 sigma^2 / (sigma^2 + eps) with sigma^2 the batch variance; "
                  "gamma = 1, beta = 0: mean 0, variance sigma^2/(sigma^2 + eps) < 1 (0 for a "
                  "constant feature)")


@claim("bias-before-normalisation-is-redundant", kind="symbolic", target="corrected")
def test_bias_cancels_in_batchnorm_for_symbolic_batch_size(evidence):
    """For a batch (or, for LayerNorm, a sample's features) of symbolic size B: adding the
    same b to every x_i shifts the mean by b, so the centred values x_i - mu, hence the
    variance and the normalised output, are unchanged: BN(Wx + b) = BN(Wx) for a per-feature
    bias (the same b across the batch), and LN(z + c 1) = LN(z). The non-constant LayerNorm
    bias is the counterexample (exact, checked beside)."""
    i, j, B, x, reduce = _symbolic_batch()
    b = sp.symbols("b", real=True)
    eps = sp.symbols("epsilon", positive=True)
    centred = reduce(x[i] - sp.Sum(x[j], (j, 1, B)) / B)
    centred_b = reduce(x[i] + b - sp.Sum(x[j] + b, (j, 1, B)) / B)
    assert sp.expand(centred_b - centred) == 0, "x_i + b - mean(x + b) = x_i - mean(x)"
    var = reduce(sp.Sum((x[i] - sp.Sum(x[j], (j, 1, B)) / B) ** 2, (i, 1, B)) / B)
    var_b = reduce(sp.Sum((x[i] + b - sp.Sum(x[j] + b, (j, 1, B)) / B) ** 2, (i, 1, B)) / B)
    assert sp.expand(var_b - var) == 0, "the batch variance ignores b"
    out, out_b = centred / sp.sqrt(var + eps), centred_b / sp.sqrt(var_b + eps)
    assert sp.simplify(out_b - out) == 0, "BN(x + b) = BN(x)"
    evidence.note("sympy, symbolic B: x_i + b - mean(x + b) = x_i - mean(x) and the batch "
                  "variance is unchanged, so BN(x + b) = BN(x) (and LN(z + c 1) = LN(z), the same "
                  "algebra over the features)")


@claim("affine-undoes-normalisation-exactly", kind="symbolic", target="corrected")
def test_undo_parameters_are_forced_by_the_batch_for_symbolic_batch_size(evidence):
    """Symbolic B: gamma = sqrt(sigma^2 + eps), beta = mu give y_i = x_i for every i; and
    these are the only (gamma, beta) that do on a batch with two different values
    (subtracting the equations of x_1 != x_2 forces gamma / sqrt(sigma^2 + eps) = 1, then
    beta = mu), so one fixed pair undoes training-mode BN only on batches with the same
    (mu, sigma^2). Eval mode: gamma = sqrt(rv + eps), beta = rm give the identity for every
    input."""
    i, j, B, x, reduce = _symbolic_batch()
    eps = sp.symbols("epsilon", positive=True)
    v = sp.symbols("v", nonnegative=True)  # the batch variance
    mu = sp.Sum(x[j], (j, 1, B)) / B
    xhat = (x[i] - mu) / sp.sqrt(v + eps)
    assert sp.simplify(sp.sqrt(v + eps) * xhat + mu - x[i]) == 0, "restores every x_i"
    g, bt, x1, x2, m = sp.symbols("gamma beta x1 x2 mu", real=True)
    eqs = [sp.Eq(g * (t - m) / sp.sqrt(v + eps) + bt, t) for t in (x1, x2)]
    sol = sp.solve(eqs, [g, bt], dict=True)
    assert len(sol) == 1 and sp.simplify(sol[0][g] - sp.sqrt(v + eps)) == 0 and \
        sp.simplify(sol[0][bt] - m) == 0, f"unique (gamma, beta) for x1 != x2: {sol}"
    rm = sp.symbols("rm", real=True)
    rv = sp.symbols("rv", nonnegative=True)
    xe = sp.symbols("x_e", real=True)
    assert sp.simplify(sp.sqrt(rv + eps) * (xe - rm) / sp.sqrt(rv + eps) + rm - xe) == 0
    evidence.note("sympy, symbolic B: gamma = sqrt(sigma^2 + eps), beta = mu restore each x_i; "
                  "for x_1 != x_2 they are the only solution (so they depend on the batch); eval "
                  "mode: gamma = sqrt(rv + eps), beta = rm is the identity on every input")


# -- LayerNorm and RMSNorm for a symbolic number of features ----------------------------------
@claim("layernorm-is-independent-of-the-batch", kind="symbolic")
def test_layernorm_moments_for_symbolic_feature_count(evidence):
    """One sample of F features (symbolic F): x-hat_j = (x_j - mu)/sqrt(sigma^2 + eps) has
    mean 0 and biased variance sigma^2/(sigma^2 + eps) over the features; the formula reads
    only that sample's own x_1..x_F, so no other sample (nor the batch size) enters."""
    j, k, F, x, reduce = _symbolic_batch()  # the same algebra, over the features
    eps = sp.symbols("epsilon", positive=True)
    v = sp.symbols("v", nonnegative=True)
    mu = sp.Sum(x[k], (k, 1, F)) / F
    xhat = (x[j] - mu) / sp.sqrt(v + eps)
    mean = reduce(sp.Sum(xhat, (j, 1, F)) / F)
    assert sp.simplify(mean) == 0, f"mean over features = {mean}"
    var_x = reduce(sp.Sum((x[j] - mu)**2, (j, 1, F)) / F)
    var_hat = reduce(sp.Sum((xhat - mean)**2, (j, 1, F)) / F)
    assert sp.simplify(var_hat - var_x / (v + eps)) == 0, "variance sigma^2/(sigma^2 + eps)"
    evidence.note("sympy, symbolic F: LN output mean 0, variance sigma^2/(sigma^2 + eps) over the "
                  "features; the expression involves only the sample's own features")


@claim("rmsnorm-does-not-centre", kind="symbolic")
def test_rmsnorm_for_symbolic_feature_count(evidence):
    """Symbolic F: y_j = gamma x_j / sqrt(ms + eps), ms = (1/F) sum x_j^2, has mean
    gamma mean(x)/sqrt(ms + eps) (not 0 unless mean(x) = 0: no centring) and mean square
    gamma^2 ms/(ms + eps); when mean(x) = 0, ms is the biased variance and RMSNorm equals
    LayerNorm (beta = 0)."""
    j, k, F, x, reduce = _symbolic_batch()
    eps = sp.symbols("epsilon", positive=True)
    gamma = sp.symbols("gamma", real=True)
    ms = sp.symbols("ms", nonnegative=True)
    y = gamma * x[j] / sp.sqrt(ms + eps)
    mean_x = reduce(sp.Sum(x[j], (j, 1, F)) / F)
    mean_y = reduce(sp.Sum(y, (j, 1, F)) / F)
    assert sp.simplify(mean_y - gamma * mean_x / sp.sqrt(ms + eps)) == 0
    ms_expr = reduce(sp.Sum(x[j]**2, (j, 1, F)) / F)
    ms_y = reduce(sp.Sum(y**2, (j, 1, F)) / F)
    assert sp.simplify(ms_y - gamma**2 * ms_expr / (ms + eps)) == 0
    # zero-mean sample: the biased variance equals the mean square and the centring is void
    S1 = sp.symbols("S1", real=True)
    var = reduce(sp.Sum((x[j] - sp.Sum(x[k], (k, 1, F)) / F)**2, (j, 1, F)) / F)
    assert sp.simplify(var.subs(S1, 0) - ms_expr) == 0
    ln = gamma * (x[j] - mean_x) / sp.sqrt(var + eps)
    assert sp.simplify((ln - gamma * x[j] / sp.sqrt(ms_expr + eps)).subs(S1, 0)) == 0
    evidence.note("sympy, symbolic F: RMSNorm's mean is gamma mean(x)/sqrt(ms + eps) (kept), its "
                  "mean square gamma^2 ms/(ms + eps); on zero-mean samples RMSNorm = LayerNorm")


# -- batch size ---------------------------------------------------------------------------------
@claim("batchnorm-batch-statistics-noisier-for-small-batches", kind="symbolic")
def test_batch_statistics_noise_for_symbolic_batch_size(evidence):
    """Symbolic B, samples i.i.d. with mean m and variance s^2 (E[x_i x_j] = m^2 + s^2
    delta_ij): Var(mu_B) = s^2/B, E[sigma_B^2] = (B - 1) s^2 / B; at B = 1 every centred
    value x_1 - mu is 0, so BatchNorm without affine outputs 0 whatever the input."""
    from claimledger.symbolic import within_range

    B = sp.symbols("B", integer=True, positive=True)
    i, j = sp.symbols("i j", integer=True, positive=True)
    m = sp.symbols("m", real=True)
    s2 = sp.symbols("s2", positive=True)
    # E[x_i x_j] = m^2 + s2 delta_ij: the double sum of the delta term, inner sum first
    inner = sp.Sum(s2 * sp.KroneckerDelta(i, j), (j, 1, B)).doit()
    delta_part = sp.simplify(within_range(sp.Sum(inner, (i, 1, B))))
    assert delta_part == B * s2, delta_part
    e_mu2 = (B**2 * m**2 + delta_part) / B**2  # E[mu_B^2] = (1/B^2) sum_ij E[x_i x_j]
    var_mu = sp.simplify(e_mu2 - m**2)
    assert sp.simplify(var_mu - s2 / B) == 0, f"Var(mu_B) = {var_mu}"
    e_sigma2 = sp.simplify((m**2 + s2) - e_mu2)  # E[(1/B) sum x_i^2] - E[mu_B^2]
    assert sp.simplify(e_sigma2 - (B - 1) * s2 / B) == 0, f"E sigma_B^2 = {e_sigma2}"
    x1 = sp.symbols("x1", real=True)
    eps = sp.symbols("epsilon", positive=True)
    assert (x1 - x1 / 1) / sp.sqrt(0 + eps) == 0, "B = 1: x-hat = 0"
    rows = [[b, f"{float(1 / b):.3f}", f"{float(sp.Rational(b - 1, b)):.3f}"]
            for b in (1, 2, 4, 8, 32, 256)]
    evidence.table("batch statistics of i.i.d. samples of variance s^2", ["B",
                   "Var(mu_B) / s^2", "E[sigma_B^2] / s^2"], rows)
    evidence.note("sympy, symbolic B: Var(mu_B) = s^2/B, E[sigma_B^2] = (B-1)s^2/B; B = 1 "
                  "normalises every input to 0")


@claim("batchnorm-batch-statistics-noisier-for-small-batches", kind="exact", scope="instance")
def test_batch_of_one_is_refused_or_normalised_to_zero(impl, evidence):
    """The implementation at B = 1 either refuses the batch (ValueError: the reference's
    choice, since the unbiased running variance needs B >= 2) or returns beta exactly."""
    x = np.array([[3.0, -7.5, 1e3]])
    beta = np.array([0.25, -1.0, 0.0])
    try:
        y, _, _ = impl.batchnorm_train(x, np.array([2.0, 1.0, 0.5]), beta, *_zeros(3),
                                       momentum=0.1, eps=1e-5)
    except ValueError as err:
        evidence.note(f"B = 1 refused: {err}")
        return
    np.testing.assert_array_equal(y, beta[None, :], err_msg="B = 1: BN outputs beta exactly")
    evidence.note("B = 1: output equals beta exactly (x - mu = 0)")


# -- sigma' in its sensitive region ---------------------------------------------------------------
@claim("normalised-preactivations-keep-mean-sigmoid-derivative-near-peak", kind="symbolic")
def test_mean_sigmoid_derivative_after_normalisation_is_at_least_three_sixteenths(evidence):
    """For every z: sigma'(z) = (1 - tanh^2(z/2))/4 >= 1/4 - z^2/16, since |tanh u| <= |u|
    (u - tanh u vanishes at 0 and has derivative tanh^2 u >= 0). Averaged over a normalised
    vector (mean 0, mean square sigma^2/(sigma^2 + eps) <= 1; any size, any weights before
    it): mean sigma'(z_i) >= 1/4 - (1/16) mean z_i^2 >= 3/16, and <= 1/4 always."""
    z, u = sp.symbols("z u", real=True)
    sig = 1 / (1 + sp.exp(-z))
    dsig = sp.diff(sig, z)
    assert sp.simplify((dsig - (1 - sp.tanh(z / 2)**2) / 4).rewrite(sp.exp)) == 0
    assert sp.simplify(sp.diff(u - sp.tanh(u), u) - sp.tanh(u)**2) == 0
    assert (u - sp.tanh(u)).subs(u, 0) == 0
    # u - tanh u is odd and nondecreasing with value 0 at 0, so (u - tanh u) u >= 0, and
    # u^2 - tanh^2 u = (u - tanh u)(u + tanh u) with both factors of u's sign: >= 0
    assert sp.simplify((u - sp.tanh(u)).subs(u, -u) + (u - sp.tanh(u))) == 0
    assert sp.expand((u - sp.tanh(u)) * (u + sp.tanh(u)) - (u**2 - sp.tanh(u)**2)) == 0
    gap = sp.simplify((1 - sp.tanh(z / 2)**2) / 4 - (sp.Rational(1, 4) - z**2 / 16))
    assert sp.simplify(gap - ((z / 2)**2 - sp.tanh(z / 2)**2) / 4) == 0
    # the average over F normalised values (symbolic F), by linearity
    j, k, F, x, reduce = _symbolic_batch()
    lower = reduce(sp.Sum(sp.Rational(1, 4) - x[j]**2 / 16, (j, 1, F)) / F)
    ms = reduce(sp.Sum(x[j]**2, (j, 1, F)) / F)
    assert sp.expand(lower - (sp.Rational(1, 4) - ms / 16)) == 0
    r = sp.symbols("r", nonnegative=True)  # ms = 1 - r (<= 1 after normalisation)
    assert sp.expand((sp.Rational(1, 4) - (1 - r) / 16) - (sp.Rational(3, 16) + r / 16)) == 0
    evidence.note("sympy: sigma'(z) >= 1/4 - z^2/16 for all z (|tanh u| <= |u|); averaged over a "
                  "normalised vector of any size (mean square <= 1): mean sigma' >= 3/16, i.e. "
                  "within a factor 4/3 of the peak 1/4, whatever the weights")


@claim("normalised-preactivations-keep-mean-sigmoid-derivative-near-peak", kind="sampled")
def test_deep_stack_with_layernorm_keeps_sigmoid_derivative(impl, evidence, rng):
    """A 30-layer sigmoid stack of width 32 with large weights (sd 8/sqrt(n)): without
    normalisation the pre-activations saturate and the mean sigma' falls to ~0.07; with the
    implementation's LayerNorm before each sigmoid it stays >= 3/16 at every layer."""
    from scipy.special import expit

    n, depth = 32, 30
    Ws = [rng.normal(0, 8 / math.sqrt(n), size=(n, n)) for _ in range(depth)]
    x = rng.normal(size=(16, n))
    a_plain, a_norm, rows = x, x, []
    worst_norm, plain_means = 1.0, []
    for l, W in enumerate(Ws):
        z_plain = a_plain @ W.T
        z_norm = impl.layernorm(a_norm @ W.T, np.ones(n), np.zeros(n), eps=1e-5)
        d_plain = expit(z_plain) * (1 - expit(z_plain))
        d_norm = expit(z_norm) * (1 - expit(z_norm))
        per_sample = d_norm.mean(axis=1)
        # rounding: sigma' is computed to ~1e-16; the bound has slack only when ms < 1
        assert np.all(per_sample >= 3 / 16 - 1e-12), f"layer {l}: mean sigma' below 3/16"
        assert np.all(per_sample <= 0.25 + 1e-12)
        worst_norm = min(worst_norm, float(per_sample.min()))
        plain_means.append(float(d_plain.mean()))
        if l in (0, 9, 29):
            rows.append([l + 1, f"{d_plain.mean():.4f}", f"{per_sample.mean():.4f}"])
        a_plain, a_norm = expit(z_plain), expit(z_norm)
    assert float(np.median(plain_means)) < 3 / 16, "the unnormalised stack saturates"
    evidence.table("mean sigma'(z) at layer l (16 inputs)", ["l", "no normalisation",
                   "LayerNorm before sigma"], rows)
    evidence.note(f"with LayerNorm the smallest per-sample mean sigma' over 30 layers is "
                  f"{worst_norm:.4f} >= 3/16 = 0.1875; without, the median layer mean is "
                  f"{float(np.median(plain_means)):.4f}")


@claim("batchnorm-train-depends-on-batch-eval-does-not", kind="symbolic")
def test_train_output_depends_on_companions_eval_output_does_not(evidence):
    """Training mode, exactly: x = 1 in the batches {1, 3} and {1, -1} (B = 2, any eps > 0)
    comes out as -1/sqrt(1 + eps) and +1/sqrt(1 + eps): the same input, two outputs.
    Eval mode, for a batch of symbolic size B: y_i = gamma (x_i - rm)/sqrt(rv + eps) + beta
    contains no x_j with j != i, so d y_i / d x_j = 0: the output of a sample ignores its
    batch."""
    eps = sp.symbols("epsilon", positive=True)

    def train(batch, k):
        mu = sum(batch) / len(batch)
        var = sum((t - mu)**2 for t in batch) / len(batch)
        return (batch[k] - mu) / sp.sqrt(var + eps)

    a = train([sp.Integer(1), sp.Integer(3)], 0)
    b = train([sp.Integer(1), sp.Integer(-1)], 0)
    assert sp.simplify(a + 1 / sp.sqrt(1 + eps)) == 0 and sp.simplify(b - 1 / sp.sqrt(1 + eps)) == 0
    assert sp.simplify(b - a - 2 / sp.sqrt(1 + eps)) == 0 and (b - a).is_positive
    i, j, B, x, _ = _symbolic_batch()
    gamma, beta, rm = sp.symbols("gamma beta rm", real=True)
    rv = sp.symbols("rv", nonnegative=True)
    y_i = gamma * (x[i] - rm) / sp.sqrt(rv + eps) + beta
    assert sp.diff(y_i, x[j]).subs(sp.KroneckerDelta(i, j), 0) == 0, "no other sample enters"
    assert sp.diff(y_i, x[i]) == gamma / sp.sqrt(rv + eps)
    evidence.note("sympy: training mode maps x = 1 to -1/sqrt(1+eps) in {1, 3} and +1/sqrt(1+eps) "
                  "in {1, -1}; eval mode y_i depends on x_i alone (d y_i / d x_j = 0, j != i, "
                  "symbolic B)")
