"""Parts of the report that do not come from one run's checks: the implementation
protocol and the catalogue of broken implementations the harness must reject."""
from __future__ import annotations

import html
import importlib
import pkgutil


def broken_catalogue() -> list[tuple[str, str, list[str]]]:
    """(module, defect, claims that reject it) for every module of checks/harness/broken."""
    from checks.harness import broken

    out = []
    for info in sorted(pkgutil.iter_modules(broken.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):  # helpers, not broken implementations
            continue
        try:
            mod = importlib.import_module(f"{broken.__name__}.{info.name}")
        except Exception as exc:  # e.g. a source patch that no longer applies (mutmut)
            out.append((info.name, f"(could not be imported: {exc})", []))
            continue
        doc = " ".join((mod.__doc__ or "").split())
        out.append((info.name, doc, list(getattr(mod, "REJECTED_BY", []))))
    return out


def clean_signature(obj) -> str:
    """The call signature without annotations (what a caller types), e.g. ``(z, *, alpha=0.01)``."""
    import inspect

    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return ""
    params = [p.replace(annotation=inspect.Parameter.empty) for p in sig.parameters.values()]
    return str(sig.replace(parameters=params, return_annotation=inspect.Signature.empty))


def protocol_rows() -> list[tuple[str, str, str, str]]:
    """(name, module, clean signature, whole docstring) of every protocol name."""
    import inspect

    import implementations

    out = []
    for name, (mod, _sig, _first) in sorted(implementations.protocol().items()):
        obj = getattr(implementations, name)
        out.append((name, mod, clean_signature(obj), inspect.getdoc(obj) or ""))
    return out


def extra_sections(teeth: dict[str, str] | None = None) -> list[tuple[str, str, str]]:
    """(anchor, title, html) of the parts after the ledger: the protocol always; the
    broken-implementation catalogue only when this run ran those checks (``teeth``: module
    -> outcome of the run that must reject it)."""
    e = html.escape
    rows = "".join(f'<tr id="protocol-{e(name)}"><td><code>{e(name)}</code></td>'
                   f"<td>{e(mod)}</td><td><code>{e(sig)}</code></td>"
                   f'<td><pre style="white-space:pre-wrap;margin:0">{e(doc)}</pre></td></tr>'
                   for name, mod, sig, doc in protocol_rows())
    protocol = ('<section id="protocol"><h2>The implementation protocol (--impl)</h2>'
                "<table><tr><th>name</th><th>module</th><th>signature</th><th>contract</th></tr>"
                f"{rows}</table></section>")
    parts = [("protocol", "Protocol", protocol)]
    if teeth:
        brows = "".join(
            f"<tr><td><code>{e(n)}</code></td><td>{e(teeth.get(n, 'not run'))}</td>"
            f"<td>{e(d)}</td><td>"
            + ", ".join(f'<a href="#{e(c)}"><code>{e(c)}</code></a>' for c in cs)
            + "</td></tr>" for n, d, cs in broken_catalogue() if n in teeth)
        parts.append(("teeth", "Broken implementations", (
            '<section id="teeth"><h2>Broken implementations the checks reject</h2>'
            '<p class="small">checks/harness/test_teeth.py ran the listed claims\' checks with '
            "--impl pointed at each module; <i>passed</i> means every listed claim failed, "
            "as it must.</p><table><tr><th>module</th><th>rejection run</th><th>defect</th>"
            f"<th>rejected by</th></tr>{brows}</table></section>")))
    return parts
