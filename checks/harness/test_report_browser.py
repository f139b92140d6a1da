"""The report as a reader sees it: rendered by headless Chromium.

Run by ``make test`` after the main run, with ``--report-under-test reports`` pointing at
that run's report. Asserts that the summary, every article section of the ledger and
every figure the ledger lists are present, that every image decoded (nothing failed to
load), and that the page references nothing outside itself.
"""
from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.harness

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars"]

PROBE = """<script>
window.addEventListener('load', function () {
  var imgs = Array.prototype.slice.call(document.images);
  var out = {images: imgs.length,
             broken: imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); })
                         .map(function (i) { return i.alt; }),
             sections: Array.prototype.map.call(document.querySelectorAll('section.article-section'),
                                                function (s) { return s.id; }),
             summary: !!document.getElementById('summary')};
  var pre = document.createElement('pre'); pre.id = 'probe';
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
});
</script>"""


@pytest.fixture(scope="module")
def report(request):
    where = request.config.getoption("report_under_test")
    if not where:
        pytest.skip("no --report-under-test given (make test passes the main run's report)")
    d = pathlib.Path(where)
    if not d.is_absolute():
        d = pathlib.Path(request.config.rootpath) / d
    return d, json.loads((d / "ledger.json").read_text())


@pytest.fixture(scope="module")
def chromium():
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.fail("chromium is not installed; `make browser` installs Debian's chromium")
    return exe


def _copy_with_figures(d, tmp_path, name: str, probe: str):
    """The report with a probe script, beside a copy of its figures (the report itself
    stays script-free)."""
    page = tmp_path / name
    page.write_text((d / "report.html").read_text().replace("</body>", probe + "</body>"))
    for f in (d / "figures").glob("*.png"):
        (tmp_path / "figures").mkdir(exist_ok=True)
        (tmp_path / "figures" / f.name).write_bytes(f.read_bytes())
    return page


def _run(chromium, tmp_path, *args, timeout=90):
    profile = tmp_path / "profile"
    return subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=timeout)


def test_report_references_nothing_outside_its_directory(report):
    d, _ = report
    page = (d / "report.html").read_text()
    refs = re.findall(r"""(?:src|href)\s*=\s*["'](?!#|data:)([^"']+)""", page)
    outside = [r for r in refs if "://" in r or r.startswith(("/", "..")) or
               not (d / r).is_file()]
    assert outside == [], f"report fetches resources outside its directory: {outside[:5]}"
    assert all(r.startswith("figures/") for r in refs), refs[:5]
    assert len(refs) == len(set(refs)), "a figure is stored or referenced more than once"
    assert "<script" not in page, "the report itself needs no scripts"


def test_report_renders_summary_sections_and_figures(report, chromium, tmp_path):
    d, ledger = report
    probe_page = _copy_with_figures(d, tmp_path, "report_probe.html", PROBE)
    dom = _run(chromium, tmp_path, "--virtual-time-budget=10000", "--dump-dom",
               probe_page.as_uri())
    m = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout, re.S)
    assert m, f"the page did not load: {dom.stderr[-800:]}"
    probe = json.loads(m.group(1).replace("&quot;", '"'))
    assert probe["summary"], "summary missing"
    sections = sorted({c["section"].split(".")[0] for c in ledger["claims"]})
    assert sorted(s.removeprefix("section-") for s in probe["sections"]) == sections
    figures = {f["caption"] for c in ledger["claims"] for f in c.get("figures", [])}
    assert probe["images"] >= len(figures), (probe["images"], len(figures))
    assert probe["broken"] == [], f"images failed to load: {probe['broken']}"
    text = dom.stdout
    for c in ledger["claims"]:
        assert f'id="{c["id"]}"' in text, f"claim {c['id']} missing from the page"
    for cap in figures:
        assert f'alt="{cap}"' in text or cap in text, f"figure {cap!r} missing"


@pytest.mark.parametrize("width, height", [(1200, 1600), (390, 844)], ids=["desktop", "phone"])
def test_report_screenshot_shows_a_page(report, chromium, tmp_path, width, height):
    d, _ = report
    shot = d / f"report-screenshot-{width}.png"
    res = _run(chromium, tmp_path, f"--screenshot={shot}", f"--window-size={width},{height}",
               (d / "report.html").as_uri())
    assert shot.is_file() and shot.stat().st_size > 20_000, res.stderr[-800:]


WIDTH_PROBE = """<script>
window.addEventListener('load', function () {
  var wide = Array.prototype.filter.call(document.querySelectorAll('main *'), function (e) {
    return e.getBoundingClientRect().right > window.innerWidth + 1 &&
           !e.closest('table') && !e.closest('pre');
  }).slice(0, 5).map(function (e) { return e.tagName + ':' + (e.id || e.className); });
  var pre = document.createElement('pre'); pre.id = 'probe';
  pre.textContent = JSON.stringify({wide: wide}); document.body.appendChild(pre);
});
</script>"""


def test_report_text_fits_a_phone_width(report, chromium, tmp_path):
    """Nothing but wide tables (which scroll) runs past a 390 px viewport."""
    d, _ = report
    page = _copy_with_figures(d, tmp_path, "report_width.html", WIDTH_PROBE)
    dom = _run(chromium, tmp_path, "--window-size=390,844", "--virtual-time-budget=10000",
               "--dump-dom", page.as_uri())
    m = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout, re.S)
    assert m, f"the page did not load: {dom.stderr[-800:]}"
    wide = json.loads(m.group(1).replace("&quot;", '"'))["wide"]
    assert wide == [], f"elements wider than a phone screen: {wide}"
