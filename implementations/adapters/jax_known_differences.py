"""Article claims whose checks fail under ``--impl jax``, and why (JAX 0.10.2, CPU, x64).

Same contract as ``torch_known_differences.py``: ``KNOWN_DIFFERENCES`` maps a claim id to
the JAX behaviour that makes its checks fail, each a finding about JAX/flax/optax stated
and checked on JAX itself by the claim named in brackets (``theorems/s7_jax.py``,
``checks/test_s7_jax.py``). ``claimledger.compare_ledgers --known`` reads it: a claim
failing under JAX that is not listed, or listed but no longer failing (unless in
``SEED_DEPENDENT``), makes ``make verify IMPL=jax`` fail.
"""
from __future__ import annotations

_SAT = "[jax-grad-saturated-derivatives-are-exactly-zero] numerics"
_FTZ = "[jax-cpu-flushes-subnormals-to-zero] backend"
_NORM = "[optax-global-norm-overflows-and-clip-zeroes-finite-gradients] numerics"

KNOWN_DIFFERENCES: dict[str, str] = {
    # -- §2.4 activations -------------------------------------------------------------------
    "dying-region-is-exact-zero-saturation-is-not": (
        f"{_SAT}: jax.grad's sigmoid' is y (1 - y) from the rounded output, exactly 0 for "
        f"z >= 36.73680056967711; and {_FTZ}: sigmoid'(z) = 0 for z <= -708.3964 (true value "
        "below the smallest normal). The check asks sigmoid' > 0 on z in [-700, 700]: at "
        "z = 40 JAX gives 0 (true 4.25e-18), at z = -700 ... -710 the far tail is flushed. "
        "In JAX saturation is a dying region."),
    "prelu-is-leaky-relu-with-learnable-slope": (
        "[not a numerical difference] flax.linen.PReLU has one scalar slope (its parameter is "
        "declared with shape ()); the check exercises per-channel slopes (He et al. 2015), "
        "which the adapter refuses with ValueError rather than emulate."),
    "zoo-derivatives-match-symbolic-and-finite-differences": (
        "[jax-gelu-tanh-left-tail-cancels] numerics: jax.grad of jax.nn.gelu(approximate=True) "
        "cancels in 1 + tanh u for z < 0; at random z the check (atol 1e-15, rtol 1e-12) sees "
        "e.g. z ~ -5: -3.498073615545891e-06 vs -3.4980736167603167e-06 (relative 3.5e-10); "
        "5.6e-6 relative at z = -6. Seed-dependent: a run fails when a random point lands "
        "in the left tail (z < -4)."),
    "zoo-implementations-finite-for-every-float": (
        "several JAX behaviours against the 50-digit reference (tolerance 1e-12 x scale): "
        f"{_SAT}: sigmoid_grad(36) = 2.220446e-16 vs 2.3195e-16, sigmoid_grad(40) = 0 vs "
        "4.25e-18, tanh_grad(+-20) = 0, elu_grad(-40) = 0 vs 4.25e-18; "
        f"{_FTZ} (the check skips subnormal inputs for a flushing backend, but not "
        "subnormal intermediates): silu(-709) = -0 vs -8.63e-306 (sigmoid(-709) ~ 1.2e-308 "
        "... is flushed before the product), sigmoid(z) = 0 for z <= -708.4; "
        "[jax-gelu-tanh-left-tail-cancels] gelu_tanh(-20) = 0 vs -3.4e-261; "
        "[jax-gelu-tanh-derivative-nan-for-huge-inputs] gelu_tanh_grad(+-1e154) = NaN."),
    # -- §3.2-3.3 losses ---------------------------------------------------------------------
    "classification-losses-match-catalogue": (
        "[jax-log1p-loses-digits-near-minus-0-41] numerics: the adapter's BCE is "
        "-[xlogy(y, p) + xlog1py(1 - y, -p)] and jnp.log1p is off by up to 2.6e-14 relative "
        "for p in about [0.356, 0.4142]: seed 1 draws p = 0.40401996611839575, y = 0 and "
        "gets 0.5175481126765749 vs 0.5175481126765821 (relative 1.4e-14 > the check's "
        "1e-14). Seed-dependent: only when a drawn p lands there."),
    "gibbs-inequality-kl-nonnegative-zero-iff-equal": (
        "[optax-kl-divergence-is-nan-where-p-and-q-both-vanish] convention: "
        "optax.kl_divergence(log q, p) is NaN where p(x) = q(x) = 0, so kl_divergence(p, p) "
        "is NaN for every p with a zero entry (the check's p = (0.213, 0, 0, 0, 0.787, 0)). "
        "Positive pairs satisfy Gibbs' inequality and Pinsker's bound."),
    # -- §4.1 clipping -----------------------------------------------------------------------
    "clip-grad-norm-scales-norm-down-to-threshold": (
        f"{_NORM}: optax.global_norm is inf for finite gradients with an entry >= 1.3408e154 "
        "(e.g. the check's entry 2.608e194, true norm 2.608e194); the clip then returns "
        "zeros, whose norm is 0, not tau. Below the overflow optax scales by exactly "
        "tau/||g|| (it passes)."),
    "clip-grad-norm-keeps-direction": (
        f"{_NORM}: a gradient list with one entry >= 1.3408e154 gets norm inf and is "
        "clipped to all zeros (common factor 0 instead of tau/||g||)."),
    "clip-grad-norm-is-identity-below-threshold": (
        f"{_NORM}: a finite gradient with an entry 1e300 and tau = (1 + slack) ||g|| gets "
        "norm inf > tau and comes back as zeros instead of unchanged."),
    # -- §4.2 initialisation -----------------------------------------------------------------
    "xavier-initialisers-have-variance-two-over-fan-sum": (
        "[jax-glorot-and-he-normal-are-truncated-normals] convention: glorot_normal draws a "
        "normal truncated at 2 sd and rescaled by 1/0.8796: the variance 2/(fan_in + "
        "fan_out) is right (the chi-square checks pass) but test_normal_initialisers_are_"
        "gaussian's Kolmogorov-Smirnov test (n = 105283, alpha 1e-6) rejects the normal "
        "shape: every |w| <= 2.2737 sd, CDF distance 0.0167 from N(0, var). "
        "xavier_uniform passes."),
    "he-initialisers-have-variance-two-over-fan-in": (
        "[jax-glorot-and-he-normal-are-truncated-normals] convention: he_normal is the same "
        "truncated normal (variance 2/fan_in right, shape rejected by the KS test as for "
        "glorot_normal); he_uniform passes."),
    # -- §4.3 normalisation ------------------------------------------------------------------
    "batchnorm-output-has-zero-mean-unit-variance": (
        "[flax-fast-variance-cancels-under-large-offsets] numerics: with a feature whose "
        "mean is large against its spread the fast variance E[x^2] - E[x]^2 is off; seed 1 "
        "draws such a batch and gets -0.08313817657949554 vs -0.08313726817803951 "
        "(relative 1.1e-5 > the check's 1e-6). Seed-dependent."),
    "affine-sets-any-output-mean-and-variance": (
        "[flax-fast-variance-cancels-under-large-offsets] numerics: the same check as "
        "batchnorm-output-has-zero-mean-unit-variance (BN output vs its formula), failing "
        "on the same seed-1 batch. Seed-dependent."),
    "bias-before-normalisation-is-redundant": (
        "[flax-fast-variance-cancels-under-large-offsets] numerics: flax's BatchNorm and "
        "LayerNorm compute var = E[x^2] - E[x]^2 (use_fast_variance=True), which cancels "
        "when a bias shifts a feature far from 0: BN(x + b) vs BN(x) differ by 1.2e-5 "
        "absolute (relative 6e-6) on the check's example, beyond its rtol 1e-6."),
}

SEED_DEPENDENT: frozenset[str] = frozenset({
    "classification-losses-match-catalogue",  # a drawn p in [0.356, 0.4142]
    "batchnorm-output-has-zero-mean-unit-variance",  # a batch with a large offset
    "affine-sets-any-output-mean-and-variance",  # ditto
    "zoo-derivatives-match-symbolic-and-finite-differences",  # random z in the left tail
    "bias-before-normalisation-is-redundant",  # a bias large against the feature's spread
    "clip-grad-norm-keeps-direction",  # an entry >= 1.34e154 among the random gradients
    "clip-grad-norm-scales-norm-down-to-threshold",  # ditto (also the fixed overflow cases)
})

# Differences that no longer fail an article claim, because the claim leaves the choice
# open and the adapter declares its convention (CONVENTIONS in jax_adapter.py; the checks
# test the declared value exactly): each is a frameworks finding of theorems/s7_jax.py.
DECLARED: dict[str, str] = {
    "relu-row-grad-one-positive-zero-negative": (
        "[jax-relu-derivative-at-zero-is-zero] relu'(0) = 0 declared; the article's table "
        "and the reference use 1"),
    "batchnorm-running-averages-of-batch-statistics": (
        "[flax-batchnorm-tracks-biased-variance-and-momentum-weights-old] running_var "
        "'biased' declared; PyTorch and the reference track the unbiased variance"),
    "leaky-relu-has-nonzero-grad-everywhere": (
        "[jax-cpu-flushes-subnormals-to-zero] subnormals 'flushed' declared: "
        "leaky_relu(-5e-324) = -5e-324 instead of -0 and leaky_relu'(-1e-310) = 1 instead "
        "of alpha (the subnormal input is read as 0)"),
}

CHECK_ARTIFACTS: dict[str, str] = {}
