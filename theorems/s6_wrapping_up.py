"""§6 Wrapping up: the closing takeaways, each linked to the claims that check it.

The article closes with five takeaways. Where a takeaway restates results checked in
§§1-5, its claim names them in ``depends_on`` and inherits their outcome; where it is
false, or loose as worded, it has its own check (``checks/test_s6_takeaways.py``) and
verdict; opinions and history are ``cited``.

Main statements
---------------
In article order (paragraphs of §6); T = ``checks/test_s6_takeaways.py``.

* ``perceptron-limit-is-single-layer-not-linearity`` (imprecise) - a stack of linear
  layers is as limited as one (T::test_stacked_linear_layers_still_cannot_compute_xor);
  one unit with any non-decreasing activation cannot compute XOR
  (T::test_one_unit_with_any_monotone_activation_cannot_compute_xor); depends on §1.3, §2.2.
* ``ai-winter-caused-by-missing-backprop-and-compute`` (cited) - history.
* ``stacking-layers-with-nonlinearity-lifts-expressiveness`` - depends on §1.3, §2.2,
  §2.3 and §3.1 claims.
* ``backprop-is-reverse-order-chain-rule`` - depends on §3.1 and §3.4 claims.
* ``vjp-is-load-bearing-for-autodiff-frameworks`` (cited) - counterfactual history.
* ``gradient-problem-is-spectral-radius-not-depth`` (qualified) - layers of spectral
  radius 0 whose product explodes; depth is the exponent
  (T::test_spectral_radius_does_not_control_the_chain_product); depends on §4.1.
* ``residual-and-attention-through-spectral-lens`` (cited) - a design heuristic.
* ``all-regularisation-is-a-bayesian-prior`` (refuted) - mixup's estimate is MAP under no
  prior (T::test_mixup_estimate_is_no_map_under_any_prior); dropout's penalty is a
  design-dependent Gaussian prior
  (T::test_dropout_penalty_is_a_design_dependent_gaussian_prior); depends on §5.2.
* ``l2-gaussian-l1-laplace-dropout-ensemble`` - depends on §5.2 and §5.3 claims.
* ``new-regularisers-fit-the-prior-or-ensemble-template`` (cited) - programmatic.
* ``uat-is-expressiveness-not-generalisation`` - depends on §2.3 and §5.1 claims.
* ``progress-from-optimisation-normalisation-and-priors`` (cited) - an assessment.

Notation
--------
As in the sections cited. rho(J) is the spectral radius, sigma_max(J) the largest
singular value of a layer Jacobian J.

Assumptions
-----------
None beyond those of the linked claims.

References
----------
Article §6; the claims of ``theorems/s1_perceptron.py`` to ``theorems/s5_generalisation.py``.
Wager, Wang and Liang, "Dropout training as adaptive regularization" (2013); Zellner,
"On assessing prior distributions and Bayesian regression analysis with g-prior
distributions" (1986); Zhang et al., "mixup: Beyond empirical risk minimization" (2018).
"""
from claimledger import claim

# -- takeaway 1: the perceptron's limit ---------------------------------------------------
claim("perceptron-limit-is-single-layer-not-linearity", "6",
      "The perceptron's limit is 'single layer', not 'linearity'",
      statement="The perceptron's limit is not linearity but being a single layer.",
      verdict="imprecise", paragraph=2,
      depends_on=["xor-sign-constraints-infeasible",
                  "deep-linear-mlp-no-more-expressive-than-one-layer"],
      corrected_statement="The limit is the half-space decision region of one threshold unit: "
                          "no non-decreasing activation on a single unit changes it, and "
                          "stacking layers lifts it only with a non-linearity between them (a "
                          "stack of linear layers is one affine map and still cannot compute "
                          "XOR).",
      note="Read with the same bullet's closing sentence (stacking layers *with* a "
           "non-linearity lifts the ceiling) the intended meaning is right. Only the literal "
           "'not linearity' is loose: a deep but linear network is as limited as one layer. "
           "An earlier counterexample (one unit on the hand-made feature x1 x2) was withdrawn: "
           "it changes the input, not the model the takeaway is about.")

claim("ai-winter-caused-by-missing-backprop-and-compute", "6",
      "The AI winter came from missing backprop, compute and scaffolding",
      statement="XOR gave the answer in 1969; the following AI winter was due not to the "
                "perceptron itself but to missing backpropagation, compute and engineering "
                "around non-linear activations.",
      verdict="cited", paragraph=2,
      reason="A historical interpretation; not checkable here.")

claim("stacking-layers-with-nonlinearity-lifts-expressiveness", "6",
      "Stacking layers with a non-linearity lifts the expressiveness ceiling",
      statement="Stacking layers with a non-linearity is what lifts the expressiveness "
                "ceiling of the single-layer perceptron.",
      verdict="supported", paragraph=2,
      depends_on=["xor-sign-constraints-infeasible",
                  "deep-linear-mlp-no-more-expressive-than-one-layer",
                  "zoo-activations-break-affinity-of-the-stack",
                  "uat-construction-meets-eps-on-interval",
                  "xor-solved-by-mlp-trained-with-backprop-and-gd"])

# -- takeaway 2: backpropagation --------------------------------------------------------
claim("backprop-is-reverse-order-chain-rule", "6",
      "Backpropagation is the chain rule in reverse topological order",
      statement="Backpropagation is not a new algorithm: it is the chain rule executed in "
                "reverse topological order over a computational graph.",
      verdict="supported", paragraph=3,
      depends_on=["backprop-computes-all-partials-in-one-reverse-sweep",
                  "backprop-on-any-dag-matches-symbolic-derivative",
                  "chain-product-form-of-input-gradient"])

claim("vjp-is-load-bearing-for-autodiff-frameworks", "6",
      "The VJP is the load-bearing piece of reverse-mode AD",
      statement="The vector-Jacobian product is the load-bearing piece; without it none of "
                "the modern AD frameworks would exist, and reverse-mode AD's memory-vs-compute "
                "trade-off comes from the VJP, not from the chain rule itself.",
      verdict="cited", paragraph=3,
      reason="A counterfactual about software history and a framing of where a trade-off "
             "'comes from'; not a checkable mathematical statement.")

# -- takeaway 3: the gradient problem ---------------------------------------------------
claim("gradient-problem-is-spectral-radius-not-depth", "6",
      "The gradient problem is a curse of spectral radius, not of depth",
      statement="The gradient problem is not a curse of depth but of spectral radius: "
                "Xavier/He initialisation and BatchNorm/LayerNorm all aim to keep the chain "
                "product's rho-bar near 1.",
      verdict="qualified", paragraph=4,
      misled="A reader monitors or normalises the eigenvalues (spectral radius) of layer "
             "Jacobians, which can all be 0 while the chain product explodes like 2^L; the "
             "quantity to keep near 1 is their singular values.",
      depends_on=["spectral-radius-interchangeable-with-singular-value",
                  "chain-product-scales-as-mean-factor-power",
                  "chain-product-explodes-when-every-sigma-max-above-one"],
      corrected_statement="Depth is the exponent and the layers' singular values the base: "
                          "prod sigma_min(J_l) ||v|| <= ||J_L ... J_1 v|| <= prod "
                          "sigma_max(J_l) ||v||. Spectral radii near 1 do not keep the product "
                          "stable (layers of spectral radius 0 can multiply to 4^(L/2); radius "
                          "exactly 1 can still grow like L), so the quantity to keep near 1 is "
                          "the singular values of the layer Jacobians, which is what variance-"
                          "preserving initialisation approximates.")

claim("residual-and-attention-through-spectral-lens", "6",
      "ResNets, normalisation and attention through the same lens",
      statement="Residual connections, normalisation and attention design can all be "
                "viewed through the 'keep the spectral radius stable' lens.",
      verdict="cited", paragraph=4,
      reason="A design heuristic about architectures the article does not analyse. Its "
             "normalisation part has a checkable core, refuted in §4.3 "
             "(normalisation-keeps-sigma-prime-constant): without skip connections BatchNorm "
             "makes the chain product grow ~1.21x per ReLU layer at initialisation; the "
             "residual connection (J = I + F') is what keeps deep normalised stacks "
             "trainable.")

# -- takeaway 4: regularisation -------------------------------------------------------------
claim("all-regularisation-is-a-bayesian-prior", "6",
      "All regularisation is fundamentally a Bayesian prior",
      statement="All regularisation is fundamentally a Bayesian prior over parameters.",
      verdict="refuted", paragraph=5,
      misled="A reader looks for the prior behind every regulariser and treats each as MAP "
             "estimation; mixup (which the same bullet lists) changes the data, and its "
             "estimate is the MAP of no prior, proper or improper, even one that depends on "
             "the design.",
      depends_on=["l2-penalty-is-map-under-gaussian-prior",
                  "l1-penalty-is-map-under-laplace-prior"],
      corrected_statement="Penalties on the parameters alone are MAP under a prior (L2 and L1 "
                          "exactly: Gaussian and Laplace; dropout's penalty for linear "
                          "regression is a design-dependent Gaussian). Regularisers that change "
                          "the data or the likelihood are not: two label vectors with the same "
                          "likelihood have the same MAP under every prior, yet mixup gives them "
                          "different estimates.",
      note="Earlier counterexamples withdrawn: dropout's data-dependent penalty is expressed by a "
           "design-dependent Gaussian prior (as Zellner's g-prior does), and improper priors "
           "are routine in MAP estimation.")

claim("l2-gaussian-l1-laplace-dropout-ensemble", "6",
      "L2 <-> Gaussian, L1 <-> Laplace, dropout <-> implicit ensemble",
      statement="L2 corresponds to a Gaussian prior, L1 to a Laplace prior and dropout to an "
                "implicit ensemble.",
      verdict="supported", paragraph=5,
      depends_on=["l2-penalty-is-map-under-gaussian-prior",
                  "l1-penalty-is-map-under-laplace-prior",
                  "weight-scaling-equals-normalised-geometric-mean"],
      note="'Implicit ensemble' is right as stated: dropout trains the sub-networks with shared "
           "weights, and weight-scaled inference is exactly their normalised geometric-mean "
           "ensemble for linear logits (§5.3). The sharper §5.3 statement that inference is "
           "their arithmetic average is a finding of §5.3, not of this takeaway (previously "
           "qualified here for that reason).")

claim("new-regularisers-fit-the-prior-or-ensemble-template", "6",
      "Label smoothing, mixup, weight averaging fit the same template",
      statement="New regularisers (label smoothing, mixup, weight averaging) fit the same "
                "template once the corresponding prior or ensemble structure is identified.",
      verdict="cited", paragraph=5,
      reason="A programmatic claim about methods the article does not define or analyse. "
             "Its checkable core, that mixup's structure is a prior, is refuted under "
             "all-regularisation-is-a-bayesian-prior (mixup's estimate is MAP under no "
             "prior); 'ensemble structure' is left undefined by the article, so the claim as a "
             "whole is not checked.")

# -- takeaway 5: the UAT -----------------------------------------------------------------------
claim("uat-is-expressiveness-not-generalisation", "6",
      "The UAT is about expressiveness, not generalisation",
      statement="The universal approximation theorem is an expressiveness theorem, not a "
                "generalisation theorem: 'can approximate' differs from 'can learn' and from "
                "'approximates on the test set'.",
      verdict="supported", paragraph=6,
      depends_on=["uat-construction-meets-eps-on-interval",
                  "min-norm-fit-interpolates-from-rank-threshold",
                  "double-descent-peak-at-interpolation-threshold"],
      reason="Expressiveness is certified in §2.3; §5.1 exhibits models that fit the "
             "training set exactly yet have a test-error peak, so fitting does not imply "
             "generalising.")

claim("progress-from-optimisation-normalisation-and-priors", "6",
      "The decade's progress is in optimisation, normalisation, regularisation, priors",
      statement="The real progress of the past decade has been on optimisation and "
                "generalisation: optimisers, normalisation, regularisation and architectural "
                "priors (CNN, attention, Transformer) make the UAT land on real data.",
      verdict="cited", paragraph=6,
      reason="An assessment of the field's history; not checkable here.")
