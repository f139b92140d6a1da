"""Locating claims in their source text: its sections and their numbered paragraphs.

The text is read at run time from the package's ``[tool.claimledger.source]`` (``text``,
its ``env`` variable, or ``--source-text``); nothing of it needs to be stored with the
claims. Sections are headed ``K. Title`` and ``K.M Title`` lines. A *paragraph* is a
non-empty line of the text, numbered from 1 within its section (the heading excluded):
prose paragraphs, table rows, list items and code lines each count as one.
``python -m claimledger.source 3.3`` prints a section's paragraphs with their numbers
(the source of the project's pyproject.toml in the current directory), which is how a
claim's ``paragraph=`` is chosen.
"""
from __future__ import annotations

import os
import pathlib
import re
import sys


_TOP = re.compile(r"^(\d+)\. (\S.*)$")
_SUB = re.compile(r"^(\d+)\.(\d+) (\S.*)$")


def default_path(project: str | os.PathLike = ".") -> pathlib.Path | None:
    """The source text of the first package of ``project``'s pyproject.toml that declares
    one (its environment variable first), or None."""
    from .config import read

    cfg_file = pathlib.Path(project) / "pyproject.toml"
    if not cfg_file.is_file():
        return None
    for pkg in read(cfg_file).packages:
        if pkg.source is not None:
            found = pkg.source.path(pkg.root)
            if found is not None:
                return found
    return None


def _is_top_heading(line: str, expected: int) -> bool:
    """'K. Title' with K the next top-level number; a numbered list item in the body
    (e.g. '4. The full training loop: ...:') is a sentence, not a short title."""
    m = _TOP.match(line)
    if not m or int(m.group(1)) != expected:
        return False
    title = m.group(2)
    return len(title) <= 80 and not title.endswith((":", ".")) and ". " not in title


def sections(text: str) -> dict[str, list[str]]:
    """Map '1', '1.1', ... to the list of that section's paragraphs (non-empty lines).

    Text before the first heading is section '0' (the introduction)."""
    out: dict[str, list[str]] = {"0": []}
    current, top = "0", 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if _is_top_heading(line, top + 1):
            top += 1
            current = str(top)
            out[current] = []
            continue
        m = _SUB.match(line)
        if m and int(m.group(1)) == top and f"{top}.{m.group(2)}" not in out \
                and len(m.group(3)) <= 90:
            current = f"{top}.{m.group(2)}"
            out[current] = []
            continue
        out[current].append(line)
    return out


def load(path: str | os.PathLike | None = None) -> dict[str, list[str]] | None:
    """The text's sections, or None when no file is present (default: the project's)."""
    p = pathlib.Path(path) if path else default_path()
    if p is None or not p.is_file():
        return None
    return sections(p.read_text(encoding="utf-8"))


def paragraph(secs: dict[str, list[str]], section: str, index: int) -> str | None:
    """The ``index``-th (1-based) paragraph of ``section``, or None if it does not exist."""
    paras = secs.get(section)
    if paras is None or not 1 <= index <= len(paras):
        return None
    return paras[index - 1]


def main(argv: list[str]) -> int:
    secs = load()
    if secs is None:
        print("no source text found: run from a project whose pyproject.toml declares "
              "[tool.claimledger.source] text (or set its env variable)", file=sys.stderr)
        return 2
    wanted = argv[1:] or [k for k in secs]
    for sec in wanted:
        if sec not in secs:
            print(f"no section {sec!r}; sections: {', '.join(secs)}", file=sys.stderr)
            return 2
        print(f"== section {sec} ==")
        for i, para in enumerate(secs[sec], 1):
            print(f"[{i}] {para[:160]}{'...' if len(para) > 160 else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
