"""§7 Frameworks: where PyTorch's conventions differ from the article.

The article derives its building blocks with pencil-and-paper conventions: dropout scales
at inference, BatchNorm has one variance, KL(p || q) takes p first, ReLU'(0) = 1, the
float32 limits are quoted, and gradients are simply "scaled down to tau". PyTorch - the
framework the article names as the reader's everyday tool - makes other choices, some of
them numerical rather than notational. This module states each difference precisely, as
a claim about PyTorch 2.x checked on PyTorch itself (``checks/test_s7_frameworks.py``),
so that a failure of an article-facing check under ``pytest --impl torch`` can be traced
to the convention that causes it (``implementations/adapters/torch_known_differences.py``
maps each such failure to its claim here). It also checks the article's own statements
about PyTorch (§3.3 natural log, §4.3 bias-free layers, §5.2 weight decay on biases).

Main statements
---------------
Every claim is checked in ``checks/test_s7_frameworks.py``; the teeth of those checks (a
function following the article's convention instead of PyTorch's is rejected) are in
``checks/harness/test_torch_adapter.py``.

Conventions (the same mathematics, named or scaled differently):

* ``torch-dropout-scales-kept-units-in-training-not-at-inference`` - ``nn.Dropout`` is
  inverted: training output 0 or h / (1 - p), inference output h. Check:
  ``test_dropout_is_inverted``.
* ``torch-batchnorm-normalises-biased-but-tracks-unbiased-variance`` - training mode
  divides by the biased variance, running_var averages the unbiased one. Check:
  ``test_batchnorm_normalises_with_biased_and_tracks_unbiased_variance``.
* ``torch-batchnorm-momentum-weights-the-new-batch`` - running <- (1 - m) running +
  m batch_stat; ``momentum=None`` is the cumulative mean. Check:
  ``test_batchnorm_momentum_is_the_weight_of_the_new_batch``.
* ``torch-kl-div-takes-log-q-then-p-and-averages-elements`` - ``F.kl_div(input, target)``
  is KL(target || exp(input)); reduction "mean" divides by N K. Check:
  ``test_kl_div_argument_order_and_reductions``.
* ``torch-kl-div-is-nan-where-p-and-q-both-vanish`` - a term with p = q = 0 gives
  0 * log 0 = NaN instead of the convention 0. Checks: ``test_kl_div_is_nan_on_common_zeros``,
  ``test_kl_div_nan_witness_and_infinite_case``.
* ``torch-cross-entropy-takes-logits-not-probabilities``, ``torch-cross-entropy-uses-natural-log``.
* ``torch-linear-default-init-is-uniform-a-third-of-xavier`` - U(-1/sqrt(n), 1/sqrt(n)),
  variance 1/(3 n). Checks: ``test_linear_default_init_bound_symbolic``,
  ``test_linear_default_init_variance_statistically``.
* ``torch-default-dtype-is-float32``.
* ``torch-autograd-kinks-take-left-derivative`` - relu'(0) = 0, leaky_relu'(0) = alpha.
* ``torch-prelu-channels-run-along-dim-1``, ``torch-sign-of-zero-is-zero``.
* ``torch-weight-decay-decays-biases-by-default`` (the article's §5.2 remark, proved),
  ``torch-linear-keeps-its-bias-by-default`` (qualified: the article's §4.3 remark).

Numerics (PyTorch's formulas lose what the article's real-number statements keep):

* ``torch-sigmoid-tanh-gradients-are-exactly-zero-in-saturation`` - autograd's y (1 - y)
  and 1 - y^2 are exactly 0 from z = 36.74 (sigmoid) and |z| = 19.06 (tanh) in float64,
  16.64 and 9.01 in float32, on the scalar and the vectorised kernel path.
* ``torch-gelu-left-tail-cancels-to-zero``, ``torch-gelu-tanh-derivative-nan-for-huge-inputs``.
* ``torch-clip-grad-norm-divides-by-norm-plus-1e-6``,
  ``torch-clip-grad-norm-zeroes-gradients-whose-norm-overflows``.
* ``torch-bce-caps-each-log-at-minus-100``, ``torch-bce-with-logits-cancels-for-negative-labels``.

Notation
--------
``F`` is ``torch.nn.functional``; ``u`` the unit roundoff of the dtype; ``p`` the drop
probability; B the batch size; N samples, K classes.

Assumptions
-----------
PyTorch 2.x on CPU (checked with 2.13.0), default arguments unless stated; thresholds are
floats of the stated dtype, found by bisection and re-checked at the neighbouring float.

References
----------
Article §1.1, §2.4, §3.2-3.3, §4.1-4.3, §5.2-5.3. PyTorch documentation of ``nn.Dropout``,
``nn.BatchNorm1d``, ``F.kl_div``, ``F.cross_entropy``, ``F.binary_cross_entropy``,
``nn.Linear``, ``nn.utils.clip_grad_norm_``; Ioffe and Szegedy (2015), Alg. 2 (unbiased
inference variance); Srivastava et al. (2014) (dropout's inference scaling).
"""
from claimledger import claim

SECTION = "7"

# -- conventions --------------------------------------------------------------------------
claim("torch-dropout-scales-kept-units-in-training-not-at-inference", SECTION,
      "PyTorch's dropout is inverted (article §5.3 scales at inference)",
      origin="framework",
      statement="torch.nn.Dropout(p) in training mode returns, for each unit independently, "
                "0 with probability p and h_i / (1 - p) otherwise (up to one rounding of "
                "1/(1 - p)); in evaluation mode it returns h unchanged. The article's "
                "convention (training output m h, inference output (1 - p) h) is PyTorch's "
                "output in either mode multiplied by (1 - p): both conventions give "
                "E[train output] = inference output.",
      verdict="supported",
      assumptions=["0 <= p < 1", "module.train() / module.eval() select the mode"])

claim("torch-batchnorm-normalises-biased-but-tracks-unbiased-variance", SECTION,
      "BatchNorm normalises with the biased variance, tracks the unbiased one (article §4.3)",
      origin="framework",
      statement="nn.BatchNorm1d in training mode normalises feature j by the biased batch "
                "variance (1/B) sum_i (x_ij - mu_j)^2 (the article's sigma_j^2) but adds "
                "momentum * B/(B - 1) * sigma_j^2 to running_var; in evaluation mode it "
                "normalises by running_var. Trained on the single batch {0, 2} (B = 2) until "
                "the running statistics converge, it outputs -+1/sqrt(1 + eps) in training "
                "mode and -+1/sqrt(2 + eps) in evaluation mode for the same inputs.",
      verdict="supported", assumptions=["B >= 2", "track_running_stats=True (default)"])

claim("torch-batchnorm-momentum-weights-the-new-batch", SECTION,
      "BatchNorm's momentum is the weight of the new batch statistic (article §4.3)",
      origin="framework",
      statement="nn.BatchNorm1d(momentum=m) updates running <- (1 - m) running + m s_B with "
                "s_B the batch statistic, so the default m = 0.1 gives the new batch weight "
                "0.1 (Keras' momentum = 0.99 is the weight of the old value: m_keras = "
                "1 - m_torch); momentum=None replaces the EMA by the cumulative average, "
                "running = (1/t) sum of the t batch statistics seen.",
      verdict="supported")

claim("torch-kl-div-takes-log-q-then-p-and-averages-elements", SECTION,
      "F.kl_div(input, target) is KL(target || exp(input)), averaged over elements (§3.3)",
      origin="framework",
      statement="F.kl_div(input, target) expects input = log q (log-probabilities of the "
                "approximating distribution) and target = p, and returns the elementwise "
                "p (log p - input), whose sum over classes is D_KL(p || q) - the argument "
                "order is the reverse of the article's D_KL(p || q) notation and the first "
                "argument is a logarithm. reduction='mean' (the default) divides the total by "
                "the number of elements N K, i.e. returns the mean per-sample KL divided by "
                "K; reduction='batchmean' returns the mean per-sample KL. Swapping the "
                "arguments gives D_KL(q || p), a different number in general.",
      verdict="supported", assumptions=["log_target=False (default)"])

claim("torch-kl-div-is-nan-where-p-and-q-both-vanish", SECTION,
      "F.kl_div is NaN where p(x) = q(x) = 0, so KL(p || p) can be NaN (article §3.3)",
      origin="framework",
      statement="For a class with p(x) = q(x) = 0, F.kl_div(log q, p) computes "
                "xlogy(0, 0) - 0 * log 0 = 0 - 0 * (-inf) = NaN, so for every distribution p "
                "with a zero entry F.kl_div(p.log(), p, reduction='sum') is NaN instead of "
                "Gibbs' D(p || p) = 0; the convention 0 log 0 = 0 is applied to p's own term "
                "only. (q(x) = 0 < p(x) correctly gives +inf.) The same holds with "
                "log_target=True.",
      verdict="supported")

claim("torch-cross-entropy-takes-logits-not-probabilities", SECTION,
      "F.cross_entropy takes logits: on probabilities it is a different loss (article §3.2)",
      origin="framework",
      statement="F.cross_entropy(input, target) applies log_softmax to input: given "
                "probabilities p (a softmax output) it returns -sum_k y_k log softmax(p)_k, "
                "not the article's -sum_k y_k log p_k; e.g. p = (0.9, 0.1), y = (1, 0) gives "
                "log(1 + e^-0.8) = 0.3711 instead of -log 0.9 = 0.1054. The probability "
                "form is F.nll_loss(log p, labels).",
      verdict="supported")

claim("torch-cross-entropy-uses-natural-log", SECTION,
      "PyTorch's cross-entropy is in nats (article §3.3, checked)",
      origin="framework",
      statement="F.cross_entropy, F.nll_loss and F.binary_cross_entropy use the natural "
                "logarithm: uniform logits over K classes cost ln K nats (not log2 K bits).",
      verdict="supported",
      reason="The article's §3.3 remark (cited in theorems/s3_training.py as "
             "ml-frameworks-use-natural-log), checked here on PyTorch itself.")

claim("torch-linear-default-init-is-uniform-a-third-of-xavier", SECTION,
      "nn.Linear's default init has variance 1/(3 fan_in), not Xavier's or He's (§4.2)",
      origin="framework",
      statement="nn.Linear(n, m) initialises its weight with kaiming_uniform_(a=sqrt 5), i.e. "
                "U(-1/sqrt(n), 1/sqrt(n)) (gain sqrt(2/(1 + a^2)) = sqrt(1/3) times "
                "sqrt(3/n)), variance 1/(3n): a third of Xavier's 2/(n + m) when n = m and a "
                "sixth of He's 2/n; its bias is U(-1/sqrt(n), 1/sqrt(n)) too, not 0. Through "
                "a ReLU layer it multiplies the forward second moment by n Var(W)/2 = 1/6 "
                "(He's 2/n gives 1).",
      verdict="supported")

claim("torch-default-dtype-is-float32", SECTION,
      "PyTorch's default floating type is float32 (article §4.1's limits apply)",
      origin="framework",
      statement="torch.get_default_dtype() is torch.float32: tensors from Python floats, "
                "torch.randn and nn.Linear parameters are float32, with largest finite value "
                "(2 - 2^-23) 2^127 ~ 3.4028e38 and epsilon 2^-23, so 2 * 3e38 overflows to "
                "inf; torch.from_numpy keeps numpy's float64, and a float32 nn.Linear "
                "rejects a float64 input instead of converting it.",
      verdict="proved")

claim("torch-autograd-kinks-take-left-derivative", SECTION,
      "Autograd's derivative at the kink: relu'(0) = 0, leaky_relu'(0) = alpha (article §2.4)",
      origin="framework",
      statement="At z = 0 torch.autograd returns d relu/dz = 0 (the article's table gives 1 "
                "'by convention'), d leaky_relu/dz = negative_slope and d prelu/dz = weight "
                "(the left derivatives, where the article's convention is the right one), "
                "and d elu/dz = alpha (the branch z <= 0), in float32 and float64 alike.",
      verdict="supported",
      note="Supported, not proved: its check evaluates autograd exactly at z = 0 for one slope (0.25) and one alpha (0.5) per function, an instance of the statement's 'negative_slope'/'weight'/'alpha' for any value.")

claim("torch-prelu-channels-run-along-dim-1", SECTION,
      "F.prelu's per-channel slopes run along dim 1, not the last axis (article §2.4)",
      origin="framework",
      statement="F.prelu(x, weight) with weight of length C applies weight[c] to "
                "x[:, c, ...] (the channel axis of an (N, C, ...) tensor): for an input "
                "(N, L, C) with L = C it silently uses the wrong axis, with L != C it raises.",
      verdict="supported",
      note="Supported, not proved: its check is one exact witness shape (1, 3, 3) and one rejected shape (1, 2, 3), an instance of the statement about every (N, C, ...) input.")

claim("torch-sign-of-zero-is-zero", SECTION,
      "torch.sign(0) = 0, the article's perceptron sign(0) = +1 (article §1.1)",
      origin="framework",
      statement="torch.sign returns 0 at 0 (and -0.0 stays a zero), while the article's "
                "perceptron uses sign(0) = +1; a perceptron written with torch.sign outputs 0 "
                "on its decision boundary (its update test y (w.x + b) <= 0 is unaffected).",
      verdict="proved")

claim("torch-weight-decay-decays-biases-by-default", SECTION,
      "weight_decay applies to biases unless excluded (article §5.2, checked)",
      origin="framework",
      statement="torch.optim.SGD, Adam and AdamW built on model.parameters() apply "
                "weight_decay to every parameter they receive, biases included: with zero "
                "gradient, one SGD step with lr eta and weight_decay lambda maps a bias b to "
                "(1 - eta lambda) b.",
      verdict="proved",
      reason="The article's §5.2 remark (cited in theorems/s5_generalisation.py as "
             "weight-decay-usually-excludes-biases), checked here on PyTorch itself.")

claim("torch-linear-keeps-its-bias-by-default", SECTION,
      "Linear + BN + ReLU without b is not PyTorch's default (article §4.3)",
      origin="framework",
      statement="Disabling the linear layer's b in the 'Linear + BN + ReLU' combination is "
                "the default in PyTorch implementations.",
      verdict="qualified",
      corrected_statement="PyTorch's nn.Linear, nn.Conv1d and nn.Conv2d default to "
                          "bias=True; bias=False is a choice of model code (e.g. torchvision's "
                          "ResNet, not checked here). The choice is harmless because a "
                          "training-mode BatchNorm removes the bias exactly: its output and "
                          "the loss do not depend on b, and autograd's gradient for b is 0 up "
                          "to rounding.")

# -- numerics -------------------------------------------------------------------------------
claim("torch-sigmoid-tanh-gradients-are-exactly-zero-in-saturation", SECTION,
      "Autograd's sigmoid' and tanh' are exactly 0 in saturation (article §2.4)",
      origin="framework",
      statement="torch.autograd computes sigmoid'(z) as y (1 - y) and tanh'(z) as 1 - y^2 "
                "from the rounded output y, so sigmoid' is exactly 0 for every float z from a "
                "threshold in [36.7367, 36.7369] (float64; [16.6355, 16.6356] in float32) and "
                "tanh' for every |z| from a threshold in [19.0615, 19.0616] (float64; [9.0108, "
                "9.0109] in float32), on every CPU kernel path, although sigma'(z) = "
                "e^-z/(1 + e^-z)^2 > 0 and tanh'(z) > 0: in PyTorch saturated sigmoid and tanh "
                "units receive exactly zero gradient, like the article's dying ReLUs.",
      note="The exact first float depends on the CPU's tanh kernel (float64: "
           "19.061547465468465 where tanh is correctly rounded there, 19.061555615949707 on an "
           "AVX-512 machine); the check finds it on the scalar and the vectorised path.",
      verdict="supported")

claim("torch-gelu-left-tail-cancels-to-zero", SECTION,
      "F.gelu returns 0 far left of 0 although GeLU(z) < 0 (article §2.4)",
      origin="framework",
      statement="F.gelu computes Phi(z) as (1 + erf(z/sqrt 2))/2 and its tanh variant as "
                "(1 + tanh u)/2, both of which cancel for z < 0. On every CPU kernel path "
                "(1-element tensors and scalar tails, vectorised bodies of longer contiguous "
                "tensors, each CPU capability) F.gelu(z) is exactly 0 for every z <= -8.38 "
                "(float64; -5.55 in float32) and negative for every z in [-8.37, 0) "
                "([-5.49, 0) in float32), although GeLU(z) = z Phi(z) < 0; the tanh variant "
                "is exactly 0 for every z <= -7.21 (float64; -5.16 in float32) and negative "
                "on [-7.14, 0) ([-5.05, 0)). Where the zeros begin depends on the path: "
                "the scalar float32 kernel reaches 0 at -5.54259, vectorised ones at "
                "-5.54256 or -5.54304 and may return 0 at scattered points up to -5.497; "
                "the float64 tanh variant's vectorised kernel from -7.145. Autograd's "
                "derivative of the exact form at z = -20 is z phi(z) alone, missing Phi(z); "
                "the tanh variant and its derivative lose relative accuracy from z ~ -4 "
                "(~3e-7 at z = -6).",
      verdict="supported")

claim("torch-gelu-tanh-derivative-nan-for-huge-inputs", SECTION,
      "Autograd's derivative of F.gelu(approximate='tanh') is NaN for huge |z|",
      origin="framework",
      statement="The derivative of F.gelu(z, approximate='tanh') from torch.autograd is NaN "
                "for |z| >= 2^512 (~1.34e154, float64) and |z| >= 2^64 (~1.84e19, float32), "
                "where z^2 overflows and 0 * inf appears, although the true derivative tends "
                "to 1 (z -> +inf) and 0 (z -> -inf).",
      verdict="supported")

claim("torch-clip-grad-norm-divides-by-norm-plus-1e-6", SECTION,
      "clip_grad_norm_ scales by tau/(||g|| + 1e-6), not tau/||g|| (article §4.1)",
      origin="framework",
      statement="torch.nn.utils.clip_grad_norm_(params, tau) multiplies every gradient by "
                "min(1, tau / (||g|| + 1e-6)): a clipped gradient has norm "
                "tau ||g|| / (||g|| + 1e-6) < tau, and a gradient with tau - 1e-6 < ||g|| <= tau "
                "(for tau <= 1e-6: every non-zero gradient) is shrunk although it is within "
                "the threshold - e.g. tau = 1e-8, ||g|| = 1e-10 comes out with norm ~1e-12.",
      verdict="supported")

claim("torch-clip-grad-norm-zeroes-gradients-whose-norm-overflows", SECTION,
      "clip_grad_norm_ zeroes a finite gradient whose squared norm overflows (article §4.1)",
      origin="framework",
      statement="clip_grad_norm_ computes ||g||_2 as sqrt(sum of squares) without rescaling "
                "(a one-element tensor's norm is |x|): a gradient with at least two entries, "
                "all finite, whose sum of squares overflows (e.g. an entry 2^64 ~ 1.8e19 in "
                "float32, 2^512 ~ 1.3e154 in float64, beside any other entry) gets "
                "total_norm = inf and, with the default error_if_nonfinite=False, every "
                "gradient is multiplied by tau/inf = 0: the step is silently zeroed. A NaN "
                "entry turns every entry of every gradient into NaN. At the other end the "
                "squares underflow: (3e-200, 4e-200) gets total_norm 0 instead of 5e-200.",
      verdict="supported")

claim("torch-bce-caps-each-log-at-minus-100", SECTION,
      "F.binary_cross_entropy clamps each log at -100 (article §3.2)",
      origin="framework",
      statement="F.binary_cross_entropy(p, y) clamps log p and log(1 - p) at -100, so an "
                "element costs at most 100 y + 100 (1 - y) = 100 nats: a label given "
                "probability 0 costs 100 instead of +inf, and every p < e^-100 ~ 3.7e-44 costs "
                "the same 100, whereas the article's -y log p - (1 - y) log(1 - p) is "
                "unbounded.",
      verdict="supported")

claim("torch-bce-with-logits-cancels-for-negative-labels", SECTION,
      "F.binary_cross_entropy_with_logits loses the small losses of negative labels",
      origin="framework",
      statement="F.binary_cross_entropy_with_logits(z, y) evaluates (1 - y) z - log sigma(z); "
                "for y = 0 and z < 0 the two terms cancel: the result is exactly 0 for z <= "
                "-33.27106466687738 (float64; -14.556091 in float32) although the loss "
                "log(1 + e^z) > 0, and its relative error exceeds 1e-13 already at z = -6, "
                "while the mirror case (y = 1, z > 0) is accurate to a few ulps.",
      verdict="supported")
