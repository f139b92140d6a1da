"""Census of threshold (linearly separable) Boolean functions past enumeration (§1.3).

Enumerating all 2^(2^n) functions stops at n = 4 (:mod:`implementations.boolean_census`).
Here the census enumerates *candidates* instead:

**Restriction lemma.** If f(x_1, x') = [w_1 x_1 + w'.x' + b >= 0] is a threshold function
of n inputs, its restrictions f0 = f(0, .) = [w'.x' + b >= 0] and f1 = f(1, .) =
[w'.x' + b + w_1 >= 0] are threshold functions of n - 1 inputs, and f0 <= f1 pointwise
if w_1 >= 0, f1 <= f0 if w_1 < 0 (the score moves by the same w_1 at every x').

So every threshold function of n inputs is among the candidates: comparable pairs
(f0, f1) of threshold functions of n - 1 inputs, coded as ``f0 | f1 << 2^(n-1)`` (bit k
of a code is f(p_k), p_k the k-th point of {0,1}^n in lexicographic order, x_1 most
significant, so the first half of the table is x_1 = 0). Each candidate is decided with a
certificate: integer (w, b) with y_k (w . p_k + b) > 0, or an integer Farkas vector
lambda >= 0, lambda != 0, sum_k lambda_k y_k (p_k, 1) = 0. The separable candidates are
the next level, starting from the two constants of n = 0 inputs.

**Symmetry.** Separability is invariant under permuting inputs, negating inputs and
negating the output (2^n n! 2 elements). A class is an orbit intersected with the
candidates (an orbit can leave the candidate set: the lemma holds for every input, but
candidates are built along x_1 only). Scanning the sorted candidates, the first one met
in a class is its smallest code, a canonical form, and one LP decides it
(:func:`_decide`: HiGHS proposes a certificate, integer arithmetic confirms it, and the
exact simplex :func:`implementations.separability.separate` decides whenever a
confirmation fails). The certificate is transported to every member of the class: a
hyperplane transforms with the affine map, a Farkas vector is permuted with the points.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from math import gcd, lcm

import numpy as np

from ._validate import positive_int
from .boolean_census import _group, boolean_points
from .separability import Inseparable, Separable, separate

__protocol__ = ["threshold_census"]
#: a valid call of every protocol name (the bad-input fuzzer varies one argument at a time)
__examples__ = {"threshold_census": [dict(n=3)]}

# n = 6 has 418,889,254 candidates: 3.1 GiB of codes and ~25 GiB of certificates even at
# one byte per Farkas entry (docs/census.md), so it is refused;
# implementations.threshold_classes counts n = 6 class by class instead
MAX_N = 5


@dataclass
class CensusLevel:
    """Every candidate of n inputs with its certificate.

    ``codes`` (uint64, sorted) are the candidates; ``separable[i]`` the verdict;
    ``weights[i]`` integer (w_1..w_n, b) for separable candidates (zero rows otherwise);
    ``lam[i]`` an integer Farkas vector over the 2^n points for the others (zero rows
    otherwise).
    """

    n: int
    codes: np.ndarray
    separable: np.ndarray
    weights: np.ndarray
    lam: np.ndarray
    classes: int
    lps_solved: int
    seconds: float

    @property
    def count(self) -> int:
        return int(self.separable.sum())

    @property
    def threshold_codes(self) -> np.ndarray:
        return self.codes[self.separable]


@dataclass
class ThresholdCensus:
    """Levels 1..n; ``levels[-1]`` is n. ``count`` is the number of threshold functions."""

    n: int
    levels: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.levels[-1].count


def _pack(bits: np.ndarray) -> np.ndarray:
    """Rows of 0/1 (..., K) with K <= 64 -> uint64 codes, bit k = bits[..., k]."""
    packed = np.packbits(bits.astype(np.uint8), axis=-1, bitorder="little")
    pad = np.zeros(bits.shape[:-1] + (8 - packed.shape[-1],), dtype=np.uint8)
    return np.concatenate([packed, pad], axis=-1).view("<u8")[..., 0]


def comparable_pairs(prev: np.ndarray, half: int) -> np.ndarray:
    """Sorted codes f0 | f1 << half over pairs of ``prev`` with f0 <= f1 or f1 <= f0."""
    prev = np.asarray(prev, dtype=np.uint64)
    full = np.uint64((1 << half) - 1) if half < 64 else np.uint64(2**64 - 1)
    out = []
    step = max(1, 2**24 // max(1, prev.size))  # about 16M pair tests per chunk
    for i in range(0, prev.size, step):
        a = prev[i:i + step, None]
        b = prev[None, :]
        ok = ((a & (~b & full)) == 0) | ((b & (~a & full)) == 0)
        ia, ib = np.nonzero(ok)
        out.append(prev[i + ia] | (prev[ib] << np.uint64(half)))
    codes = np.concatenate(out) if out else np.zeros(0, dtype=np.uint64)
    return np.sort(codes)


def _decide(P: np.ndarray, y: np.ndarray) -> Separable | Inseparable:
    """Decide one labelled cube exactly; a float LP only proposes the certificate.

    Separable: HiGHS finds (w, b) with y_k (w . p_k + b) >= 1 up to rounding; scaled by
    d = n + 1 and rounded, each score moves by at most (n + 1)/2 < d, so the rounded
    vector keeps margin > 0 - confirmed here in integer arithmetic. Inseparable: HiGHS
    finds lambda >= 0, sum lambda = 1, sum lambda_k y_k (p_k, 1) = 0; its entries are
    read as fractions with small denominators, scaled to integers and confirmed exactly.
    If a confirmation fails, the exact simplex (:func:`separate`) decides instead.
    """
    from scipy.optimize import linprog

    K, n = P.shape
    Xt = np.hstack([P, np.ones((K, 1), dtype=np.int64)])
    A = y[:, None] * Xt
    res = linprog(np.zeros(n + 1), A_ub=-A.astype(float), b_ub=-np.ones(K),
                  bounds=[(None, None)] * (n + 1), method="highs")
    if res.status == 0:
        cand = np.rint(res.x * (n + 1)).astype(np.int64)
        if np.all(A @ cand > 0):  # int64 exact: entries far below 2^63
            g = int(np.gcd.reduce(np.abs(cand))) or 1
            return Separable(w=tuple(int(v) // g for v in cand[:n]), b=int(cand[n]) // g)
    elif res.status == 2:
        eq = np.vstack([A.T, np.ones((1, K), dtype=np.int64)]).astype(float)
        rhs = np.zeros(n + 2)
        rhs[-1] = 1.0
        far = linprog(np.zeros(K), A_eq=eq, b_eq=rhs, bounds=[(0, None)] * K, method="highs")
        if far.status == 0:
            fr = [Fraction(float(v)).limit_denominator(10_000) for v in far.x]
            den = lcm(*[f.denominator for f in fr])
            lam = [int(f * den) for f in fr]
            combo = [sum(l * int(a[j]) for l, a in zip(lam, A)) for j in range(n + 1)]
            if min(lam) >= 0 and max(lam) > 0 and not any(combo):
                g = gcd(*lam)
                return Inseparable(tuple(v // g for v in lam))
    return separate(P, y)


def _level(n: int, prev: np.ndarray, pairs=None) -> CensusLevel:
    t0 = time.perf_counter()
    K = 1 << n
    codes = (pairs or comparable_pairs)(prev, K // 2)
    M = codes.size
    P = boolean_points(n)
    group = _group(n, P)
    gidx = np.stack([g[0] for g in group])
    perms = np.stack([g[1] for g in group])
    flips = np.stack([g[2] for g in group])
    G = len(group)
    shifts = np.arange(K, dtype=np.uint64)
    separable = np.zeros(M, dtype=bool)
    weights = np.zeros((M, n + 1), dtype=np.int64)
    lam = np.zeros((M, K), dtype=np.int64)
    known = np.zeros(M, dtype=bool)
    classes = i = 0
    while M:
        i += int(np.argmin(known[i:]))  # the first candidate not yet decided
        if known[i]:
            break
        classes += 1
        h = ((codes[i] >> shifts) & np.uint64(1)).astype(np.int64)
        cert = _decide(P, 2 * h - 1)
        for s in (1, -1):  # output negation
            hb = h if s == 1 else 1 - h
            member = _pack(hb[gidx])                       # f(p_k) = hb(g(p_k))
            pos = np.minimum(np.searchsorted(codes, member), M - 1)
            hit = codes[pos] == member
            rows = pos[hit]
            if isinstance(cert, Separable):
                wh = np.array(cert.w, dtype=np.int64)
                signed = np.where(flips == 1, -wh, wh)
                wf = np.zeros((G, n), dtype=np.int64)
                np.put_along_axis(wf, perms, s * signed, axis=1)
                bf = s * (int(cert.b) + (flips * wh).sum(axis=1))
                weights[rows, :n] = wf[hit]
                weights[rows, n] = bf[hit]
                separable[rows] = True
            else:
                lam[rows] = np.array(cert.lam, dtype=np.int64)[gidx[hit]]
            known[rows] = True
    return CensusLevel(n=n, codes=codes, separable=separable, weights=weights, lam=lam,
                       classes=classes, lps_solved=classes,
                       seconds=time.perf_counter() - t0)


def threshold_census(n: int) -> ThresholdCensus:
    """Certified census of threshold functions of 1..n inputs (n <= 5) via restrictions."""
    n = positive_int(n, "n", cap=MAX_N, reason="n = 6 would store 418,889,254 candidates "
                     "(use threshold_census_by_classes)")
    out = ThresholdCensus(n=n)
    prev = np.array([0, 1], dtype=np.uint64)  # n = 0: the constants false and true
    for m in range(1, n + 1):
        level = _level(m, prev)
        out.levels.append(level)
        prev = level.threshold_codes
    return out
