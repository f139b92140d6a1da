"""The claim records themselves: readable, locatable, and honest about materiality.

* every theorem module's "Main statements" docstring lists exactly the claims it
  registers (the docstring is how a reader finds them; it must not drift);
* the article package's records follow the rules the engine enforces before a run as
  usage errors (every statement of the article located by a ``paragraph=`` that
  resolves, every refuted or qualified one saying who is misled into what, origins
  declared); here each rule names the article's offenders directly;
* claims the harness adds (``origin`` harness/framework) are never findings about the
  article in the headline (checked in test_report_text.py) and §7 is all framework.
"""
from __future__ import annotations

import importlib
import pathlib
import re

import pytest

from claimledger import claims as C
from claimledger import config as CF
from claimledger import source as _article

pytestmark = pytest.mark.harness

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONFIG = CF.read(ROOT / "pyproject.toml")
ARTICLE_PACKAGE = CONFIG.packages[0]
REGISTRY = C.claims_of(ARTICLE_PACKAGE.claims)
MODULES = sorted({c.module for c in REGISTRY.values()})
_ID = re.compile(r"``([a-z0-9]+(?:-[a-z0-9]+)+)``")


def _main_statements(doc: str) -> str:
    m = re.search(r"Main statements\n-+\n(.*?)(?:\n[A-Z][a-z]+\n-+\n|\Z)", doc, re.S)
    return m.group(1) if m else ""


@pytest.mark.parametrize("module", MODULES)
def test_main_statements_list_exactly_the_registered_claims(module):
    doc = importlib.import_module(module).__doc__ or ""
    listed = set(_ID.findall(_main_statements(doc)))
    registered = {c.id for c in REGISTRY.values() if c.module == module}
    missing, stale = sorted(registered - listed), sorted(listed - registered)
    assert not missing and not stale, (
        f"{module}: Main statements misses {missing} and lists unregistered {stale}")


ARTICLE = _article.load(ARTICLE_PACKAGE.source.path(ROOT))


@pytest.mark.skipif(ARTICLE is None, reason="the article file is not present")
@pytest.mark.parametrize("cid", sorted(c.id for c in REGISTRY.values() if c.paragraph))
def test_every_locator_resolves_to_a_paragraph_of_the_article(cid):
    c = REGISTRY[cid]
    assert _article.paragraph(ARTICLE, c.section, c.paragraph) is not None, (
        f"{cid}: §{c.section} has {len(ARTICLE.get(c.section, []))} paragraphs, "
        f"not {c.paragraph}")


def test_every_article_claim_is_located():
    unlocated = sorted(c.id for c in REGISTRY.values()
                       if c.origin in (None, "article") and c.section != "7"
                       and c.paragraph is None and not c.depends_on)
    assert unlocated == [], f"claims without paragraph=: {unlocated}"


def test_material_findings_say_who_is_misled_into_what():
    silent = sorted(c.id for c in REGISTRY.values()
                    if c.verdict in ("refuted", "qualified") and c.origin in (None, "article")
                    and not (c.misled or "").strip())
    assert silent == [], f"refuted/qualified claims without misled=: {silent}"


def test_frameworks_section_claims_are_not_article_claims():
    wrong = sorted(c.id for c in REGISTRY.values() if c.section == "7"
                   and c.origin != "framework")
    assert wrong == [], f"§7 claims must be origin='framework': {wrong}"


def test_article_origins_are_declared_by_the_package():
    undeclared = sorted(c.id for c in REGISTRY.values()
                        if (c.origin or ARTICLE_PACKAGE.default_origin)
                        not in ARTICLE_PACKAGE.origins)
    assert undeclared == [], f"origins not in [tool.claimledger.origins]: {undeclared}"


def test_claims_come_in_reading_order_within_each_subsection():
    """Sorting by (section, paragraph, registration order) is the article's order."""
    claims = sorted(REGISTRY.values(), key=C.reading_key)
    for a, b in zip(claims, claims[1:]):
        if a.section == b.section and a.paragraph and b.paragraph:
            assert a.paragraph <= b.paragraph, (a.id, b.id)
