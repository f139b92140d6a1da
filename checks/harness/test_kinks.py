"""Kink conventions are declarable for every piecewise block, and a check demands at the
kink only what its claim says (issue 25, harness problem 1).

Keras' Leaky ReLU derivative at z = 0 is alpha (the left derivative, torch's), which
satisfies "Leaky ReLU has a non-zero gradient everywhere"; the check used to demand 1
(falsifying example alpha = 1e-4, z = [0.0]). Here:

* an implementation returning alpha at the kink, undeclared, passes the Leaky ReLU claim
  and the zoo's accuracy claim;
* the same declared as "left" passes too, and declared "right" fails (a promise);
* a derivative of 0 at the kink fails both claims (also in ``broken/``);
* ``kinks.allowed_values`` and ``kinks.convention_value`` for every block of KINKS.
"""
from __future__ import annotations

import textwrap

import numpy as np
import pytest

import implementations
from checks.harness.test_teeth import run_checks_against
from checks.support import kinks
from claimledger.impl import Implementation

pytestmark = pytest.mark.harness

LEAKY = "leaky-relu-has-nonzero-grad-everywhere"
ZOO = "zoo-implementations-finite-for-every-float"

LEFT_KINK = '''
    """The reference with torch/Keras' kink: leaky_relu'(0) = prelu'(0) = alpha."""
    import numpy as np
    from implementations import *  # noqa

    {conventions}

    def leaky_relu_grad(z, alpha=0.01):
        return np.where(np.asarray(z, dtype=float) > 0, 1.0, alpha)
'''


def _module(tmp_path, name, conventions=""):
    path = tmp_path / "impl" / f"{name}.py"
    path.parent.mkdir(exist_ok=True)
    path.write_text(textwrap.dedent(LEFT_KINK.format(conventions=conventions)))
    run = tmp_path / f"run_{name}"
    run.mkdir()
    return str(path), run


@pytest.mark.parametrize("conventions", ["", 'CONVENTIONS = {"leaky_relu_grad_at_0": "left"}'],
                         ids=["undeclared", "declared-left"])
def test_left_derivative_at_the_kink_satisfies_the_claim(pytester, tmp_path, conventions):
    path, run = _module(tmp_path, "left_kink", conventions)
    claims, _ = run_checks_against(pytester, run, path, [LEAKY, ZOO])
    assert {c: claims[c]["verdict"] for c in (LEAKY, ZOO)} == {LEAKY: "proved",
                                                              ZOO: "supported"}


def test_declared_right_derivative_is_held_to_its_promise(pytester, tmp_path):
    path, run = _module(tmp_path, "left_kink_declared_right",
                        'CONVENTIONS = {"leaky_relu_grad_at_0": "right"}')
    claims, _ = run_checks_against(pytester, run, path, [LEAKY])
    assert claims[LEAKY]["verdict"] == "failed"


def test_zero_at_the_kink_is_rejected(pytester, tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    claims, _ = run_checks_against(
        pytester, run, "checks.harness.broken.s2_leaky_relu_grad_zero_at_kink", [LEAKY, ZOO])
    assert claims[LEAKY]["verdict"] == claims[ZOO]["verdict"] == "failed"
    failure = " ".join(k.get("failure") or "" for k in claims[LEAKY]["checks"])
    assert "not in" in failure


class _Mod:
    def __init__(self, **conventions):
        self.CONVENTIONS = conventions


@pytest.mark.parametrize("block, alpha, left", [("relu", None, 0.0), ("leaky_relu", 0.3, 0.3),
                                                ("prelu", 0.25, 0.25), ("elu", 2.0, 2.0)])
def test_every_piecewise_block_has_a_declarable_kink(block, alpha, left):
    key = implementations.KINKS[block][0]
    assert key in implementations.CONVENTION_CHOICES
    undeclared = Implementation(_Mod(), "m", implementations)
    assert kinks.allowed_values(undeclared, block, alpha) == tuple(sorted({left, 1.0}))
    for value, want in ((0.0, 0.0), (1.0, 1.0)) if block == "relu" else \
            (("left", left), ("right", 1.0)):
        impl = Implementation(_Mod(**{key: value}), "m", implementations)
        assert kinks.allowed_values(impl, block, alpha) == (want,)
        assert kinks.convention_value(impl, block, alpha) == want
    # the reference's own: ReLU'(0) = 1 (the article), Leaky/PReLU 1, ELU alpha (z <= 0)
    ref = Implementation(implementations, "implementations", implementations)
    grad = {"relu": lambda: implementations.relu_grad(np.zeros(1)),
            "leaky_relu": lambda: implementations.leaky_relu_grad(np.zeros(1), alpha),
            "prelu": lambda: implementations.prelu_grad(np.zeros(1), alpha),
            "elu": lambda: implementations.elu_grad(np.zeros(1), alpha)}[block]()
    assert grad[0] == kinks.convention_value(ref, block, alpha)
