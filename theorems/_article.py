"""Locating claims in the article: its sections and their numbered paragraphs.

The article is read at run time from ``../shared/article/`` beside the project (or the
path in ``$VERIFY_ARTICLE`` / ``--article``); nothing of its text is stored in the
repository. A *paragraph* is a non-empty line of the exported text, numbered from 1
within its section (the heading excluded): prose paragraphs, table rows, list items and
code lines each count as one. ``python -m theorems._article 3.3`` prints a section's
paragraphs with their numbers, which is how a claim's ``paragraph=`` is chosen.
"""
from __future__ import annotations

import os
import pathlib
import re
import sys

PROJECT_DIR = pathlib.Path(__file__).resolve().parents[1]
DEFAULT_DIR = PROJECT_DIR.parent / "shared" / "article"

_TOP = re.compile(r"^(\d+)\. (\S.*)$")
_SUB = re.compile(r"^(\d+)\.(\d+) (\S.*)$")


def default_path() -> pathlib.Path | None:
    """``$VERIFY_ARTICLE`` if set, else the one ``.txt`` file under ../shared/article/."""
    env = os.environ.get("VERIFY_ARTICLE")
    if env:
        return pathlib.Path(env)
    files = sorted(DEFAULT_DIR.glob("*.txt")) if DEFAULT_DIR.is_dir() else []
    return files[0] if files else None


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
    """The article's sections, or None when no article file is present."""
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
        print("no article found (set VERIFY_ARTICLE)", file=sys.stderr)
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
