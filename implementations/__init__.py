"""Reference implementations, and the protocol any implementation under test follows.

The checks reach implementations only through the ``impl`` fixture, resolved from
``pytest --impl MODULE`` (default: this package). To verify your own building blocks,
write a module that defines the protocol names below (numpy arrays in and out, float64
unless stated) and run ``pytest --impl your.module`` or ``make verify IMPL=your.module``.
A name your module lacks skips the checks that need it: their claims show
``unverified`` with the reason "not provided".

Each submodule lists its protocol names in ``__protocol__``; this package re-exports
exactly those, and :func:`protocol` returns the table (name -> first docstring line)
that the README and report print. Conventions shared by every name:

* inputs are validated: wrong shapes, NaN/inf, out-of-range parameters raise
  ``ValueError`` with a message naming the argument;
* nothing loops forever: iterative procedures take an explicit cap;
* no global random state: random functions take ``rng`` (a ``numpy.random.Generator``).

For a framework author (the PyTorch and JAX adapters in ``implementations/adapters/`` are
worked examples):

* dtype: every array in and out is a ``numpy.ndarray`` of float64 (labels and counts:
  int64 where stated); compute in float64 (JAX: ``jax_enable_x64``) - tolerances are
  stated for float64. Scalars (losses, norms) are returned as Python floats.
* layout: weight matrices are (fan_out, fan_in) - row i holds unit i's incoming weights,
  ``W @ x + b`` (PyTorch's ``nn.Linear``); frameworks storing (fan_in, fan_out) (flax's
  Dense kernel, Keras) transpose at the boundary. Batches are (samples, features); the
  channel axis of ``prelu``'s per-channel alpha is the last axis.
* what is returned: ``dropout_train`` returns (output, mask) with the 0/1 mask the
  framework drew (read it off by replaying the same key on ones); ``clip_grad_norm``
  returns (clipped list, global norm before clipping); ``batchnorm_train`` returns
  (y, new running mean, new running var); ``mlp_gradients`` returns
  (loss, [dL/dW_l], [dL/db_l]) in the (fan_out, fan_in) layout; ``gradient_descent``
  returns the iterates as rows, stopping before the first non-finite one.
* randomness: derive the framework's key or generator from ``rng`` (one draw of
  ``rng.integers`` per call is enough: the JAX adapter uses
  ``jax.random.key(rng.integers(0, 2**63 - 1))``, the PyTorch adapter seeds a
  ``torch.Generator`` the same way), so a run is reproducible from ``--root-seed``.
* ``Tensor`` (the recording autodiff node of ``autodiff.py``) is for frameworks with a
  tensor object that records a graph. A functional framework (JAX: ``jax.grad`` transforms
  functions) leaves it out; its autodiff is checked through the ``*_grad`` names and
  ``mlp_gradients``. The same holds for any name a framework has no block for: leave it
  out rather than re-implement it (its claims show ``unverified``, "not provided").
* conventions the article leaves open are declared, not guessed: a module may define
  ``CONVENTIONS = {"running_var": "unbiased" | "biased", "relu_grad_at_0": 1.0 | 0.0,
  "subnormals": "honoured" | "flushed"}`` (reference values first; see
  ``checks/support/impl.py``). The checks of claims that leave the choice open test the
  declared value exactly, and a flushing backend is not probed with subnormal inputs;
  the difference from the reference is a frameworks finding (§7), not a failed claim.
* error messages: each name raises ``ValueError`` on invalid input. The tables of exact
  messages pinned in ``checks/harness/test_inputs*.py`` are the *reference's* messages
  and apply to the reference only; the article checks never depend on a message's text.
* warnings: a ``RuntimeWarning`` raised in the module's own code is an error in the
  checks (as for the reference), so overflow hidden behind a warning fails its check.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil

__all__: list[str] = []
_SOURCES: dict[str, str] = {}

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name.startswith("_") or _info.ispkg:
        continue
    _mod = importlib.import_module(f"{__name__}.{_info.name}")
    for _name in getattr(_mod, "__protocol__", ()):
        if _name in _SOURCES:
            raise ImportError(f"protocol name {_name!r} defined by both "
                              f"{_SOURCES[_name]} and {_info.name}")
        globals()[_name] = getattr(_mod, _name)
        _SOURCES[_name] = _info.name
        __all__.append(_name)


def protocol() -> dict[str, tuple[str, str, str]]:
    """name -> (module, signature, first docstring line) of every protocol name."""
    out = {}
    for name in __all__:
        obj = globals()[name]
        try:
            sig = str(inspect.signature(obj))
        except (TypeError, ValueError):
            sig = ""
        doc = (inspect.getdoc(obj) or "").split("\n")[0]
        out[name] = (_SOURCES[name], sig, doc)
    return out
