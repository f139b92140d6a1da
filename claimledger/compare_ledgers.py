"""Side by side: the reference implementation's ledger against another implementation's.

    python -m claimledger.compare_ledgers REF_LEDGER OTHER_LEDGER [--known MODULE|PATH]

Writes ``side_by_side.md`` and ``side_by_side.html`` next to OTHER_LEDGER: for every
claim whose verdict differs, both verdicts and the other implementation's failure message
(the input, both outputs, the size of the difference, as the check printed them). With
``--known`` (a dotted module name or a path to a ``.py`` file defining
``KNOWN_DIFFERENCES = {claim_id: explanation}``) the exit status is 1 when a claim failed
that is not a known difference, and the known ones are shown with their explanation; a
known difference that no longer fails is reported as stale (exit status 1 too, so the
list stays honest). Without ``--known`` every failed claim is unexpected: the exit status
is 1 when any claim failed (``make verify IMPL=path`` must fail on a broken module).
"""
from __future__ import annotations

import argparse
import html
import importlib
import importlib.util
import json
import pathlib
import sys


def _failure(claim: dict) -> str:
    msgs = [k.get("failure") for k in claim["checks"] if k.get("failure")]
    reasons = [k.get("skip_reason") for k in claim["checks"] if k.get("skip_reason")]
    return (msgs[0] if msgs else (reasons[0] if reasons else "")) or ""


def compare(ref: dict | None, other: dict, known: dict[str, str],
            seed_dependent=frozenset(), declared: dict[str, str] | None = None
            ) -> tuple[list[dict], list[str], list[str]]:
    """Rows of the side-by-side table, the unexpected failures and the stale known ones.

    ``declared`` (optional ``DECLARED`` of the known module) explains claims that pass
    only because the implementation declared a convention the article leaves open."""
    declared = declared or {}
    ref_claims = {c["id"]: c for c in (ref or {}).get("claims", [])}
    rows, unexpected, stale = [], [], []
    for c in other["claims"]:
        r = ref_claims.get(c["id"])
        rv = r["verdict"] if r else "-"
        row = {"id": c["id"], "section": c["section"], "title": c["title"], "reference": rv,
               "other": c["verdict"], "detail": "",
               "known": known.get(c["id"], "") or (f"declared convention: {declared[c['id']]}"
                                                   if c["id"] in declared else "")}
        if c["verdict"] != rv:
            row["detail"] = _failure(c)
        rows.append(row)
        if c["verdict"] == "failed" and c["id"] not in known:
            unexpected.append(c["id"])
        # a difference that shows only for some root seeds (the generated inputs must hit
        # the divergent region) is not stale when this seed happens to miss it
        if c["id"] in known and c["verdict"] != "failed" and c["id"] not in seed_dependent:
            stale.append(c["id"])
    return rows, unexpected, stale


def render(rows: list[dict], other_impl: str) -> tuple[str, str]:
    diff = [r for r in rows if r["reference"] != r["other"]]
    md = [f"# Side by side: reference vs `{other_impl}`", "",
          f"{len(rows)} claims, {len(diff)} with different verdicts.", "",
          "| § | claim | reference | " + other_impl + " | evidence / explanation |",
          "|---|---|---|---|---|"]
    e = html.escape
    trs = []
    for r in sorted(rows, key=lambda r: (r["reference"] == r["other"], r["section"], r["id"])):
        text = " ".join(x for x in (r["known"], r["detail"]) if x).replace("|", "\\|")
        md.append(f"| {r['section']} | `{r['id']}` | {r['reference']} | {r['other']} | {text} |")
        cls = ' class="differs"' if r["reference"] != r["other"] else ""
        trs.append(f"<tr{cls}><td>{e(r['section'])}</td><td><code>{e(r['id'])}</code></td>"
                   f"<td>{e(r['reference'])}</td><td>{e(r['other'])}</td>"
                   f"<td>{e(r['known'])}<br><span class=\"small\">{e(r['detail'])}</span></td></tr>")
    page = ('<section id="side-by-side"><h2>Side by side: reference vs '
            f"{e(other_impl)}</h2><p>{len(rows)} claims, {len(diff)} with different verdicts "
            "(listed first).</p><table><tr><th>§</th><th>claim</th><th>reference</th>"
            f"<th>{e(other_impl)}</th><th>evidence / explanation</th></tr>{''.join(trs)}"
            "</table></section>")
    return "\n".join(md) + "\n", page


def load_known(spec: str):
    """The known-differences module: a dotted name or a path to a .py file."""
    path = pathlib.Path(spec)
    if spec.endswith(".py") or path.is_file():
        if not path.is_file():
            raise SystemExit(f"--known {spec}: no such file")
        mspec = importlib.util.spec_from_file_location("known_differences_" + path.stem, path)
        mod = importlib.util.module_from_spec(mspec)
        mspec.loader.exec_module(mod)
        return mod
    return importlib.import_module(spec)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("ref")
    ap.add_argument("other")
    ap.add_argument("--known", default=None)
    a = ap.parse_args(argv)
    ref_path, other_path = pathlib.Path(a.ref), pathlib.Path(a.other)
    ref = json.loads(ref_path.read_text()) if ref_path.is_file() else None
    other = json.loads(other_path.read_text())
    mod = load_known(a.known) if a.known else None
    known = mod.KNOWN_DIFFERENCES if mod else {}
    seed_dependent = frozenset(getattr(mod, "SEED_DEPENDENT", ()))
    rows, unexpected, stale = compare(ref, other, known, seed_dependent,
                                      getattr(mod, "DECLARED", None))
    md, page = render(rows, other.get("impl", "other"))
    versions = other.get("impl_versions") or {}
    if versions:  # what the implementation under test imported, for the record
        line = ", ".join(f"{k} {v}" for k, v in versions.items())
        md = md.replace("\n\n", f"\n\nImplementation's packages: {line}.\n\n", 1)
    (other_path.parent / "side_by_side.md").write_text(md)
    (other_path.parent / "side_by_side.html").write_text(page)
    report = other_path.parent / "report.html"
    if report.is_file():  # the other implementation's report gains the table, near the top
        text = report.read_text()
        if 'id="side-by-side"' not in text:
            marker = '<section class="article-section"'
            text = text.replace(marker, page + marker, 1) if marker in text else \
                text.replace("</main>", page + "</main>")
            report.write_text(text)
    if ref is None:
        print(f"note: no reference ledger at {ref_path}; run `make verify` first for the "
              "side-by-side comparison")
    n_diff = sum(r["reference"] != r["other"] for r in rows)
    print(f"side by side: {n_diff} claims differ; written to {other_path.parent}/side_by_side.md")
    for cid in unexpected:
        print(f"UNEXPECTED failure under {other.get('impl')}: {cid}")
    for cid in stale:
        print(f"stale known difference (no longer fails): {cid}")
    return 1 if (unexpected or stale) else 0


if __name__ == "__main__":
    sys.exit(main())
