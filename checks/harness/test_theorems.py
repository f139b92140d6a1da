"""The claim records themselves: readable, locatable, and honest about materiality.

* every theorem module's "Main statements" docstring lists exactly the claims it
  registers (the docstring is how a reader finds them; it must not drift);
* every claim with a ``paragraph=`` locator resolves to a paragraph of the article (when
  the article file is present), and every claim of an article section is located;
* every refuted or qualified statement of the article says who is misled into what;
* claims the harness adds (``origin`` harness/framework) are never findings about the
  article in the headline (checked in test_report_text.py) and §7 is all framework.
"""
from __future__ import annotations

import importlib
import re

import pytest

import theorems
from theorems import _article

pytestmark = pytest.mark.harness

REGISTRY = theorems.load_all()
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


ARTICLE = _article.load()


@pytest.mark.skipif(ARTICLE is None, reason="the article file is not present")
@pytest.mark.parametrize("cid", sorted(c.id for c in REGISTRY.values() if c.paragraph))
def test_every_locator_resolves_to_a_paragraph_of_the_article(cid):
    c = REGISTRY[cid]
    assert _article.paragraph(ARTICLE, c.section, c.paragraph) is not None, (
        f"{cid}: §{c.section} has {len(ARTICLE.get(c.section, []))} paragraphs, "
        f"not {c.paragraph}")


def test_every_article_claim_is_located():
    unlocated = sorted(c.id for c in REGISTRY.values()
                       if c.origin == "article" and c.section not in ("6", "7")
                       and c.paragraph is None and not c.depends_on)
    assert unlocated == [], f"claims without paragraph=: {unlocated}"


def test_material_findings_say_who_is_misled_into_what():
    silent = sorted(c.id for c in REGISTRY.values()
                    if c.verdict in ("refuted", "qualified") and c.origin == "article"
                    and not (c.misled or "").strip())
    assert silent == [], f"refuted/qualified claims without misled=: {silent}"


def test_frameworks_section_claims_are_not_article_claims():
    wrong = sorted(c.id for c in REGISTRY.values() if c.section == "7"
                   and c.origin != "framework")
    assert wrong == [], f"§7 claims must be origin='framework': {wrong}"


def test_claims_come_in_reading_order_within_each_subsection():
    """Sorting by (section, paragraph, registration order) is the article's order."""
    claims = sorted(REGISTRY.values(), key=theorems.reading_key)
    for a, b in zip(claims, claims[1:]):
        if a.section == b.section and a.paragraph and b.paragraph:
            assert a.paragraph <= b.paragraph, (a.id, b.id)
