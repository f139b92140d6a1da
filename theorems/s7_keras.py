"""§7 Frameworks (Keras 3): where Keras differs from the article and the reference.

The third framework verified through ``--impl`` (``implementations/adapters/keras_adapter.py``,
``make verify IMPL=keras``), on its torch backend. Each difference that makes an
article-facing check fail under Keras is stated here - where, how large, from which value -
and checked on Keras itself (``checks/test_s7_keras.py``), so that
``implementations/adapters/keras_known_differences.py`` can trace every such failure to
one of these claims. All are findings about the framework (``origin="framework"``).

Main statements
---------------
Precision:

* ``keras-float64-inputs-computed-in-float32`` - ``keras.backend.result_type("float64",
  "float64")`` is float32 off TensorFlow; Dense, the normalisation layers, the loss
  classes, SGD's learning rate and the clip factor compute in float32 on float64 input.

Conventions:

* ``keras-kinks-take-the-left-derivative-and-prelu-is-dead-at-zero`` - relu'(0) = 0,
  leaky_relu'(0) = elu'(0) = alpha; the PReLU layer's derivative at 0 is 0.
* ``keras-batchnorm-tracks-biased-variance-and-momentum-weights-old``.
* ``keras-glorot-and-he-normal-are-truncated-normals``.
* ``keras-dropout-is-inverted``.
* ``keras-losses-clip-probabilities-at-epsilon`` - epsilon = 1e-7 in BCE, categorical
  cross-entropy and KL.
* ``keras-activations-are-torch-functions-on-the-torch-backend`` - so PyTorch's §7
  numerics (saturated derivatives, GeLU's left tail) are Keras' too.

Numerics:

* ``keras-batchnorm-variance-cancels-in-float32-without-clamp`` - NaN outputs and negative
  moving variances for batches with a large mean.
* ``keras-global-clipnorm-factor-float32-and-norm-overflow``.

Notation
--------
u32 = 2^-24 the unit roundoff of float32; epsilon = ``keras.config.epsilon()`` = 1e-7.

Assumptions
-----------
Keras 3.15.1 (``requirements-keras.lock``) on ``KERAS_BACKEND=torch`` with PyTorch 2.13.0
CPU; layers built with ``dtype="float64"`` and given float64 inputs, as the adapter does.

References
----------
Article §2.4, §3.2-3.3, §4.1-4.3, §5.3. Keras documentation of ``keras.backend.result_type``,
``layers.BatchNormalization``, ``losses``, ``initializers.GlorotNormal``/``HeNormal``,
``optimizers.Optimizer(global_clipnorm=...)``; keras-team/keras issues #23223 and #23704
(float64 demoted to float32 on the JAX and torch backends).
"""
from claimledger import claim

SECTION = "7"
_F = "framework"
_VERSIONS = "keras 3.15.1 on KERAS_BACKEND=torch (PyTorch 2.13.0 CPU)"

# -- precision -----------------------------------------------------------------------------
claim("keras-float64-inputs-computed-in-float32", SECTION,
      "Keras computes float64 inputs in float32 off TensorFlow (issues #23223, #23704)",
      statement="keras.backend.result_type('float64', 'float64') is 'float32' on the torch "
                "(and JAX) backend: Keras maps every 64-bit result type to 32 bits unless "
                "the backend is TensorFlow. So, with float64 inputs and layers built with "
                "dtype='float64': ops.matmul returns float32; Dense, BatchNormalization "
                "(training and inference), LayerNormalization and RMSNormalization return "
                "float64 arrays holding float32-rounded values; the loss classes "
                "(MeanSquaredError, MeanAbsoluteError, BinaryCrossentropy, "
                "CategoricalCrossentropy, Hinge, with dtype='float64') return float32; "
                "keras.optimizers.SGD keeps its learning rate in float32, so an update of a "
                "float64 variable is off by eta's rounding (relative ~1e-8); the global-norm "
                "clip factor is float32. Elementwise activations, ops.softmax and "
                "ops.log_softmax keep float64. A float64 computation is therefore not "
                "available for these blocks without TensorFlow.",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])

# -- conventions ---------------------------------------------------------------------------
claim("keras-kinks-take-the-left-derivative-and-prelu-is-dead-at-zero", SECTION,
      "Keras' derivatives at the kink: left ones for ReLU, Leaky ReLU, ELU; 0 for PReLU",
      statement="Through torch.autograd (how Keras trains on torch) keras.activations.relu "
                "has derivative 0 at z = 0, leaky_relu (negative_slope alpha) and elu "
                "(alpha) have alpha - the left derivatives, as PyTorch's. The "
                "keras.layers.PReLU layer computes relu(z) - alpha relu(-z), so its "
                "derivative in z at z = 0 is 0 + 0 = 0 for every alpha: neither one-sided "
                "derivative (alpha, 1), a point where a PReLU unit gets no gradient; its "
                "derivative in alpha at 0 is -0.",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])

claim("keras-batchnorm-tracks-biased-variance-and-momentum-weights-old", SECTION,
      "Keras' BatchNormalization tracks the biased variance; momentum weights the old value",
      statement="keras.layers.BatchNormalization(momentum=m) updates moving_mean <- m "
                "moving_mean + (1 - m) mu_B and moving_variance <- m moving_variance + "
                "(1 - m) sigma_B^2 with sigma_B^2 the biased batch variance: m (default "
                "0.99) weights the old value, so PyTorch's momentum is 1 - m; trained on the "
                "one batch {0, 2}, moving_variance converges to 1 (biased), not 2.",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])

claim("keras-glorot-and-he-normal-are-truncated-normals", SECTION,
      "Keras' GlorotNormal and HeNormal draw truncated normals (§4.2)",
      statement="keras.initializers.GlorotNormal and HeNormal are VarianceScaling with "
                "distribution 'truncated_normal': sigma / 0.87962566103423978 times a "
                "standard normal truncated to (-2, 2), so the variance is the stated "
                "sigma^2 and |w| <= 2.2736857 sigma, a bound a N(0, sigma^2) weight "
                "exceeds with probability 0.0230. On the torch backend the truncation "
                "draws four standard normals per weight and keeps the first inside (-2, 2); "
                "when all four fall outside (probability 0.0455^4 = 4.3e-6) it keeps the "
                "first anyway, so |w| exceeds the bound at that rate, not never - far below "
                "a normal's. GlorotUniform and HeUniform are the article's.",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])

claim("keras-dropout-is-inverted", SECTION,
      "Keras' Dropout is inverted (article §5.3 scales at inference)",
      statement="keras.layers.Dropout(rate=p) with training=True returns 0 with "
                "probability p and h / (1 - p) otherwise, per unit; with training=False it "
                "returns h. The article's convention is that output times (1 - p).",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])

claim("keras-losses-clip-probabilities-at-epsilon", SECTION,
      "Keras' probability losses clip probabilities to [1e-7, 1 - 1e-7] (§3.2-3.3)",
      statement="keras.config.epsilon() is 1e-7, and keras.losses.binary_crossentropy, "
                "categorical_crossentropy and kl_divergence clip the probabilities they "
                "take logs of (BCE and CCE to [1e-7, 1 - 1e-7], KL both arguments to "
                "[1e-7, 1]): BCE(p = 0, y = 1) = -log 1e-7 = 16.118 instead of +inf; "
                "KL((1/2, 1/2) || (1, 0)) = 7.3659 instead of +inf (q(x) = 0 < p(x)); "
                "KL((1, 0) || (1/2, 1/2)) = 0.6931456 instead of ln 2 (a class with p(x) = 0 "
                "contributes 1e-7 ln(1e-7 / q(x)), not 0); and the cross-entropy of a "
                "distribution with itself is not its entropy where it has zeros.",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])

claim("keras-activations-are-torch-functions-on-the-torch-backend", SECTION,
      "On the torch backend Keras' activations are PyTorch's, with their §7 numerics",
      statement="On KERAS_BACKEND=torch, keras.activations.sigmoid, tanh, relu, "
                "leaky_relu, elu, gelu (both forms) and silu return bit for bit what "
                "torch.sigmoid, torch.tanh and torch.nn.functional's functions return on the "
                "same float64 tensor, and so do their autograd derivatives; so PyTorch's "
                "findings hold for Keras: sigmoid' = 0 from z = 36.74, tanh' = 0 from "
                "|z| = 19.07 (torch-sigmoid-tanh-gradients-are-exactly-zero-in-saturation), "
                "gelu(z) = 0 from z = -8.38 (torch-gelu-left-tail-cancels-to-zero).",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])

# -- numerics ------------------------------------------------------------------------------
claim("keras-batchnorm-variance-cancels-in-float32-without-clamp", SECTION,
      "Keras' BatchNormalization variance is E[x^2] - E[x]^2 in float32, unclamped (§4.3)",
      statement="In training mode keras.layers.BatchNormalization casts its input to float32 "
                "and computes the batch variance (ops.moments on torch) as E[x^2] - E[x]^2, "
                "without clamping it at 0. For a feature whose mean is large against its "
                "spread this cancels: for batches of 4 samples from N(1000, 1e-6) the "
                "variance comes out as a multiple of 1/16 (e.g. -0.0625) instead of ~1e-6, "
                "and with the default epsilon 1e-3 the output is NaN whenever it is "
                "negative - for more than 10 % of such batches (about 28 %); the moving "
                "variance then goes negative (momentum 0, or from 0 with the default 0.99).",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])

claim("keras-global-clipnorm-factor-float32-and-norm-overflow", SECTION,
      "Keras' global-norm clipping: a float32 factor, and NaN when the norm overflows (§4.1)",
      statement="keras.optimizers.SGD(global_clipnorm=tau) scales the gradients by "
                "tau min(1/||g||, 1/tau) + (||g|| - ||g||), with ||g|| = sqrt(sum of "
                "squares) in float64 without rescaling and the minimum taken in float32: "
                "the clipped norm is tau up to float32 rounding (relative ~1e-8, not 1e-16); "
                "a norm of 2^150 ~ 1.43e45 or more makes the float32 factor 0, so a finite "
                "gradient comes back as zeros; and a finite gradient with an entry >= 2^512 "
                "~ 1.3408e154 (its square overflows) gets norm inf and factor NaN, so every "
                "entry comes back NaN.",
      verdict="supported", origin=_F, assumptions=[_VERSIONS])
