"""The autodiff engine's documented contracts, op by op (``implementations/autodiff.py``).

The §3.4 checks exercise the engine through random DAGs and the article's MLPs; ops those
never build (division, softmax), the exact symbolic mode on numbers, the FLOP model of the
module docstring and the exact wording of every error are pinned here, each against an
independent oracle: a closed-form derivative, exact fractions, sympy, or hand counting.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

import implementations as I
from implementations import autodiff as AD
from claimledger.raises import raises_exactly

pytestmark = pytest.mark.harness

T = I.Tensor
# numeric VJPs here are a few float ops on O(1) values: agreement to ~10 ulp
TIGHT = {"rtol": 1e-13, "atol": 1e-14}


def _obj(values) -> np.ndarray:
    return np.array(values, dtype=object)


def _grads(build, *arrays, seed=None):
    """(forward data, [grad of each leaf]) of build(*leaves) seeded with ``seed``."""
    leaves = [T(a, requires_grad=True) for a in arrays]
    out = build(*leaves)
    out.backward(seed)
    return out.data, [leaf.grad for leaf in leaves]


# -- division: x / y = x * y^-1 in both operand orders ----------------------------------------
X3 = np.array([1.5, -2.0, 4.0])
Y3 = np.array([0.5, 4.0, -8.0])
G3 = np.array([1.0, 2.0, -0.5])  # a non-uniform seed: a wrong factor cannot hide


def test_tensor_divided_by_tensor_has_quotient_rule_gradients():
    value, (dx, dy) = _grads(lambda x, y: x / y, X3, Y3, seed=G3)
    np.testing.assert_allclose(value, X3 / Y3, **TIGHT, err_msg="x / y forward")
    np.testing.assert_allclose(dx, G3 / Y3, **TIGHT, err_msg="d(x/y)/dx = 1/y")
    np.testing.assert_allclose(dy, -G3 * X3 / Y3 ** 2, **TIGHT, err_msg="d(x/y)/dy = -x/y^2")


@pytest.mark.parametrize("divide, value, dx", [
    pytest.param(lambda x: x / 4.0, X3 / 4.0, G3 / 4.0, id="tensor-over-float"),
    pytest.param(lambda x: x / 4, X3 / 4.0, G3 / 4.0, id="tensor-over-int"),
    pytest.param(lambda x: x / Y3, X3 / Y3, G3 / Y3, id="tensor-over-ndarray"),
    pytest.param(lambda x: 3.0 / x, 3.0 / X3, -3.0 * G3 / X3 ** 2, id="float-over-tensor"),
    pytest.param(lambda x: Y3 / x, Y3 / X3, -Y3 * G3 / X3 ** 2, id="ndarray-over-tensor"),
])
def test_division_with_a_constant_on_either_side(divide, value, dx):
    got, (grad,) = _grads(divide, X3, seed=G3)
    np.testing.assert_allclose(got, value, **TIGHT, err_msg="quotient")
    np.testing.assert_allclose(grad, dx, **TIGHT, err_msg="gradient of the quotient")


def test_division_by_a_zero_entry_is_rejected_in_either_order():
    with raises_exactly("Tensor ** k with k < 0 at a zero entry"):
        T([1.0, 2.0]) / T([3.0, 0.0])
    with raises_exactly("Tensor ** k with k < 0 at a zero entry"):
        1.0 / T([0.0, 1.0])


def test_symbolic_division_is_exact():
    x, y = sp.symbols("x y", real=True)
    value, (dx, dy) = _grads(lambda a, b: a / b, _obj([x]), _obj([y]))
    assert sp.simplify(value[0] - x / y) == 0
    assert sp.simplify(dx[0] - 1 / y) == 0 and sp.simplify(dy[0] + x / y ** 2) == 0
    # a Python int divisor must not turn the exact mode into floats (1/2, not 0.5)
    value, (dx,) = _grads(lambda a: a / 2, _obj([x]))
    assert value[0] == x / 2 and dx[0] == sp.Rational(1, 2), (value, dx)
    value, (dq,) = _grads(lambda q: 1 / q, _obj([Fraction(1, 3), 3]), seed=_obj([1, 1]))
    assert list(value) == [3, Fraction(1, 3)] and list(dq) == [-9, Fraction(-1, 9)], (value, dq)
    assert not any(isinstance(v, float) for v in list(value) + list(dq)), "floats leaked in"
    # numpy integers inside an object array are integers too (np.int64(1) / 3 is a float)
    value, (dq,) = _grads(lambda q: 1 / q, _obj([np.int64(3)]))
    assert value[0] == Fraction(1, 3) and dq[0] == Fraction(-1, 9), (value, dq)


# -- softmax and log-softmax -----------------------------------------------------------------
Z = np.array([[1.0, 2.0, 0.5], [-1.0, 3.0, 3.0]])
GZ = np.array([[0.3, -1.0, 2.0], [1.5, 0.25, -0.75]])


def _softmax_ref(z, axis):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("call, axis", [
    pytest.param(lambda t: t.softmax(), 1, id="default-is-last-axis"),
    pytest.param(lambda t: t.softmax(-1), 1, id="axis-minus-1"),
    pytest.param(lambda t: t.softmax(0), 0, id="axis-0"),
])
def test_softmax_normalises_along_its_axis_with_the_softmax_jacobian(call, axis):
    s = _softmax_ref(Z, axis)
    value, (dz,) = _grads(call, Z, seed=GZ)
    np.testing.assert_allclose(value, s, **TIGHT, err_msg="softmax forward")
    # J^T g for J = diag(s) - s s^T, along the axis
    want = s * (GZ - (GZ * s).sum(axis=axis, keepdims=True))
    np.testing.assert_allclose(dz, want, **TIGHT, err_msg="softmax VJP s * (g - <g, s>)")


@pytest.mark.parametrize("call, axis", [
    pytest.param(lambda t: t.log_softmax(), 1, id="default-is-last-axis"),
    pytest.param(lambda t: t.log_softmax(0), 0, id="axis-0"),
])
def test_log_softmax_values_and_vjp(call, axis):
    s = _softmax_ref(Z, axis)
    value, (dz,) = _grads(call, Z, seed=GZ)
    np.testing.assert_allclose(value, np.log(s), **TIGHT, err_msg="log_softmax forward")
    want = GZ - s * GZ.sum(axis=axis, keepdims=True)
    np.testing.assert_allclose(dz, want, **TIGHT, err_msg="log_softmax VJP g - s sum(g)")


def test_log_softmax_is_shifted_so_huge_logits_do_not_overflow():
    z = np.array([1000.0, 1001.0, 1002.0])
    lse = 1002.0 + np.log1p(np.exp(-1.0) + np.exp(-2.0))
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        got = T(z).log_softmax().data
        probs = T(-z).softmax().data
    np.testing.assert_allclose(got, z - lse, rtol=1e-15, atol=1e-12, err_msg="log_softmax")
    np.testing.assert_allclose(probs, _softmax_ref(-z, 0), **TIGHT, err_msg="softmax(-z)")


def test_symbolic_log_softmax_is_the_unshifted_formula():
    a, b = sp.symbols("a b", real=True)
    value = T(_obj([a, b])).log_softmax().data
    # no shift in exact mode: the expression is the textbook one, term for term
    assert value[0] == a - sp.log(sp.exp(a) + sp.exp(b)), value


# -- exact (object) mode on numbers ----------------------------------------------------------
MIXED = [-2, Fraction(1, 3), 0, Fraction(-5, 2), 7]  # a Python int first: see below


@pytest.mark.parametrize("op, value, grad", [
    pytest.param("relu", [0, Fraction(1, 3), 0, 0, 7], [0, 1, 0, 0, 1], id="relu"),
    pytest.param("abs", [2, Fraction(1, 3), 0, Fraction(5, 2), 7], [-1, 1, 0, -1, 1], id="abs"),
])
def test_exact_mode_keeps_fractions_exact_through_relu_and_abs(op, value, grad):
    # the element-wise map must not take its output type from the first entry (an int
    # here): that would truncate the later Fractions to integers
    got, (g,) = _grads(lambda t: getattr(t, op)(), _obj(MIXED), seed=_obj([1] * len(MIXED)))
    assert got.dtype == object and list(got) == value, got
    assert list(g) == grad, g
    assert not any(isinstance(v, float) for v in got), got


def test_exact_mode_on_floats_first_keeps_later_fractions():
    got = T(_obj([-1.5, Fraction(1, 3)])).relu().data
    assert got[1] == Fraction(1, 3) and isinstance(got[1], Fraction), got


def test_element_wise_op_on_an_empty_exact_array_keeps_its_shape():
    got = T(np.empty((0, 2), dtype=object)).relu()
    assert got.shape == (0, 2) and got.data.dtype == object


@pytest.mark.parametrize("op, value, grad", [
    pytest.param("log", sp.log(3), Fraction(1, 3), id="log-derivative-one-third"),
    pytest.param("sigmoid", (1 + sp.tanh(sp.Rational(3, 2))) / 2,
                 (1 - sp.tanh(sp.Rational(3, 2)) ** 2) / 4, id="sigmoid-of-three-halves"),
])
def test_exact_mode_on_python_ints_stays_exact(op, value, grad):
    got, (g,) = _grads(lambda t: getattr(t, op)().sum(), _obj([3]))
    assert got == value and sp.expand(g[0] - grad) == 0, (got, g)
    assert not isinstance(g[0], float), g


def test_exact_gradients_stay_python_numbers_beyond_int64():
    # the broadcast sum of an object gradient is a bare Python int; as a numpy integer
    # (uint64 here) a second accumulation 2^63 + 2^63 would wrap around to 0
    x = T(_obj(0), requires_grad=True)
    y = x + _obj([0, 0])
    y.backward(_obj([2 ** 62, 2 ** 62]))
    assert x.grad.dtype == object and x.grad == 2 ** 63, repr(x.grad)
    y.backward(_obj([2 ** 62, 2 ** 62]))
    assert x.grad == 2 ** 64, repr(x.grad)


def test_ops_on_an_object_array_stay_in_exact_mode_even_when_reducing_to_a_number():
    # the mode is the dtype: a full reduction of floats held in an object array is a bare
    # Python float, which must not turn the node (and everything after it) numeric
    total = T(_obj([0.5, 1.5]), requires_grad=True).sum()
    assert total.data.dtype == object and total.data == 2.0, repr(total.data)
    assert (total * 2.0).data.dtype == object


def test_exact_mean_uses_the_fraction_one_over_n():
    value, (g,) = _grads(lambda t: t.mean(), _obj([Fraction(1), Fraction(2), Fraction(4)]))
    assert value == Fraction(7, 3) and list(g) == [Fraction(1, 3)] * 3, (value, g)


def test_exact_mean_along_an_axis_divides_by_that_axis_length():
    data = _obj([[Fraction(1), Fraction(2), Fraction(3)], [Fraction(5), Fraction(7), 0]])
    value, (g,) = _grads(lambda t: t.mean(axis=1), data, seed=_obj([1, 1]))
    assert list(value) == [2, 4] and np.all(g == Fraction(1, 3)), (value, g)


def test_exact_sigmoid_is_written_with_tanh_and_log_sigmoid_differentiates_to_sigma_minus_x():
    x = sp.Symbol("x", real=True)
    value, (g,) = _grads(lambda t: t.sigmoid().sum(), _obj([x]))
    assert value == (1 + sp.tanh(x / 2)) / 2
    assert sp.simplify((g[0] - sp.diff(1 / (1 + sp.exp(-x)), x)).rewrite(sp.exp)) == 0
    value, (g,) = _grads(lambda t: t.log_sigmoid().sum(), _obj([x]))
    assert value == sp.log((1 + sp.tanh(x / 2)) / 2)
    assert g[0] == (1 + sp.tanh(-x / 2)) / 2, g


@pytest.mark.parametrize("op, f", [
    pytest.param("exp", sp.exp, id="exp"),
    pytest.param("log", sp.log, id="log"),
    pytest.param("tanh", sp.tanh, id="tanh"),
])
def test_exact_transcendental_ops_differentiate_like_sympy(op, f):
    x = sp.Symbol("x", positive=True)
    value, (g,) = _grads(lambda t: getattr(t, op)().sum(), _obj([x]))
    assert value == f(x) and sp.simplify(g[0] - sp.diff(f(x), x)) == 0, (value, g)


def test_constant_object_array_makes_a_numeric_tensor_symbolic():
    x = sp.Symbol("x")
    w = T([2.0], requires_grad=True)
    out = w * _obj([x])
    assert out.data.dtype == object and sp.simplify(out.data[0] - 2 * x) == 0, out.data
    out.sum().backward()
    assert w.grad[0] == x, w.grad


# -- element-wise numeric ops: values and local derivatives -----------------------------------
XS = np.array([-3.0, -0.5, 0.0, 0.75, 2.0])
GS = np.array([1.0, -2.0, 0.5, 3.0, -1.5])
SIG = 1 / (1 + np.exp(-XS))


@pytest.mark.parametrize("op, value, dfdx", [
    pytest.param("exp", np.exp(XS), np.exp(XS), id="exp"),
    pytest.param("tanh", np.tanh(XS), 1 / np.cosh(XS) ** 2, id="tanh"),
    pytest.param("sigmoid", SIG, SIG * (1 - SIG), id="sigmoid"),
    pytest.param("log_sigmoid", np.log(SIG), 1 - SIG, id="log_sigmoid"),
    pytest.param("relu", np.maximum(XS, 0), np.array([0, 0, 0, 1, 1.0]), id="relu-zero-at-0"),
    pytest.param("abs", np.abs(XS), np.array([-1, -1, 0, 1, 1.0]), id="abs-zero-at-0"),
    pytest.param("__neg__", -XS, -np.ones(5), id="neg"),
])
def test_element_wise_op_value_and_derivative(op, value, dfdx):
    got, (g,) = _grads(lambda t: getattr(t, op)(), XS, seed=GS)
    np.testing.assert_allclose(got, value, **TIGHT, err_msg=f"{op} forward")
    np.testing.assert_allclose(g, GS * dfdx, **TIGHT, err_msg=f"{op}' x incoming gradient")


def test_log_value_and_derivative_down_to_tiny_positive_entries():
    x = np.array([1e-300, 0.5, 3.0])
    got, (g,) = _grads(lambda t: t.log(), x, seed=GS[:3])
    np.testing.assert_allclose(got, np.log(x), **TIGHT, err_msg="log forward")
    np.testing.assert_allclose(g, GS[:3] / x, **TIGHT, err_msg="d log x = 1/x")


def test_overflow_inside_the_graph_is_ieee_arithmetic_not_bad_input():
    # only the data a caller hands in is validated; an op whose result overflows yields
    # inf like numpy does, instead of an error blaming the (finite) input data
    with np.errstate(over="ignore"):
        out = T([1000.0, 0.0]).exp()
    assert out.data.tolist() == [np.inf, 1.0]


def test_sigmoid_and_log_sigmoid_saturate_without_overflow():
    x = np.array([-800.0, 800.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = T(x).sigmoid().data
        ls = T(x).log_sigmoid().data
    assert s.tolist() == [0.0, 1.0] and ls.tolist() == [-800.0, 0.0], (s, ls)


@pytest.mark.parametrize("k, x", [
    pytest.param(2, XS, id="square"),
    pytest.param(3, XS, id="cube-of-negatives"),
    pytest.param(2.5, np.array([0.25, 1.0, 4.0]), id="fractional"),
    pytest.param(-2, np.array([-2.0, 0.5, 3.0]), id="negative"),
    pytest.param(0, np.array([0.5, -1.5, 2.0]), id="zeroth"),
])
def test_power_rule(k, x):
    g = np.linspace(-1.0, 2.0, x.size)
    got, (dx,) = _grads(lambda t: t ** k, x, seed=g)
    np.testing.assert_allclose(got, x ** float(k), **TIGHT, err_msg=f"x ** {k}")
    want = g * k * x ** (k - 1.0) if k != 0 else np.zeros_like(x)
    np.testing.assert_allclose(dx, want, **TIGHT, err_msg=f"d x^{k} = {k} x^{k - 1}")


def test_a_non_negative_power_of_zero_is_allowed():
    # only k < 0 is undefined at 0; 0 ** 0 = 1 as in numpy
    assert (T([0.0, 2.0]) ** 0).data.tolist() == [1.0, 1.0]
    assert (T([0.0, 2.0]) ** 2).data.tolist() == [0.0, 4.0]


# -- arithmetic with constants on either side, broadcasting -----------------------------------
@pytest.mark.parametrize("build, value, dx", [
    pytest.param(lambda t: t - 3.0, X3 - 3.0, G3, id="tensor-minus-float"),
    pytest.param(lambda t: 3.0 - t, 3.0 - X3, -G3, id="float-minus-tensor"),
    pytest.param(lambda t: Y3 - t, Y3 - X3, -G3, id="ndarray-minus-tensor"),
    pytest.param(lambda t: 2.0 + t, 2.0 + X3, G3, id="float-plus-tensor"),
    pytest.param(lambda t: Y3 + t, Y3 + X3, G3, id="ndarray-plus-tensor"),
    pytest.param(lambda t: 3.0 * t, 3.0 * X3, 3.0 * G3, id="float-times-tensor"),
    pytest.param(lambda t: Y3 * t, Y3 * X3, Y3 * G3, id="ndarray-times-tensor"),
])
def test_reflected_arithmetic(build, value, dx):
    got, (g,) = _grads(build, X3, seed=G3)
    np.testing.assert_allclose(got, value, **TIGHT, err_msg="forward")
    np.testing.assert_allclose(g, dx, **TIGHT, err_msg="gradient")


def test_tensor_minus_tensor_gradients_have_opposite_signs():
    value, (dx, dy) = _grads(lambda x, y: x - y, X3, Y3, seed=G3)
    np.testing.assert_allclose(value, X3 - Y3, **TIGHT, err_msg="x - y")
    np.testing.assert_allclose(dx, G3, **TIGHT, err_msg="d(x - y)/dx = 1")
    np.testing.assert_allclose(dy, -G3, **TIGHT, err_msg="d(x - y)/dy = -1")


@pytest.mark.parametrize("a, b", [
    pytest.param(np.array([[1.0], [-2.0]]), np.array([[0.5, 3.0, -1.0]]), id="column-by-row"),
    pytest.param(np.array(2.5), np.array([[0.5, 3.0, -1.0], [1.0, 2.0, 4.0]]), id="scalar"),
    pytest.param(np.array([0.5, 3.0, -1.0]), np.array([[1.0, 2.0, 4.0], [-1.0, 0.5, 2.0]]),
                 id="row-vector-prepended-axis"),
])
def test_broadcast_gradients_sum_over_the_stretched_axes(a, b):
    shape = np.broadcast(a, b).shape
    g = np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape) * np.where(
        np.arange(np.prod(shape)).reshape(shape) % 2, -1.0, 1.0)

    def reduce_to(full, like):
        while full.ndim > like.ndim:
            full = full.sum(axis=0)
        return full.sum(axis=tuple(i for i, n in enumerate(like.shape) if n == 1), keepdims=True)
    for op, da, db in (("add", g, g), ("mul", g * b, g * a)):
        value, (ga, gb) = _grads(lambda x, y: getattr(x, f"__{op}__")(y), a, b, seed=g)
        np.testing.assert_allclose(value, a + b if op == "add" else a * b, **TIGHT,
                                   err_msg=f"{op} forward")
        assert ga.shape == a.shape and gb.shape == b.shape, (ga.shape, gb.shape)
        np.testing.assert_allclose(ga, reduce_to(da, a).reshape(a.shape), **TIGHT,
                                   err_msg=f"{op}: dL/da summed over broadcast axes")
        np.testing.assert_allclose(gb, reduce_to(db, b).reshape(b.shape), **TIGHT,
                                   err_msg=f"{op}: dL/db summed over broadcast axes")


# -- matmul, transpose, reductions ------------------------------------------------------------
RNG = np.random.default_rng(20240611)
A23 = RNG.normal(size=(2, 3))
B34 = RNG.normal(size=(3, 4))
V3 = RNG.normal(size=3)
A223 = RNG.normal(size=(2, 2, 3))


@pytest.mark.parametrize("a, b", [
    pytest.param(A23, B34, id="matrix-matrix"),
    pytest.param(V3, B34, id="vector-matrix"),
    pytest.param(A23, V3, id="matrix-vector"),
    pytest.param(V3, V3 + 1.0, id="vector-vector"),
    pytest.param(A223, B34, id="batched-matrix"),
    pytest.param(A223, RNG.normal(size=(2, 3, 4)), id="batched-batched"),
])
def test_matmul_gradients_are_the_transposed_products(a, b):
    out = a @ b
    g = np.linspace(-1.5, 2.0, out.size).reshape(out.shape)
    value, (ga, gb) = _grads(lambda x, y: x @ y, a, b, seed=g)
    np.testing.assert_allclose(value, out, **TIGHT, err_msg="matmul forward")
    # oracle: dL/da_ij = sum over outputs of g * d out / d a_ij, by numpy's einsum
    if a.ndim == 1 and b.ndim == 1:
        want_a, want_b = g * b, g * a
    elif a.ndim == 1:
        want_a, want_b = b @ g, np.outer(a, g)
    elif b.ndim == 1:
        want_a, want_b = np.outer(g, b), a.T @ g
    elif b.ndim == 3:
        want_a = np.einsum("bij,bkj->bik", g, b)
        want_b = np.einsum("bki,bkj->bij", a, g)
    else:
        want_a = np.einsum("...ij,kj->...ik", g, b)
        want_b = np.einsum("bki,bkj->ij", a.reshape(-1, *a.shape[-2:]),
                           g.reshape(-1, *g.shape[-2:]))
    np.testing.assert_allclose(ga, want_a, **TIGHT, err_msg="dL/dA = G B^T")
    np.testing.assert_allclose(gb, want_b, **TIGHT, err_msg="dL/dB = A^T G (summed over batch)")


def test_ndarray_at_tensor_uses_the_reflected_matmul():
    got, (gb,) = _grads(lambda y: A23 @ y, B34, seed=np.ones((2, 4)))
    np.testing.assert_allclose(got, A23 @ B34, **TIGHT, err_msg="ndarray @ Tensor")
    np.testing.assert_allclose(gb, A23.T @ np.ones((2, 4)), **TIGHT, err_msg="A^T G")


def test_transpose_of_a_matrix_and_of_a_vector():
    g = np.arange(6.0).reshape(3, 2)
    value, (ga,) = _grads(lambda t: t.T, A23, seed=g)
    assert np.array_equal(value, A23.T) and np.array_equal(ga, g.T), (value, ga)
    value, (gv,) = _grads(lambda t: t.T, V3, seed=np.array([1.0, -2.0, 3.0]))
    assert np.array_equal(value, V3) and gv.tolist() == [1.0, -2.0, 3.0]
    g3 = np.arange(12.0).reshape(2, 3, 2)
    value, (gb,) = _grads(lambda t: t.T, A223, seed=g3)
    assert np.array_equal(value, np.swapaxes(A223, 1, 2)), "a batch transposes its last two axes"
    assert np.array_equal(gb, np.swapaxes(g3, 1, 2)), gb


@pytest.mark.parametrize("kwargs, shape", [
    pytest.param({}, (), id="all"),
    pytest.param({"axis": 0}, (3,), id="axis-0"),
    pytest.param({"axis": 1, "keepdims": True}, (2, 1), id="axis-1-keepdims"),
    pytest.param({"axis": -1}, (2,), id="last-axis"),
])
def test_sum_broadcasts_the_incoming_gradient_back(kwargs, shape):
    g = np.arange(1.0, 1.0 + int(np.prod(shape))).reshape(shape)
    value, (ga,) = _grads(lambda t: t.sum(**kwargs), A23, seed=g)
    np.testing.assert_allclose(value, A23.sum(**kwargs), **TIGHT, err_msg="sum forward")
    expanded = g if kwargs.get("keepdims") or not kwargs else np.expand_dims(g, kwargs["axis"])
    np.testing.assert_allclose(ga, np.broadcast_to(expanded, A23.shape), **TIGHT,
                               err_msg="sum VJP is a broadcast")


@pytest.mark.parametrize("axis, n", [pytest.param(None, 6, id="all"),
                                     pytest.param(0, 2, id="axis-0"),
                                     pytest.param(1, 3, id="axis-1")])
def test_mean_divides_by_the_number_of_averaged_entries(axis, n):
    out_shape = np.mean(A23, axis=axis).shape
    g = np.full(out_shape, 2.0)
    value, (ga,) = _grads(lambda t: t.mean(axis=axis), A23, seed=g)
    np.testing.assert_allclose(value, A23.mean(axis=axis), **TIGHT, err_msg="mean forward")
    np.testing.assert_allclose(ga, np.full(A23.shape, 2.0 / n), **TIGHT, err_msg="d mean = 1/n")


# -- the reverse sweep --------------------------------------------------------------------------
def test_backward_defaults_the_seed_to_one_for_any_single_entry_output():
    w = T([[3.0]], requires_grad=True)
    (w * w).backward()
    assert w.grad.tolist() == [[6.0]]


def test_backward_accepts_a_seed_given_as_a_list_of_ints():
    w = T([1.0, 2.0], requires_grad=True)
    y = w * 3
    y.backward([1, 2])
    assert w.grad.dtype == np.float64 and w.grad.tolist() == [3.0, 6.0]
    assert y.grad.dtype == np.float64 and y.grad.tolist() == [1.0, 2.0], "the seed is float"
    w.grad = None
    w.backward([1, 2])
    assert w.grad.dtype == np.float64 and w.grad.tolist() == [1.0, 2.0], "a leaf as the root"


def test_shared_subexpressions_contribute_along_every_path():
    x0 = np.array([0.5, -1.5, 2.0])
    x = T(x0, requires_grad=True)
    z = x * x
    u = ((z + x) * z).sum()  # x^4 + x^3
    u.backward()
    np.testing.assert_allclose(x.grad, 4 * x0 ** 3 + 3 * x0 ** 2, **TIGHT,
                               err_msg="d(x^4 + x^3) = 4x^3 + 3x^2")


def test_leaf_gradients_accumulate_until_reset_and_intermediates_are_recomputed():
    w = T([2.0, -1.0], requires_grad=True)
    h = w * 3.0
    y = (h * h).sum()
    y.backward()
    y.backward()
    assert w.grad.tolist() == [72.0, -36.0], "2 x 18 w: leaves accumulate"
    assert h.grad.tolist() == [12.0, -6.0], "an intermediate's gradient is recomputed"
    w.grad = None
    y.backward()
    assert w.grad.tolist() == [36.0, -18.0]


def test_constants_get_no_gradient_and_do_not_require_one():
    c = T([1.0, 2.0])
    w = T([3.0, 4.0], requires_grad=True)
    assert not (c * 2.0).requires_grad and (c * w).requires_grad
    (c * w).sum().backward()
    assert c.grad is None and w.grad.tolist() == [1.0, 2.0]


def test_a_long_chain_is_differentiated_without_recursion():
    x = T([1.0], requires_grad=True)
    y = x
    for _ in range(1500):  # deeper than Python's default recursion limit
        y = y * 1.0001
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [1.0001 ** 1500], rtol=1e-12, atol=0,
                               err_msg="product of 1500 local derivatives")


def test_tensor_basics():
    t = T([[1, 2, 3]], requires_grad=True)
    assert t.data.dtype == np.float64 and t.shape == (1, 3) and t.size == 3
    assert t.requires_grad is True
    assert repr(t) == "Tensor(shape=(1, 3), op=leaf, requires_grad=True)"
    assert repr(t * 2) == "Tensor(shape=(1, 3), op=mul, requires_grad=True)"
    obj = _obj([Fraction(1, 2), sp.Symbol("x")])
    assert T(obj).data.dtype == object and list(T(obj).data) == list(obj)


@pytest.mark.parametrize("build, op", [
    pytest.param(lambda t: t + 1.0, "add", id="add"),
    pytest.param(lambda t: t * 2.0, "mul", id="mul"),
    pytest.param(lambda t: -t, "neg", id="neg"),
    pytest.param(lambda t: t ** 2, "pow", id="pow"),
    pytest.param(lambda t: t @ np.ones(2), "matmul", id="matmul"),
    pytest.param(lambda t: t.T, "transpose", id="transpose"),
    pytest.param(lambda t: t.sum(), "sum", id="sum"),
    pytest.param(lambda t: t.exp(), "exp", id="exp"),
    pytest.param(lambda t: t.log(), "log", id="log"),
    pytest.param(lambda t: t.tanh(), "tanh", id="tanh"),
    pytest.param(lambda t: t.sigmoid(), "sigmoid", id="sigmoid"),
    pytest.param(lambda t: t.log_sigmoid(), "log_sigmoid", id="log_sigmoid"),
    pytest.param(lambda t: t.relu(), "relu", id="relu"),
    pytest.param(lambda t: t.abs(), "abs", id="abs"),
])
def test_each_node_records_the_name_of_its_op(build, op):
    out = build(T(np.ones((2, 2)), requires_grad=True))
    assert repr(out) == f"Tensor(shape={out.shape}, op={op}, requires_grad=True)"


# -- the FLOP model of the module docstring -----------------------------------------------------
def _leaf(shape, grad=True):
    return T(np.arange(1.0, 1.0 + int(np.prod(shape))).reshape(shape) / 7, requires_grad=grad)


def _cost(build):
    """(forward flops, nodes, backward flops, backward calls) of build() and its sweep."""
    with AD.count_ops() as fwd:
        out = build()
    with AD.count_ops() as bwd:
        out.backward(np.ones(out.shape))
    return fwd.forward_flops, fwd.forward_nodes, bwd.backward_flops, bwd.backward_calls


@pytest.mark.parametrize("build, cost", [
    pytest.param(lambda: _leaf((2, 3)) + _leaf((2, 3)), (6, 1, 0, 1), id="add"),
    pytest.param(lambda: _leaf((2, 3)) + _leaf((3,)), (6, 1, 3, 1), id="add-row-broadcast"),
    pytest.param(lambda: _leaf((2, 3)) + _leaf((2, 1)), (6, 1, 4, 1), id="add-column-broadcast"),
    pytest.param(lambda: _leaf((3,)) + _leaf((2, 3)), (6, 1, 3, 1), id="add-broadcast-left"),
    pytest.param(lambda: _leaf((2, 3)) * _leaf((2, 3)), (6, 1, 12, 1), id="mul"),
    pytest.param(lambda: _leaf((2, 3)) * _leaf((2, 3), False), (6, 1, 6, 1), id="mul-constant"),
    pytest.param(lambda: _leaf((2, 3)) * _leaf((3,)), (6, 1, 15, 1), id="mul-broadcast"),
    pytest.param(lambda: _leaf((3,)) * _leaf((2, 3)), (6, 1, 15, 1), id="mul-broadcast-left"),
    pytest.param(lambda: -_leaf((2, 3)), (6, 1, 6, 1), id="neg"),
    pytest.param(lambda: _leaf((2, 3)) ** 3, (6, 1, 18, 1), id="pow"),
    pytest.param(lambda: _leaf((2, 3)) - _leaf((2, 3)), (12, 2, 6, 2), id="sub"),
    pytest.param(lambda: _leaf((2, 3)) / _leaf((2, 3)), (12, 2, 30, 2), id="div"),
    pytest.param(lambda: _leaf((2, 3)).T, (0, 1, 0, 1), id="transpose"),
    pytest.param(lambda: _leaf((2, 3)).sum(axis=0), (6, 1, 0, 1), id="sum"),
    pytest.param(lambda: _leaf((2, 3)).mean(), (7, 2, 1, 2), id="mean"),
    pytest.param(lambda: _leaf((2, 3)).exp(), (6, 1, 12, 1), id="exp"),
    pytest.param(lambda: _leaf((2, 3)).log(), (6, 1, 12, 1), id="log"),
    pytest.param(lambda: _leaf((2, 3)).relu(), (6, 1, 12, 1), id="relu"),
    pytest.param(lambda: _leaf((2, 3)).log_softmax(), (30, 7, 28, 6), id="log_softmax"),
])
def test_op_costs_follow_the_flop_model(build, cost):
    assert _cost(build) == cost


def test_reusing_a_tensor_adds_one_flop_per_entry_to_accumulate():
    x = _leaf((2, 3))
    assert _cost(lambda: x * x) == (6, 1, 6 + 6 + 6, 1)


@pytest.mark.parametrize("a_shape, b_shape, flops, grads, backward", [
    pytest.param((2, 3), (3, 4), 48, (True, True), 96, id="both-operands"),
    pytest.param((2, 3), (3, 4), 48, (True, False), 48, id="left-only"),
    pytest.param((2, 3), (3, 4), 48, (False, True), 48, id="right-only"),
    pytest.param((2, 3), (3,), 12, (True, True), 24, id="matrix-vector"),
    # two batches of 2x3 @ 3x4; B's gradient is then summed over the batch: 24 -> 12 entries
    pytest.param((2, 2, 3), (3, 4), 96, (True, True), 96 + 96 + 12, id="batched"),
    pytest.param((2, 3, 4), (2, 4, 5), 240, (True, True), 480, id="both-batched"),
    pytest.param((0, 2, 3), (3, 4), 0, (True, True), 0, id="empty-batch"),
    pytest.param((0, 3), (3, 4), 0, (True, True), 0, id="no-rows"),
])
def test_matmul_costs_two_m_k_n_per_product(a_shape, b_shape, flops, grads, backward):
    a, b = _leaf(a_shape, grads[0]), _leaf(b_shape, grads[1])
    with AD.count_ops() as fwd:
        out = a @ b
    with AD.count_ops() as bwd:
        out.backward(np.ones(out.shape))
    assert (fwd.forward_flops, fwd.forward_matmul_flops) == (flops, flops)
    matmul_backward = flops * sum(grads)
    assert (bwd.backward_flops, bwd.backward_matmul_flops) == (backward, matmul_backward)


def test_matmul_flops_add_up_over_a_chain_of_products():
    a, b, c = _leaf((2, 3)), _leaf((3, 4)), _leaf((4, 5))
    with AD.count_ops() as fwd:
        out = (a @ b) @ c
    with AD.count_ops() as bwd:
        out.backward(np.ones(out.shape))
    assert (fwd.forward_matmul_flops, fwd.forward_flops) == (48 + 80, 48 + 80)
    assert (bwd.backward_matmul_flops, bwd.backward_flops) == (2 * 48 + 2 * 80, 2 * 48 + 2 * 80)
    assert (fwd.forward_nodes, bwd.backward_calls) == (2, 2)


def test_counters_nest_and_stop_at_the_end_of_their_block():
    x = _leaf((2, 3))
    with AD.count_ops() as outer:
        with AD.count_ops() as inner:
            y = x.exp()
        y.tanh()
    assert (inner.forward_flops, inner.forward_nodes) == (6, 1)
    assert (outer.forward_flops, outer.forward_nodes) == (12, 2)
    x.exp()
    assert outer.forward_flops == 12, "a closed counter counts nothing more"
    with pytest.raises(ZeroDivisionError):
        with AD.count_ops() as broken:
            raise ZeroDivisionError
    x.exp()
    assert broken.forward_flops == 0, "a block left by an exception stops counting too"
    assert AD.OpCounter() == AD.OpCounter(0, 0, 0, 0, 0, 0)


def test_mlp_flop_counts_of_one_linear_layer_with_mse():
    n_samples, n_in, n_out = 3, 2, 4
    rng = np.random.default_rng(7)
    W, b = rng.normal(size=(n_out, n_in)), rng.normal(size=n_out)
    x, y = rng.normal(size=(n_samples, n_in)), rng.normal(size=(n_samples, n_out))
    mm = 2 * n_samples * n_in * n_out
    entries = n_samples * n_out
    # forward: W.T (0), x @ W.T, + b, -y, +, **2, sum, * (1/n): 8 nodes
    # backward: * 1, **2 3/entry, bias broadcast reduction, dW.T only (x is data)
    want = {"forward_flops": mm + 5 * entries + 1, "backward_flops": 1 + 3 * entries
            + (entries - n_out) + mm, "forward_matmul_flops": mm,
            "backward_matmul_flops": mm, "forward_nodes": 8, "backward_calls": 7}
    assert I.mlp_flop_counts([W], [b], x, y, "identity", "mse") == want


def test_mlp_gradients_of_one_linear_layer_with_mse_against_the_closed_form():
    rng = np.random.default_rng(11)
    W, b = rng.normal(size=(4, 2)), rng.normal(size=4)
    x, y = rng.normal(size=(3, 2)), rng.normal(size=(3, 4))
    r = x @ W.T + b - y
    loss, (dW,), (db,) = I.mlp_gradients([W], [b], x, y, "identity", "mse")
    assert isinstance(loss, float)
    np.testing.assert_allclose(loss, np.mean(r ** 2), **TIGHT, err_msg="mean squared residual")
    np.testing.assert_allclose(dW, 2 * r.T @ x / r.size, **TIGHT, err_msg="dL/dW = 2 R^T x / Nm")
    np.testing.assert_allclose(db, 2 * r.sum(axis=0) / r.size, **TIGHT,
                               err_msg="dL/db = 2 sum R / Nm")


# -- the input contract: every error, word for word ---------------------------------------------
@pytest.mark.parametrize("make, message", [
    pytest.param(lambda: T([1.0, np.nan]), "data contains NaN or infinite entries",
                 id="nan"),
    pytest.param(lambda: T([-np.inf]), "data contains NaN or infinite entries", id="inf"),
    pytest.param(lambda: T("abc"), "data holds text; real numbers are required (numeric strings are "
                 "not parsed)", id="string"),
    pytest.param(lambda: T([1.0]) ** T([2.0]), "Tensor ** k needs a scalar exponent k",
                 id="tensor-exponent"),
    pytest.param(lambda: T([1.0]) ** np.array([2.0]), "Tensor ** k needs a scalar exponent k",
                 id="array-exponent"),
    pytest.param(lambda: T([0.0, 1.0]) ** -0.5, "Tensor ** k with k < 0 at a zero entry",
                 id="negative-power-of-zero"),
    pytest.param(lambda: T(2.0) @ T(np.ones((2, 3))),
                 "matmul needs operands with at least one dimension", id="matmul-scalar-left"),
    pytest.param(lambda: T(np.ones(3)) @ T(2.0),
                 "matmul needs operands with at least one dimension", id="matmul-scalar-right"),
    pytest.param(lambda: T(np.ones((2, 3))) @ T(np.ones((2, 3))),
                 "matmul: shapes (2, 3) and (2, 3) do not align", id="matmul-shapes"),
    pytest.param(lambda: T([1.0, 0.0]).log(), "log of a non-positive entry", id="log-zero"),
    pytest.param(lambda: T([-1.0]).log(), "log of a non-positive entry", id="log-negative"),
    pytest.param(lambda: T([1.0]).sum().backward(),
                 "backward(): this tensor does not depend on any tensor that requires a gradient",
                 id="backward-constant"),
    pytest.param(lambda: (T([1.0, 2.0], requires_grad=True) * 2).backward(),
                 "backward(): grad must be given for a non-scalar output", id="backward-no-seed"),
    pytest.param(lambda: T([1.0, 2.0], requires_grad=True).sum().backward(np.ones(2)),
                 "backward(): grad shape (2,) != output shape ()", id="backward-seed-shape"),
])
def test_tensor_errors_are_stated_exactly(make, message):
    with raises_exactly(message):
        make()


def test_a_gradient_of_the_wrong_shape_is_an_internal_error():
    with raises_exactly("gradient shape (2,) != tensor shape (1,) (op leaf)", RuntimeError):
        T([1.0], requires_grad=True)._accumulate(np.ones(2))


W1, B1 = [np.ones((2, 2)), np.ones((1, 2))], [np.zeros(2), np.zeros(1)]
X1, Y1 = np.zeros((3, 2)), np.zeros((3, 1))
ACTS = "('identity', 'sigmoid', 'tanh', 'relu')"
LOSSES = "('mse', 'mae', 'bce', 'bce_with_logits', 'cross_entropy_with_logits', 'hinge')"


BCE_OUTPUTS = ("loss 'bce' needs network outputs strictly inside (0, 1), and these weights, "
               "biases and x give an output of 0 or 1: use a sigmoid output activation (or "
               "'bce_with_logits')")


@pytest.mark.parametrize("args, message", [
    pytest.param((W1, B1, X1, Y1, "softplus", "mse"), f"activation 'softplus' not in {ACTS}",
                 id="unknown-activation"),
    pytest.param((W1, B1, X1, Y1, ("tanh", "swish"), "mse"), f"activation 'swish' not in {ACTS}",
                 id="unknown-output-activation"),
    pytest.param((W1, B1, X1, Y1, ("tanh",), "mse"),
                 "activation must be a name or a (hidden, output) pair of names",
                 id="activation-tuple-size"),
    pytest.param((W1, B1, X1, Y1, None, "mse"),
                 "activation must be a name or a (hidden, output) pair of names",
                 id="activation-none"),
    pytest.param((W1, B1, X1, Y1, "tanh", "l3"), f"loss 'l3' not in {LOSSES}", id="unknown-loss"),
    pytest.param((W1[0], B1, X1, Y1, "tanh", "mse"),
                 "weights and biases must be lists of arrays (one per layer)", id="weights-array"),
    pytest.param((W1, B1[0], X1, Y1, "tanh", "mse"),
                 "weights and biases must be lists of arrays (one per layer)", id="biases-array"),
    pytest.param(([], [], X1, Y1, "tanh", "mse"), "need one bias per weight matrix and at least "
                 "one layer, got 0 weights and 0 biases", id="no-layers"),
    pytest.param((W1, B1[:1], X1, Y1, "tanh", "mse"), "need one bias per weight matrix and at "
                 "least one layer, got 2 weights and 1 biases", id="bias-count"),
    pytest.param(([np.ones(2), np.ones((1, 2))], B1, X1, Y1, "tanh", "mse"),
                 "weights[0] must be 2-D (out x in), got shape (2,)", id="weights-1d"),
    pytest.param((W1, [np.zeros(2), np.zeros(2)], X1, Y1, "tanh", "mse"),
                 "biases[1] must have shape (1,) to match weights[1], got (2,)", id="bias-shape"),
    pytest.param(([np.ones((2, 2)), np.ones((1, 3))], B1, X1, Y1, "tanh", "mse"),
                 "weights[1] takes 3 inputs but layer 1 has 2 outputs", id="layer-shapes"),
    pytest.param(([np.ones((3, 2)), np.ones((1, 2))], [np.zeros(3), np.zeros(1)], X1, Y1, "tanh",
                  "mse"), "weights[1] takes 2 inputs but layer 1 has 3 outputs",
                 id="layer-shapes-non-square"),
    pytest.param((W1, B1, np.zeros((3, 4)), Y1, "tanh", "mse"),
                 "x must have shape (N, 2) with N >= 1, got (3, 4)", id="x-width"),
    pytest.param(([np.ones((3, 2)), np.ones((1, 3))], [np.zeros(3), np.zeros(1)],
                  np.zeros((3, 3)), Y1, "tanh", "mse"),
                 "x must have shape (N, 2) with N >= 1, got (3, 3)", id="x-width-first-layer"),
    pytest.param((W1, B1, np.zeros(2), Y1, "tanh", "mse"),
                 "x must have shape (N, 2) with N >= 1, got (2,)", id="x-1d"),
    pytest.param((W1, B1, np.zeros((0, 2)), np.zeros((0, 1)), "tanh", "mse"),
                 "x must have shape (N, 2) with N >= 1, got (0, 2)", id="x-empty"),
    pytest.param((W1, B1, X1, np.zeros((2, 1)), "tanh", "mse"),
                 "y must have shape (3, 1), got (2, 1)", id="y-shape"),
    pytest.param(([np.ones((2, 2))], [np.zeros(2)], X1, Y1, "tanh", "mse"),
                 "y must have shape (3, 2), got (3, 1)", id="y-shape-one-layer"),
    pytest.param(([np.ones((2, 2)), np.ones((3, 2)), np.ones((1, 3))],
                  [np.zeros(2), np.zeros(3), np.zeros(1)], X1, np.zeros((3, 3)), "tanh", "mse"),
                 "y must have shape (3, 1), got (3, 3)", id="y-shape-last-of-three-layers"),
    pytest.param((W1, B1, X1, Y1 + 1.5, "sigmoid", "bce"),
                 "loss 'bce' needs targets y in [0, 1]", id="bce-y-above"),
    pytest.param((W1, B1, X1, Y1 - 0.5, "identity", "bce_with_logits"),
                 "loss 'bce_with_logits' needs targets y in [0, 1]", id="bce-logits-y-below"),
    pytest.param((W1, B1, X1, Y1, "tanh", "hinge"), "loss 'hinge' needs targets y in {-1, +1}",
                 id="hinge-y"),
    pytest.param((W1, B1, X1, Y1 + 0.5, "identity", "cross_entropy_with_logits"),
                 "loss 'cross_entropy_with_logits' needs target rows that are distributions "
                 "(one-hot)", id="ce-y-rows"),
    pytest.param(([np.ones((2, 2))], [np.zeros(2)], X1, np.array([[1.5, -0.5]] * 3), "identity",
                  "cross_entropy_with_logits"), "loss 'cross_entropy_with_logits' needs target "
                 "rows that are distributions (one-hot)", id="ce-y-negative"),
    # the row sums must be 1 to within an absolute 1e-9, no relative slack
    pytest.param(([np.ones((2, 2))], [np.zeros(2)], X1[:1], np.array([[0.25, 0.75 + 5e-9]]),
                  "identity", "cross_entropy_with_logits"), "loss 'cross_entropy_with_logits' "
                 "needs target rows that are distributions (one-hot)", id="ce-y-sum-off-by-5e-9"),
    pytest.param(([np.ones((2, 2))], [np.zeros(2)], X1[:1], np.array([[0.25, 0.75 + 5e-6]]),
                  "identity", "cross_entropy_with_logits"), "loss 'cross_entropy_with_logits' "
                 "needs target rows that are distributions (one-hot)", id="ce-y-sum-off-by-5e-6"),
    pytest.param((W1, B1, X1, Y1, "identity", "bce"), BCE_OUTPUTS,
                 id="bce-output-zero"),
    pytest.param((W1, [np.zeros(2), np.full(1, 50.0)], X1, Y1, "sigmoid", "bce"),
                 BCE_OUTPUTS, id="bce-output-one"),
    pytest.param((W1, B1, X1 + np.nan, Y1, "tanh", "mse"),
                 "x contains NaN or infinite entries", id="x-nan"),
])
def test_mlp_errors_are_stated_exactly(args, message):
    for fn in (I.mlp_gradients, I.mlp_flop_counts):
        with raises_exactly(message):
            fn(*args)


@pytest.mark.parametrize("activation, loss, y", [
    pytest.param("sigmoid", "bce", np.array([[0.0], [1.0], [0.5]]), id="bce-targets-0-and-1"),
    pytest.param("identity", "bce_with_logits", np.array([[0.0], [1.0], [1.0]]),
                 id="bce-logits-targets-0-and-1"),
    pytest.param(["tanh", "identity"], "hinge", np.array([[-1.0], [1.0], [1.0]]),
                 id="hinge-targets-plus-minus-one-list-activation"),
    pytest.param(("relu", "identity"), "mae", np.array([[-1.0], [2.0], [0.0]]), id="mae"),
])
def test_mlp_accepts_targets_on_the_boundary_of_their_range(activation, loss, y):
    x = np.array([[0.5, -1.0], [1.0, 2.0], [-0.25, 0.75]])
    loss_value, dW, db = I.mlp_gradients(W1, B1, x, y, activation, loss)
    assert np.isfinite(loss_value) and [g.shape for g in dW] == [(2, 2), (1, 2)]
    assert [g.shape for g in db] == [(2,), (1,)]


def test_cross_entropy_accepts_rows_summing_to_one_within_1e_9():
    y = np.array([[0.25, 0.75 + 5e-10]])
    value, _, _ = I.mlp_gradients([np.ones((2, 2))], [np.zeros(2)], X1[:1], y, "identity",
                                  "cross_entropy_with_logits")
    np.testing.assert_allclose(value, np.log(2.0) * y.sum(), **TIGHT,
                               err_msg="equal logits: cross-entropy log 2 per unit of target")


def test_cross_entropy_accepts_one_hot_rows():
    x = np.array([[0.5, -1.0], [1.0, 2.0]])
    y = np.array([[0.0, 1.0], [1.0, 0.0]])
    W = np.array([[1.0, -1.0], [0.5, 2.0]])
    value, _, _ = I.mlp_gradients([W], [np.zeros(2)], x, y, "identity",
                                  "cross_entropy_with_logits")
    logits = x @ W.T
    want = -np.mean(np.sum(y * (logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))), 1))
    np.testing.assert_allclose(value, want, **TIGHT, err_msg="mean cross-entropy of the logits")


# -- the six losses on a two-layer net, against a plain numpy forward pass ----------------------
def _np_logsig(v):
    return -np.logaddexp(0.0, -v)


def _np_mlp_loss(params, x, y, hidden, output, loss):
    W0, b0, W1, b1 = params
    act = {"tanh": np.tanh, "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
           "relu": lambda v: np.maximum(v, 0.0), "identity": lambda v: v}
    a = act[output](act[hidden](x @ W0.T + b0) @ W1.T + b1)
    if loss == "mse":
        return np.mean((a - y) ** 2)
    if loss == "mae":
        return np.mean(np.abs(a - y))
    if loss == "bce":
        return -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))
    if loss == "bce_with_logits":
        return -np.mean(y * _np_logsig(a) + (1 - y) * _np_logsig(-a))
    if loss == "cross_entropy_with_logits":
        lse = np.log(np.exp(a).sum(axis=1, keepdims=True))
        return -np.mean(np.sum(y * (a - lse), axis=1))
    return np.mean(np.maximum(0.0, 1 - y * a))


LOSS_RNG = np.random.default_rng(314)
LX = LOSS_RNG.uniform(-1, 1, size=(4, 2))
LPARAMS = [LOSS_RNG.uniform(-1, 1, size=s) for s in ((3, 2), (3,), (2, 3), (2,))]
LY = {"mse": LOSS_RNG.normal(size=(4, 2)), "mae": LOSS_RNG.normal(size=(4, 2)),
      "bce": np.array([[0.0, 1.0], [0.25, 0.5], [1.0, 0.0], [0.75, 0.9]]),
      "bce_with_logits": np.array([[0.0, 1.0], [0.25, 0.5], [1.0, 0.0], [0.75, 0.9]]),
      "cross_entropy_with_logits": np.eye(2)[[0, 1, 1, 0]],
      "hinge": np.array([[1.0, -1.0], [-1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]])}


@pytest.mark.parametrize("hidden, output, loss", [
    pytest.param("tanh", "identity", "mse", id="mse"),
    pytest.param("sigmoid", "tanh", "mae", id="mae"),
    pytest.param("tanh", "sigmoid", "bce", id="bce"),
    pytest.param("relu", "identity", "bce_with_logits", id="bce-with-logits"),
    pytest.param("sigmoid", "identity", "cross_entropy_with_logits", id="cross-entropy"),
    pytest.param("tanh", "identity", "hinge", id="hinge"),
])
def test_mlp_loss_and_gradients_match_numpy_and_central_differences(hidden, output, loss):
    y = LY[loss]
    value, dW, db = I.mlp_gradients([LPARAMS[0], LPARAMS[2]], [LPARAMS[1], LPARAMS[3]], LX, y,
                                    (hidden, output), loss)
    np.testing.assert_allclose(value, _np_mlp_loss(LPARAMS, LX, y, hidden, output, loss),
                               **TIGHT, err_msg=f"{loss} value")
    h = 1e-6
    for k, got in enumerate([dW[0], db[0], dW[1], db[1]]):
        fd = np.zeros(got.size)
        for i in range(got.size):
            plus = [p.copy() for p in LPARAMS]
            minus = [p.copy() for p in LPARAMS]
            plus[k].flat[i] += h
            minus[k].flat[i] -= h
            fd[i] = (_np_mlp_loss(plus, LX, y, hidden, output, loss)
                     - _np_mlp_loss(minus, LX, y, hidden, output, loss)) / (2 * h)
        # central differences: O(h^2) ~ 1e-12 truncation, ~1e-10 rounding (u |L| / h); the
        # fixed data keep every kink (relu, |.|, hinge) at least 1e-2 from the step
        np.testing.assert_allclose(got.ravel(), fd, rtol=1e-6, atol=1e-8,
                                   err_msg=f"{loss}: gradient of parameter {k}")


@pytest.mark.parametrize("data", [
    pytest.param([0.0, 2.0, -3.0], id="numeric"),
    pytest.param(np.array([Fraction(0), Fraction(2)], dtype=object), id="exact"),
])
def test_pow_zero_has_slope_zero_everywhere_including_zero(data):
    """d/dx x^0 = 0 for every x: k x^(k-1) would be 0 * inf = NaN at x = 0."""
    x = T(data, requires_grad=True)
    y = x ** 0
    y.sum().backward()
    assert [v == 1 for v in np.asarray(y.data).ravel()] == [True] * len(data), "x^0 = 1"
    assert [v == 0 for v in np.asarray(x.grad).ravel()] == [True] * len(data), \
        f"slope of x^0 must be 0 everywhere, got {x.grad}"
