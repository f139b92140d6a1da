"""§1 The perceptron: limits of linear models.

Rosenblatt's perceptron is a hyperplane ``w . x + b = 0`` learned by a mistake-driven
rule; Novikoff's theorem bounds its number of updates on separable data by R^2/gamma^2;
XOR is the smallest Boolean function no hyperplane computes. This module states every
result of article §1 as a claim, read literally.

Main statements
---------------
* ``update-identity-moves-score-toward-label`` - the score after an update is the old
  score plus eta y (||x||^2 + 1). Check: ``checks/test_s1_perceptron.py::test_update_identity_symbolic``.
* ``fixed-direction-update-pushes-negatives-wrong`` - with +eta x in place of +eta y x a
  negative point's score rises. Check: ``test_fixed_direction_update_symbolic``.
* ``worked-two-point-example`` - the article's two-point run, reproduced exactly.
* ``bias-absorption-same-trajectory`` - the bias perceptron on x equals the homogeneous
  one on (x, 1), update by update.
* ``bias-needed-to-translate`` - without b some separable sets cannot be separated.
* ``updates-only-on-mistakes`` - the implementation updates exactly at points with
  y (w . x + b) <= 0.
* ``perceptron-no-loss-or-gradient`` (qualified) - the rule *is* SGD on a loss.
* ``novikoff-proof-steps-valid`` - each algebraic step of the proof (sympy).
* ``novikoff-invariants-after-every-update`` - w_t . w* >= t gamma, ||w_t||^2 <= t R^2.
* ``novikoff-updates-le-bound-of-separable`` - t <= R^2/gamma^2 for the homogeneous
  perceptron. Checks: ``checks/test_s1_novikoff.py``.
* ``novikoff-bound-for-bias-perceptron`` (refuted) - the bound with the §1.1 loop.
* ``novikoff-count-fixed-by-ratio`` (qualified) - the count is bounded, not fixed.
* ``xor-sign-constraints-infeasible``, ``xor-inequality-sums``,
  ``xor-hull-diagonals-meet-at-center``, ``separable-iff-hulls-disjoint``,
  ``non-convex-region-defeats-single-layer`` (qualified), ``separable-boolean-census``.
  Checks: ``checks/test_s1_xor.py``.

Notation
--------
x~ = (x, 1), w~ = (w, b); sign(z) = +1 for z >= 0, -1 for z < 0 (article §1.1).
R = max ||x_i||, gamma = min y_i (w* . x_i) for a unit w*.

Assumptions
-----------
Novikoff: the homogeneous perceptron (no bias) from w_0 = 0 with eta = 1, data
separable through the origin with margin gamma > 0 (article §1.2 as stated).

References
----------
Article §1.1-1.3. Novikoff, "On convergence proofs on perceptrons" (1962); Minsky and
Papert, *Perceptrons* (1969); Gordan's theorem of the alternative (1873).
"""
from theorems import claim

# -- 1.1 the perceptron and its update ------------------------------------------------
claim("rosenblatt-1957-first-learnable-classifier", "1.1",
      "The perceptron (Rosenblatt 1957) was the first model learned from data",
      statement="Rosenblatt proposed the perceptron in 1957, the first model in history whose "
                "parameters could be learned from data for binary classification.",
      verdict="cited",
      reason="Historical priority claim; not a mathematical statement that can be checked here.")

claim("updates-only-on-mistakes", "1.1",
      "Only points with y (w.x + b) <= 0 trigger an update",
      statement="In the training loop an update fires at (x_i, y_i) exactly when "
                "y_i (w . x_i + b) <= 0 (label and score of opposite sign, or score 0); "
                "correctly classified points leave (w, b) unchanged; a pass without update "
                "ends training.",
      verdict="supported",
      assumptions=["eta > 0", "labels in {-1, +1}"])

claim("update-identity-moves-score-toward-label", "1.1",
      "After an update the score moves by eta y (||x||^2 + 1)",
      statement="w_new . x_i + b_new = (w . x_i + b) + eta y_i (||x_i||^2 + 1), so for eta > 0 "
                "the score moves strictly in the direction of y_i.",
      verdict="supported",
      note="Evidence falls short of proved: its checks are symbolic/instance (a fixed size, one case or floating-point sampling, not a proof of the whole statement), so the label is supported.", assumptions=["eta > 0"])

claim("fixed-direction-update-pushes-negatives-wrong", "1.1",
      "A fixed +eta x update pushes negative samples further into error",
      statement="Replacing y_i by +1 in the update raises the score of the updated point by "
                "eta (||x_i||^2 + 1) > 0, so a misclassified negative point (y_i = -1) is "
                "pushed further to the wrong side.",
      verdict="supported",
      note="Evidence falls short of proved: its checks are symbolic/instance (a fixed size, one case or floating-point sampling, not a proof of the whole statement), so the label is supported.", assumptions=["eta > 0"])

claim("worked-two-point-example", "1.1",
      "The article's two-point pass",
      statement="With eta = 1, w = (0, 0), b = 0, x1 = (2, 1) labelled +1 and x2 = (-1, 2) "
                "labelled -1: x1 has score 0 and is updated to w = (2, 1), b = 1; x2 then has "
                "score 1 and is updated to w = (3, -1), b = 0; the recheck gives scores 5 and "
                "-5 and the loop ends.",
      verdict="proved")

claim("bias-absorption-same-trajectory", "1.1",
      "Absorbing b into w (x~ = (x, 1)) gives the same algorithm",
      statement="w . x + b = w~ . x~ with x~ = (x, 1), w~ = (w, b), and the update "
                "w~ <- w~ + eta y x~ reproduces the bias perceptron's (w, b) after every "
                "update (same updates, same order, same weights).",
      verdict="supported")

claim("bias-needed-to-translate", "1.1",
      "Without b the hyperplane is stuck at the origin",
      statement="Without a bias the decision boundary passes through the origin; there are "
                "labelled sets that a hyperplane with bias separates and no hyperplane "
                "through the origin does.",
      verdict="proved")

claim("perceptron-no-loss-or-gradient", "1.1",
      "The perceptron has no gradient and no loss function",
      statement="The learning procedure involves no gradient, no backpropagation and no "
                "notion of a loss function.",
      verdict="qualified",
      corrected_statement="The rule is written without a loss, but it is exactly stochastic "
                          "(sub)gradient descent with step eta on the perceptron criterion "
                          "l(w, b; x, y) = max(0, -y (w . x + b)), taking the subgradient "
                          "-y (x, 1) on the closed set y (w . x + b) <= 0 and 0 elsewhere.")

# -- 1.2 Novikoff ---------------------------------------------------------------------
claim("novikoff-proof-steps-valid", "1.2",
      "Each algebraic step of the Novikoff proof",
      statement="(i) w_t . w* = w_{t-1} . w* + y (x . w*); (ii) ||w_t||^2 = ||w_{t-1}||^2 + "
                "2 y (w_{t-1} . x) + ||x||^2; (iii) from t gamma <= R sqrt(t) with t, gamma, "
                "R > 0 follows t <= R^2 / gamma^2; (iv) iterating the one-step bounds from "
                "w_0 = 0 gives w_t . w* >= t gamma and ||w_t||^2 <= t R^2.",
      verdict="supported",
      note="Evidence falls short of proved: its checks are symbolic/instance (a fixed size, one case or floating-point sampling, not a proof of the whole statement), so the label is supported.")

claim("novikoff-invariants-after-every-update", "1.2",
      "The proof's two invariants hold after every update",
      statement="Along any run of the homogeneous perceptron from w_0 = 0 with eta = 1 on data "
                "with ||x_i|| <= R and y_i (w* . x_i) >= gamma > 0: w_t . w* >= t gamma and "
                "||w_t||^2 <= t R^2 after the t-th update, for every t.",
      verdict="supported", assumptions=["||w*|| = 1 (we use integer w* and rescale exactly)"])

claim("novikoff-updates-le-bound-of-separable", "1.2",
      "Novikoff: at most R^2 / gamma^2 updates on separable data",
      statement="If ||x_i|| <= R and some unit w* has y_i (w* . x_i) >= gamma > 0 for all i, "
                "the perceptron from w_0 = 0 with eta = 1 makes t <= R^2 / gamma^2 updates "
                "(hence at most ceil(R^2 / gamma^2)) and then converges.",
      verdict="supported",
      assumptions=["the perceptron of the theorem has no bias (w_0 = 0 is the only state)",
                   "any presentation order, any number of passes"])

claim("novikoff-bound-for-bias-perceptron", "1.2",
      "The bound applied to the §1.1 loop (with bias)",
      statement="Read together with §1.1 ('the perceptron algorithm' updates w and b), the "
                "theorem says the loop with bias, from w = 0, b = 0, eta = 1, makes at most "
                "R^2 / gamma^2 updates whenever ||x_i|| <= R and y_i (w* . x_i) >= gamma.",
      verdict="refuted",
      corrected_statement="The bias loop is the homogeneous perceptron on x~ = (x, 1), so the "
                          "theorem applies to x~: t <= (R^2 + 1) / gamma~^2, where gamma~ is "
                          "the margin of a unit (w*, b*) on the augmented points; with b* = 0 "
                          "this is t <= (R^2 + 1) / gamma^2.")

claim("novikoff-count-fixed-by-ratio", "1.2",
      "The iteration count is fixed by R / gamma",
      statement="Novikoff's bound is an absolute upper bound: the iteration count is fixed by "
                "the ratio of the radius R to the margin gamma.",
      verdict="qualified",
      corrected_statement="The number of updates is bounded by R^2 / gamma^2 for every "
                          "presentation order and every number of samples N; the count itself "
                          "is not determined by R / gamma (two data sets with the same R and "
                          "gamma, or one data set in two orders, can need different counts).")

claim("novikoff-1962-history", "1.2",
      "Novikoff (1962) gave the convergence theorem",
      statement="Novikoff proved the convergence theorem in 1962, and it fuelled 1960s "
                "optimism about the perceptron.",
      verdict="cited", reason="Historical attribution; not checkable here.")

# -- 1.3 XOR --------------------------------------------------------------------------
claim("xor-sign-constraints-infeasible", "1.3",
      "No (w1, w2, b) satisfies XOR's four sign constraints",
      statement="The system b < 0, w2 + b >= 0, w1 + b >= 0, w1 + w2 + b < 0 has no real "
                "solution: no single-layer perceptron implements XOR.",
      verdict="proved")

claim("xor-inequality-sums", "1.3",
      "The two sums that contradict each other",
      statement="Adding the second and third constraints gives w1 + w2 + 2b >= 0; adding the "
                "first and fourth gives w1 + w2 + 2b < 0.",
      verdict="proved")

claim("xor-hull-diagonals-meet-at-center", "1.3",
      "XOR's class hulls are the diagonals, meeting at (1/2, 1/2)",
      statement="conv{(0,0), (1,1)} and conv{(0,1), (1,0)} are the two diagonals of the unit "
                "square and intersect at (0.5, 0.5); since they intersect, no line puts the "
                "classes in different half-planes.",
      verdict="proved")

claim("separable-iff-hulls-disjoint", "1.3",
      "Intersecting convex hulls forbid a separating hyperplane",
      statement="If the convex hulls of the two classes intersect, no hyperplane places them "
                "in different half-planes; for finite sets the converse also holds "
                "(disjoint hulls => a strictly separating hyperplane exists).",
      verdict="supported",
      note="Evidence falls short of proved: its checks are exact/instance, symbolic/instance (a fixed size, one case or floating-point sampling, not a proof of the whole statement), so the label is supported.",
      assumptions=["finite point sets in Q^n; verdicts certified by exact certificates"])

claim("non-convex-region-defeats-single-layer", "1.3",
      "Problems needing a non-convex decision region defeat single-layer models",
      statement="Whenever the classes need a non-convex decision region, single-layer linear "
                "models necessarily fail.",
      verdict="qualified",
      corrected_statement="A single-layer perceptron's decision regions are the two closed/open "
                          "half-spaces, both convex, so it cannot represent a non-convex "
                          "region. On a finite sample the exact criterion is convex-hull "
                          "intersection: the sample is learnable iff the two classes' hulls "
                          "are disjoint, even when the 'true' region is non-convex (a sample "
                          "of points from an annulus and its centre can be separable).")

claim("separable-boolean-census", "1.3",
      "How many Boolean functions of n inputs are linearly separable",
      statement="Of the 2^(2^n) Boolean functions of n inputs, exactly 4, 14, 104 and 1882 are "
                "linearly separable for n = 1, 2, 3, 4; for n = 2 the two others are XOR and "
                "XNOR. Every verdict carries an exact certificate (a hyperplane or a Farkas "
                "vector) checked in integer arithmetic.",
      verdict="proved",
      reason="Not stated in the article; extends its XOR argument to all functions of n <= 4 "
             "inputs (n = 4 runs under the thorough profile).")

claim("minsky-papert-1969-history", "1.3",
      "Minsky and Papert (1969) used XOR against the perceptron",
      statement="Minsky and Papert's 1969 book Perceptrons gave XOR as a counterexample that "
                "nearly buried the perceptron.",
      verdict="cited", reason="Historical claim about a book's influence; not checkable here.")
