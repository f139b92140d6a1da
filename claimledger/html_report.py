"""The verification report a reader opens: one self-contained HTML page.

Generated from the JSON ledger. Works offline: the stylesheet is inline, figures are
PNG files of the report directory referenced once each (``figures/NAME.png``), nothing is
fetched (no CDN, fonts or scripts). A one-screen summary (counts per verdict and per
earned rung, the material findings about each package's source grouped by section with
who is misled into what, the imprecise ones apart, failures with their reason and
reproduce command, seed, profile, duration, versions) comes first; then one part per
section with each claim's statement, the source's paragraph it rests on (read from the
source text at run time, when the file is present), colour-coded verdict and earned
rung, evidence with each check's kind, counterexample and corrected statement, tables and
figures.
"""
from __future__ import annotations

import html
import pathlib

from .report import (MARK, _by_section, _ordered_counts, failure_of, material_findings,
                     optional_lines, origin_label, rung_tag, section_heading, source_name,
                     why_not_run)

COLOURS = {"proved": "#1b7f3b", "certified": "#2a6fb0", "supported": "#4c8c2b",
           "refuted": "#b3261e", "qualified": "#c26a00", "imprecise": "#7a6a00",
           "cited": "#6b6b6b",
           "failed": "#ffffff", "unverified": "#555555"}
BACKGROUNDS = {"failed": "#b3261e", "unverified": "#e0e0e0"}

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:0;
color:#1d1d1d;background:#fafafa;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:1.5rem}
h1{margin:.2rem 0 1rem}h2{border-bottom:2px solid #ddd;padding-bottom:.3rem;margin-top:2.5rem}
.summary{background:#fff;border:1px solid #ddd;border-radius:8px;padding:1rem 1.2rem}
.counts span{display:inline-block;margin:.2rem .6rem .2rem 0}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:4px;font-weight:600;
font-size:.85rem;border:1px solid currentColor}
table{border-collapse:collapse;width:100%;margin:.5rem 0;background:#fff;display:block;
overflow-x:auto;max-width:100%}
td,th{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:.92rem}
.claim{background:#fff;border:1px solid #ddd;border-radius:8px;padding:.8rem 1rem;margin:1rem 0}
.claim h3{margin:.1rem 0 .5rem;font-size:1.05rem}
.cex{background:#fdecea;border-left:4px solid #b3261e;padding:.4rem .6rem}
.fix{background:#fff4e5;border-left:4px solid #c26a00;padding:.4rem .6rem}
figure{margin:.6rem 0}figure img{max-width:100%;border:1px solid #eee}
figcaption{font-size:.85rem;color:#555}code{font-size:.88rem}
.small{font-size:.85rem;color:#555}ul{margin:.3rem 0}
.article{background:#f3f3f7;border-left:4px solid #8a8ab5;padding:.4rem .6rem;
font-size:.9rem;overflow-wrap:anywhere}
.misled{background:#fdecea;padding:.3rem .6rem}
.fail{background:#fdecea;border:1px solid #b3261e;padding:.4rem .6rem;overflow-wrap:anywhere}
code{overflow-wrap:anywhere}a{overflow-wrap:anywhere}
.rung{font-size:.8rem;color:#333;border:1px dashed #999;border-radius:4px;padding:0 .3rem}
@media (max-width:600px){main{padding:.6rem}td,th{font-size:.8rem;padding:.2rem}
.claim{padding:.5rem .6rem}h1{font-size:1.3rem}}
"""


def _e(text) -> str:
    return html.escape(str(text))


def badge(verdict: str) -> str:
    fg, bg = COLOURS.get(verdict, "#000"), BACKGROUNDS.get(verdict, "transparent")
    return (f'<span class="badge verdict-{verdict}" style="color:{fg};background:{bg}">'
            f"{_e(MARK.get(verdict, verdict))}</span>")


def _figure(report_dir: pathlib.Path, fig: dict) -> str:
    path = report_dir / fig["path"]
    if not path.is_file():
        return (f'<p class="missing-figure">figure {_e(fig["path"])} was not produced '
                "in this run</p>")
    return (f'<figure id="{_e(_fig_anchor(fig))}"><img alt="{_e(fig["caption"])}" '
            f'src="{_e(fig["path"])}"><figcaption>{_e(fig["caption"])}</figcaption></figure>')


def _fig_anchor(fig: dict) -> str:
    return "figure-" + pathlib.PurePosixPath(fig["path"]).stem


def _source_paragraph(c: dict, data: dict, texts: dict | None) -> str:
    """The paragraph of the claim's source it rests on; ``texts``: package -> sections."""
    secs = (texts or {}).get(c.get("package"))
    if not secs or not c.get("paragraph"):
        return ""
    from claimledger.source import paragraph

    text = paragraph(secs, c["section"], c["paragraph"])
    if text is None:
        return ""
    return (f'<blockquote class="article"><span class="small">{_e(source_name(data, c.get("package")))}, '
            f'§{_e(c["section"])} paragraph {c["paragraph"]}:</span><br>{_e(text)}'
            "</blockquote>")


def _claim_html(c: dict, report_dir: pathlib.Path, data: dict, texts: dict | None = None,
                shown: set | None = None) -> str:
    """One claim; a figure already shown with an earlier claim is linked, not repeated."""
    shown = set() if shown is None else shown
    tag = rung_tag(c)
    origin = origin_label(data, c)
    parts = [f'<div class="claim" id="{_e(c["id"])}">',
             f'<h3>{badge(c["verdict"])} ' + (f'<span class="rung">{_e(tag)}</span> '
                                               if tag else "")
             + f'<code>{_e(c["id"])}</code> (§{_e(c["section"])}): {_e(c["title"])}</h3>']
    if origin:
        parts.append(f'<p class="small">{_e(origin)}</p>')
    parts.append(_source_paragraph(c, data, texts))
    parts.append(f'<p><b>Statement.</b> {_e(c["statement"])}</p>')
    if c["verdict"] != c["intended_verdict"]:
        parts.append(f'<p class="small">declared verdict: {_e(c["intended_verdict"])}</p>')
    if c["verdict"] == "failed":
        why, cmd = failure_of(c)
        parts.append(f'<p class="fail"><b>Why it failed.</b> {_e(why)}'
                     + (f"<br><b>Reproduce:</b> <code>{_e(cmd)}</code>" if cmd else "")
                     + "</p>")
    if c["verdict"] == "unverified":
        parts.append(f'<p class="small"><b>Not verified:</b> {_e(why_not_run(c))}</p>')
    if c.get("misled"):
        parts.append(f'<p class="misled"><b>Who is misled.</b> {_e(c["misled"])}</p>')
    if c.get("assumptions"):
        parts.append("<p><b>Assumptions.</b> " + _e("; ".join(c["assumptions"])) + "</p>")
    if c.get("counterexample"):
        parts.append(f'<p class="cex"><b>Counterexample.</b> {_e(c["counterexample"])}</p>')
    if c.get("corrected_statement"):
        parts.append(f'<p class="fix"><b>Corrected statement.</b> '
                     f'{_e(c["corrected_statement"])}</p>')
    if c.get("reason"):
        label = "Why cited" if c["intended_verdict"] == "cited" else "Note"
        parts.append(f'<p class="small"><b>{label}.</b> {_e(c["reason"])}</p>')
    if c.get("note"):
        parts.append(f'<p class="small"><b>Note.</b> {_e(c["note"])}</p>')
    if c.get("depends_on"):
        links = ", ".join(f'<a href="#{_e(d)}"><code>{_e(d)}</code></a>' for d in c["depends_on"])
        parts.append(f"<p><b>Restates.</b> {links}</p>")
    if c.get("evidence"):
        parts.append("<p><b>Evidence.</b></p><ul>"
                     + "".join(f"<li>{_e(e)}</li>" for e in c["evidence"]) + "</ul>")
    for t in c.get("tables", []):
        head = "".join(f"<th>{_e(h)}</th>" for h in t["header"])
        rows = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in r) + "</tr>"
                       for r in t["rows"])
        parts.append(f'<p><b>{_e(t["title"])}</b></p><table><tr>{head}</tr>{rows}</table>')
    for f in c.get("figures", []):
        if f["path"] in shown:
            parts.append(f'<p class="small">Figure: <a href="#{_e(_fig_anchor(f))}">'
                         f'{_e(f["caption"])}</a> (shown above)</p>')
        else:
            shown.add(f["path"])
            parts.append(_figure(report_dir, f))
    if c.get("checks"):
        parts.append('<details><summary class="small">checks</summary><ul class="small">'
                     + "".join(f"<li><code>{_e(k['nodeid'])}</code> "
                               f"[{_e(k.get('kind') or '?')}"
                               + (f", {_e(k['scope'])}" if k.get("scope") not in
                                  (None, "whole") else "")
                               + (f", {_e(k['target'])}" if k.get("target") not in
                                  (None, "statement") else "")
                               + f"]: {_e(k['outcome'])}"
                               + (f" ({_e(k['skip_reason'])})" if k.get("skip_reason") else "")
                               + "</li>" for k in c["checks"]) + "</ul></details>")
    parts.append("</div>")
    return "\n".join(parts)


def summary_html(data: dict) -> str:
    counts = "".join(f"<span>{badge(k)} {v}</span>" for k, v in _ordered_counts(data["counts"]))
    earned = data.get("earned_counts") or {}
    failed = [c for c in data["claims"] if c["verdict"] == "failed"]
    imprecise = [c for c in data["claims"] if c["verdict"] == "imprecise"]
    versions = ", ".join(f"{k} {v}" for k, v in data["versions"].items())
    out = ['<section class="summary" id="summary"><h2 style="margin-top:0">Summary</h2>',
           f'<p class="counts">{len(data["claims"])} claims: {counts}</p>']
    if earned:
        n = sum(earned.values())
        top = earned.get("proved", 0) + earned.get("certified", 0)
        out.append(f"<p>Earned by the passing checks of the {n} non-cited claims: "
                   + ", ".join(f"{earned[k]} {k}" for k in
                               ("proved", "certified", "supported", "none") if earned.get(k))
                   + (f" ({100 * top / n:.0f} % proved or certified)" if n else "") + "</p>")
    out += [f'<p>seed <b>{_e(data["seed"])}</b> · profile <b>{_e(data["profile"])}</b> · '
            f'implementation <b>{_e(data["impl"])}</b> · duration <b>{data["duration_s"]:.1f} s</b>'
            f' · generated {_e(data.get("generated", ""))}</p>',
            f'<p class="small">versions: {_e(versions)}</p>']
    problems = data.get("problems", [])
    if problems:
        out.append(f'<div class="fail"><b>Usage error ({len(problems)}):</b> claims declared '
                   "above the rung their passing checks earn, or without a check of their "
                   "counterexample; the run fails.<ul>"
                   + "".join(f"<li>{_e(p)}</li>" for p in problems[:5])
                   + (f"<li>... and {len(problems) - 5} more</li>" if len(problems) > 5 else "")
                   + "</ul></div>")
    if failed:
        out.append("<p><b>Failed:</b></p><ul>" + "".join(
            f'<li><a href="#{_e(c["id"])}"><code>{_e(c["id"])}</code></a>: '
            f"{_e(failure_of(c)[0][:300])}</li>" for c in failed) + "</ul>")
    findings = material_findings(data)
    for pkg in dict.fromkeys(c.get("package") for c in findings):
        mine = [c for c in findings if c.get("package") == pkg]
        out.append(f"<h3>Where {_e(source_name(data, pkg))} is wrong ({len(mine)} material "
                   "findings)</h3>")
        for (p, sec), group in _by_section(data, mine):
            out.append(f"<p><b>{_e(section_heading(data, p, sec))}</b></p><ul>" + "".join(
                f'<li>{badge(c["verdict"])} <a href="#{_e(c["id"])}"><code>{_e(c["id"])}'
                f'</code></a>: {_e(c.get("misled") or c["title"])}</li>' for c in group)
                + "</ul>")
    if imprecise:
        out.append(f'<p class="small"><b>Imprecise wording, intended meaning right '
                   f'({len(imprecise)}):</b> ' + ", ".join(
                       f'<a href="#{_e(c["id"])}">{_e(c["id"])}</a>' for c in imprecise)
                   + "</p>")
    for line in optional_lines(data):
        out.append(f'<p class="small">{_e(line)}</p>')
    out.append("</section>")
    return "\n".join(out)


def _sources(data: dict) -> str:
    names = [p.get("source") or p["name"] for p in data.get("packages") or []]
    return " and ".join(names) or "the claims"


def render_html(data: dict, report_dir: pathlib.Path, extra_sections: list = (),
                texts: dict | None = None, title: str = "Verification report") -> str:
    """``extra_sections``: (anchor id, title, html) of the parts after the ledger;
    ``texts``: package -> its source's sections (the paragraphs shown beside claims)."""
    body = [summary_html(data)]
    shown: set[str] = set()
    toc = ['<a href="#summary">Summary</a>']
    several = len(data.get("packages") or []) > 1
    for (pkg, sec), claims in _by_section(data):
        title_ = section_heading(data, pkg, sec)
        anchor = f"section-{pkg}-{sec}" if several else f"section-{sec}"
        toc.append(f'<a href="#{_e(anchor)}">{_e(title_)}</a>')
        rows = "".join(
            f'<tr><td>{_e(c["section"])}</td><td><a href="#{_e(c["id"])}">{_e(c["title"])}</a>'
            f'</td><td>{badge(c["verdict"])}</td><td class="small">{_e(rung_tag(c))}</td></tr>'
            for c in claims)
        body.append(f'<section class="article-section" id="{_e(anchor)}"><h2>{_e(title_)}</h2>'
                    "<table><tr><th>§</th><th>claim</th><th>verdict</th><th>earned</th></tr>"
                    f"{rows}</table>"
                    + "".join(_claim_html(c, report_dir, data, texts, shown) for c in claims)
                    + "</section>")
    for anchor, title, part in extra_sections:
        toc.append(f'<a href="#{_e(anchor)}">{_e(title)}</a>')
        body.append(part)
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            f"<title>{_e(title)}</title>"
            f"<style>{CSS}</style></head><body><main>"
            f"<h1>{_e(title)}: {_e(_sources(data))}, claim by claim</h1>"
            f'<nav class="small">{" · ".join(toc)}</nav>'
            + "\n".join(body) + "</main></body></html>\n")
