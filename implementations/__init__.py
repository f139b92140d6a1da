"""Reference implementations, and the protocol any implementation under test follows.

The checks reach implementations only through the ``impl`` fixture, resolved from
``pytest --impl MODULE`` (default: this package). To verify your own building blocks,
write a module that defines the protocol names below (numpy arrays in and out, float64
unless stated) and run ``pytest --impl your.module`` or ``make verify IMPL=your.module``.
A name your module lacks skips the checks that need it: their claims show
``unverified`` with the reason "not provided".

Each submodule lists its protocol names in ``__protocol__``; this package re-exports
exactly those, and :func:`protocol` returns the table (name -> first docstring line)
that the report prints. Beside ``__protocol__`` each submodule gives a valid
example call of every name in ``__examples__`` (:func:`examples`) and the documented
exceptions below (:func:`contract`); the bad-input fuzzer
(``checks/harness/test_fuzz_protocol.py``) checks every name against this contract.

The bad-input contract
----------------------
Every bad argument raises ``ValueError`` whose message names the argument (a part of one
is named like ``weights[1]`` or ``ridges[0]: L``; a value returned by the caller's function
like ``grad(x)``, ``f(x)``, ``modulus(t)`` or "the activation's output"). No other
exception type, no warning, no NaN/inf returned silently, no hang, no unbounded
allocation, no change to an argument, no use of global random state. By kind of argument:

* **real arrays** (``z``, ``x``, ``X``, ``y``, ``pred``, ``p``, ``gamma``, ``grads[k]``,
  ``weights[l]``, ...): numpy arrays of a float or integer dtype, Python or numpy real
  scalars, and nested lists/tuples of those, converted to float64 by
  ``_validate.float_array``. Refused: complex values (even with zero imaginary part),
  text and bytes (numeric strings are not parsed), booleans (bool arrays, and bools inside
  lists: numpy would read them as 0 and 1 - a step written ``z > 0`` must be written
  with floats), masked arrays (the mask would be dropped), ``None`` and other objects,
  ragged lists, integers beyond float64 (10**400), other dtypes (datetime, void). NaN and
  inf are refused except where documented (``__nonfinite_args__``: ``clip_grad_norm``'s
  ``grads``, ``sign_activation``'s ``z``). Subnormal and huge finite values are accepted;
  when the result would leave float64 the call is refused ("the arguments (...) lead
  outside the float64 range"; ``_validate.refuse_overflow``) or computed by a rescaled
  formula (``mse_loss``, ``mae_loss``), never returned as inf/NaN - except the documented
  +inf values (``__infinite_results__``: a probability 0 given to a label, ``q(x) = 0 <
  p(x)``, a non-finite gradient in ``clip_grad_norm``). Shapes never broadcast beyond the
  main argument: ``prelu``'s ``alpha`` and ``soft_threshold``'s ``t`` must broadcast *to*
  ``z``'s shape, and an activation must return its input's shape.
* **real scalars** (``eta``, ``eps``, ``lam``, ``tol``, ``alpha`` of leaky ReLU/ELU,
  ``c``, ``a``, ``b``, ``lipschitz``, ``base``, ``p``, ``momentum``, ``gain``, ``b0``,
  ``max_norm``, ...): a Python or numpy real number (int, float, ``Fraction``), finite and
  within float64, through ``_validate.real_scalar``. Refused: bool, str, bytes, complex,
  masked, ``None``, arrays (even 0-d: a scalar that broadcasts is a shape leak),
  10**400, NaN, inf.
* **integer counts** (``steps``, ``max_epochs``, ``max_iter``, ``n``, ``fan_in``,
  ``fan_out``): int or numpy integer >= 1, not bool and not float (2.0 is refused), with a
  cap (below).
* **flags** (``inverted``, ``bias``, ``requires_grad``): ``True``/``False`` (Python or
  numpy bool) only; ``'no'``, 0 and 1 are refused.
* **axis** (``softmax``, ``log_softmax``): an integer in [-ndim, ndim).
* **names** (``activation``, ``loss``): one of the listed strings (or, for
  ``mlp_forward``, a callable).
* **callables** (``grad``, ``f``, ``modulus``, ``activation``, ridge profiles): what they
  return is converted like a real array, named after the callable, and must have the
  expected shape.
* **rng**: a ``numpy.random.Generator``; ``None``, seeds, ``np.random`` and
  ``RandomState`` are refused.
* **exact values** (``__exact_args__``: ``separate``'s ``points``, exact-mode object
  arrays of ``Tensor``/``mlp_gradients``; ``Separable.w``/``b``, ``Inseparable.lam``):
  integers of any size are valid (rational arithmetic); bool, float (for certificates),
  text are refused; ``lam`` must be >= 0 and not all 0.

Caps on work and memory (each refusal says which cap and why; ``_validate``'s
``MAX_ELEMENTS`` = 2^25 float64 entries = 256 MiB, ``MAX_WORK`` = 10^10 multiply-adds,
``MAX_PY_STEPS`` = 10^7 iterations of a Python loop):

* ``gradient_descent``: steps <= 10^6 and (steps + 1) len(x0) <= MAX_ELEMENTS;
* ``least_squares_gd``: steps <= 10^6 and steps X.size <= MAX_WORK;
* ``lasso``: max_iter X.size <= MAX_WORK and max_iter d <= MAX_PY_STEPS;
* ``perceptron_train``: max_epochs N <= MAX_PY_STEPS (bounds time and the trajectory);
* ``mlp_forward``, ``linear_collapse``, ``mlp_gradients``, ``mlp_flop_counts``: at most
  10^4 layers;
* ``xavier_*``, ``he_*``: fan_in fan_out <= MAX_ELEMENTS, gain <= 1e150;
* ``boolean_points``: n <= 20 (n 2^n <= MAX_ELEMENTS); ``boolean_census``: n <= 4;
* ``uat_plan_1d``, ``uat_network_1d``, ``uat_network_ridges``: at most 2 10^6 neurons
  (in all, over the ridges);
* ``separate``: a simplex tableau of (n + 2)(N + n + 3) <= 200 000 exact fractions.

Every other name does work proportional to its arguments' size, which the caller has
already allocated.

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
  "leaky_relu_grad_at_0" / "prelu_grad_at_0" / "elu_grad_at_0": "left" | "right",
  "subnormals": "honoured" | "flushed"}`` (the choices and the reference's values are
  :data:`CONVENTION_CHOICES`, read by ``claimledger/impl.py``). A declared value is a
  promise the checks test exactly; a flushing backend is not probed with subnormal inputs;
  the difference from the reference is a frameworks finding (§7), not a failed claim.
* precision: ``CONVENTIONS["precision"] = "float32"`` declares that the module computes in
  float32 whatever it is given (its results may come back float32, or float64 holding
  float32-rounded values). Tolerances stated for float64 are then scaled to float32's unit
  roundoff (x 2^29, :mod:`checks.support.precision`) and probes kept inside float32's
  range; which calls lost float64 is reported once (claim
  ``implementation-computes-at-its-declared-precision``), not as one failure per check. A
  module that declares nothing is held to float64.
* kinks: every piecewise block's derivative at its kink z = 0 is a convention, declared
  as the one-sided derivative taken there (``"left"``: relu 0, leaky/PReLU alpha, ELU
  alpha; ``"right"``: 1; :data:`KINKS`). A check demands at the kink only what its claim
  says: where the claim fixes the value (the article's ReLU'(0) = 1, ELU's z <= 0 branch)
  the declared convention (or the reference's); where it leaves it open (Leaky ReLU's
  "non-zero everywhere", the zoo's accuracy) the declared value if one is declared, and
  otherwise either one-sided derivative - never a value outside them, such as 0.
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

#: conventions an implementation may declare in ``CONVENTIONS``: key -> (allowed values,
#: the reference's value). ``subnormals``: "honoured" (subnormal inputs and results are
#: computed as IEEE 754 says) or "flushed" (a backend with flush-to-zero / denormals-are-
#: zero, e.g. XLA on CPU); a flushing implementation is not probed with subnormal inputs
#: by the article's checks, and the flushing itself is reported as a §7 finding.
CONVENTION_CHOICES = {
    "running_var": (("unbiased", "biased"), "unbiased"),  # BatchNorm's tracked variance
    "relu_grad_at_0": ((0.0, 1.0), 1.0),  # relu'(0): the article's table uses 1
    "subnormals": (("honoured", "flushed"), "honoured"),
    # the working precision: "float32" for a framework that computes float64 input in
    # float32 (Keras off TensorFlow); the checks' tolerances and probes follow it
    # (checks/support/precision.py) and the demotion is reported once, as a finding
    "precision": (("float64", "float32"), "float64"),
    # the one-sided derivative each piecewise block returns at its kink z = 0 (KINKS)
    "leaky_relu_grad_at_0": (("right", "left"), "right"),
    "prelu_grad_at_0": (("right", "left"), "right"),
    "elu_grad_at_0": (("left", "right"), "left"),  # the article's z <= 0 branch: alpha
}

#: the piecewise blocks: name -> (convention key, left derivative at 0, right derivative
#: at 0), each a function of the block's slope alpha (None for ReLU). relu_grad_at_0 is
#: declared by value (0.0 is its left, 1.0 its right derivative).
KINKS = {
    "relu": ("relu_grad_at_0", lambda a: 0.0, lambda a: 1.0),
    "leaky_relu": ("leaky_relu_grad_at_0", lambda a: float(a), lambda a: 1.0),
    "prelu": ("prelu_grad_at_0", lambda a: a, lambda a: 1.0),
    "elu": ("elu_grad_at_0", lambda a: float(a), lambda a: 1.0),
}

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


def examples() -> dict[str, list[dict]]:
    """name -> valid example calls (keyword arguments) of every protocol name.

    Each submodule gives them in ``__examples__`` beside ``__protocol__``; the bad-input
    fuzzer (``claimledger/fuzz.py``) varies one argument of an example at a time, so a
    new protocol name is fuzzed as soon as it has an example."""
    out = {}
    for mod in sorted(set(_SOURCES.values())):
        out.update(importlib.import_module(f"{__name__}.{mod}").__dict__.get("__examples__", {}))
    return out


def contract() -> dict:
    """The documented exceptions to the bad-input contract, gathered from the submodules:
    ``nonfinite_args`` - (name, argument) pairs that take NaN/inf on purpose;
    ``infinite_results`` - names for which +inf is a documented value;
    ``exact_args`` - (name, argument) pairs read exactly, where integers of any size are
    valid."""
    out = {"nonfinite_args": set(), "infinite_results": set(), "exact_args": set()}
    for mod in sorted(set(_SOURCES.values())):
        d = importlib.import_module(f"{__name__}.{mod}").__dict__
        for key in out:
            out[key].update(d.get(f"__{key}__", ()))
    return {key: frozenset(v) for key, v in out.items()}
