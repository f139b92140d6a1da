"""§2 Multilayer perceptrons: where non-linearity emerges.

An MLP alternates affine maps with an elementwise activation sigma; with sigma the
identity the whole stack is one affine map (linear collapse), with a sigmoid one hidden
layer already approximates every continuous function on a compact set (Cybenko), and the
choice of sigma among the "zoo" decides how gradients flow. This module states every
result of article §2 as a claim, read literally, with its quantifiers.

Main statements
---------------
§2.1 (``checks/test_s2_collapse.py``)

* ``mlp-output-is-layer-recursion`` - the forward pass is a_l = sigma(W_l a_{l-1} + b_l).

§2.2 (``checks/test_s2_collapse.py``)

* ``two-layer-linear-mlp-is-one-affine-layer`` - W2 (W1 x + b1) + b2 is affine (sympy,
  symbolic shapes).
* ``deep-linear-mlp-collapse-formula`` (imprecise: the order of the product) - the
  corrected formula by induction on L in sympy.
* ``deep-linear-mlp-no-more-expressive-than-one-layer`` - induction step in sympy.
* ``non-identity-activation-escapes-affine-maps`` (proved: an affine sigma collapses,
  sympy, symbolic shapes) and ``zoo-activations-break-affinity-of-the-stack`` (harness: an
  interval witness per zoo activation).

§2.3 (``checks/test_s2_uat.py``)

* ``uat-history-cybenko-1989-hornik-1991`` (cited).
* ``uat-cybenko-hypotheses-as-stated`` (imprecise: a constant sigma meets the listed
  hypotheses; "sigmoidal" excludes it).
* ``steep-sigmoid-tends-to-step-at-c``, ``sigmoid-difference-three-region-table`` (proved
  away from the region edges with a margin; sympy, and interval bounds per case).
* ``step-functions-approximate-continuous-uniformly`` - proved for every width N (sympy).
* ``bump-sum-is-one-hidden-layer-sigmoid-network`` (qualified: a sigmoid difference of
  w . x is a slab in R^n, n >= 2, not a box bump) - the slab invariance and its value far
  from a box for every alpha, delta, w (sympy, symbolic n); corrected: in 1-D one hidden
  layer by summation by parts (sympy, induction on N); in R^n a second-layer neuron
  sigma(k (sum_i B_i(x_i) - (n - 1/2))) within e^(-k/4) of a box's indicator off an eta
  margin (sympy, symbolic n; interval-certified over the whole plane for one instance).
* ``uat-construction-meets-eps-on-interval`` and
  ``uat-construction-meets-eps-on-unit-square`` - certified for every target with a
  concave modulus: Jensen, a merging lemma (sympy) and sup_t sum_k B_k |k - 1/2 - t| <=
  0.525 enclosed in interval arithmetic; the implementation's float network is bounded
  against the exact construction target by target.
* ``uat-hornik-1991-nonconstant-bounded-continuous`` (cited) and its checkable core
  ``bounded-non-sigmoidal-and-relu-networks-approximate`` (harness: cos and ReLU networks
  for x^2, interval-certified).
* ``uat-is-existence-not-efficiency`` (cited).

§2.4 (``checks/test_s2_activations.py`` analytic, ``checks/test_s2_zoo_numerics.py`` the
implementations and figures)

* ``zoo-implementations-finite-for-every-float`` (harness, zoo numerics).
* ``saturation-limits-of-sigmoid-and-tanh`` (imprecise: the +- pairing),
  ``saturating-chain-product-decays-exponentially`` (imprecise: not for tanh near 0),
  ``dying-region-is-exact-zero-saturation-is-not``,
  ``dead-relu-never-updates-again`` (imprecise: upstream updates revive it).
* ``zoo-derivatives-match-symbolic-and-finite-differences`` (harness, zoo numerics).
* The table rows ``sigmoid-row-grad-quarter-at-zero-vanishing-tails``,
  ``tanh-row-grad-one-at-zero-vanishing-tails``,
  ``relu-row-grad-one-positive-zero-negative``, ``gelu-row-grad-half-at-zero-smooth``:
  sympy, and each sigma'(0) of the table exactly on the implementation.
* The variants ``leaky-relu-has-nonzero-grad-everywhere``,
  ``prelu-is-leaky-relu-with-learnable-slope`` (proved; per layer is He et al.'s
  channel-shared variant), ``elu-tends-to-minus-alpha-bounded-below``,
  ``elu-differentiable-everywhere`` (imprecise: only for alpha = 1), ``elu-value-and-branch-at-zero`` (the convention at
  0, exactly on the implementation).
* ``swish-and-gelu-nearly-interchangeable`` and ``swish-dips-below-zero-near-minus-1-3``
  (certified: GeLU is Swish-1.702 to within 0.021; the minimum at -1.2785), ``practical-activation-guidance``
  (cited), ``named-models-use-gelu`` (qualified: LLaMA uses SwiGLU),
  ``output-and-gate-activation-ranges``.

Notation
--------
sigma(z) = 1 / (1 + e^-z) (logistic sigmoid; also the generic activation when said so),
Phi / phi the standard normal cdf / pdf, H the unit step. An *affine* map is
x -> W x + b; the article calls these "linear", and so do the statements below when they
quote it. D(z) = sigma(alpha (z - c)) - sigma(alpha (z - c - delta)) is the sigmoid
difference of §2.3 (steepness alpha > 0, offset delta > 0).

Assumptions
-----------
The UAT claims are proved/certified for the logistic sigmoid on intervals and for ridge
sums on the unit square, for every target with a concave modulus of continuity; the
general theorems (every compact K in R^n, every admissible sigma) are cited. All
enclosures are mpmath interval arithmetic or float64 rounded outward with
``np.nextafter``; no rounding model of libm is assumed (see ``checks/test_s2_uat.py``).

References
----------
Article §2.1-2.4. Cybenko, "Approximation by superpositions of a sigmoidal function"
(MCSS 1989); Hornik, Stinchcombe and White (Neural Networks 1989); Hornik, "Approximation
capabilities of multilayer feedforward networks" (Neural Networks 1991); Leshno, Lin,
Pinkus and Schocken (1993); He et al., "Delving deep into rectifiers" (PReLU, 2015);
Clevert et al. (ELU, 2016); Hendrycks and Gimpel (GeLU, 2016); Ramachandran et al.
(Swish, 2017); Touvron et al., "LLaMA" (2023).
"""
from claimledger import claim

# -- 2.1 the MLP ------------------------------------------------------------------------
claim("mlp-output-is-layer-recursion", "2.1",
      "The MLP output is the layer recursion a_l = sigma(W_l a_{l-1} + b_l)",
      statement="With W_l in R^{n_l x n_{l-1}} and b_l in R^{n_l}, the L-layer MLP computes "
                "a_0 = x, a_l = sigma(W_l a_{l-1} + b_l) for l = 1..L and y = a_L in R^{n_L}; "
                "the two-layer case is y = sigma(W_2 sigma(W_1 x + b_1) + b_2) with "
                "W_1 in R^{h x n}, W_2 in R^{m x h}.",
      verdict="supported",
      assumptions=["sigma acts elementwise and is applied after every layer, the last "
                   "included (the article's form; §2.3's g has a linear read-out instead)"],
      paragraph=4)

# -- 2.2 linear collapse ----------------------------------------------------------------
claim("two-layer-linear-mlp-is-one-affine-layer", "2.2",
      "With sigma = id two layers collapse to W2 W1 x + (W2 b1 + b2)",
      statement="For every x: W_2 (W_1 x + b_1) + b_2 = (W_2 W_1) x + (W_2 b_1 + b_2), an "
                "affine map x -> W~ x + b~ with W~ = W_2 W_1, b~ = W_2 b_1 + b_2.",
      verdict="proved",
      paragraph=2)

claim("deep-linear-mlp-collapse-formula", "2.2",
      "The L-layer collapse formula y = W_L ... W_1 x + sum_l (prod_{k=l+1}^L W_k) b_l",
      statement="An L-layer MLP with sigma = id computes y = W_L W_{L-1} ... W_1 x + "
                "sum_{l=1}^{L} (prod_{k=l+1}^{L} W_k) b_l.",
      verdict="imprecise",
      corrected_statement="y = W_L ... W_1 x + sum_{l=1}^{L} (W_L W_{L-1} ... W_{l+1}) b_l: "
                          "the product must be taken with the larger index on the left "
                          "(empty product = identity). Read with the usual left-to-right "
                          "increasing index, prod_{k=l+1}^{L} W_k = W_{l+1} ... W_L is "
                          "undefined for non-square layers and wrong for square ones from "
                          "L = 3 on (the article itself writes prod_{l=L}^{1} J_l in §3.4 "
                          "for the reversed order).",
      paragraph=4,
      note="Imprecise (was qualified): the line before writes W_L W_(L-1) ... W_1, so a reader"
           " in context takes the product with the larger index on the left; only the literal "
           "increasing-order reading fails.")

claim("deep-linear-mlp-no-more-expressive-than-one-layer", "2.2",
      "Any finite stack of affine layers is one affine layer",
      statement="For every depth L >= 1 and all shapes, an identity-activation MLP computes "
                "x -> W~ x + b~ for one matrix W~ and vector b~: stacking linear layers never "
                "exceeds the expressive power of a single layer.",
      verdict="proved",
      assumptions=["'linear' means affine (x -> W x + b), as in the article",
                   "the class can be strictly smaller: rank W~ <= the narrowest width"],
      paragraph=5)

claim("non-identity-activation-escapes-affine-maps", "2.2",
      "Only a non-linear sigma lets the stack escape the affine maps",
      statement="The non-linear activation is the only mechanism that lets the stack escape "
                "the affine maps, and its prerequisite is that sigma is not the identity "
                "(read in context: not linear): with an affine sigma (the identity included) "
                "any stack of affine layers is one affine map; the activation is the only "
                "non-linear ingredient of the MLP.",
      verdict="proved",
      paragraph=6,
      note="Not a finding (was imprecise): the paragraph opens with 'the nonlinear "
           "activation', so 'not the identity' stands for 'not linear', and nobody reading "
           "§2.2 takes an affine sigma such as 2z + 1 for a non-linearity. Precisely: the "
           "stack escapes iff sigma is not affine; sigma(z) = 2z + 1 (or PReLU with slope 1) "
           "still collapses (sympy, symbolic shapes), and every activation of the §2.4 zoo "
           "is non-affine (zoo-activations-break-affinity-of-the-stack).")

claim("zoo-activations-break-affinity-of-the-stack", "2.2",
      "Each zoo activation makes the two-layer stack non-affine (a witness per activation)",
      statement="For sigma in {sigmoid, tanh, ReLU, Leaky ReLU (0.01), PReLU (0.25), ELU (1), "
                "GeLU, GeLU-tanh, SiLU}, the two-layer map y(x) = sigma(sigma(x)) (W_1 = W_2 "
                "= 1, b = 0) has points x_0 != x_1 with y((x_0 + x_1)/2) != (y(x_0) + "
                "y(x_1))/2, so it is not affine.",
      verdict="certified",
      paragraph=6,
      origin="harness")

# -- 2.3 universal approximation --------------------------------------------------------
claim("uat-history-cybenko-1989-hornik-1991", "2.3",
      "Cybenko (1989) and Hornik (1991) independently answered the question",
      statement="In 1989 Cybenko and in 1991 Hornik independently provided the universal "
                "approximation theorem.",
      verdict="cited",
      reason="Historical attribution. Imprecise as written: the work independent of "
             "Cybenko's is Hornik, Stinchcombe and White (1989) (and Funahashi 1989); "
             "Hornik (1991) came later and builds on both.",
      paragraph=1)

claim("uat-cybenko-hypotheses-as-stated", "2.3",
      "Cybenko's theorem for every continuous, monotone, bounded sigma",
      statement="If sigma is continuous, monotone and bounded, then for every compact K in "
                "R^n, continuous f: K -> R and eps > 0 there are h and {w_i, b_i, alpha_i} "
                "with sup_K |sum_i alpha_i sigma(w_i . x + b_i) - f(x)| < eps.",
      verdict="imprecise",
      corrected_statement="The hypotheses must exclude constant sigma (continuous, monotone, "
                          "bounded, yet every g is then constant). Cybenko (1989) assumes "
                          "sigma continuous and sigmoidal: sigma(t) -> 1 as t -> +inf and "
                          "-> 0 as t -> -inf, no monotonicity; a non-constant monotone "
                          "bounded continuous sigma has distinct finite limits, so an affine "
                          "rescaling of it is sigmoidal and the theorem holds for it. "
                          "Checked here constructively for sigma = logistic on intervals and "
                          "on [0, 1]^2 (uat-construction-meets-eps-*); the general theorem "
                          "(Hahn-Banach/Riesz) is cited.",
      paragraph=2,
      note="Imprecise (was qualified): the parenthetical '(sigmoidal)' carries the missing "
           "hypothesis (distinct limits), which excludes the constant sigma; no reader would "
           "use a constant activation.")

claim("steep-sigmoid-tends-to-step-at-c", "2.3",
      "sigma(alpha (z - c)) becomes a step at c as alpha grows",
      statement="sigma(alpha (z - c)) is a smooth S-curve from 0 to 1 around z = c; larger "
                "alpha makes the transition narrower and steeper, so the curve approaches "
                "a step function at c.",
      verdict="proved",
      assumptions=["'approaches' is read pointwise: the limit is 0 for z < c, 1 for z > c "
                   "and 1/2 at z = c; the convergence is not uniform (the sup distance to "
                   "the step stays 1/2 for every alpha)"],
      paragraph=5)

claim("sigmoid-difference-three-region-table", "2.3",
      "The three-region table of the sigmoid difference",
      statement="D(z) = sigma(alpha (z - c)) - sigma(alpha (z - c - delta)) is ~ 0 for z < c, "
                "~ 1 for z in [c, c + delta] and ~ 0 for z > c + delta: a smooth rectangular "
                "pulse on [c, c + delta] (read as the sketch it is: away from the region "
                "edges, for a steep alpha).",
      verdict="proved",
      paragraph=7,
      note="Not a finding (was imprecise): the article calls the construction a sketch, "
           "writes '~' and adds that at finite alpha the pulse has smooth transitions. "
           "Precisely, for all alpha, delta > 0: 0 < D < 1, D is symmetric about c + delta/2, "
           "rises before it and falls after, with peak tanh(alpha delta / 4); with a margin "
           "0 < eta <= delta/2, D <= sigma(-alpha eta) < e^(-alpha eta) for z <= c - eta and "
           "z >= c + delta + eta, and 1 - D <= 2 sigma(-alpha eta) on [c + eta, c + delta - "
           "eta]. At the edges themselves D(c) = D(c + delta) = 1/2 - sigma(-alpha delta) < "
           "1/2 for every alpha (e.g. alpha = 100, delta = 1: 0.5 - 3.7e-44), which is the "
           "smooth transition the article mentions.")

claim("step-functions-approximate-continuous-uniformly", "2.3",
      "Step functions with values f(x_i) approximate a continuous f uniformly",
      statement="A continuous f on a compact set is uniformly continuous (Heine-Cantor); on a "
                "fine enough partition the step function equal to f(x_i) on the piece of "
                "x_i has uniform error below any preset bound.",
      verdict="proved",
      assumptions=["proved on intervals: cells of width h with nodes at the centres give "
                   "|S - f| <= omega(h / 2) for every f, h; omega(h / 2) -> 0 by "
                   "Heine-Cantor; the implementation's cells are checked per target"],
      paragraph=12)

claim("bump-sum-is-one-hidden-layer-sigmoid-network", "2.3",
      "The sum of scaled sigmoid bumps is a one-hidden-layer sigmoid network",
      statement="For a continuous f on a compact K in R^n (the theorem's setting): replacing "
                "each rectangle of a step function approximating f by a sigmoid-difference "
                "bump sigma(alpha (w . x - c)) - sigma(alpha (w . x - c - delta)) of the same "
                "height and summing gives a single-hidden-layer network g(x) = sum_i alpha_i "
                "sigma(w_i . x + b_i) that approximates f piece by piece.",
      verdict="qualified",
      paragraph=12,
      misled="A reader implementing the sketch for inputs in R^n (n >= 2) builds each "
             "rectangle's bump as a difference of two sigmoids of w . x; that is a slab, "
             "constant along every direction orthogonal to w (on [0, 1]^2 it takes its value "
             "at a box's centre also at a point of the square 0.36 away from the box), so "
             "the heights f(x_i) are spread over whole strips and the sum does not "
             "approximate f.",
      corrected_statement="In one dimension the construction is exactly one hidden layer: "
                          "by summation by parts sum_k y_k (S_(k-1) - S_k) = 2 y_1 sigma(0) + "
                          "sum_(k<N) (y_(k+1) - y_k) sigma(alpha x - alpha c_k), for every "
                          "width N. In R^n, n >= 2, a sigmoid difference D(x) = "
                          "sigma(alpha (w . x - c)) - sigma(alpha (w . x - c - delta)) depends "
                          "on x only through w . x, so D(x + t u) = D(x) for every u "
                          "orthogonal to w: it is a slab, its supremum outside any bounded "
                          "set is its peak tanh(alpha delta / 4), and no choice of alpha, "
                          "delta, w makes it a bump of a box. A box needs a second layer: "
                          "with 1-D bumps B_i(x_i) of steepness alpha and a margin eta "
                          "(sigma(-alpha eta) <= 1/(8n), e.g. alpha eta >= log(8n)), the "
                          "neuron H(x) = sigma(k (sum_i B_i(x_i) - (n - 1/2))) is >= "
                          "sigma(k/4) > 1 - e^(-k/4) on the box shrunk by eta and <= "
                          "sigma(-k/4) < e^(-k/4) outside the box grown by eta. One hidden "
                          "layer does suffice in R^n, by another argument: sums of ridge "
                          "functions (uat-construction-meets-eps-on-unit-square) or Cybenko's "
                          "Hahn-Banach proof.",
      assumptions=["1-D: the outermost bumps are one-sided (edges at -inf/+inf), the "
                   "constant being the neuron 2 f(x_1) sigma(0 x + 0)",
                   "n-D: bumps are sigmoid differences of one affine form w . x - c, the "
                   "only form a single hidden layer offers"],
      note="Was proved, checked in one dimension only; the article offers the sketch for the "
           "theorem it states, on compact sets of R^n. Qualified rather than refuted: in 1-D "
           "(the setting of the table above it) the construction is exact, and one hidden "
           "layer is enough in R^n too, only not by this argument.")

claim("uat-construction-meets-eps-on-interval", "2.3",
      "The bump construction meets eps on an interval (certified)",
      statement="For a continuous f on [a, b] with concave, non-decreasing modulus of "
                "continuity omega (L t for an L-Lipschitz f) and eps > 0, the sigmoid "
                "network of the bump construction with hidden width "
                "N = min{N : omega(1.05 (b - a) / (2N)) <= eps / 2} and steepness "
                "8 N / (b - a) satisfies sup_[a,b] |g - f| < eps.",
      verdict="certified",
      assumptions=["in exact arithmetic, for every such f, eps and N: sup |g - f| <= "
                   "omega(1.05 h / 2) <= eps / 2 (merging lemma and periodicity in sympy, "
                   "sup_t sum_k B_k |k - 1/2 - t| <= 0.525 enclosed in interval arithmetic); "
                   "a non-concave modulus is replaced by its least concave majorant",
                   "the implementation's float64 network is bounded against the exact "
                   "construction per target (trigonometric sums, polynomials, sqrt)"],
      paragraph=12)

claim("uat-construction-meets-eps-on-unit-square", "2.3",
      "A one-hidden-layer sigmoid network meets eps on the unit square (certified)",
      statement="For f on [0, 1]^2 given as a sum of ridge functions sum_j phi_j(d_j . x) "
                "(trigonometric and quadratic profiles; products such as x1 x2 are such "
                "sums), the ridge construction gives g(x) = sum_i alpha_i sigma(w_i . x + "
                "b_i) with sup_[0,1]^2 |g - f| < eps.",
      verdict="certified",
      assumptions=["construction: the 1-D bump construction on each ridge's projected "
                   "interval at eps / J, neurons sigma(alpha d_j . x + beta); it keeps the "
                   "article's one-hidden-layer form (a grid of 2-D bumps would need a second "
                   "layer), and every polynomial is a finite ridge sum, so the class is dense",
                   "certified for every such f and eps by the 1-D theorem per ridge at "
                   "eps / J and the triangle inequality; the implementation's network per "
                   "target"],
      paragraph=12)

claim("uat-hornik-1991-nonconstant-bounded-continuous", "2.3",
      "Hornik (1991): any non-constant, bounded, continuous sigma",
      statement="Hornik 1991 extended the conclusion to every non-constant, bounded, "
                "continuous sigma, dropping the sigmoidal requirement.",
      verdict="cited",
      reason="A density theorem over all compact sets and all continuous f, not checkable by "
             "computation. It matches Hornik (1991, Theorem 2: sigma continuous, bounded, "
             "non-constant => dense in C(K) for compact K). Note what the article's "
             "hypotheses leave out: unbounded activations such as ReLU are covered by "
             "neither Cybenko nor Hornik 1991 but by Leshno et al. (1993: any continuous "
             "non-polynomial sigma).",
      paragraph=12)

claim("bounded-non-sigmoidal-and-relu-networks-approximate", "2.3",
      "Hornik's and Leshno's activations in a certified construction (an instance)",
      statement="For f(x) = x^2 on [0, 1] and eps = 0.05, a one-hidden-layer network with the "
                "bounded, non-sigmoidal sigma = cos (11 neurons: f's cosine series) and one "
                "with sigma = ReLU (3 neurons: the piecewise-linear interpolant on 3 cells) "
                "both satisfy sup_[0,1] |g - f| < eps.",
      verdict="certified",
      origin="harness",
      paragraph=12,
      note="The checkable core of Hornik (1991): an activation that is bounded and "
           "continuous but not sigmoidal (cos has no limits) still gives a one-hidden-layer "
           "approximation; ReLU (unbounded) is covered by Leshno et al. (1993), not by the "
           "theorems the article cites. The density theorems stay cited.")

claim("uat-is-existence-not-efficiency", "2.3",
      "UAT guarantees existence, not efficiency, learnability or generalisation",
      statement="The UAT is an existence guarantee, not an efficiency claim and not an "
                "optimisation or generalisation guarantee.",
      verdict="cited",
      reason="An interpretive remark about what a theorem does not say. For illustration "
             "the width table of uat-construction-meets-eps-on-interval shows the "
             "constructive width growing like 1/eps in one dimension.",
      paragraph=13)

# -- 2.4 the activation zoo -------------------------------------------------------------
claim("zoo-implementations-finite-for-every-float", "2.4",
      "The zoo is numerically stable for every finite float64 input",
      statement="Every activation of the zoo and its derivative returns finite values without "
                "overflow, division by zero or invalid operations for every finite float64 "
                "input, within their true ranges, and agrees with a 50-digit reference.",
      verdict="supported",
      reason="Not stated in the article; required of the implementations that regenerate "
             "its figures and that other sections use.",
      paragraph=6,
      origin="harness")

claim("saturation-limits-of-sigmoid-and-tanh", "2.4",
      "Sigmoid (z -> +-inf approaching 0 / 1) and tanh (approaching -+1) saturate",
      statement="Sigmoid and tanh saturate on both sides: sigmoid approaches 0 / 1 as "
                "z -> +-inf and tanh approaches -+1, with derivatives tending to 0.",
      verdict="imprecise",
      corrected_statement="With the signs paired as written the limits are reversed: "
                          "sigmoid(z) -> 1 as z -> +inf and -> 0 as z -> -inf; tanh(z) -> +-1 "
                          "as z -> +-inf. Both derivatives tend to 0 on both sides and are "
                          "never 0.",
      paragraph=3,
      note="Imprecise (was qualified): the +- / 0 / 1 pairing is reversed, an evident "
           "notational slip about the best-known activation.")

claim("saturating-chain-product-decays-exponentially", "2.4",
      "The chain product of sigmoid' or tanh' decays exponentially in depth",
      statement="For saturating activations (sigmoid, tanh) the chain product prod_l "
                "sigma'(z_l) over the layers of a deep network decays exponentially.",
      verdict="imprecise",
      corrected_statement="For sigmoid it does for every input: sigmoid' <= 1/4, so "
                          "prod_{l=1}^L sigmoid'(z_l) <= 4^-L. For tanh it need not: "
                          "tanh'(0) = 1 and the product is 1 at every depth when all z_l = "
                          "0; it is <= (1 - tanh^2 m)^L only when every |z_l| >= m > 0.",
      paragraph=3,
      note="Imprecise (was qualified): the sentence ties the decay to saturation (the "
           "derivatives tend to 0 at large |z|), and there it holds; for sigmoid it holds "
           "everywhere. Only the unconditional wording is wrong for tanh near z = 0, where "
           "tanh' ~ 1 (the regime §4.2's Xavier initialisation aims for); §4 returns to it.")

claim("dying-region-is-exact-zero-saturation-is-not", "2.4",
      "Dying (sigma' = 0 exactly) versus saturating (sigma' -> 0)",
      statement="ReLU's negative half is a dying region: sigma = 0 and sigma' = 0 exactly for "
                "z < 0, while its positive half has sigma' = 1 (half-saturating). Sigmoid "
                "and tanh only approach zero slope: their derivatives are positive "
                "everywhere.",
      verdict="proved",
      assumptions=["in float64 sigmoid' underflows to exactly 0 for |z| > ~745: 'never "
                   "exactly zero' is a statement about real numbers"],
      paragraph=5)

claim("dead-relu-never-updates-again", "2.4",
      "A neuron pushed into ReLU's negative region never updates again",
      statement="Once a ReLU neuron is pushed into the negative region it receives no "
                "gradient and never updates again; dying is irrecoverable.",
      verdict="imprecise",
      corrected_statement="A ReLU unit whose pre-activation is negative on every training "
                          "input gets zero gradient for its own weights and bias, so a plain "
                          "gradient step leaves them unchanged; but it can revive when "
                          "upstream parameters move its pre-activations (exact example: one "
                          "gradient step on the layer below turns it on and its weights then "
                          "get a non-zero gradient). A unit negative on only some inputs is "
                          "still updated by the others.",
      paragraph=5,
      note="Imprecise (was qualified): the mechanism is right (a unit negative on all the "
           "data gets exactly zero gradient for its own parameters, and a first-layer unit "
           "stays dead under plain SGD); 'irrecoverable' overstates it for deeper units, "
           "which an update of the layers below can revive. The advice the article draws "
           "(Leaky ReLU / ELU if dying is a concern) is unaffected.")

claim("zoo-derivatives-match-symbolic-and-finite-differences", "2.4",
      "Each *_grad is the derivative of its activation",
      statement="For each activation of the zoo (Leaky ReLU, PReLU, ELU for any slope "
                "alpha), the implemented derivative equals the sympy derivative of the "
                "defining formula and the central finite difference of the implementation, "
                "away from the kinks.",
      verdict="supported",
      reason="Not stated in the article; the derivatives plotted in its figures.",
      paragraph=9,
      origin="harness")

claim("sigmoid-row-grad-quarter-at-zero-vanishing-tails", "2.4",
      "Table row: sigmoid 1/(1 + e^-z), sigma'(0) = 0.25, sigma' -> 0 when saturated",
      statement="sigmoid(z) = 1/(1 + e^-z) has sigma'(0) = 1/4 and sigma'(z) -> 0 as "
                "|z| -> inf; 1/4 is its largest slope (deep networks vanish easily).",
      verdict="proved",
      paragraph=14)

claim("tanh-row-grad-one-at-zero-vanishing-tails", "2.4",
      "Table row: tanh, sigma'(0) = 1, sigma' -> 0 when saturated",
      statement="tanh'(0) = 1 and tanh'(z) -> 0 as |z| -> inf; slightly better than sigmoid "
                "but still saturating.",
      verdict="proved",
      assumptions=["'slightly better' read as: max tanh' = 1 = 4 max sigmoid', and tanh(z) "
                   "= 2 sigmoid(2z) - 1 is a rescaled sigmoid"],
      paragraph=15)

claim("relu-row-grad-one-positive-zero-negative", "2.4",
      "Table row: ReLU max(0, z), sigma'(0) = 1 by convention, 1 / 0 on the two halves",
      statement="ReLU(z) = max(0, z) has derivative 1 for z > 0 and 0 for z < 0; at 0 the "
                "value 1 is a convention.",
      verdict="proved",
      assumptions=["the one-sided derivatives at 0 are 0 (left) and 1 (right), so ReLU is "
                   "not differentiable there and any value in [0, 1] is a subgradient; the "
                   "article picks 1, PyTorch and JAX use 0; our relu_grad follows the "
                   "article"],
      paragraph=16)

claim("gelu-row-grad-half-at-zero-smooth", "2.4",
      "Table row: GeLU z Phi(z), sigma'(0) = 0.5, -> 1 / -> 0 on the two sides, smooth",
      statement="GeLU(z) = z Phi(z) has GeLU'(0) = 1/2, GeLU'(z) -> 1 as z -> +inf and -> 0 "
                "as z -> -inf, and is smooth (it removes ReLU's kink at the origin).",
      verdict="proved",
      assumptions=["the limits are approached non-monotonically: GeLU' peaks at "
                   "Phi(sqrt 2) + sqrt 2 phi(sqrt 2) ~ 1.129 > 1 and dips to ~ -0.129 < 0 "
                   "at z = -+sqrt 2"],
      paragraph=17)

claim("leaky-relu-has-nonzero-grad-everywhere", "2.4",
      "Leaky ReLU max(alpha z, z) has no dying region",
      statement="Leaky ReLU sigma(z) = max(alpha z, z) with a small alpha > 0 (typically "
                "0.01) has derivative alpha for z < 0 and 1 for z > 0 (a flat line at alpha "
                "on the negative side), so every input has a non-zero gradient.",
      verdict="proved",
      assumptions=["0 < alpha < 1 (for alpha > 1, max(alpha z, z) is a different function)",
                   "at z = 0 either one-sided value (alpha or 1) is non-zero; ours is 1"],
      paragraph=20)

claim("prelu-is-leaky-relu-with-learnable-slope", "2.4",
      "PReLU: Leaky ReLU with alpha learned, one per layer",
      statement="PReLU has the shape of Leaky ReLU but alpha is a learnable parameter, one "
                "per layer.",
      verdict="proved",
      paragraph=21,
      note="Not a finding (was imprecise): PReLU(z) = max(0, z) + alpha min(0, z) is Leaky "
           "ReLU with slope alpha and d/d alpha = min(0, z), so alpha is learned by gradient "
           "descent (sympy). One alpha per layer is He et al.'s (2015) channel-shared variant "
           "and PyTorch's nn.PReLU default (num_parameters = 1); He et al.'s default is one "
           "per channel, which the implementation also accepts. A reader building it per "
           "layer builds a valid PReLU.")

claim("elu-tends-to-minus-alpha-bounded-below", "2.4",
      "ELU saturates at -alpha and is bounded below by -alpha",
      statement="ELU(z) = z for z > 0 and alpha (e^z - 1) for z <= 0 tends to -alpha as "
                "z -> -inf and is bounded below by -alpha.",
      verdict="proved",
      assumptions=["alpha > 0; the bound is an infimum, never attained"],
      paragraph=22)

claim("elu-differentiable-everywhere", "2.4",
      "ELU is differentiable everywhere, its derivative continuous at 0",
      statement="ELU is differentiable everywhere, and its derivative is continuous at z = 0 "
                "where ReLU has a kink.",
      verdict="imprecise",
      corrected_statement="ELU is differentiable at 0 iff alpha = 1 (one-sided derivatives "
                          "alpha and 1); for alpha = 1 (the article's figure) it is C^1 but "
                          "not C^2 (second derivative 1 on the left, 0 on the right). "
                          "Saturation at -alpha has nothing to do with it.",
      paragraph=22,
      note="Imprecise (was qualified): for the standard alpha = 1 (the article's figure and "
           "the frameworks' default) the statement is right; for other alpha ELU has a kink "
           "at 0 (one-sided slopes alpha and 1), as harmless for gradient descent as ReLU's, "
           "and the 'so' tying differentiability to saturation at -alpha is a non sequitur.")

claim("elu-value-and-branch-at-zero", "2.4",
      "ELU at 0: value 0, the exponential branch (slope alpha)",
      statement="The article's ELU puts z = 0 in the branch alpha (e^z - 1) (z <= 0): ELU(0) = 0 "
                "(both branches agree there, so ELU is continuous) and the branch's slope at 0 "
                "is alpha, the value an implementation returns for ELU'(0); for z < 0 Leaky "
                "ReLU's slope is alpha.",
      verdict="proved",
      paragraph=22,
      note="A convention the article fixes, checked exactly on the implementation (elu, "
           "elu_grad at 0 for several alpha; leaky_relu_grad below 0).")

claim("swish-and-gelu-nearly-interchangeable", "2.4",
      "Swish/SiLU has essentially GeLU's shape; the two are nearly interchangeable",
      statement="Swish/SiLU has essentially the same shape as GeLU (sigmoid in place of Phi): "
                "up to a rescaling of the axes (Swish with beta = 1.702, i.e. "
                "SiLU(1.702 z)/1.702) it is GeLU to within 0.021 everywhere; the two are "
                "nearly interchangeable in large-model practice (empirical).",
      verdict="certified",
      paragraph=23,
      note="Not a finding (was imprecise): 'shape' is qualitative and right (smooth, one "
           "negative dip, ReLU-like tails), and certified here in the sense of a shape: "
           "sup_z |z sigmoid(1.702 z) - GeLU(z)| < 0.021. Unscaled the two functions differ "
           "by up to ~0.19 (sup_z |SiLU - GeLU| in [0.18, 0.2], near |z| ~ 2), the size of "
           "GeLU's whole dip, which matters for named-models-use-gelu. Interchangeability in "
           "training is empirical and not checked.")

claim("swish-dips-below-zero-near-minus-1-3", "2.4",
      "Swish dips slightly below 0 around z ~ -1.3",
      statement="Swish/SiLU z sigmoid(z) is smooth and dips slightly below 0 around "
                "z ~ -1.3.",
      verdict="certified",
      paragraph=30,
      note="Not a finding (was imprecise): the minimum is at z* in [-1.2785, -1.2784] (the "
           "root of 1 + z sigmoid(-z) = 0, certified), SiLU(z*) = z* + 1 ~ -0.2785, so "
           "'around -1.3' is right to the rounding and 'slightly' fits a dip of 0.28. SiLU "
           "is negative on the whole half-line z < 0 and its derivative is negative exactly "
           "on (-inf, z*); GeLU's dip is elsewhere (minimum ~ -0.170 at z ~ -0.752).")

claim("practical-activation-guidance", "2.4",
      "Engineering guidance on activations",
      statement="ReLU is the default for CNN/MLP hidden layers; ELU is usually more stable "
                "than Leaky ReLU; smoothness helps large-model optimisers; sigmoid is "
                "essentially abandoned in deep hidden layers unless normalisation rescues "
                "it; LSTM/GRU gates should not be swapped; He init for the ReLU family, "
                "Xavier for sigmoid/tanh.",
      verdict="cited",
      reason="Empirical engineering practice; the initialisation pairing is derived in §4.2 "
             "and checked there. 'Unless normalisation rescues it' has a checkable core, "
             "examined in §4.3: normalisation keeps sigma' away from saturation, but in a plain "
             "deep stack it does not keep the gradient's chain product stable "
             "(normalisation-keeps-sigma-prime-constant, refuted: ~1.09x per tanh layer with "
             "BatchNorm at initialisation).",
      paragraph=31)

claim("named-models-use-gelu", "2.4",
      "BERT, the GPT family and LLaMA all use GeLU",
      statement="Transformers default to GeLU: BERT, the GPT family and LLaMA all use it, with "
                "Swish/SiLU as a drop-in alternative.",
      verdict="qualified",
      corrected_statement="BERT and GPT-1/2/3 use GeLU; LLaMA uses SwiGLU, "
                          "(SiLU(x W) * (x V)) W_2, i.e. SiLU in a gated unit, not GeLU "
                          "(Touvron et al. 2023, §2); SiLU and GeLU are different functions "
                          "(sup distance ~ 0.19).",
      reason="Which paper uses which activation is documentary evidence; the check records "
             "it and verifies the mathematical part (SiLU != GeLU, certified).",
      paragraph=32,
      misled="A reader believes LLaMA's feed-forward blocks use GeLU, when they use SwiGLU (a SiLU-gated "
             "unit)")

claim("output-and-gate-activation-ranges", "2.4",
      "Output and gate activations squash into probabilities / [0, 1] / (-1, 1)",
      statement="Sigmoid outputs lie in [0, 1] (binary probabilities, LSTM/GRU gates), "
                "softmax outputs form a probability vector, tanh (cell state) lies in "
                "(-1, 1).",
      verdict="proved",
      assumptions=["the ranges are open: sigmoid in (0, 1), softmax in the open simplex"],
      paragraph=34)
