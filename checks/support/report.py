"""Renderings of the JSON ledger: the terminal table and the Markdown ledger."""
from __future__ import annotations

from theorems import section_key

SECTION_TITLES = {
    "1": "The perceptron: limits of linear models",
    "2": "Multilayer perceptrons: where non-linearity emerges",
    "3": "Training: loss, backpropagation, gradient descent",
    "4": "Training stability",
    "5": "Generalisation and regularisation",
    "6": "Wrapping up",
    "7": "Frameworks: where PyTorch's conventions differ from the article",
}

MARK = {"proved": "PROVED", "certified": "CERTIFIED", "supported": "SUPPORTED",
        "refuted": "REFUTED", "qualified": "QUALIFIED", "cited": "cited",
        "failed": "FAILED", "unverified": "unverified"}


def _by_section(data: dict) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = {}
    for c in data["claims"]:
        groups.setdefault(c["section"].split(".")[0], []).append(c)
    return sorted(groups.items(), key=lambda kv: section_key(kv[0]))


def _one_liner(c: dict, width: int = 70) -> str:
    if c["verdict"] == "cited":
        text = c.get("reason") or ""
    elif c["verdict"] == "unverified":
        skipped = [k.get("skip_reason") for k in c["checks"] if k.get("skip_reason")]
        text = skipped[0] if skipped else "no check ran (deselected)"
    elif c.get("counterexample"):
        text = "counterexample: " + c["counterexample"]
    else:
        text = "; ".join(c["evidence"][:2])
    return text if len(text) <= width else text[: width - 3] + "..."


def summary_lines(data: dict) -> list[str]:
    counts = ", ".join(f"{v} {k}" for k, v in data["counts"].items())
    wrong = [c["id"] for c in data["claims"] if c["verdict"] in ("refuted", "qualified")]
    failed = [c["id"] for c in data["claims"] if c["verdict"] == "failed"]
    lines = [f"{len(data['claims'])} claims: {counts}",
             f"seed {data['seed']}  profile {data['profile']}  impl {data['impl']}  "
             f"duration {data['duration_s']:.1f}s"]
    if wrong:
        lines.append("the article is wrong or imprecise in: " + ", ".join(wrong))
    if failed:
        lines.append("FAILED claims: " + ", ".join(failed))
    return lines


def terminal_lines(data: dict) -> list[str]:
    out: list[str] = []
    for sec, claims in _by_section(data):
        out.append(f"§{sec} {SECTION_TITLES.get(sec, '')}")
        for c in claims:
            out.append(f"  {c['section']:<5} {c['id']:<48} {MARK[c['verdict']]:<11} "
                       f"{_one_liner(c)}")
    out.append("")
    out += summary_lines(data)
    return out


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def ledger_markdown(data: dict) -> str:
    lines = ["# Verification ledger", ""]
    lines += [f"- {line}" for line in summary_lines(data)]
    lines += ["- versions: " + ", ".join(f"{k} {v}" for k, v in data["versions"].items()), ""]
    for sec, claims in _by_section(data):
        lines += [f"## §{sec} {SECTION_TITLES.get(sec, '')}", "",
                  "| § | claim | verdict | evidence |", "|---|---|---|---|"]
        for c in claims:
            lines.append(f"| {c['section']} | `{c['id']}`: {_md_escape(c['title'])} | "
                         f"**{MARK[c['verdict']]}** | {_md_escape(_one_liner(c, 160))} |")
        lines.append("")
        for c in claims:
            lines += [f"### `{c['id']}` ({c['section']}): {c['title']}", "",
                      f"**Verdict:** {MARK[c['verdict']]} (intended: {c['intended_verdict']})", "",
                      f"**Statement.** {c['statement']}", ""]
            if c["assumptions"]:
                lines += ["**Assumptions.** " + "; ".join(c["assumptions"]), ""]
            if c["counterexample"]:
                lines += [f"**Counterexample.** {c['counterexample']}", ""]
            if c["corrected_statement"]:
                lines += [f"**Corrected statement.** {c['corrected_statement']}", ""]
            if c["reason"]:
                lines += [f"**Note.** {c['reason']}", ""]
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
                    f"`{k['nodeid']}` ({k['outcome']})" for k in c["checks"]), ""]
    return "\n".join(lines) + "\n"
