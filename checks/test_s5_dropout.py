"""Evidence for §5.3: dropout's two modes, its 2^n sub-networks and the geometric mean.

Expectations over masks are computed by exact enumeration of all 2^n masks (n up to 12)
in integer/rational arithmetic: with p = a/16 every P(m) is an integer over 16^n. The
softmax identity is proved in sympy for a generic finite mask distribution, then checked
by enumeration against the implementation's inference mode. The training mode is a
random function, checked with exact binomial tests (sample sizes from the power
requirement).
"""
from __future__ import annotations

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
def _mask_sum_induction():
    """Sum_{m in {0,1}^n} P(m) and the number of masks, by induction on n (symbolic p).

    Masks of n + 1 units are the masks of n units extended by one more bit b, with
    P(m, b) = P(m) P(b), P(1) = 1 - p, P(0) = p. So count(n + 1) = 2 count(n) and
    S(n + 1) = S(n) (P(0) + P(1)); the empty mask gives count(0) = S(0) = 1."""
    p, S, c = sp.symbols("p S c")
    n = sp.Symbol("n", integer=True, nonnegative=True)
    assert sp.expand(S * (p + (1 - p)) - S) == 0, "S(n+1) != S(n): sum_m P(m) not conserved"
    count = sp.Function("count")
    sol = sp.rsolve(count(n + 1) - 2 * count(n), count(n), {count(0): 1})
    assert sp.simplify(sol - 2**n) == 0, sol
    return p


@claim("dropout-masks-index-2-to-the-n-subnetworks", kind="symbolic")
@claim("dropout-conventions-agree-in-expectation", kind="symbolic")
@claim("dropout-expected-logits-equal-scaled-logits", kind="symbolic")
def test_mask_expectations_for_every_n_symbolic(evidence):
    p = _mask_sum_induction()
    # E[m_j] for any n: split the masks into unit j's bit b and the other n - 1 units,
    # whose probabilities sum to S(n - 1) = 1 (the induction above)
    S_rest = 1
    E_mj = sum(b * (1 - p if b else p) * S_rest for b in (0, 1))
    assert sp.expand(E_mj - (1 - p)) == 0
    # both conventions: E[m_j h_j] = (1 - p) h_j (article inference), E[m_j h_j / (1 - p)] = h_j
    # (inverted inference), and inverted = article / (1 - p)
    hj = sp.Symbol("h_j", real=True)
    art, inv = E_mj * hj, E_mj * hj / (1 - p)
    assert sp.simplify(art - (1 - p) * hj) == 0 and sp.simplify(inv - hj) == 0
    assert sp.simplify(inv - art / (1 - p)) == 0
    # logits for every n and K: E[z_k] = E[Sum_j W_kj m_j h_j] = Sum_j W_kj h_j E[m_j] by
    # linearity of the (finite) expectation; only linearity of Sum is used
    n = sp.Symbol("n", integer=True, positive=True)
    j, k = sp.symbols("j k", integer=True)
    W, h = sp.IndexedBase("W"), sp.IndexedBase("h")
    expected = Sy.dot(W[k, j] * h[j], E_mj, j, n)
    scaled = Sy.dot(W[k, j], (1 - p) * h[j], j, n)  # W ((1 - p) h), the inference logits
    assert Sy.linear(expected - scaled) == 0
    evidence.note("sympy, symbolic n and p: masks of n + 1 units = masks of n units x {0, 1}, "
                  "so #masks = 2^n (rsolve) and sum_m P(m) stays 1 (induction step "
                  "S (p + 1 - p) = S, base S(0) = 1); hence E[m_j] = 1 - p, E[m h] = (1-p) h, "
                  "E[m h / (1-p)] = h, and E[z_k] = sum_j W_kj h_j (1 - p) by linearity")


@claim("weight-scaling-equals-normalised-geometric-mean", kind="symbolic")
def test_nwgm_identity_for_any_masks_and_classes_symbolic(evidence):
    # M sub-networks (M = 2^n for dropout) with any probabilities P_i, K classes, logits
    # z[i, k]: log G_k = Sum_i P_i log softmax(z_i)_k = E[z_k] - C with C = Sum_i P_i LSE(z_i)
    # the same for every k, so G_k / Sum_j G_j = softmax(E[z])_k for every M and K
    M, K = sp.symbols("M K", integer=True, positive=True)
    i, j, k, l = sp.symbols("i j k l", integer=True)
    P, z = sp.IndexedBase("P"), sp.IndexedBase("z")
    lse = sp.log(sp.Sum(sp.exp(z[i, l]), (l, 1, K)))
    logG = sp.Sum(P[i] * (z[i, k] - lse), (i, 1, M))
    Ez_k = sp.Sum(P[i] * z[i, k], (i, 1, M))
    C = sp.Sum(P[i] * lse, (i, 1, M))
    assert Sy.linear(logG - (Ez_k - C)) == 0, "log G_k != E[z_k] - C"
    Ez_j = Ez_k.subs(k, j)
    nwgm = sp.exp(Ez_k - C) / sp.Sum(sp.exp(Ez_j - C), (j, 1, K))
    soft = sp.exp(Ez_k) / sp.Sum(sp.exp(Ez_j), (j, 1, K))
    assert sp.simplify(sp.powsimp(sp.expand(nwgm - soft))) == 0, "normaliser does not cancel"
    evidence.note("sympy, symbolic M masks and K classes, any probabilities P_i: log G_k = "
                  "E[z_k] - sum_i P_i LSE(z_i), the second term free of k, so G_k / sum_j G_j "
                  "= softmax(E[z])_k; with E[z] = (1 - p) W h (previous proof) this is the "
                  "weight-scaled softmax")


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
def test_exp_identity_holds_but_am_gm_is_an_inequality(evidence):
    zs = sp.symbols("z1:4", real=True)
    N = len(zs)
    lhs = sp.exp(sum(zs) / N)
    rhs = sp.Mul(*[sp.exp(z) for z in zs]) ** sp.Rational(1, N)
    assert sp.simplify(sp.powsimp(rhs, force=True) - lhs) == 0
    a, b = sp.Integer(0), sp.Integer(2)  # AM-GM on e^0, e^2: GM = e < AM = (1 + e^2)/2
    gm, am = sp.exp((a + b) / 2), (sp.exp(a) + sp.exp(b)) / 2
    assert sp.simplify(am - gm - (sp.exp(1) - 1) ** 2 / 2) == 0 and (am - gm).is_positive
    evidence.counterexample("AM-GM is an inequality, not the identity: for z = (0, 2), "
                            "e^{mean z} = e = 2.718 (the geometric mean of e^z) < mean(e^z) = "
                            "(1 + e^2)/2 = 4.195; the gap is (e - 1)^2 / 2")
    # the identity for every N: both sides are positive and their logs agree
    Ns = sp.Symbol("N", integer=True, positive=True)
    i = sp.Symbol("i", integer=True)
    zi = sp.IndexedBase("z", real=True)
    log_gm = sp.expand_log(sp.log(sp.Product(sp.exp(zi[i]), (i, 1, Ns)) ** (1 / Ns)),
                           force=True)
    assert sp.simplify(log_gm - sp.Sum(zi[i], (i, 1, Ns)) / Ns) == 0, log_gm
    evidence.note("sympy: exp((z1+z2+z3)/3) = (e^z1 e^z2 e^z3)^(1/3), and for symbolic N "
                  "log (prod_i e^{z_i})^{1/N} = (sum_i z_i) / N (exp is a homomorphism); the "
                  "AM-GM inequality itself is shown strict at one case only")


@claim("dropout-inference-is-ensemble-average", kind="symbolic", target="counterexample")
def test_weight_scaling_is_not_the_arithmetic_ensemble(evidence):
    e = sp.E
    # n = 1 unit, h = 1, p = 1/2, logits W (m h) with W = (2, 0)^T: sub-networks z = (0, 0)
    # and (2, 0); weight scaling gives z = (1, 0)
    am = (sp.Rational(1, 2) + e**2 / (1 + e**2)) / 2
    ws = e / (1 + e)
    diff = sp.simplify(ws - am)
    assert diff != 0 and float(diff) > 0.04
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
def test_sigmoid_head_is_exact_relu_inside_is_not(evidence):
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
    # ReLU between the dropped units and the output: h = (1, 1), V = [[1, -1]], W = (1, 0)^T
    h = np.array([1.0, 1.0])
    V = np.array([[1.0, -1.0]])
    Wout = np.array([[1.0], [0.0]])
    p = 0.5
    masks = _masks(2)
    u = np.maximum((masks * h) @ V.T, 0.0)  # hidden ReLU unit per mask: 0, 0, 1, 0
    Ez0 = Fraction(int(u.sum()), 4)  # every mask has probability 1/4
    nwgm = np.exp(_log_softmax(np.array([float(Ez0), 0.0])))  # logits linear in u
    scaled = np.maximum(V @ ((1 - p) * h), 0.0)  # weight scaling: relu(0) = 0
    ws = np.exp(_log_softmax((Wout @ scaled).ravel()))
    assert Ez0 == Fraction(1, 4) and np.array_equal(ws, [0.5, 0.5])
    assert abs(nwgm[0] - ws[0]) > 0.06
    evidence.note("sympy: for a sigmoid output, log(G/G') = E[z] with G = prod sigma(z_m)^P_m, "
                  "G' = prod (1 - sigma(z_m))^P_m, so the normalised geometric mean is "
                  "sigma(E z) exactly")
    evidence.counterexample("sigmoid heads keep the identity (it is a 2-class softmax); it "
                            "breaks with ReLU inside: h = (1, 1) dropped at p = 1/2, then "
                            "u = relu(h1 - h2) and logits (u, 0): the masks give u = 0, 1, 0, 0, "
                            f"NWGM = softmax(1/4, 0) = ({nwgm[0]:.4f}, {nwgm[1]:.4f}) but weight "
                            "scaling gives relu((1-p)(1 - 1)) = 0 and softmax(0, 0) = (0.5, 0.5)")
