"""A dropout mask keeps each unit with probability q, independently."""
import pytest

from claimledger import stattests as T

EFFECT = 0.01  # the smallest error in the keep rate the test must catch


@pytest.mark.claim("dropout-mask-keeps-fraction-q", kind="statistical")
def test_keep_rate_and_independence(impl, rng, evidence):
    q = 0.8
    budget = T.ErrorBudget(1e-6, k=2)
    n = T.binomial_sample_size(EFFECT, q * q, false_fail_rate=budget.per_assertion)
    mask = impl.dropout_mask((n, 2), q, rng)
    single = T.binomial(int(mask[:, 0].sum()), n, q, false_fail_rate=budget.per_assertion,
                        effect=EFFECT)
    both = T.binomial(int((mask[:, 0] * mask[:, 1]).sum()), n, q * q,
                      false_fail_rate=budget.per_assertion, effect=EFFECT)
    single.assert_ok("P(kept) = q")
    both.assert_ok("P(both kept) = q^2 (independence)")
    evidence.note(single.evidence())
    evidence.note(both.evidence())
