"""Plausibly broken implementations: each module is the reference protocol with one
defect, and names in ``REJECTED_BY`` the claims whose checks must reject it.

``checks/harness/test_teeth.py`` runs those claims' checks with ``--impl`` pointed at each
module and asserts the ledger marks every listed claim ``failed``. To add one: copy a
module here, change one function, state the defect in the docstring.
"""
