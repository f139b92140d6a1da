"""The reference implementation of our notes' blocks (numpy in, numpy out)."""
import numpy as np

__all__ = ["softmax", "adam_first_moment", "dropout_mask"]


def softmax(z):
    """softmax along the last axis, shifted by the maximum for stability."""
    z = np.asarray(z, dtype=float)
    if not np.all(np.isfinite(z)):
        raise ValueError("z must be finite")
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def adam_first_moment(grads, beta):
    """Bias-corrected first moments m_t / (1 - beta^t) for t = 1..len(grads)."""
    g = np.asarray(grads, dtype=float)
    if not 0 < beta < 1:
        raise ValueError("beta must be in (0, 1)")
    m, out = 0.0, []
    for t, gt in enumerate(g, start=1):
        m = beta * m + (1 - beta) * gt
        out.append(m / (1 - beta ** t))
    return np.array(out)


def dropout_mask(shape, q, rng):
    """0/1 mask whose entries are 1 with probability q (the keep probability)."""
    if not 0 < q <= 1:
        raise ValueError("q must be in (0, 1]")
    if not isinstance(rng, np.random.Generator):
        raise ValueError("rng must be a numpy Generator")
    return (rng.random(shape) < q).astype(float)
