"""Adam's bias correction: unbiased only for a stationary gradient mean."""
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

CLAIM = "adam-bias-correction-is-unbiased"


def corrected_means(means, beta):
    """E[m_t / (1 - beta^t)] by the recursion, exactly (expectation is linear)."""
    m, out = Fraction(0), []
    for t, mu in enumerate(means, start=1):
        m = beta * m + (1 - beta) * mu
        out.append(m / (1 - beta ** t))
    return out


@pytest.mark.claim(CLAIM, kind="exact", target="counterexample")
def test_drifting_mean_is_not_tracked(evidence):
    beta = Fraction(9, 10)
    got = corrected_means([Fraction(1), Fraction(2)], beta)[-1]
    assert got == Fraction(29, 19) and got != 2
    evidence.counterexample(f"E[g_1] = 1, E[g_2] = 2, b = 9/10: E[corrected m_2] = {got}, "
                            "not E[g_2] = 2")


@pytest.mark.claim(CLAIM, kind="symbolic", target="corrected")
def test_stationary_mean_is_unbiased_for_every_t(control, evidence):
    t, i = sp.symbols("t i", integer=True, positive=True)
    r, mu = sp.symbols("r mu", positive=True)
    b = 1 / (1 + r)  # every b in (0, 1), and b != 1 lets the geometric sum close

    def derive(divisor):
        # m_t = (1 - b) sum_{i=1}^t b^(t - i) g_i, so E[m_t] = (1 - b) mu sum b^(t - i)
        expected_m = (1 - b) * mu * sp.Sum(b ** (t - i), (i, 1, t)).doit()
        diff = sp.simplify(expected_m / divisor - mu)
        assert diff == 0, "E[corrected] != mu"

    control(derive, 1 - b**t, sp.Integer(1), 1 - b**(t + 1),
            labels=["no correction", "1 - b^(t+1)"])
    evidence.note("sympy, symbolic t and b = 1/(1 + r), r > 0: E[m_t] = mu (1 - b^t) "
                  "(geometric sum)")


@pytest.mark.claim(CLAIM, kind="sampled", target="corrected")
def test_implementation_returns_a_constant_gradient(impl, rng):
    for beta in (0.5, 0.9, 0.999):
        mu = rng.normal()
        got = impl.adam_first_moment(np.full(20, mu), beta)
        np.testing.assert_allclose(got, mu, rtol=1e-9, atol=1e-12,
                                   err_msg=f"corrected moment of constant {mu} (beta {beta})")
