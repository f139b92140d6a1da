"""Threshold functions of n inputs counted class by class of their restriction (§1.3).

The candidate census (:mod:`implementations.threshold_census`) stores every comparable
pair; at n = 6 they number 418,889,254. Here only pairs whose first half is a class
representative are decided:

Let H be the group of permutations and negations of x_2..x_n together with output
negation; it acts on functions of x_2..x_n and, half by half, on functions of n inputs:
g(f0, f1) = (g f0, g f1). It maps comparable pairs to comparable pairs and separable
functions to separable functions (an affine bijection of the cube, or a sign flip, moves a
hyperplane to a hyperplane). Hence N(a) = #{b : (a, b) comparable and separable} is
constant on each H-orbit of threshold functions a of n - 1 inputs, and

    #threshold functions of n inputs = sum over representatives r of |orbit(r)| N(r).

So the pairs (r, b), r a representative, b any comparable threshold function, are
decided one by one with a certificate each (497,843 pairs for n = 6 instead of
418,889,254):

* a Farkas vector of 2-asummability, found on the truth tables: points x, x^D with
  f = 1 and u, u^D with f = 0, where ^D complements the coordinates in D and x, u agree
  off D; then x + x^D = u + u^D and lambda = 1 on those four points;
* integer weights shared with the representative: if b is a level set of r's score
  w . x', then f = [2 w . x' + c_r + x_1 (c_b - c_r) > 0];
* otherwise :func:`implementations.threshold_census._decide` (a float LP proposes, integer
  arithmetic confirms, the exact simplex as fallback).
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .boolean_census import _group, boolean_points
from .threshold_census import _decide, _pack, Separable, threshold_census

__protocol__ = ["threshold_census_by_classes"]


@dataclass
class ClassPairCensus:
    """Pairs (r, b) with r a class representative of the threshold functions of n - 1
    inputs (under H), each with its certificate; ``count`` weighs them by class size."""

    n: int
    reps: np.ndarray         # uint64 (R,)
    class_sizes: np.ndarray  # int64 (R,)
    codes: np.ndarray        # uint64 (C,) r + 2^(2^(n-1)) b
    rep_of: np.ndarray       # int64 (C,) index into reps
    separable: np.ndarray    # bool (C,)
    weights: np.ndarray      # int64 (C, n+1)
    lam: np.ndarray          # int32 (C, 2^n)
    lps_solved: int
    seconds: float

    @property
    def count(self) -> int:
        return int(self.class_sizes[self.rep_of[self.separable]].sum())


def _xor_index(t: np.ndarray, m: int, n: int) -> np.ndarray:
    """Truth tables t'(k) = t(k ^ m) for uint64 tables over 2^n points."""
    K = 1 << n
    out = t
    for j in range(n):
        if not (m >> j) & 1:
            continue
        s = 1 << j
        low = sum(1 << k for k in range(K) if not (k >> j) & 1)  # positions with bit j = 0
        M = np.uint64(low)
        out = ((out >> np.uint64(s)) & M) | ((out & M) << np.uint64(s))
    return out


def _lowbit_index(v: np.ndarray) -> np.ndarray:
    low = v & (~v + np.uint64(1))
    return np.round(np.log2(low.astype(np.float64))).astype(np.int64)


def _asummable(codes: np.ndarray, n: int, lam: np.ndarray) -> np.ndarray:
    """Fill lam for 2-asummable codes (Farkas vectors with four ones); return the mask."""
    K = 1 << n
    full = np.uint64((1 << K) - 1) if K < 64 else np.uint64(2**64 - 1)
    done = np.zeros(codes.size, dtype=bool)
    coset = np.zeros((K, K), dtype=np.uint64)  # coset[k0, m]: points k with k & ~m == k0 & ~m
    for k0 in range(K):
        for m in range(K):
            coset[k0, m] = np.uint64(sum(1 << k for k in range(K) if (k & ~m) == (k0 & ~m)))
    for m in range(1, K):
        idx = np.flatnonzero(~done)
        if idx.size == 0:
            break
        t = codes[idx]
        tm = _xor_index(t, m, n)
        A = t & tm                  # x with f(x) = f(x^m) = 1
        B = ~t & ~tm & full         # u with f(u) = f(u^m) = 0
        PA, PB = A, B
        for j in range(n):          # OR over each coset of the coordinates in m
            if (m >> j) & 1:
                PA = PA | _xor_index(PA, 1 << j, n)
                PB = PB | _xor_index(PB, 1 << j, n)
        hit = (PA & PB) != 0
        if not hit.any():
            continue
        idx, A, B, both = idx[hit], A[hit], B[hit], (PA & PB)[hit]
        k0 = _lowbit_index(both)
        cm = coset[k0, m]
        x = _lowbit_index(A & cm)
        u = _lowbit_index(B & cm)
        rows = np.repeat(idx, 4)
        cols = np.stack([x, x ^ m, u, u ^ m], axis=1).ravel()
        lam[rows, cols] = 1
        done[idx] = True
    return done


def threshold_census_by_classes(n: int) -> ClassPairCensus:
    """Count threshold functions of n inputs (n <= 6) from class representatives of n - 1,
    every decided pair with its certificate."""
    from ._validate import positive_int

    n = positive_int(n, "n")
    if not 2 <= n <= 6:
        raise ValueError(f"threshold_census_by_classes: n must be in 2..6, got {n}")
    t0 = time.perf_counter()
    prev = threshold_census(n - 1).levels[-1]
    T = prev.threshold_codes.astype(np.uint64)
    Tw = prev.weights[prev.separable]
    m1, K1, K = n - 1, 1 << (n - 1), 1 << n
    P1 = boolean_points(m1)
    group = _group(m1, P1)
    gidx = np.stack([g[0] for g in group])
    shifts = np.arange(K1, dtype=np.uint64)
    full1 = np.uint64((1 << K1) - 1)
    known = np.zeros(T.size, dtype=bool)
    reps, sizes, pieces, owners, rep_pos = [], [], [], [], []
    i = 0
    while True:
        i += int(np.argmin(known[i:]))
        if known[i]:
            break
        h = ((T[i] >> shifts) & np.uint64(1)).astype(np.int64)
        orbit = np.unique(np.concatenate([_pack(h[gidx]), _pack((1 - h)[gidx])]))
        known[np.searchsorted(T, orbit)] = True
        a = T[i]
        comp = (((a & ~T) & full1) == 0) | (((T & ~a) & full1) == 0)
        bs = np.flatnonzero(comp)
        pieces.append(a | (T[bs] << np.uint64(K1)))
        owners.append(np.full(bs.size, len(reps), dtype=np.int64))
        rep_pos.append((i, bs))
        reps.append(a)
        sizes.append(orbit.size)
    codes = np.concatenate(pieces)
    rep_of = np.concatenate(owners)
    C = codes.size
    separable = np.zeros(C, dtype=bool)
    weights = np.zeros((C, n + 1), dtype=np.int64)
    lam = np.zeros((C, K), dtype=np.int32)
    decided = _asummable(codes, n, lam)
    # the rest: one LP per class under the stabiliser of (r, .) - the elements of the
    # n-input group fixing x_1 (g on x_2..x_n, output sign s) with s (r o g) = r - and
    # its certificate transported to the class (as in threshold_census._level)
    P = boolean_points(n)
    g6 = [g for g in _group(n, P) if g[1][0] == 0 and g[2][0] == 0]
    gidx6 = np.stack([g[0] for g in g6])
    perms6 = np.stack([g[1] for g in g6])
    flips6 = np.stack([g[2] for g in g6])
    G6 = len(g6)
    bitpos = np.arange(K, dtype=np.uint64)
    lps = 0
    bounds = np.concatenate([[0], np.cumsum([p.size for p in pieces])])
    for r_i in range(len(reps)):
        lo, hi = bounds[r_i], bounds[r_i + 1]
        block = codes[lo:hi]  # sorted: same low half, b ascending
        j = lo
        while True:
            j += int(np.argmin(decided[j:hi])) if j < hi else 0
            if j >= hi or decided[j]:
                break
            h = ((codes[j] >> bitpos) & np.uint64(1)).astype(np.int64)
            cert = _decide(P, 2 * h - 1)
            lps += 1
            for sgn in (1, -1):
                hb = h if sgn == 1 else 1 - h
                member = _pack(hb[gidx6])
                pos = np.minimum(np.searchsorted(block, member), block.size - 1)
                hit = block[pos] == member
                rows = lo + pos[hit]
                if isinstance(cert, Separable):
                    wh = np.array(cert.w, dtype=np.int64)
                    signed = np.where(flips6 == 1, -wh, wh)
                    wf = np.zeros((G6, n), dtype=np.int64)
                    np.put_along_axis(wf, perms6, sgn * signed, axis=1)
                    bf = sgn * (int(cert.b) + (flips6 * wh).sum(axis=1))
                    weights[rows, :n] = wf[hit]
                    weights[rows, n] = bf[hit]
                    separable[rows] = True
                else:
                    lam_h = np.array(cert.lam, dtype=np.int64)
                    if np.abs(lam_h).max() >= 2**31:
                        raise OverflowError("Farkas vector too large for int32")
                    lam[rows] = lam_h[gidx6[hit]]
                decided[rows] = True
    return ClassPairCensus(n=n, reps=np.array(reps, dtype=np.uint64),
                           class_sizes=np.array(sizes, dtype=np.int64), codes=codes,
                           rep_of=rep_of, separable=separable, weights=weights, lam=lam,
                           lps_solved=lps, seconds=time.perf_counter() - t0)
