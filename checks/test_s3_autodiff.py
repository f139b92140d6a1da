"""Evidence for §3.4: backpropagation, Jacobians and the chain-product form.

The engine under test (``impl.Tensor``) is run in two modes. Symbolically, on numpy
object arrays of sympy symbols, its gradients must equal sympy's derivatives *exactly*:
the difference, written as a rational function of the atoms tanh(...), must cancel to 0.
Numerically (float64), its gradients must match central finite differences within a
tolerance set by the step size: the truncation error is estimated by Richardson
(|D_h - D_{h/2}| is 3x the error of D_{h/2}, up to O(h^4)) and the rounding error is
bounded by ~u |f| / h. ``impl.mlp_gradients`` (the article's MLPs) is checked against
sympy gradients evaluated in 40-digit arithmetic and against finite differences.
"""
from __future__ import annotations

import functools

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from checks.support import strategies as S
from checks.support import precision as WP

claim = pytest.mark.claim
U = 2.0 ** -53
SOME = settings(max_examples=max(20, settings.default.max_examples // 3))
FEW = settings(max_examples=max(8, settings.default.max_examples // 6))  # sympy-heavy


# -- helpers ---------------------------------------------------------------------------------
def _sym_sigmoid(v):
    return (1 + sp.tanh(v / 2)) / 2  # = 1 / (1 + e^-v), checked below


def same_function(a, b) -> bool:
    """a == b as functions: their difference, with every tanh/exp/log atom replaced by a
    fresh symbol (outermost first), cancels to zero as a rational function. Both sides
    are built with the same atoms, so this decides the identity exactly."""
    d = sp.sympify(a - b)
    if d == 0:
        return True
    atoms = d.atoms(sp.tanh, sp.exp, sp.log)
    d = d.xreplace({f: sp.Dummy() for f in atoms})
    return sp.cancel(sp.together(d)) == 0


def _obj(a) -> np.ndarray:
    return np.array(a, dtype=object)


def _richardson(f, x: np.ndarray, h: float = 2.0 ** -14) -> tuple[np.ndarray, np.ndarray]:
    """Central differences of scalar f at x: (estimate, error bound) per coordinate."""
    est, bound = np.zeros(x.size), np.zeros(x.size)
    fx = abs(f(x))
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = 1.0
        e = e.reshape(x.shape)
        d1 = (f(x + h * e) - f(x - h * e)) / (2 * h)
        d2 = (f(x + h / 2 * e) - f(x - h / 2 * e)) / h
        est.flat[i] = (4 * d2 - d1) / 3  # Richardson: O(h^4)
        # truncation of d2 is ~|d1 - d2|/3; the extrapolation is better still, so this is
        # an upper estimate; rounding: each f value carries ~8u|f| (the engine's few ops),
        # divided by the step h/2 and amplified 5/3 by the extrapolation
        bound.flat[i] = abs(d1 - d2) + 40 * U * (1 + fx) / h
    return est, bound


# -- the one-neuron example ---------------------------------------------------------------
# exact (sympy, symbols for the entries) at one size, n = 3: an instance of the statement;
# the proof for a symbolic n is test_one_neuron_gradient_for_symbolic_input_size
@claim("one-neuron-gradient-by-chain-rule", kind="exact", scope="instance")
def test_one_neuron_chain_rule_generic_sigma_symbolic(evidence):
    n = 3
    w = sp.Matrix(1, n, sp.symbols("w1:4", real=True))
    x = sp.Matrix(n, 1, sp.symbols("x1:4", real=True))
    b, y, zs, as_ = sp.symbols("b y z a", real=True)
    sigma = sp.Function("sigma")
    z = (w * x)[0] + b
    L = (sigma(z) - y) ** 2
    # local derivatives along L -> a -> z -> W
    dz_dW = sp.Matrix([[sp.diff(z, wi) for wi in w]])
    assert dz_dW == x.T, "dz/dW = x^T"
    da_dz = sp.diff(sigma(zs), zs)
    dL_da = sp.diff((as_ - y) ** 2, as_)
    assert dL_da == 2 * (as_ - y)
    # sigma'(z) at the expression z: Subs(d sigma(zeta)/d zeta, zeta, z), as sympy writes it
    chain = (dL_da.subs(as_, sigma(z)) * sp.Subs(da_dz, zs, z)) * dz_dW
    direct = sp.Matrix([[sp.diff(L, wi) for wi in w]])
    assert (direct - chain).applyfunc(sp.expand) == sp.zeros(1, n)
    evidence.note("sympy, generic differentiable sigma, n = 3: dz/dW = x^T, dL/da = 2(a - y), "
                  "and dL/dW (direct) = 2(a - y) sigma'(z) x^T (chain product)")


# the engine runs on concrete arrays (here 3 inputs of sympy symbols): its gradient is
# compared exactly with sympy's at that one size, an instance of the statement
@claim("one-neuron-gradient-by-chain-rule", kind="exact", scope="instance")
@pytest.mark.parametrize("act", ["sigmoid", "tanh"])
def test_engine_one_neuron_gradient_exact_symbolic(impl, evidence, act):
    w = impl.Tensor(_obj([list(sp.symbols("w1:4", real=True))]), requires_grad=True)
    xs = sp.symbols("x1:4", real=True)
    b = impl.Tensor(_obj([sp.Symbol("b", real=True)]), requires_grad=True)
    y = sp.Symbol("y", real=True)
    z = w @ _obj(xs) + b
    a = getattr(z, act)()
    L = ((a - _obj([y])) ** 2).sum()
    L.backward()
    zv = sum(wi * xi for wi, xi in zip(w.data[0], xs)) + b.data[0]
    av = _sym_sigmoid(zv) if act == "sigmoid" else sp.tanh(zv)
    dsig = av * (1 - av) if act == "sigmoid" else 1 - av**2
    expected = [2 * (av - y) * dsig * xi for xi in xs]
    assert all(same_function(g, e) for g, e in zip(w.grad[0], expected)), \
        "engine dL/dW != 2 (a - y) sigma'(z) x^T"
    assert same_function(b.grad[0], 2 * (av - y) * dsig), "engine dL/db != 2 (a - y) sigma'(z)"
    evidence.note(f"{act}: engine's symbolic dL/dW equals 2(a - y) sigma'(z) x^T exactly")


@claim("one-neuron-gradient-by-chain-rule", kind="sampled")
@SOME
@given(vals=st.lists(st.floats(-3, 3), min_size=9, max_size=9),
       act=st.sampled_from(["sigmoid", "tanh"]))
def test_mlp_gradients_one_neuron_formula(impl, evidence, vals, act):
    W, x, b, y = np.array([vals[:4]]), np.array([vals[4:8]]), np.array([vals[8]]), np.array([[0.3]])
    loss, dW, db = impl.mlp_gradients([W], [b], x, y, act, "mse")
    z = float(W[0] @ x[0] + b[0])
    a = 1 / (1 + np.exp(-z)) if act == "sigmoid" else np.tanh(z)
    ds = a * (1 - a) if act == "sigmoid" else 1 - a * a
    expected = 2 * (a - 0.3) * ds * x[0]
    # both sides are a handful of float ops from the same inputs: relative error ~10 u,
    # with (a - y) possibly cancelling, hence an absolute floor of ~100 u |x|
    np.testing.assert_allclose(dW[0][0], expected, rtol=WP.tol(impl, 1e-12), atol=WP.tol(impl, 1e-13 * (1 + np.abs(x).max())),
                               err_msg="dL/dW != 2 (a - y) sigma'(z) x^T")
    np.testing.assert_allclose(loss, (a - 0.3) ** 2, rtol=WP.tol(impl, 1e-12), atol=WP.tol(impl, 1e-15),
                               err_msg="L != (a - y)^2")
    evidence.count("one-neuron cases through mlp_gradients")


# -- layer Jacobians ---------------------------------------------------------------------------
def _engine_jacobian(impl, make_output, inp) -> sp.Matrix:
    """Rows of d out / d inp from the engine's VJPs with basis vectors e_i."""
    out = make_output()
    rows = []
    for i in range(out.shape[0]):
        e = np.zeros(out.shape[0], dtype=object)
        e[i] = 1
        inp.grad = None
        out = make_output()
        out.backward(e)
        rows.append(list(inp.grad.reshape(-1)))
    return sp.Matrix(rows)


# exact (sympy) at one shape, m = 2, n = 3, and the engine's VJPs on concrete arrays of
# symbols: an instance; the symbolic-shape proof is test_layer_jacobians_for_symbolic_shapes
@claim("layer-jacobians-linear-elementwise-loss", kind="exact", scope="instance")
def test_layer_jacobians_symbolic_and_engine(impl, evidence):
    m, n = 2, 3
    W = sp.Matrix(m, n, lambda i, j: sp.Symbol(f"W{i}{j}", real=True))
    x = sp.Matrix(n, 1, sp.symbols("x1:4", real=True))
    bb = sp.Matrix(m, 1, sp.symbols("b1:3", real=True))
    y = W * x + bb
    assert y.jacobian(x) == W, "linear layer: dy/dx = W"
    for i in range(m):
        for k in range(m):
            for j in range(n):
                assert sp.diff(y[i], W[k, j]) == (x[j] if k == i else 0)
    # element-wise activation: diagonal Jacobian diag(sigma'(x))
    for f, fprime in ((sp.tanh, lambda v: 1 - sp.tanh(v) ** 2),
                      (_sym_sigmoid, lambda v: (1 - sp.tanh(v / 2) ** 2) / 4)):
        J = sp.Matrix([f(v) for v in x]).jacobian(x)
        assert J.is_diagonal() and all(same_function(J[i, i], fprime(x[i])) for i in range(n))
    # scalar loss: 1 x m row vector
    t = sp.Matrix(m, 1, sp.symbols("t1:3", real=True))
    yv = sp.Matrix(m, 1, sp.symbols("v1:3", real=True))  # the loss layer's input
    L = sum((yv[i] - t[i]) ** 2 for i in range(m)) / m
    dL = sp.Matrix([L]).jacobian(yv)
    assert dL.shape == (1, m) and (dL - 2 * (yv - t).T / m).expand() == sp.zeros(1, m)
    # the engine's VJPs assemble the same Jacobians exactly
    xt = impl.Tensor(_obj(list(x)), requires_grad=True)
    Wt = impl.Tensor(_obj(W.tolist()), requires_grad=True)
    bt = impl.Tensor(_obj(list(bb)))
    Jx = _engine_jacobian(impl, lambda: Wt @ xt + bt, xt)
    assert (Jx - W).expand() == sp.zeros(m, n), "engine: dy/dx != W"
    Jt = _engine_jacobian(impl, lambda: xt.tanh(), xt)
    assert all(same_function(Jt[i, j], (1 - sp.tanh(x[i]) ** 2) if i == j else 0)
               for i in range(n) for j in range(n)), "engine: d tanh / dx != diag(1 - tanh^2)"
    Js = _engine_jacobian(impl, lambda: xt.sigmoid(), xt)
    assert all(same_function(Js[i, j], (1 - sp.tanh(x[i] / 2) ** 2) / 4 if i == j else 0)
               for i in range(n) for j in range(n)), "engine: d sigmoid / dx != diag(s(1-s))"
    # dy_i/dW_kj = delta_ik x_j: the VJP with e_i puts x^T in row i of W.grad, zeros elsewhere
    for i in range(m):
        Wt.grad = None
        e = np.zeros(m, dtype=object)
        e[i] = 1
        (Wt @ xt + bt).backward(e)
        want = sp.Matrix(m, n, lambda k, j: x[j] if k == i else 0)
        assert sp.Matrix(Wt.grad.tolist()) - want == sp.zeros(m, n)
    yt = impl.Tensor(_obj(list(yv)), requires_grad=True)
    Lt = ((yt - _obj(list(t))) ** 2).mean()
    Lt.backward()
    assert (sp.Matrix([list(yt.grad)]) - dL).expand() == sp.zeros(1, m), "engine: dL/dy row"
    evidence.note("sympy and the engine's VJPs (exact): linear dy/dx = W, dy_i/dW_kj = "
                  "delta_ik x_j, tanh/sigmoid Jacobians diagonal with sigma', MSE-loss "
                  "Jacobian the 1 x m row 2 (y - t)/m")


@claim("layer-jacobians-linear-elementwise-loss", kind="symbolic", scope="instance")
def test_symbolic_sigmoid_form_is_the_logistic_function(evidence):
    # sizeless: an identity between two real functions of one real variable (the sigmoid
    # form the symbolic checks use)
    v = sp.symbols("v", real=True)
    assert sp.simplify((_sym_sigmoid(v) - 1 / (1 + sp.exp(-v))).rewrite(sp.exp)) == 0
    evidence.note("sympy: (1 + tanh(v/2))/2 = 1/(1 + e^-v), the form the symbolic checks use")


# -- singular values of the element-wise Jacobian ---------------------------------------------
@claim("elementwise-jacobian-singular-values-are-derivatives", kind="symbolic", target="counterexample")
def test_singular_values_are_absolute_values_swish_counterexample(evidence, control):
    # sizeless: the counterexample is one concrete 2 x 2 matrix, diag(Swish'(-2), 1/4); the
    # only symbol is the activation's real argument z
    z = sp.symbols("z", real=True)
    sig = 1 / (1 + sp.exp(-z))
    activations = {"swish": z * sig, "sigmoid": sig, "tanh": sp.tanh(z)}

    def derive(witness):  # an activation and a point where diag(sigma', 1/4) refutes it
        name, z0 = witness
        val = sp.diff(activations[name], z).subs(z, z0)
        D = sp.diag(val, sp.Rational(1, 4))
        sv = sorted(D.singular_values(), key=lambda e: float(e))
        diag = sorted([val, sp.Rational(1, 4)], key=lambda e: float(e))
        # a singular value provably different from the diagonal entry of the same rank
        assert any((a - b).is_zero is False for a, b in zip(sv, diag)), \
            f"{name}'({z0}) = {val}: the singular values {sv} are the diagonal entries"
        return val, sv

    val, sv = control(derive, ("swish", -2), ("sigmoid", -2), ("tanh", -2), ("swish", 2),
                      labels=("sigmoid at -2 (sigma' > 0)", "tanh at -2 (sigma' > 0)",
                              "swish at +2 (Swish'(2) > 0)"))
    closed = (1 - sp.E**2) / (1 + sp.E**2) ** 2
    assert sp.cancel(val - closed) == 0 and closed.is_negative
    assert sp.cancel(sv[0] + closed) == 0 and sv[1] == sp.Rational(1, 4), sv
    # sigma' >= 0 for sigmoid and tanh (and ReLU's 0/1): there the statement holds
    assert sp.cancel(sp.diff(sig, z) - sig * (1 - sig)) == 0
    assert sp.expand(sp.diff(sp.tanh(z), z) - (1 - sp.tanh(z) ** 2)) == 0
    evidence.counterexample("Swish'(-2) = (1 - e^2)/(1 + e^2)^2 ~ -0.0908 < 0: diag(Swish'(-2), "
                            "1/4) has singular values (e^2 - 1)/(1 + e^2)^2 and 1/4, not the "
                            "diagonal entries; the singular values are |sigma'(z_i)|")
    evidence.note("sigmoid' = s(1 - s) > 0, tanh' = 1 - tanh^2 > 0, ReLU' in {0, 1}: for these "
                  "the article's statement is right")


@claim("elementwise-jacobian-singular-values-are-derivatives", kind="sampled", target="corrected")
@SOME
@given(d=st.lists(st.floats(-5, 5), min_size=1, max_size=6))
def test_numeric_singular_values_of_diagonal(evidence, d):
    sv = np.linalg.svd(np.diag(d), compute_uv=False)
    # LAPACK's SVD of a diagonal matrix is backward stable: errors ~ n u max|d|
    np.testing.assert_allclose(np.sort(sv), np.sort(np.abs(d)), rtol=0,
                               atol=16 * len(d) * U * (1 + max(abs(v) for v in d)),
                               err_msg="singular values of diag(d) != |d|")
    evidence.count("diagonal matrices: singular values = |d_i|")


# -- magnitude of the chain product -----------------------------------------------------------
# exact: concrete 2 x 2 integer matrices, five layers (the counterexample has no size)
@claim("chain-product-magnitude-set-by-activation-derivatives", kind="exact",
       target="counterexample")
def test_same_derivatives_different_magnitude_exact(evidence, control):
    L = 5
    v = sp.symbols("v", real=True)
    d_identity = sp.diff(v, v)  # identity activation: sigma' = 1 in every layer

    def derive(W):  # the same weights W_l = W in every layer
        J = sp.eye(2)
        for _ in range(L):
            J = (sp.eye(2) * d_identity) * W * J  # J_l = diag(sigma') W_l
        size = J.norm(2)  # the spectral norm of J_L ... J_1
        assert sp.simplify(size - d_identity**L) != 0, \
            f"||J_L ... J_1|| = {size} = prod sigma': the activation alone sets the size here"
        return J

    J = control(derive, 2 * sp.eye(2), sp.eye(2), sp.Matrix([[0, -1], [1, 0]]),
                labels=("W_l = I", "W_l a rotation (orthogonal)"))
    assert J == 2**L * sp.eye(2)
    evidence.counterexample("identity activation (sigma' = 1 in every layer) with W_l = 2 I, "
                            f"L = {L}: J_L ... J_1 = 2^{L} I, while prod sigma' = 1 - and with "
                            "W_l = I/2 the same sigma' give 2^-5: the weights set the size too")


@claim("chain-product-magnitude-set-by-activation-derivatives", kind="sampled", target="corrected")
@SOME
@given(arch=S.mlp_architectures(max_layers=4, max_width=5, max_batch=1),
       act=st.sampled_from(["tanh", "sigmoid", "swish"]), seed=st.integers(0, 2**32 - 1))
def test_chain_product_norm_bound(evidence, arch, act, seed):
    sizes, _ = arch
    rng = np.random.default_rng(seed)
    a = rng.normal(size=sizes[0])
    J = np.eye(sizes[0])
    bound = 1.0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = rng.normal(size=(n_out, n_in)) * rng.uniform(0.2, 3)
        z = W @ a + rng.normal(size=n_out)
        s = 1 / (1 + np.exp(-z))
        if act == "tanh":
            a, d = np.tanh(z), 1 - np.tanh(z) ** 2
        elif act == "sigmoid":
            a, d = s, s * (1 - s)
        else:
            a, d = z * s, s + z * s * (1 - s)
        J = (d[:, None] * W) @ J
        bound *= np.abs(d).max() * np.linalg.norm(W, 2)
    # ||J||_2 <= prod max|sigma'| ||W_l||_2 (submultiplicativity, ||diag d||_2 = max |d|);
    # the float products and SVDs carry relative errors of ~L n u: 1e-12 relative slack
    assert np.linalg.norm(J, 2) <= bound * (1 + 1e-12) + 1e-300
    evidence.count("random networks: ||J_L...J_1|| <= prod max|sigma'| ||W_l||")
    if bound > 0:
        evidence.least("||J|| / bound", float(np.linalg.norm(J, 2) / bound))


# -- chain-product form ----------------------------------------------------------------------
# exact (sympy, symbols for the entries) for one architecture, a 2-2-2 tanh net: an
# instance of the statement, which holds for any depth and widths
@claim("chain-product-form-of-input-gradient", kind="exact", scope="instance")
def test_chain_product_form_symbolic(evidence):
    x0 = sp.Matrix(2, 1, sp.symbols("u1:3", real=True))
    W1 = sp.Matrix(2, 2, lambda i, j: sp.Symbol(f"A{i}{j}", real=True))
    W2 = sp.Matrix(2, 2, lambda i, j: sp.Symbol(f"B{i}{j}", real=True))
    t = sp.Matrix(2, 1, sp.symbols("t1:3", real=True))
    x1 = (W1 * x0).applyfunc(sp.tanh)
    x2 = (W2 * x1).applyfunc(sp.tanh)
    L = sum((x2[i] - t[i]) ** 2 for i in range(2))
    direct = sp.Matrix([L]).jacobian(x0)
    y1, y2 = sp.Matrix(2, 1, sp.symbols("p1:3")), sp.Matrix(2, 1, sp.symbols("q1:3"))
    J1 = (W1 * y1).applyfunc(sp.tanh).jacobian(y1).subs(dict(zip(y1, x0)))
    J2 = (W2 * y2).applyfunc(sp.tanh).jacobian(y2).subs(dict(zip(y2, x1)))
    dL_dxL = sp.Matrix([sum((y2[i] - t[i]) ** 2 for i in range(2))]).jacobian(y2) \
        .subs(dict(zip(y2, x2)))
    chain = dL_dxL * J2 * J1
    assert all(same_function(direct[k], chain[k]) for k in range(2))
    evidence.note("sympy (2-2-2 tanh net, squared loss): dL/dx_0 = dL/dx_2 J_2 J_1 exactly, "
                  "J_l = diag(1 - tanh^2(W_l x_{l-1})) W_l")


@claim("chain-product-form-of-input-gradient", kind="sampled")
@SOME
@given(arch=S.mlp_architectures(max_layers=4, max_width=4, max_batch=1),
       act=st.sampled_from(["tanh", "sigmoid"]), seed=st.integers(0, 2**32 - 1))
def test_engine_input_gradient_is_product_of_layer_jacobians(impl, evidence, arch, act, seed):
    sizes, _ = arch
    rng = np.random.default_rng(seed)
    x0 = rng.normal(size=sizes[0])
    Ws = [rng.normal(size=(o, i)) for i, o in zip(sizes[:-1], sizes[1:])]
    t = rng.normal(size=sizes[-1])
    xt = impl.Tensor(x0, requires_grad=True)
    a = xt
    for W in Ws:
        a = getattr(impl.Tensor(W) @ a, act)()
    L = ((a - t) ** 2).sum()
    L.backward()
    # independent numpy: J_l = diag(sigma'(z_l)) W_l, row dL/dx_L = 2 (x_L - t)
    v, Js = x0, []
    for W in Ws:
        z = W @ v
        s = 1 / (1 + np.exp(-z))
        v, d = (np.tanh(z), 1 - np.tanh(z) ** 2) if act == "tanh" else (s, s * (1 - s))
        Js.append(d[:, None] * W)
    row = 2 * (v - t)
    for J in reversed(Js):
        row = row @ J
    # a few dozen float ops per entry: ~1e-14 relative; products of O(1) factors
    np.testing.assert_allclose(xt.grad, row, rtol=1e-10, atol=1e-12 * (1 + np.abs(row).max()),
                               err_msg="engine dL/dx_0 != dL/dx_L J_L ... J_1")
    evidence.count("networks: engine input gradient = chain product of Jacobians")


# -- arbitrary DAGs --------------------------------------------------------------------------
def _run_program(program, extra, inputs, M, backend):
    """Evaluate a dag_programs program; backend: 'engine' (Tensors) or 'sympy'/'numpy'
    (arrays). Returns (output, nodes, list of kink arguments)."""
    nodes, kinks = list(inputs), []
    for op, i, j in program:
        a, b = nodes[i], nodes[j]
        if op == "add":
            r = a + b
        elif op == "sub":
            r = a - b
        elif op == "mul":
            r = a * b
        elif op == "square":
            r = a ** 2
        elif op == "lin":
            r = M @ a
        elif op == "tanh":
            r = a.tanh() if backend == "engine" else (
                np.vectorize(sp.tanh, otypes=[object])(a) if backend == "sympy" else np.tanh(a))
        elif op == "sigmoid":
            r = a.sigmoid() if backend == "engine" else (
                np.vectorize(_sym_sigmoid, otypes=[object])(a) if backend == "sympy"
                else 1 / (1 + np.exp(-a)))
        elif op == "exp":
            r = a.exp() if backend == "engine" else np.exp(a)
        elif op == "logsq":  # log(1 + a^2): a positive argument for log
            r = (a ** 2 + 1).log() if backend == "engine" else np.log(1 + a ** 2)
        elif op == "relu":
            kinks.append(a.data if backend == "engine" else a)
            r = a.relu() if backend == "engine" else np.maximum(a, 0)
        else:
            raise AssertionError(op)
        nodes.append(r)
    out = nodes[-1].sum() + nodes[extra].sum()
    return out, nodes, kinks


# Fixed DAGs in which every op lies on a path to the output, with fan-out (nodes 1 and 3 are
# read twice) and reconvergence. Random programs need not contain a given op (at root seed 30
# none contained a sigmoid), so these explicit examples make each op's VJP checked at every
# seed; the node numbers are those of dag_programs (inputs are nodes 0 and 1).
EVERY_OP_DAG = ([("lin", 0, 0), ("mul", 2, 1), ("tanh", 3, 3), ("sigmoid", 4, 4),
                 ("square", 5, 5), ("add", 6, 1), ("sub", 7, 3)], 5)
EVERY_OP_DAG_WITH_EXP_LOG_RELU = (
    [("lin", 0, 0), ("mul", 2, 1), ("tanh", 3, 3), ("sigmoid", 4, 4), ("square", 5, 5),
     ("exp", 4, 4), ("logsq", 7, 7), ("relu", 3, 3), ("add", 6, 8), ("add", 10, 9),
     ("sub", 11, 1)], 5)


def _row(t, k):
    """Row k of a 2-D leaf tensor as a graph node (a selection matmul keeps one leaf)."""
    sel = np.zeros(t.shape[0])
    sel[k] = 1.0
    return sel @ t


@claim("backprop-on-any-dag-matches-symbolic-derivative", kind="sampled")
@FEW
@given(prog=S.dag_programs(n_inputs=2, max_ops=5,
                           ops=("add", "sub", "mul", "tanh", "sigmoid", "square", "lin")),
       d=st.integers(1, 2))
@example(prog=EVERY_OP_DAG, d=2)
def test_engine_gradients_equal_sympy_on_random_dags(impl, evidence, prog, d):
    program, extra = prog
    xs = [np.array([sp.Symbol(f"x{k}_{i}", real=True) for i in range(d)], dtype=object)
          for k in range(2)]
    Msym = np.array([[sp.Symbol(f"m{i}{j}", real=True) for j in range(d)] for i in range(d)],
                    dtype=object)
    ref, _, _ = _run_program(program, extra, xs, Msym, "sympy")
    leaves = [impl.Tensor(x, requires_grad=True) for x in xs]
    Mt = impl.Tensor(Msym, requires_grad=True)
    out, _, _ = _run_program(program, extra, leaves, Mt, "engine")
    out.backward()
    ref = sp.sympify(ref)
    for leaf, x in zip(leaves, xs):
        got = leaf.grad if leaf.grad is not None else np.zeros(d, dtype=object)
        for g, s in zip(got, x):
            assert same_function(g, sp.diff(ref, s)), f"d out / d {s} differs ({program})"
    gotM = Mt.grad if Mt.grad is not None else np.zeros((d, d), dtype=object)
    for i in range(d):
        for j in range(d):
            assert same_function(gotM[i, j], sp.diff(ref, Msym[i, j])), f"d/d m{i}{j} differs"
    evidence.count("random DAGs differentiated exactly (engine vs sympy)")
    evidence.worst("ops in a DAG", len(program))


@claim("backprop-on-any-dag-matches-symbolic-derivative", kind="sampled")
@SOME
@given(prog=S.dag_programs(n_inputs=2, max_ops=7,
                           ops=("add", "sub", "mul", "tanh", "sigmoid", "square", "lin",
                                "exp", "logsq", "relu")),
       d=st.integers(1, 3), seed=st.integers(0, 2**32 - 1))
@example(prog=EVERY_OP_DAG_WITH_EXP_LOG_RELU, d=3, seed=20261127)
def test_engine_gradients_match_finite_differences_on_random_dags(impl, evidence, prog, d, seed):
    program, extra = prog
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.5, 1.5, size=(2, d))
    M = rng.uniform(-1, 1, size=(d, d))

    def f(v):
        return float(_run_program(program, extra, [v[0], v[1]], M, "numpy")[0])
    with np.errstate(over="ignore", invalid="ignore"):
        out, nodes, kinks = _run_program(program, extra, [x[0], x[1]], M, "numpy")
        assume(np.isfinite(out) and all(np.all(np.abs(n) < 1e6) for n in nodes))
    h = 2.0 ** -14
    # a kink within a few steps of an argument makes the function non-smooth at the FD scale
    assume(all(np.all(np.abs(k) > 64 * h * (1 + np.abs(k))) for k in kinks))
    leaves = impl.Tensor(x, requires_grad=True)
    eout, _, _ = _run_program(program, extra, [_row(leaves, 0), _row(leaves, 1)],
                              impl.Tensor(M), "engine")
    eout.backward()
    with np.errstate(over="ignore", invalid="ignore"):
        est, bound = _richardson(f, x, h)
    assume(np.all(np.isfinite(est)))
    got = leaves.grad if leaves.grad is not None else np.zeros_like(x)
    err = np.abs(got.ravel() - est)
    assert np.all(err <= 4 * bound + 1e-9 * (1 + np.abs(est))), \
        f"engine gradient off by {err.max():.3g} (bound {bound.max():.3g}) on {program}"
    evidence.count("random DAGs (exp, log, relu included) vs Richardson finite differences")
    evidence.worst("|engine - FD| / bound", float(np.max(err / (bound + 1e-300))))


# -- the article's MLPs ----------------------------------------------------------------------
COMBOS = [("tanh", "mse"), (("tanh", "sigmoid"), "bce"),
          (("sigmoid", "identity"), "bce_with_logits"),
          (("tanh", "identity"), "cross_entropy_with_logits"), ("identity", "mae"),
          (("relu", "identity"), "hinge")]


def _targets(rng, loss, N, m):
    if loss == "cross_entropy_with_logits":
        return np.eye(m)[rng.integers(0, m, N)]
    if loss == "hinge":
        return rng.choice([-1.0, 1.0], size=(N, m))
    return rng.uniform(0, 1, size=(N, m)) if loss in ("bce", "bce_with_logits") \
        else rng.normal(size=(N, m))


@claim("mlp-gradients-match-sympy-and-finite-differences", kind="sampled")
@SOME
@given(arch=S.mlp_architectures(max_layers=3, max_width=4, max_batch=4, min_out=2),
       combo=st.sampled_from(range(len(COMBOS))), seed=st.integers(0, 2**32 - 1))
def test_mlp_gradients_match_finite_differences(impl, evidence, arch, combo, seed):
    sizes, N = arch
    act, loss = COMBOS[combo]
    rng = np.random.default_rng(seed)
    Ws = [rng.uniform(-1, 1, size=(o, i)) for i, o in zip(sizes[:-1], sizes[1:])]
    bs = [rng.uniform(-1, 1, size=o) for o in sizes[1:]]
    x = rng.uniform(-1, 1, size=(N, sizes[0]))
    y = _targets(rng, loss, N, sizes[-1])
    value, dW, db = impl.mlp_gradients(Ws, bs, x, y, act, loss)
    h = 2.0 ** -14
    # slack for the rounding of loss values in the difference quotients, u |L| / h: 1e-9
    # in float64; a float32 implementation's losses round at u32 ~ 6e-8, so its step is
    # 2^-7 (u32^(1/3), the balance with Richardson's h^4 truncation) and its slack
    # u32 / 2^-7 ~ 8e-6 with a 10x margin (probes and tolerances follow the precision)
    slack = 1e-9
    if WP.declared(impl) == "float32":
        h, slack = 2.0 ** -7, 1e-4
    # kinks (relu hidden units, |.| in MAE, max in hinge) near the FD scale are excluded
    a, zs = x, []
    for l, (W, b) in enumerate(zip(Ws, bs)):
        z = a @ W.T + b
        zs.append(z)
        name = act if isinstance(act, str) else (act[1] if l == len(Ws) - 1 else act[0])
        a = {"tanh": np.tanh, "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
             "relu": lambda v: np.maximum(v, 0), "identity": lambda v: v}[name](z)
    margin = 256 * h * (1 + sum(np.abs(W).sum() for W in Ws))
    if "relu" in str(act):
        assume(all(np.all(np.abs(z) > margin) for z in zs[:-1]))
    if loss == "mae":
        assume(np.all(np.abs(a - y) > margin))
    if loss == "hinge":
        assume(np.all(np.abs(1 - y * a) > margin))
    for l in range(len(Ws)):
        for params, grads, name in ((Ws, dW, "W"), (bs, db, "b")):
            def f(p, l=l, params=params):
                ps = [q.copy() for q in params]
                ps[l] = p
                args = (ps, bs) if params is Ws else (Ws, ps)
                return impl.mlp_gradients(*args, x, y, act, loss)[0]
            est, bound = _richardson(f, params[l], h)
            err = np.abs(grads[l].ravel() - est)
            assert np.all(err <= 4 * bound + slack * (1 + np.abs(est))), \
                f"d{name}{l + 1} off by {err.max():.3g} (bound {bound.max():.3g}), {act}/{loss}"
            evidence.worst("|backprop - FD| / bound", float(np.max(err / (bound + 1e-300))))
    evidence.count("MLPs vs Richardson finite differences (all six losses)")


@functools.lru_cache(maxsize=None)
def _symbolic_mlp(sizes, act, loss):
    """sympy's per-sample loss of the MLP and its gradient, lambdified for mpmath. Every
    loss is a mean over samples of a per-sample term, so a batch's gradient is the mean of
    per-sample gradients (plain symbols: no assumptions to query, a faster derivation)."""
    Ws = [sp.Matrix(o, i, lambda r, c, l=l: sp.Symbol(f"W{l}_{r}_{c}"))
          for l, (i, o) in enumerate(zip(sizes[:-1], sizes[1:]))]
    bs = [sp.Matrix(o, 1, lambda r, c, l=l: sp.Symbol(f"b{l}_{r}"))
          for l, o in enumerate(sizes[1:])]
    x = sp.Matrix(sizes[0], 1, lambda r, c: sp.Symbol(f"x{r}"))
    y = [sp.Symbol(f"y{k}") for k in range(sizes[-1])]
    hidden, output = (act, act) if isinstance(act, str) else act
    fns = {"tanh": sp.tanh, "sigmoid": lambda v: 1 / (1 + sp.exp(-v)), "identity": lambda v: v}
    a = x
    for l, (W, b) in enumerate(zip(Ws, bs)):
        a = (W * a + b).applyfunc(fns[output if l == len(Ws) - 1 else hidden])
    m = len(a)
    if loss == "mse":  # the mean over entries = mean over samples of the mean over outputs
        term = sum((a[k] - y[k]) ** 2 for k in range(m)) / m
    elif loss == "bce":
        term = -sum(y[k] * sp.log(a[k]) + (1 - y[k]) * sp.log(1 - a[k]) for k in range(m)) / m
    elif loss == "bce_with_logits":  # -[y log s(a) + (1-y) log s(-a)]
        term = sum(sp.log(1 + sp.exp(-a[k])) + (1 - y[k]) * a[k] for k in range(m)) / m
    elif loss == "cross_entropy_with_logits":
        lse = sp.log(sum(sp.exp(v) for v in a))
        term = -sum(y[k] * (a[k] - lse) for k in range(m))
    else:
        raise AssertionError(loss)
    params = [s for M in Ws + bs for s in M]
    grads = [sp.diff(term, s) for s in params]
    return sp.lambdify(params + list(x) + y, [term] + grads, modules="mpmath", cse=True,
                       docstring_limit=0)


@claim("mlp-gradients-match-sympy-and-finite-differences", kind="sampled")
@FEW
@given(combo=st.sampled_from(range(4)), seed=st.integers(0, 2**32 - 1))
def test_mlp_gradients_match_sympy_in_high_precision(impl, evidence, combo, seed):
    act, loss = COMBOS[combo]
    sizes, N = (2, 2, 2), 3  # small enough for sympy to differentiate in ~0.1 s per loss
    fn = _symbolic_mlp(sizes, act, loss)
    rng = np.random.default_rng(seed)
    Ws = [rng.uniform(-2, 2, size=(o, i)) for i, o in zip(sizes[:-1], sizes[1:])]
    bs = [rng.uniform(-2, 2, size=o) for o in sizes[1:]]
    x = rng.uniform(-2, 2, size=(N, sizes[0]))
    y = _targets(rng, loss, N, sizes[-1])
    value, dW, db = impl.mlp_gradients(Ws, bs, x, y, act, loss)
    flat = [v for W in Ws for v in W.ravel()] + [v for b in bs for v in b]
    with mpmath.workdps(40):
        per_sample = [fn(*[mpmath.mpf(float(v)) for v in flat + list(x[n]) + list(y[n])])
                      for n in range(N)]
        exact = [mpmath.fsum(col) / N for col in zip(*per_sample)]
    got = [value] + [v for g in dW for v in g.ravel()] + [v for g in db for v in g]
    ref = np.array([float(e) for e in exact])
    # float64 forward/backward through ~50 ops of O(1) values: error ~1e-14 absolute;
    # gradients may cancel to ~0, hence the absolute term
    np.testing.assert_allclose(np.array(got), ref, rtol=WP.tol(impl, 1e-10), atol=WP.tol(impl, 1e-12),
                               err_msg=f"mlp_gradients != sympy gradient ({act}, {loss})")
    evidence.count("(2,2,2) MLPs, N = 3, vs 40-digit sympy gradients (4 activation/loss pairs)")


@claim("one-neuron-gradient-by-chain-rule", kind="symbolic")
def test_one_neuron_gradient_for_symbolic_input_size(evidence, control):
    """For x in R^n (n symbolic), z = w . x + b, a = sigma(z), L = (a - y)^2 with an
    arbitrary differentiable sigma: dL/dw_j = 2 (a - y) sigma'(z) x_j for every 1 <= j <= n,
    the product of the local derivatives dL/da, da/dz and dz/dw_j = x_j."""
    from claimledger.symbolic import within_range

    i, j, n = sp.symbols("i j n", integer=True, positive=True)
    w, x = sp.IndexedBase("w", real=True), sp.IndexedBase("x", real=True)
    b, y, u = sp.symbols("b y u", real=True)
    sigma = sp.Function("sigma")
    z = sp.Sum(w[i] * x[i], (i, 1, n)) + b
    sigma_prime = sp.diff(sigma(u), u).subs(u, z)

    def in_range(e):  # the index j lies in 1..n
        return e.replace(lambda t: isinstance(t, sp.Piecewise),
                         lambda t: t.args[0].expr if t.args[0].cond in (sp.Le(j, n), sp.Ge(n, j))
                         else t)

    dz_dwj = in_range(within_range(sp.diff(z, w[j]).doit()))
    grad = in_range(sp.diff((sigma(z) - y) ** 2, w[j]).doit())

    def derive(statement):  # the statement: dz/dw_j and the chain product dL/dw_j
        local, chain = statement
        assert sp.expand(dz_dwj - local) == 0, f"dz/dw_j = {dz_dwj}, not {local}"
        claimed = chain(sigma(z), y, sigma_prime, local)
        assert sp.expand(grad - claimed) == 0, f"dL/dw_j = {grad}, not {claimed}"

    control(derive, (x[j], lambda a, t, ds, xj: 2 * (a - t) * ds * xj),
            (x[j], lambda a, t, ds, xj: (a - t) * ds * xj),
            (x[j], lambda a, t, ds, xj: 2 * (t - a) * ds * xj),
            (x[j], lambda a, t, ds, xj: 2 * (a - t) * xj),
            (w[j], lambda a, t, ds, xj: 2 * (a - t) * ds * xj),
            labels=("(a - y) sigma'(z) x_j (the 2 of dL/da dropped)",
                    "2 (y - a) sigma'(z) x_j (sign)", "2 (a - y) x_j (sigma' dropped)",
                    "dz/dw_j = w_j (weight and input swapped)"))
    evidence.note("sympy, symbolic n and generic sigma: dL/dw_j = 2 (a - y) sigma'(z) x_j "
                  "(j <= n), the chain of dL/da, da/dz and dz/dw_j = x_j")


@claim("layer-jacobians-linear-elementwise-loss", kind="symbolic")
def test_layer_jacobians_for_symbolic_shapes(evidence, control):
    """For symbolic m, n: y = W x + b has Jacobian W (sympy's matrix derivative, in
    denominator layout, is W^T) and dy_i/dW_kj = [i = k] x_j; y_i = sigma(x_i) has
    dy_i/dx_j = [i = j] sigma'(x_i), a diagonal Jacobian. (A scalar loss of y in R^m has
    m partial derivatives: the 1 x m row vector, by definition of the gradient.)"""
    m, n = sp.symbols("m n", integer=True, positive=True)
    W, x = sp.MatrixSymbol("W", m, n), sp.MatrixSymbol("x", n, 1)
    b = sp.MatrixSymbol("b", m, 1)
    y = W * x + b
    i, j, k = sp.symbols("i j k", integer=True)
    xi, sigma = sp.IndexedBase("x"), sp.Function("sigma")
    dW = sp.diff(y[i, 0], W[k, j]).doit()
    d_elem = sp.diff(sigma(xi[i]), xi[j])

    def derive(statement):  # the statement: dy/dx, dy_i/dW_kj, d sigma(x_i)/dx_j
        jac, weight_partial, elementwise = statement
        assert y.diff(x) == jac.T, f"d(Wx + b)/dx = {y.diff(x)}^T (denominator layout), not {jac}"
        assert sp.expand(dW - weight_partial) == 0, f"dy_i/dW_kj = {dW}"
        assert sp.expand(d_elem - elementwise) == 0, f"d sigma(x_i)/dx_j = {d_elem}"

    delta_ik = sp.KroneckerDelta(i, k, (0, m - 1))
    diag = sp.KroneckerDelta(i, j) * sp.diff(sigma(xi[i]), xi[i])
    control(derive, (W, delta_ik * x[j, 0], diag), (W.T, delta_ik * x[j, 0], diag),
            (W, x[j, 0], diag), (W, delta_ik * x[j, 0], sp.diff(sigma(xi[i]), xi[i])),
            labels=("dy/dx = W^T", "dy_i/dW_kj = x_j for every k (no Kronecker delta)",
                    "d sigma(x_i)/dx_j = sigma'(x_i) for every j (a full Jacobian)"))
    evidence.note("sympy, symbolic m x n: d(Wx + b)/dx = W (W^T in sympy's denominator "
                  "layout), dy_i/dW_kj = delta_ik x_j, d sigma(x_i)/dx_j = delta_ij sigma'(x_i)")
