"""Evidence for §3.1's cost statement: what one backward pass costs against the forward.

``impl.mlp_flop_counts`` reports the FLOPs the engine spends building the graph up to
the loss (forward) and running the reverse sweep (backward), in the model documented in
``implementations/autodiff.py`` (2 m k n per matmul, 1 per element otherwise). The matmul
counts must follow the exact formula derived in the corrected statement.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checks.support import strategies as S

claim = pytest.mark.claim
SOME = settings(max_examples=max(20, settings.default.max_examples // 3))
LOSSES = ["mse", "bce_with_logits", "cross_entropy_with_logits", "mae", "hinge"]


def _net(sizes, N, loss, rng):
    Ws = [rng.normal(size=(o, i)) for i, o in zip(sizes[:-1], sizes[1:])]
    bs = [rng.normal(size=o) for o in sizes[1:]]
    x = rng.normal(size=(N, sizes[0]))
    m = sizes[-1]
    if loss == "cross_entropy_with_logits":
        y = np.eye(m)[rng.integers(0, m, N)]
    elif loss == "hinge":
        y = rng.choice([-1.0, 1.0], size=(N, m))
    else:
        y = rng.uniform(0, 1, size=(N, m))
    return Ws, bs, x, y


def _matmul_formula(sizes, N) -> tuple[int, int]:
    F = sum(2 * N * a * b for a, b in zip(sizes[:-1], sizes[1:]))
    return F, 2 * F - 2 * N * sizes[0] * sizes[1]


@claim("backprop-costs-same-as-forward-pass", kind="exact", target="counterexample")
def test_xor_network_backward_costs_more_than_forward(impl, evidence, control):
    rng = np.random.default_rng(0)  # values do not affect FLOP counts; fixed for the record
    sizes, N = (2, 2, 1), 4
    Ws, bs, x, _ = _net(sizes, N, "mse", rng)
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    c = impl.mlp_flop_counts(Ws, bs, x, y, ("tanh", "sigmoid"), "bce")
    F, B = _matmul_formula(sizes, N)

    def derive(counts):  # the certificate: (forward, backward) matmul FLOPs of this network
        assert (c["forward_matmul_flops"], c["backward_matmul_flops"]) == (F, B) == counts, \
            f"matmul FLOPs {(c['forward_matmul_flops'], c['backward_matmul_flops'])}, " \
            f"formula {(F, B)}, certificate {counts}"
        assert counts[1] != counts[0] and c["backward_flops"] > c["forward_flops"], c

    control(derive, (48, 64), (48, 48), (48, 96),
            labels=("backward = forward = 48 (the article's 'same cost')",
                    "backward = 2 x forward = 96"))
    evidence.counterexample(f"2-2-1 XOR network, N = 4 (tanh/sigmoid, BCE): forward "
                            f"{c['forward_flops']} FLOPs ({F} in matmuls), backward "
                            f"{c['backward_flops']} ({B} in matmuls): not the same cost; the "
                            f"matmul ratio is 64/48 = 4/3")


@claim("backprop-costs-same-as-forward-pass", kind="exact", scope="instance", target="corrected")
@SOME
@given(arch=S.mlp_architectures(max_layers=4, max_width=16, max_batch=32, min_out=2),
       loss=st.sampled_from(LOSSES), act=st.sampled_from(["tanh", "relu", "sigmoid", "identity"]))
def test_backward_matmul_flops_follow_exact_formula(impl, evidence, arch, loss, act):
    sizes, N = arch
    Ws, bs, x, y = _net(sizes, N, loss, np.random.default_rng(N))
    c = impl.mlp_flop_counts(Ws, bs, x, y, act, loss)
    F, B = _matmul_formula(sizes, N)
    assert c["forward_matmul_flops"] == F, \
        f"forward matmul FLOPs {c['forward_matmul_flops']} != {F}"
    assert c["backward_matmul_flops"] == B, \
        f"backward matmul FLOPs {c['backward_matmul_flops']} != 2F - 2 N n0 n1 = {B}"
    ratio = Fraction(B, F)
    assert 1 <= ratio < 2 and (ratio == 1) == (len(sizes) == 2)
    total = c["backward_flops"] / c["forward_flops"]
    # per op, a VJP costs <= 3x the op's forward FLOPs (pow: k x^(k-1) g; unary: f'(x) g;
    # matmul: 2 m k n per operand; add/unbroadcast <= 1x) and each accumulation into an
    # existing .grad <= 1x the consuming op's forward: total <= 4x
    assert total <= 4, f"total backward/forward FLOP ratio {total:.3f} above the bound 4"
    evidence.count("MLPs (depth 1-4, widths 1-16, batch 1-32, five losses)")
    evidence.worst("backward/forward matmul FLOPs", float(ratio), at=f"{sizes}, N={N}")
    evidence.worst("backward/forward total FLOPs", total, at=f"{sizes}, N={N}, {act}, {loss}")
    evidence.least("backward/forward total FLOPs", total, at=f"{sizes}, N={N}, {act}, {loss}")


@claim("backprop-costs-same-as-forward-pass", kind="exact", scope="instance", target="corrected")
def test_cost_table_for_growing_depth(impl, evidence):
    rows = []
    for depth in (1, 2, 4, 8):
        sizes, N = (64,) * (depth + 1), 32
        Ws, bs, x, y = _net(sizes, N, "mse", np.random.default_rng(depth))
        c = impl.mlp_flop_counts(Ws, bs, x, y, "tanh", "mse")
        F, B = _matmul_formula(sizes, N)
        assert (c["forward_matmul_flops"], c["backward_matmul_flops"]) == (F, B)
        rows.append([depth, c["forward_flops"], c["backward_flops"],
                     c["backward_flops"] / c["forward_flops"], B / F])
    # for equal widths the matmul ratio is 2 - 1/L exactly
    assert [r[4] for r in rows] == [2 - 1 / d for d in (1, 2, 4, 8)]
    evidence.table("width-64 tanh MLPs, N = 32: backward vs forward FLOPs",
                   ["layers", "forward", "backward", "total ratio", "matmul ratio (2 - 1/L)"], rows)


VJPS_PER_OP = 2  # an op has at most two array inputs here (matmul, add): one VJP each


@claim("backprop-computes-all-partials-in-one-reverse-sweep", kind="sampled")
@SOME
@given(arch=S.mlp_architectures(max_layers=4, max_width=8, max_batch=8, min_out=2),
       loss=st.sampled_from(LOSSES))
def test_each_recorded_operation_is_differentiated_once(impl, evidence, arch, loss):
    sizes, N = arch
    Ws, bs, x, y = _net(sizes, N, loss, np.random.default_rng(7))
    c = impl.mlp_flop_counts(Ws, bs, x, y, "tanh", loss)
    # one sweep: a bounded number of local VJPs per recorded operation. The bound is not 1:
    # an implementation may split an op's backward into several closures (e.g. one per
    # input of a binary op); what the claim excludes is a count growing with the
    # parameters (checked next) or a second sweep (> VJPS_PER_OP per op) (issue 15)
    assert c["backward_calls"] <= VJPS_PER_OP * c["forward_nodes"], \
        f"{c['backward_calls']} local VJPs for {c['forward_nodes']} recorded operations"
    # the sweep's length depends on the graph, not on the number of parameters: widening
    # every layer 4x multiplies the parameters ~16x but keeps the operation count
    wide = tuple(4 * s for s in sizes[1:-1])
    Ws2, bs2, x2, y2 = _net((sizes[0],) + wide + (sizes[-1],), N, loss, np.random.default_rng(8))
    c2 = impl.mlp_flop_counts(Ws2, bs2, x2, y2, "tanh", loss)
    assert c2["backward_calls"] == c["backward_calls"], "the sweep must not grow with parameters"
    params = sum(W.size + b.size for W, b in zip(Ws, bs))
    evidence.count("MLPs: one local VJP per recorded operation, independent of the width")
    evidence.worst("local VJPs / recorded operations", c["backward_calls"] / c["forward_nodes"])
    evidence.worst("parameters per local VJP", params / c["backward_calls"])
