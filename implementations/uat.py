"""The constructive universal approximation of article §2.3: steps -> bumps -> networks.

A one-hidden-layer sigmoid network is ``g(x) = sum_i coef_i sigmoid(weight_i . x + bias_i)``
(:class:`SigmoidNetwork`; no output bias, as in the article's g). The construction:

1. **Plan** (:func:`uat_plan_1d`). Cut [a, b] into N cells of width h, edges
   c_k = a + k h, nodes x_k = a + (k - 1/2) h (cell centres). The width N is chosen from
   f's modulus of continuity omega and eps: the smallest N with
   omega(SPREAD * h / 2) <= eps / 2 (omega(t) = L t for an L-Lipschitz f, so
   N = ceil(SPREAD * L (b - a) / eps)). The steepness is alpha = STEEPNESS / h.
2. **Bumps.** Bump k is the sigmoid difference
   B_k(x) = sigmoid(alpha (x - c_{k-1})) - sigmoid(alpha (x - c_k)), with the outer
   edges at -inf and +inf (B_1 = 1 - sigmoid(alpha (x - c_1)), B_N = sigmoid(alpha (x -
   c_{N-1}))). The B_k are positive and sum to 1 exactly (a telescoping sum).
3. **Network** (:func:`uat_network_1d`). g = sum_k f(x_k) B_k, regrouped by summation by
   parts into N neurons: a constant neuron 2 f(x_1) sigmoid(0 x + 0) and, for k = 1..N-1,
   the step (f(x_{k+1}) - f(x_k)) sigmoid(alpha x - alpha c_k).

Why it works: g(x) - f(x) = sum_k (f(x_k) - f(x)) B_k(x), a convex combination, so
|g(x) - f(x)| <= omega(sum_k B_k(x) |x_k - x|) for concave omega; with alpha h = 8 the
weighted distance sum_k B_k |x_k - x| stays below SPREAD h / 2 (SPREAD = 1.05; the
sup over x is about 1.0013 h / 2, attained at the cell edges). The checks do not rely on
this argument: they certify sup |g - f| over the whole interval.

Beyond one input (:func:`uat_network_ridges`): f on a box in R^n given as a sum of ridge
functions f(x) = sum_j phi_j(d_j . x) (every polynomial and trigonometric polynomial is
one); each phi_j is approximated on the projected interval to eps / J by the 1-D
construction, and a 1-D neuron sigmoid(alpha t + beta) becomes sigmoid(alpha d_j . x +
beta). The result is again one hidden layer, the form of the article's theorem.

``sigmoid_bump(z, c, delta, steepness)`` is the article's difference
sigmoid(alpha (z - c)) - sigmoid(alpha (z - c - delta)).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ._validate import float_array, positive, real_scalar, refuse_overflow, show
from .activations import _sig, sigmoid

__protocol__ = ["sigmoid_bump", "uat_plan_1d", "uat_network_1d", "uat_network_ridges"]

#: a valid call of every protocol name (the bad-input fuzzer varies one argument at a time)
__examples__ = {
    "sigmoid_bump": [dict(z=np.array([0.5, -1.5, 0.0]), c=0.0, delta=1.0, steepness=10.0)],
    "uat_plan_1d": [dict(a=0.0, b=1.0, eps=0.5, lipschitz=1.0),
                    dict(a=0.0, b=1.0, eps=0.5, modulus=lambda t: 2.0 * t)],
    "uat_network_1d": [dict(f=np.sin, a=0.0, b=1.0, eps=0.5, lipschitz=1.0)],
    "uat_network_ridges": [dict(ridges=[(np.array([1.0, 0.5]), np.sin, 1.0)],
                                lo=np.zeros(2), hi=np.ones(2), eps=0.5)],
}

STEEPNESS = 8.0  # alpha h: bump tails decay like e^-8 per cell
SPREAD = 1.05  # design bound on sum_k B_k |x_k - x| / (h / 2) at alpha h = 8 (sup ~ 1.0013)
MAX_WIDTH = 2_000_000  # cap on hidden neurons: an absurd eps is an error, not a hang


@dataclass(frozen=True)
class SigmoidNetwork:
    """g(x) = sum_i coef[i] sigmoid(weight[i] . x + bias[i]); weight has shape (h, n)."""

    coef: np.ndarray
    weight: np.ndarray
    bias: np.ndarray

    @property
    def width(self) -> int:
        """Number of hidden neurons h."""
        return int(self.coef.shape[0])

    def __call__(self, x) -> np.ndarray:
        """g at each row of x (shape (N, n)); for n = 1 a 1-D x of N points is accepted."""
        X = float_array(x, "x")
        if X.ndim == 1 and self.weight.shape[1] == 1:
            X = X[:, None]
        if X.ndim != 2 or X.shape[1] != self.weight.shape[1]:
            raise ValueError(f"x must have shape (N, {self.weight.shape[1]}), got {X.shape}")
        if not np.all(np.isfinite(X)):
            raise ValueError("x contains NaN or infinite entries")
        out = np.zeros(X.shape[0])
        for start in range(0, self.width, 4096):  # bounded memory: chunks of neurons
            sl = slice(start, start + 4096)
            out += _sig(X @ self.weight[sl].T + self.bias[sl]) @ self.coef[sl]
        return out


@dataclass(frozen=True)
class UATPlan:
    """Cells of the 1-D construction: ``edges`` c_0 = a < ... < c_N = b, ``nodes`` the
    cell centres, ``h`` the cell width and ``steepness`` alpha = STEEPNESS / h."""

    a: float
    b: float
    eps: float
    h: float
    steepness: float
    nodes: np.ndarray
    edges: np.ndarray

    @property
    def width(self) -> int:
        """Hidden width N of the network built on this plan (one neuron per cell)."""
        return int(self.nodes.shape[0])


def sigmoid_bump(z, c, delta, steepness) -> np.ndarray:
    """sigmoid(alpha (z - c)) - sigmoid(alpha (z - c - delta)): a smooth pulse on [c, c + delta]."""
    c = real_scalar(c, "c")
    delta = positive(delta, "delta")
    alpha = positive(steepness, "steepness")
    s = float_array(z, "z")
    if not np.all(np.isfinite(s)):
        raise ValueError("z contains NaN or infinite entries")
    return sigmoid(alpha * (s - c)) - sigmoid(alpha * (s - c - delta))


def _interval(a, b, where: str) -> tuple[float, float]:
    a, b = real_scalar(a, "a"), real_scalar(b, "b")
    # the steepness STEEPNESS / h must stay finite for every width: b - a a normal float
    if not (a < b and math.isfinite(b - a) and b - a >= 1e-300):
        raise ValueError(f"need a < b with b - a a finite float >= 1e-300 on {where}, got "
                         f"a={a!r}, b={b!r}")
    return a, b


def _cell_width(length: float, eps: float, lipschitz, modulus, *,
                lip_name: str = "lipschitz", where: str = "[a, b]") -> int:
    """Smallest N with omega(SPREAD h / 2) <= eps / 2 for h = length / N."""
    if (lipschitz is None) == (modulus is None):
        raise ValueError("give exactly one of lipschitz (a number) or modulus (a callable)")
    if lipschitz is not None:
        L = real_scalar(lipschitz, lip_name, what="a finite number >= 0")
        if L < 0:
            raise ValueError(f"{lip_name} must be a finite number >= 0, got {show(lipschitz)}")
        need = SPREAD * L * length / eps
        if need > MAX_WIDTH:
            raise ValueError(f"eps={eps} with {lip_name}={L} on {where} of length {length:.6g} "
                             f"needs {need:.3g} neurons (cap {MAX_WIDTH}: it bounds memory "
                             "and time)")
        return max(1, math.ceil(need))
    if not callable(modulus):
        raise ValueError("modulus must be a callable t -> omega(t)")

    def ok(n: int) -> bool:
        w = float_array(modulus(SPREAD * length / n / 2), "modulus(t)")
        if w.ndim != 0:
            raise ValueError(f"modulus(t) must return one number, got shape {w.shape}")
        w = float(w)
        if not math.isfinite(w) or w < 0:
            raise ValueError(f"modulus returned {w!r} for a cell of [a, b]; it must be finite "
                             "and >= 0")
        return w <= eps / 2

    if ok(1):
        return 1
    lo, hi = 1, 2  # invariant: ok(lo) fails
    while not ok(hi):  # doubling, capped: omega must tend to 0 at 0
        if hi >= MAX_WIDTH:
            raise ValueError(f"modulus stays above eps/2 = {eps / 2} on {where} up to "
                             f"{MAX_WIDTH} cells")
        # the last step lands on the cap itself, so every width up to MAX_WIDTH is reachable
        lo, hi = hi, min(2 * hi, MAX_WIDTH)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if ok(mid) else (mid, hi)
    return hi


def uat_plan_1d(a, b, eps, *, lipschitz=None, modulus=None) -> UATPlan:
    """Cells, nodes and steepness for approximating f on [a, b] to eps (see module doc)."""
    return _plan(a, b, eps, lipschitz, modulus)


def _plan(a, b, eps, lipschitz, modulus, *, where: str = "[a, b]",
          lip_name: str = "lipschitz", eps_name: str = "eps") -> UATPlan:
    a, b = _interval(a, b, where)
    eps = positive(eps, eps_name)
    n = _cell_width(b - a, eps, lipschitz, modulus, lip_name=lip_name, where=where)
    h = (b - a) / n
    edges = a + h * np.arange(n + 1)
    edges[-1] = b
    return UATPlan(a=a, b=b, eps=eps, h=h, steepness=STEEPNESS / h,
                   nodes=a + h * (np.arange(n) + 0.5), edges=edges)


def _values(f: Callable, x: np.ndarray, name: str = "f") -> np.ndarray:
    if not callable(f):
        raise ValueError(f"{name} must be a callable on numpy arrays")
    y = float_array(f(x), f"{name}(x)")
    if y.shape != x.shape:
        raise ValueError(f"{name} must map an array of shape {x.shape} to the same shape, "
                         f"got {y.shape}")
    if not np.all(np.isfinite(y)):
        raise ValueError(f"{name} returned NaN or infinite values on [a, b]")
    return y


def uat_network_1d(f, a, b, eps, *, lipschitz=None, modulus=None) -> SigmoidNetwork:
    """One-hidden-layer sigmoid network g with sup_[a,b] |g - f| < eps (the construction)."""
    if not callable(f):
        raise ValueError("f must be a callable on numpy arrays")
    return _network(f, _plan(a, b, eps, lipschitz, modulus))


def _network(f, plan: UATPlan, name: str = "f") -> SigmoidNetwork:
    y = _values(f, plan.nodes, name)
    alpha = plan.steepness
    inner = plan.edges[1:-1]
    coef = np.concatenate([[2.0 * y[0]], np.diff(y)])  # 2 f(x_1) sigmoid(0) = f(x_1)
    weight = np.concatenate([[0.0], np.full(inner.shape, alpha)])
    bias = np.concatenate([[0.0], -alpha * inner])
    return SigmoidNetwork(coef=coef, weight=weight[:, None], bias=bias)


def uat_network_ridges(ridges: Sequence, lo, hi, eps) -> SigmoidNetwork:
    """g on the box [lo, hi] in R^n with sup |g - f| < eps for f(x) = sum_j phi_j(d_j . x).

    ``ridges`` is a sequence of ``(d_j, phi_j, L_j)``: a non-zero direction in R^n, a
    vectorised profile phi_j: R -> R, and a Lipschitz constant of phi_j on the interval
    {d_j . x : x in the box}. Each profile gets eps / J (J = number of ridges)."""
    lo = float_array(lo, "lo")
    hi = float_array(hi, "hi")
    if lo.ndim != 1 or lo.shape != hi.shape or lo.size == 0:
        raise ValueError(f"lo and hi must be 1-D of equal length, got {lo.shape}, {hi.shape}")
    if not (np.all(np.isfinite(lo)) and np.all(np.isfinite(hi)) and np.all(lo < hi)):
        raise ValueError("the box needs finite lo < hi in every coordinate")
    eps = positive(eps, "eps")
    if isinstance(ridges, np.ndarray) or not isinstance(ridges, Sequence) or not ridges:
        raise ValueError("ridges must be a non-empty sequence of (direction, profile, L)")
    if len(ridges) > MAX_WIDTH:
        raise ValueError(f"ridges: {len(ridges)} ridges exceed the width cap {MAX_WIDTH}")
    parts, plans, width = [], [], 0
    for j, ridge in enumerate(ridges):
        try:
            d, phi, L = ridge
        except (TypeError, ValueError):
            raise ValueError(f"ridges[{j}] must be a triple (direction, profile, L)") from None
        d = float_array(d, f"ridges[{j}]: direction")
        if d.shape != lo.shape or not np.all(np.isfinite(d)) or not np.any(d):
            raise ValueError(f"ridges[{j}]: direction must be a finite non-zero vector of "
                             f"length {lo.size}")
        if not callable(phi):
            raise ValueError(f"ridges[{j}]: the profile must be a callable on numpy arrays")
        t_lo = float(np.sum(np.minimum(d * lo, d * hi)))
        t_hi = float(np.sum(np.maximum(d * lo, d * hi)))
        L = real_scalar(L, f"ridges[{j}]: L", what="a finite number >= 0")
        plans.append((d, phi, _plan(t_lo, t_hi, eps / len(ridges), L, None,
                                    where=f"the box [lo, hi] projected on ridges[{j}]",
                                    lip_name=f"ridges[{j}]: L", eps_name="eps / len(ridges)")))
        width += plans[-1][2].width
        if width > MAX_WIDTH:
            raise ValueError(f"ridges and eps: the ridges need more than {MAX_WIDTH} neurons "
                             "in all (the cap on the width: it bounds memory and time)")
    for j, (d, phi, plan) in enumerate(plans):
        net = _network(phi, plan, f"ridges[{j}]: the profile")
        parts.append(SigmoidNetwork(coef=net.coef, weight=net.weight * d[None, :],
                                    bias=net.bias))
    return SigmoidNetwork(coef=np.concatenate([p.coef for p in parts]),
                          weight=np.concatenate([p.weight for p in parts]),
                          bias=np.concatenate([p.bias for p in parts]))


# Float64 overflow inside these is a ValueError naming their arguments
# (_validate.refuse_overflow). Wrapped here, not decorated: mutmut skips decorated functions.
sigmoid_bump = refuse_overflow(sigmoid_bump, "z", "c", "delta", "steepness")
uat_plan_1d = refuse_overflow(uat_plan_1d, "a", "b", "eps", "lipschitz", "modulus")
uat_network_1d = refuse_overflow(uat_network_1d, "f", "a", "b", "eps", "lipschitz", "modulus")
uat_network_ridges = refuse_overflow(uat_network_ridges, "ridges", "lo", "hi", "eps")
