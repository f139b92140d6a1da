"""Fixtures for the harness's own tests."""
from __future__ import annotations

import importlib

import pytest

# The in-process pytest runs (pytester) restore sys.modules afterwards, dropping every
# module first imported inside them; re-importing an extension module (numpy.fft,
# scipy.special, matplotlib) later in the same process then fails. Importing them in
# the outer session first keeps them across nested runs.
_PRELOAD = ("numpy", "scipy.special", "scipy.stats", "scipy.optimize", "scipy.linalg", "sympy",
            "mpmath", "matplotlib", "matplotlib.pyplot", "implementations", "theorems",
            "claimledger.html_report", "claimledger.report_extras",
            "torch")  # optional: only when installed (the frameworks checks import it)


@pytest.fixture(scope="session", autouse=True)
def _preload_extension_modules():
    for name in _PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:  # pragma: no cover - optional in a user's environment
            pass
    importlib.import_module("claimledger.claims").load(["theorems"])
