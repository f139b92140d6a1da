"""mlp_gradients returns the negated gradients (ascent direction)."""
from implementations import *  # noqa: F401,F403
from implementations import mlp_gradients as _mlp_gradients

REJECTED_BY = ["xor-solved-by-mlp-trained-with-backprop-and-gd",
               "mlp-gradients-match-sympy-and-finite-differences",
               "one-neuron-gradient-by-chain-rule"]


def mlp_gradients(weights, biases, x, y, activation, loss):
    value, dW, db = _mlp_gradients(weights, biases, x, y, activation, loss)
    return value, [-g for g in dW], [-g for g in db]
