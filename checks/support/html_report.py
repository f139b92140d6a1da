"""The verification report a reader opens: one self-contained HTML page.

Generated from the JSON ledger. Works offline: the stylesheet is inline, figures are
embedded as data URIs, nothing is fetched (no CDN, fonts or scripts). A one-screen summary
(counts per verdict, the claims the article gets wrong, seed, profile, duration,
versions) comes first; then one part per article section with each claim's statement,
colour-coded verdict, evidence, counterexample and corrected statement, tables and figures.
"""
from __future__ import annotations

import base64
import html
import pathlib

from theorems import section_key

from .report import MARK, SECTION_TITLES, _by_section

COLOURS = {"proved": "#1b7f3b", "certified": "#2a6fb0", "supported": "#4c8c2b",
           "refuted": "#b3261e", "qualified": "#c26a00", "cited": "#6b6b6b",
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
table{border-collapse:collapse;width:100%;margin:.5rem 0;background:#fff}
td,th{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:.92rem}
.claim{background:#fff;border:1px solid #ddd;border-radius:8px;padding:.8rem 1rem;margin:1rem 0}
.claim h3{margin:.1rem 0 .5rem;font-size:1.05rem}
.cex{background:#fdecea;border-left:4px solid #b3261e;padding:.4rem .6rem}
.fix{background:#fff4e5;border-left:4px solid #c26a00;padding:.4rem .6rem}
figure{margin:.6rem 0}figure img{max-width:100%;border:1px solid #eee}
figcaption{font-size:.85rem;color:#555}code{font-size:.88rem}
.small{font-size:.85rem;color:#555}ul{margin:.3rem 0}
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
    data = base64.b64encode(path.read_bytes()).decode()
    return (f'<figure><img alt="{_e(fig["caption"])}" src="data:image/png;base64,{data}">'
            f'<figcaption>{_e(fig["caption"])}</figcaption></figure>')


def _claim_html(c: dict, report_dir: pathlib.Path) -> str:
    parts = [f'<div class="claim" id="{_e(c["id"])}">',
             f'<h3>{badge(c["verdict"])} <code>{_e(c["id"])}</code> (§{_e(c["section"])}): '
             f'{_e(c["title"])}</h3>',
             f'<p><b>Statement.</b> {_e(c["statement"])}</p>']
    if c["verdict"] != c["intended_verdict"]:
        parts.append(f'<p class="small">intended verdict: {_e(c["intended_verdict"])}</p>')
    if c.get("assumptions"):
        parts.append("<p><b>Assumptions.</b> " + _e("; ".join(c["assumptions"])) + "</p>")
    if c.get("counterexample"):
        parts.append(f'<p class="cex"><b>Counterexample.</b> {_e(c["counterexample"])}</p>')
    if c.get("corrected_statement"):
        parts.append(f'<p class="fix"><b>Corrected statement.</b> '
                     f'{_e(c["corrected_statement"])}</p>')
    if c.get("reason"):
        parts.append(f'<p class="small"><b>Note.</b> {_e(c["reason"])}</p>')
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
        parts.append(_figure(report_dir, f))
    if c.get("checks"):
        parts.append('<details><summary class="small">checks</summary><ul class="small">'
                     + "".join(f"<li><code>{_e(k['nodeid'])}</code>: {_e(k['outcome'])}"
                               + (f" ({_e(k['skip_reason'])})" if k.get("skip_reason") else "")
                               + "</li>" for k in c["checks"]) + "</ul></details>")
    parts.append("</div>")
    return "\n".join(parts)


def summary_html(data: dict) -> str:
    counts = "".join(f"<span>{badge(k)} {v}</span>" for k, v in data["counts"].items())
    wrong = [c for c in data["claims"] if c["verdict"] in ("refuted", "qualified")]
    failed = [c for c in data["claims"] if c["verdict"] == "failed"]
    versions = ", ".join(f"{k} {v}" for k, v in data["versions"].items())
    out = ['<section class="summary" id="summary"><h2 style="margin-top:0">Summary</h2>',
           f'<p class="counts">{len(data["claims"])} claims: {counts}</p>',
           f'<p>seed <b>{_e(data["seed"])}</b> · profile <b>{_e(data["profile"])}</b> · '
           f'implementation <b>{_e(data["impl"])}</b> · duration <b>{data["duration_s"]:.1f} s</b>'
           f' · generated {_e(data.get("generated", ""))}</p>',
           f'<p class="small">versions: {_e(versions)}</p>']
    if failed:
        out.append("<p><b>Failed checks:</b> " + ", ".join(
            f'<a href="#{_e(c["id"])}">{_e(c["id"])}</a>' for c in failed) + "</p>")
    if wrong:
        out.append("<p><b>Where the article is wrong or imprecise:</b></p><ul>" + "".join(
            f'<li>{badge(c["verdict"])} <a href="#{_e(c["id"])}"><code>{_e(c["id"])}</code></a>'
            f' (§{_e(c["section"])}): {_e(c["title"])}</li>' for c in wrong) + "</ul>")
    out.append("</section>")
    return "\n".join(out)


def render_html(data: dict, report_dir: pathlib.Path, extra_sections: list[str] = ()) -> str:
    body = [summary_html(data)]
    toc = []
    for sec, claims in _by_section(data):
        title = f"§{sec} {SECTION_TITLES.get(sec, '')}"
        toc.append(f'<a href="#section-{sec}">{_e(title)}</a>')
        rows = "".join(
            f'<tr><td>{_e(c["section"])}</td><td><a href="#{_e(c["id"])}">{_e(c["title"])}</a>'
            f'</td><td>{badge(c["verdict"])}</td></tr>' for c in claims)
        body.append(f'<section class="article-section" id="section-{sec}"><h2>{_e(title)}</h2>'
                    f"<table><tr><th>§</th><th>claim</th><th>verdict</th></tr>{rows}</table>"
                    + "".join(_claim_html(c, report_dir) for c in
                              sorted(claims, key=lambda c: (section_key(c["section"]), c["id"])))
                    + "</section>")
    body += list(extra_sections)
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            "<title>Verification report</title>"
            f"<style>{CSS}</style></head><body><main>"
            "<h1>Verification report: the mathematics of deep learning, claim by claim</h1>"
            f'<nav class="small">{" · ".join(toc)}</nav>'
            + "\n".join(body) + "</main></body></html>\n")
