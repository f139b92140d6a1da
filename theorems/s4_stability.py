"""§4 Training stability: spectra and depth, IEEE-754 failure modes, initialisation,
normalisation.

The backward pass multiplies one Jacobian per layer; how far the product's singular
values sit from 1 decides whether gradients vanish or explode (§4.1). In float32 an
exploding product overflows to inf and then to NaN; gradient clipping caps the step.
Xavier and He choose the weight variance so that one layer preserves the forward or
backward variance (§4.2); normalisation layers re-standardise activations during
training (§4.3). This module states every result of article §4 as a claim, read
literally.

Main statements
---------------
Spectra and depth (``checks/test_s4_spectra.py``):

* ``operator-norm-bound-with-equality-on-top-singular-vector``,
  ``spectral-radius-at-most-largest-singular-value`` (proved for symbolic sizes:
  ``test_operator_norm_bound_for_any_size``, ``test_spectral_radius_bound_for_any_size``).
* ``spectral-radius-interchangeable-with-singular-value`` (refuted: per-layer spectral
  radius 0, chain product 4^k).
* ``chain-product-scales-as-mean-factor-power`` (imprecise: only an upper bound),
  ``chain-product-vanishes-when-every-sigma-max-below-one`` (proved with q the largest
  layer factor), ``chain-product-explodes-when-every-sigma-max-above-one`` (refuted); the
  bounds proved by induction over depth
  (``test_chain_product_bounds_by_induction_over_depth``).
* ``sigmoid-derivative-peaks-at-quarter`` (``test_sigmoid_derivative_symbolic``),
  ``sigmoid-ten-layer-derivative-product-below-1e-6``
  (``test_ten_sigmoid_derivatives_at_most_quarter_to_the_tenth``, which proves sigma' <= 1/4
  itself) (proved); ``sigmoid-layer-scale-tops-out-at-quarter`` (imprecise: weights
  multiply it).
* ``exploding-curve-leaves-plot-near-depth-nine`` (proved, figure regenerated),
  ``figure-tanh-factor-labelled-near-saturation`` (imprecise: 0.9 is tanh' near 0).
* ``measured-gradient-norms-obey-chain-bounds`` (supported; real deep MLPs, figure).
* ``deep-sigmoid-net-input-layers-barely-update`` (supported: exact one-sided binomial over
  33 trained 8-layer sigmoid nets, ``test_first_layer_of_a_deep_sigmoid_net_barely_moves``).
* ``oversized-step-makes-gradient-descent-diverge`` (proved on the quadratic).

Floating point (``checks/test_s4_floating_point.py``):

* ``float32-max-is-about-3-4e38`` (proved), ``float32-overflows-to-inf-above-max``
  (supported: the exact threshold is max + half an ulp),
  ``inf-arithmetic-produces-nan`` (proved), ``nan-absorbs-every-arithmetic-operation``
  (imprecise: survey of numpy ufuncs and Python operators),
  ``nan-in-a-parameter-makes-every-parameter-nan`` (imprecise: earlier layers stay finite;
  a ReLU written by comparison masks it).

Gradient clipping (``checks/test_s4_clipping.py``):
``clip-grad-norm-scales-norm-down-to-threshold``, ``clip-grad-norm-keeps-direction``
(proved for the rule, ``test_clipping_rule_for_any_number_of_parameters``; the
implementation sampled), ``clip-grad-norm-is-identity-below-threshold`` (supported; the
tie ||g|| = tau in ``test_gradient_with_norm_exactly_tau_is_untouched``),
``clip-grad-norm-cannot-repair-nonfinite-gradients`` (proved for finite gradients, the
paragraph's case, by ``test_clipping_rule_for_any_number_of_parameters``; inf/NaN are
not repaired, sampled).

Initialisation (``checks/test_s4_init.py``, ``checks/test_s4_random_matrix.py``):

* ``forward-variance-is-fan-in-times-variances``,
  ``backward-variance-is-fan-out-times-variances``, ``xavier-variance-is-harmonic-compromise``,
  ``he-variance-preserves-relu-preactivations`` (proved for symbolic fan-in from the
  moment hypotheses alone: ``test_forward_variance_for_any_distribution_and_symbolic_fan_in``,
  ``test_backward_variance_for_any_distribution_and_symbolic_fan_out``,
  ``test_xavier_is_harmonic_mean_of_forward_and_backward``,
  ``test_he_factor_two_for_any_symmetric_preactivations_and_fan_in``);
  ``forward-and-backward-conditions-incompatible``, ``he-forward-variance-formula`` (imprecise).
* ``xavier-initialisers-have-variance-two-over-fan-sum``,
  ``he-initialisers-have-variance-two-over-fan-in``,
  ``initialised-layer-propagates-variance-as-derived`` (supported: chi-square, support and
  Kolmogorov-Smirnov tests of the initialisers; batch-means t tests over random zero-mean
  inputs for one layer, ``test_one_layer_forward_and_backward_variance``; alpha <= 1e-6).
* ``variance-control-cheaper-than-svd`` (supported: one generator draw per entry, exact;
  Householder bidiagonalisation 8n^3/3 flops, sympy; ``checks/test_s4_random_matrix.py``).
* ``deep-stack-activation-scale-by-scheme`` (supported, 50 layers, figure);
  ``xavier-keeps-tanh-variance-across-depth`` (imprecise: decays like 1/(2l)).
* ``singular-values-concentrate-at-sigma-sqrt-fan-in`` (refuted; corrected statement with
  the spectrum's edges), ``variance-preservation-keeps-squared-length`` (imprecise; its
  correction proved for symbolic m x n,
  ``test_expected_squared_length_for_symbolic_shape_and_any_distribution``).

Normalisation (``checks/test_s4_normalization.py``):

* ``batchnorm-output-has-zero-mean-unit-variance`` (proved: variance sigma^2/(sigma^2+eps)),
  ``affine-sets-any-output-mean-and-variance`` (proved, symbolic B:
  ``test_affine_output_moments_for_symbolic_batch_size``),
  ``affine-undoes-normalisation-exactly`` (proved, with the batch's statistics in training
  mode, ``test_undo_parameters_are_forced_by_the_batch_for_symbolic_batch_size``),
  ``bias-before-normalisation-is-redundant`` (qualified: BatchNorm yes, LayerNorm no;
  ``test_bias_cancels_in_batchnorm_for_symbolic_batch_size``),
  ``batchnorm-train-depends-on-batch-eval-does-not`` (proved,
  ``test_train_output_depends_on_companions_eval_output_does_not``),
  ``layernorm-is-independent-of-the-batch`` (proved,
  ``test_layernorm_moments_for_symbolic_feature_count``), ``rmsnorm-does-not-centre``
  (proved, ``test_rmsnorm_for_symbolic_feature_count``),
  ``batchnorm-running-averages-of-batch-statistics`` (imprecise: PyTorch's running variance
  is the unbiased one).
* ``batchnorm-batch-statistics-noisier-for-small-batches`` (proved, harness corollary:
  Var(mu_B) = s^2/B, B = 1 gives 0; ``test_batch_statistics_noise_for_symbolic_batch_size``).
* ``normalised-preactivations-keep-mean-sigmoid-derivative-near-peak`` (proved: mean sigma'
  >= 3/16 after normalisation,
  ``test_mean_sigmoid_derivative_after_normalisation_is_at_least_three_sixteenths``).

* ``normalisation-keeps-sigma-prime-constant`` (refuted, was cited: a plain 50-layer
  BatchNorm MLP's gradient grows ~1.21x per ReLU layer at initialisation; exact one-sided
  binomial tests over seeded networks,
  ``test_deep_batchnorm_stack_gradient_grows_geometrically_at_init``).

* Cited (history, practice or empirical remarks; each claim gives its reason):
  ``vanishing-gradient-leaves-early-layers-untrained``,
  ``gradient-clipping-standard-in-rnn-transformer``,
  ``xavier-for-tanh-he-for-relu-in-practice``,
  ``normalisation-engineering-practice``.

Notation
--------
W in R^{m x n}: n = fan-in (columns), m = fan-out (rows). J_l = dx_l/dx_{l-1};
sigma_max, sigma_min its extreme singular values; rho its spectral radius. For a batch
x^(1..B) and feature j: mu_j, sigma_j^2 = (1/B) sum (x_j - mu_j)^2 (biased). float32 max
= (2 - 2^-23) 2^127.

Assumptions
-----------
Variance formulas (article §4.2): x with i.i.d. zero-mean components of variance
sigma_x^2, W with i.i.d. zero-mean entries of variance sigma_w^2, W independent of x.
Deep stacks: square layers of width n, one input, fresh weights per layer. IEEE 754
binary arithmetic with round-to-nearest-even, as numpy and CPython implement it.

References
----------
Article §4.1-4.3. Glorot & Bengio (2010); He, Zhang, Ren & Sun (2015); Ioffe & Szegedy
(2015); Ba, Kiros & Hinton (2016, LayerNorm); Zhang & Sennrich (2019, RMSNorm);
Marchenko & Pastur (1967); Davidson & Szarek (2001) and Gordon (1985) for the edges of
Gaussian matrices; IEEE 754-2019 §6.2, §9.2 (NaN, pow, hypot); Poole et al. (2016) and
Schoenholz et al. (2017) for mean-field signal propagation; Yang, Pennington, Rao,
Sohl-Dickstein & Schoenholz (2019), "A mean field theory of batch normalization", for the
gradient explosion of deep BatchNorm networks.
"""
from claimledger import claim

# -- 4.1 spectra and depth ------------------------------------------------------------
claim("operator-norm-bound-with-equality-on-top-singular-vector", "4.1",
      "||A v|| <= sigma_max(A) ||v||, with equality along the top singular direction",
      paragraph=4,
      statement="For every real matrix A and vector v, ||A v||_2 <= sigma_max(A) ||v||_2, "
                "with equality when v points along A's top right singular vector.",
      verdict="proved",
      reason="Proved for symbolic m x n through the SVD (sum of (s_1^2 - s_i^2) c_i^2 >= 0). "
             "Equality holds exactly on the span of the right singular vectors of "
             "sigma_max (and v = 0), which we also check.")

claim("spectral-radius-at-most-largest-singular-value", "4.1",
      "rho(J) <= sigma_max(J)",
      paragraph=6,
      statement="For a square J, the spectral radius rho(J) = max |lambda_i(J)| is at most "
                "sigma_max(J) (the article says this for non-symmetric J).",
      verdict="proved",
      reason="Proved for symbolic n from an eigenpair (lambda, x + iy) and the operator-norm "
             "bound. The bound holds for every square matrix; for normal (e.g. symmetric) J it is "
             "an equality, for non-normal J it can be strict by any factor.")

claim("spectral-radius-interchangeable-with-singular-value", "4.1",
      "Spectral radius and sigma_max are interchangeable as the per-layer factor",
      paragraph=6,
      misled="A reader monitors each layer's spectral radius to predict vanishing or exploding gradients; a product of different layers is governed by singular values, and layers of spectral radius 0 can explode.",
      statement="The spectral radius and the largest singular value can be used "
                "interchangeably as the per-layer scaling factor rho-bar: either works in the "
                "statement that the chain product's magnitude scales as rho-bar^L.",
      verdict="refuted",
      corrected_statement="Only singular values bound a product of different Jacobians: "
                          "prod sigma_min(J_l) ||v|| <= ||J_L ... J_1 v|| <= prod "
                          "sigma_max(J_l) ||v||. The spectral radius describes powers of one "
                          "fixed matrix (||J^L||^(1/L) -> rho(J), Gelfand) and says nothing "
                          "about a product of different layers: layers with rho = 0 can have "
                          "a chain product growing like 4^k.")

claim("chain-product-scales-as-mean-factor-power", "4.1",
      "The chain product's magnitude scales as rho-bar^L",
      paragraph=7,
      statement="If the average per-layer scaling factor is rho-bar, the magnitude of the "
                "chain product prod_l J_l scales as rho-bar^L.",
      verdict="imprecise",
      corrected_statement="With rho-bar the geometric mean of sigma_max(J_l), ||J_L ... J_1|| "
                          "<= rho-bar^L always; it is an upper bound, not a growth rate. The "
                          "matching lower bound uses sigma_min: ||J_L ... J_1 v|| >= "
                          "(prod sigma_min(J_l)) ||v||. Equality with rho-bar^L needs aligned "
                          "singular vectors (e.g. positive diagonal J_l).")

claim("chain-product-vanishes-when-every-sigma-max-below-one", "4.1",
      "sigma_max(J_l) < 1 in every layer gives exponential decay",
      paragraph=5,
      statement="If every layer has sigma_max(J_l) < 1, the chain product shrinks the "
                "gradient magnitude exponentially: with q = max_l sigma_max(J_l) < 1 (a "
                "maximum over the network's finitely many layers), ||J_L ... J_1|| <= q^L.",
      verdict="proved",
      note="Not a finding (was imprecise): for a given network the largest layer factor q is "
           "below 1 and the bound q^L follows by induction over depth (proved for symbolic "
           "sizes). What 'exponentially in L' needs, across networks of growing depth, is a "
           "q that does not creep up to 1 with L: scalar layers J_l = 1 - 1/(l+1)^2 multiply "
           "to (L+2)/(2(L+1)) -> 1/2 (recorded by the check); no reader's layers do that.")

claim("chain-product-explodes-when-every-sigma-max-above-one", "4.1",
      "sigma_max(J_l) > 1 in every layer makes the gradient explode",
      paragraph=5,
      misled="A reader diagnoses an exploding gradient from sigma_max(J_l) > 1 in every layer; growth needs sigma_min > 1, and layers with sigma_max = 2 can make the product vanish.",
      statement="If every layer has sigma_max(J_l) > 1, the chain product grows "
                "exponentially (exploding gradient).",
      verdict="refuted",
      corrected_statement="Growth of every vector needs sigma_min(J_l) >= q > 1: then "
                          "||J_L ... J_1 v|| >= q^L ||v||. sigma_max > 1 alone allows decay: "
                          "J = [[0, 2], [1/8, 0]] has sigma_max = 2 but J^2 = I/4, so "
                          "||J^L|| -> 0 (its spectral radius is 1/2).")

claim("sigmoid-derivative-peaks-at-quarter", "4.1",
      "sigma'(z) = sigma(z)(1 - sigma(z)) peaks at 1/4 at z = 0",
      paragraph=13,
      statement="sigma'(z) = sigma(z)(1 - sigma(z)) is a bell curve with maximum 0.25 at "
                "z = 0, falling as |z| grows.",
      verdict="proved")

claim("sigmoid-ten-layer-derivative-product-below-1e-6", "4.1",
      "Ten sigmoid derivatives multiply to at most 0.25^10 ~ 1e-6",
      paragraph=13,
      statement="The 10-layer chain product of sigmoid derivatives is at most 0.25^10, "
                "approximately 1e-6.",
      verdict="proved",
      reason="0.25^10 = 1/1048576 = 9.54e-7; this bounds the product of the derivative "
             "factors only (see sigmoid-layer-scale-tops-out-at-quarter for the weights).")

claim("sigmoid-layer-scale-tops-out-at-quarter", "4.1",
      "A sigmoid layer's scaling factor tops out at 0.25",
      paragraph=13,
      statement="Even at the most favourable point (z ~ 0) a sigmoid layer's per-layer "
                "factor rho-bar is at most 0.25, so ten layers give at most ~1e-6.",
      verdict="imprecise",
      corrected_statement="The layer Jacobian is diag(sigma'(z)) W, so its factor is at most "
                          "sigma_max(W) / 4, which exceeds 1/4 whenever ||W||_2 > 1 (W = 8 "
                          "at z = 0 gives 2). Ten layers are bounded by 4^-10 prod "
                          "sigma_max(W_l); at Xavier initialisation of square layers "
                          "sigma_max(W) ~ 2, so the worst case is ~1e-3, while the typical "
                          "measured product is ~1e-6.",
      note="Imprecise (was qualified): the bound 0.25^10 is right for the product of the "
           "sigmoid derivatives, which is how §2.4 defines 'the chain product' "
           "(sigmoid-ten-layer-derivative-product-below-1e-6, proved); calling it the layer's "
           "rho-bar leaves out the weights' singular values. The practical conclusion stands: "
           "at Xavier initialisation the measured ten-layer product is ~1e-6, the worst case "
           "~1e-3.")

claim("exploding-curve-leaves-plot-near-depth-nine", "4.1",
      "The 1.2^L curve leaves the plot around L = 9",
      paragraph=16,
      statement="In the chain-product-vs-depth figure (y-axis up to 5) the rho = 1.2 curve "
                "runs off the top around L ~ 9; sigmoid (0.25^L), tanh (0.9^L) and ReLU "
                "(1.0^L) curves stay on it.",
      verdict="proved",
      assumptions=["the figure's y-axis ends at 5 (its tick labels run 0..5)"])

claim("figure-tanh-factor-labelled-near-saturation", "4.1",
      "The figure's (0.9)^L curve is 'tanh' near saturation'",
      paragraph=14,
      statement="The figure labels the factor 0.9 as tanh' near saturation.",
      verdict="imprecise",
      corrected_statement="tanh'(z) = 1 - tanh(z)^2 >= 0.9 exactly when |z| <= "
                          "artanh(sqrt(1/10)) ~ 0.3275, the near-linear regime; near "
                          "saturation (|z| >= 2) tanh'(z) <= 0.0707, so 0.9 is tanh' near 0, "
                          "not near saturation.",
      note="Imprecise (was qualified): a legend slip; the curve's point (a factor a little "
           "below 1 still decays exponentially) is right, and §2.4 has already told the "
           "reader that tanh' tends to 0 in saturation, so the label contradicts the text "
           "rather than teaching a wrong number.")

claim("measured-gradient-norms-obey-chain-bounds", "4.1",
      "Real deep MLPs: input-gradient norms within the chain-product bounds",
      paragraph=14,
      statement="For real MLPs (sigmoid, tanh, ReLU; Xavier, He or 1.2x-gain weights) the "
                "measured gradient ratio ||dL/dx_0|| / ||dL/dx_L|| lies between the products "
                "of the per-layer factors min|sigma'| sigma_min(W_l) and max|sigma'| "
                "sigma_max(W_l); for sigmoid it is at most 0.25^L prod ||W_l||. The measured "
                "per-layer factors of width-128 nets at initialisation are shown beside the "
                "article's curves (sigmoid/Xavier ~0.24, tanh/Xavier ~0.91, ReLU/He ~1.0, "
                "ReLU with He x 1.44 ~1.2).",
      verdict="supported",
      reason="Not stated as such in the article; it ties the chain-product figure to "
             "measured gradients of deep MLPs (direct Jacobian products).")

claim("deep-sigmoid-net-input-layers-barely-update", "4.1",
      "Vanishing gradients in training: the layers near the input barely move",
      paragraph=10,
      statement="With vanishing gradients the layers near the input barely update: in an "
                "8-layer sigmoid MLP of width 16 (Xavier weights) trained by 100 steps of "
                "gradient descent, the first layer's relative weight change is below 1 % of "
                "the last layer's, in more than half of such networks.",
      verdict="supported",
      reason="The checkable core of the article's description, on a small regression task "
             "(measured ratio ~1e-5; the backward pass is cross-checked by finite "
             "differences). Statistical: exact one-sided binomial over 20 networks.")

claim("vanishing-gradient-leaves-early-layers-untrained", "4.1",
      "Vanishing gradients: the network behaves like a shallow one, capping generalisation",
      paragraph=10,
      statement="With vanishing gradients the loss may still decrease while the layers near "
                "the input barely update, so the network behaves like a shallow one, capping "
                "generalisation.",
      verdict="cited",
      reason="The consequence for generalisation is an empirical remark about trained "
             "networks; the layers near the input barely moving is checked under "
             "deep-sigmoid-net-input-layers-barely-update, the gradient decay itself under "
             "measured-gradient-norms-obey-chain-bounds.")

claim("oversized-step-makes-gradient-descent-diverge", "4.1",
      "An oversized step eta grad L makes the iterates diverge",
      paragraph=12,
      statement="Even without overflow an oversized update eta grad L can throw the "
                "parameters away and the trajectory diverges.",
      verdict="proved",
      reason="Made precise on the quadratic L = (a/2) theta^2 (a > 0): gradient descent "
             "gives theta_k = (1 - eta a)^k theta_0, which diverges iff eta > 2/a, "
             "oscillates with constant size at eta = 2/a, and converges for 0 < eta < 2/a.")

claim("gradient-clipping-standard-in-rnn-transformer", "4.1",
      "Gradient clipping is nearly standard in RNN / Transformer training",
      paragraph=12,
      statement="Gradient clipping is nearly standard in RNN and Transformer training.",
      verdict="cited", reason="Statement about engineering practice; not checkable here.")

# -- 4.1 floating point ---------------------------------------------------------------
claim("float32-max-is-about-3-4e38", "4.1",
      "The float32 maximum is about 3.4e38",
      paragraph=11,
      statement="The largest float32 is about 3.4 x 10^38.",
      verdict="proved",
      reason="Exactly (2 - 2^-23) 2^127 = 340282346638528859811704183484516925440.")

claim("float32-overflows-to-inf-above-max", "4.1",
      "A gradient component above the float32 maximum becomes inf",
      paragraph=11,
      statement="Once any gradient component exceeds the float32 maximum (read: leaves the "
                "float32 range) it becomes inf.",
      verdict="supported",
      note="Not a finding (was imprecise): 'exceeds the maximum (about 3.4e38)' is the "
           "ordinary description of overflow. Precisely, with round-to-nearest-even a "
           "float32 result is +-inf exactly when the exact value's magnitude is >= 2^128 - "
           "2^103 (the maximum plus half an ulp); values strictly between round back to the "
           "maximum (max + 2^102 == max, max + 2^103 == inf); 1.2^L overflows float32 from "
           "L = 487. Checked exactly at the threshold and on sampled sums and products: "
           "supported.")

claim("inf-arithmetic-produces-nan", "4.1",
      "inf - inf, 0 * inf and inf / inf are NaN",
      paragraph=11,
      statement="Operations such as inf - inf, 0 * inf and inf / inf produce NaN.",
      verdict="proved",
      reason="Exhaustive over signs in float16/32/64 numpy arithmetic and Python floats.")

claim("nan-absorbs-every-arithmetic-operation", "4.1",
      "NaN is absorbing: any arithmetic involving NaN returns NaN",
      paragraph=11,
      statement="NaN is absorbing under IEEE 754: any arithmetic involving it returns NaN.",
      verdict="imprecise",
      corrected_statement="IEEE 754 propagates a quiet NaN through the basic operations (+, -, "
                          "*, /, sqrt, fma, remainder, conversions) and most elementary "
                          "functions, but not through all: pow(NaN, 0) = 1, pow(1, NaN) = 1, "
                          "hypot(+-inf, NaN) = +inf, fmin/fmax return the non-NaN operand; "
                          "comparisons with NaN are false (so where/max-style code drops it), "
                          "copysign and signbit read its sign. Python's float operators add "
                          "exceptions: nan / 0.0, nan // 0.0 and nan % 0.0 raise "
                          "ZeroDivisionError, int/floor/round(nan) raise ValueError. The full "
                          "survey over numpy's ufuncs and Python's operators is recorded in the "
                          "evidence table.")

claim("nan-in-a-parameter-makes-every-parameter-nan", "4.1",
      "One NaN parameter: the whole activation map, loss, gradients and parameters go NaN",
      paragraph=11,
      statement="Once NaN enters a parameter, the next forward pass turns the entire "
                "activation map into NaN, the loss becomes NaN, every gradient is NaN and every "
                "parameter is updated to NaN; training dies with no recovery.",
      verdict="imprecise",
      corrected_statement="For a dense MLP trained by plain SGD with a NaN in one weight of "
                          "layer k: layers before k stay finite in that forward pass; layer k "
                          "has NaN only in the affected unit; every layer after k, the loss, "
                          "every gradient and (after one SGD step) every parameter are NaN, "
                          "because 0 * NaN = NaN in the matrix products. A ReLU written "
                          "by comparison (np.where(z > 0, z, 0)) stops it in the forward pass "
                          "(finite output and loss), though the backward product through the "
                          "NaN weight still puts NaN into earlier layers' gradients.",
      note="Imprecise (was qualified): for dense layers with NaN-propagating activations "
           "(np.maximum(z, 0), current torch.relu and jax.nn.relu return NaN for NaN; "
           "PyTorch 0.4 and MXNet once returned 0, pytorch/pytorch#7999) the cascade is as "
           "described, from the NaN weight's layer on and, after one SGD step, "
           "everywhere. Only 'the entire activation map' of the first forward pass is too "
           "broad (earlier layers are finite), and a ReLU written by comparison masks the NaN "
           "in the forward pass, an implementation detail few readers meet.")

# -- 4.1 gradient clipping -------------------------------------------------------------
claim("clip-grad-norm-scales-norm-down-to-threshold", "4.1",
      "Clipping scales a gradient with ||g|| > tau down to norm tau",
      paragraph=12,
      statement="Whenever ||grad L|| > tau, gradient clipping scales it down to norm tau.",
      verdict="proved",
      reason="Proved for the rule in exact arithmetic (symbolic number of entries); the "
             "floating-point implementation is checked against it to a few ulps.",
      assumptions=["finite gradients (non-finite ones: clip-grad-norm-cannot-repair-nonfinite-"
                   "gradients)", "implementation: a few ulps of floating-point rounding"])

claim("clip-grad-norm-keeps-direction", "4.1",
      "Clipping preserves the gradient's direction",
      paragraph=12,
      statement="Clipping by norm multiplies the whole gradient (all parameters together) by "
                "one positive factor, so its direction is unchanged.",
      verdict="proved",
      reason="Implicit in 'scale it down'; proved for the rule (one factor tau/||g|| > 0), "
             "and checked on the implementation's global vector of all arrays.")

claim("clip-grad-norm-is-identity-below-threshold", "4.1",
      "Clipping does nothing when ||g|| <= tau",
      paragraph=12,
      statement="When ||grad L|| <= tau the gradient is left exactly as it is.",
      verdict="supported")

claim("clip-grad-norm-cannot-repair-nonfinite-gradients", "4.1",
      "Clipping keeps any single (finite) step from blowing up; it cannot repair inf/NaN",
      paragraph=12,
      statement="Gradient clipping (scale to tau whenever ||grad L|| > tau) keeps any single "
                "step from blowing up: in the paragraph's case ('even without hitting inf', "
                "a finite oversized gradient) the clipped step has norm <= tau, for any "
                "number of parameters. A gradient that already contains inf or NaN, the case "
                "the paragraph sets aside, is not repaired by clipping.",
      verdict="proved",
      note="Not a finding (was qualified): the paragraph opens 'Even without hitting inf' and "
           "offers clipping for finite oversized steps, which the rule provably bounds "
           "(||c g|| = tau with c = tau/||g||, symbolic number of entries; also when the "
           "squares overflow, given a scaled norm: (1e200, 1e200) is clipped to norm 1). The "
           "inf/NaN case belongs to the paragraph before; there clipping does not help: "
           "||g|| = inf gives the factor tau/inf = 0 and 0 * inf = NaN, a NaN norm fails the "
           "test ||g|| > tau, and the returned step stays non-finite (checked).")

# -- 4.2 initialisation ---------------------------------------------------------------
claim("singular-values-concentrate-at-sigma-sqrt-fan-in", "4.2",
      "Random-matrix singular values concentrate around sigma_w sqrt(n)",
      paragraph=2,
      misled="A reader believes i.i.d. initialisation makes every layer nearly an isometry (singular values ~1); for square layers they spread over [0, 2], which is why orthogonal initialisation exists.",
      statement="By the Marchenko-Pastur law an m x n random matrix with i.i.d. entries of "
                "variance sigma_w^2 has singular values concentrated around sigma_w sqrt(n); "
                "with sigma_w^2 = 1/n they are ~1, so rho ~ 1.",
      verdict="refuted",
      corrected_statement="The singular values spread over the Marchenko-Pastur support "
                          "[sigma_w |sqrt(m) - sqrt(n)|, sigma_w (sqrt(m) + sqrt(n))] (sharp "
                          "edges as m, n grow; for Gaussian entries sigma_max <= sigma_w "
                          "(sqrt(m) + sqrt(n) + t) and, for m >= n, sigma_min >= sigma_w "
                          "(sqrt(m) - sqrt(n) - t), each with probability >= 1 - exp(-t^2/2)). "
                          "Their mean square is exactly sigma_w^2 max(m, n) in expectation, and "
                          "the expected spectral variance of s_i^2 is sigma_w^4 max(m,n) "
                          "(min(m,n) + 1 - 2/min(m,n)), so they concentrate (relative spread "
                          "-> 0) only when m/n -> 0 or infinity. Square W with sigma_w^2 = 1/n "
                          "has singular values filling [0, 2] (quarter-circle law), while its "
                          "eigenvalues fill the unit disc (circular law), so rho ~ 1 but "
                          "sigma_max ~ 2.")

claim("variance-preservation-keeps-squared-length", "4.2",
      "Variance preservation: no stretching of squared lengths on average",
      paragraph=2,
      statement="Variance preservation means each layer on average neither stretches nor "
                "shrinks the squared length of a vector.",
      verdict="imprecise",
      corrected_statement="For W (m x n) with i.i.d. zero-mean entries of variance sigma_w^2 "
                          "and any fixed x, E||W x||^2 = m sigma_w^2 ||x||^2. The forward "
                          "choice sigma_w^2 = 1/n preserves the per-coordinate second moment "
                          "(||W x||^2/m against ||x||^2/n) but scales the squared length by "
                          "m/n; the squared length is preserved on average by sigma_w^2 = 1/m, "
                          "so the two readings agree only for square layers.")

claim("forward-variance-is-fan-in-times-variances", "4.2",
      "Var(z_j) = n sigma_w^2 sigma_x^2",
      paragraph=5,
      statement="For z_j = sum_k W_jk x_k with independent zero-mean W_jk (variance "
                "sigma_w^2) and x_k (variance sigma_x^2): Var(z_j) = n sigma_w^2 sigma_x^2, so "
                "sigma_w^2 = 1/n preserves the forward variance.",
      verdict="proved",
      assumptions=["W independent of x; all entries independent",
                   "zero means (needed: in general Var(W x) = s_w^2 s_x^2 + s_w^2 m_x^2 + "
                   "m_w^2 s_x^2)"])

claim("backward-variance-is-fan-out-times-variances", "4.2",
      "Var(g_j) = m sigma_w^2 Var(g_out)",
      paragraph=8,
      statement="For g_j = sum_i W_ij g_i^(out) with independent zero-mean entries: "
                "Var(g_j) = m sigma_w^2 Var(g^(out)), so sigma_w^2 = 1/m preserves the "
                "backward variance.",
      verdict="proved", assumptions=["W independent of g_out; zero means"])

claim("forward-and-backward-conditions-incompatible", "4.2",
      "Forward and backward preservation cannot both hold",
      paragraph=9,
      statement="Forward (sigma_w^2 = 1/n) and backward (sigma_w^2 = 1/m) variance "
                "preservation cannot be satisfied simultaneously.",
      verdict="imprecise",
      corrected_statement="Both hold exactly when fan-in equals fan-out (n = m, e.g. every "
                          "hidden layer of a constant-width MLP); they conflict only for "
                          "n != m.")

claim("xavier-variance-is-harmonic-compromise", "4.2",
      "Xavier: sigma_w^2 = 2/(n + m), the harmonic compromise",
      paragraph=9,
      statement="Xavier takes sigma_w^2 = 2/(n + m), the harmonic mean of the forward value "
                "1/n and the backward value 1/m.",
      verdict="proved",
      reason="Also: 2/(n+m) lies between 1/n and 1/m and equals both iff n = m.")

claim("he-variance-preserves-relu-preactivations", "4.2",
      "He: sigma_w^2 = 2/n preserves ReLU pre-activation variance",
      paragraph=11,
      statement="Because ReLU zeroes the negative half, sigma_w^2 = 2/n (He) keeps the "
                "pre-activation variance constant from layer to layer: the factor 2 replaces "
                "Xavier's 1.",
      verdict="proved",
      assumptions=["pre-activations z_{l-1} symmetric about 0 (any such distribution, e.g. "
                   "Gaussian), identically distributed across units",
                   "zero-mean weights independent of the activations"])

claim("he-forward-variance-formula", "4.2",
      "With ReLU, Var(z) = (1/2) n sigma_w^2 sigma_x^2",
      paragraph=11,
      statement="For ReLU, forward variance becomes Var(z) = 1/2 n sigma_w^2 sigma_x^2, "
                "since only half the activations carry through.",
      verdict="imprecise",
      corrected_statement="Var(z_l) = n sigma_w^2 E[a_{l-1}^2] = 1/2 n sigma_w^2 Var(z_{l-1}) "
                          "when z_{l-1} is symmetric about 0: sigma_x^2 must be the previous "
                          "pre-activation variance, not the variance of the layer's input "
                          "a = ReLU(z_{l-1}) (which has nonzero mean, against the stated "
                          "zero-mean assumption); in terms of Var(a) the factor is "
                          "n sigma_w^2 Var(a) pi/(pi - 1), not n sigma_w^2 Var(a)/2.")

claim("xavier-initialisers-have-variance-two-over-fan-sum", "4.2",
      "Xavier initialisers: E[w^2] = gain^2 2/(n+m), shape (m, n)",
      paragraph=10,
      statement="xavier_normal draws N(0, 2/(n+m)) and xavier_uniform U(-a, a) with "
                "a = sqrt(6/(n+m)) (variance 2/(n+m)), times gain^2, in shape (m, n).",
      verdict="supported",
      assumptions=["statistical: chi-square (normal) and Hoeffding (uniform) tests, "
                   "Bonferroni over the generated shapes, total alpha 1e-6, power 1-1e-6 "
                   "against a 5% variance error"])

claim("he-initialisers-have-variance-two-over-fan-in", "4.2",
      "He initialisers: E[w^2] = 2/n, shape (m, n)",
      paragraph=12,
      statement="he_normal draws N(0, 2/n) and he_uniform U(-a, a) with a = sqrt(6/n) "
                "(variance 2/n), n = fan-in, in shape (m, n).",
      verdict="supported",
      assumptions=["statistical, as for the Xavier initialisers"])

claim("initialised-layer-propagates-variance-as-derived", "4.2",
      "One initialised layer propagates variance as derived",
      paragraph=4,
      statement="With the initialisers' weights, a layer's forward output has variance "
                "n sigma_w^2 sigma_x^2 and its backward output m sigma_w^2 Var(g_out): Xavier "
                "gives 2n/(n+m) and 2m/(n+m) times the input variance, He gives 2 (forward, "
                "before ReLU; 1 after the ReLU halving) and 2m/n (backward).",
      verdict="supported",
      assumptions=["x and g_out with i.i.d. zero-mean entries of variance s^2 (normal or "
                   "uniform), independent of W; fresh weights and inputs per draw"])

claim("deep-stack-activation-scale-by-scheme", "4.2",
      "Through 50 layers: He keeps ReLU's expected scale, Xavier halves it, tanh decays or settles",
      paragraph=13,
      statement="In 50-layer square MLPs of width n with normal weights: for ReLU each layer "
                "multiplies ||a||^2 by an independent sigma_w^2 chi^2_K, K ~ Bin(n, 1/2), so He "
                "(sigma_w^2 = 2/n) keeps the expected second moment exactly while Xavier halves "
                "it per layer (2^-49 ~ 1.8e-15 after 50 layers); the typical (log) scale moves by "
                "the exact mean log-gain mu per layer (He: mu ~ -2.6/n, so the median shrinks "
                "~10x over 50 layers at n = 48). For tanh, E[||a_l||^2/n | a_{l-1}] = "
                "E tanh^2(sqrt(q_l) Z) exactly (the mean-field map): Xavier decays like 1/(2l), "
                "He settles at q* ~ 0.618.",
      verdict="supported",
      reason="Extends §4.2 (and §2.4's 'He for ReLU, Xavier for tanh') to deep stacks.")

claim("xavier-keeps-tanh-variance-across-depth", "4.2",
      "Xavier keeps the variance equal across layers (the scheme for tanh)",
      paragraph=1,
      statement="Xavier initialisation keeps the variance of each dimension equal across "
                "layers; engineering practice uses it for sigmoid/tanh networks.",
      verdict="imprecise",
      corrected_statement="Only in the linear regime. For tanh with square layers and "
                          "sigma_w^2 = 1/n the mean-field map q -> E[tanh(sqrt(q) Z)^2] is "
                          "strictly below q for q > 0 (|tanh x| < |x|), so the pre-activation "
                          "variance decreases at every layer and tends to 0, like 1/(2l) "
                          "(from q_0 = 1: ~0.01 after 50 layers).",
      note="Imprecise (was qualified). Against a finding: the paragraph states Xavier's "
           "intent ('built on the idea'), and the assumptions paragraph restricts the "
           "derivation to the near-linear regime (tanh near zero), where the gain tends to "
           "1. For one: measured, the variance is not kept; it decays like 1/(2l) (q_50 ~ "
           "0.01 from q_0 = 1, so activations shrink ~10x in scale over 50 layers). The "
           "decay is slow (polynomial, not the exponential vanishing the section warns "
           "about) and it drives the units further into the linear regime, so nothing a "
           "reader builds fails; the reader should know the variance drifts.")

claim("xavier-for-tanh-he-for-relu-in-practice", "4.2",
      "Practice: Xavier for sigmoid/tanh, He for ReLU",
      paragraph=13,
      statement="Engineering practice defaults to Xavier for sigmoid/tanh networks and He for "
                "ReLU-family networks.",
      verdict="cited", reason="Statement about practice; the mathematics behind it is "
                              "checked under deep-stack-activation-scale-by-scheme.")

claim("variance-control-cheaper-than-svd", "4.2",
      "Controlling variance costs O(1); controlling singular values by SVD O(n^3)",
      paragraph=2,
      statement="Controlling the variance during sampling is O(1) (per entry: one draw and a "
                "scale computed once, O(mn) per matrix); directly controlling singular values "
                "via an SVD is O(n^3).",
      verdict="supported",
      reason="Read per entry (an n x n matrix cannot be sampled in O(1) in all). Checked: the "
             "reference uniform initialisers take exactly one generator draw per entry "
             "(PCG64 state), and the Householder bidiagonalisation every dense SVD starts "
             "with costs 8n^3/3 + O(n^2) flops (sympy). Supported, not proved: the SVD count "
             "is that of the standard algorithm (an upper bound, not a lower bound on any "
             "SVD method), and the draw count holds for the shapes tried.")

# -- 4.3 normalisation ----------------------------------------------------------------
claim("batchnorm-output-has-zero-mean-unit-variance", "4.3",
      "BatchNorm pulls each feature to zero mean and unit variance",
      paragraph=2,
      statement="Normalisation (BatchNorm as defined, with gamma = 1, beta = 0) pulls each "
                "feature's activations back to zero mean and (up to eps) unit variance over "
                "the batch: mean exactly 0, variance sigma_j^2 / (sigma_j^2 + eps).",
      verdict="proved",
      note="Not a finding (was imprecise): eps is there to avoid dividing by zero, and every "
           "reader of the formula sees that the variance is sigma_j^2 / (sigma_j^2 + eps), "
           "close to 1 when sigma_j^2 >> eps (proved for a symbolic batch size). A feature with "
           "sigma^2 comparable to eps comes out far from unit variance: values (0, 1e-3) with "
           "eps = 1e-5 give 0.024, and a constant feature gives 0.")

claim("affine-sets-any-output-mean-and-variance", "4.3",
      "gamma and beta can give the output any mean and variance",
      paragraph=4,
      statement="Because gamma_j and beta_j are learnable, a layer that needs a nonzero mean or "
                "non-unit variance can learn it back: feature j of y has batch mean beta_j "
                "and variance gamma_j^2 sigma_j^2 / (sigma_j^2 + eps).",
      verdict="proved")

claim("affine-undoes-normalisation-exactly", "4.3",
      "Learnable scale and shift can undo the normalisation",
      paragraph=4,
      statement="Learnable gamma, beta can undo the normalisation, so normalisation does not "
                "lock the layer's expressive capacity: gamma_j = sqrt(sigma_j^2 + eps), beta_j "
                "= mu_j restore x exactly (in training mode these are the batch's statistics; "
                "in eval mode gamma = sqrt(running_var + eps), beta = running_mean restore "
                "every input).",
      verdict="proved",
      note="Not a finding (was imprecise): the article's sentence is that a layer needing a "
           "nonzero mean or non-unit variance can learn it back through gamma, beta, which is "
           "right (affine-sets-any-output-mean-and-variance). The precision: in training mode "
           "the restoring (gamma, beta) are forced by the batch (the only solution once two "
           "values differ), so one fixed pair undoes BatchNorm only on batches with the same "
           "statistics (not on both {0, 2} and {0, 4}); this is the BatchNorm paper's "
           "'can represent the identity' with population statistics.")

claim("bias-before-normalisation-is-redundant", "4.3",
      "A linear layer's bias before BN / LN is redundant",
      paragraph=5,
      misled="A reader drops a linear layer's bias before LayerNorm believing LN's beta replaces it; only training-mode BatchNorm cancels a bias, LayerNorm removes just its mean component.",
      statement="A linear layer followed by BN or LN does not need its bias b: the "
                "normalisation's beta provides the same shift freedom.",
      verdict="qualified",
      corrected_statement="Before training-mode BatchNorm a bias is removed exactly (the "
                          "batch mean absorbs it): BN(Wx + b) = BN(Wx). Before LayerNorm only "
                          "a bias proportional to (1, ..., 1) is removed; a general bias "
                          "changes LN's output in a way no beta reproduces, e.g. z = (1, 0, -1) "
                          "vs z + (1, 0, 0). In BatchNorm's eval mode the bias cancels only "
                          "insofar as the running mean has absorbed it.")

claim("batchnorm-train-depends-on-batch-eval-does-not", "4.3",
      "BatchNorm: batch-dependent in training, per-sample at inference",
      paragraph=6,
      statement="With batch statistics the same input gives different outputs in different "
                "batches; with the running statistics (inference) it does not.",
      verdict="proved",
      reason="Exact example for training mode (x = 1 in {1, 3} and {1, -1}); eval mode's "
             "output of a sample involves no other sample (symbolic B).")

claim("batchnorm-running-averages-of-batch-statistics", "4.3",
      "Frameworks keep running averages of mu and sigma^2 for inference",
      paragraph=6,
      statement="PyTorch / TensorFlow maintain a running average of the batch mu and sigma^2 "
                "during training and switch to it at inference.",
      verdict="imprecise",
      corrected_statement="The running mean is the EMA of mu_B, but PyTorch's (and the BN "
                          "paper's) running variance is the EMA of the unbiased B/(B-1) "
                          "sigma_B^2, not of the sigma_B^2 that normalises in training; so even "
                          "on one repeated batch eval-mode output differs from training-mode "
                          "output by the factor sqrt((sigma^2 + eps)/(B sigma^2/(B-1) + eps)) "
                          "(1/sqrt(2) at B = 2 when eps << sigma^2).",
      note="Imprecise (was qualified): the description (running averages, switched to at "
           "inference) is right; which variance is averaged is a detail that differs between "
           "implementations (PyTorch and the BN paper: the unbiased estimate; Keras has "
           "used the biased one in some versions, keras-team/keras#8982). The factor is B/(B-1) in variance, 3 % at "
           "B = 32: it matters for bit-matching PyTorch, not for a working implementation.")

claim("batchnorm-batch-statistics-noisier-for-small-batches", "4.3",
      "BatchNorm's batch statistics get noisier as the batch shrinks; B = 1 outputs 0",
      paragraph=6, origin="harness",
      statement="For a batch of B i.i.d. samples of variance s^2, the batch mean BatchNorm "
                "normalises with has variance s^2/B and the biased batch variance has "
                "expectation (B - 1) s^2 / B; at B = 1 every input is normalised to 0 (the "
                "output is beta).",
      verdict="proved",
      reason="The checkable core behind the article's remark that BatchNorm underperforms "
             "with small batches (a practice claim, cited under "
             "normalisation-engineering-practice). The train/eval gap itself depends on the "
             "data distribution and is not quantified here.")

claim("layernorm-is-independent-of-the-batch", "4.3",
      "LayerNorm normalises each sample alone, independent of the batch",
      paragraph=7,
      statement="LayerNorm normalises over the features of a single sample (mean 0, biased "
                "variance sigma^2/(sigma^2 + eps)), independent of the batch and its size.",
      verdict="proved")

claim("rmsnorm-does-not-centre", "4.3",
      "RMSNorm drops the mean subtraction",
      paragraph=6,
      statement="RMSNorm drops the mean subtraction and normalises only by the root mean "
                "square.",
      verdict="proved",
      reason="Checked: output mean square gamma^2 ms/(ms + eps); the mean is not removed "
             "(nonzero in general); RMSNorm = LayerNorm exactly on zero-mean samples.")

claim("normalised-preactivations-keep-mean-sigmoid-derivative-near-peak", "4.3",
      "After normalisation the mean sigmoid derivative stays within 4/3 of its peak",
      paragraph=10,
      statement="Pinning pre-activations to zero mean and unit variance keeps sigma' roughly "
                "constant: for any vector normalised to mean 0 and mean square <= 1 (LayerNorm "
                "over its features or BatchNorm over the batch, gamma = 1, beta = 0, any "
                "eps >= 0), the average sigmoid derivative is between 3/16 and 1/4, whatever "
                "the weights before it and the depth.",
      verdict="proved",
      reason="The checkable core of the first half of the article's sentence: sigma'(z) >= "
             "1/4 - z^2/16 (from |tanh u| <= |u|), averaged with mean z^2 <= 1. A 30-layer "
             "stack with large weights shows the contrast (mean sigma' ~0.07 without "
             "normalisation).")

claim("normalisation-keeps-sigma-prime-constant", "4.3",
      "So the chain product of Jacobian spectral radii does not drift",
      paragraph=10,
      statement="Pinning activations to zero mean and unit variance keeps sigma' roughly "
                "constant, so the chain product of Jacobian spectral radii does not drift.",
      verdict="refuted",
      misled="A reader expects a deep stack of normalised layers to keep its gradients "
             "balanced across depth; without skip connections BatchNorm makes the gradient "
             "grow geometrically toward the input at initialisation (about 1.21x per ReLU "
             "layer: ~1e4 over 50 layers, where the same net without normalisation stays "
             "near 1x).",
      corrected_statement="The first half holds (after normalisation the mean sigmoid "
                          "derivative stays within 4/3 of its peak, proved under "
                          "normalised-preactivations-keep-mean-sigmoid-derivative-near-peak), "
                          "but the conclusion does not follow: each layer's Jacobian also "
                          "contains the weights and the normaliser's own Jacobian, and at "
                          "initialisation the normaliser's share grows the gradient. In plain "
                          "(no skip) MLPs of depth 50, width 100, batch 64 with BatchNorm in "
                          "training mode, the gradient at the input is ~1e4 times the one at "
                          "the output with ReLU (He weights; ~1.21 per layer, the mean-field "
                          "rate sqrt(pi/(pi - 1)) = 1.211 of Yang et al. 2019) and ~76 times "
                          "with tanh (Xavier; ~1.09 per layer), while the same nets without normalisation give ~1x (ReLU) "
                          "and ~0.1x (tanh, vanishing). Deep normalised networks train "
                          "because of residual connections and training dynamics, not "
                          "because normalisation fixes the chain product.",
      note="Was cited (the drift was said to depend on things the article does not "
           "quantify). Its checkable core is wrong at initialisation: gradient explosion in "
           "deep BatchNorm networks without skip connections is a theorem of Yang, "
           "Pennington, Rao, Sohl-Dickstein and Schoenholz, 'A mean field theory of batch "
           "normalization' (ICLR 2019); the check measures it on seeded networks, as many per "
           "configuration as the exact binomial test needs at alpha 2.5e-7.")

claim("normalisation-engineering-practice", "4.3",
      "Bias-free layers, LayerNorm in NLP, RMSNorm in LLMs, BN's small-batch weakness",
      paragraph=6,
      statement="ResNet convolutions and LLaMA/PaLM projections are bias-free; BatchNorm "
                "underperforms with small batches, variable lengths and RNN/Transformers; "
                "LayerNorm has replaced it in NLP; LLaMA, Mistral, Gemma use RMSNorm.",
      verdict="cited",
      reason="Statements about architectures and practice (documentary). One doubtful core, "
             "not checkable by computation: the article's reason for the bias-free LLaMA / "
             "PaLM projections (that a following BN / LN's beta absorbs the bias) does not "
             "apply to them: both are pre-norm Transformers, where RMSNorm / LayerNorm comes "
             "before the Q/K/V and FFN projections, whose outputs go to attention and the "
             "residual stream without a normalisation after them; PaLM gives training "
             "stability as its reason. What a following normaliser does to a bias is checked "
             "under bias-before-normalisation-is-redundant.")
