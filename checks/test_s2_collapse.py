"""Evidence for §2.1-2.2: the MLP forward pass, linear collapse, and escaping it.

Exactness: stacks with small integer entries keep every identity (and ReLU) forward pass
exact in float64, so the implementation is compared with exact equality there; float
weights are compared with assert_allclose and a stated tolerance.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from checks import test_s2_intervals as ivz
from checks.support import strategies as S
from checks.support import precision as WP

claim = pytest.mark.claim


def _recursion(weights, biases, x, sigma):
    """The article's a_l = sigma(W_l a_{l-1} + b_l), one input column at a time."""
    out = []
    for row in np.atleast_2d(x):
        a = row.astype(float)
        for W, b in zip(weights, biases):
            a = sigma(np.einsum("ij,j->i", W, a) + b)
        out.append(a)
    return np.array(out)


def _descending_collapse(weights, biases):
    """W~ = W_L ... W_1 and b~ = sum_l (W_L ... W_{l+1}) b_l, products built explicitly."""
    L = len(weights)
    W_t = weights[0]
    for W in weights[1:]:
        W_t = W @ W_t
    b_t = np.zeros(weights[-1].shape[0])
    for l in range(L):
        P = np.eye(weights[-1].shape[0])
        for k in range(L - 1, l, -1):  # W_L W_{L-1} ... W_{l+1}, larger index on the left
            P = P @ weights[k]
        b_t = b_t + P @ biases[l]
    return W_t, b_t


# -- §2.1 --------------------------------------------------------------------------------
@claim("mlp-output-is-layer-recursion", kind="sampled")
@given(stack=S.mlp_integer_stacks(max_depth=4),
       act=st.sampled_from(["identity", "relu", "sigmoid", "tanh"]))
def test_mlp_forward_is_the_layer_recursion(impl, evidence, stack, act):
    weights, biases, x = stack
    sigma = {"identity": lambda z: z, "relu": lambda z: np.maximum(z, 0.0),
             "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)), "tanh": np.tanh}[act]
    y = impl.mlp_forward(weights, biases, x, act)
    expected = _recursion(weights, biases, x, sigma)
    assert y.shape == (x.shape[0], weights[-1].shape[0]), f"output shape {y.shape}"
    if act in ("identity", "relu"):  # integer data: both sides are exact
        np.testing.assert_array_equal(y, expected, err_msg="a_L != recursion (exact)")
    else:
        # pre-activations up to ~40 are rounded (ulp ~ 1e-14) in a different summation
        # order; each later layer amplifies by at most 3 x 4 (entries x width): < 1e-10
        np.testing.assert_allclose(y, expected, rtol=WP.tol(impl, 1e-12),
                                   atol=WP.tol(impl, 1e-10), err_msg=f"a_L != recursion ({act})")
    single = impl.mlp_forward(weights, biases, x[0], act)
    # the same arithmetic, up to summation order (1 ulp per product) amplified by at most
    # (3 x 4)^3 through the later layers: < 1e-12
    np.testing.assert_allclose(single, y[0], rtol=WP.tol(impl, 1e-12), atol=WP.tol(impl, 1e-12),
                               err_msg="one input (shape (n,)) differs from its batch row")
    evidence.count(f"stacks checked ({act})")


@claim("mlp-output-is-layer-recursion", kind="sampled")
def test_two_layer_form_with_stated_shapes(impl, evidence, rng):
    n, h, m = 3, 5, 2
    W1, W2 = rng.normal(size=(h, n)), rng.normal(size=(m, h))
    b1, b2, x = rng.normal(size=h), rng.normal(size=m), rng.normal(size=n)
    sig = lambda z: 1.0 / (1.0 + np.exp(-z))  # noqa: E731
    y = impl.mlp_forward([W1, W2], [b1, b2], x, "sigmoid")
    # O(1) entries through two sigmoids: rounding ~1e-16, tolerance 1e-13 leaves room
    np.testing.assert_allclose(y, sig(W2 @ sig(W1 @ x + b1) + b2), rtol=WP.tol(impl, 1e-13),
                               atol=WP.tol(impl, 1e-15),
                               err_msg="y != sigma(W2 sigma(W1 x + b1) + b2)")
    assert y.shape == (m,)
    evidence.note(f"y = sigma(W2 sigma(W1 x + b1) + b2) with W1 in R^{h}x{n}, W2 in R^{m}x{h}")


# -- §2.2 --------------------------------------------------------------------------------
def _matrix_symbols(L):
    dims = sp.symbols(f"n0:{L + 1}", integer=True, positive=True)
    Ws = [sp.MatrixSymbol(f"W{l}", dims[l], dims[l - 1]) for l in range(1, L + 1)]
    bs = [sp.MatrixSymbol(f"b{l}", dims[l], 1) for l in range(1, L + 1)]
    return Ws, bs, sp.MatrixSymbol("x", dims[0], 1)


def _vanishes(expr_of, what: str) -> None:
    """Assert that the matrix expression ``expr_of()`` expands to the zero matrix; a shape
    mismatch (a product or sum that is not defined) is a failed assertion too."""
    try:
        residual = sp.expand(expr_of())
    except sp.matrices.exceptions.ShapeError as e:
        raise AssertionError(f"{what}: not defined ({e})") from e
    assert residual.is_ZeroMatrix, f"{what}: residual {residual}"



@claim("two-layer-linear-mlp-is-one-affine-layer", kind="symbolic")
def test_two_layer_collapse_symbolic(evidence, control):
    (W1, W2), (b1, b2), x = _matrix_symbols(2)

    def derive(collapsed):  # (W~, b~) as functions of the layers
        W_t, b_t = collapsed(W1, W2, b1, b2)
        _vanishes(lambda: W2 * (W1 * x + b1) + b2 - (W_t * x + b_t),
                  "W2 (W1 x + b1) + b2 - (W~ x + b~)")

    control(derive, lambda W1_, W2_, b1_, b2_: (W2_ * W1_, W2_ * b1_ + b2_),
            lambda W1_, W2_, b1_, b2_: (W1_ * W2_, W2_ * b1_ + b2_),
            lambda W1_, W2_, b1_, b2_: (W2_ * W1_, W2_ * b1_),
            lambda W1_, W2_, b1_, b2_: (W2_ * W1_, b2_),
            labels=("W~ = W1 W2 (order)", "b~ = W2 b1 (b2 dropped)", "b~ = b2 (W2 b1 dropped)"))
    evidence.note("sympy (matrix symbols of symbolic shapes h x n, m x h): "
                  "W2 (W1 x + b1) + b2 - ((W2 W1) x + (W2 b1 + b2)) expands to the zero matrix")


@claim("two-layer-linear-mlp-is-one-affine-layer", kind="sampled")
@given(stack=S.mlp_integer_stacks(min_depth=2, max_depth=2))
def test_two_layer_collapse_on_implementation(impl, evidence, stack):
    (W1, W2), (b1, b2), x = stack
    y = impl.mlp_forward([W1, W2], [b1, b2], x, "identity")
    np.testing.assert_array_equal(y, x @ (W2 @ W1).T + (W2 @ b1 + b2),
                                  err_msg="identity MLP != (W2 W1) x + (W2 b1 + b2)")
    evidence.count("integer two-layer stacks, exact")


@claim("deep-linear-mlp-collapse-formula", kind="exact", target="counterexample")
def test_collapse_formula_with_increasing_product_fails(evidence, control):
    # the smallest failure: L = 3, square 2 x 2 layers, the product of l = 1 reversed
    Ws = [sp.eye(2), sp.Matrix([[0, 1], [0, 0]]), sp.Matrix([[0, 0], [1, 0]])]
    bs = [sp.Matrix([1, 0]), sp.zeros(2, 1), sp.zeros(2, 1)]
    x = sp.zeros(2, 1)
    y = x
    for W, b in zip(Ws, bs):
        y = W * y + b

    def formula(order):  # W_L ... W_1 x + sum_l (prod_{k=l+1}^{L} W_k) b_l, product in `order`
        out = Ws[2] * Ws[1] * Ws[0] * x
        for l in range(3):
            P = sp.eye(2)
            for k in range(l + 1, 3):  # increasing: W_{l+1} W_{l+2} ...; decreasing: ... W_{l+1}
                P = P * Ws[k] if order == "increasing" else Ws[k] * P
            out = out + P * bs[l]
        return out

    def derive(order):  # the formula read with the product in `order` is refuted here
        assert formula(order) != y, f"the {order} reading gives the network's {y.T}"
        return formula(order)

    increasing = control(derive, "increasing", "decreasing",
                         labels=("the decreasing product W_L ... W_{l+1} (corrected)",))
    assert y == formula("decreasing") == sp.Matrix([0, 0]), f"y = {y.T}"
    assert increasing == sp.Matrix([1, 0]), "the increasing-order reading must differ"
    evidence.counterexample("L = 3, x = 0, W1 = I, W2 = [[0,1],[0,0]], W3 = [[0,0],[1,0]], "
                            "b1 = (1,0), b2 = b3 = 0: the network gives y = (0,0); the formula "
                            "with prod_{k=2}^{3} W_k = W2 W3 gives (1,0); with W3 W2 it gives "
                            "(0,0). For non-square layers (n_1 != n_3) W2 W3 is undefined.")


@claim("deep-linear-mlp-collapse-formula", kind="symbolic", scope="instance", target="corrected")
@pytest.mark.parametrize("L", [1, 2, 3, 4, 5])
def test_collapse_formula_decreasing_product_symbolic(evidence, L):
    Ws, bs, x = _matrix_symbols(L)
    y = x
    for W, b in zip(Ws, bs):
        y = W * y + b
    prod = Ws[0]
    for W in Ws[1:]:
        prod = W * prod
    formula = prod * x
    for l in range(L):
        P = sp.Identity(Ws[-1].shape[0])
        for k in range(L - 1, l, -1):
            P = P * Ws[k]
        formula = formula + P * bs[l]
    assert sp.expand(y - formula).is_ZeroMatrix, f"L={L}: residual {sp.expand(y - formula)}"
    evidence.note("sympy, non-commuting matrix symbols of symbolic shapes, L = 1..5: the "
                  "recursion equals W_L...W_1 x + sum_l (W_L...W_{l+1}) b_l")


@claim("deep-linear-mlp-collapse-formula", kind="symbolic", target="corrected")
def test_collapse_formula_by_induction_on_depth_symbolic(evidence, control):
    # Claim for every L >= 1: y_L = P_L x + C_L with P_L = W_L ... W_1 and
    # C_L = sum_{l=1}^{L} Q_{L,l} b_l, Q_{L,l} = W_L ... W_{l+1} (Q_{L,L} = I). By the
    # definition of these products, P_{L+1} = W P_L, Q_{L+1,l} = W Q_{L,l} (l <= L) and
    # Q_{L+1,L+1} = I, so C_{L+1} = W C_L + b (a matrix times a finite sum is the sum of
    # the products). Base case L = 1 and the step L -> L + 1 below, with matrix symbols of
    # symbolic shapes standing for P_L and C_L: together they cover every depth.
    n0, n1, nL, nN = sp.symbols("n0 n1 nL nN", integer=True, positive=True)
    W1, b1, x = sp.MatrixSymbol("W1", n1, n0), sp.MatrixSymbol("b1", n1, 1), \
        sp.MatrixSymbol("x", n0, 1)
    P, C = sp.MatrixSymbol("P", nL, n0), sp.MatrixSymbol("C", nL, 1)  # y_L = P x + C
    W, b = sp.MatrixSymbol("W", nN, nL), sp.MatrixSymbol("b", nN, 1)  # layer L + 1

    def derive(rule):  # (P_{L+1}(W, P_L), C_{L+1}(W, C_L, b), Q_{1,1}) of the formula
        P_next, C_next, Q11 = rule
        _vanishes(lambda: (W1 * x + b1) - (W1 * x + Q11(n1) * b1), "base case L = 1")
        y_next = W * (P * x + C) + b  # the recursion applied to the hypothesis
        _vanishes(lambda: y_next - (P_next(W, P) * x + C_next(W, C, b)), "induction step")

    control(derive, (lambda W_, P_: W_ * P_, lambda W_, C_, b_: W_ * C_ + b_, sp.Identity),
            (lambda W_, P_: P_ * W_, lambda W_, C_, b_: W_ * C_ + b_, sp.Identity),
            (lambda W_, P_: W_ * P_, lambda W_, C_, b_: W_ * C_, sp.Identity),
            (lambda W_, P_: W_ * P_, lambda W_, C_, b_: W_ * C_ + b_,
             lambda n_: sp.ZeroMatrix(n_, n_)),
            labels=("P_{L+1} = P_L W_{L+1} (the article's increasing order)",
                    "C_{L+1} = W_{L+1} C_L (b_{L+1} dropped)", "Q_{1,1} = 0 (empty sum)"))
    evidence.note("sympy, symbolic shapes: base case L = 1 (y_1 = W_1 x + I b_1) and the "
                  "step y_{L+1} = W (P_L x + C_L) + b = (W P_L) x + (W C_L + b), with "
                  "P_{L+1} = W_{L+1} P_L and C_{L+1} = W_{L+1} C_L + b_{L+1} (the larger "
                  "index on the left): the corrected formula holds for every depth L")


@claim("deep-linear-mlp-collapse-formula", kind="sampled", target="corrected")
@given(stack=S.mlp_integer_stacks(max_depth=5))
def test_collapse_formula_on_implementation(impl, evidence, stack):
    weights, biases, x = stack
    W_t, b_t = _descending_collapse(weights, biases)
    y = impl.mlp_forward(weights, biases, x, "identity")
    np.testing.assert_array_equal(y, x @ W_t.T + b_t,
                                  err_msg="identity MLP != W_L..W_1 x + sum (W_L..W_{l+1}) b_l")
    W_i, b_i = impl.linear_collapse(weights, biases)
    np.testing.assert_array_equal(W_i, W_t, err_msg="linear_collapse: W~ != W_L ... W_1")
    np.testing.assert_array_equal(b_i, b_t, err_msg="linear_collapse: b~ != the formula")
    evidence.count(f"integer stacks of depth {len(weights)}, exact")


@claim("deep-linear-mlp-no-more-expressive-than-one-layer", kind="symbolic")
def test_adding_an_affine_layer_keeps_the_map_affine_symbolic(evidence, control):
    # induction step: if the first L-1 layers compute P x + q, the L-th computes
    # W (P x + q) + b = (W P) x + (W q + b), again affine; the base case is one layer
    n, k, m = sp.symbols("n k m", integer=True, positive=True)
    P, q = sp.MatrixSymbol("P", k, n), sp.MatrixSymbol("q", k, 1)
    W, b, x = sp.MatrixSymbol("W", m, k), sp.MatrixSymbol("b", m, 1), sp.MatrixSymbol("x", n, 1)

    def derive(stmt):  # (the added layer's activation, the affine map (A, c) it computes)
        act, (A, c) = stmt
        _vanishes(lambda: act(W * (P * x + q) + b) - (A * x + c),
                  "layer L of the stack - (A x + c)")

    identity = lambda v: v  # noqa: E731
    control(derive, (identity, (W * P, W * q + b)),
            (lambda v: sp.HadamardPower(v, 2), (W * P, W * q + b)), (identity, (W * P, W * q)),
            labels=("the layer squares elementwise (identity activation dropped)",
                    "c = W q (the layer's bias dropped)"))
    evidence.note("sympy: W (P x + q) + b = (W P) x + (W q + b) for symbolic shapes; by "
                  "induction on L every identity-activation stack is x -> W~ x + b~")


@claim("deep-linear-mlp-no-more-expressive-than-one-layer", kind="sampled")
@given(stack=S.mlp_integer_stacks(max_depth=5))
def test_deep_linear_stack_equals_one_layer_network(impl, evidence, stack):
    weights, biases, x = stack
    W_t, b_t = _descending_collapse(weights, biases)
    deep = impl.mlp_forward(weights, biases, x, "identity")
    shallow = impl.mlp_forward([W_t], [b_t], x, "identity")
    np.testing.assert_array_equal(deep, shallow, err_msg="deep linear stack != one layer")
    narrowest = min(W.shape[0] for W in weights[:-1]) if len(weights) > 1 else W_t.shape[0]
    assert np.linalg.matrix_rank(W_t) <= min(narrowest, W_t.shape[1])
    evidence.count("stacks reproduced by a single affine layer (exact)")
    if np.linalg.matrix_rank(W_t) < min(W_t.shape):
        evidence.count("of them with a rank-deficient W~ (a bottleneck or cancellation)")


@claim("non-identity-activation-escapes-affine-maps", kind="symbolic")
def test_affine_non_identity_activation_still_collapses(impl, evidence, control):
    p, q = sp.symbols("p q", real=True)
    (W1, W2), (b1, b2), x = _matrix_symbols(2)
    h = W1.shape[0]
    ones_h, ones_m = sp.OneMatrix(h, 1), sp.OneMatrix(W2.shape[0], 1)

    affine = (p ** 2 * W2 * W1) * x + (p ** 2 * W2 * b1 + p * q * W2 * ones_h + p * b2
                                       + q * ones_m)

    def derive(sigma):  # the (non-identity) activation, elementwise on a column
        _vanishes(lambda: sigma(W2 * sigma(W1 * x + b1) + b2) - affine,
                  "the stack - p^2 W2 W1 x - (p^2 W2 b1 + p q W2 1 + p b2 + q 1)")

    # sigma(z) = p z + q elementwise: sigma(v) = p v + q 1
    control(derive, lambda v: p * v + q * sp.OneMatrix(*v.shape),
            lambda v: sp.HadamardPower(v, 2),
            labels=("sigma(z) = z^2 (not affine: the stack escapes)",))
    # the implementation agrees, for sigma(z) = 2z + 1 (not the identity) ...
    W1n, W2n = np.array([[1.0, -2.0], [3.0, 0.5]]), np.array([[2.0, -1.0]])
    b1n, b2n = np.array([0.5, -1.0]), np.array([0.25])
    xs = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [3.0, -2.0]])
    y_n = impl.mlp_forward([W1n, W2n], [b1n, b2n], xs, lambda z: 2.0 * z + 1.0)
    A = 4.0 * W2n @ W1n
    c = 4.0 * W2n @ b1n + 2.0 * W2n @ np.ones(2) + 2.0 * b2n + 1.0
    np.testing.assert_array_equal(y_n, xs @ A.T + c, err_msg="2z+1 stack is not affine")
    # ... and PReLU at slope 1 is the identity itself
    z = np.array([-3.0, -0.5, 0.0, 2.0])
    np.testing.assert_array_equal(impl.prelu(z, 1.0), z, err_msg="prelu(z, 1) != z")
    evidence.note("sympy, symbolic shapes: with an affine sigma(z) = p z + q the two-layer stack "
                  "is x -> p^2 W2 W1 x + (p^2 W2 b1 + p q W2 1 + p b2 + q 1), affine, so a "
                  "non-linear (non-affine) sigma is needed to escape and the activation is the "
                  "only source of non-linearity; e.g. sigma(z) = 2z + 1 (not the identity, still "
                  "affine) collapses, exactly on the implementation too, and PReLU with alpha = 1 "
                  "is the identity. Every zoo activation is non-affine "
                  "(zoo-activations-break-affinity-of-the-stack)")


# x_0, x_1 of the midpoint witness; odd functions need an asymmetric pair
WITNESS = {"sigmoid": ("-2", "2"), "tanh": ("0", "2"), "relu": ("-2", "2"),
           "leaky_relu": ("-2", "2"), "prelu": ("-2", "2"), "elu": ("-2", "2"),
           "gelu": ("-2", "2"), "gelu_tanh": ("-2", "2"), "silu": ("-2", "2")}
PARAMS = {"leaky_relu": (0.01,), "prelu": (0.25,)}


@claim("zoo-activations-break-affinity-of-the-stack", kind="interval")
@claim("non-identity-activation-escapes-affine-maps", kind="interval", scope="instance")
@pytest.mark.parametrize("name", sorted(WITNESS))
def test_stack_breaks_affinity_certified(impl, evidence, name):
    s0, s1 = WITNESS[name]
    sigma = ivz.ZOO[name]
    with ivz.precision(120):
        x0, x1 = ivz.I(s0), ivz.I(s1)
        m = (x0 + x1) / 2
        y = [sigma(sigma(t)) for t in (x0, m, x1)]
        defect = y[1] - (y[0] + y[2]) / 2
        certified = defect > 0 or defect < 0  # True only if 0 is outside the enclosure
        assert certified, f"{name}: enclosure {defect} contains 0: no witness"
        lo_d = float(ivz.lo(defect))
    f = getattr(impl, name)
    act = (lambda z: f(z, *PARAMS[name])) if name in PARAMS else f
    xs = np.array([[float(s0)], [(float(s0) + float(s1)) / 2], [float(s1)]])
    yn = impl.mlp_forward([np.ones((1, 1)), np.ones((1, 1))], [np.zeros(1), np.zeros(1)], xs,
                          act)[:, 0]
    d_impl = yn[1] - (yn[0] + yn[2]) / 2
    # three O(1) values through two activations: rounding ~1e-15; 1e-12 is generous
    np.testing.assert_allclose(d_impl, lo_d, rtol=WP.tol(impl, 1e-9), atol=WP.tol(impl, 1e-12),
                               err_msg=f"{name}: implementation's midpoint defect")
    evidence.note(f"{name}: y = sigma(sigma(x)), x0 = {s0}, x1 = {s1}: midpoint defect "
                  f"in {defect} (mpmath.iv, 120 bits), implementation {d_impl:.6g}")
