"""Another implementation of the same names, checked with ``pytest --impl alt_blocks.py``:
softmax through log-sum-exp, Adam's moment in closed form, dropout by a binomial draw."""
import numpy as np

__all__ = ["softmax", "adam_first_moment", "dropout_mask"]


def softmax(z):
    z = np.asarray(z, dtype=float)
    m = z.max(axis=-1, keepdims=True)
    return np.exp(z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True)))


def adam_first_moment(grads, beta):
    g = np.asarray(grads, dtype=float)
    t = np.arange(1, len(g) + 1)
    # m_t = (1 - b) sum_i b^(t - i) g_i
    weights = (1 - beta) * beta ** (t[:, None] - t[None, :]) * (t[None, :] <= t[:, None])
    return weights @ g / (1 - beta ** t)


def dropout_mask(shape, q, rng):
    return rng.binomial(1, q, size=shape).astype(float)
