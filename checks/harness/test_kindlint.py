"""The kind lint reads what a check does and compares it with the kind it declares.

Each rule has a case the lint must flag and a case it must accept, written as a small
check module in a temporary directory (nothing is imported or run); helpers reached
through the module (a function it calls, a constant it reads, a project module it imports
from) count as the check's own code.
"""
from __future__ import annotations

import textwrap

import pytest

from claimledger.kindlint import lint_modules

pytestmark = pytest.mark.harness


def _lint(tmp_path, body: str, extra: dict[str, str] | None = None) -> dict[str, list[str]]:
    for name, src in (extra or {}).items():
        (tmp_path / name).write_text(textwrap.dedent(src))
    path = tmp_path / "test_case.py"
    path.write_text("import pytest\nimport sympy as sp\nfrom fractions import Fraction\n"
                    "from mpmath import iv\nclaim = pytest.mark.claim\n"
                    + textwrap.dedent(body))
    return lint_modules([path], tmp_path)


@pytest.mark.parametrize("body, problem", [
    ("""
     @claim("c", kind="symbolic")
     def test_x():
         assert 1 + 1 == 2
     """, "uses no sympy"),
    ("""
     @claim("c", kind="symbolic")
     def test_x():
         assert sp.Integer(2) == 2
     """, "constructs no sympy symbol"),
    ("""
     @claim("c", kind="symbolic")
     def test_x():
         x = sp.Symbol("x", real=True)
         assert sp.diff(x**2, x) == 2 * x
     """, "say why the statement has none"),
    ("""
     @claim("c", kind="interval")
     def test_x():
         assert abs(2.0 ** 0.5 - 1.41421356) < 1e-8
     """, "uses no interval library"),
    ("""
     @claim("c", kind="exact")
     def test_x():
         assert 0.1 + 0.2 != 0.3
     """, "uses no integers, Fractions or sympy"),
])
def test_lint_flags_a_check_whose_code_does_not_match_its_kind(tmp_path, body, problem):
    out = _lint(tmp_path, body)
    assert list(out) == ["test_case.py::test_x"], out
    assert problem in out["test_case.py::test_x"][0]


@pytest.mark.parametrize("body", [
    """
    @claim("c", kind="symbolic")
    def test_x():
        n = sp.Symbol("n", integer=True, positive=True)
        assert sp.Sum(1, (sp.Symbol("i", integer=True), 1, n)).doit() == n
    """,
    """
    @claim("c", kind="symbolic")
    def test_x():
        # sizeless: a statement about one real function of one real variable
        x = sp.Symbol("x", real=True)
        assert sp.diff(x**2, x) == 2 * x
    """,
    """
    N = sp.Symbol("N", integer=True, positive=True)

    def helper():
        return sp.Symbol("x", real=True) * N

    @claim("c", kind="symbolic")
    def test_x():
        assert helper().has(N)
    """,
    """
    @claim("c", kind="interval")
    def test_x():
        assert iv.mpf([1, 2]).b >= 2
    """,
    """
    @claim("c", kind="exact")
    def test_x():
        assert Fraction(1, 10) + Fraction(2, 10) == Fraction(3, 10)
    """,
    """
    @claim("c", kind="sampled")
    def test_x():
        assert 0.1 + 0.2 != 0.3
    """,
])
def test_lint_accepts_a_check_whose_code_matches_its_kind(tmp_path, body):
    assert _lint(tmp_path, body) == {}


def test_lint_follows_names_imported_from_a_project_module(tmp_path):
    out = _lint(tmp_path, """
        from intervals_helper import enclose

        @claim("c", kind="interval")
        def test_x():
            assert enclose(1.0) is not None
        """, extra={"intervals_helper.py": """
        from mpmath import iv

        def enclose(x):
            return iv.mpf(x)
        """})
    assert out == {}
