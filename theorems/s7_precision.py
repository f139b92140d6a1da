"""§7 Frameworks: the working precision of the implementation under test (issue 25).

The protocol is float64, but a framework may compute float64 input in float32 (Keras off
TensorFlow). Such a module declares ``CONVENTIONS["precision"] = "float32"``; the checks
then hold it to float32's roundoff (``checks/support/precision.py``), and this one claim
records, once, which protocol calls came back float32 or lost float64 accuracy - the
demotion as one finding about the framework instead of a failure of every check whose
tolerance assumes float64.

Main statements
---------------
* ``implementation-computes-at-its-declared-precision`` - checked by
  ``checks/test_s7_precision.py::test_calls_keep_the_declared_precision`` (every protocol
  name with a deterministic example, against the reference on the same inputs).

Notation
--------
A result is *float32-valued* when every entry is a float32 number.
"""
from claimledger import claim

claim("implementation-computes-at-its-declared-precision", "7",
      "The implementation computes at its declared working precision",
      statement="Called with float64 inputs whose results are not float32 numbers, every "
                "deterministic protocol block of the implementation under test returns "
                "float64 results that are not float32-valued (where the reference's are "
                "not), unless the implementation declares CONVENTIONS['precision'] = "
                "'float32'; a module that declares float32 has the calls in which float64 "
                "input came back float32 or float32-valued listed as a finding about it.",
      verdict="supported", origin="framework",
      note="A finding about the implementation under test, not about the article: the "
           "reference, PyTorch (float64 tensors) and JAX (x64 mode) keep float64; Keras "
           "declares float32.")
