"""``raises_exactly``: the bad-input contract pins the whole error message.

The implementations promise a *clear* ValueError; the message is part of that promise, so
the input tests state it in full (a reader sees every message in the tables) and a
changed, emptied or garbled message fails them.
"""
from __future__ import annotations

import re

import numpy as np
import pytest


def raises_exactly(message: str, exception: type[BaseException] = ValueError):
    """``pytest.raises(exception)`` whose ``str(exc)`` must equal ``message`` exactly."""
    return pytest.raises(exception, match=f"^{re.escape(message)}$")


def numpy_reason(value) -> str:
    """numpy's own words for refusing ``value`` as a float array. The implementations quote
    them after "<name> must be a numeric array: ", and they vary across numpy versions, so
    the tables ask numpy instead of hard-coding them."""
    try:
        np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        return str(exc)
    raise AssertionError(f"numpy accepts {value!r} as floats; it is no bad-input case")


def text_refused(name: str) -> str:
    """The converter's message for text (numeric strings are refused, never parsed)."""
    return f"{name} holds text; real numbers are required (numeric strings are not parsed)"
