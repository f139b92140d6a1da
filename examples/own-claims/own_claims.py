"""Four statements of our note, one per verdict a check can earn or a finding can take.

Main statements
---------------
* ``softmax-is-shift-invariant`` - proved for any number of classes K (sympy, with a
  negative control: a scaled input is rejected), ``tests/test_softmax.py``.
* ``softmax-is-scale-invariant`` - refuted: z = (0, 1), c = 2 (exact), ``tests/test_softmax.py``.
* ``adam-bias-correction-is-unbiased`` - qualified: true only when the gradients' mean is
  the same at every step; the drifting counterexample in exact arithmetic and the corrected
  statement for symbolic t, ``tests/test_adam.py``.
* ``dropout-mask-keeps-fraction-q`` - supported: an exact binomial test of the
  implementation at alpha 1e-6, ``tests/test_dropout.py``.
"""
from claimledger import claim

claim("softmax-is-shift-invariant", "softmax", "Softmax ignores a common shift",
      statement="softmax(z + c 1) = softmax(z) for every z in R^K and every real c.",
      verdict="proved")

claim("softmax-is-scale-invariant", "softmax", "Softmax ignores a common scale",
      statement="softmax(c z) = softmax(z) for every z in R^K and every c > 0.",
      verdict="refuted",
      corrected_statement="softmax(c z) = softmax(z) for every c > 0 only when z is constant; "
                          "scaling sharpens (c > 1) or flattens (c < 1) the distribution.",
      misled="A reader treats the softmax temperature as irrelevant.")

claim("adam-bias-correction-is-unbiased", "adam", "Adam's corrected first moment is unbiased",
      statement="m_t / (1 - b^t), with m_t = b m_{t-1} + (1 - b) g_t and m_0 = 0, has "
                "expectation E[g_t].",
      verdict="qualified",
      corrected_statement="If E[g_i] = mu for every step i, then E[m_t / (1 - b^t)] = mu for "
                          "every t >= 1 and 0 < b < 1.",
      misled="A reader trusts the corrected moment to track a drifting gradient mean.")

claim("dropout-mask-keeps-fraction-q", "dropout", "A dropout mask keeps a fraction q",
      statement="Each entry of dropout_mask(shape, q, rng) is 1 with probability q, "
                "independently.",
      verdict="supported")
