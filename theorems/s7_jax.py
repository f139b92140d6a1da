"""§7 Frameworks (JAX): where JAX, flax and optax differ from the article and the reference.

The second framework verified through ``--impl`` (``implementations/adapters/jax_adapter.py``,
``make verify IMPL=jax``). Each difference that makes an article-facing check fail under
JAX is stated here precisely - where, how large, from which value - and checked on JAX
itself (``checks/test_s7_jax.py``), so that ``implementations/adapters/jax_known_differences.py``
can trace every such failure to one of these claims. All are findings about the
framework (``origin="framework"``), never about the article.

Main statements
---------------
Conventions (the article leaves the choice open or names it differently):

* ``jax-relu-derivative-at-zero-is-zero`` - ``jax.grad(jax.nn.relu)(0.) = 0``; leaky ReLU
  and flax's PReLU take the z >= 0 branch (derivative 1) at 0.
* ``flax-batchnorm-tracks-biased-variance-and-momentum-weights-old`` - running_var averages
  the biased batch variance; flax's momentum is the weight of the old value.
* ``jax-glorot-and-he-normal-are-truncated-normals`` - supported on |w| <= 2.2737 sigma.
* ``flax-dropout-is-inverted`` - training output m h / (1 - p), inference output h.

Numerics (JAX's formulas or its CPU backend lose what the real-number statements keep):

* ``jax-grad-saturated-derivatives-are-exactly-zero`` - sigmoid', tanh', elu' computed
  from the rounded output.
* ``jax-cpu-flushes-subnormals-to-zero`` - XLA's CPU backend flushes subnormal results and
  reads subnormal inputs as zero.
* ``jax-gelu-tanh-left-tail-cancels`` - ``jax.nn.gelu(approximate=True)`` and its
  derivative lose relative accuracy from z ~ -4 and are exactly 0 from z = -7.3453.
* ``jax-gelu-tanh-derivative-nan-for-huge-inputs``.
* ``jax-log1p-loses-digits-near-minus-0-41`` - ``jnp.log1p`` is off by up to ~120 ulps on
  x in about [-0.4142, -0.356] (CPU backend).
* ``optax-global-norm-overflows-and-clip-zeroes-finite-gradients``.
* ``optax-kl-divergence-is-nan-where-p-and-q-both-vanish``.
* ``flax-fast-variance-cancels-under-large-offsets`` - BatchNorm and LayerNorm's default
  ``use_fast_variance=True`` computes E[x^2] - E[x]^2.

Notation
--------
u = 2^-53 the unit roundoff of float64; sigma the standard deviation an initialiser states.

Assumptions
-----------
JAX with x64 mode on (float64), CPU backend; checked with jax/jaxlib 0.10.2, flax 0.12.8,
optax 0.2.8. Thresholds are float64 numbers found by bisection and re-checked at the
neighbouring float.

References
----------
Article §2.4, §3.2-3.3, §4.1-4.3, §5.3. JAX documentation of ``jax.nn`` and
``jax.nn.initializers.variance_scaling``; flax ``linen.BatchNorm``/``LayerNorm``/``Dropout``;
optax ``clip_by_global_norm``, ``global_norm``, ``kl_divergence``; Intel's FTZ/DAZ flags
(XLA's CPU runtime sets both).
"""
from claimledger import claim

SECTION = "7"
_F = "framework"
_VERSIONS = "jax/jaxlib 0.10.2, flax 0.12.8, optax 0.2.8, CPU, x64 mode"

# -- conventions --------------------------------------------------------------------------
claim("jax-relu-derivative-at-zero-is-zero", SECTION,
      "jax.grad(jax.nn.relu)(0) = 0, the article's table convention is 1 (article §2.4)",
      statement="jax.grad of jax.nn.relu at z = 0 (and -0) is exactly 0, its derivative is 1 "
                "for every z > 0 and 0 for every z < 0; jax.grad of jax.nn.leaky_relu and of "
                "flax.linen.PReLU at z = 0 is 1 (their z >= 0 branch). The article's table "
                "sets ReLU'(0) = 1 'by convention'; JAX's adapter declares "
                "relu_grad_at_0 = 0 in its CONVENTIONS.",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])

claim("flax-batchnorm-tracks-biased-variance-and-momentum-weights-old", SECTION,
      "flax's BatchNorm tracks the biased variance; its momentum weights the old value (§4.3)",
      statement="flax.linen.BatchNorm(use_running_average=False, momentum=m) updates "
                "ra_mean <- m ra_mean + (1 - m) mu_B and ra_var <- m ra_var + (1 - m) "
                "sigma_B^2 with sigma_B^2 the *biased* batch variance (1/B) sum (x - mu_B)^2: "
                "m (default 0.99) is the weight of the old value (PyTorch's momentum is 1 - m), "
                "and trained on the one batch {0, 2} its running variance converges to 1, "
                "not to the unbiased 2 that PyTorch and the reference track.",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])

claim("jax-glorot-and-he-normal-are-truncated-normals", SECTION,
      "JAX's glorot_normal and he_normal draw truncated normals, not normals (§4.2)",
      statement="jax.nn.initializers.glorot_normal and he_normal are variance_scaling(..., "
                "'truncated_normal'): each weight is sigma / 0.87962566103423978 times a "
                "standard normal truncated to [-2, 2], so the variance is the stated sigma^2 "
                "but every |w| <= 2.2736857 sigma, a bound a N(0, sigma^2) weight exceeds with "
                "probability 0.0230. The article's 'normal' Xavier/He initialisers are "
                "Gaussian; JAX's uniform variants are the article's.",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])

claim("flax-dropout-is-inverted", SECTION,
      "flax's Dropout is inverted (article §5.3 scales at inference)",
      statement="flax.linen.Dropout(rate=p) with deterministic=False returns 0 with "
                "probability p and h / (1 - p) otherwise, independently per unit; with "
                "deterministic=True it returns h. The article's convention is that output "
                "times (1 - p).",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])

# -- numerics ------------------------------------------------------------------------------
claim("jax-grad-saturated-derivatives-are-exactly-zero", SECTION,
      "jax.grad's sigmoid', tanh' and elu' are exactly 0 far in the tails (article §2.4)",
      statement="jax.grad computes the derivatives of jax.nn.sigmoid, jnp.tanh and "
                "jax.nn.elu from the rounded output y (y (1 - y), 1 - y^2, y + alpha), so in "
                "float64 sigmoid'(z) = 0 for every z >= 36.73680056967711, tanh'(z) = 0 for "
                "every |z| >= 20.0 (and 1.554e-15 instead of sech^2 z ~ 4.6e-17 for "
                "19.07 <= |z| < 20), and elu'(z) = 0 (alpha = 1) for every z <= "
                "-37.42994775023705, although the true derivatives are positive there "
                "(4.25e-18 at sigmoid'(40), e^z at elu'(z)).",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])

claim("jax-cpu-flushes-subnormals-to-zero", SECTION,
      "JAX's CPU backend flushes subnormals to zero and reads subnormal inputs as zero",
      statement="On the CPU backend every jitted or eager JAX operation returns 0 where its "
                "float64 result is subnormal (below 2.2250738585072014e-308 in magnitude) and "
                "treats subnormal inputs as 0: 1e-300 * 1e-10 = 0, jax.nn.relu(1e-310) = 0, "
                "jax.grad(jax.nn.relu)(1e-310) = 0, jax.grad of jax.nn.leaky_relu at -1e-310 is "
                "1 (not alpha: the comparison z >= 0 reads the input as 0), "
                "jax.nn.sigmoid's derivative is 0 for z <= -708.3964185322642, and "
                "-xlogy(1, 5e-324) = inf (a BCE of p = 5e-324 with label 1 is inf instead of "
                "744.44). Whether a block honours subnormals is a property of the framework "
                "and its backend, reported here, not a defect of the activation formulas.",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])

claim("jax-gelu-tanh-left-tail-cancels", SECTION,
      "jax.nn.gelu(approximate=True) cancels in the left tail (article §2.4)",
      statement="jax.nn.gelu(z, approximate=True) and its jax.grad derivative are computed "
                "through 1 + tanh(u), which cancels for z < 0: relative errors ~1e-12 at "
                "z = -4, ~5e-10 at z = -5, ~5e-6 at z = -6, ~0.17 at z = -7, and both are "
                "exactly 0 for every z <= -7.345329488481829 although the tanh-GeLU and its "
                "derivative are negative there. The exact jax.nn.gelu(approximate=False) does "
                "not cancel (it matches 50-digit values at z = -36).",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])

claim("jax-gelu-tanh-derivative-nan-for-huge-inputs", SECTION,
      "jax.grad of the tanh GeLU is NaN for |z| >= 7.741e153",
      statement="jax.grad of jax.nn.gelu(approximate=True) is NaN for every float64 z with "
                "|z| >= 7.741001517595157e153 (where z^3 overflows and 0 * inf appears), "
                "although the true derivative tends to 1 (z -> +inf) and 0 (z -> -inf).",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])

claim("jax-log1p-loses-digits-near-minus-0-41", SECTION,
      "jnp.log1p is off by up to ~120 ulps near x = -0.41 on the CPU backend (§3.2)",
      statement="On the CPU backend jnp.log1p(x) (float64) has relative errors above 1e-14 "
                "for some x in [-0.4142, -0.399]: log1p(-0.40401996611839575) = "
                "-0.5175481126765749 instead of -0.5175481126765821 (relative 1.4e-14, 63 "
                "ulps) and 2.6e-14 at x = -0.414195; on a 3001-point grid of [-0.999, 2] the "
                "error exceeds 2 ulps only on [-0.4142, -0.356]. math.log1p is "
                "within 1 ulp at these points, so a BCE computed "
                "with log1p(-p) (jax.scipy.special.xlog1py) carries that error for p near "
                "0.40.",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])

claim("optax-global-norm-overflows-and-clip-zeroes-finite-gradients", SECTION,
      "optax's global norm overflows for finite gradients; the clip then zeroes them (§4.1)",
      statement="optax.global_norm computes sqrt(sum of squares) without rescaling: for a "
                "single entry g it is inf for every |g| >= 1.3407807929942597e154 and 0 for "
                "every |g| < 1.4916681462400413e-154 (true norm |g|), and for any finite "
                "gradients whose sum of squares overflows it is inf; "
                "optax.clip_by_global_norm(tau) then multiplies them by tau / inf = 0 and "
                "returns all zeros, e.g. (1e200, 1e200) -> (0, 0) with true norm 1.414e200. "
                "Below the overflow, optax scales by exactly tau / ||g|| (no added epsilon).",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])

claim("optax-kl-divergence-is-nan-where-p-and-q-both-vanish", SECTION,
      "optax.kl_divergence is NaN where p(x) = q(x) = 0 (article §3.3)",
      statement="optax.kl_divergence(log q, p) computes p (log p - log q) with 0 log 0 = 0 "
                "for p's own term only, so a class with p(x) = q(x) = 0 gives 0 * (-inf) = "
                "NaN: the divergence of p = (0, 1) from itself is NaN instead of Gibbs' 0. "
                "Pairs with q(x) = 0 < p(x) give +inf, as they should.",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])

claim("flax-fast-variance-cancels-under-large-offsets", SECTION,
      "flax's BatchNorm and LayerNorm compute the variance as E[x^2] - E[x]^2 (§4.3)",
      statement="flax.linen.BatchNorm and LayerNorm default to use_fast_variance=True, "
                "var = mean(x^2) - mean(x)^2, which cancels when the mean is large against the "
                "spread (relative error ~ u mu^2 / var): for the batch 1e4 + (0, 1e-3, 2e-3), "
                "eps = 1e-5, the first output is -0.3061304653352215 instead of "
                "-0.30618621784789724 (relative 1.8e-4; 5.4e-2 at offset 1e5); with eps = 1e-9 "
                "and offset 1e6 the output is -0.0905 instead of -1.2238. So BN(x + b) = BN(x) "
                "(the article's bias absorption) fails beyond rounding. "
                "use_fast_variance=False restores the two-pass variance.",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])
