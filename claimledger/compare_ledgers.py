"""Side by side: the reference implementation's ledger against another implementation's.

    python -m claimledger.compare_ledgers REF_LEDGER OTHER_LEDGER [--known MODULE|PATH]
        [--reference-command CMD]

Writes ``side_by_side.md`` and ``side_by_side.html`` next to OTHER_LEDGER: for every
claim whose verdict differs, both verdicts and the other implementation's failure message
(the input, both outputs, the size of the difference, as the check printed them). With
``--known`` (a dotted module name or a path to a ``.py`` file defining
``KNOWN_DIFFERENCES = {claim_id: explanation}``) the exit status is 1 when a claim failed
that is not a known difference, and the known ones are shown with their explanation; a
known difference that no longer fails is reported as stale (exit status 1 too, so the
list stays honest). Without ``--known`` every failed claim is unexpected: the exit status
is 1 when any claim failed (``make verify IMPL=path`` must fail on a broken module).

A claim that fails in the reference ledger too ("failed / failed") is the harness's own
failure, not the implementation's: it is listed apart ("failing in the reference too")
and never counted as UNEXPECTED. Failures are then grouped by cause where the tool can
tell - by the documented cause a known difference cites (``[claim-id]``), by kind of
deviation read off the failure message (NaN, overflow, epsilon clipping, shape of a
distribution, dtype/precision, convention), and by the protocol names the failing checks
called - largest group first, each with one representative example. Findings about the
implementation that are not failures (``impl_findings`` of the ledger, e.g. the calls in
which a float32 framework lost float64) are printed once.

``--reference-command CMD``: when REF_LEDGER is missing, was made with another seed or
hypothesis profile than OTHER_LEDGER, or is not the reference implementation's, CMD
(a shell command that writes it, e.g. ``make verify SEED=1``) is run first, so a
framework's pass stands alone.
"""
from __future__ import annotations

import argparse
import html
import importlib
import importlib.util
import json
import pathlib
import re
import subprocess
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
    harness: list[str] = []  # failing in the reference ledger too: not the module's fault
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
        if c["verdict"] == "failed" and rv == "failed":
            harness.append(c["id"])
        elif c["verdict"] == "failed" and c["id"] not in known:
            unexpected.append(c["id"])
        # a difference that shows only for some root seeds (the generated inputs must hit
        # the divergent region) is not stale when this seed happens to miss it
        if c["id"] in known and c["verdict"] != "failed" and c["id"] not in seed_dependent:
            stale.append(c["id"])
    compare.harness = harness  # read by main(); the 3-tuple stays for callers
    return rows, unexpected, stale


# -- causes -----------------------------------------------------------------------------
_CITE = re.compile(r"\[([a-z0-9]+(?:-[a-z0-9]+)+)\]")
_REL = re.compile(r"Max relative difference among violations: ([0-9.eE+-]+|inf)")
KINDS = ("NaN", "overflow", "epsilon clipping", "underflow to zero", "shape of a distribution",
         "dtype/precision", "convention", "value far off", "other")


def kind_of(failure: str) -> str:
    """The kind of deviation a failure message shows (the first that applies): NaN where a
    number is due; overflow (inf computed); epsilon clipping (a finite value where inf is
    due, or the tell-tale 1e-7 / -ln 1e-7 = 16.118 of an epsilon); underflow to zero (0
    where a positive or tiny value is due); the shape of a distribution (a statistical
    test rejects it); dtype/precision (relative errors of float32's size); convention (an
    exact comparison that fails); a value far off (a larger relative error); other."""
    text = failure or ""
    low = text.lower()
    if "nan location mismatch" in low or re.search(r"(?<![a-z])nan(?![a-z])", low) \
            or re.search(r"stays finite|non-finite|not finite", low):
        return "NaN"
    if re.search(r"actual: array\(-?inf\)|overflow", low):
        return "overflow"
    if re.search(r"== -?inf\b|desired: array\(-?inf\)|\b1(\.0{4,}\d*)?e-0?7\b|16\.118|\bclip",
                 low):
        return "epsilon clipping"
    if re.search(r"(?<![a-z])-?inf(?![a-z])", low):
        return "overflow"
    if re.search(r"must stay positive|non-?zero|= -?0\.0[,) ]|exactly 0|underflow", low):
        return "underflow to zero"
    if any(w in low for w in ("kolmogorov", "chi-square", "binomial", "gaussian",
                               "distribution")):
        return "shape of a distribution"
    m = _REL.search(text)
    rel = float(m.group(1)) if m else None
    if "float32" in low or (rel is not None and 1e-10 < rel <= 1e-3):
        return "dtype/precision"
    if "arrays are not equal" in low or " == " in text or "convention" in low:
        return "convention"  # an exact comparison: a different choice, not rounding
    if rel is not None and rel > 1e-3:
        return "value far off"
    return "other"


def _failing(other: dict, ids) -> list[tuple[dict, dict]]:
    """(claim, its first failing check) for the claims ``ids``."""
    by_id = {c["id"]: c for c in other["claims"]}
    out = []
    for cid in ids:
        c = by_id.get(cid)
        if c is None:
            continue
        chk = next((k for k in c["checks"] if k.get("outcome") == "failed"), None) or \
            (c["checks"][0] if c["checks"] else {})
        out.append((c, chk))
    return out


def group_causes(other: dict, failed_ids, known: dict[str, str]) -> dict[str, list]:
    """Failures grouped three ways, largest group first: ``documented`` (the cause a known
    difference cites), ``kind`` (of deviation) and ``name`` (protocol names the failing
    checks called). Each group: (label, [claim ids], representative (claim, text))."""
    pairs = _failing(other, failed_ids)
    groups: dict[str, dict[str, list]] = {"documented": {}, "kind": {}, "name": {}}
    for c, chk in pairs:
        failure = chk.get("failure") or ""
        cites = _CITE.findall(known.get(c["id"], ""))
        fallback = "(documented, no claim cited)" if c["id"] in known else "(not documented)"
        for label in (cites[:1] or [fallback]):
            groups["documented"].setdefault(label, []).append((c["id"], failure))
        groups["kind"].setdefault(kind_of(failure), []).append((c["id"], failure))
        names = sorted({n for k in c["checks"] if k.get("outcome") == "failed"
                        for n in k.get("impl_names") or []}) or ["(no protocol call)"]
        for n in names:
            groups["name"].setdefault(n, []).append((c["id"], failure))
    out = {}
    for how, g in groups.items():
        out[how] = [(label, [cid for cid, _ in items], items[0])
                    for label, items in sorted(g.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    return out


def cause_lines(groups: dict[str, list], limit: int = 160) -> list[str]:
    titles = {"documented": "by documented cause (the claim a known difference cites)",
              "kind": "by kind of deviation", "name": "by protocol name"}
    lines = []
    for how in ("documented", "kind", "name"):
        if not groups.get(how):
            continue
        lines.append(f"  {titles[how]}:")
        for label, ids, (cid, failure) in groups[how]:
            example = " ".join(failure.split())[:limit]
            lines.append(f"    {label}: {len(ids)} claim(s), e.g. {cid}"
                         + (f" - {example}" if example else ""))
    return lines


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


def _usable_reference(ref: dict | None, other: dict) -> str | None:
    """Why ``ref`` cannot serve as the reference ledger for ``other`` (None: it can)."""
    if ref is None:
        return "missing"
    for key in ("seed", "profile"):
        if ref.get(key) != other.get(key):
            return f"made with {key} {ref.get(key)!r}, this pass with {other.get(key)!r}"
    return None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("ref")
    ap.add_argument("other")
    ap.add_argument("--known", default=None)
    ap.add_argument("--reference-command", default=None,
                    help="shell command that writes REF when it is missing or was made "
                         "with another seed or profile")
    a = ap.parse_args(argv)
    ref_path, other_path = pathlib.Path(a.ref), pathlib.Path(a.other)
    other = json.loads(other_path.read_text())
    ref = json.loads(ref_path.read_text()) if ref_path.is_file() else None
    why = _usable_reference(ref, other)
    if why and a.reference_command:
        print(f"reference ledger {ref_path}: {why}; running the reference pass: "
              f"{a.reference_command}", flush=True)
        subprocess.run(a.reference_command, shell=True, check=False)
        ref = json.loads(ref_path.read_text()) if ref_path.is_file() else None
        why = _usable_reference(ref, other)
    if why and ref is not None:
        print(f"note: the reference ledger {ref_path} was {why}: verdicts may differ by seed")
    mod = load_known(a.known) if a.known else None
    known = mod.KNOWN_DIFFERENCES if mod else {}
    seed_dependent = frozenset(getattr(mod, "SEED_DEPENDENT", ()))
    rows, unexpected, stale = compare(ref, other, known, seed_dependent,
                                      getattr(mod, "DECLARED", None))
    harness = list(compare.harness)
    md, page = render(rows, other.get("impl", "other"))
    versions = other.get("impl_versions") or {}
    if versions:  # what the implementation under test imported, for the record
        line = ", ".join(f"{k} {v}" for k, v in versions.items())
        md = md.replace("\n\n", f"\n\nImplementation's packages: {line}.\n\n", 1)
    failed = [c["id"] for c in other["claims"] if c["verdict"] == "failed"
              and c["id"] not in harness]
    groups = group_causes(other, failed, known)
    findings = other.get("impl_findings") or []
    conventions = other.get("impl_conventions") or {}
    extra = []
    if conventions:
        extra.append("Declared conventions: " + ", ".join(f"{k} = {v}" for k, v in
                                                          conventions.items()) + ".")
    for f in findings:
        extra.append(f"Finding about the implementation (`{f['claim']}`): {f['text']}.")
    if harness:
        extra.append("Failing in the reference ledger too (the harness's, not the "
                     "implementation's): " + ", ".join(f"`{h}`" for h in harness) + ".")
    if failed:
        extra.append("Failures grouped by cause (largest group first):\n\n```\n"
                     + "\n".join(cause_lines(groups)) + "\n```")
    if extra:
        md = md.rstrip("\n") + "\n\n" + "\n\n".join(extra) + "\n"
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
    impl = other.get("impl")
    print(f"side by side: {n_diff} claims differ; written to {other_path.parent}/side_by_side.md")
    if conventions.get("precision"):
        print(f"declared working precision: {conventions['precision']}")
    for f in findings:
        print(f"finding about {impl} ({f['claim']}): {f['text']}")
    if other.get("left_out"):
        print(f"left out (other implementations' own checks): {len(other['left_out'])} claims")
    for cid in harness:
        print(f"failing in the reference too (harness, not {impl}): {cid}")
    if failed:
        n_known = sum(c in known for c in failed)
        print(f"{len(failed)} claims fail under {impl} ({n_known} documented); causes:")
        for line in cause_lines(groups):
            print(line)
    for cid in unexpected:
        print(f"UNEXPECTED failure under {impl}: {cid}")
    for cid in stale:
        print(f"stale known difference (no longer fails): {cid}")
    return 1 if (unexpected or stale) else 0


if __name__ == "__main__":
    sys.exit(main())
