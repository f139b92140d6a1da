"""Renderings of the JSON ledger: the terminal table, its closing summary, and Markdown.

The summary a reader sees last answers "what is true here": counts in rung order
(proved, certified, supported, then the findings, then cited and unverified), the rung
the checks *earned* for every non-cited claim, the material findings about each
package's source (refuted and qualified statements of the source, grouped by section,
one line each on who is misled into what), the imprecise ones apart, failures with their
message and reproduce command, and one line for each optional part that did not run.
Section titles, the source's name and the origins' labels come from the ledger's
``packages`` (the run's ``[tool.claimledger]`` configuration).

``python -m claimledger.report LEDGER.json`` prints that summary again.
"""
from __future__ import annotations

import sys
import textwrap

ORDER = ("proved", "certified", "supported", "refuted", "qualified", "imprecise", "cited",
         "failed", "unverified")
MARK = {"proved": "PROVED", "certified": "CERTIFIED", "supported": "SUPPORTED",
        "refuted": "REFUTED", "qualified": "QUALIFIED", "imprecise": "imprecise",
        "cited": "cited", "failed": "FAILED", "unverified": "unverified"}
MATERIAL = ("refuted", "qualified")
WIDTH = 100
ID_COL = 50


def packages(data: dict) -> dict[str, dict]:
    """name -> package metadata (sections, source, origins) of a ledger."""
    return {p["name"]: p for p in data.get("packages") or []}


def section_heading(data: dict, package: str | None, sec: str) -> str:
    """'§2 Multilayer perceptrons', prefixed by the package name when the ledger holds
    several packages."""
    pk = packages(data)
    title = (pk.get(package) or {}).get("sections", {}).get(sec, "")
    prefix = f"{package} " if len(pk) > 1 and package else ""
    return f"{prefix}§{sec} {title}".rstrip()


def source_name(data: dict, package: str | None) -> str:
    return (packages(data).get(package) or {}).get("source") or "the source"


def origin_label(data: dict, c: dict) -> str:
    """'the harness's own corollary' for a claim that is not a statement of its source."""
    if is_source_statement(c):
        return ""
    spec = (packages(data).get(c.get("package")) or {}).get("origins", {}).get(c.get("origin"))
    return (spec or {}).get("label") or str(c.get("origin") or "")


def is_source_statement(c: dict) -> bool:
    """Is the claim a statement of its package's source (so a finding about it)?"""
    if "finding_of_source" in c:
        return bool(c["finding_of_source"])
    return c.get("origin", "article") == "article"  # ledgers written before packages


def _by_section(data: dict, claims: list[dict] | None = None
                ) -> list[tuple[tuple[str | None, str], list[dict]]]:
    """((package, top-level section), claims) in the ledger's reading order."""
    groups: dict[tuple[str | None, str], list[dict]] = {}
    for c in data["claims"] if claims is None else claims:
        groups.setdefault((c.get("package"), c["section"].split(".")[0]), []).append(c)
    return list(groups.items())


def _ordered_counts(counts: dict) -> list[tuple[str, int]]:
    return [(k, counts[k]) for k in ORDER if counts.get(k)] + \
        [(k, v) for k, v in counts.items() if k not in ORDER and v]


def _shorten(text: str, width: int) -> str:
    """Cut at a word boundary, never mid-word."""
    text = " ".join(str(text).split())
    return text if len(text) <= width else textwrap.shorten(text, width, placeholder=" ...")


def why_not_run(c: dict) -> str:
    skipped = [k.get("skip_reason") for k in c["checks"] if k.get("skip_reason")]
    if skipped:
        return skipped[0]
    not_run = c.get("not_run") or []
    if not_run:
        first = not_run[0]
        more = f" (+{len(not_run) - 1} more)" if len(not_run) > 1 else ""
        if "deselected" in first and "not collected" not in first:
            return f"{len(not_run)} check(s) deselected: {first.split('::')[-1]}{more}"
        return f"not collected: {first.split('::')[0]}{more}"
    return "no check of this claim was collected"


def failure_of(c: dict) -> tuple[str, str | None]:
    """(why the claim failed, the command that reproduces it)."""
    if c.get("problem"):
        return c["problem"], None
    for k in c["checks"]:
        if k["outcome"] == "failed":
            return (k.get("failure") or "check failed"), k.get("reproduce")
    return "a claim it restates failed", None


def one_liner(c: dict, width: int = 70) -> str:
    v = c["verdict"]
    if v == "cited":
        text = c.get("reason") or ""
    elif v == "unverified":
        text = why_not_run(c)
    elif v == "failed":
        text = failure_of(c)[0]
    elif c.get("depends_on") and not c["checks"]:
        text = "restates " + ", ".join(c["depends_on"])
    elif c.get("counterexample"):
        text = "counterexample: " + c["counterexample"]
    else:
        text = "; ".join(c["evidence"][:2])
    return _shorten(text, width)


def rung_tag(c: dict) -> str:
    """What the passing checks earned, e.g. 'earned proved' or 'corrected: supported'."""
    if c["intended_verdict"] == "cited":
        return ""
    if c["intended_verdict"] in ("refuted", "qualified", "imprecise"):
        return f"fix:{c.get('corrected_earned') or '-'}"
    return f"earned:{c.get('earned') or '-'}"


def claim_lines(c: dict, section_width: int = 5) -> list[str]:
    head = f"  {c['section']:<{section_width}} "
    verdict = f"{MARK[c['verdict']]:<11} {rung_tag(c):<16} "
    if len(c["id"]) > ID_COL:  # long ids get their own line; the columns stay aligned
        return [head + c["id"],
                " " * len(head) + " " * (ID_COL + 1) + verdict + one_liner(c, 60)]
    return [head + f"{c['id']:<{ID_COL}} " + verdict + one_liner(c, 60)]


def selected(data: dict) -> list[dict]:
    """The claims a ``--claim`` run selected (all claims when there was no selection)."""
    wanted = set(data.get("claim_filter") or ())
    return [c for c in data["claims"] if not wanted or c["id"] in wanted]


def terminal_lines(data: dict) -> list[str]:
    out: list[str] = []
    shown = selected(data)
    width = max([5] + [len(c["section"]) for c in shown])
    for (pkg, sec), claims in _by_section(data, shown):
        out.append(section_heading(data, pkg, sec))
        for c in claims:
            out += claim_lines(c, width)
    rest = len(data["claims"]) - len(shown)
    if rest:
        out.append(f"  ... and {rest} other claims, not selected by --claim "
                   f"({', '.join(data['claim_filter'])}): unverified in this run")
    out.append("")
    out += summary_lines(data)
    return out


def material_findings(data: dict) -> list[dict]:
    return [c for c in data["claims"] if c["verdict"] in MATERIAL and is_source_statement(c)]


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "    ",
                         break_on_hyphens=False, break_long_words=False) or [indent]


def summary_lines(data: dict) -> list[str]:
    claims = data["claims"]
    counts = ", ".join(f"{v} {k}" for k, v in _ordered_counts(data["counts"]))
    lines = [f"{len(claims)} claims: {counts}"]
    if data.get("claim_filter"):
        shown = selected(data)
        sc = ", ".join(f"{v} {k}" for k, v in _ordered_counts(
            _count(c["verdict"] for c in shown)))
        lines[0] = (f"{len(shown)} selected claim(s): {sc}; "
                    f"{len(claims) - len(shown)} others not selected (unverified)")
    earned = data.get("earned_counts") or {}
    if earned:
        rungs = [(k, earned.get(k, 0)) for k in ("proved", "certified", "supported", "none")]
        non_cited = sum(earned.values())
        top = earned.get("proved", 0) + earned.get("certified", 0)
        lines.append(f"earned by the passing checks of the {non_cited} non-cited claims: "
                     + ", ".join(f"{v} {k}" for k, v in rungs if v)
                     + (f" ({100 * top / non_cited:.0f} % proved or certified)"
                        if non_cited else ""))
    lines.append(f"seed {data['seed']}  profile {data['profile']}  impl {data['impl']}  "
                 f"duration {data['duration_s']:.1f}s")
    findings = material_findings(data)
    for pkg in dict.fromkeys(c.get("package") for c in findings):
        mine = [c for c in findings if c.get("package") == pkg]
        lines += ["", f"Where {source_name(data, pkg)} is wrong ({len(mine)} material "
                  "findings; who is misled into what):"]
        for (p, sec), group in _by_section(data, mine):
            lines.append("  " + section_heading(data, p, sec))
            for c in group:
                lines += _wrap(f"{c['id']} ({c['verdict']}): "
                               f"{c.get('misled') or c['title']}", "    ")
    imprecise = [c for c in claims if c["verdict"] == "imprecise"]
    if imprecise:
        lines += [""] + _wrap(f"Imprecise wording, intended meaning right ({len(imprecise)}): "
                              + ", ".join(c["id"] for c in imprecise), "")
    failed = [c for c in claims if c["verdict"] == "failed"]
    if failed:
        lines += ["", f"FAILED ({len(failed)}):"]
        for c in failed:
            why, cmd = failure_of(c)
            why = why.removeprefix(f"claim {c['id']} ")
            lines += _wrap(f"{c['id']}: {_shorten(why, 300)}", "  ")
            if cmd:
                lines.append(f"    reproduce: {cmd}")
    if data.get("problems"):
        lines.append(f"USAGE ERROR: {len(data['problems'])} claim(s) declared above the rung "
                     "their passing checks earn, or without a check of their counterexample "
                     "(listed under FAILED); the run fails")
    lines += optional_lines(data)
    return lines


def _count(values) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


def optional_lines(data: dict) -> list[str]:
    """One line per optional part that did not run (the configuration's ``optional``:
    a skip reason's telltale -> how to run it), saying how to run it."""
    out = []
    for telltale, how in (data.get("optional") or {}).items():
        hit = [c for c in data["claims"] if c["verdict"] == "unverified"
               and any(telltale in (k.get("skip_reason") or "") for k in c["checks"])]
        if hit:
            tops = {c["section"].split(".")[0] for c in hit}
            where = f" §{tops.pop()}" if len(tops) == 1 else ""
            out.append(f"not run: {len(hit)}{where} claims ({telltale}); run them with `{how}`")
    return out


def _md_escape(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def ledger_markdown(data: dict) -> str:
    lines = ["# Verification ledger", ""]
    lines += ["```", *summary_lines(data), "```", ""]
    lines += ["- versions: " + ", ".join(f"{k} {v}" for k, v in data["versions"].items()), ""]
    for (pkg, sec), claims in _by_section(data):
        lines += [f"## {section_heading(data, pkg, sec)}", "",
                  "| § | claim | verdict | earned | evidence |", "|---|---|---|---|---|"]
        for c in claims:
            lines.append(f"| {c['section']} | `{c['id']}`: {_md_escape(c['title'])} | "
                         f"**{MARK[c['verdict']]}** | {rung_tag(c)} | "
                         f"{_md_escape(one_liner(c, 160))} |")
        lines.append("")
        for c in claims:
            lines += _claim_markdown(c, data)
    return "\n".join(lines) + "\n"


def _claim_markdown(c: dict, data: dict | None = None) -> list[str]:
    where = f"§{c['section']}" + (f", paragraph {c['paragraph']}" if c.get("paragraph") else "")
    label = origin_label(data or {}, c)
    origin = f" ({label})" if label else ""
    lines = [f"### `{c['id']}` ({where}): {c['title']}", "",
             f"**Verdict:** {MARK[c['verdict']]} (declared: {c['intended_verdict']}; "
             f"{rung_tag(c) or 'not checked'}){origin}", "",
             f"**Statement.** {c['statement']}", ""]
    if c["verdict"] == "failed":
        why, cmd = failure_of(c)
        lines += [f"**Why it failed.** {why}", ""]
        if cmd:
            lines += [f"**Reproduce.** `{cmd}`", ""]
    if c["verdict"] == "unverified":
        lines += [f"**Not verified.** {why_not_run(c)}", ""]
    if c.get("misled"):
        lines += [f"**Who is misled.** {c['misled']}", ""]
    if c["assumptions"]:
        lines += ["**Assumptions.** " + "; ".join(c["assumptions"]), ""]
    if c["counterexample"]:
        lines += [f"**Counterexample.** {c['counterexample']}", ""]
    if c["corrected_statement"]:
        lines += [f"**Corrected statement.** {c['corrected_statement']}", ""]
    if c["reason"]:
        lines += [f"**Why cited.** {c['reason']}" if c["intended_verdict"] == "cited"
                  else f"**Note.** {c['reason']}", ""]
    if c.get("note"):
        lines += [f"**Note.** {c['note']}", ""]
    if c.get("depends_on"):
        lines += ["**Restates.** " + ", ".join(f"`{d}`" for d in c["depends_on"]), ""]
    for t in c.get("tables", []):
        lines += [f"*{t['title']}*", "", "| " + " | ".join(t["header"]) + " |",
                  "|" + "---|" * len(t["header"])]
        lines += ["| " + " | ".join(r) + " |" for r in t["rows"]]
        lines.append("")
    for f in c.get("figures", []):
        lines += [f"![{f['caption']}]({f['path']})", "", f"*{f['caption']}*", ""]
    if c["evidence"]:
        lines += ["**Evidence.**", ""] + [f"- {_md_escape(e)}" for e in c["evidence"]]
        lines.append("")
    if c["checks"]:
        lines += ["**Checks.** " + ", ".join(
            f"`{k['nodeid']}` ({k.get('kind') or '?'}"
            + (f", {k['scope']}" if k.get("scope") not in (None, "whole") else "")
            + (f", {k['target']}" if k.get("target") not in (None, "statement") else "")
            + f": {k['outcome']})" for k in c["checks"]), ""]
    return lines


def findings_markdown(data: dict) -> str:
    """The material findings as a Markdown table grouped by section (for docs/findings.md), then
    the imprecise ones in one line."""
    lines = ["| § | claim | verdict | who is misled into what |", "|---|---|---|---|"]
    for _sec, group in _by_section(data, material_findings(data)):
        for c in group:
            lines.append(f"| {c['section']} | `{c['id']}` | {c['verdict']} | "
                         f"{_md_escape(c.get('misled') or c['title'])} |")
    imprecise = [c for c in data["claims"] if c["verdict"] == "imprecise"]
    if imprecise:
        lines += ["", f"Imprecise ({len(imprecise)}; wording, rounding or scope, intended "
                  "meaning right): " + ", ".join(f"`{c['id']}`" for c in imprecise) + "."]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    import json

    args = [a for a in argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        print("usage: python -m claimledger.report LEDGER.json [--findings-md]",
              file=sys.stderr)
        return 2
    data = json.loads(open(args[0], encoding="utf-8").read())
    if "--findings-md" in argv:
        print(findings_markdown(data), end="")
    else:
        print("\n".join(summary_lines(data)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
