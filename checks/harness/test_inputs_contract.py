"""The bad-input contract of issue 18, one pinned message per class of hole it closed.

The fuzzer (test_fuzz_protocol.py) checks every protocol name against every class; this
table states what a user is told in the cases the issue reported, word for word, so a
garbled or mis-named message fails here (and mutation testing sees each message).
"""
from __future__ import annotations

import numpy as np
import pytest

import implementations as I
from implementations import _validate as V
from claimledger.raises import raises_exactly, text_refused

pytestmark = pytest.mark.harness

W, B = [np.eye(2)], [np.zeros(2)]
RNG = np.random.default_rng
BOOL = "{} is boolean; real numbers are required (numpy would read True and False as 1 and 0)"
MASKED = ("{} is a masked array; pass plain values (the mask would be dropped and the hidden "
          "values used)")
COMPLEX = "{} is complex; a real array is required (converting would drop the imaginary part)"


@pytest.mark.parametrize("call, message", [
    # values that are not real numbers, in array positions
    pytest.param(lambda: I.sigmoid([np.complex128(1 + 2j)]), COMPLEX.format("z"),
                 id="complex-scalar-in-list"),
    pytest.param(lambda: I.sigmoid([1 + 2j, 0.5]), COMPLEX.format("z"), id="python-complex"),
    pytest.param(lambda: I.sigmoid("0.5"), text_refused("z"), id="numeric-string"),
    pytest.param(lambda: I.sigmoid(b"0.5"), text_refused("z"), id="bytes"),
    pytest.param(lambda: I.sigmoid(np.array(["0.5"])), text_refused("z"), id="str-array"),
    pytest.param(lambda: I.separate(["12", "34"], [1, -1]), "points must be real numbers, got '1'",
                 id="separate-digit-strings"),
    pytest.param(lambda: I.sigmoid([True, 0.5]), BOOL.format("z"), id="bool-among-floats"),
    pytest.param(lambda: I.sigmoid(np.array([True])), BOOL.format("z"), id="bool-array"),
    pytest.param(lambda: I.relu([[1.0], [np.True_]]), BOOL.format("z"), id="numpy-bool-nested"),
    pytest.param(lambda: I.sigmoid(np.ma.array([1.0, 2.0], mask=[0, 1])), MASKED.format("z"),
                 id="masked"),
    pytest.param(lambda: I.sigmoid([1.0, None]), "z must be a numeric array: it holds None",
                 id="none-entry"),
    pytest.param(lambda: I.sigmoid([1, 10**400]), "z holds an integer of 401 digits, too large "
                 "for float64", id="huge-int-entry"),
    pytest.param(lambda: I.sigmoid(np.array(["2020-01-01"], dtype="datetime64[D]")),
                 "z must be a numeric array, got dtype datetime64[D]", id="datetime"),
    pytest.param(lambda: I.Tensor(np.array([1, object()], dtype=object)),
                 "data: an exact-mode (object) array needs integers, Fractions or sympy "
                 "expressions, found <object object at", id="tensor-exact-object"),
    # scalars (one converter: _validate.real_scalar)
    pytest.param(lambda: I.sigmoid_bump([0.0], "0.5", 1.0, 1.0),
                 "c must be a finite number, got '0.5'", id="c-text"),
    pytest.param(lambda: I.sigmoid_bump([0.0], 1 + 0j, 1.0, 1.0),
                 "c must be a finite number, got (1+0j)", id="c-complex"),
    pytest.param(lambda: I.uat_plan_1d(np.ma.masked, 1.0, 0.1, lipschitz=1.0),
                 "a must be a finite number, got masked", id="a-masked"),
    pytest.param(lambda: I.uat_plan_1d(0.0, 1.0, 0.1, lipschitz="1"),
                 "lipschitz must be a finite number >= 0, got '1'", id="lipschitz-text"),
    pytest.param(lambda: I.perceptron_train([[1.0]], [1], b0=True),
                 "b0 must be a finite number, got True", id="b0-bool"),
    pytest.param(lambda: I.uat_plan_1d(0.0, 1.0, 0.1, modulus=lambda t: "0.01"),
                 text_refused("modulus(t)"), id="modulus-returns-text"),
    pytest.param(lambda: I.uat_plan_1d(0.0, 1.0, 0.1, modulus=lambda t: [t, t]),
                 "modulus(t) must return one number, got shape (2,)", id="modulus-returns-list"),
    # integers too large for a float
    pytest.param(lambda: I.ridge([[1.0]], [1.0], 10**400),
                 "lam must be a finite number > 0, got an integer of 401 digits", id="lam-huge"),
    pytest.param(lambda: I.leaky_relu([1.0], alpha=10**400),
                 "alpha must be a finite real number, got an integer of 401 digits",
                 id="alpha-huge"),
    pytest.param(lambda: I.dropout_eval([1.0], 10**400),
                 "p (the drop probability) must be a number in [0, 1), got an integer of 401 "
                 "digits", id="p-huge"),
    pytest.param(lambda: I.entropy([1.0], base=10**400),
                 "base must be a finite number > 1, got an integer of 401 digits", id="base-huge"),
    pytest.param(lambda: I.batchnorm_train(np.eye(2), np.ones(2), np.zeros(2), np.zeros(2),
                                           np.ones(2), momentum=10**400, eps=1e-5),
                 "momentum must be a number in [0, 1], got an integer of 401 digits",
                 id="momentum-huge"),
    pytest.param(lambda: I.softmax([1.0, 2.0], axis=10**400),
                 "axis must be an integer in [-1, 1) for an array of 1 dimension(s), got an "
                 "integer of 401 digits", id="axis-huge"),
    pytest.param(lambda: I.he_normal(10**400, 2, rng=RNG(0)),
                 "fan_in, fan_out: fan_in * fan_out = an integer of 401 digits exceeds the cap "
                 "3.36e+07 (the cap on the entries of the returned matrix: 256 MiB of float64)",
                 id="fan-in-huge"),
    # caps on work and memory, with the reason
    pytest.param(lambda: I.least_squares_gd([[1.0]], [1.0], eta=0.1, steps=10**9),
                 "steps must be <= 1000000 (a cap on the run time), got 1000000000",
                 id="lsgd-steps"),
    pytest.param(lambda: I.least_squares_gd(np.ones((100, 200)), np.ones(100), eta=1e-6,
                                            steps=1_000_000),
                 "steps: steps * X.size = 20000000000 exceeds the cap 1e+10 (the cap on "
                 "multiply-adds of the steps: it bounds the run time)", id="lsgd-work"),
    pytest.param(lambda: I.lasso([[1.0]], [1.0], 0.1, max_iter=10**9),
                 "max_iter: max_iter * X.shape[1] = 1000000000 exceeds the cap 1e+07 (the cap "
                 "on coordinate updates, a Python loop: it bounds the run time)",
                 id="lasso-max-iter"),
    pytest.param(lambda: I.perceptron_train([[1.0], [-1.0]], [1, 1], max_epochs=10**9),
                 "max_epochs: max_epochs * len(X) = 2000000000 exceeds the cap 1e+07 (the cap "
                 "on sample visits: it bounds the run time and the stored trajectory)",
                 id="perceptron-epochs"),
    pytest.param(lambda: I.mlp_gradients([np.eye(1)] * 10_001, [np.zeros(1)] * 10_001,
                                         [[1.0]], [[1.0]], "tanh", "mse"),
                 "weights: len(weights) = 10001 exceeds the cap 1e+04 (the depth cap: the graph "
                 "and the backward pass grow with every layer)", id="mlp-gradients-depth"),
    pytest.param(lambda: I.xavier_uniform(100_000, 100_000, rng=RNG(0)),
                 "fan_in, fan_out: fan_in * fan_out = 10000000000 exceeds the cap 3.36e+07 (the "
                 "cap on the entries of the returned matrix: 256 MiB of float64)",
                 id="init-memory"),
    pytest.param(lambda: I.boolean_points(21),
                 "n must be <= 20 (the array holds n 2^n entries, capped at 33554432 (256 MiB)), "
                 "got 21", id="boolean-points"),
    pytest.param(lambda: I.gradient_descent(lambda x: x, np.ones(1000), eta=0.1,
                                            steps=1_000_000),
                 "steps, x0: (steps + 1) * len(x0) = 1000001000 exceeds the cap 3.36e+07 (the "
                 "cap on the entries of the returned iterates: 256 MiB of float64)",
                 id="gd-memory"),
    pytest.param(lambda: I.uat_network_ridges([(np.ones(1), np.sin, 1.0)] * 2000, [0.0], [1.0],
                                              0.5),
                 "ridges and eps: the ridges need more than 2000000 neurons in all (the cap on "
                 "the width: it bounds memory and time)", id="ridges-total-width"),
    pytest.param(lambda: I.separate(np.zeros((100_000, 1)), np.ones(100_000)),
                 "separate: 100000 points of dimension 1 need a simplex tableau of 300012 exact "
                 "fractions, above the cap 200000 (each pivot touches every entry: a cap on run "
                 "time)", id="separate-size"),
    # flags and axes
    pytest.param(lambda: I.dropout_eval([1.0], 0.5, inverted="no"),
                 "inverted must be True or False, got 'no'", id="inverted-text"),
    pytest.param(lambda: I.dropout_train([1.0], 0.5, rng=RNG(0), inverted=1),
                 "inverted must be True or False, got 1", id="inverted-int"),
    pytest.param(lambda: I.perceptron_train([[1.0]], [1], bias="no"),
                 "bias must be True or False, got 'no'", id="bias-text"),
    pytest.param(lambda: I.Tensor(1.0, requires_grad="no"),
                 "requires_grad must be True or False, got 'no'", id="requires-grad-text"),
    pytest.param(lambda: I.log_softmax([[1.0, 2.0]], axis="0"),
                 "axis must be an integer in [-2, 2) for an array of 2 dimension(s), got '0'",
                 id="axis-text"),
    pytest.param(lambda: I.softmax([1.0, 2.0], axis=0.0),
                 "axis must be an integer in [-1, 1) for an array of 1 dimension(s), got 0.0",
                 id="axis-float"),
    pytest.param(lambda: I.softmax([1.0, 2.0], axis=True),
                 "axis must be an integer in [-1, 1) for an array of 1 dimension(s), got True",
                 id="axis-bool"),
    pytest.param(lambda: I.softmax([1.0, 2.0], axis=1),
                 "axis must be an integer in [-1, 1) for an array of 1 dimension(s), got 1",
                 id="axis-out-of-range"),
    # shapes that leaked
    pytest.param(lambda: I.prelu(1.0, alpha=[0.1, 0.2]),
                 "alpha of shape (2,) does not broadcast against z of shape () (per-channel "
                 "alpha runs along the last axis)", id="prelu-alpha-enlarges"),
    pytest.param(lambda: I.soft_threshold([1.0], [0.1, 0.2]),
                 "soft_threshold: t of shape (2,) must be a scalar or broadcast to the shape (1,) "
                 "of z", id="soft-threshold-t-enlarges"),
    pytest.param(lambda: I.mlp_forward(W, B, [1.0, 2.0], lambda z: None),
                 "the activation's output must be a numeric array: it holds None",
                 id="activation-returns-none"),
    pytest.param(lambda: I.mlp_forward(W, B, [1.0, 2.0], lambda z: z[:1]),
                 "the activation's output has shape (1,), expected (2,) (an activation acts "
                 "elementwise)", id="activation-wrong-shape"),
    pytest.param(lambda: I.mlp_forward(W, B, [1.0, 2.0], lambda z: z * np.nan),
                 "the activation's output contains NaN or infinite entries",
                 id="activation-returns-nan"),
    # messages name the caller's argument
    pytest.param(lambda: I.cross_entropy_with_logits([[1e308, -1e308]], [[1.0, 0.0]]),
                 "logits: the spread max(logits) - min(logits) overflows float64",
                 id="logits-named"),
    pytest.param(lambda: I.uat_network_ridges([(np.ones(1), np.sin, -1.0)], [0.0], [1.0], 0.5),
                 "ridges[0]: L must be a finite number >= 0, got -1.0", id="ridge-L-named"),
    pytest.param(lambda: I.uat_network_ridges([(np.ones(1), "sin", 1.0)], [0.0], [1.0], 0.5),
                 "ridges[0]: the profile must be a callable on numpy arrays",
                 id="ridge-profile-named"),
    pytest.param(lambda: I.mlp_gradients([np.array([["a"]])], [np.zeros(1)], [[1.0]], [[1.0]],
                                         "tanh", "mse"),
                 text_refused("weights[0]"), id="mlp-gradients-weights-named"),
    pytest.param(lambda: I.Separable(w=(1.5,), b=0),
                 "w must be a non-empty tuple of integers, got (1.5,)", id="separable-w"),
    pytest.param(lambda: I.Separable(w=(1,), b=True), "b must be an integer, got True",
                 id="separable-b"),
    pytest.param(lambda: I.Inseparable(lam=(1, -1)),
                 "lam must be >= 0 and not all 0, got (1, -1)", id="inseparable-negative"),
    pytest.param(lambda: I.Inseparable(lam=[1, 2]),
                 "lam must be a non-empty tuple of integers, got [1, 2]", id="inseparable-list"),
    # the Tensor's own methods follow the same rules
    pytest.param(lambda: I.Tensor([1.0]) ** "2", "Tensor ** k needs a scalar exponent k",
                 id="tensor-pow-text"),
    pytest.param(lambda: I.Tensor([1.0]) ** True, "Tensor ** k needs a scalar exponent k",
                 id="tensor-pow-bool"),
    pytest.param(lambda: I.Tensor([1.0]).sum(axis="0"),
                 "axis must be an integer in [-1, 1) for an array of 1 dimension(s), got '0'",
                 id="tensor-sum-axis"),
    pytest.param(lambda: I.Tensor([1.0]).mean(axis=1),
                 "axis must be an integer in [-1, 1) for an array of 1 dimension(s), got 1",
                 id="tensor-mean-axis"),
    pytest.param(lambda: I.Tensor([1.0]).sum(keepdims="no"),
                 "keepdims must be True or False, got 'no'", id="tensor-sum-keepdims"),
    pytest.param(lambda: (I.Tensor([1.0, 2.0], requires_grad=True) * 2).backward(["1", "2"]),
                 text_refused("grad"), id="tensor-backward-grad-text"),
    # finite extremes: refused where the true value leaves float64
    pytest.param(lambda: I.mse_loss([1e308], [-1e308]),
                 "pred and target: the mean squared error exceeds the float64 range",
                 id="mse-overflows"),
    pytest.param(lambda: I.mae_loss([1e308, 1e308], [-1e308, -1e308]),
                 "pred and target: the mean absolute error exceeds the float64 range",
                 id="mae-overflows"),
    pytest.param(lambda: I.perceptron_train([[1e308]], [-1], eta=1e308),
                 "perceptron_train: the arguments (X, y, eta, bias, max_epochs, w0, b0) lead "
                 "outside the float64 range (overflow encountered in multiply); rescale them",
                 id="perceptron-eta-overflows"),
    pytest.param(lambda: I.uat_plan_1d(0.0, 5e-324, 0.1, lipschitz=1.0),
                 "need a < b with b - a a finite float >= 1e-300 on [a, b], got a=0.0, b=5e-324",
                 id="uat-subnormal-interval"),
])
def test_each_class_of_issue_18_is_refused_with_its_message(call, message):
    if message.endswith("found <object object at"):
        with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
            call()
        return
    with raises_exactly(message):
        call()


@pytest.mark.parametrize("call, expected", [
    # the extremes a rescaled formula can still compute are computed, not refused: the plain
    # sum (or difference) overflows, the mean does not
    pytest.param(lambda: I.mse_loss([1e154] * 4, [0.0] * 4), 1e308, id="mse-sum-overflows"),
    pytest.param(lambda: I.mae_loss([1e308], [-0.5e308]), 1.5e308, id="mae-difference-overflows"),
    pytest.param(lambda: I.mae_loss([1e308, 1e308], [-0.7e308, -0.7e308]), 1.7e308,
                 id="mae-sum-overflows"),
])
def test_extremes_with_a_float64_answer_are_computed(call, expected):
    np.testing.assert_allclose(call(), expected, rtol=1e-15, atol=0,
                               err_msg="a loss near the float64 maximum")


def test_valid_inputs_of_every_accepted_type_still_work():
    z = np.array([0.5, -1.0])
    for value in (z, z.tolist(), tuple(z), z.astype(np.float32), np.array([1, -2], np.int8),
                  np.array([1, 2], np.uint16), [np.float64(0.5), 1], 0.5, np.float32(0.5), 3):
        out = I.relu(value)
        assert out.dtype == np.float64, f"{value!r} gave dtype {out.dtype}"
    assert I.Tensor(1.0, requires_grad=np.bool_(True)).requires_grad is True
    assert I.dropout_eval([1.0], 0.5, inverted=np.True_).tolist() == [1.0]
    assert I.softmax([[1.0, 1.0]], axis=np.int64(0)).tolist() == [[1.0, 1.0]]
    assert I.separate([[10**400], [-(10**400)]], [1, -1]).w == (1,), "exact huge integers"
    assert I.Separable(w=(10**400,), b=np.int64(3)).b == 3


@pytest.mark.parametrize("call, message", [
    pytest.param(lambda: V.real_scalar(np.array(0.5), "s"), "s must be a finite number, got "
                 "array(0.5)", id="zero-d-array"),
    pytest.param(lambda: V.real_scalar(float("nan"), "s", what="x"), "s must be x, got nan",
                 id="nan-with-what"),
    pytest.param(lambda: V.flag(None, "f"), "f must be True or False, got None", id="flag-none"),
    pytest.param(lambda: V.axis_index(-3, 2), "axis must be an integer in [-2, 2) for an array "
                 "of 2 dimension(s), got -3", id="axis-below"),
    pytest.param(lambda: V.check_cap(11, 10, "n", "why", "arg"),
                 "arg: n = 11 exceeds the cap 10 (why)", id="cap"),
    pytest.param(lambda: V.positive_int(11, "k", cap=10, reason="why"),
                 "k must be <= 10 (why), got 11", id="int-cap"),
])
def test_validators_state_their_refusals(call, message):
    with raises_exactly(message):
        call()


def test_validators_accept_their_boundaries():
    assert V.real_scalar(np.int64(3), "s") == 3.0 and V.real_scalar(-0.0, "s") == 0.0
    assert V.flag(np.False_, "f") is False and V.flag(True, "f") is True
    assert V.axis_index(-2, 2) == -2 and V.axis_index(1, 2) == 1
    V.check_cap(10, 10, "n", "why", "arg")
    assert V.positive_int(10, "k", cap=10, reason="why") == 10
    assert V.show(10**19) == "10000000000000000000" and V.show(10**20) == \
        "an integer of 21 digits"


def test_a_result_that_overflows_without_a_floating_point_error_is_refused():
    # LAPACK's solve overflowed to -inf here without raising numpy's overflow error (found
    # by the fuzzer, thorough profile, root seed 8); where the overflow is caught depends on
    # the BLAS build, so only the start of the message is pinned here ...
    with pytest.raises(ValueError, match=r"^ridge: the arguments \(X, y, lam\) lead outside "
                                         r"the float64 range \("):
        I.ridge([[1.0, 0.5], [0.0, 1.0], [1.0, -1.0]],
                [-8.81608846e307, -1.12123301e308, -6.92641674e307], 0.5)
    # ... and the result check's own message in full
    def returns_inf(x):
        return np.array([x, np.inf])

    with raises_exactly("returns_inf: the arguments (x) lead outside the float64 range (the "
                        "result is not finite); rescale them"):
        V.refuse_overflow(returns_inf, "x")(1.0)
    assert V.refuse_overflow(returns_inf, "x", infinite_ok=True)(1.0)[1] == np.inf
