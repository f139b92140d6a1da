"""§4 reference implementations reject bad input with a clear ValueError.

Initialisers (``implementations/init.py``), normalisation layers
(``implementations/normalization.py``) and gradient clipping
(``implementations/clipping.py``). Clipping deliberately accepts inf/NaN gradients (they are
the failure mode it is checked on) and documents what it returns for them.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import implementations as I

pytestmark = pytest.mark.harness

RNG = np.random.default_rng(0)
INITS = ["xavier_normal", "xavier_uniform", "he_normal", "he_uniform"]


@pytest.mark.parametrize("name", INITS)
@pytest.mark.parametrize("fan_in, fan_out, match", [
    pytest.param(0, 3, "fan_in", id="fan-in-zero"),
    pytest.param(-2, 3, "fan_in", id="fan-in-negative"),
    pytest.param(2.0, 3, "fan_in", id="fan-in-float"),
    pytest.param(True, 3, "fan_in", id="fan-in-bool"),
    pytest.param(3, 0, "fan_out", id="fan-out-zero"),
])
def test_initialisers_reject_bad_fans(name, fan_in, fan_out, match):
    with pytest.raises(ValueError, match=match):
        getattr(I, name)(fan_in, fan_out, rng=RNG)


@pytest.mark.parametrize("name", INITS)
@pytest.mark.parametrize("rng", [None, 0, np.random.RandomState(0)], ids=["none", "int", "legacy"])
def test_initialisers_need_a_generator(name, rng):
    with pytest.raises(ValueError, match="rng must be a numpy.random.Generator"):
        getattr(I, name)(3, 4, rng=rng)


@pytest.mark.parametrize("name", ["xavier_normal", "xavier_uniform"])
@pytest.mark.parametrize("gain", [0.0, -1.0, math.nan, math.inf])
def test_xavier_rejects_bad_gain(name, gain):
    with pytest.raises(ValueError, match="gain"):
        getattr(I, name)(3, 4, rng=RNG, gain=gain)


@pytest.mark.parametrize("name", INITS)
def test_initialisers_return_fan_out_by_fan_in(name):
    W = getattr(I, name)(3, 5, rng=np.random.default_rng(1))
    assert W.shape == (5, 3) and W.dtype == np.float64


X = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 7.0]])
G, B0, RM, RV = np.ones(2), np.zeros(2), np.zeros(2), np.ones(2)


@pytest.mark.parametrize("kwargs, match", [
    pytest.param(dict(x=[1.0, 2.0]), "2-D", id="x-1d"),
    pytest.param(dict(x=[[np.nan, 1.0], [0.0, 1.0]]), "NaN", id="x-nan"),
    pytest.param(dict(x=[[0.0, 1.0]]), "at least 2 samples", id="batch-of-one"),
    pytest.param(dict(gamma=[1.0]), "gamma has length 1", id="gamma-length"),
    pytest.param(dict(beta=[0.0, np.inf]), "beta contains NaN", id="beta-inf"),
    pytest.param(dict(running_var=[1.0, -1.0]), "running_var must be >= 0", id="rv-negative"),
    pytest.param(dict(running_mean=[0.0]), "running_mean has length", id="rm-length"),
    pytest.param(dict(momentum=-0.1), "momentum", id="momentum-negative"),
    pytest.param(dict(momentum=1.5), "momentum", id="momentum-above-one"),
    pytest.param(dict(momentum=math.nan), "momentum", id="momentum-nan"),
    pytest.param(dict(eps=0.0), "eps", id="eps-zero"),
    pytest.param(dict(eps=-1e-5), "eps", id="eps-negative"),
])
def test_batchnorm_train_rejects_bad_input(kwargs, match):
    args = dict(x=X, gamma=G, beta=B0, running_mean=RM, running_var=RV, momentum=0.1, eps=1e-5)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        I.batchnorm_train(args.pop("x"), args.pop("gamma"), args.pop("beta"),
                          args.pop("running_mean"), args.pop("running_var"), **args)


@pytest.mark.parametrize("kwargs, match", [
    pytest.param(dict(x=[[np.inf, 0.0]]), "NaN", id="x-inf"),
    pytest.param(dict(gamma=[1.0, 1.0, 1.0]), "gamma has length 3", id="gamma-length"),
    pytest.param(dict(running_var=[-1.0, 1.0]), "running_var", id="rv-negative"),
    pytest.param(dict(eps=math.nan), "eps", id="eps-nan"),
])
def test_batchnorm_eval_rejects_bad_input(kwargs, match):
    args = dict(x=X, gamma=G, beta=B0, running_mean=RM, running_var=RV, eps=1e-5)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        I.batchnorm_eval(args.pop("x"), args.pop("gamma"), args.pop("beta"),
                         args.pop("running_mean"), args.pop("running_var"), **args)


def test_batchnorm_eval_accepts_a_single_sample():
    y = I.batchnorm_eval([[1.0, 2.0]], G, B0, RM, RV, eps=1e-5)
    assert y.shape == (1, 2)


@pytest.mark.parametrize("x, gamma, eps, match", [
    pytest.param(np.zeros((2, 2, 2)), np.ones(2), 1e-5, "2-D", id="x-3d"),
    pytest.param([[1.0, np.nan]], np.ones(2), 1e-5, "NaN", id="x-nan"),
    pytest.param([[1.0, 2.0]], np.ones(3), 1e-5, "gamma has length 3", id="gamma-length"),
    pytest.param([[1.0, 2.0]], np.ones(2), 0.0, "eps", id="eps-zero"),
    pytest.param([["a", "b"]], np.ones(2), 1e-5, "numeric", id="x-strings"),
])
def test_layernorm_and_rmsnorm_reject_bad_input(x, gamma, eps, match):
    with pytest.raises(ValueError, match=match):
        I.layernorm(x, gamma, np.zeros(len(gamma)), eps=eps)
    with pytest.raises(ValueError, match=match):
        I.rmsnorm(x, gamma, eps=eps)


def test_layernorm_and_rmsnorm_take_one_sample_or_a_batch():
    v = np.array([1.0, 2.0, 4.0])
    assert I.layernorm(v, np.ones(3), np.zeros(3), eps=1e-5).shape == (3,)
    assert I.rmsnorm(v[None, :], np.ones(3), eps=1e-5).shape == (1, 3)


@pytest.mark.parametrize("grads, max_norm, match", [
    pytest.param(np.ones(3), 1.0, "list or tuple", id="bare-array"),
    pytest.param([], 1.0, "empty", id="empty"),
    pytest.param([np.ones(2)], 0.0, "max_norm", id="tau-zero"),
    pytest.param([np.ones(2)], -1.0, "max_norm", id="tau-negative"),
    pytest.param([np.ones(2)], math.nan, "max_norm", id="tau-nan"),
    pytest.param([np.ones(2)], math.inf, "max_norm", id="tau-inf"),
    pytest.param([["a"]], 1.0, "numeric", id="strings"),
])
def test_clip_grad_norm_rejects_bad_input(grads, max_norm, match):
    with pytest.raises(ValueError, match=match):
        I.clip_grad_norm(grads, max_norm)


def test_clip_grad_norm_reports_nonfinite_gradients_instead_of_raising():
    out, total = I.clip_grad_norm([np.array([np.inf, 1.0])], 1.0)
    assert total == math.inf and np.isnan(out[0][0]) and out[0][1] == 0.0
    out, total = I.clip_grad_norm([np.array([np.nan, 1.0])], 1.0)
    assert math.isnan(total) and np.isnan(out[0][0]) and out[0][1] == 1.0
