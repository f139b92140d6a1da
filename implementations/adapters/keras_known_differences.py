"""Article claims whose checks fail under ``--impl keras``, and why (Keras 3.15.1, torch).

Same contract as ``torch_known_differences.py``: ``KNOWN_DIFFERENCES`` maps a claim id to
the Keras behaviour that makes its checks fail, each a finding about Keras stated and
checked on Keras itself by the claim named in brackets (``theorems/s7_keras.py``,
``checks/test_s7_keras.py``; on the torch backend Keras' activations are PyTorch's, so
two entries cite PyTorch's §7 claims, ``theorems/s7_frameworks.py``). Upstream issue
numbers are given where one exists. ``claimledger.compare_ledgers --known`` reads it: a
claim failing under Keras that is not listed, or listed but no longer failing (unless in
``SEED_DEPENDENT``), makes ``make verify IMPL=keras`` fail.

The adapter declares ``CONVENTIONS["precision"] = "float32"`` (Keras computes float64
input in float32 off TensorFlow: [keras-float64-inputs-computed-in-float32], upstream
keras-team/keras#23223 and #23704), so the checks hold it to float32's roundoff and the
demotion is reported once, by ``implementation-computes-at-its-declared-precision``,
instead of failing some 25 checks; what remains below fails at float32 tolerances too.
"""
from __future__ import annotations

_EPS = "[keras-losses-clip-probabilities-at-epsilon] convention"
_CLIP = "[keras-global-clipnorm-factor-float32-and-norm-overflow] numerics"
_BN = "[keras-batchnorm-variance-cancels-in-float32-without-clamp] numerics"
_TRUNC = "[keras-glorot-and-he-normal-are-truncated-normals] convention"

KNOWN_DIFFERENCES: dict[str, str] = {
    # -- §2.4 activations (torch's functions on this backend) -----------------------------
    "dying-region-is-exact-zero-saturation-is-not": (
        "[keras-activations-are-torch-functions-on-the-torch-backend] and "
        "[torch-sigmoid-tanh-gradients-are-exactly-zero-in-saturation] numerics: "
        "keras.activations.sigmoid is torch.sigmoid, whose autograd derivative y (1 - y) is "
        "exactly 0 from z = 36.74 (4.25e-18 at z = 40); the check asks sigmoid' > 0 on "
        "[-700, 700]."),
    "zoo-implementations-finite-for-every-float": (
        "[keras-activations-are-torch-functions-on-the-torch-backend] with "
        "[torch-gelu-left-tail-cancels-to-zero]: gelu(-36) = -0.0 vs -1.5e-282 (the check's "
        "fixed example, every seed), sigmoid'(40) = 0; and "
        "[keras-kinks-take-the-left-derivative-and-prelu-is-dead-at-zero]: the PReLU "
        "layer's derivative at z = 0 is 0, neither one-sided derivative (alpha, 1)."),
    # -- §3.2-3.3 losses ---------------------------------------------------------------------
    "classification-losses-match-catalogue": (
        f"{_EPS}: BinaryCrossentropy and CategoricalCrossentropy clip probabilities to "
        "[1e-7, 1 - 1e-7]: BCE(p = 0, y = 1) = 16.118 instead of +inf; CCE of p = (1e-9, "
        "...) for its first class is 16.118 instead of 20.72; a class with y = 0 and p = 0 "
        "costs 1e-7 instead of 0."),
    "log-softmax-and-logit-losses-stable-for-extreme-logits": (
        f"{_EPS}: the check compares CrossEntropy(logits) with CCE(softmax(logits)); the "
        "probability form clips softmax(z) = e^-17 to 1e-7, so for z = (17, 0), class 1: "
        "17.0 (logits, right) vs 16.118 (probabilities, clipped)."),
    "kl-divergence-matches-catalogue": (
        f"{_EPS}: keras.losses.kl_divergence clips p and q to [1e-7, 1]: KL((1, 0) || "
        "(1/2, 1/2)) = 0.6931456 instead of ln 2 (the p = 0 class contributes 1e-7 "
        "ln(2e-7)), and KL((1, 0) || (2e-9, ...)) = 16.118 instead of 18.42."),
    "gibbs-inequality-kl-nonnegative-zero-iff-equal": (
        f"{_EPS}: KL((1/2, 1/2) || (1, 0)) = 7.3659 instead of +inf: a q(x) = 0 < p(x) is "
        "clipped to 1e-7. Pairs without zeros satisfy Gibbs' inequality and Pinsker."),
    "categorical-negative-log-likelihood-is-cce": (
        f"{_EPS}: N x CCE equals the categorical NLL only while every labelled "
        "probability is >= 1e-7: p = e^-17 gives 16.118 instead of 17."),
    "entropy-is-average-bits-of-optimal-code": (
        f"{_EPS}: the adapter's entropy is Keras' categorical_crossentropy(p, p), whose "
        "clip makes H((1, 0)) = 1.44e-7 bits instead of 0."),
    "classification-loss-is-cross-entropy-of-labels": (
        f"{_EPS}: CCE(y, p) = mean H(y, p) holds, but = mean D(y || p) does not: KL clips "
        "the one-hot y's zeros to 1e-7 (relative 6e-5 on the check's example)."),
    # -- §4.1 clipping -------------------------------------------------------------------------
    "clip-grad-norm-scales-norm-down-to-threshold": (
        f"{_CLIP}: Keras' global norm is sqrt(sum of squares) without rescaling: the finite "
        "gradient (1e200, 1e200) has norm inf (true 1.414e200), and its clip factor "
        "tau min(1/inf, 1/tau) + (inf - inf) is NaN; factors of norms >= 2^150 are 0 in "
        "float32."),
    "clip-grad-norm-keeps-direction": (
        f"{_CLIP}: a gradient with an entry >= 2^512 comes back all NaN (no common positive "
        "factor); one with norm >= 2^150 comes back all zeros."),
    "clip-grad-norm-is-identity-below-threshold": (
        f"{_CLIP}: a finite gradient with an entry 1e300 and tau above its true norm gets "
        "norm inf and comes back NaN instead of unchanged."),
    "clip-grad-norm-cannot-repair-nonfinite-gradients": (
        f"{_CLIP}: the corrected statement's finite case (a finite gradient stays finite "
        "with norm <= tau) fails: (1e200, 1e200), float64-max and (3e160, 4e160) come back "
        "NaN."),
    # -- §4.2 initialisation -------------------------------------------------------------------
    "xavier-initialisers-have-variance-two-over-fan-sum": (
        f"{_TRUNC}: GlorotNormal is a normal truncated at 2 sd (four candidates per weight on "
        "the torch backend) and rescaled: the variance is right, but the Kolmogorov-Smirnov "
        "test of the normal shape (alpha 1e-6) rejects it (CDF distance ~0.017). "
        "GlorotUniform passes."),
    "he-initialisers-have-variance-two-over-fan-in": (
        f"{_TRUNC}: HeNormal is the same truncated normal (variance 2/fan_in right, shape "
        "rejected by the KS test); HeUniform passes."),
    # -- §4.3 normalisation --------------------------------------------------------------------
    "batchnorm-output-has-zero-mean-unit-variance": (
        f"{_BN}: BatchNormalization computes the batch variance as E[x^2] - E[x]^2 in "
        "float32 without a clamp; the check's batches with a feature of mean ~1e3 and "
        "spread ~1e-4 come out NaN or far off (the variance is a multiple of 2^-4 there)."),
    "affine-sets-any-output-mean-and-variance": (
        f"{_BN}: the same check as batchnorm-output-has-zero-mean-unit-variance."),
    "affine-undoes-normalisation-exactly": (
        f"{_BN}: gamma = sqrt(sigma_B^2 + eps), beta = mu_B cannot undo a normalisation "
        "whose variance cancelled to a negative number: NaN outputs on the check's batch "
        "(feature mean ~203, spread 1e-4)."),
    "bias-before-normalisation-is-redundant": (
        f"{_BN}: BN(x + b) = BN(x) fails beyond float32 rounding once b shifts a feature far "
        "from 0 (E[x^2] - E[x]^2 cancels; NaN when the result is negative)."),
    "batchnorm-running-averages-of-batch-statistics": (
        f"{_BN}: the moving variance averages the cancelled float32 E[x^2] - E[x]^2 "
        "(absolute error 2^-9 = 0.00195 on the check's batch, whose variance is ~2e-9)."),
}

SEED_DEPENDENT: frozenset[str] = frozenset({
    "log-softmax-and-logit-losses-stable-for-extreme-logits",  # a drawn p below 1e-7
    "categorical-negative-log-likelihood-is-cce",  # ditto
    "classification-loss-is-cross-entropy-of-labels",  # a drawn one-hot label with zeros
    "kl-divergence-matches-catalogue",
    "bias-before-normalisation-is-redundant",  # a bias large against a feature's spread
    "batchnorm-output-has-zero-mean-unit-variance",  # a batch with a large offset
    "affine-sets-any-output-mean-and-variance",  # ditto
    "affine-undoes-normalisation-exactly",  # ditto
    "batchnorm-running-averages-of-batch-statistics",  # ditto
    "xavier-initialisers-have-variance-two-over-fan-sum",  # the KS test has power < 1
    "he-initialisers-have-variance-two-over-fan-in",
    "clip-grad-norm-keeps-direction",  # an entry >= 2^512 among the drawn gradients
    "clip-grad-norm-is-identity-below-threshold",
})

# Differences that no longer fail an article claim because the adapter declares the
# convention (CONVENTIONS in keras_adapter.py; the checks test the declared value exactly):
# each is a frameworks finding of theorems/s7_keras.py.
DECLARED: dict[str, str] = {
    "relu-row-grad-one-positive-zero-negative": (
        "[keras-kinks-take-the-left-derivative-and-prelu-is-dead-at-zero] relu'(0) = 0 "
        "declared; the article's table and the reference use 1"),
    "leaky-relu-has-nonzero-grad-everywhere": (
        "[keras-kinks-take-the-left-derivative-and-prelu-is-dead-at-zero] leaky_relu'(0) = "
        "alpha (left) declared: non-zero, as the claim asks"),
    "elu-value-and-branch-at-zero": (
        "[keras-kinks-take-the-left-derivative-and-prelu-is-dead-at-zero] elu'(0) = alpha "
        "(the article's z <= 0 branch) declared"),
    "batchnorm-running-averages-of-batch-statistics": (
        "[keras-batchnorm-tracks-biased-variance-and-momentum-weights-old] running_var "
        "'biased' declared (the adapter passes 1 - momentum)"),
    "implementation-computes-at-its-declared-precision": (
        "[keras-float64-inputs-computed-in-float32] precision 'float32' declared: the "
        "checks use float32 tolerances and the demoted calls are listed once "
        "(keras-team/keras#23223, #23704)"),
}

CHECK_ARTIFACTS: dict[str, str] = {}
