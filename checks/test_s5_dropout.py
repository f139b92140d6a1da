"""Evidence for §5.3: dropout's two modes, its 2^n sub-networks and the geometric mean.

Expectations over masks are computed by exact enumeration of all 2^n masks (n up to 12)
in integer/rational arithmetic: with p = a/16 every P(m) is an integer over 16^n. The
softmax identity is proved in sympy for a generic finite mask distribution, then checked
by enumeration against the implementation's inference mode. The training mode is a
random function, checked with exact binomial tests (sample sizes from the power
requirement).
"""
from __future__ import annotations

import functools
import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings

from checks.support import strategies as S
from claimledger import symbolic as Sy
from claimledger.stattests import ErrorBudget, binomial, binomial_sample_size

claim = pytest.mark.claim


def _masks(n: int) -> np.ndarray:
    """All 2^n masks as rows of 0/1 (int64)."""
    return np.array(list(itertools.product((0, 1), repeat=n)), dtype=np.int64).reshape(-1, n)


def _mask_weights(masks: np.ndarray, a: int, den: int = 16) -> list[int]:
    """16^n P(m) for drop probability p = a/den: (den - a)^{kept} a^{dropped}, exact ints."""
    n = masks.shape[1]
    kept = masks.sum(axis=1)
    return [(den - a) ** int(k) * a ** int(n - k) for k in kept]


# -- training mode ------------------------------------------------------------------
@claim("dropout-train-drops-each-unit-independently-with-probability-p", kind="statistical")
def test_training_mask_is_independent_bernoulli(impl, evidence, rng):
    rates, conventions = (0.1, 0.5, 0.8), (False, True)
    budget = ErrorBudget(1e-6, k=2 * len(rates) * len(conventions))
    checks = []
    for p in rates:
        # drop counts: detect |P(drop) - p| >= 0.02; pair counts: |P(both) - p^2| >= 0.02
        n_units = binomial_sample_size(0.02, p, false_fail_rate=budget.per_assertion)
        n_pairs = binomial_sample_size(0.02, p * p, false_fail_rate=budget.per_assertion)
        cols = 8
        rows = math.ceil(max(n_units, 2 * n_pairs) / cols)
        h = rng.uniform(0.5, 2.0, (rows, cols)) * rng.choice([-1.0, 1.0], (rows, cols))
        for inverted in conventions:
            out, mask = impl.dropout_train(h, p, rng=rng, inverted=inverted)
            mask = np.asarray(mask, dtype=float)
            assert mask.shape == h.shape and np.all((mask == 0) | (mask == 1)), "mask not 0/1"
            expected = mask * h / (1 - p) if inverted else mask * h
            # the division may be done before or after the product: 2 ulps either way
            np.testing.assert_allclose(out, expected, rtol=4 * np.finfo(float).eps, atol=0,
                                       err_msg=f"train output != m*h{'/(1-p)' if inverted else ''}")
            # each test uses the first n its power needs (the audit holds n used to n needed)
            dropped = int(np.sum(mask.ravel()[:n_units] == 0))
            both = mask.reshape(-1, 2)[:n_pairs]  # disjoint pairs of neighbouring units
            n_both = int(np.sum((both[:, 0] == 0) & (both[:, 1] == 0)))
            tag = f"p={p}, {'inverted' if inverted else 'article'}"
            checks.append((f"dropped units, {tag}",
                           binomial(dropped, n_units, p,
                                    false_fail_rate=budget.per_assertion, effect=0.02)))
            checks.append((f"both units of a pair dropped, {tag}",
                           binomial(n_both, both.shape[0], p * p,
                                    false_fail_rate=budget.per_assertion, effect=0.02)))
    for what, o in checks:
        evidence.note(f"{what}: {o.evidence()}")
    for what, o in checks:
        o.assert_ok(what)
    out, mask = impl.dropout_train(np.array([1.0, -2.0]), 0.0, rng=rng)
    assert np.array_equal(mask, [1.0, 1.0]) and np.array_equal(out, [1.0, -2.0]), "p = 0"


@claim("dropout-train-drops-each-unit-independently-with-probability-p", kind="statistical")
def test_successive_calls_draw_fresh_masks_from_the_callers_generator(impl, evidence, rng):
    # masks of successive calls sharing one generator must be independent: the unit-wise
    # agreement rate of two calls' masks is p^2 + (1 - p)^2; a mask repeated across calls
    # (fixed internal seed, a cached mask) agrees always
    p = 0.3
    agree_rate = p**2 + (1 - p) ** 2
    n = binomial_sample_size(0.05, agree_rate, false_fail_rate=1e-6)
    shape = (math.ceil(n / 5), 5)  # a 2-D batch
    _, m1 = impl.dropout_train(np.ones(shape), p, rng=rng)
    _, m2 = impl.dropout_train(np.ones(shape), p, rng=rng, inverted=True)
    agree = np.asarray(m1) == np.asarray(m2)
    o = binomial(int(agree.sum()), agree.size, agree_rate, false_fail_rate=1e-6)
    evidence.note(f"two successive calls on one generator agree unit-wise: {o.evidence()}")
    o.assert_ok("successive calls draw independent masks")
    # the randomness is the caller's: equal seeds give equal masks, bit for bit
    seed = int(rng.integers(2**32))
    masks = [np.asarray(impl.dropout_train(np.ones((3, 4)), p,
                                           rng=np.random.default_rng(seed))[1]) for _ in range(2)]
    assert np.array_equal(*masks), "the mask must be a function of the caller's generator"


# -- inference mode ----------------------------------------------------------------
@claim("dropout-inference-scales-by-one-minus-p", kind="exact", scope="instance")
@given(layer=S.dropout_layers(max_units=10), p=S.dropout_rates())
def test_inference_is_exact_scaling(impl, evidence, layer, p):
    h, _ = layer
    hf = h.astype(float)
    for arr in (hf, np.vstack([hf, -hf])):  # a single example and a batch
        # (1 - p) is a multiple of 1/16 and h an integer <= 3: the product is exact
        assert np.array_equal(impl.dropout_eval(arr, p), (1 - p) * arr), \
            f"article inference != (1 - p) h at p = {p}"
        assert np.array_equal(impl.dropout_eval(arr, p, inverted=True), arr), \
            "inverted inference must be the identity"
    evidence.count("layers and rates: (1-p) h and h, bit for bit")


@claim("dropout-conventions-agree-in-expectation", kind="exact", scope="instance")
@given(layer=S.dropout_layers(max_units=10), a=S.dropout_rates().map(lambda p: int(p * 16)))
def test_expected_training_output_is_inference_output_exactly(impl, evidence, layer, a):
    h, _ = layer
    n = h.size
    masks = _masks(n)
    weights = _mask_weights(masks, a)
    total = 16**n
    assert sum(weights) == total, "mask probabilities must sum to 1"
    p = Fraction(a, 16)
    mean_article = [Fraction(sum(wt * int(m[j]) for wt, m in zip(weights, masks)) * int(h[j]),
                             total) for j in range(n)]
    mean_inverted = [v / (1 - p) for v in mean_article]
    ev_a = [Fraction(float(v)) for v in impl.dropout_eval(h.astype(float), a / 16)]
    ev_i = [Fraction(float(v)) for v in impl.dropout_eval(h.astype(float), a / 16,
                                                           inverted=True)]
    assert mean_article == ev_a, "E_m[m * h] != article inference output"
    assert mean_inverted == ev_i, "E_m[m * h / (1 - p)] != inverted inference output"
    assert all(x == y / (1 - p) for x, y in zip(ev_i, ev_a)), "inverted != article / (1-p)"
    evidence.count("layers: exact expectation over all 2^n masks matches inference")


@claim("dropout-conventions-agree-in-expectation", kind="statistical")
def test_training_mean_matches_inference_statistically(impl, evidence, rng):
    cases = [(p, inv) for p in (0.25, 0.5) for inv in (False, True)]
    budget = ErrorBudget(1e-6, k=len(cases))
    h = np.array([-1.5, -0.5, 0.25, 1.0, 2.0, 3.0])
    outcomes = []
    for p, inverted in cases:
        # out / h = m c with m ~ Bernoulli(keep) and one constant c (1 or 1/(1 - p)), so
        # E[out] / h = c P(keep): c is read off exactly, P(keep) = target / c is tested with
        # the exact binomial, sized for an error of 10% of the target mean (its rate error
        # is 10% of the rate); a Hoeffding test of the mean needed ~12,000 samples
        # the target E[out] / h is the inference output / h by definition - (1 - p) in the
        # article's convention, 1 in the inverted one - not read from the implementation
        target = 1.0 if inverted else 1.0 - p
        pilot, _ = impl.dropout_train(np.tile(h, (64, 1)), p, rng=rng, inverted=inverted)
        nz = (np.asarray(pilot) / h).ravel()
        nz = nz[nz != 0]
        assert nz.size > 0, f"p={p}: 64 x {h.size} units all dropped"
        c = float(nz[0])
        np.testing.assert_allclose(nz, c, rtol=8 * np.finfo(float).eps, atol=0,
                                   err_msg=f"train output / h takes one nonzero value at p={p}")
        keep = target / c
        assert 0 < keep < 1, (f"E[train] / h = {c:.6g} P(keep) cannot equal the inference "
                              f"output / h = {target:.6g} at p={p}")
        n = binomial_sample_size(0.1 * keep, keep, false_fail_rate=budget.per_assertion)
        rows = math.ceil(n / h.size)
        out, _ = impl.dropout_train(np.tile(h, (rows, 1)), p, rng=rng, inverted=inverted)
        ratio = (np.asarray(out) / h).ravel()[:n]  # i.i.d. across rows and units
        kept = ratio != 0
        np.testing.assert_allclose(ratio[kept], c, rtol=8 * np.finfo(float).eps, atol=0,
                                   err_msg=f"train output / h is 0 or {c:.6g} at p={p}")
        o = binomial(int(kept.sum()), n, keep, false_fail_rate=budget.per_assertion,
                     effect=0.1 * keep)
        outcomes.append((f"mean(train / h) = inference / h at p={p}, "
                         f"{'inverted' if inverted else 'article'}", o))
    for what, o in outcomes:
        evidence.note(f"{what}: {o.evidence()}")
    for what, o in outcomes:
        o.assert_ok(what)


# -- proofs for every n (symbolic sizes) ---------------------------------------------------
_P = sp.Symbol("p")
_N = sp.Symbol("n", integer=True, nonnegative=True)
_KEPT = sp.Symbol("k", integer=True, nonnegative=True)


def _article_law(n, kept):
    """The mask law the article states: each unit kept (m_j = 1) with probability 1 - p,
    dropped with probability p, independently: P(m) = (1 - p)^|m| p^(n - |m|)."""
    return (1 - _P) ** kept * _P ** (n - kept)


def _unrolled(ratio, base):
    """The solution of u(n + 1) = ratio u(n), u(0) = base: unrolled n times, base ratio^n
    (checked against both equations; a first-order recursion has one solution)."""
    u = base * ratio**_N
    assert sp.expand(u.subs(_N, _N + 1) - ratio * u) == 0 and u.subs(_N, 0) == base
    return u


@functools.lru_cache(maxsize=None)
def _mask_recursions(law):
    """What the mask distribution of a ``law(n, kept)`` gives for every n, by induction on n.

    Masks of n + 1 units are the masks of n units extended by one more bit b; the law
    factorises over units when P(m, b) / P(m) is the same for every mask of every size,
    and that ratio is the bit's probability P(b). Returns (P(b) for b = 0, 1; the number of
    masks count(n) and their total probability S(n), both solved from their recursions
    count(n + 1) = |{0, 1}| count(n) and S(n + 1) = S(n) (P(0) + P(1)), with the empty mask
    as the base: count(0) = 1, S(0) = law(0, 0))."""
    bit = {b: sp.powsimp(law(_N + 1, _KEPT + b) / law(_N, _KEPT), force=True)
           for b in (0, 1)}
    assert not any(v.has(_N, _KEPT) for v in bit.values()), \
        f"the law does not factorise over units: P(m, b) / P(m) = {bit}"
    n_masks = _unrolled(len(bit), sp.Integer(1))
    total = _unrolled(sp.expand(bit[0] + bit[1]), law(0, 0))
    return bit, n_masks, total


def _expected_bit(law):
    """E[m_j] over the masks of n units, any n >= 1 and any unit j: split each mask into
    unit j's bit b and the other n - 1 units, so E[m_j] = sum_b b P(b) S(n - 1)."""
    bit, _, total = _mask_recursions(law)
    return sp.expand(sum(b * bit[b] * total.subs(_N, _N - 1) for b in (0, 1)))


@claim("dropout-masks-index-2-to-the-n-subnetworks", kind="symbolic")
@claim("dropout-conventions-agree-in-expectation", kind="symbolic")
@claim("dropout-expected-logits-equal-scaled-logits", kind="symbolic")
def test_mask_expectations_for_every_n_symbolic(evidence, control):
    # (1) 2^n masks whose probabilities sum to 1: the statement gives the count and the law
    def masks(statement):
        n_claimed, law = statement
        _, n_masks, total = _mask_recursions(law)
        assert sp.expand(n_masks - n_claimed) == 0, f"#masks = {n_masks}, not {n_claimed}"
        assert total == 1, f"sum_m P(m) = {total}, not 1"

    control(masks, (2**_N, _article_law), (2 * _N, _article_law),
            (2**_N - 1, _article_law), (2**_N, lambda n, kept: (1 - _P) ** kept),
            labels=("2 n masks (two states per unit)", "2^n - 1 masks (the empty "
                    "sub-network left out)", "P(m) = (1 - p)^|m| (the dropped units' "
                    "factor p left out)"))
    # (2) the two conventions: the statement gives the article's inference scale a and the
    # inverted convention's training divisor d; E[m_j] is derived from the law
    hj = sp.Symbol("h_j", real=True)

    def conventions(statement):
        a, d = statement
        E_mj = _expected_bit(_article_law)
        art, inv = E_mj * hj, E_mj * hj / d  # E[m_j h_j], E[m_j h_j / d]
        assert sp.expand(art - a * hj) == 0, f"E[m h] = {art}, not the inference {a} h"
        assert sp.cancel(inv - hj) == 0, f"E[m h / d] = {inv}, not the identity"
        assert sp.cancel(inv - art / d) == 0 and sp.cancel(hj - a * hj / d) == 0, \
            "inverted outputs != article outputs / d"

    control(conventions, (1 - _P, 1 - _P), (_P, 1 - _P), (1, 1 - _P), (1 - _P, _P),
            labels=("article inference scales by p", "article inference unscaled",
                    "inverted training divides by p"))
    # (3) the logits, by induction on n: z(m) = sum_j W_j m_j h_j (one row W = W_k);
    # E_{n+1}[z] = sum_b P(b) (E_n[z_n] + W_{n+1} b h_{n+1} S(n)) over the last bit b
    j = sp.Symbol("j", integer=True)
    W, h = sp.IndexedBase("W"), sp.IndexedBase("h")

    def logits(c):  # the statement: E[z(m)] = c W . h
        bit, _, total = _mask_recursions(_article_law)
        T = lambda m: sp.Sum(W[j] * h[j], (j, 1, m))  # noqa: E731  W . h over m units
        assert c * T(0).doit() == 0, "base case: the empty network's logit is 0"
        last = W[_N + 1] * h[_N + 1]  # T(n + 1) = T(n) + W_{n+1} h_{n+1}
        step = sum(bit[b] * (c * T(_N) + last * b * total) for b in (0, 1))
        gap = sp.expand(step - c * (T(_N) + last))
        assert gap == 0, f"E_(n+1)[z] - c W . h = {gap} (induction step fails)"

    control(logits, 1 - _P, _P, sp.Integer(1),
            labels=("E[z] = p W h (drop probability for keep)", "E[z] = W h (no scaling)"))
    evidence.note("sympy, symbolic n and p, from the law P(m) = (1-p)^|m| p^(n-|m|): it "
                  "factorises over units (P(m, b) / P(m) = P(b), free of n and |m|), so "
                  "#masks solves count(n+1) = 2 count(n) -> 2^n and sum_m P(m) solves "
                  "S(n+1) = S(n) (p + 1 - p) -> 1 (both from count(0) = S(0) = 1); "
                  "E[m_j] = sum_b b P(b) S(n-1) = 1 - p, so E[m h] = (1-p) h and "
                  "E[m h / (1-p)] = h; E[z] = (1 - p) W . h by induction on n over the last "
                  "unit's bit")


@claim("weight-scaling-equals-normalised-geometric-mean", kind="symbolic")
def test_nwgm_identity_for_any_masks_and_classes_symbolic(evidence, control):
    # M sub-networks (M = 2^n for dropout) with any probabilities P_i, K classes, logits
    # z[i, k]; the statement: softmax(E[z])_k = G_k / sum_j G_j with G_k = prod_i
    # yhat_k(z_i)^{w_i}, the exponents w_i = P_i, for every M and K
    M, K = sp.symbols("M K", integer=True, positive=True)
    i, j, k, l = sp.symbols("i j k l", integer=True)
    P, z = sp.IndexedBase("P", positive=True), sp.IndexedBase("z", real=True)

    def derive(statement):
        weight, normalised = statement

        def log_G(kk):  # log prod_i softmax(z_i)_kk^w_i, the product rewritten as a Sum
            yhat = sp.exp(z[i, kk]) / sp.Sum(sp.exp(z[i, l]), (l, 1, K))
            g = sp.log(sp.Product(yhat ** weight, (i, 1, M))).rewrite(sp.Sum)
            return Sy.linear(Sy.expand_log_in_sums(g))

        Ez = lambda kk: sp.Sum(P[i] * z[i, kk], (i, 1, M))  # noqa: E731
        weight_scaled = Ez(k) - sp.log(sp.Sum(sp.exp(Ez(j)), (j, 1, K)))  # log softmax(E z)_k
        ensemble = log_G(k)
        if normalised:  # log sum_j G_j, the factor free of j pulled out of the sum
            norm = Sy.linear(sp.Sum(sp.expand(sp.exp(log_G(j)), power_exp=True), (j, 1, K)))
            ensemble -= sp.expand_log(sp.log(norm), force=True)
        gap = sp.expand(ensemble - weight_scaled)
        assert gap == 0, f"log ensemble_k - log softmax(E z)_k = {gap}"

    control(derive, (P[i], True), (P[i], False), (1 / M, True),
            labels=("unnormalised geometric mean G_k", "unweighted geometric mean "
                    "(exponents 1/M, not P(m))"))
    evidence.note("sympy, symbolic M masks and K classes, any probabilities P_i: log prod_i "
                  "softmax(z_i)_k^P_i = E[z_k] - sum_i P_i LSE(z_i), the second term free of k, "
                  "so it cancels from G_k / sum_j G_j, leaving softmax(E[z])_k; with E[z] = "
                  "(1 - p) W h (previous proof) this is the weight-scaled softmax")


# -- sub-networks and mini-batches ----------------------------------------------------
@claim("dropout-mask-per-minibatch-trains-one-subnetwork", kind="statistical", target="counterexample")
@claim("dropout-mask-per-minibatch-trains-one-subnetwork", kind="statistical", target="corrected")
def test_examples_of_a_batch_get_independent_masks(impl, evidence, rng):
    p = 0.5
    # neighbouring rows agree on a unit with probability p^2 + (1-p)^2 = 1/2 if masks are
    # drawn per example; a single mask per batch would make them agree always
    n_pairs = binomial_sample_size(0.05, 0.5, false_fail_rate=1e-6)
    out, mask = impl.dropout_train(np.ones((2 * math.ceil(n_pairs / 4), 4)), p, rng=rng)
    mask = np.asarray(mask)
    agree = mask[0::2] == mask[1::2]
    o = binomial(int(agree.sum()), agree.size, p**2 + (1 - p) ** 2, false_fail_rate=1e-6,
                 effect=0.05)
    evidence.note(f"rows of a batch agree unit-wise: {o.evidence()}")
    o.assert_ok("examples in one batch get independent masks")
    # a concrete batch of two examples, one unit, on two different sub-networks
    for attempt in range(64):  # each try differs w.p. 1/2; 64 failures has prob 2^-64
        _, m = impl.dropout_train(np.ones((2, 1)), p, rng=rng)
        if m[0, 0] != m[1, 0]:
            break
    else:
        raise AssertionError("64 batches of two examples all shared their mask")
    evidence.counterexample(f"one mini-batch of B = 2 examples, n = 1 unit, p = 1/2: masks "
                            f"{np.asarray(m).ravel().astype(int).tolist()} (draw {attempt + 1}) "
                            "- the step trains two different sub-networks, not one")


@claim("dropout-masks-index-2-to-the-n-subnetworks", kind="exact", scope="instance")
def test_masks_enumerate_2_to_the_n_distinct_subnetworks(evidence):
    for n in range(1, 13):
        masks = _masks(n)
        assert len({tuple(m) for m in masks}) == 2**n
        for a in (1, 4, 8, 15):
            assert sum(_mask_weights(masks, a)) == 16**n, "sum_m P(m) != 1"
        # weights w_j h_j = 2^j make every sub-network's logit distinct: z(m) = sum_j m_j 2^j
        logits = masks @ (2 ** np.arange(n))
        assert len(set(logits.tolist())) == 2**n
    evidence.note("n = 1..12: 2^n distinct masks, probabilities summing to 1 exactly for "
                  "p in {1/16, 1/4, 1/2, 15/16}; with w_j h_j = 2^j the 2^n sub-networks "
                  "compute 2^n different logits")


# -- expected logits and the geometric mean -------------------------------------------
@claim("dropout-expected-logits-equal-scaled-logits", kind="symbolic", scope="instance")
def test_expected_logits_symbolic(evidence):
    n, K = 3, 2
    p = sp.Symbol("p", positive=True)
    h = sp.Matrix(sp.symbols(f"h1:{n + 1}", real=True))
    W = sp.Matrix(K, n, lambda i, j: sp.Symbol(f"w{i}{j}", real=True))
    expected = sp.zeros(K, 1)
    for m in itertools.product((0, 1), repeat=n):
        prob = sp.Mul(*[(1 - p) if mj else p for mj in m])
        expected += prob * W * sp.Matrix([mj * hj for mj, hj in zip(m, h)])
    assert (expected - (1 - p) * W * h).expand() == sp.zeros(K, 1)
    evidence.note("sympy, n = 3, K = 2, symbolic p, W, h: sum_m P(m) W (m * h) = (1-p) W h")


def _logits(masks: np.ndarray, h: np.ndarray, W: np.ndarray) -> np.ndarray:
    return (masks * h) @ W.T  # (2^n, K), exact integers


@claim("dropout-expected-logits-equal-scaled-logits", kind="exact", scope="instance")
@given(layer=S.dropout_layers(max_units=10), a=S.dropout_rates().map(lambda p: int(p * 16)))
def test_expected_logits_by_exact_enumeration(impl, evidence, layer, a):
    h, W = layer
    _check_expected_logits(impl, h, W, a)
    evidence.count("layers (n <= 10): exact enumeration of all masks")


def _check_expected_logits(impl, h, W, a):
    n = h.size
    masks = _masks(n)
    weights = np.array(_mask_weights(masks, a), dtype=object)
    z = _logits(masks, h, W).astype(object)
    expected = [Fraction(int(v), 16**n) for v in weights @ z]  # sum_m 16^n P(m) z(m) / 16^n
    scaled = W.astype(float) @ impl.dropout_eval(h.astype(float), a / 16)
    # W (1-p) h: integers times multiples of 1/16, sums below 2^53: exact in float64
    assert expected == [Fraction(float(v)) for v in scaled], \
        f"E_m[z(m)] = {expected} but W dropout_eval(h) = {scaled.tolist()}"


@claim("dropout-expected-logits-equal-scaled-logits",
       "dropout-masks-index-2-to-the-n-subnetworks", kind="exact", scope="instance")
def test_expected_logits_twelve_units(impl, evidence, rng):
    h = rng.integers(-3, 4, 12)
    W = rng.integers(-3, 4, (3, 12))
    for a in (3, 8, 13):
        _check_expected_logits(impl, h, W, a)
    evidence.note("n = 12 (4096 masks), K = 3, p in {3/16, 1/2, 13/16}: exact equality")


def _log_softmax(z):
    z = np.asarray(z, dtype=float)
    zmax = z.max(axis=-1, keepdims=True)
    return z - zmax - np.log(np.sum(np.exp(z - zmax), axis=-1, keepdims=True))


def _log_nwgm(masks, h, W, p):
    """log of the normalised geometric mean of the sub-networks' softmax outputs."""
    logp = _log_softmax(_logits(masks, h, W))  # (2^n, K)
    n = masks.shape[1]
    kept = masks.sum(axis=1)
    P = (1 - p) ** kept * p ** (n - kept)
    g = np.array([math.fsum(P * logp[:, k]) for k in range(logp.shape[1])])  # log G_k
    return _log_softmax(g)  # log (G_k / sum_j G_j)


@claim("weight-scaling-equals-normalised-geometric-mean", kind="symbolic", scope="instance")
def test_nwgm_identity_symbolic(evidence):
    M, K = 3, 3
    P = list(sp.symbols(f"P1:{M}", positive=True))
    P.append(1 - sum(P))
    z = sp.Matrix(M, K, lambda i, k: sp.Symbol(f"z{i}{k}", real=True))
    soft = [[sp.exp(z[m, k]) / sum(sp.exp(z[m, j]) for j in range(K)) for k in range(K)]
            for m in range(M)]
    logG = [sum(P[m] * sp.log(soft[m][k]) for m in range(M)) for k in range(K)]
    Ez = [sum(P[m] * z[m, k] for m in range(M)) for k in range(K)]
    for k in range(1, K):  # log G_k - log G_0 = E z_k - E z_0: the normaliser cancels
        diff = sp.expand(sp.expand_log(logG[k] - logG[0], force=True))
        assert sp.simplify(diff - (Ez[k] - Ez[0])) == 0
    evidence.note("sympy (3 masks with probabilities P1, P2, 1-P1-P2, 3 classes): log G_k - "
                  "log G_0 = E[z_k] - E[z_0], so G / sum G = softmax(E[z]); with E[z] = "
                  "(1-p) W h this is the weight-scaled softmax")


@claim("weight-scaling-equals-normalised-geometric-mean", kind="sampled")
@given(layer=S.dropout_layers(max_units=10), p=S.dropout_rates().filter(lambda p: p > 0))
def test_weight_scaling_equals_nwgm_by_enumeration(impl, evidence, layer, p):
    h, W = layer
    masks = _masks(h.size)
    lhs = _log_softmax(W.astype(float) @ impl.dropout_eval(h.astype(float), p))
    rhs = _log_nwgm(masks, h, W, p)
    # each log-softmax term is accurate to ~1e-15 |z| (|z| <= 90); fsum adds 2^n of them
    # with one final rounding, so 1e-11 absolute leaves two orders of magnitude
    np.testing.assert_allclose(lhs, rhs, rtol=0, atol=1e-11,
                               err_msg="log softmax((1-p) W h) != log NWGM of sub-networks")
    evidence.worst("|log softmax(scaled) - log NWGM|", float(np.max(np.abs(lhs - rhs))))
    evidence.count("layers (all 2^n masks enumerated)")


@claim("weight-scaling-equals-normalised-geometric-mean", kind="sampled")
def test_weight_scaling_equals_nwgm_twelve_units_high_precision(impl, evidence, rng):
    import mpmath as mp

    n, p = 12, 0.25
    h, W = rng.integers(-3, 4, n), rng.integers(-3, 4, (3, n))
    masks = _masks(n)
    z = _logits(masks, h, W)
    scaled = W.astype(float) @ impl.dropout_eval(h.astype(float), p)
    with mp.workdps(40):
        pm = mp.mpf(1) / 4
        logG = []
        for k in range(W.shape[0]):
            acc = mp.mpf(0)
            for m, zm in zip(masks, z):
                kept = int(m.sum())
                lse = mp.log(mp.fsum(mp.e ** int(v) for v in zm))
                acc += (1 - pm) ** kept * pm ** (n - kept) * (int(zm[k]) - lse)
            logG.append(acc)
        norm = mp.log(mp.fsum(mp.e ** g for g in logG))
        target = [mp.mpf(float(s)) - mp.log(mp.fsum(mp.e ** mp.mpf(float(t)) for t in scaled))
                  for s in scaled]
        worst = max(abs((g - norm) - t) for g, t in zip(logG, target))
        assert worst < mp.mpf(10) ** -30, f"NWGM and weight scaling differ by {worst}"
    evidence.note(f"n = 12, 4096 masks, 40-digit arithmetic: |log NWGM - log softmax((1-p) W h)|"
                  f" = {mp.nstr(worst, 3)}")


@claim("exp-of-mean-logit-is-geometric-mean-am-gm", kind="symbolic", target="counterexample")
@claim("exp-of-mean-logit-is-geometric-mean-am-gm", kind="symbolic", scope="instance",
       target="corrected")
def test_exp_identity_holds_but_am_gm_is_an_inequality(evidence, control):
    zs = sp.symbols("z1:4", real=True)
    N = len(zs)
    lhs = sp.exp(sum(zs) / N)
    rhs = sp.Mul(*[sp.exp(z) for z in zs]) ** sp.Rational(1, N)
    assert sp.simplify(sp.powsimp(rhs, force=True) - lhs) == 0

    def strict_am_gm(witness):  # AM-GM on a_i = e^{z_i}: GM = e^{mean z} < AM, strictly
        gm = sp.exp(sum(witness) / len(witness))
        am = sum(sp.exp(v) for v in witness) / len(witness)
        gap = sp.simplify(am - gm)
        assert gap.is_positive, f"AM - GM = {gap} at z = {witness}: no strict inequality"
        return gap

    gap = control(strict_am_gm, (sp.Integer(0), sp.Integer(2)), (sp.Integer(1), sp.Integer(1)),
                  (sp.Integer(0), sp.Integer(0), sp.Integer(0)),
                  labels=("z = (1, 1) (equal logits)", "z = (0, 0, 0) (equal logits)"))
    assert sp.simplify(gap - (sp.exp(1) - 1) ** 2 / 2) == 0
    evidence.counterexample("AM-GM is an inequality, not the identity: for z = (0, 2), "
                            "e^{mean z} = e = 2.718 (the geometric mean of e^z) < mean(e^z) = "
                            "(1 + e^2)/2 = 4.195; the gap is (e - 1)^2 / 2")
    # the identity for every N: both sides are positive and their logs agree
    Ns = sp.Symbol("N", integer=True, positive=True)
    i = sp.Symbol("i", integer=True)
    zi = sp.IndexedBase("z", real=True)

    def identity(mean_of_exp):  # the statement: e^{mean z} = mean_of_exp(e^{z_1}, ...)
        log_rhs = sp.expand_log(sp.log(mean_of_exp(sp.exp(zi[i]))), force=True)
        assert sp.simplify(log_rhs - sp.Sum(zi[i], (i, 1, Ns)) / Ns) == 0, log_rhs

    control(identity, lambda a: sp.Product(a, (i, 1, Ns)) ** (1 / Ns),
            lambda a: sp.Sum(a, (i, 1, Ns)) / Ns,
            labels=("e^{mean z} = mean(e^{z_i}) (the arithmetic mean)",))
    evidence.note("sympy: exp((z1+z2+z3)/3) = (e^z1 e^z2 e^z3)^(1/3), and for symbolic N "
                  "log (prod_i e^{z_i})^{1/N} = (sum_i z_i) / N (exp is a homomorphism); the "
                  "AM-GM inequality itself is shown strict at one case only")


@claim("dropout-inference-is-ensemble-average", kind="symbolic", target="counterexample")
def test_weight_scaling_is_not_the_arithmetic_ensemble(evidence, control):
    # n = 1 unit, h = 1, p = 1/2, logits W (m h): the sub-networks m = 0 and m = 1
    p = sp.Rational(1, 2)

    def softmax0(z):
        return sp.exp(z[0]) / sum(sp.exp(v) for v in z)

    def derive(W):
        subnets = {m: [w * m for w in W] for m in (0, 1)}
        am = sum((1 - p if m else p) * softmax0(z) for m, z in subnets.items())
        ws = softmax0([(1 - p) * w for w in W])  # weight scaling: logits (1 - p) W h
        diff = sp.simplify(ws - am)
        assert diff != 0 and abs(float(diff)) > 0.01, f"weight scaling - AM ensemble = {diff}"
        return am, ws

    am, ws = control(derive, (2, 0), (0, 0), (2, 2),
                     labels=("W = (0, 0) (sub-networks agree)", "W = (2, 2) (equal logits)"))
    assert sp.simplify(am - (sp.Rational(1, 2) + sp.E**2 / (1 + sp.E**2)) / 2) == 0
    assert sp.simplify(ws - sp.E / (1 + sp.E)) == 0
    evidence.counterexample(f"n = 1, h = 1, p = 1/2, W = (2, 0)^T: the sub-networks predict "
                            f"class 0 with 1/2 and e^2/(1+e^2); their arithmetic mean is "
                            f"{float(am):.4f} but weight scaling gives e/(1+e) = {float(ws):.4f} "
                            "(the normalised geometric mean)")


@claim("dropout-inference-is-ensemble-average", kind="sampled", target="corrected")
@given(layer=S.dropout_layers(max_units=8), p=S.dropout_rates().filter(lambda p: p > 0))
@settings(max_examples=30)
def test_weight_scaling_matches_geometric_not_arithmetic_ensemble(impl, evidence, layer, p):
    h, W = layer
    masks = _masks(h.size)
    ws = np.exp(_log_softmax(W.astype(float) @ impl.dropout_eval(h.astype(float), p)))
    nwgm = np.exp(_log_nwgm(masks, h, W, p))
    kept = masks.sum(axis=1)
    P = (1 - p) ** kept * p ** (h.size - kept)
    am = P @ np.exp(_log_softmax(_logits(masks, h, W)))
    # probabilities: same 1e-11 budget as the log-space check above
    np.testing.assert_allclose(ws, nwgm, rtol=0, atol=1e-11,
                               err_msg="weight scaling != normalised geometric mean")
    evidence.worst("|weight scaling - arithmetic-mean ensemble|", float(np.abs(ws - am).max()),
                   at=f"h={h.tolist()}, W={W.tolist()}, p={p}")
    evidence.count("layers: weight scaling = NWGM exactly; AM gap recorded")


@claim("weight-scaling-inexact-beyond-softmax-outputs", kind="symbolic", target="counterexample")
@claim("weight-scaling-inexact-beyond-softmax-outputs", kind="symbolic", scope="instance",
       target="corrected")
def test_sigmoid_head_is_exact_relu_inside_is_not(evidence, control):
    M = 3
    P = list(sp.symbols(f"P1:{M}", positive=True))
    P.append(1 - sum(P))
    z = sp.symbols(f"z1:{M + 1}", real=True)

    def sig(v):
        return 1 / (1 + sp.exp(-v))

    logG = sum(Pm * sp.log(sig(zm)) for Pm, zm in zip(P, z))
    logG_ = sum(Pm * sp.log(1 - sig(zm)) for Pm, zm in zip(P, z))
    Ez = sum(Pm * zm for Pm, zm in zip(P, z))
    # log(G / G') = E z, hence G / (G + G') = 1 / (1 + e^{-E z}) = sigma(E z)
    ratio = sp.expand(sp.expand_log(sp.simplify(logG - logG_), force=True))
    assert sp.simplify(ratio - Ez) == 0, ratio
    # ReLU between the dropped units and the output: h = (1, 1), u = relu(V (m * h)), logits
    # (u, 0) (W = (1, 0)^T, linear in u); softmax((a, 0)) is injective in a, so the NWGM
    # (softmax of E_m[u], the logits being linear in u) equals weight scaling (softmax of
    # relu(V (1 - p) h)) iff the two first logits are equal
    h, p = (Fraction(1), Fraction(1)), Fraction(1, 2)
    masks = list(itertools.product((0, 1), repeat=2))  # each with probability 1/4

    def relu_inside_breaks_it(V):
        u = [max(sum(v * m_j * h_j for v, m_j, h_j in zip(V, m, h)), Fraction(0))
             for m in masks]
        Ez0 = sum(u) / len(masks)
        scaled = max(sum(v * (1 - p) * h_j for v, h_j in zip(V, h)), Fraction(0))
        assert Ez0 != scaled, f"E_m[u] = {Ez0} = relu(V (1-p) h): weight scaling exact here"
        return u, Ez0, scaled

    u, Ez0, scaled = control(relu_inside_breaks_it, (1, -1), (1, 1), (1, 0),
                             labels=("V = [[1, 1]] (ReLU linear on the masks)",
                                     "V = [[1, 0]] (ReLU linear on the masks)"))
    assert u == [0, 0, 1, 0] and Ez0 == Fraction(1, 4) and scaled == 0
    nwgm = np.exp(_log_softmax(np.array([float(Ez0), 0.0])))
    ws = np.exp(_log_softmax(np.array([float(scaled), 0.0])))
    assert np.array_equal(ws, [0.5, 0.5]) and abs(nwgm[0] - ws[0]) > 0.06
    evidence.note("sympy: for a sigmoid output, log(G/G') = E[z] with G = prod sigma(z_m)^P_m, "
                  "G' = prod (1 - sigma(z_m))^P_m, so the normalised geometric mean is "
                  "sigma(E z) exactly")
    evidence.counterexample("sigmoid heads keep the identity (it is a 2-class softmax); it "
                            "breaks with ReLU inside: h = (1, 1) dropped at p = 1/2, then "
                            "u = relu(h1 - h2) and logits (u, 0): the masks give u = 0, 1, 0, 0, "
                            f"NWGM = softmax(1/4, 0) = ({nwgm[0]:.4f}, {nwgm[1]:.4f}) but weight "
                            "scaling gives relu((1-p)(1 - 1)) = 0 and softmax(0, 0) = (0.5, 0.5)")
