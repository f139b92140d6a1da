"""One root seed feeds every random generator of a run.

A generator for a check is derived from ``(root_seed, label)`` through numpy's
``SeedSequence``, with a stable hash of the label (``zlib.crc32``, not Python's salted
``hash``), so the same root seed gives the same numbers on every machine, process and
xdist worker.
"""
from __future__ import annotations

import zlib

import numpy as np

_root_seed = 0


def set_root_seed(seed: int) -> None:
    global _root_seed
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"root seed must be a non-negative integer, got {seed!r}")
    _root_seed = seed


def root_seed() -> int:
    return _root_seed


def derive_seed(label: str, *, bits: int = 64) -> int:
    """An integer seed derived from the root seed and ``label``."""
    ss = np.random.SeedSequence([_root_seed, zlib.crc32(label.encode())])
    words = ss.generate_state(max(1, bits // 32), dtype=np.uint32)
    return int.from_bytes(words.tobytes(), "little")


def rng_for(label: str) -> np.random.Generator:
    """A numpy generator for ``label`` (e.g. a test's node id), seeded from the root seed."""
    return np.random.default_rng(np.random.SeedSequence([_root_seed, zlib.crc32(label.encode())]))
