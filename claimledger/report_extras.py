"""Parts of the report that do not come from one run's claims: the implementation
protocol (the configured reference's names) and the catalogue of broken implementations
the checks must reject (recorded by the tests that ran them, see :func:`record_teeth`)."""
from __future__ import annotations

import html
import inspect


def record_teeth(request, name: str, defect: str, rejected_by) -> None:
    """Tell the ledger that this test runs the checks of ``rejected_by`` against the broken
    implementation ``name`` (whose ``defect`` is one line); the report lists it with the
    outcome of the test. Call it from the test that does the run."""
    request.node.user_properties.append(("teeth", (name, " ".join(defect.split()),
                                                   list(rejected_by))))


def clean_signature(obj) -> str:
    """The call signature without annotations (what a caller types), e.g. ``(z, *, alpha=0.01)``."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return ""
    params = [p.replace(annotation=inspect.Parameter.empty) for p in sig.parameters.values()]
    return str(sig.replace(parameters=params, return_annotation=inspect.Signature.empty))


def protocol_rows(module) -> list[tuple[str, str, str, str]]:
    """(name, module, clean signature, whole docstring) of every protocol name of the
    reference ``module``: its ``protocol()`` table when it has one, else its ``__all__``."""
    table = module.protocol() if callable(getattr(module, "protocol", None)) else \
        {n: (getattr(getattr(module, n), "__module__", ""), "", "")
         for n in getattr(module, "__all__", ())}
    out = []
    for name, (mod, _sig, _first) in sorted(table.items()):
        obj = getattr(module, name)
        out.append((name, mod, clean_signature(obj), inspect.getdoc(obj) or ""))
    return out


def _reference(ledger):
    if ledger is None or not ledger.cfg.impl:
        return None
    from .impl import load_module

    try:
        return load_module(ledger.cfg.impl, ledger.cfg.impl_aliases)
    except Exception:  # noqa: BLE001 - the report must still be written
        return None


def extra_sections(ledger=None, teeth: dict[str, dict] | None = None
                   ) -> list[tuple[str, str, str]]:
    """(anchor, title, html) of the parts after the ledger: the protocol when a reference
    implementation is configured; the broken-implementation catalogue only when this run
    ran those checks (``teeth``: module -> outcome, defect, claims that reject it)."""
    e = html.escape
    parts = []
    ref = _reference(ledger)
    if ref is not None:
        rows = "".join(f'<tr id="protocol-{e(name)}"><td><code>{e(name)}</code></td>'
                       f"<td>{e(mod)}</td><td><code>{e(sig)}</code></td>"
                       f'<td><pre style="white-space:pre-wrap;margin:0">{e(doc)}</pre></td></tr>'
                       for name, mod, sig, doc in protocol_rows(ref))
        parts.append(("protocol", "Protocol", (
            '<section id="protocol"><h2>The implementation protocol (--impl)</h2>'
            "<table><tr><th>name</th><th>module</th><th>signature</th><th>contract</th></tr>"
            f"{rows}</table></section>")))
    if teeth:
        brows = "".join(
            f"<tr><td><code>{e(n)}</code></td><td>{e(t['outcome'])}</td>"
            f"<td>{e(t['defect'])}</td><td>"
            + ", ".join(f'<a href="#{e(c)}"><code>{e(c)}</code></a>' for c in t["rejected_by"])
            + "</td></tr>" for n, t in sorted(teeth.items()))
        parts.append(("teeth", "Broken implementations", (
            '<section id="teeth"><h2>Broken implementations the checks reject</h2>'
            '<p class="small">Each module\'s listed claims were checked with --impl pointed '
            "at it; <i>passed</i> means every listed claim failed, as it must.</p>"
            "<table><tr><th>module</th><th>rejection run</th><th>defect</th>"
            f"<th>rejected by</th></tr>{brows}</table></section>")))
    return parts
