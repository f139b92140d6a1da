"""Initialisers returning (fan_in, fan_out) arrays (the transpose of the article's W)."""
from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations import init as _ref

REJECTED_BY = ["xavier-initialisers-have-variance-two-over-fan-sum",
               "he-initialisers-have-variance-two-over-fan-in"]


def xavier_normal(fan_in, fan_out, *, rng, gain=1.0):
    return _ref.xavier_normal(fan_in, fan_out, rng=rng, gain=gain).T


def xavier_uniform(fan_in, fan_out, *, rng, gain=1.0):
    return _ref.xavier_uniform(fan_in, fan_out, rng=rng, gain=gain).T


def he_normal(fan_in, fan_out, *, rng):
    return _ref.he_normal(fan_in, fan_out, rng=rng).T


def he_uniform(fan_in, fan_out, *, rng):
    return _ref.he_uniform(fan_in, fan_out, rng=rng).T
