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


def extra_sections() -> list[str]:
    import implementations

    e = html.escape
    rows = "".join(f"<tr><td><code>{e(name)}</code></td><td>{e(mod)}</td>"
                   f"<td><code>{e(sig)}</code></td><td>{e(doc)}</td></tr>"
                   for name, (mod, sig, doc) in sorted(implementations.protocol().items()))
    protocol = ('<section id="protocol"><h2>The implementation protocol (--impl)</h2>'
                "<table><tr><th>name</th><th>module</th><th>signature</th><th>contract</th></tr>"
                f"{rows}</table></section>")
    brows = "".join(f"<tr><td><code>{e(n)}</code></td><td>{e(d)}</td><td>"
                    + ", ".join(f'<a href="#{e(c)}"><code>{e(c)}</code></a>' for c in cs)
                    + "</td></tr>" for n, d, cs in broken_catalogue())
    teeth = ('<section id="teeth"><h2>Broken implementations the checks reject</h2>'
             '<p class="small">checks/harness/test_teeth.py runs the listed claims\' checks with '
             "--impl pointed at each module and requires every listed claim to fail.</p>"
             "<table><tr><th>module</th><th>defect</th><th>rejected by</th></tr>"
             f"{brows}</table></section>")
    return [protocol, teeth]
