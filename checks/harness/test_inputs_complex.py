"""Complex arrays are refused, not silently truncated.

numpy's float conversion of a complex array keeps the real part and only emits a
ComplexWarning, so without an explicit check ``clip_grad_norm([3+4j], 1)`` would see a
norm of 3, not 5. Every entry point that converts user arrays refuses them by name, and so
does every conversion of a value returned by a caller's function (a gradient, a target
function, an activation). All of them go through ``_validate.float_array``, which also turns
numpy's TypeError for unconvertible objects into a ValueError naming the argument; the last
scan in test_source_rules.py keeps new code from converting around it.
"""
from __future__ import annotations

import re

import numpy as np
import pytest

import implementations as I
from implementations.mlp import identity
from claimledger.raises import raises_exactly

pytestmark = pytest.mark.harness

C = np.array([3 + 4j, 1 + 0j])  # one entry with a non-zero imaginary part
C2 = np.array([[3 + 4j, 1.0], [0.5, 2.0]])
R2 = np.array([[1.0, 2.0], [3.0, 4.0]])
ONE2 = np.ones(2)


_NET = I.uat_network_1d(np.sin, 0.0, 1.0, 0.5, lipschitz=1.0)
_RIDGE = [(np.array([1.0, 0.0]), np.sin, 1.0)]


def _msg(name: str) -> str:
    return f"{name} is complex; a real array is required (converting would drop the imaginary part)"


@pytest.mark.parametrize("call, name", [
    pytest.param(lambda: I.relu(C), "z", id="activation"),
    pytest.param(lambda: I.prelu(np.ones(2), C), "alpha", id="prelu-alpha"),
    pytest.param(lambda: I.sign_activation(C), "z", id="sign"),
    pytest.param(lambda: I.perceptron_train(C2, [1, -1]), "X", id="perceptron-X"),
    pytest.param(lambda: I.perceptron_train(R2, [1, -1], w0=C), "w0", id="perceptron-w0"),
    pytest.param(lambda: I.perceptron_train(R2, np.array([1 + 2j, -1])), "y",
                 id="perceptron-labels"),
    pytest.param(lambda: I.mlp_forward([C2], [ONE2], R2, "relu"), "layer 1: weights",
                 id="mlp-weights"),
    pytest.param(lambda: I.mlp_forward([R2], [C], R2, "relu"), "layer 1: biases", id="mlp-biases"),
    pytest.param(lambda: I.mlp_forward([R2], [ONE2], C2, "relu"), "x", id="mlp-input"),
    pytest.param(lambda: I.sigmoid_bump(C, 0.0, 1.0, 10.0), "z", id="bump"),
    pytest.param(lambda: _NET(C), "x", id="uat-network-input"),
    pytest.param(lambda: I.uat_network_ridges(_RIDGE, C, ONE2, 0.1), "lo", id="ridges-lo"),
    pytest.param(lambda: I.uat_network_ridges(_RIDGE, np.zeros(2), C, 0.1), "hi",
                 id="ridges-hi"),
    pytest.param(lambda: I.uat_network_ridges([_RIDGE[0], (C, np.sin, 1.0)], np.zeros(2), ONE2,
                                              0.1), "ridges[1]: direction", id="ridges-direction"),
    pytest.param(lambda: I.mse_loss(C, np.ones(2)), "pred", id="mse-pred"),
    pytest.param(lambda: I.softmax(C), "z", id="softmax"),
    pytest.param(lambda: I.clip_grad_norm([np.ones(2), C], 1.0), "grads[1]", id="clip"),
    pytest.param(lambda: I.layernorm(C2, ONE2, np.zeros(2), eps=1e-5), "x", id="layernorm"),
    pytest.param(lambda: I.soft_threshold(C, 1.0), "z", id="soft-threshold-z"),
    pytest.param(lambda: I.soft_threshold(np.ones(2), C), "t", id="soft-threshold-t"),
    pytest.param(lambda: I.ridge(R2, C, 1.0), "y", id="ridge-y"),
    pytest.param(lambda: I.dropout_eval(C, 0.5), "h", id="dropout"),
    pytest.param(lambda: identity(C), "z", id="identity"),
    pytest.param(lambda: I.Tensor(C), "data",
                 id="tensor"),
    # values that come back from the caller's own functions are converted the same way
    pytest.param(lambda: I.gradient_descent(lambda x: x + 1j, ONE2, eta=0.1, steps=2),
                 "grad(x)", id="gd-callback"),
    pytest.param(lambda: I.uat_network_1d(lambda x: x + 0j, 0.0, 1.0, 0.5, lipschitz=1.0),
                 "f(x)", id="uat-callback"),
    pytest.param(lambda: I.mlp_forward([R2], [ONE2], R2, lambda z: z + 0j),
                 "the activation's output", id="mlp-activation-callback"),
])
def test_complex_arrays_are_refused_by_name(call, name):
    with raises_exactly(_msg(name)):
        call()


def test_complex_dtype_with_zero_imaginary_part_is_still_refused():
    # a real value in a complex container is usually a bug upstream (an FFT, a sqrt of a
    # negative number); the contract is about the type, so it is refused too
    with raises_exactly(_msg("z")):
        I.relu(np.array([1 + 0j]))


def test_real_arrays_pass_the_complex_check():
    np.testing.assert_allclose(I.relu(np.array([-1.0, 2.0])), [0.0, 2.0], rtol=0, atol=0,
                               err_msg="a real array must pass the complex check unchanged")


class _Opaque:
    """An object numpy cannot read as a number (its float conversion raises TypeError)."""


@pytest.mark.parametrize("call, name", [
    pytest.param(lambda: I.sign_activation(_Opaque()), "z", id="sign"),
    pytest.param(lambda: I.soft_threshold(_Opaque(), 1.0), "z", id="soft-threshold"),
    pytest.param(lambda: I.sigmoid_bump(_Opaque(), 0.0, 1.0, 10.0), "z", id="bump"),
    pytest.param(lambda: _NET(_Opaque()), "x", id="uat-network-input"),
    pytest.param(lambda: identity(_Opaque()), "z", id="identity"),
    pytest.param(lambda: I.gradient_descent(lambda x: _Opaque(), ONE2, eta=0.1, steps=2),
                 "grad(x)", id="gd-callback"),
])
def test_unconvertible_objects_are_a_value_error_naming_the_argument(call, name):
    # numpy raises TypeError here; the contract is a ValueError that says which argument
    with pytest.raises(ValueError, match=rf"^{re.escape(name)} must be a numeric array: "):
        call()

