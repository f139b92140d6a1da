"""§6 Wrapping up: the closing takeaways, each linked to the claims that check it.

The article closes with five takeaways. Where a takeaway restates results checked in
§§1-5, its claim names them in ``depends_on`` and inherits their outcome; where it is
literally false it has its own check (``checks/test_s6_takeaways.py``) and verdict;
opinions and history are ``cited``.

Main statements
---------------
* ``perceptron-limit-is-single-layer-not-linearity`` (refuted) - a stack of linear layers
  is as limited as one, and one threshold unit on non-linear features computes XOR.
* ``stacking-layers-with-nonlinearity-lifts-expressiveness`` - depends on §1.3, §2.2,
  §2.3 and §3.1 claims.
* ``backprop-is-reverse-order-chain-rule`` - depends on §3.1 and §3.4 claims.
* ``gradient-problem-is-spectral-radius-not-depth`` (qualified) - layers of spectral
  radius 0 whose product explodes; depth is the exponent.
* ``all-regularisation-is-a-bayesian-prior`` (refuted) - dropout's equivalent penalty
  depends on the training inputs; a log penalty has no proper prior.
* ``l2-gaussian-l1-laplace-dropout-ensemble`` (qualified) - depends on §5.2 and §5.3.
* ``uat-is-expressiveness-not-generalisation`` - depends on §2.3 and §5.1 claims.

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
Wager, Wang and Liang, "Dropout training as adaptive regularization" (2013).
"""
from theorems import claim

# -- takeaway 1: the perceptron's limit ---------------------------------------------------
claim("perceptron-limit-is-single-layer-not-linearity", "6",
      "The perceptron's limit is 'single layer', not 'linearity'",
      statement="The perceptron's limit is not linearity but being a single layer.",
      verdict="refuted",
      depends_on=["xor-sign-constraints-infeasible",
                  "deep-linear-mlp-no-more-expressive-than-one-layer"],
      corrected_statement="The limit is the linear decision boundary in the input space. "
                          "Stacking linear layers does not lift it (any depth collapses to one "
                          "affine map, which cannot compute XOR), while a single threshold unit "
                          "on non-linear features of the input (e.g. x1, x2, x1 x2) computes "
                          "XOR. Depth helps only together with a non-linearity.")

claim("ai-winter-caused-by-missing-backprop-and-compute", "6",
      "The AI winter came from missing backprop, compute and scaffolding",
      statement="XOR gave the answer in 1969; the following AI winter was due not to the "
                "perceptron itself but to missing backpropagation, compute and engineering "
                "around non-linear activations.",
      verdict="cited",
      reason="A historical interpretation; not checkable here.")

claim("stacking-layers-with-nonlinearity-lifts-expressiveness", "6",
      "Stacking layers with a non-linearity lifts the expressiveness ceiling",
      statement="Stacking layers with a non-linearity is what lifts the expressiveness "
                "ceiling of the single-layer perceptron.",
      verdict="supported",
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
      verdict="supported",
      depends_on=["backprop-computes-all-partials-in-one-reverse-sweep",
                  "backprop-on-any-dag-matches-symbolic-derivative",
                  "chain-product-form-of-input-gradient"])

claim("vjp-is-load-bearing-for-autodiff-frameworks", "6",
      "The VJP is the load-bearing piece of reverse-mode AD",
      statement="The vector-Jacobian product is the load-bearing piece; without it none of "
                "the modern AD frameworks would exist, and reverse-mode AD's memory-vs-compute "
                "trade-off comes from the VJP, not from the chain rule itself.",
      verdict="cited",
      reason="A counterfactual about software history and a framing of where a trade-off "
             "'comes from'; not a checkable mathematical statement.")

# -- takeaway 3: the gradient problem ---------------------------------------------------
claim("gradient-problem-is-spectral-radius-not-depth", "6",
      "The gradient problem is a curse of spectral radius, not of depth",
      statement="The gradient problem is not a curse of depth but of spectral radius: "
                "Xavier/He initialisation and BatchNorm/LayerNorm all aim to keep the chain "
                "product's rho-bar near 1.",
      verdict="qualified",
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
      verdict="cited",
      reason="A design heuristic about architectures the article does not analyse.")

# -- takeaway 4: regularisation -------------------------------------------------------------
claim("all-regularisation-is-a-bayesian-prior", "6",
      "All regularisation is fundamentally a Bayesian prior",
      statement="All regularisation is fundamentally a Bayesian prior over parameters.",
      verdict="refuted",
      depends_on=["l2-penalty-is-map-under-gaussian-prior",
                  "l1-penalty-is-map-under-laplace-prior"],
      corrected_statement="A penalty R(theta) is MAP under a prior exactly when exp(-R) is "
                          "normalisable and does not depend on the data; L2 and L1 are (Gaussian "
                          "and Laplace). Dropout is not: for linear regression its expected "
                          "loss is ||y - X w||^2 + p/(1-p) sum_j ||X_j||^2 w_j^2, a penalty set "
                          "by the training inputs; and a penalty such as (1/2) log(1 + theta^2) "
                          "has exp(-R) = (1 + theta^2)^(-1/2), which no prior density matches.")

claim("l2-gaussian-l1-laplace-dropout-ensemble", "6",
      "L2 <-> Gaussian, L1 <-> Laplace, dropout <-> implicit ensemble",
      statement="L2 corresponds to a Gaussian prior, L1 to a Laplace prior and dropout to an "
                "implicit ensemble.",
      verdict="qualified",
      depends_on=["l2-penalty-is-map-under-gaussian-prior",
                  "l1-penalty-is-map-under-laplace-prior",
                  "weight-scaling-equals-normalised-geometric-mean",
                  "dropout-inference-is-ensemble-average"],
      corrected_statement="L2 and L1 are exactly MAP under Gaussian (lambda = 1/(2 tau^2)) and "
                          "Laplace (lambda = 1/b) priors; dropout's weight-scaled inference is "
                          "exactly the normalised geometric-mean ensemble of its sub-networks "
                          "(for linear logits), not their arithmetic-mean ensemble.")

claim("new-regularisers-fit-the-prior-or-ensemble-template", "6",
      "Label smoothing, mixup, weight averaging fit the same template",
      statement="New regularisers (label smoothing, mixup, weight averaging) fit the same "
                "template once the corresponding prior or ensemble structure is identified.",
      verdict="cited",
      reason="A programmatic claim about methods the article does not define or analyse.")

# -- takeaway 5: the UAT -----------------------------------------------------------------------
claim("uat-is-expressiveness-not-generalisation", "6",
      "The UAT is about expressiveness, not generalisation",
      statement="The universal approximation theorem is an expressiveness theorem, not a "
                "generalisation theorem: 'can approximate' differs from 'can learn' and from "
                "'approximates on the test set'.",
      verdict="supported",
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
      verdict="cited",
      reason="An assessment of the field's history; not checkable here.")
