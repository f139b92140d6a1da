"""claimledger: every statement of a text a claim, every claim a verdict earned by checks.

A pytest plugin (entry point ``pytest11: claimledger``). A *claims package* - a set of
claim modules and the pytest checks that give evidence for them, with the text they come
from - is declared in the project's ``pyproject.toml`` under ``[tool.claimledger]``
(:mod:`claimledger.config`). At the end of a run the ledger gives every claim of the
packages in the run a verdict with the numbers behind it.

The names a package author needs are importable from here: :func:`claim` (register a
claim) and :class:`Claim`; the evidence kinds, statistics, certificates and helpers live
in their own modules (``claimledger.stattests``, ``claimledger.certificates``,
``claimledger.symbolic``, ``claimledger.controls``, ...). Importing this package imports
neither numpy nor hypothesis.
"""
from __future__ import annotations

from .claims import FINDINGS, OUTCOMES, VERDICTS, Claim, claim

__all__ = ["Claim", "claim", "VERDICTS", "FINDINGS", "OUTCOMES"]
__version__ = "0.2.0"
