"""The article's pytest set-up; the engine (options, seeds, fixtures, ledger) is the
``claimledger`` plugin, configured in ``pyproject.toml`` under ``[tool.claimledger]``."""
from __future__ import annotations

import os

# One BLAS thread per process: the suite runs 2 pytest-xdist workers on 2 cores, and idle
# OpenBLAS threads spinning against each other made small SVDs 3-10x slower (measured).
# Must be set before numpy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")  # figures render without a display

pytest_plugins = ("pytester",)  # the harness's own tests run the checks in-process
