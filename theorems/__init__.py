"""The article's claims: one module per section, each statement one ``claim(...)`` call.

This is the article's claims package for the ``claimledger`` engine (configured in
``pyproject.toml`` under ``[tool.claimledger]``): importing a section module registers its
claims. The verdict scale and the materiality rubric are the engine's
(:mod:`claimledger.claims`); each module's docstring lists its main statements and the
checks that verify them. Origins: ``article`` (a statement of the article), ``harness``
(the harness's own corollary) and ``framework`` (a finding about a framework, §7).

``python -m claimledger.source 3.3`` prints a section's numbered paragraphs, which is how a
claim's ``paragraph=`` is chosen.
"""
