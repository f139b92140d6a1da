"""A small reverse-mode automatic-differentiation engine over numpy arrays (article §3.4).

A :class:`Tensor` holds an array ``data``; every operation builds its output *and* the
output's local vector-Jacobian product (``_backward``) right beside the forward formula,
recording the parents. ``backward()`` sorts the recorded graph topologically and runs the
local VJPs in reverse order, so each node's gradient is complete before it is passed on:
the chain rule over a DAG, each node visited once.

Primitives: ``+ - * / **`` (scalar exponent, with numpy broadcasting), ``@`` (matmul),
``.T``, ``sum``, ``exp``, ``log``, ``tanh``, ``sigmoid``, ``log_sigmoid``, ``relu``,
``abs``. Derived ops are written with primitives only: ``mean``, ``log_softmax``,
``softmax`` and the losses of :func:`mlp_gradients`.

Conventions: ``relu'(0) = 0`` and ``abs'(0) = 0`` (PyTorch's choices; the article's §2.4
table gives ReLU'(0) = 1 "by convention" - a single point, which the checks avoid); gradients of
leaves accumulate across ``backward()`` calls (reset with ``t.grad = None``), gradients
of intermediate nodes are recomputed on every call.

Symbolic mode: ``data`` may be a numpy ``object`` array of sympy expressions (or of
``fractions.Fraction``; integers are read as Fractions, so ``x / 2`` stays exact); the same
code then returns exact gradients (``sigmoid`` is written ``(1 + tanh(x/2)) / 2`` there,
an identity; ``relu``/``abs`` need numbers).

Cost accounting: inside ``with count_ops() as c`` every op adds its FLOPs to
``c.forward_*`` when it is built and to ``c.backward_*`` when its VJP runs. The model:
an element-wise arithmetic op or function costs 1 FLOP per output element (exp, tanh ...
included), a matmul (m x k) @ (k x n) costs 2 m k n, a reduction costs 1 per input
element, reshaping/transposing/broadcasting costs 0, and adding a contribution into an
existing ``.grad`` costs 1 per element. A local VJP costs 2 m k n per matmul operand that
needs a gradient, 2 per element for a function (f'(x), then the product), 3 for ``**``,
1 per operand for ``*``, 1 for negation, and only the broadcast reduction for ``+``.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ._validate import (_is_real_number, axis_index, check_cap, flag, float_array,
                        refuse_overflow, show)

__protocol__ = ["Tensor", "mlp_gradients", "mlp_flop_counts"]

_W = [np.array([[1.0, -0.5], [0.25, 2.0]]), np.array([[0.5, -1.0]])]
_B = [np.array([0.1, -0.2]), np.array([0.3])]
_MLP = dict(weights=_W, biases=_B, x=np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, 1.0]]),
            y=np.array([[1.0], [0.0], [0.5]]), activation="tanh", loss="mse")
#: a valid call of every protocol name (the bad-input fuzzer varies one argument at a time)
__examples__ = {
    "Tensor": [dict(data=np.array([1.0, -2.0]), requires_grad=True),
               dict(data=np.array([Fraction(1, 2), 3], dtype=object))],  # exact mode
    "mlp_gradients": [_MLP, {**_MLP, "activation": ("relu", "sigmoid"), "loss": "bce"}],
    "mlp_flop_counts": [_MLP],
}
#: arguments that take exact-mode object arrays, where integers of any size are valid
__exact_args__ = (("Tensor", "data"), ("mlp_gradients", "weights"), ("mlp_gradients", "biases"),
                  ("mlp_gradients", "x"), ("mlp_gradients", "y"), ("mlp_flop_counts", "weights"),
                  ("mlp_flop_counts", "biases"), ("mlp_flop_counts", "x"),
                  ("mlp_flop_counts", "y"))

MAX_LAYERS = 10_000  # depth cap of mlp_gradients (the same as mlp_forward's)
ACTIVATIONS = ("identity", "sigmoid", "tanh", "relu")
LOSSES = ("mse", "mae", "bce", "bce_with_logits", "cross_entropy_with_logits", "hinge")


# -- operation / FLOP counting -------------------------------------------------------------
@dataclass
class OpCounter:
    """FLOPs and node counts of the forward (graph building) and backward (VJP) phases."""

    forward_flops: int = 0
    backward_flops: int = 0
    forward_matmul_flops: int = 0
    backward_matmul_flops: int = 0
    forward_nodes: int = 0   # operation nodes built (leaves excluded)
    backward_calls: int = 0  # local VJPs executed


_ACTIVE: list[OpCounter] = []


@contextmanager
def count_ops():
    """Count the FLOPs of every op built or differentiated inside the block."""
    c = OpCounter()
    _ACTIVE.append(c)
    try:
        yield c
    finally:
        # by identity: list.remove compares with ==, and nested counters with equal
        # counts are equal dataclasses, so it could drop the outer counter instead
        del _ACTIVE[next(i for i, a in enumerate(_ACTIVE) if a is c)]


def _fwd(flops: int, *, matmul: bool = False) -> None:
    for c in _ACTIVE:
        c.forward_flops += int(flops)
        c.forward_nodes += 1
        if matmul:
            c.forward_matmul_flops += int(flops)


def _bwd(flops: int, *, matmul: bool = False) -> None:
    for c in _ACTIVE:
        c.backward_flops += int(flops)
        if matmul:
            c.backward_matmul_flops += int(flops)


# -- element-wise functions, numeric or symbolic ---------------------------------------------
def _symbolic(a: np.ndarray) -> bool:
    return a.dtype == object


def _map(f, a: np.ndarray) -> np.ndarray:
    return np.vectorize(f, otypes=[object])(a) if a.size else a.copy()


def _exp(a):
    if _symbolic(a):
        import sympy  # symbolic mode only

        return _map(sympy.exp, a)
    return np.exp(a)


def _log(a):
    if _symbolic(a):
        import sympy

        return _map(sympy.log, a)
    return np.log(a)


def _tanh(a):
    if _symbolic(a):
        import sympy

        return _map(sympy.tanh, a)
    return np.tanh(a)


def _sigmoid(a):
    if _symbolic(a):
        import sympy

        # sigma(x) = (1 + tanh(x/2)) / 2 exactly; tanh atoms keep sympy from merging
        # exponentials, so gradients stay comparable as rational functions of the atoms
        return _map(lambda v: (1 + sympy.tanh(v / 2)) / 2, a)
    e = np.exp(-np.abs(a))  # <= 1: no overflow on either side
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _log_sigmoid(a):
    if _symbolic(a):
        import sympy

        return _map(sympy.log, _sigmoid(a))
    return np.minimum(a, 0.0) - np.log1p(np.exp(-np.abs(a)))


def _positive_part(a):
    if _symbolic(a):
        return _map(lambda v: v if v > 0 else 0 * v, a)
    return np.maximum(a, 0.0)


def _step(a):
    """1 where a > 0, else 0 (relu'(0) = 0)."""
    if _symbolic(a):
        return _map(lambda v: 1 if v > 0 else 0, a)
    return (a > 0).astype(float)


def _sign(a):
    if _symbolic(a):
        return _map(lambda v: 1 if v > 0 else (-1 if v < 0 else 0), a)
    return np.sign(a)


def _unbroadcast(g: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum g over the axes numpy broadcasting added or stretched to reach g.shape."""
    g = np.asarray(g)  # object reductions may return bare scalars
    if g.shape == tuple(shape):
        return g
    before = g.size
    while g.ndim > len(shape):
        g = np.asarray(g.sum(axis=0))
    for ax, n in enumerate(shape):
        if n == 1 and g.shape[ax] != 1:
            g = np.asarray(g.sum(axis=ax, keepdims=True))
    _bwd(max(before - g.size, 0))  # summing an empty axis (size 0 -> zeros) costs nothing
    return g


def _exact_int(v):
    from fractions import Fraction

    return Fraction(int(v)) if isinstance(v, (int, np.integer)) else v


def _exact_entry(v) -> bool:
    """An entry of an exact-mode (object) array: a real number or a sympy expression."""
    if isinstance(v, (float, np.floating)) and not np.isfinite(v):
        return False
    return _is_real_number(v) or type(v).__module__.split(".")[0] == "sympy"


def _as_data(data, name: str = "data") -> np.ndarray:
    if isinstance(data, np.ndarray) and data.dtype == object \
            and not isinstance(data, np.ma.MaskedArray):
        bad = [v for v in data.ravel() if not _exact_entry(v)]
        if bad:
            raise ValueError(f"{name}: an exact-mode (object) array needs integers, Fractions "
                             f"or sympy expressions, found {show(bad[0])}")
        # integers become Fractions: Python's int / int and int ** -k are floats, which
        # would end the exact mode at the first division (x / 2, 1 / t, log'(3) = 1/3)
        return _map(_exact_int, data)
    a = float_array(data, name)
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} contains NaN or infinite entries")
    return a


# -- the tensor --------------------------------------------------------------------------------
class Tensor:
    """A node of the computational graph: ``data`` plus, after ``backward()``, ``grad``."""

    __array_ufunc__ = None  # ndarray (op) Tensor defers to Tensor's reflected operator

    def __init__(self, data, requires_grad: bool = False, *, _parents=(), _op: str = "leaf"):
        self.data = _as_data(data) if _op == "leaf" else data
        self._parents = tuple(_parents)
        self.requires_grad = flag(requires_grad, "requires_grad") \
            or any(p.requires_grad for p in self._parents)
        self.grad = None
        self._op = _op
        self._backward = None

    # -- basics
    @property
    def shape(self) -> tuple:
        return self.data.shape

    @property
    def size(self) -> int:
        return self.data.size

    def __repr__(self) -> str:
        return f"Tensor(shape={self.shape}, op={self._op}, requires_grad={self.requires_grad})"

    def _accumulate(self, g) -> None:
        if not self.requires_grad:
            return
        g = np.asarray(g) if self.data.dtype != object else np.asarray(g, dtype=object)
        if g.shape != self.shape:
            raise RuntimeError(f"gradient shape {g.shape} != tensor shape {self.shape} "
                               f"(op {self._op})")
        if self.grad is None:
            self.grad = g.copy()
        else:
            self.grad = self.grad + g
            _bwd(g.size)

    def _wrap(self, x) -> "Tensor":
        """A constant operand; exact (object) when this tensor is symbolic."""
        if isinstance(x, Tensor):
            return x
        if _symbolic(self.data) or (isinstance(x, np.ndarray) and x.dtype == object):
            return Tensor(np.asarray(x, dtype=object))
        return Tensor(x)

    def _node(self, data, parents, op, flops, *, matmul=False) -> "Tensor":
        _fwd(flops, matmul=matmul)
        symbolic = any(_symbolic(p.data) for p in parents)
        data = np.asarray(data, dtype=object) if symbolic else np.asarray(data, dtype=float)
        return Tensor(data, _parents=parents, _op=op)

    # -- arithmetic
    def __add__(self, other):
        other = self._wrap(other)
        out = self._node(self.data + other.data, (self, other), "add",
                         np.broadcast(self.data, other.data).size)

        def _backward():
            for t in (self, other):
                if t.requires_grad:
                    t._accumulate(_unbroadcast(out.grad, t.shape))
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = self._wrap(other)
        out = self._node(self.data * other.data, (self, other), "mul",
                         np.broadcast(self.data, other.data).size)

        def _backward():
            if self.requires_grad:
                _bwd(out.size)
                self._accumulate(_unbroadcast(out.grad * other.data, self.shape))
            if other.requires_grad:
                _bwd(out.size)
                other._accumulate(_unbroadcast(out.grad * self.data, other.shape))
        out._backward = _backward
        return out

    def __neg__(self):
        out = self._node(-self.data, (self,), "neg", self.size)

        def _backward():
            _bwd(out.size)
            self._accumulate(-out.grad)
        out._backward = _backward
        return out

    def __pow__(self, k):
        if isinstance(k, Tensor) or not _exact_entry(k):  # a finite real or sympy number
            raise ValueError("Tensor ** k needs a scalar exponent k")
        if self.data.dtype != object and k < 0 and np.any(self.data == 0):
            raise ValueError("Tensor ** k with k < 0 at a zero entry")
        out = self._node(self.data ** k, (self,), "pow", self.size)

        def _backward():
            _bwd(3 * out.size)  # k * x^(k-1) * g
            # x^0 is constant, so its slope is 0 everywhere; k x^(k-1) would give 0 * inf
            # (NaN) at x = 0
            slope = np.zeros_like(self.data) if k == 0 else k * self.data ** (k - 1)
            self._accumulate(out.grad * slope)
        out._backward = _backward
        return out

    def __sub__(self, other):
        return self + (-self._wrap(other))

    def __rsub__(self, other):
        return self._wrap(other) + (-self)

    def __truediv__(self, other):
        return self * (self._wrap(other) ** -1)

    def __rtruediv__(self, other):
        return self._wrap(other) * (self ** -1)

    __radd__ = __add__
    __rmul__ = __mul__

    def __matmul__(self, other):
        other = self._wrap(other)
        A, B = self.data, other.data
        if A.ndim == 0 or B.ndim == 0:
            raise ValueError("matmul needs operands with at least one dimension")
        A2 = A[None, :] if A.ndim == 1 else A
        B2 = B[:, None] if B.ndim == 1 else B
        if A2.shape[-1] != B2.shape[-2]:
            raise ValueError(f"matmul: shapes {A.shape} and {B.shape} do not align")
        out2 = np.matmul(A2, B2)
        m, k, n = A2.shape[-2], A2.shape[-1], B2.shape[-1]
        batch = out2.size // (m * n) if out2.size else 0
        flops = 2 * m * k * n * batch
        out = self._node(np.matmul(A, B), (self, other), "matmul", flops, matmul=True)

        def _backward():
            G2 = out.grad.reshape(out2.shape)
            if self.requires_grad:
                _bwd(flops, matmul=True)
                dA = np.matmul(G2, np.swapaxes(B2, -1, -2))
                self._accumulate(_unbroadcast(dA, A2.shape).reshape(A.shape))
            if other.requires_grad:
                _bwd(flops, matmul=True)
                dB = np.matmul(np.swapaxes(A2, -1, -2), G2)
                other._accumulate(_unbroadcast(dB, B2.shape).reshape(B.shape))
        out._backward = _backward
        return out

    def __rmatmul__(self, other):
        return self._wrap(other) @ self

    @property
    def T(self):
        out = self._node(np.swapaxes(self.data, -1, -2) if self.data.ndim >= 2 else self.data,
                         (self,), "transpose", 0)

        def _backward():
            g = out.grad
            self._accumulate(np.swapaxes(g, -1, -2) if g.ndim >= 2 else g)
        out._backward = _backward
        return out

    def sum(self, axis=None, keepdims: bool = False):
        if axis is not None:
            axis = axis_index(axis, self.data.ndim)
        keepdims = flag(keepdims, "keepdims")
        out = self._node(np.sum(self.data, axis=axis, keepdims=keepdims), (self,), "sum",
                         self.size)

        def _backward():
            g = out.grad
            if axis is not None and not keepdims:
                g = np.expand_dims(g, axis)
            self._accumulate(np.broadcast_to(g, self.shape).copy())
        out._backward = _backward
        return out

    # -- element-wise functions
    def _unary(self, data, op, local):
        """Build f(self); ``local()`` returns f'(self) (computed in the backward pass)."""
        out = self._node(data, (self,), op, self.size)

        def _backward():
            _bwd(2 * out.size)  # forming f'(x) and multiplying by the incoming gradient
            self._accumulate(out.grad * local(out))
        out._backward = _backward
        return out

    def exp(self):
        return self._unary(_exp(self.data), "exp", lambda out: out.data)

    def log(self):
        if self.data.dtype != object and np.any(self.data <= 0):
            raise ValueError("log of a non-positive entry")
        return self._unary(_log(self.data), "log", lambda out: 1 / self.data)

    def tanh(self):
        return self._unary(_tanh(self.data), "tanh", lambda out: 1 - out.data ** 2)

    def sigmoid(self):
        return self._unary(_sigmoid(self.data), "sigmoid",
                           lambda out: out.data * (1 - out.data))

    def log_sigmoid(self):
        # d/dx log sigma(x) = 1 - sigma(x) = sigma(-x)
        return self._unary(_log_sigmoid(self.data), "log_sigmoid",
                           lambda out: _sigmoid(-self.data))

    def relu(self):
        return self._unary(_positive_part(self.data), "relu", lambda out: _step(self.data))

    def abs(self):
        return self._unary(_positive_part(self.data) + _positive_part(-self.data), "abs",
                           lambda out: _sign(self.data))

    # -- derived ops (primitives only)
    def mean(self, axis=None):
        if axis is not None:
            axis = axis_index(axis, self.data.ndim)
        n = self.size if axis is None else self.shape[axis]
        return self.sum(axis=axis) * (1.0 / n if self.data.dtype != object else _frac(1, n))

    def log_softmax(self, axis: int = -1):
        # the shift m is a constant (no gradient): logsumexp(x) = m + log sum exp(x - m)
        m = Tensor(np.max(self.data, axis=axis, keepdims=True)) \
            if self.data.dtype != object else 0
        s = self - m
        return s - s.exp().sum(axis=axis, keepdims=True).log()

    def softmax(self, axis: int = -1):
        return self.log_softmax(axis).exp()

    # -- reverse sweep
    def _topological_order(self) -> list["Tensor"]:
        """Nodes that need a gradient, every node after all of its parents."""
        order, seen = [], set()
        stack = [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in node._parents
                         if p.requires_grad and id(p) not in seen)
        return order

    def backward(self, grad=None) -> None:
        """Gradients of this tensor (seeded with ``grad``, default 1 for a scalar) w.r.t.
        every tensor it depends on that requires a gradient."""
        if not self.requires_grad:
            raise ValueError("backward(): this tensor does not depend on any tensor that "
                             "requires a gradient")
        if grad is None:
            if self.size != 1:
                raise ValueError("backward(): grad must be given for a non-scalar output")
            grad = np.ones_like(self.data)
        grad = np.asarray(grad, dtype=object) if _symbolic(self.data) \
            else float_array(grad, "grad")
        if grad.shape != self.shape:
            raise ValueError(f"backward(): grad shape {grad.shape} != output shape {self.shape}")
        order = self._topological_order()
        for node in order:
            if node._op != "leaf":
                node.grad = None
        self.grad = grad.copy()
        for node in reversed(order):
            if node._backward is not None and node.grad is not None:
                for c in _ACTIVE:
                    c.backward_calls += 1
                node._backward()


def _frac(a: int, b: int):
    from fractions import Fraction

    return Fraction(a, b)


# -- the article's MLPs --------------------------------------------------------------------
def _activation_names(activation) -> tuple[str, str]:
    if isinstance(activation, str):
        hidden = output = activation
    elif isinstance(activation, (tuple, list)) and len(activation) == 2:
        hidden, output = activation
    else:
        raise ValueError("activation must be a name or a (hidden, output) pair of names")
    for a in (hidden, output):
        if not isinstance(a, str) or a not in ACTIVATIONS:
            raise ValueError(f"activation {a!r} not in {ACTIVATIONS}")
    return hidden, output


def _apply(name: str, z: Tensor) -> Tensor:
    return z if name == "identity" else getattr(z, name)()


def _validate_mlp(weights, biases, x, y, activation, loss):
    if not isinstance(loss, str) or loss not in LOSSES:
        raise ValueError(f"loss {loss!r} not in {LOSSES}")
    hidden, output = _activation_names(activation)
    if not isinstance(weights, (list, tuple)) or not isinstance(biases, (list, tuple)):
        raise ValueError("weights and biases must be lists of arrays (one per layer)")
    if len(weights) == 0 or len(weights) != len(biases):
        raise ValueError(f"need one bias per weight matrix and at least one layer, got "
                         f"{len(weights)} weights and {len(biases)} biases")
    check_cap(len(weights), MAX_LAYERS, "len(weights)", "the depth cap: the graph and the "
              "backward pass grow with every layer", "weights")
    Ws, bs = [], []
    for l, (W, b) in enumerate(zip(weights, biases), start=1):
        W, b = _as_data(W, f"weights[{l - 1}]"), _as_data(b, f"biases[{l - 1}]")
        if W.ndim != 2:
            raise ValueError(f"weights[{l - 1}] must be 2-D (out x in), got shape {W.shape}")
        if b.shape != (W.shape[0],):
            raise ValueError(f"biases[{l - 1}] must have shape ({W.shape[0]},) to match "
                             f"weights[{l - 1}], got {b.shape}")
        if Ws and W.shape[1] != Ws[-1].shape[0]:
            raise ValueError(f"weights[{l - 1}] takes {W.shape[1]} inputs but layer {l - 1} "
                             f"has {Ws[-1].shape[0]} outputs")
        Ws.append(W)
        bs.append(b)
    x, y = _as_data(x, "x"), _as_data(y, "y")
    if x.ndim != 2 or x.shape[1] != Ws[0].shape[1] or x.shape[0] == 0:
        raise ValueError(f"x must have shape (N, {Ws[0].shape[1]}) with N >= 1, got {x.shape}")
    if y.shape != (x.shape[0], Ws[-1].shape[0]):
        raise ValueError(f"y must have shape {(x.shape[0], Ws[-1].shape[0])}, got {y.shape}")
    if loss in ("bce", "bce_with_logits") and (np.any(y < 0) or np.any(y > 1)):
        raise ValueError(f"loss {loss!r} needs targets y in [0, 1]")
    if loss == "hinge" and not np.all(np.abs(y) == 1):
        raise ValueError("loss 'hinge' needs targets y in {-1, +1}")
    if loss == "cross_entropy_with_logits" and (
            np.any(y < 0) or not np.allclose(y.sum(axis=1), 1.0, rtol=0, atol=1e-9)):
        raise ValueError("loss 'cross_entropy_with_logits' needs target rows that are "
                         "distributions (one-hot)")
    return Ws, bs, x, y, hidden, output


def _mlp_loss(Ws, bs, x, y, hidden, output, loss):
    params_W = [Tensor(W, requires_grad=True) for W in Ws]
    params_b = [Tensor(b, requires_grad=True) for b in bs]
    a = Tensor(x)
    L = len(Ws)
    for l, (W, b) in enumerate(zip(params_W, params_b), start=1):
        a = _apply(output if l == L else hidden, a @ W.T + b)  # a_l = sigma(W_l a_{l-1} + b_l)
    t = Tensor(y)
    if loss == "mse":
        value = ((a - t) ** 2).mean()
    elif loss == "mae":
        value = (a - t).abs().mean()
    elif loss == "bce":
        if np.any(a.data <= 0) or np.any(a.data >= 1):
            raise ValueError("loss 'bce' needs network outputs strictly inside (0, 1), and these "
                             "weights, biases and x give an output of 0 or 1: use a "
                             "sigmoid output activation (or 'bce_with_logits')")
        value = -(t * a.log() + (1 - t) * (1 - a).log()).mean()
    elif loss == "bce_with_logits":
        value = -(t * a.log_sigmoid() + (1 - t) * (-a).log_sigmoid()).mean()
    elif loss == "cross_entropy_with_logits":
        value = -(t * a.log_softmax(axis=-1)).sum(axis=-1).mean()
    else:  # hinge
        value = (1 - t * a).relu().mean()
    return value, params_W, params_b


def mlp_gradients(weights, biases, x, y, activation, loss):
    """(L, [dL/dW_l], [dL/db_l]) for the MLP a_0 = x, a_l = sigma_l(W_l a_{l-1} + b_l).

    weights[l]: (n_{l+1}, n_l) (article §2.1: W_l maps n_{l-1} to n_l), biases[l]:
    (n_{l+1},); x: (N, n_0), one sample per row; y: (N, n_L). ``activation`` is a name in
    ``ACTIVATIONS`` applied after every layer (article §2.1), or a pair (hidden, output).
    ``loss`` in ``LOSSES``, each a mean as in :mod:`implementations.losses`: "mse", "mae"
    (entries), "bce" (outputs are probabilities in (0, 1)), "bce_with_logits" (outputs are
    logits), "cross_entropy_with_logits" (rows of logits, one-hot rows of y; mean over
    samples), "hinge" (y in {-1, +1}).
    """
    Ws, bs, x, y, hidden, output = _validate_mlp(weights, biases, x, y, activation, loss)
    value, pW, pb = _mlp_loss(Ws, bs, x, y, hidden, output, loss)
    value.backward()
    try:
        loss_value = float(value.data)
    except OverflowError:  # an exact-mode loss beyond the float64 range
        raise ValueError("weights, biases, x and y: the loss exceeds the float64 range") from None
    return loss_value, [p.grad for p in pW], [p.grad for p in pb]


def mlp_flop_counts(weights, biases, x, y, activation, loss) -> dict[str, int]:
    """FLOPs of one forward pass (to the loss) and one backward pass of ``mlp_gradients``.

    Keys: ``forward_flops``, ``backward_flops`` (all ops, in the module's FLOP model),
    ``forward_matmul_flops``, ``backward_matmul_flops`` (matmuls only, 2 m k n each),
    ``forward_nodes`` (operation nodes recorded), ``backward_calls`` (local VJPs run).
    """
    Ws, bs, x, y, hidden, output = _validate_mlp(weights, biases, x, y, activation, loss)
    with count_ops() as fwd:
        value, _, _ = _mlp_loss(Ws, bs, x, y, hidden, output, loss)
    with count_ops() as bwd:
        value.backward()
    return {"forward_flops": fwd.forward_flops, "backward_flops": bwd.backward_flops,
            "forward_matmul_flops": fwd.forward_matmul_flops,
            "backward_matmul_flops": bwd.backward_matmul_flops,
            "forward_nodes": fwd.forward_nodes, "backward_calls": bwd.backward_calls}


# Float64 overflow inside these is a ValueError naming their arguments
# (_validate.refuse_overflow). Wrapped here, not decorated: mutmut skips decorated functions.
mlp_gradients = refuse_overflow(mlp_gradients, "weights", "biases", "x", "y", "activation",
                                "loss")
mlp_flop_counts = refuse_overflow(mlp_flop_counts, "weights", "biases", "x", "y",
                                  "activation", "loss")
