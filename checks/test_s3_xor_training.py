"""Evidence for the §3.1 training loop on §1.3's XOR: backprop + gradient descent learn it.

K independent 2-8-1 networks are trained at once, as one block-diagonal network: the
hidden layers are stacked, the output layer is block-diagonal, and after every step the
off-block output weights are kept at zero (their gradient is dropped). Network k's
output then depends only on its own block, the mean loss over the K outputs is
(1/K) sum_k L_k, so the update of block k with step K eta is exactly network k's own
gradient step with step eta. Each network is one Bernoulli trial (solved or not); the
claim is a success probability of 1, so any failure refutes it (``zero_failures``); K is
the number of networks that see a failure rate of 1/2 w.p. >= 1 - 1e-6.
"""
from __future__ import annotations

import numpy as np
import pytest

from claimledger import stattests

claim = pytest.mark.claim

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([0.0, 1.0, 1.0, 0.0])
H, ETA, STEPS = 8, 1.0, 200


class _BlockNetworks:
    """Pack/unpack K 2-H-1 networks as one flat parameter vector of a block network."""

    def __init__(self, K: int) -> None:
        self.K = K
        self.sizes = (K * H * 2, K * H, K * H, K)  # W1, b1, w2 (own block only), b2
        self.rows = np.repeat(np.arange(K), H)    # output k reads hidden units of block k
        self.cols = np.arange(K * H)

    def unpack(self, theta):
        a, b, c, _ = np.cumsum(self.sizes)
        W1 = theta[:a].reshape(self.K * H, 2)
        b1 = theta[a:b]
        W2 = np.zeros((self.K, self.K * H))
        W2[self.rows, self.cols] = theta[b:c]
        return W1, b1, W2, theta[c:]

    def gradient(self, impl):
        Yk = np.tile(Y[:, None], (1, self.K))

        def grad(theta):
            W1, b1, W2, b2 = self.unpack(theta)
            _, dW, db = impl.mlp_gradients([W1, W2], [b1, b2], X, Yk, ("tanh", "sigmoid"), "bce")
            # drop the off-block entries (projected GD) and undo the 1/K of the mean
            return self.K * np.concatenate([dW[0].ravel(), db[0],
                                            dW[1][self.rows, self.cols], db[1]])
        return grad

    def solved(self, theta) -> np.ndarray:
        W1, b1, W2, b2 = self.unpack(theta)
        out = 1 / (1 + np.exp(-(np.tanh(X @ W1.T + b1) @ W2.T + b2)))  # (4, K), numpy
        return np.all((out > 0.5) == (Y[:, None] > 0.5), axis=0)


@claim("xor-solved-by-mlp-trained-with-backprop-and-gd", kind="statistical")
def test_gradient_descent_with_backprop_solves_xor(impl, evidence, rng):
    # n from the power requirement: a success rate of 1/2 or less is detected w.p. >= 1-1e-6
    # ((1/2)^K <= 1e-6: 20 networks; Hoeffding on the rate needed 114)
    K = stattests.zero_failures_sample_size(0.5)
    nets = _BlockNetworks(K)
    theta0 = rng.normal(size=sum(nets.sizes))
    iterates = impl.gradient_descent(nets.gradient(impl), theta0, eta=ETA, steps=STEPS)
    assert iterates.shape[0] == STEPS + 1, "gradient descent stopped early (non-finite iterate)"
    ok = nets.solved(iterates[-1]).astype(float)
    outcome = stattests.zero_failures(int(K - ok.sum()), K, false_fail_rate=1e-6,
                                      detect_rate=0.5)
    evidence.note(outcome.evidence())
    evidence.note(f"{int(ok.sum())}/{K} random N(0,1) initialisations of a 2-{H}-1 tanh/sigmoid "
                  f"MLP solved XOR after {STEPS} full-batch GD steps (eta = {ETA}, BCE), "
                  "gradients by mlp_gradients, steps by gradient_descent")
    outcome.assert_ok("success rate of backprop + GD on XOR is 1")
