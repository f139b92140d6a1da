"""softmax: shift invariance proved for any K; scale invariance refuted."""
import numpy as np
import pytest
import sympy as sp

from claimledger.symbolic import linear

K = sp.Symbol("K", integer=True, positive=True)
j, k = sp.symbols("j k", integer=True, positive=True)
z = sp.IndexedBase("z", real=True)
c = sp.Symbol("c", real=True)


def softmax_k(transform):
    """softmax(T z)_k in R^K for symbolic K, T applied to every coordinate."""
    return sp.exp(transform(z[k])) / sp.Sum(sp.exp(transform(z[j])), (j, 1, K))


@pytest.mark.claim("softmax-is-shift-invariant", kind="symbolic")
def test_shift_cancels_for_any_number_of_classes(control, evidence):
    def derive(transform):
        # exp(a + c) = exp(a) exp(c); the common factor leaves the sum by linearity
        diff = sp.expand(softmax_k(transform), power_exp=True) - softmax_k(lambda a: a)
        diff = linear(sp.expand(diff, power_exp=True))
        numerator = sp.expand(sp.numer(sp.together(diff)), power_exp=True)
        assert numerator == 0, "softmax(T z) != softmax(z)"

    control(derive, lambda a: a + c, lambda a: 2 * a, lambda a: a + c * a,
            labels=["scale by 2", "shift proportional to z"])
    evidence.note("sympy, symbolic K: exp(z_k + c) / sum_j exp(z_j + c) = softmax(z)_k")


@pytest.mark.claim("softmax-is-shift-invariant", kind="sampled")
def test_implementation_ignores_a_shift(impl, rng):
    x = rng.normal(size=(50, 7))
    shift = rng.normal(size=(50, 1)) * 100
    np.testing.assert_allclose(impl.softmax(x + shift), impl.softmax(x), rtol=1e-12,
                               atol=1e-15, err_msg="softmax(z + c) != softmax(z)")


@pytest.mark.claim("softmax-is-scale-invariant", kind="exact", target="counterexample")
def test_scaling_changes_softmax(evidence):
    e = sp.E
    scaled, plain = e**2 / (1 + e**2), e / (1 + e)  # softmax(2 (0, 1))_2 vs softmax((0, 1))_2
    diff = sp.simplify(scaled - plain)
    assert diff != 0 and diff.is_positive, "the counterexample must separate them"
    evidence.counterexample(f"z = (0, 1), c = 2: softmax(c z)_2 - softmax(z)_2 = {diff} > 0")
