"""The census past enumeration: bad input, and the independent checker's own rules."""
from __future__ import annotations

import numpy as np
import pytest

import implementations as I
from claimledger.certificates import (boolean_cube, census_certificates_valid,
                                         comparable_pair_codes)

pytestmark = pytest.mark.harness


@pytest.mark.parametrize("n, message", [
    pytest.param(0, "n must be an integer >= 1, got 0", id="zero"),
    pytest.param(2.0, "n must be an integer >= 1, got 2.0", id="float"),
    pytest.param(True, "n must be an integer >= 1, got True", id="bool"),
    pytest.param(6, "n must be <= 5 (n = 6 would store 418,889,254 candidates (use "
                 "threshold_census_by_classes)), got 6", id="too-large"),
])
def test_threshold_census_rejects_bad_n(n, message):
    with pytest.raises(ValueError) as info:
        I.threshold_census(n)
    assert str(info.value) == message


def test_checker_builds_its_own_cube():
    np.testing.assert_array_equal(boolean_cube(2), [[0, 0], [0, 1], [1, 0], [1, 1]],
                                  err_msg="{0,1}^2 in lexicographic order")
    assert boolean_cube(0).shape == (1, 0) and boolean_cube(6).dtype == np.int64
    with pytest.raises(ValueError):
        boolean_cube(7)


def test_checker_candidates_from_the_constants_and_n1():
    # n = 1: every pair of constants is comparable; n = 2: all but XOR (6) and XNOR (9)
    assert comparable_pair_codes(np.array([0, 1]), 1).tolist() == [0, 1, 2, 3]
    two = comparable_pair_codes(np.array([0, 1, 2, 3]), 2).tolist()
    assert two == sorted(set(range(16)) - {6, 9})


def _small_census():
    level = I.threshold_census(3).levels[-1]
    return level.codes, level.separable, level.weights, level.lam


def test_checker_accepts_the_reference_and_refuses_float_certificates():
    codes, sep, w, lam = _small_census()
    assert census_certificates_valid(3, sep, w, lam, codes=codes).all()
    with pytest.raises(TypeError, match="weights must hold integers"):
        census_certificates_valid(3, sep, w.astype(np.float64), lam, codes=codes)
    with pytest.raises(TypeError, match="lam must hold integers"):
        census_certificates_valid(3, sep, w, lam.astype(np.float64), codes=codes)


def test_checker_rejects_a_wrong_certificate_and_a_flipped_verdict():
    codes, sep, w, lam = _small_census()
    i = int(np.flatnonzero(sep)[5])
    bad_w = w.copy()
    bad_w[i] = -bad_w[i]  # the negated hyperplane classifies every point wrongly
    assert not census_certificates_valid(3, sep, bad_w, lam, codes=codes)[i]
    flipped = sep.copy()
    j = int(np.flatnonzero(~sep)[0])
    flipped[j] = True  # called separable with no hyperplane (a zero row)
    assert not census_certificates_valid(3, flipped, w, lam, codes=codes)[j]


@pytest.mark.parametrize("n, message", [
    pytest.param(0, "n must be an integer >= 1, got 0", id="zero"),
    pytest.param(1, "threshold_census_by_classes: n must be in 2..6, got 1", id="one"),
    pytest.param(7, "threshold_census_by_classes: n must be in 2..6, got 7", id="too-large"),
])
def test_threshold_census_by_classes_rejects_bad_n(n, message):
    with pytest.raises(ValueError) as info:
        I.threshold_census_by_classes(n)
    assert str(info.value) == message


def test_class_route_matches_the_candidate_route_for_small_n():
    # the class-weighted count and the candidate census agree (4 -> 14 -> 104 -> 1882)
    for n, count in [(2, 14), (3, 104), (4, 1882)]:
        assert I.threshold_census_by_classes(n).count == count
