"""§1 The perceptron: limits of linear models.

Rosenblatt's perceptron is a hyperplane ``w . x + b = 0`` learned by a mistake-driven
rule; Novikoff's theorem bounds its number of updates on separable data by R^2/gamma^2;
XOR is the smallest Boolean function no hyperplane computes. This module states every
result of article §1 as a claim, read literally.

Main statements
---------------
In article order; P = ``checks/test_s1_perceptron.py``, N = ``checks/test_s1_novikoff.py``,
X = ``checks/test_s1_xor.py``. "symbolic n" means sympy with the dimension a symbol.

§1.1
* ``rosenblatt-1957-first-learnable-classifier`` (cited) - history.
* ``sign-of-zero-is-plus-one`` - the implementation's sign at +-0.0 and elsewhere.
  Checks: P::test_sign_maps_zero_to_plus_one, P::test_sign_matches_the_two_cases.
* ``bias-needed-to-translate`` - 1-D witness with bias and a Farkas vector through the
  origin. Check: P::test_bias_needed_witness.
* ``updates-only-on-mistakes`` - the implementation updates exactly where
  y (w . x + b) <= 0, ties included, for several eta and dimensions.
  Check: P::test_updates_exactly_on_mistakes.
* ``update-identity-moves-score-toward-label`` - new score = old + eta y (||x||^2 + 1),
  symbolic n. Check: P::test_update_identity_symbolic.
* ``fixed-direction-update-pushes-negatives-wrong`` - +eta x raises every score,
  symbolic n. Check: P::test_fixed_direction_update_symbolic.
* ``worked-two-point-example`` - the article's two-point run, exactly.
  Check: P::test_worked_two_point_example_exactly.
* ``bias-absorption-same-trajectory`` - induction over updates, symbolic n
  (P::test_bias_absorption_induction_symbolic); the implementation replayed
  (P::test_bias_absorption_gives_same_trajectory).
* ``perceptron-no-loss-or-gradient`` (imprecise) - the rule is SGD on max(0, -y score).
  Checks: P::test_update_is_sgd_step_on_perceptron_criterion_symbolic,
  P::test_perceptron_matches_sgd_on_perceptron_criterion.

§1.2
* ``novikoff-1962-history`` (cited) - history.
* ``novikoff-updates-le-bound-of-separable`` - t <= R^2/gamma^2; proved by
  N::test_novikoff_proof_induction_symbolic, the implementation checked against it by
  N::test_novikoff_bound_and_invariants_on_separable_data and
  N::test_novikoff_exhaustive_small_grid_near_worst.
* ``novikoff-bound-for-bias-perceptron`` (qualified) - with bias the bound needs the
  augmented radius. Checks: N::test_bias_loop_exceeds_bound_minimal_counterexample,
  N::test_bias_loop_meets_augmented_bound.
* ``novikoff-proof-steps-valid`` - every step, hypotheses as nonnegative slacks, symbolic
  n and t. Check: N::test_novikoff_proof_induction_symbolic.
* ``novikoff-invariants-after-every-update`` - w_t . w* >= t gamma, ||w_t||^2 <= t R^2.
  Checks: N::test_novikoff_proof_induction_symbolic (proof),
  N::test_novikoff_bound_and_invariants_on_separable_data (implementation).
* ``novikoff-count-fixed-by-ratio`` - the bound depends on R/gamma alone (any N, any
  order); proved by N::test_novikoff_proof_induction_symbolic; the count itself varies
  with the order under the bound (N::test_same_ratio_different_counts).

§1.3
* ``minsky-papert-1969-history`` (cited) - history.
* ``xor-sign-constraints-infeasible`` - Motzkin certificate. Checks:
  X::test_xor_system_has_motzkin_certificate, X::test_decision_procedure_certifies_xor.
* ``xor-inequality-sums`` - X::test_xor_inequality_sums_symbolic.
* ``xor-hull-diagonals-meet-at-center`` - X::test_xor_diagonals_meet_at_center.
* ``separable-iff-hulls-disjoint`` - both directions, symbolic n:
  X::test_common_hull_point_forbids_separation_symbolic,
  X::test_disjoint_hulls_give_separating_hyperplane_symbolic; per-instance certificates:
  X::test_every_set_gets_a_verified_certificate.
* ``non-convex-region-defeats-single-layer`` - half-spaces are convex, symbolic n
  (X::test_single_layer_regions_are_convex_symbolic); a ring around its centre
  (X::test_ring_around_centre_needs_nonconvex_region).
* ``separable-boolean-census`` - X::test_boolean_census_table.
* ``threshold-restrictions-comparable``, ``threshold-census-beyond-enumeration`` (harness) -
  the census past enumeration (n = 5; n = 6 under the thorough profile). Checks:
  ``checks/test_s1_census_beyond.py``.

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
from claimledger import claim

# -- 1.1 the perceptron and its update ------------------------------------------------
claim("rosenblatt-1957-first-learnable-classifier", "1.1",
      "The perceptron (Rosenblatt 1957) was the first model learned from data",
      statement="Rosenblatt proposed the perceptron in 1957, the first model in history whose "
                "parameters could be learned from data for binary classification.",
      verdict="cited", paragraph=1,
      reason="Historical priority claim; not a mathematical statement that can be checked here. "
             "Doubtful as worded: Fisher's linear discriminant (1936) is a binary classifier "
             "whose parameters are estimated from data; the perceptron's novelty is an online, "
             "mistake-driven learning rule (and a machine built to run it).")

claim("sign-of-zero-is-plus-one", "1.1",
      "sign(0) = +1",
      statement="The perceptron's sign is +1 for z >= 0 and -1 for z < 0: a point exactly on "
                "the hyperplane is assigned +1 (numpy's sign, by contrast, returns 0 there).",
      verdict="proved", paragraph=2,
      note="A convention of the article checked against the implementation: both float64 "
           "zeros map to +1 exactly; other values are sampled.")

claim("bias-needed-to-translate", "1.1",
      "Without b the hyperplane is stuck at the origin",
      statement="Without a bias the decision boundary passes through the origin; there are "
                "labelled sets that a hyperplane with bias separates and no hyperplane "
                "through the origin does.",
      verdict="proved", paragraph=18)

claim("updates-only-on-mistakes", "1.1",
      "Only points with y (w.x + b) <= 0 trigger an update",
      statement="In the training loop an update fires at (x_i, y_i) exactly when "
                "y_i (w . x_i + b) <= 0 (label and score of opposite sign, or score 0); "
                "correctly classified points leave (w, b) unchanged; a pass without update "
                "ends training.",
      verdict="supported", paragraph=32,
      assumptions=["eta > 0", "labels in {-1, +1}"])

claim("update-identity-moves-score-toward-label", "1.1",
      "After an update the score moves by eta y (||x||^2 + 1)",
      statement="w_new . x_i + b_new = (w . x_i + b) + eta y_i (||x_i||^2 + 1), so for eta > 0 "
                "the score moves strictly in the direction of y_i.",
      verdict="proved", paragraph=34, assumptions=["eta > 0", "any dimension n"])

claim("fixed-direction-update-pushes-negatives-wrong", "1.1",
      "A fixed +eta x update pushes negative samples further into error",
      statement="Replacing y_i by +1 in the update raises the score of the updated point by "
                "eta (||x_i||^2 + 1) > 0, so a misclassified negative point (y_i = -1) is "
                "pushed further to the wrong side.",
      verdict="proved", paragraph=35, assumptions=["eta > 0", "any dimension n"])

claim("worked-two-point-example", "1.1",
      "The article's two-point pass",
      statement="With eta = 1, w = (0, 0), b = 0, x1 = (2, 1) labelled +1 and x2 = (-1, 2) "
                "labelled -1: x1 has score 0 and is updated to w = (2, 1), b = 1; x2 then has "
                "score 1 and is updated to w = (3, -1), b = 0; the recheck gives scores 5 and "
                "-5 and the loop ends.",
      verdict="proved", paragraph=36)

claim("bias-absorption-same-trajectory", "1.1",
      "Absorbing b into w (x~ = (x, 1)) gives the same algorithm",
      statement="w . x + b = w~ . x~ with x~ = (x, 1), w~ = (w, b), and the update "
                "w~ <- w~ + eta y x~ reproduces the bias perceptron's (w, b) after every "
                "update (same updates, same order, same weights).",
      verdict="proved", paragraph=40, assumptions=["any dimension n, any eta"])

claim("perceptron-no-loss-or-gradient", "1.1",
      "The perceptron has no gradient and no loss function",
      statement="The learning procedure involves no gradient, no backpropagation and no "
                "notion of a loss function.",
      verdict="imprecise", paragraph=41,
      corrected_statement="The rule is written without a loss, but it is exactly stochastic "
                          "(sub)gradient descent with step eta on the perceptron criterion "
                          "l(w, b; x, y) = max(0, -y (w . x + b)), taking the subgradient "
                          "-y (x, 1) on the closed set y (w . x + b) <= 0 and 0 elsewhere.",
      note="Imprecise (was qualified): the paragraph describes how the rule is written (a "
           "mistake-driven correction, no gradient computed, no backpropagation), and that is "
           "right; only 'no notion of a loss' is too strong, since the same update is SGD on "
           "max(0, -y (w.x + b)). Nothing built from the paragraph goes wrong: the reader "
           "would merely miss the link to hinge-loss models and to §3's gradient methods.")

# -- 1.2 Novikoff ---------------------------------------------------------------------
claim("novikoff-1962-history", "1.2",
      "Novikoff (1962) gave the convergence theorem",
      statement="Novikoff proved the convergence theorem in 1962, and it fuelled 1960s "
                "optimism about the perceptron.",
      verdict="cited", paragraph=1, reason="Historical attribution; not checkable here.")

claim("novikoff-updates-le-bound-of-separable", "1.2",
      "Novikoff: at most R^2 / gamma^2 updates on separable data",
      statement="If ||x_i|| <= R and some unit w* has y_i (w* . x_i) >= gamma > 0 for all i, "
                "the perceptron from w_0 = 0 with eta = 1 makes t <= R^2 / gamma^2 updates "
                "(hence at most ceil(R^2 / gamma^2)) and then converges.",
      verdict="proved", paragraph=2,
      assumptions=["the perceptron of the theorem has no bias (w_0 = 0 is the only state)",
                   "any presentation order, any number of passes"])

claim("novikoff-bound-for-bias-perceptron", "1.2",
      "The bound applied to the §1.1 loop (with bias)",
      statement="Read together with §1.1 ('the perceptron algorithm' updates w and b), the "
                "theorem says the loop with bias, from w = 0, b = 0, eta = 1, makes at most "
                "R^2 / gamma^2 updates whenever ||x_i|| <= R and y_i (w* . x_i) >= gamma.",
      verdict="qualified", paragraph=2,
      misled="A reader who runs the §1.1 loop with bias budgets R^2/gamma^2 updates with the "
             "raw radius; the loop can need more (2 updates where that bound says 1), since "
             "the theorem holds for the augmented points (x, 1), whose radius is sqrt(R^2+1).",
      corrected_statement="The bias loop is the homogeneous perceptron on x~ = (x, 1), so the "
                          "theorem applies to x~: t <= (R^2 + 1) / gamma~^2, where gamma~ is "
                          "the margin of a unit (w*, b*) on the augmented points; with b* = 0 "
                          "this is t <= (R^2 + 1) / gamma^2.")

claim("novikoff-proof-steps-valid", "1.2",
      "Each algebraic step of the Novikoff proof",
      statement="(i) w_t . w* = w_{t-1} . w* + y (x . w*); (ii) ||w_t||^2 = ||w_{t-1}||^2 + "
                "2 y (w_{t-1} . x) + ||x||^2; (iii) from t gamma <= R sqrt(t) with t, gamma, "
                "R > 0 follows t <= R^2 / gamma^2; (iv) iterating the one-step bounds from "
                "w_0 = 0 gives w_t . w* >= t gamma and ||w_t||^2 <= t R^2.",
      verdict="proved", paragraph=5,
      note="Proved in sympy for a symbolic dimension n and update count t, with the margin, "
           "mistake and radius hypotheses encoded as nonnegative slacks.")

claim("novikoff-invariants-after-every-update", "1.2",
      "The proof's two invariants hold after every update",
      statement="Along any run of the homogeneous perceptron from w_0 = 0 with eta = 1 on data "
                "with ||x_i|| <= R and y_i (w* . x_i) >= gamma > 0: w_t . w* >= t gamma and "
                "||w_t||^2 <= t R^2 after the t-th update, for every t.",
      verdict="proved", paragraph=6, assumptions=["||w*|| = 1 (we use integer w* and rescale exactly)"])

claim("novikoff-count-fixed-by-ratio", "1.2",
      "The iteration count is fixed by R / gamma",
      statement="Novikoff's bound is an absolute upper bound: the iteration count is fixed by "
                "the ratio of the radius R to the margin gamma (read in context: the bound "
                "R^2 / gamma^2 on the count depends on R / gamma alone, not on the number of "
                "samples N or on the presentation order).",
      verdict="proved", paragraph=13,
      note="Not a finding (was imprecise): the sentence opens with 'an absolute upper bound', "
           "so 'fixed by the ratio' is read as 'bounded by a quantity fixed by the ratio'; "
           "the proof (symbolic n and t) uses neither N nor the order. The count itself "
           "does depend on the order: X = [[-3, -3], [-3, -2], [-2, 3]], y = (-1, -1, +1) "
           "needs different numbers of updates in the given and the reversed order, both "
           "under the same bound (recorded by the check).")

# -- 1.3 XOR --------------------------------------------------------------------------
claim("minsky-papert-1969-history", "1.3",
      "Minsky and Papert (1969) used XOR against the perceptron",
      statement="Minsky and Papert's 1969 book Perceptrons gave XOR as a counterexample that "
                "nearly buried the perceptron.",
      verdict="cited", paragraph=1,
      reason="Historical claim about a book's influence; not checkable here. The book's "
             "theorems concern order-limited perceptrons and predicates such as parity and "
             "connectedness; XOR is parity on two inputs, its smallest case (proved here).")

claim("xor-sign-constraints-infeasible", "1.3",
      "No (w1, w2, b) satisfies XOR's four sign constraints",
      statement="The system b < 0, w2 + b >= 0, w1 + b >= 0, w1 + w2 + b < 0 has no real "
                "solution: no single-layer perceptron implements XOR.",
      verdict="proved", paragraph=8)

claim("xor-inequality-sums", "1.3",
      "The two sums that contradict each other",
      statement="Adding the second and third constraints gives w1 + w2 + 2b >= 0; adding the "
                "first and fourth gives w1 + w2 + 2b < 0.",
      verdict="proved", paragraph=9)

claim("xor-hull-diagonals-meet-at-center", "1.3",
      "XOR's class hulls are the diagonals, meeting at (1/2, 1/2)",
      statement="conv{(0,0), (1,1)} and conv{(0,1), (1,0)} are the two diagonals of the unit "
                "square and intersect at (0.5, 0.5); since they intersect, no line puts the "
                "classes in different half-planes.",
      verdict="proved", paragraph=10)

claim("separable-iff-hulls-disjoint", "1.3",
      "Intersecting convex hulls forbid a separating hyperplane",
      statement="If the convex hulls of the two classes intersect, no hyperplane places them "
                "in different half-planes; for finite sets the converse also holds "
                "(disjoint hulls => a strictly separating hyperplane exists).",
      verdict="proved", paragraph=10,
      note="The article states the first direction; the converse is ours (the harness's "
           "exact decision procedure rests on it). Both are proved in sympy for a symbolic "
           "dimension n; the converse takes one step from analysis, that a nearest pair of "
           "points of two compact convex sets exists (Weierstrass).",
      assumptions=["finite point sets in R^n (so both hulls are compact)"])

claim("non-convex-region-defeats-single-layer", "1.3",
      "Problems needing a non-convex decision region defeat single-layer models",
      statement="Whenever the classes need a non-convex decision region (every region that "
                "contains one class and excludes the other is non-convex), a single-layer "
                "linear model fails: its two decision regions {w . x + b >= 0} and "
                "{w . x + b < 0} are convex.",
      verdict="proved", paragraph=16,
      note="Read as stated: a class that *needs* a non-convex region. A sample drawn from a "
           "non-convex 'true' region (an annulus) may need none and can be separable; that "
           "is a different statement, and the earlier qualified verdict rested on it.")

claim("separable-boolean-census", "1.3",
      "How many Boolean functions of n inputs are linearly separable",
      statement="Of the 2^(2^n) Boolean functions of n inputs, exactly 4, 14, 104 and 1882 are "
                "linearly separable for n = 1, 2, 3, 4; for n = 2 the two others are XOR and "
                "XNOR. Every verdict carries an exact certificate (a hyperplane or a Farkas "
                "vector) checked in integer arithmetic.",
      verdict="proved", origin="harness",
      reason="Not stated in the article; extends its XOR argument to all functions of n <= 4 "
             "inputs (n = 4 runs under the thorough profile).")

claim("threshold-restrictions-comparable", "1.3",
      "Restrictions of a threshold function are comparable threshold functions",
      statement="If f(x_1, x') = [w_1 x_1 + w'.x' + b >= 0] is a threshold function of n inputs, "
                "then f(0, .) and f(1, .) are threshold functions of n - 1 inputs (biases b "
                "and b + w_1) and one implies the other: f(0, .) <= f(1, .) pointwise if "
                "w_1 >= 0, f(1, .) <= f(0, .) if w_1 < 0. Hence every threshold function of "
                "n inputs is a comparable pair of threshold functions of n - 1 inputs.",
      verdict="proved", origin="harness",
      reason="Not stated in the article; the completeness step that lets the census of "
             "separable Boolean functions go past n = 4 without enumerating all functions.")

claim("threshold-census-beyond-enumeration", "1.3",
      "The census of separable Boolean functions continues to 94,572 for n = 5",
      statement="Exactly 94,572 of the 2^32 Boolean functions of 5 inputs are linearly "
                "separable (and 4, 14, 104, 1882 for n = 1..4): every comparable pair of "
                "threshold functions of n - 1 inputs is decided by an exact certificate (integer "
                "weights or an integer Farkas vector) checked in integer arithmetic, and by "
                "threshold-restrictions-comparable no threshold function is outside these "
                "candidates.",
      verdict="proved", origin="harness",
      reason="Not stated in the article; extends its XOR argument (OEIS A000609). The "
             "thorough profile also certifies n = 6 (15,028,134) class by class: every pair "
             "(r, b) with r a class representative of the threshold functions of 5 inputs "
             "and b comparable with r is decided with a checked certificate, and the count "
             "weighs each separable pair by the size of r's class (the symmetries fixing x_1 "
             "map comparable separable pairs of a to those of g a); by default the same route "
             "re-derives 94,572 for n = 5.")
