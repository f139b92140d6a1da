"""Evidence for §4.3: BatchNorm (training and inference), LayerNorm and RMSNorm.

Symbolic identities use sympy on a batch of symbolic size B (``IndexedBase`` sums expanded
by linearity); a few fixed-size ones are evaluated exactly by sympy on a batch of three
samples with symbolic values, or on concrete batches (kind exact, scope instance: one
size). Implementation checks compare with an oracle computed exactly in rationals
(``Fraction``) from the same inputs.

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
@claim("batchnorm-output-has-zero-mean-unit-variance", kind="exact", scope="instance")
@claim("affine-sets-any-output-mean-and-variance", kind="exact", scope="instance")
def test_normalised_batch_moments_exact(evidence):
    """The batch of three (B = 3 fixed, values x1, x2, x3, eps, gamma, beta symbolic):
    identities of rational functions evaluated exactly by sympy, one size of the statement.
    The symbolic-B proof is test_affine_output_moments_for_symbolic_batch_size."""
    xs, eps, mu, var, xhat = _symbols()
    B = len(xs)
    assert sp.simplify(sum(xhat) / B) == 0, "mean of x-hat is 0"
    v_hat = sum(h**2 for h in xhat) / B
    assert sp.simplify(v_hat - var / (var + eps)) == 0, "var of x-hat = var / (var + eps)"
    g, b = sp.symbols("gamma beta", real=True)
    y = [g * h + b for h in xhat]
    assert sp.simplify(sum(y) / B - b) == 0
    assert sp.simplify(sum((t - b)**2 for t in y) / B - g**2 * var / (var + eps)) == 0
    evidence.note("sympy, exact at B = 3 (symbolic values and eps; any B in the symbolic-B "
                  "check): mean(x-hat) = 0, var(x-hat) = "
                  "sigma^2/(sigma^2 + eps); y = gamma x-hat + beta has mean beta and variance "
                  "gamma^2 sigma^2/(sigma^2 + eps)")


@claim("batchnorm-output-has-zero-mean-unit-variance", kind="exact", scope="instance")
def test_small_variance_feature_is_not_unit_variance(impl, evidence, control):
    """Feature values (0, 1e-3), eps = 1e-5: the output variance of the implementation
    against a claimed function of the exact batch variance and eps. sigma^2/(sigma^2 + eps)
    must match; the same comparison must reject an exact unit variance and
    sigma^2/(sigma^2 + eps) with the unbiased batch variance."""
    x = np.array([[0.0, 5.0], [1e-3, 5.0]])
    eps = 1e-5
    y, _, _ = impl.batchnorm_train(x, np.ones(2), np.zeros(2), *_zeros(2), momentum=0.1,
                                   eps=eps)
    _, var = _exact_moments(x[:, 0])
    B = x.shape[0]

    def output_variance(claimed):
        target = float(claimed(var, Fraction(eps)))
        np.testing.assert_allclose(np.var(y[:, 0]), target, rtol=RTOL, atol=ATOL,
                                   err_msg="output variance of the feature")
        return target

    target = control(output_variance, lambda v, e: v / (v + e), lambda v, e: Fraction(1),
                     lambda v, e: v * B / (B - 1) / (v * B / (B - 1) + e),
                     labels=("1 (unit variance)", "s^2/(s^2 + eps) with the unbiased s^2"))
    assert target < 0.025 and np.all(y[:, 1] == 0.0)
    evidence.note(f"'unit variance' is up to eps: feature values (0, 1e-3) with eps = 1e-5 "
                  f"(sigma^2 = 2.5e-7) give output variance {np.var(y[:, 0]):.5f} = "
                  f"sigma^2/(sigma^2+eps); a constant feature (5, 5) comes out as (0, 0)")


@claim("batchnorm-output-has-zero-mean-unit-variance", kind="exact", scope="instance")
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
@claim("affine-undoes-normalisation-exactly", kind="exact", scope="instance")
def test_undo_needs_the_batch_statistics_exact(evidence, control):
    """Exact, at fixed sizes: gamma = sqrt(var + eps), beta = mu restore a batch of three
    samples (B = 3, symbolic values; any B in
    test_undo_parameters_are_forced_by_the_batch_for_symbolic_batch_size). The restoring
    pair belongs to the batch: the (gamma, beta) that undo training-mode BN on the concrete
    batch {0, 2} are solved for (any eps >= 0), then applied to a second concrete batch,
    which they must fail to restore. Negative controls: second batches with the same mean and variance ({2, 0},
    {0, 0, 2, 2}), where one fixed pair does undo both, must be rejected."""
    xs, eps, mu, var, xhat = _symbols()
    y = [sp.sqrt(var + eps) * h + mu for h in xhat]
    assert all(sp.simplify(t - x) == 0 for t, x in zip(y, xs)), "gamma = sqrt(var+eps), beta = mu"
    e = sp.symbols("e", nonnegative=True)
    g, bt = sp.symbols("gamma beta", real=True)

    def bn(batch, k, gamma, beta):
        m = sum(batch) / len(batch)
        v = sum((t - m)**2 for t in batch) / len(batch)
        return gamma * (batch[k] - m) / sp.sqrt(v + e) + beta

    first = [sp.Integer(0), sp.Integer(2)]
    sol = sp.solve([sp.Eq(bn(first, k, g, bt), first[k]) for k in range(2)], [g, bt], dict=True)
    assert len(sol) == 1, sol
    g0, b0 = sol[0][g], sol[0][bt]  # sqrt(1 + e), 1

    def no_fixed_pair(second):
        second = [sp.Integer(t) for t in second]
        gaps = [bn(second, k, g0, b0) - second[k] for k in range(len(second))]
        assert any(abs(sp.N(gp.subs(e, 0), 30)) > 0.5 and
                   abs(sp.N(gp.subs(e, sp.Rational(1, 10**5)), 30)) > 0.5
                   for gp in gaps), f"({g0}, {b0}) also restores {second}"
        return gaps

    gaps = control(no_fixed_pair, (0, 4), (2, 0), (0, 0, 2, 2),
                   labels=("second batch {2, 0} (same mean and variance)",
                           "second batch {0, 0, 2, 2} (same mean and variance, B = 4)"))
    assert sp.simplify(gaps[1] + 3 - 2 * sp.sqrt(1 + e) / sp.sqrt(4 + e)) == 0
    evidence.note(f"the restoring (gamma, beta) belong to the batch: on batches {{0, 2}} and "
                  f"{{0, 4}} of one feature, the identity on the first needs gamma = {g0}, "
                  f"beta = {b0} (solved), which maps 4 in the second batch to "
                  "1 + 2 sqrt(1+eps)/sqrt(4+eps) <= 3 (= 2 at eps = 0), not 4")


@claim("affine-undoes-normalisation-exactly", kind="sampled")
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
@claim("bias-before-normalisation-is-redundant", kind="exact", target="counterexample")
@claim("bias-before-normalisation-is-redundant", kind="exact", scope="instance", target="corrected")
def test_bias_cancels_in_batchnorm_not_in_layernorm_exact(evidence, control):
    """Exact: BN(x + b) = BN(x) for a batch of three samples (B = 3, symbolic values; any B
    in test_bias_cancels_in_batchnorm_for_symbolic_batch_size); LayerNorm (eps = 1e-5
    exactly) keeps the concrete bias b = (1, 0, 0): LN(z + b) - LN(z), evaluated exactly in
    sympy, differs between z = (1, 0, -1) and z = (2, 0, -2), so no fixed output shift
    (beta) reproduces it. Negative controls: the constant bias (7, 7, 7)
    and the zero bias, which LayerNorm does remove, must be rejected by the same test."""
    xs, eps, mu, var, xhat = _symbols()
    b = sp.symbols("b", real=True)
    shifted = [x + b for x in xs]
    mu_b = sum(shifted) / 3
    var_b = sum((t - mu_b)**2 for t in shifted) / 3
    assert all(sp.simplify((t - mu_b) / sp.sqrt(var_b + eps) - h) == 0
               for t, h in zip(shifted, xhat)), "BN(x + b) = BN(x)"
    e = sp.Rational(1, 10**5)

    def ln(v):
        m = sum(v) / len(v)
        s2 = sum((t - m)**2 for t in v) / len(v)
        return [(t - m) / sp.sqrt(s2 + e) for t in v]

    z1 = [sp.Integer(1), sp.Integer(0), sp.Integer(-1)]
    z2 = [2 * t for t in z1]

    def bias_survives(bias):
        bias = [sp.Integer(t) for t in bias]
        d1 = [p - q for p, q in zip(ln([a + c for a, c in zip(z1, bias)]), ln(z1))]
        d2 = [p - q for p, q in zip(ln([a + c for a, c in zip(z2, bias)]), ln(z2))]
        gaps = [abs(float(sp.N(p - q, 30))) for p, q in zip(d1, d2)]
        assert max(gaps) > 0.1, f"LN(z + b) - LN(z) is the same shift at both z: {gaps}"
        return d1, d2

    d1, d2 = control(bias_survives, (1, 0, 0), (7, 7, 7), (0, 0, 0),
                     labels=("the constant bias (7, 7, 7)", "the zero bias"))
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
@claim("batchnorm-output-has-zero-mean-unit-variance", kind="symbolic")
def test_affine_output_moments_for_symbolic_batch_size(evidence, control):
    """For a batch of symbolic size B: y_i = gamma (x_i - mu)/sqrt(v + eps) + beta has batch
    mean beta and biased batch variance gamma^2 s^2/(v + eps), s^2 the batch variance (which
    the normaliser's v is): gamma^2 sigma^2/(sigma^2 + eps). At gamma = 1, beta = 0 (the
    plain normalisation): mean 0 and variance sigma^2/(sigma^2 + eps) < 1, 0 for a constant
    feature. Negative controls: the stated (mean, variance) replaced by (beta, gamma
    sigma^2/(sigma^2 + eps)) (gamma not squared), (beta, gamma^2) (unit variance before the
    affine map) and (gamma beta, ...) must be rejected by the same comparison."""
    i, j, B, x, reduce = _symbolic_batch()
    gamma, beta, v = sp.symbols("gamma beta v", real=True)
    eps = sp.symbols("epsilon", positive=True)
    sig2 = sp.symbols("sigma2", nonnegative=True)
    mu = sp.Sum(x[j], (j, 1, B)) / B
    y = gamma * (x[i] - mu) / sp.sqrt(v + eps) + beta
    mean_y = reduce(sp.Sum(y, (i, 1, B)) / B)
    batch_var = reduce(sp.Sum((x[i] - mu) ** 2, (i, 1, B)) / B)
    var_y = reduce(sp.Sum((y - mean_y) ** 2, (i, 1, B)) / B)
    ratio = sp.cancel(var_y / batch_var)  # Var(y) / sigma^2: free of the data
    assert not ratio.has(x), f"Var(y) / sigma^2 = {ratio}"

    def output_moments(stmt):
        mean_of, var_of = stmt
        assert sp.cancel(mean_y - mean_of(gamma, beta)) == 0, f"batch mean of y = {mean_y}"
        # the normaliser's v is the batch variance sigma^2: Var(y) = ratio(v = sigma^2) sigma^2
        var = ratio.subs(v, sig2) * sig2
        assert sp.cancel(var - var_of(gamma, sig2, eps)) == 0, f"Var(y) = {var}"
        return var

    var = control(output_moments, (lambda g, b: b, lambda g, s2, e: g**2 * s2 / (s2 + e)),
                  (lambda g, b: b, lambda g, s2, e: g * s2 / (s2 + e)),
                  (lambda g, b: b, lambda g, s2, e: g**2),
                  (lambda g, b: g * b, lambda g, s2, e: g**2 * s2 / (s2 + e)),
                  labels=("variance gamma sigma^2/(sigma^2 + eps)", "variance gamma^2",
                          "mean gamma beta"))
    # the plain normalisation (gamma = 1, beta = 0)
    plain = var.subs(gamma, 1)
    assert mean_y.subs(beta, 0) == 0
    assert sp.simplify(plain - sig2 / (sig2 + eps)) == 0
    assert (1 - plain).simplify().is_positive, "variance below 1 for every eps > 0"
    assert plain.subs(sig2, 0) == 0, "a constant feature comes out as 0"
    evidence.note("sympy, symbolic batch size B (sums by linearity): mean(y) = beta, "
                  "Var(y) = gamma^2 sigma^2 / (sigma^2 + eps) with sigma^2 the batch variance; "
                  "gamma = 1, beta = 0: mean 0, variance sigma^2/(sigma^2 + eps) < 1 (0 for a "
                  "constant feature)")


@claim("bias-before-normalisation-is-redundant", kind="symbolic", target="corrected")
def test_bias_cancels_in_batchnorm_for_symbolic_batch_size(evidence, control):
    """For a batch (or, for LayerNorm, a sample's features) of symbolic size B: adding the
    same b to every x_i shifts the mean by b, so the centred values x_i - mu, hence the
    variance and the normalised output, are unchanged: BN(Wx + b) = BN(Wx) for a per-feature
    bias (the same b across the batch), and LN(z + c 1) = LN(z). Negative control: a shift
    b_i that varies along the normalised axis (a per-sample offset for BatchNorm, a general
    bias for LayerNorm) must be rejected. The non-constant LayerNorm bias is also the
    counterexample (exact, checked beside)."""
    i, j, B, x, reduce = _symbolic_batch()
    eps = sp.symbols("epsilon", positive=True)
    centred = reduce(x[i] - sp.Sum(x[j], (j, 1, B)) / B)
    var = reduce(sp.Sum((x[i] - sp.Sum(x[j], (j, 1, B)) / B) ** 2, (i, 1, B)) / B)
    out = centred / sp.sqrt(var + eps)

    def bias_cancels(b):  # b(k): the shift of the k-th entry along the normalised axis
        centred_b = reduce(x[i] + b(i) - sp.Sum(x[j] + b(j), (j, 1, B)) / B)
        assert sp.expand(centred_b - centred) == 0, "x_i + b - mean(x + b) != x_i - mean(x)"
        var_b = reduce(sp.Sum((x[i] + b(i) - sp.Sum(x[j] + b(j), (j, 1, B)) / B) ** 2,
                              (i, 1, B)) / B)
        assert sp.expand(var_b - var) == 0, "the batch variance ignores b"
        assert sp.simplify(centred_b / sp.sqrt(var_b + eps) - out) == 0, "BN(x + b) = BN(x)"

    b0 = sp.symbols("b", real=True)
    bi = sp.IndexedBase("b", real=True)
    control(bias_cancels, lambda k: b0, lambda k: bi[k],
            labels=("a shift b_i varying along the normalised axis",))
    evidence.note("sympy, symbolic B: x_i + b - mean(x + b) = x_i - mean(x) and the batch "
                  "variance is unchanged, so BN(x + b) = BN(x) (and LN(z + c 1) = LN(z), the same "
                  "algebra over the features); a shift b_i varying along the axis does not "
                  "cancel")


@claim("affine-undoes-normalisation-exactly", kind="symbolic")
def test_undo_parameters_are_forced_by_the_batch_for_symbolic_batch_size(evidence, control):
    """Symbolic B: gamma = sqrt(sigma^2 + eps), beta = mu give y_i = x_i for every i; and
    these are the only (gamma, beta) that do on a batch with two different values
    (subtracting the equations of x_1 != x_2 forces gamma / sqrt(sigma^2 + eps) = 1, then
    beta = mu), so one fixed pair undoes training-mode BN only on batches with the same
    (mu, sigma^2). Eval mode: gamma = sqrt(rv + eps), beta = rm give the identity for every
    input. Negative controls: gamma = sqrt(sigma^2) (eps forgotten), gamma = sigma^2 + eps
    (the variance for the deviation) and beta = 0 must be rejected."""
    i, j, B, x, reduce = _symbolic_batch()
    eps = sp.symbols("epsilon", positive=True)
    v = sp.symbols("v", nonnegative=True)  # the batch variance
    mu = sp.Sum(x[j], (j, 1, B)) / B
    xhat = (x[i] - mu) / sp.sqrt(v + eps)
    g, bt, x1, x2, m = sp.symbols("gamma beta x1 x2 mu", real=True)
    eqs = [sp.Eq(g * (t - m) / sp.sqrt(v + eps) + bt, t) for t in (x1, x2)]
    sol = sp.solve(eqs, [g, bt], dict=True)
    assert len(sol) == 1, f"unique (gamma, beta) for x1 != x2: {sol}"
    rm = sp.symbols("rm", real=True)
    rv = sp.symbols("rv", nonnegative=True)
    xe = sp.symbols("x_e", real=True)

    def undo(stmt):
        gamma_of, beta_of = stmt  # gamma(variance, eps), beta(mean)
        assert sp.cancel(gamma_of(v, eps) * xhat + beta_of(mu) - x[i]) == 0, \
            "does not restore every x_i"
        assert sp.cancel(sol[0][g] - gamma_of(v, eps)) == 0 and \
            sp.cancel(sol[0][bt] - beta_of(m)) == 0, f"the unique solution is {sol[0]}"
        assert sp.cancel(gamma_of(rv, eps) * (xe - rm) / sp.sqrt(rv + eps) + beta_of(rm)
                         - xe) == 0, "eval mode: not the identity"

    control(undo, (lambda v_, e: sp.sqrt(v_ + e), lambda m_: m_),
            (lambda v_, e: sp.sqrt(v_), lambda m_: m_), (lambda v_, e: v_ + e, lambda m_: m_),
            (lambda v_, e: sp.sqrt(v_ + e), lambda m_: 0),
            labels=("gamma = sqrt(sigma^2) (eps forgotten)", "gamma = sigma^2 + eps",
                    "beta = 0"))
    evidence.note("sympy, symbolic B: gamma = sqrt(sigma^2 + eps), beta = mu restore each x_i; "
                  "for x_1 != x_2 they are the only solution (so they depend on the batch); eval "
                  "mode: gamma = sqrt(rv + eps), beta = rm is the identity on every input")


# -- LayerNorm and RMSNorm for a symbolic number of features ----------------------------------
@claim("layernorm-is-independent-of-the-batch", kind="symbolic")
def test_layernorm_moments_for_symbolic_feature_count(evidence, control):
    """One sample s of F features (symbolic F) in a batch X[s, j]: x-hat_j = (x_j - mu)/
    sqrt(sigma^2 + eps) has mean 0 and biased variance sigma^2/(sigma^2 + eps) over the
    features, and the formula reads only X[s, 1..F] (no other sample, nor the batch size,
    enters). Negative controls: unit variance, and normalising over the batch axis (as
    BatchNorm does: it reads the other samples), must be rejected."""
    j, k, F, x, reduce = _symbolic_batch()  # the same algebra, over the features
    eps = sp.symbols("epsilon", positive=True)
    v = sp.symbols("v", nonnegative=True)
    sig2 = sp.symbols("sigma2", nonnegative=True)
    mu = sp.Sum(x[k], (k, 1, F)) / F
    xhat = (x[j] - mu) / sp.sqrt(v + eps)
    mean = reduce(sp.Sum(xhat, (j, 1, F)) / F)
    var_x = reduce(sp.Sum((x[j] - mu)**2, (j, 1, F)) / F)
    ratio = sp.cancel(reduce(sp.Sum((xhat - mean)**2, (j, 1, F)) / F) / var_x)
    X = sp.IndexedBase("X", real=True)
    s, t, Bsz = sp.symbols("s t N_b", integer=True, positive=True)

    def layernorm_of_sample(stmt):
        var_of, axis = stmt
        assert sp.simplify(mean) == 0, f"mean over features = {mean}"
        assert not ratio.has(x) and \
            sp.cancel(ratio.subs(v, sig2) * sig2 - var_of(sig2, eps)) == 0, \
            f"variance = {ratio.subs(v, sig2) * sig2}"
        # the normalised entry j of sample s, as the statement's axis defines it
        if axis == "features":
            m_s = sp.Sum(X[s, k], (k, 1, F)) / F
            v_s = sp.Sum((X[s, k] - m_s)**2, (k, 1, F)) / F
        else:
            m_s = sp.Sum(X[t, j], (t, 1, Bsz)) / Bsz
            v_s = sp.Sum((X[t, j] - m_s)**2, (t, 1, Bsz)) / Bsz
        out = (X[s, j] - m_s) / sp.sqrt(v_s + eps)
        samples = {a.indices[0] for a in out.atoms(sp.Indexed)}
        assert samples == {s} and not out.has(Bsz), f"reads samples {samples}"

    control(layernorm_of_sample, (lambda s2, e: s2 / (s2 + e), "features"),
            (lambda s2, e: 1, "features"), (lambda s2, e: s2 / (s2 + e), "batch"),
            labels=("unit variance", "normalised over the batch axis"))
    evidence.note("sympy, symbolic F: LN output mean 0, variance sigma^2/(sigma^2 + eps) over the "
                  "features; the expression involves only the sample's own features")


@claim("rmsnorm-does-not-centre", kind="symbolic")
def test_rmsnorm_for_symbolic_feature_count(evidence, control):
    """Symbolic F: y_j = gamma x_j / sqrt(ms + eps), ms = (1/F) sum x_j^2, has mean
    gamma mean(x)/sqrt(ms + eps) (not 0 unless mean(x) = 0: no centring) and mean square
    gamma^2 ms/(ms + eps); when mean(x) = 0, ms is the biased variance and RMSNorm equals
    LayerNorm (beta = 0). Negative controls: mean 0 (RMSNorm centring like LayerNorm), unit
    mean square, and "RMSNorm = LayerNorm" without the zero-mean condition must be
    rejected."""
    j, k, F, x, reduce = _symbolic_batch()
    eps = sp.symbols("epsilon", positive=True)
    gamma = sp.symbols("gamma", real=True)
    ms = sp.symbols("ms", nonnegative=True)
    S1 = sp.symbols("S1", real=True)
    y = gamma * x[j] / sp.sqrt(ms + eps)
    mean_x = reduce(sp.Sum(x[j], (j, 1, F)) / F)
    mean_y = reduce(sp.Sum(y, (j, 1, F)) / F)
    ms_expr = reduce(sp.Sum(x[j]**2, (j, 1, F)) / F)
    ms_y = reduce(sp.Sum(y**2, (j, 1, F)) / F)
    var = reduce(sp.Sum((x[j] - sp.Sum(x[k], (k, 1, F)) / F)**2, (j, 1, F)) / F)
    ln = gamma * (x[j] - mean_x) / sp.sqrt(var + eps)
    rms = gamma * x[j] / sp.sqrt(ms_expr + eps)

    def rmsnorm(stmt):
        mean_of, ms_of, equal_to_ln_when = stmt
        assert sp.cancel(mean_y - mean_of(gamma, mean_x, ms)) == 0, f"mean = {mean_y}"
        assert sp.cancel(ms_y - ms_of(gamma, ms_expr, ms)) == 0, f"mean square = {ms_y}"
        assert sp.expand((ln - rms).subs(equal_to_ln_when)) == 0, \
            f"RMSNorm != LayerNorm under {equal_to_ln_when}"

    control(rmsnorm, (lambda g, mx, q: g * mx / sp.sqrt(q + eps),
                      lambda g, mse, q: g**2 * mse / (q + eps), {S1: 0}),
            (lambda g, mx, q: 0, lambda g, mse, q: g**2 * mse / (q + eps), {S1: 0}),
            (lambda g, mx, q: g * mx / sp.sqrt(q + eps), lambda g, mse, q: g**2, {S1: 0}),
            (lambda g, mx, q: g * mx / sp.sqrt(q + eps),
             lambda g, mse, q: g**2 * mse / (q + eps), {}),
            labels=("mean 0 (centred)", "mean square gamma^2",
                    "RMSNorm = LayerNorm on every sample"))
    assert sp.simplify(var.subs(S1, 0) - ms_expr) == 0, "zero mean: variance = mean square"
    evidence.note("sympy, symbolic F: RMSNorm's mean is gamma mean(x)/sqrt(ms + eps) (kept), its "
                  "mean square gamma^2 ms/(ms + eps); on zero-mean samples RMSNorm = LayerNorm")


# -- batch size ---------------------------------------------------------------------------------
@claim("batchnorm-batch-statistics-noisier-for-small-batches", kind="symbolic")
def test_batch_statistics_noise_for_symbolic_batch_size(evidence, control):
    """Symbolic B, samples i.i.d. with mean m and variance s^2 (E[x_i x_j] = m^2 + s^2
    delta_ij): mu_B and sigma_B^2 = (1/B) sum (x_i - mu_B)^2 are expanded by linearity into
    the sums sum x_i^2 and S1 = sum x_i, whose expectations are B (m^2 + s^2), and (double
    sum of E[x_i x_j]) B^2 m^2 + B s^2 for S1^2; hence Var(mu_B) = s^2/B and E[sigma_B^2] =
    (B - 1) s^2 / B. At B = 1 every centred value x_1 - mu is 0 (sum of one term), so
    BatchNorm without affine outputs 0 whatever the input. Negative controls:
    Var(mu_B) = s^2/sqrt(B) (the standard error's square root kept), E[sigma_B^2] = s^2 (an
    unbiased batch variance) and (B - 1) s^2 / B^2 must be rejected."""
    from claimledger.symbolic import constant_sums, within_range

    i, j, B, x, reduce = _symbolic_batch()
    m = sp.symbols("m", real=True)
    s2 = sp.symbols("s2", positive=True)
    S1, Sq, MU = sp.symbols("S1 S_q mu_B", real=True)
    # E[S1^2] = sum_i sum_j E[x_i x_j], E[x_i x_j] = m^2 + s2 delta_ij, term by term
    delta_part = within_range(sp.Sum(sp.Sum(s2 * sp.KroneckerDelta(i, j), (j, 1, B)).doit(),
                                     (i, 1, B)))
    e_S1sq = constant_sums(sp.Sum(sp.Sum(m**2, (j, 1, B)), (i, 1, B))) + delta_part
    assert sp.expand(e_S1sq - (B**2 * m**2 + B * s2)) == 0, e_S1sq
    expectation = {Sq**1 * S1**0: B * (m**2 + s2), Sq**0 * S1**2: e_S1sq,
                   Sq**0 * S1**1: B * m, Sq**0 * S1**0: 1}

    def E(expr):
        """Expectation of a polynomial in sum x_i^2 and S1 (linearity, the moments above)."""
        e = sp.expand(expr.subs(sp.Sum(x[i]**2, (i, 1, B)), Sq))
        assert not e.has(sp.Sum, x), e
        poly = sp.Poly(e, Sq, S1)
        out = 0
        for (a, b_), coeff in poly.terms():
            assert Sq**a * S1**b_ in expectation, f"no moment for Sq^{a} S1^{b_}"
            out += coeff * expectation[Sq**a * S1**b_]
        return sp.simplify(out)

    mu_B = reduce(sp.Sum(x[j], (j, 1, B)) / B)
    var_mu = sp.simplify(E(mu_B**2) - E(mu_B)**2)
    sigma2_B = reduce(sp.Sum((x[i] - sp.Sum(x[j], (j, 1, B)) / B)**2, (i, 1, B)) / B)
    e_sigma2 = E(sigma2_B)
    one = sp.Sum((x[i] - sp.Sum(x[j], (j, 1, 1)) / 1), (i, 1, 1)).doit()  # B = 1: x_1 - mu

    def noise(stmt):
        var_of, e_sigma2_of = stmt
        assert sp.simplify(var_mu - var_of(B, s2)) == 0, f"Var(mu_B) = {var_mu}"
        assert sp.simplify(e_sigma2 - e_sigma2_of(B, s2)) == 0, f"E sigma_B^2 = {e_sigma2}"
        assert one == 0, "B = 1: x-hat = 0"

    control(noise, (lambda b, v: v / b, lambda b, v: (b - 1) * v / b),
            (lambda b, v: v / sp.sqrt(b), lambda b, v: (b - 1) * v / b),
            (lambda b, v: v / b, lambda b, v: v),
            (lambda b, v: v / b, lambda b, v: (b - 1) * v / b**2),
            labels=("Var(mu_B) = s^2/sqrt(B)", "E[sigma_B^2] = s^2 (unbiased)",
                    "E[sigma_B^2] = (B - 1) s^2 / B^2"))
    rows = [[b, f"{float(1 / b):.3f}", f"{float(sp.Rational(b - 1, b)):.3f}"]
            for b in (1, 2, 4, 8, 32, 256)]
    evidence.table("batch statistics of i.i.d. samples of variance s^2", ["B",
                   "Var(mu_B) / s^2", "E[sigma_B^2] / s^2"], rows)
    evidence.note("sympy, symbolic B: Var(mu_B) = s^2/B, E[sigma_B^2] = (B-1)s^2/B (both "
                  "expanded from the definitions and the i.i.d. moments); B = 1 normalises every "
                  "input to 0")


@claim("batchnorm-batch-statistics-noisier-for-small-batches", kind="exact", scope="instance")
def test_batch_of_one_is_refused_or_normalised_to_zero(impl, evidence):
    """The implementation at B = 1 either refuses the batch (ValueError: the reference's
    choice, since the unbiased running variance needs B >= 2) or returns beta exactly. The
    expected output is derived in rationals: with one sample the batch mean is the sample,
    x - mu = 0 exactly, so gamma (x - mu) / sqrt(sigma^2 + eps) + beta = beta."""
    x = np.array([[3.0, -7.5, 1e3]])
    gamma = np.array([2.0, 1.0, 0.5])
    beta = np.array([0.25, -1.0, 0.0])
    mus = [_exact_moments(x[:, j])[0] for j in range(3)]
    centred = [Fraction(float(x[0, j])) - mus[j] for j in range(3)]
    assert centred == [0, 0, 0], "B = 1: x - mu = 0 exactly"
    expected = [Fraction(float(beta[j])) + Fraction(float(gamma[j])) * centred[j]
                for j in range(3)]  # the factor 1/sqrt(eps) multiplies an exact 0
    try:
        y, _, _ = impl.batchnorm_train(x, gamma, beta, *_zeros(3), momentum=0.1, eps=1e-5)
    except ValueError as err:
        evidence.note(f"B = 1 refused: {err}")
        return
    y = np.asarray(y)
    assert y.shape == (1, 3) and [Fraction(float(v)) for v in y[0]] == expected, \
        f"B = 1: BN outputs {y.tolist()}, not beta = {beta.tolist()} exactly"
    evidence.note("B = 1: output equals beta exactly (x - mu = 0)")


# -- sigma' in its sensitive region ---------------------------------------------------------------
@claim("normalised-preactivations-keep-mean-sigmoid-derivative-near-peak", kind="symbolic")
def test_mean_sigmoid_derivative_after_normalisation_is_at_least_three_sixteenths(evidence,
                                                                                  control):
    """For every z: sigma'(z) = (1 - tanh^2(z/2))/4 >= 1/4 - z^2/16, since |tanh u| <= |u|
    (u - tanh u vanishes at 0 and has derivative tanh^2 u >= 0). Averaged over a normalised
    vector (mean 0, mean square sigma^2/(sigma^2 + eps) <= 1; any size, any weights before
    it): mean sigma'(z_i) >= 1/4 - (1/16) mean z_i^2 >= 3/16, and <= 1/4 always. Negative
    controls: the lower bounds 1/5 and 1/4 (sigma' held at its peak), and the bound 3/16
    with the normalisation's mean square <= 1 dropped (mean square up to 4), must be
    rejected."""
    z, u = sp.symbols("z u", real=True)
    sig = 1 / (1 + sp.exp(-z))
    dsig = sp.diff(sig, z)
    assert sp.simplify((dsig - (1 - sp.tanh(z / 2)**2) / 4).rewrite(sp.exp)) == 0
    assert sp.simplify(sp.diff(u - sp.tanh(u), u) - sp.tanh(u)**2) == 0
    assert (u - sp.tanh(u)).subs(u, 0) == 0
    # u - tanh u is odd and nondecreasing with value 0 at 0, so (u - tanh u) u >= 0, and
    # u^2 - tanh^2 u = (u - tanh u)(u + tanh u) with both factors of u's sign: >= 0
    assert sp.simplify((u - sp.tanh(u)).subs(u, -u) + (u - sp.tanh(u))) == 0
    # u + tanh u: 0 at 0 with derivative 2 - tanh^2 u > 0, so it has u's sign too
    assert (u + sp.tanh(u)).subs(u, 0) == 0 and \
        sp.simplify(sp.diff(u + sp.tanh(u), u) - (2 - sp.tanh(u)**2)) == 0
    assert sp.expand((u - sp.tanh(u)) * (u + sp.tanh(u)) - (u**2 - sp.tanh(u)**2)) == 0
    gap = sp.simplify((1 - sp.tanh(z / 2)**2) / 4 - (sp.Rational(1, 4) - z**2 / 16))
    assert sp.simplify(gap - ((z / 2)**2 - sp.tanh(z / 2)**2) / 4) == 0
    # the average over F normalised values (symbolic F), by linearity
    j, k, F, x, reduce = _symbolic_batch()
    lower = reduce(sp.Sum(sp.Rational(1, 4) - x[j]**2 / 16, (j, 1, F)) / F)
    ms = reduce(sp.Sum(x[j]**2, (j, 1, F)) / F)
    assert sp.expand(lower - (sp.Rational(1, 4) - ms / 16)) == 0
    r = sp.symbols("r", nonnegative=True)
    top = sp.Rational(1, 4) - (1 - sp.tanh(z / 2)**2) / 4  # 1/4 - sigma' = tanh^2(z/2)/4 >= 0
    assert sp.simplify(top - sp.tanh(z / 2)**2 / 4) == 0

    def mean_derivative_at_least(stmt):
        c, ms_bound = stmt  # mean sigma' >= c whenever the mean square is <= ms_bound
        worst = (sp.Rational(1, 4) - ms / 16).subs(ms, ms_bound - r)  # ms = bound - r
        assert sp.expand(worst - c).is_nonnegative, f"mean sigma' >= {sp.expand(worst)}, not {c}"
        assert c <= sp.Rational(1, 4), "above the peak 1/4"

    control(mean_derivative_at_least, (sp.Rational(3, 16), 1), (sp.Rational(1, 5), 1),
            (sp.Rational(1, 4), 1), (sp.Rational(3, 16), 4),
            labels=("mean sigma' >= 1/5", "mean sigma' >= 1/4 (held at the peak)",
                    "mean square up to 4 (normalisation dropped)"))
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
def test_train_output_depends_on_companions_eval_output_does_not(evidence, control):
    """Training mode, exactly: x = 1 in the batches {1, 3} and {1, -1} (B = 2, any eps > 0)
    comes out as -1/sqrt(1 + eps) and +1/sqrt(1 + eps): the same input, two outputs.
    Eval mode, for a batch of symbolic size B: y_i = gamma (x_i - rm)/sqrt(rv + eps) + beta
    contains no x_j with j != i, so d y_i / d x_j = 0: the output of a sample ignores its
    batch. Negative controls: the modes swapped ("eval depends on the batch, training does
    not") and "training mode also ignores the other samples" must be rejected by the same
    assertions."""
    eps = sp.symbols("epsilon", positive=True)
    i, j, B, x, _ = _symbolic_batch()
    k = sp.symbols("k", integer=True, positive=True)
    gamma, beta, rm = sp.symbols("gamma beta rm", real=True)
    rv = sp.symbols("rv", nonnegative=True)

    def train(batch, idx):  # a concrete batch (list) or a symbolic one (x, B)
        if isinstance(batch, tuple):
            xs, size = batch
            mu = sp.Sum(xs[k], (k, 1, size)) / size
            var = sp.Sum((xs[k] - mu)**2, (k, 1, size)) / size
            return gamma * (xs[idx] - mu) / sp.sqrt(var + eps) + beta
        mu = sum(batch) / len(batch)
        var = sum((t - mu)**2 for t in batch) / len(batch)
        return (batch[idx] - mu) / sp.sqrt(var + eps)

    def evaluate(batch, idx):  # running statistics (rm, rv), fixed before the batch
        if isinstance(batch, tuple):
            xs, _ = batch
            return gamma * (xs[idx] - rm) / sp.sqrt(rv + eps) + beta
        return (batch[idx] - sp.Rational(1, 2)) / sp.sqrt(2 + eps)

    def modes(stmt):
        depends, alone = stmt
        a = depends([sp.Integer(1), sp.Integer(3)], 0)
        b = depends([sp.Integer(1), sp.Integer(-1)], 0)
        assert sp.simplify(b - a) != 0 and sp.simplify(b - a).is_positive, \
            f"x = 1 gives {a} and {b}: the same output"
        y_i = alone((x, B), i)
        d = sp.diff(y_i, x[j]).subs(sp.KroneckerDelta(i, j), 0)
        assert d == 0, f"d y_i / d x_j = {d} for j != i"
        return a, b, y_i

    a, b, y_i = control(modes, (train, evaluate), (evaluate, train), (train, train),
                        labels=("modes swapped (eval depends on the batch, training not)",
                                "training mode also ignores the other samples"))
    assert sp.simplify(a + 1 / sp.sqrt(1 + eps)) == 0 and sp.simplify(b - 1 / sp.sqrt(1 + eps)) == 0
    assert sp.diff(y_i, x[i]) == gamma / sp.sqrt(rv + eps)
    evidence.note("sympy: training mode maps x = 1 to -1/sqrt(1+eps) in {1, 3} and +1/sqrt(1+eps) "
                  "in {1, -1}; eval mode y_i depends on x_i alone (d y_i / d x_j = 0, j != i, "
                  "symbolic B)")


# -- does normalisation keep the chain product from drifting? ---------------------------------
BN_DEPTH, BN_WIDTH, BN_BATCH, BN_EPS = 50, 100, 64, 1e-5


def _plain_stack_gradient_ratio(rng, act: str, norm: str, depth: int = BN_DEPTH,
                                width: int = BN_WIDTH, batch: int = BN_BATCH, X=None, Ws=None,
                                G=None, return_loss: bool = False):
    """||dL/dh_0|| / ||dL/dh_L|| for h_l = act(norm(h_{l-1} W_l^T)) (no skip connections,
    no bias, gamma = 1, beta = 0), L = sum(G * h_L) with G fixed; BatchNorm in training
    mode (batch statistics, biased variance, differentiated through), LayerNorm over the
    features, or none. Weights N(0, 2/n) for ReLU (He), N(0, 1/n) for tanh (Xavier)."""
    gain = 2.0 if act == "relu" else 1.0
    X = rng.normal(size=(batch, width)) if X is None else X
    Ws = [rng.normal(scale=math.sqrt(gain / width), size=(width, width))
          for _ in range(depth)] if Ws is None else Ws
    axis = {"bn": 0, "ln": 1}.get(norm)
    h, cache = X, []
    for W in Ws:
        z = h @ W.T
        if axis is None:
            u, sd = z, None
        else:
            sd = np.sqrt(z.var(axis=axis, keepdims=True) + BN_EPS)
            u = (z - z.mean(axis=axis, keepdims=True)) / sd
        h = np.maximum(u, 0.0) if act == "relu" else np.tanh(u)
        cache.append((u, sd))
    G = rng.normal(size=h.shape) if G is None else G
    if return_loss:
        return float(np.sum(G * h))
    g, top = G, float(np.linalg.norm(G))
    for W, (u, sd) in zip(reversed(Ws), reversed(cache)):
        gu = g * ((u > 0) if act == "relu" else 1.0 - np.tanh(u) ** 2)
        if axis is not None:  # the normaliser's Jacobian (x-hat = (z - mu)/sd, mu, sd of z)
            gu = (gu - gu.mean(axis=axis, keepdims=True)
                  - u * (gu * u).mean(axis=axis, keepdims=True)) / sd
        g = gu @ W
    return float(np.linalg.norm(g)) / top, g, X, Ws, G


def _draw_plain_stack(rng, act: str, depth: int = BN_DEPTH, width: int = BN_WIDTH,
                      batch: int = BN_BATCH):
    """Inputs, weights (He for ReLU, Xavier for tanh) and output gradient of one network."""
    gain = 2.0 if act == "relu" else 1.0
    X = rng.normal(size=(batch, width))
    Ws = [rng.normal(scale=math.sqrt(gain / width), size=(width, width)) for _ in range(depth)]
    return X, Ws, rng.normal(size=(batch, width))


def _check_normalised_backward_by_finite_differences(rng):
    """The hand-written backward (normaliser included) against a central difference of the
    loss along a random input direction, on small nets: a wrong BN/LN Jacobian fails."""
    for norm in ("bn", "ln"):
        for act in ("relu", "tanh"):
            _, g, X, Ws, G = _plain_stack_gradient_ratio(rng, act, norm, depth=3, width=6,
                                                         batch=5)
            V = rng.normal(size=X.shape)
            h = 1e-6
            f = [_plain_stack_gradient_ratio(rng, act, norm, depth=3, width=6, batch=5,
                                             X=X + s * h * V, Ws=Ws, G=G, return_loss=True)
                 for s in (1, -1)]
            fd = (f[0] - f[1]) / (2 * h)
            # central difference of a smooth (a.e.) function: error O(h^2) plus rounding
            # ~1e-16 * |L| / h ~ 1e-9; a ReLU kink within h of a pre-activation is unlikely
            np.testing.assert_allclose(fd, float(np.sum(g * V)), rtol=1e-5, atol=1e-7,
                                       err_msg=f"{norm}/{act}: backward != finite difference")


@claim("normalisation-keeps-sigma-prime-constant", kind="statistical", target="counterexample")
@claim("normalisation-keeps-sigma-prime-constant", kind="statistical", target="corrected")
def test_deep_batchnorm_stack_gradient_grows_geometrically_at_init(evidence, rng):
    """50 layers, width 100, batch 64, no skip connections, at initialisation. Asserted, each
    as 'the event holds in more than half of such networks' (exact one-sided binomial test,
    alpha 1e-6 split over four, sized to pass w.p. >= 1 - 1e-6 when the event's rate is
    0.999): with BatchNorm the input-side gradient is >= 1e3 x the output-side one for ReLU
    and >= 10 x for tanh; on the same networks without normalisation it is <= 10 x for ReLU
    (He) and <= 1 x for tanh (Xavier). Measured medians ~1.2e4, ~76, ~1, ~0.1: BatchNorm
    turns tanh's vanishing product into an exploding one and makes ReLU's drift by ~1.21
    per layer."""
    from claimledger import stattests as T

    _check_normalised_backward_by_finite_differences(rng)
    cases = [("relu", "bn", lambda r: r >= 1e3, ">= 1e3"),
             ("tanh", "bn", lambda r: r >= 10, ">= 10"),
             ("relu", "none", lambda r: r <= 10, "<= 10"),
             ("tanh", "none", lambda r: r <= 1, "<= 1")]
    budget = T.ErrorBudget(T.MAX_FALSE_FAIL_RATE, len(cases))
    effect = 0.499  # the event's true rate 0.999 against the null 1/2
    nets = T.binomial_one_sided_sample_size(0.5, 0.5 + effect,
                                            false_fail_rate=budget.per_assertion)
    # one draw of (inputs, weights, output gradient) per net and activation, shared by that
    # activation's normalisers: the nets of one case are independent, and the cases of one
    # activation compare the same networks with and without normalisation
    draws = {act: [_draw_plain_stack(rng, act) for _ in range(nets)] for act in ("relu", "tanh")}
    rows, outs = [], []
    for act, norm, event, said in cases:
        ratios = np.array([_plain_stack_gradient_ratio(rng, act, norm, X=X, Ws=Ws, G=G)[0]
                           for X, Ws, G in draws[act]])
        hits = int(sum(event(r) for r in ratios))
        out = T.binomial_one_sided(hits, nets, 0.5, alternative="greater",
                                   false_fail_rate=budget.per_assertion, effect=effect)
        out.assert_ok(f"{act}/{norm}: ||dL/dh_0|| / ||dL/dh_L|| {said} in more than half of "
                      f"the nets ({hits}/{nets})")
        outs.append(out)
        per_layer = ratios ** (1 / BN_DEPTH)
        rows.append([f"{act}, {'BatchNorm' if norm == 'bn' else 'LayerNorm' if norm == 'ln' else 'none'}",
                     f"{np.median(ratios):.3g}", f"[{ratios.min():.3g}, {ratios.max():.3g}]",
                     f"{np.median(per_layer):.4f}", f"{hits}/{nets} {said}"])
    evidence.table(f"gradient norm ratio input/output, plain {BN_DEPTH}-layer MLPs of width "
                   f"{BN_WIDTH}, batch {BN_BATCH}, at initialisation ({nets} nets each)",
                   ["activation, normaliser", "median ratio", "range", "per layer (median)",
                    "event"], rows)
    evidence.counterexample(
        f"{BN_DEPTH} BatchNorm layers (training mode, no skip connections), ReLU, He weights, "
        f"width {BN_WIDTH}, batch {BN_BATCH}: the gradient at the input is {rows[0][1]} times "
        f"the gradient at the output (per layer {rows[0][3]}; mean-field rate "
        f"sqrt(pi/(pi-1)) = {math.sqrt(math.pi / (math.pi - 1)):.4f}), against {rows[2][1]} "
        f"without BatchNorm; with tanh {rows[1][1]} against {rows[3][1]}")
    evidence.note("; ".join(o.evidence() for o in outs[:1]) + f" (each of the {len(cases)} "
                  f"tests at alpha {budget.per_assertion:.2g}; backward checked against finite "
                  "differences for BatchNorm and LayerNorm, ReLU and tanh)")
