"""kl_divergence(p, q) computes D(q || p): the two arguments in the other order."""
from implementations import *  # noqa: F401,F403
from implementations import kl_divergence as _kl

REJECTED_BY = ["kl-divergence-matches-catalogue", "kl-equals-cross-entropy-minus-entropy",
               "kl-divergence-asymmetric", "vae-kl-is-encoder-from-prior",
               "ppo-trpo-kl-constrains-new-from-old", "distillation-kl-student-from-teacher",
               "classification-loss-is-cross-entropy-of-labels",
               "minimising-cross-entropy-equals-minimising-kl-iff-reference-fixed"]


def kl_divergence(p, q, base=2.718281828459045):
    return _kl(q, p, base=base)
