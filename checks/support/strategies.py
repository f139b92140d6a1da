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


# -- §3 losses, information theory, gradient descent, autodiff ------------------------------


# -- §4 spectra, floating point, initialisation, normalisation ------------------------------


# -- §5 bias-variance, regularisation, dropout ----------------------------------------------
