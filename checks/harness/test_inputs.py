"""Reference implementations reject bad input with a clear ValueError and never hang."""
from __future__ import annotations

import numpy as np
import pytest

import implementations as I

pytestmark = pytest.mark.harness

GOOD_X, GOOD_Y = [[0.0, 1.0], [1.0, 0.0]], [1, -1]


@pytest.mark.parametrize("kwargs, match", [
    pytest.param(dict(X=[1.0, 2.0], y=[1, -1]), "2-D", id="X-not-2d"),
    pytest.param(dict(X=np.zeros((0, 2)), y=[]), "empty", id="empty-data"),
    pytest.param(dict(X=[[np.nan, 1.0]], y=[1]), "NaN", id="nan-in-X"),
    pytest.param(dict(X=[[np.inf, 1.0]], y=[1]), "NaN or infinite", id="inf-in-X"),
    pytest.param(dict(X=GOOD_X, y=[1, 0]), "-1, \\+1", id="label-zero"),
    pytest.param(dict(X=GOOD_X, y=[1, 2]), "-1, \\+1", id="label-two"),
    pytest.param(dict(X=GOOD_X, y=[1]), "one label per sample", id="label-count"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, eta=0), "eta", id="eta-zero"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, eta=-1.0), "eta", id="eta-negative"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, eta=float("nan")), "eta", id="eta-nan"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, max_epochs=0), "max_epochs", id="no-epochs"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, w0=[1.0]), "w0", id="w0-shape"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, bias=False, b0=1.0), "b0", id="b0-without-bias"),
])
def test_perceptron_rejects_bad_input(kwargs, match):
    kwargs = dict(kwargs)  # the parameter dict is shared between runs: never mutate it
    X, y = kwargs.pop("X"), kwargs.pop("y")
    with pytest.raises(ValueError, match=match):
        I.perceptron_train(X, y, **kwargs)


def test_perceptron_stops_on_non_separable_data():
    X = [[0, 0], [0, 1], [1, 0], [1, 1]]
    run = I.perceptron_train(X, [-1, 1, 1, -1], max_epochs=50)
    assert not run.converged and run.epochs == 50
    assert run.updates == len(run.trajectory) > 50 and isinstance(run.b, float)


def test_perceptron_defaults_are_the_articles():
    """eta = 1, bias on, w = 0, b = 0 (article §1.1)."""
    run = I.perceptron_train([[2, 1], [-1, 2]], [1, -1])
    assert run.w.tolist() == [3.0, -1.0] and run.b == 0.0 and run.updates == 2


@pytest.mark.parametrize("points, labels, match", [
    pytest.param([], [], "empty", id="empty"),
    pytest.param([[0, 0], [1]], [1, -1], "dimension", id="ragged"),
    pytest.param([[0, 0]], [0], "labels", id="label-zero"),
    pytest.param([[0, 0]], [1, -1], "labels for", id="label-count"),
    pytest.param([[float("nan"), 0]], [1], "NaN", id="nan"),
])
def test_separate_rejects_bad_input(points, labels, match):
    with pytest.raises(ValueError, match=match):
        I.separate(points, labels)


@pytest.mark.parametrize("n", [0, 5, -1, 2.0])
def test_boolean_census_rejects_out_of_range_n(n):
    with pytest.raises(ValueError, match="n must"):
        I.boolean_census(n)


def test_sign_activation_maps_zero_to_plus_one():
    np.testing.assert_array_equal(I.sign_activation([-1.0, 0.0, 2.0]), [-1.0, 1.0, 1.0],
                                  err_msg="sign(0) must be +1 (article §1.1)")
    with pytest.raises(ValueError, match="NaN"):
        I.sign_activation([np.nan])
