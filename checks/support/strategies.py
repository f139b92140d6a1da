"""Hypothesis strategies of the verifier, in one place.

Every strategy is a keyword-only, documented function returning a strategy. Section
helpers are grouped under headings; add new ones here (not inside check modules) so a
reader finds every generator of test data in one file.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

# -- §1 labelled point sets ---------------------------------------------------------------


@st.composite
def _separable_integer_data(draw, dim, min_size, max_size, max_coord, through_origin):
    w_star = draw(st.lists(st.integers(-max_coord, max_coord), min_size=dim, max_size=dim)
                  .filter(lambda v: any(v)))
    b_star = 0 if through_origin else draw(st.integers(-max_coord, max_coord))
    pts = draw(st.lists(st.lists(st.integers(-max_coord, max_coord), min_size=dim,
                                 max_size=dim),
                        min_size=min_size, max_size=max_size)
               .map(lambda rows: [r for r in rows
                                  if sum(a * b for a, b in zip(r, w_star)) + b_star != 0])
               .filter(lambda rows: len(rows) >= min_size))
    X = np.array(pts, dtype=np.int64)
    y = np.where(X @ np.array(w_star) + b_star > 0, 1, -1).astype(np.int64)
    return X, y, np.array(w_star, dtype=np.int64), b_star


def separable_integer_data(*, dim: int = 2, min_size: int = 1, max_size: int = 12,
                           max_coord: int = 6, through_origin: bool = True):
    """(X, y, w_star, b_star): integer points strictly separated by the integer hyperplane
    ``w_star . x + b_star = 0`` (``b_star = 0`` when ``through_origin``), labels
    y = sign(w_star . x + b_star) in {-1, +1}. No point lies on the hyperplane, so the
    margin is positive; integers keep perceptron runs exact in float64."""
    return _separable_integer_data(dim, min_size, max_size, max_coord, through_origin)


@st.composite
def _labelled_points(draw, dim, min_size, max_size, max_coord):
    n = draw(st.integers(min_size, max_size))
    pts = draw(st.lists(st.lists(st.integers(-max_coord, max_coord), min_size=dim,
                                 max_size=dim), min_size=n, max_size=n))
    labels = draw(st.lists(st.sampled_from([-1, 1]), min_size=n, max_size=n))
    return np.array(pts, dtype=np.int64), np.array(labels, dtype=np.int64)


def labelled_point_sets(*, dim: int = 2, min_size: int = 1, max_size: int = 10,
                        max_coord: int = 3):
    """(X, y): arbitrary small integer point sets with arbitrary labels in {-1, +1}
    (duplicates with opposite labels included): separable or not."""
    return _labelled_points(dim, min_size, max_size, max_coord)


def dimensions(*, min_value: int = 1, max_value: int = 4):
    """Ambient dimensions n for point sets."""
    return st.integers(min_value=min_value, max_value=max_value)


# -- §2 multilayer perceptrons, activations, universal approximation ----------------------


@st.composite
def _mlp_integer_stacks(draw, min_depth, max_depth, max_width, max_entry, max_batch):
    depth = draw(st.integers(min_depth, max_depth))
    widths = draw(st.lists(st.integers(1, max_width), min_size=depth + 1, max_size=depth + 1))
    entry = st.integers(-max_entry, max_entry)

    def matrix(rows, cols):
        return np.array(draw(st.lists(st.lists(entry, min_size=cols, max_size=cols),
                                      min_size=rows, max_size=rows)), dtype=float)

    weights = [matrix(widths[l + 1], widths[l]) for l in range(depth)]
    biases = [matrix(1, widths[l + 1])[0] for l in range(depth)]
    x = matrix(draw(st.integers(1, max_batch)), widths[0])
    return weights, biases, x


def mlp_integer_stacks(*, min_depth: int = 1, max_depth: int = 5, max_width: int = 4,
                       max_entry: int = 3, max_batch: int = 3):
    """(weights, biases, x): L layers (min_depth <= L <= max_depth) of widths 1..max_width,
    W_l of shape (n_l, n_{l-1}) and b_l of shape (n_l,), and a batch x of shape (N, n_0),
    all with integer entries in [-max_entry, max_entry]. Integers keep an identity-activation
    pass exact in float64: every value stays below (max_entry (max_width + 1))^(L+1) << 2^53."""
    return _mlp_integer_stacks(min_depth, max_depth, max_width, max_entry, max_batch)


_S2_SPECIAL = [0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, -1e-300, 1.0,
               -1.0, 36.0, -36.0, 40.0, -40.0, 709.0, -709.0, 745.0, -746.0, 1e154, -1e154,
               1e300, -1e300, 1.7976931348623157e308, -1.7976931348623157e308]


def activation_inputs(*, max_size: int = 8):
    """1-D float64 arrays of finite values from the whole float64 range, mixing arbitrary
    floats with the places activations break: +-0, subnormals, the kinks, the exp
    overflow/underflow thresholds (|z| ~ 709, 745), and +-max float."""
    value = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(_S2_SPECIAL)
    return st.lists(value, min_size=1, max_size=max_size).map(lambda v: np.array(v, float))


def uat_eps(*, lo: float = 1e-3, hi: float = 1e-1):
    """Accuracy targets eps, log-uniform in [lo, hi] (the issue asks for eps down to 1e-3)."""
    return st.floats(np.log10(lo), np.log10(hi)).map(lambda u: float(10.0 ** u))


def _rescaled(coeffs, scale_of, cap):
    s = scale_of(coeffs)
    return coeffs if s <= cap else [c * cap / s for c in coeffs]


@st.composite
def _trig_targets(draw, max_terms, max_lip_times_length):
    k = draw(st.integers(1, max_terms))
    fl = st.floats(-8.0, 8.0, allow_nan=False)
    c = draw(st.lists(st.floats(-1.0, 1.0), min_size=k, max_size=k))
    w = draw(st.lists(fl, min_size=k, max_size=k))
    p = draw(st.lists(st.floats(-3.2, 3.2), min_size=k, max_size=k))
    a = draw(st.floats(-2.0, 2.0))
    length = draw(st.floats(0.25, 1.5))
    c = _rescaled(c, lambda cs: length * sum(abs(ci * wi) for ci, wi in zip(cs, w)),
                  max_lip_times_length)
    return c, w, p, a, a + length


def trig_targets(*, max_terms: int = 3, max_lip_times_length: float = 8.0):
    """(c, w, p, a, b): f(t) = sum_i c_i sin(w_i t + p_i) on [a, b], whose Lipschitz
    constant L = sum_i |c_i w_i| is known exactly; coefficients are scaled so that
    L (b - a) <= max_lip_times_length (which caps the construction's width at eps)."""
    return _trig_targets(max_terms, max_lip_times_length)


@st.composite
def _poly_targets(draw, max_degree, max_lip_times_length):
    deg = draw(st.integers(0, max_degree))
    c = draw(st.lists(st.floats(-2.0, 2.0), min_size=deg + 1, max_size=deg + 1))
    a = draw(st.floats(-1.5, 1.0))
    b = a + draw(st.floats(0.25, 2.0))
    m = max(abs(a), abs(b))
    c = _rescaled(c, lambda cs: (b - a) * sum(k * abs(ck) * m ** (k - 1)
                                              for k, ck in enumerate(cs) if k),
                  max_lip_times_length)
    return c, a, b


def poly_targets(*, max_degree: int = 4, max_lip_times_length: float = 8.0):
    """(c, a, b): p(t) = sum_k c_k t^k on [a, b]; L = sum_k k |c_k| max(|a|, |b|)^(k-1) is a
    Lipschitz constant, and coefficients are scaled so that L (b - a) <= the cap."""
    return _poly_targets(max_degree, max_lip_times_length)


def ridge_targets(*, dim: int = 2, max_ridges: int = 3, max_entry: int = 2):
    """Ridge sums f(x) = sum_j phi_j(d_j . x) on [0, 1]^dim as a list of
    (d_j, kind, c_j, s_j): d_j a non-zero integer vector with entries in [-max_entry,
    max_entry], and phi_j(t) = c_j sin(t + s_j) (kind "sin") or c_j (t - s_j)^2 (kind
    "square"; x1 x2 = ((x1 + x2)^2 - (x1 - x2)^2) / 4 shows products are ridge sums)."""
    d = st.lists(st.integers(-max_entry, max_entry), min_size=dim, max_size=dim) \
        .filter(any).map(tuple)
    ridge = st.tuples(d, st.sampled_from(["sin", "square"]), st.floats(-1.0, 1.0),
                      st.floats(-1.0, 1.0))
    return st.lists(ridge, min_size=1, max_size=max_ridges)


# -- §3 losses, information theory, gradient descent, autodiff ------------------------------


@st.composite
def _probability_vectors(draw, min_size, max_size, allow_zeros):
    k = draw(st.integers(min_size, max_size))
    weight = st.floats(min_value=1e-9, max_value=1.0)
    if allow_zeros:
        weight = st.one_of(st.just(0.0), weight)
    w = draw(st.lists(weight, min_size=k, max_size=k).filter(lambda v: max(v) > 0))
    a = np.array(w, dtype=float)
    return a / a.sum()


def probability_vectors(*, min_size: int = 2, max_size: int = 6, allow_zeros: bool = False):
    """A float64 probability vector (entries >= 0, sum 1 within a few ulps) of length
    min_size..max_size; entries span nine decades (weights in [1e-9, 1]), and may be
    exactly 0 when ``allow_zeros``."""
    return _probability_vectors(min_size, max_size, allow_zeros)


@st.composite
def _rational_distributions(draw, min_size, max_size, max_weight, allow_zeros):
    from fractions import Fraction

    k = draw(st.integers(min_size, max_size))
    w = draw(st.lists(st.integers(0 if allow_zeros else 1, max_weight), min_size=k,
                      max_size=k).filter(lambda v: sum(v) > 0))
    total = sum(w)
    return [Fraction(v, total) for v in w]


def rational_distributions(*, min_size: int = 2, max_size: int = 6, max_weight: int = 30,
                           allow_zeros: bool = False):
    """An exact distribution: a list of ``fractions.Fraction`` (integer weights in
    [0 or 1, max_weight], normalised), for exact and interval-arithmetic checks."""
    return _rational_distributions(min_size, max_size, max_weight, allow_zeros)


@st.composite
def _logit_arrays(draw, max_rows, max_cols, extreme):
    n = draw(st.integers(1, max_rows))
    k = draw(st.integers(2, max_cols))
    value = st.floats(min_value=-50, max_value=50)
    if extreme:  # magnitudes up to 1e300 keep max - min finite (a float64 requirement)
        value = st.one_of(value, st.floats(min_value=-1e300, max_value=1e300),
                          st.sampled_from([-1e300, -800.0, -745.0, 710.0, 800.0, 1e300]))
    rows = draw(st.lists(st.lists(value, min_size=k, max_size=k), min_size=n, max_size=n))
    return np.array(rows, dtype=float)


def logit_arrays(*, max_rows: int = 4, max_cols: int = 6, extreme: bool = True):
    """Logits of shape (N, K), N <= max_rows, 2 <= K <= max_cols. With ``extreme`` the
    entries include values whose exp overflows or underflows float64 (|z| up to 1e300)."""
    return _logit_arrays(max_rows, max_cols, extreme)


def dyadic_values(*, bound: int = 64, denominator: int = 16):
    """Floats k / denominator with |k / denominator| <= bound: sums and products of a few
    of them are exact in float64, so a loss is exact up to its final division by N."""
    return st.integers(-bound * denominator, bound * denominator).map(lambda k: k / denominator)


@st.composite
def _mlp_architectures(draw, max_layers, max_width, max_batch, min_out):
    depth = draw(st.integers(1, max_layers))
    sizes = draw(st.lists(st.integers(1, max_width), min_size=depth + 1, max_size=depth + 1))
    sizes[-1] = max(sizes[-1], min_out)
    return tuple(sizes), draw(st.integers(1, max_batch))


def mlp_architectures(*, max_layers: int = 3, max_width: int = 4, max_batch: int = 4,
                      min_out: int = 1):
    """((n_0, ..., n_L), N): layer widths of a dense MLP (1 <= L <= max_layers) and a batch
    size N; the output width is at least ``min_out`` (2 for softmax losses)."""
    return _mlp_architectures(max_layers, max_width, max_batch, min_out)


@st.composite
def _dag_programs(draw, n_inputs, max_ops, ops):
    program = []
    for k in range(draw(st.integers(1, max_ops))):
        available = n_inputs + k
        op = draw(st.sampled_from(ops))
        program.append((op, draw(st.integers(0, available - 1)),
                        draw(st.integers(0, available - 1))))
    # the output reads the last node and one earlier node: shared sub-expressions (diamonds)
    extra = draw(st.integers(0, n_inputs + len(program) - 1))
    return program, extra


def dag_programs(*, n_inputs: int = 2, max_ops: int = 6,
                 ops: tuple[str, ...] = ("add", "sub", "mul", "tanh", "sigmoid", "square")):
    """(program, extra): a random computational DAG over ``n_inputs`` input nodes. Each
    step (op, i, j) appends node op(node_i[, node_j]) (unary ops ignore j); nodes may be
    reused, so graphs have shared sub-expressions. The output is
    sum(last node) + sum(node_extra)."""
    return _dag_programs(n_inputs, max_ops, ops)


def quadratic_spectra(*, max_dim: int = 4, low: float = 0.1, high: float = 10.0):
    """Eigenvalues (sorted, in [low, high]) of a symmetric positive definite matrix of
    dimension 1..max_dim, for gradient descent on quadratics."""
    return st.lists(st.floats(min_value=low, max_value=high), min_size=1,
                    max_size=max_dim).map(sorted)


@st.composite
def _samples_with_outlier(draw, min_size, max_size, bound, outlier_bound):
    rest = draw(st.lists(st.integers(-bound, bound), min_size=min_size - 1,
                         max_size=max_size - 1))
    t = draw(st.integers(-outlier_bound, outlier_bound))
    return rest, t


def samples_with_outlier(*, min_size: int = 3, max_size: int = 9, bound: int = 100,
                         outlier_bound: int = 10**9):
    """(rest, t): N - 1 integer observations in [-bound, bound] and the value t (up to
    +-outlier_bound) taken by the N-th, moved observation."""
    return _samples_with_outlier(min_size, max_size, bound, outlier_bound)



# -- §4 spectra, floating point, initialisation, normalisation ------------------------------


@st.composite
def _fan_pairs(draw, min_product, max_fan, min_fan):
    fan_in = draw(st.integers(min_fan, max_fan))
    lo = max(min_fan, -(-min_product // fan_in))  # ceil: fan_in * fan_out >= min_product
    fan_out = draw(st.integers(min(lo, max_fan), max_fan))
    return fan_in, fan_out


def fan_pairs(*, min_product: int = 256, max_fan: int = 1024, min_fan: int = 1):
    """(fan_in, fan_out) with min_fan <= each <= max_fan and fan_in * fan_out >= min_product
    whenever possible (so one weight matrix holds many samples); with the defaults this
    includes fan_in = 1, fan_out = 1 and very rectangular shapes."""
    return _fan_pairs(min_product, max_fan, min_fan)


def moderate_floats(*, bound: float = 1e3):
    """Finite floats in [-bound, bound] (subnormals included; no NaN or inf)."""
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False)


@st.composite
def _real_matrices(draw, min_dim, max_dim, square, bound):
    m = draw(st.integers(min_dim, max_dim))
    n = m if square else draw(st.integers(min_dim, max_dim))
    vals = draw(st.lists(moderate_floats(bound=bound), min_size=m * n, max_size=m * n))
    return np.array(vals, dtype=float).reshape(m, n)


def real_matrices(*, min_dim: int = 1, max_dim: int = 5, square: bool = False,
                  bound: float = 10.0):
    """Small float matrices (m x n, or n x n if ``square``) with entries in [-bound, bound],
    including zero, rank-deficient and nearly singular ones."""
    return _real_matrices(min_dim, max_dim, square, bound)


@st.composite
def _gradient_lists(draw, max_arrays, max_size, bound):
    k = draw(st.integers(1, max_arrays))
    out = []
    for _ in range(k):
        shape = draw(st.sampled_from([(), (1,), (3,), (2, 2), (max_size,), (2, 3)]))
        size = int(np.prod(shape)) if shape else 1
        vals = draw(st.lists(st.floats(-bound, bound, allow_nan=False, allow_infinity=False),
                             min_size=size, max_size=size))
        out.append(np.array(vals, dtype=float).reshape(shape))
    return out


def gradient_lists(*, max_arrays: int = 4, max_size: int = 8, bound: float = 1e300):
    """Lists of 1-4 finite float64 gradient arrays of assorted shapes (scalars included);
    entries up to ``bound`` in magnitude, so squares can overflow, and zeros and subnormals
    occur."""
    return _gradient_lists(max_arrays, max_size, bound)


@st.composite
def _batches(draw, min_batch, max_batch, max_features, bound):
    B = draw(st.integers(min_batch, max_batch))
    F = draw(st.integers(1, max_features))
    x = np.array(draw(st.lists(moderate_floats(bound=bound), min_size=B * F,
                               max_size=B * F)), dtype=float).reshape(B, F)
    if draw(st.booleans()):  # a constant or near-constant feature: where eps matters
        x[:, 0] = x[0, 0] + np.array(draw(st.lists(st.sampled_from([0.0, 1e-4, -1e-4]),
                                                   min_size=B, max_size=B)))
    gamma = np.array(draw(st.lists(st.floats(-5, 5, allow_nan=False), min_size=F,
                                   max_size=F)), dtype=float)
    beta = np.array(draw(st.lists(st.floats(-5, 5, allow_nan=False), min_size=F,
                                  max_size=F)), dtype=float)
    return x, gamma, beta


def normalisation_batches(*, min_batch: int = 2, max_batch: int = 8, max_features: int = 6,
                          bound: float = 1e3):
    """(x, gamma, beta): a batch x of shape (B, F) with entries in [-bound, bound], often with
    a constant or nearly constant first feature, and per-feature gamma, beta in [-5, 5]."""
    return _batches(min_batch, max_batch, max_features, bound)


def epsilons():
    """The normalisation epsilon: PyTorch's default 1e-5, LayerNorm's common 1e-6, and a
    large 1e-1 where its effect on the output variance is visible."""
    return st.sampled_from([1e-5, 1e-6, 1e-3, 1e-1])


def mlp_configs(*, max_depth: int = 12, max_width: int = 24):
    """(activation, scheme, depth, width) for square deep MLPs: activation in sigmoid / tanh
    / relu, scheme in xavier / he / gain-1.2 (He variance times 1.44)."""
    return st.tuples(st.sampled_from(["sigmoid", "tanh", "relu"]),
                     st.sampled_from(["xavier", "he", "gain1.2"]),
                     st.integers(1, max_depth), st.integers(1, max_width))


def ieee_operands():
    """Floats for the NaN survey: signed zeros, +-1, +-inf, NaN, subnormal, huge, and any
    finite float."""
    special = st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.0, 0.5, float("inf"), float("-inf"),
                               float("nan"), 5e-324, 1.7976931348623157e308, -3.0])
    return st.one_of(special, st.floats(allow_nan=True, allow_infinity=True))


# -- §5 bias-variance, regularisation, dropout ----------------------------------------------

from fractions import Fraction  # noqa: E402  (§5's exact laws; kept inside this section)


def _s5_int_matrix(rows, cols, max_abs):
    return st.lists(st.lists(st.integers(-max_abs, max_abs), min_size=cols, max_size=cols),
                    min_size=rows, max_size=rows).map(lambda r: np.array(r, dtype=np.int64))


@st.composite
def _s5_lasso_problems(draw, max_rows, max_cols, max_abs):
    n, d = draw(st.integers(1, max_rows)), draw(st.integers(1, max_cols))
    X = draw(_s5_int_matrix(n, d, max_abs))
    y = draw(_s5_int_matrix(1, n, max_abs))[0]
    scale = max(int(np.max(np.abs(X.T @ y))), 1)
    lam = draw(st.integers(1, 20)) / 16 * scale  # dyadic, so exact in float64
    return X, y, float(lam)


def lasso_problems(*, max_rows: int = 8, max_cols: int = 6, max_abs: int = 4):
    """(X, y, lam): small integer lasso problems, any rank (duplicate and zero columns
    included), lam = (k/16) max(||X^T y||_inf, 1) for k = 1..20 - so sometimes
    lam >= ||X^T y||_inf, where the solution is exactly 0."""
    return _s5_lasso_problems(max_rows, max_cols, max_abs)


@st.composite
def _s5_full_rank_integer(draw, min_rows, max_rows, min_cols, max_cols, max_abs, wide):
    n = draw(st.integers(min_rows, max_rows))
    d = draw(st.integers(max(min_cols, n + 1) if wide else min_cols,
                         max_cols if wide else max(min_cols, min(max_cols, n - 1))))
    X = draw(_s5_int_matrix(n, d, max_abs).filter(
        lambda A: np.linalg.matrix_rank(A.astype(float)) == min(A.shape)))
    return X


def underdetermined_systems(*, max_rows: int = 4, max_cols: int = 7, max_abs: int = 3):
    """(X, y): integer X of shape (N, d) with N < d and full row rank N, integer y;
    infinitely many interpolants X w = y exist."""
    return st.tuples(_s5_full_rank_integer(1, max_rows, 2, max_cols, max_abs, True),
                     st.integers(0, 2**32 - 1)).map(
        lambda t: (t[0], np.random.default_rng(t[1]).integers(-max_abs, max_abs + 1,
                                                               t[0].shape[0])))


def nested_designs(*, max_rows: int = 7, max_cols: int = 4, max_abs: int = 3):
    """(X, f, x0): integer design X (N, K) with N > K and full column rank, so every
    prefix X[:, :k] is full rank; an integer target vector f (N,) and a test row x0 (K,)."""
    @st.composite
    def build(draw):
        X = draw(_s5_full_rank_integer(2, max_rows, 1, max_cols, max_abs, False))
        f = draw(_s5_int_matrix(1, X.shape[0], max_abs))[0]
        x0 = draw(_s5_int_matrix(1, X.shape[1], max_abs))[0]
        return X, f, x0
    return build()


def dropout_rates(*, denominator: int = 16):
    """Drop probabilities p = k / denominator, k = 0..denominator-1 (dyadic for a power-of-two
    denominator, so (1 - p) h is exact in float64 for small integer h)."""
    return st.integers(0, denominator - 1).map(lambda k: k / denominator)


def dropout_layers(*, max_units: int = 8, max_classes: int = 4, max_abs: int = 3):
    """(h, W): integer hidden activations h (n,) and output weights W (K, n), K >= 2."""
    @st.composite
    def build(draw):
        n, k = draw(st.integers(1, max_units)), draw(st.integers(2, max_classes))
        return draw(_s5_int_matrix(1, n, max_abs))[0], draw(_s5_int_matrix(k, n, max_abs))
    return build()


@st.composite
def _s5_discrete_law(draw, max_support, max_abs, centred):
    k = draw(st.integers(1, max_support))
    weights = draw(st.lists(st.integers(1, 6), min_size=k, max_size=k))
    values = [Fraction(v) for v in draw(st.lists(st.integers(-max_abs, max_abs),
                                                 min_size=k, max_size=k))]
    probs = [Fraction(w, sum(weights)) for w in weights]
    if centred:
        mean = sum(p * v for p, v in zip(probs, values))
        values = [v - mean for v in values]
    return list(zip(probs, values))


def discrete_laws(*, max_support: int = 4, max_abs: int = 5, centred: bool = False):
    """A finite law as [(probability, value)] with exact Fraction entries (probabilities
    positive, summing to 1); ``centred`` shifts the values to mean 0."""
    return _s5_discrete_law(max_support, max_abs, centred)


def gaussian_feature_problems(*, max_rows: int = 10, max_width_factor: int = 3):
    """(F, y): a Gaussian feature matrix (N, p), p in 1..max_width_factor*N, with labels
    y ~ N(0, I) (drawn from a hypothesis-chosen seed): features in general position."""
    @st.composite
    def build(draw):
        n = draw(st.integers(2, max_rows))
        p = draw(st.integers(1, max_width_factor * n))
        g = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        return g.standard_normal((n, p)), g.standard_normal(n)
    return build()


# -- the bad-input fuzzer (claimledger/fuzz.py) ------------------------------------------

# entries that make an array argument invalid wherever they sit (never a real float64)
_BAD_ENTRIES = {
    "complex": [1 + 2j, np.complex128(0.5 + 1j), -1j],
    "text": ["0.5", "1", b"2", np.str_("3")],
    "bool": [True, False, np.bool_(True)],
    "object": [None, object(), {"a": 1.0}],
    "huge-int": [10**400, -(10**309)],
    "nonfinite": [float("nan"), float("inf"), -float("inf")],
}
_MAX_FLOAT = 1.7976931348623157e308


@st.composite
def _bad_protocol_calls(draw, name, examples, contract):
    from claimledger import fuzz

    case = draw(st.sampled_from(fuzz.cases_for(name, examples, contract)))
    original = fuzz.get_at(examples[case.example][case.arg], case.path)
    value = fuzz.CANONICAL
    if case.kind == "array" and case.cls in _BAD_ENTRIES:
        a = np.asarray(original, dtype=float)
        if a.size:
            obj = a.astype(object)
            obj.flat[draw(st.integers(0, a.size - 1))] = draw(
                st.sampled_from(_BAD_ENTRIES[case.cls]))
            value = obj.tolist() if draw(st.booleans()) else obj
    elif case.kind == "array" and case.cls in ("huge", "subnormal"):
        shape = np.shape(np.asarray(original, dtype=float))
        lo, hi = (1e300, _MAX_FLOAT) if case.cls == "huge" else (5e-324, 2.2e-308)
        mags = draw(st.lists(st.floats(lo, hi), min_size=int(np.prod(shape)),
                             max_size=int(np.prod(shape))))
        signs = draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=len(mags),
                              max_size=len(mags)))
        value = (np.array(mags) * np.array(signs)).reshape(shape)
    elif case.kind == "real" and case.cls in ("huge", "subnormal"):
        lo, hi = (1e300, _MAX_FLOAT) if case.cls == "huge" else (5e-324, 2.2e-308)
        value = draw(st.floats(lo, hi)) * draw(st.sampled_from([-1.0, 1.0]))
    elif case.kind == "int" and case.cls == "huge":
        value = draw(st.integers(10**7, 10**500))
    return case, value


def bad_protocol_calls(*, name: str, examples: list[dict], contract: dict):
    """(case, bad value) for one protocol name: an argument (or part of one) of one of its
    valid ``examples`` and a class of bad value for that argument's kind (complex, text,
    bool, masked, object, huge integers, NaN/inf, ragged, extremes, shapes, ...; the
    classes are ``claimledger.fuzz.STRICT`` and ``EDGE``). Bad entries are put at a drawn
    position of an array, as a list or an object array; extremes get drawn magnitudes.
    The value is ``fuzz.CANONICAL`` where the class's own canonical value is used."""
    return _bad_protocol_calls(name, examples, contract)
