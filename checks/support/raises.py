"""``raises_exactly``: the bad-input contract pins the whole error message.

The implementations promise a *clear* ValueError; the message is part of that promise, so
the input tests state it in full (a reader sees every message in the tables) and a
changed, emptied or garbled message fails them.
"""
from __future__ import annotations

import re

import pytest


def raises_exactly(message: str, exception: type[BaseException] = ValueError):
    """``pytest.raises(exception)`` whose ``str(exc)`` must equal ``message`` exactly."""
    return pytest.raises(exception, match=f"^{re.escape(message)}$")
