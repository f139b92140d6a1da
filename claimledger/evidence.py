"""The evidence a check leaves for the ledger.

A check receives an :class:`Evidence` recorder (the ``evidence`` fixture) and states
what it measured: counts, the worst ratio seen, the test, alpha and sample size. Inside a
hypothesis test the recorder accumulates across examples; it is flushed into the pytest
item's ``user_properties`` at teardown, which is how the numbers reach the controller
under pytest-xdist.
"""
from __future__ import annotations

import math
from typing import Any


def _fmt(x: Any) -> str:
    if isinstance(x, float):
        if x == 0 or math.isinf(x) or math.isnan(x):
            return repr(x)
        return f"{x:.6g}"
    return str(x)


class Evidence:
    """Recorder of one check's evidence (numbers a reader can inspect and re-run)."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self.counts: dict[str, int] = {}
        self.worst_values: dict[str, tuple[float, str | None]] = {}
        self.best_values: dict[str, tuple[float, str | None]] = {}
        self.counterexamples: list[str] = []
        self.figures: list[str] = []
        self.tables: list[dict] = []
        self.controls: list[tuple[str, bool]] = []  # (perturbation, rejected?)
        self.impl_findings: list[str] = []  # about the implementation under test

    def note(self, text: str) -> None:
        """A free-form line of evidence; put the numbers in it."""
        if text not in self.notes:
            self.notes.append(text)

    def count(self, key: str, n: int = 1) -> None:
        """Count events (e.g. ``"cases"``) across hypothesis examples."""
        self.counts[key] = self.counts.get(key, 0) + n

    def worst(self, key: str, value: float, *, at: Any = None) -> None:
        """Keep the largest ``value`` seen for ``key`` (e.g. updates / bound)."""
        old = self.worst_values.get(key)
        if old is None or value > old[0]:
            self.worst_values[key] = (float(value), None if at is None else str(at))

    def least(self, key: str, value: float, *, at: Any = None) -> None:
        """Keep the smallest ``value`` seen for ``key`` (e.g. a certified margin)."""
        old = self.best_values.get(key)
        if old is None or value < old[0]:
            self.best_values[key] = (float(value), None if at is None else str(at))

    def counterexample(self, text: str) -> None:
        """A concrete counterexample to the article's literal statement (re-checked)."""
        if text not in self.counterexamples:
            self.counterexamples.append(text)

    def impl_finding(self, text: str) -> None:
        """A finding about the implementation under test that is not a failure (e.g. the
        calls in which a framework that declares float32 lost float64): the ledger lists
        it once at its top (``impl_findings``) and the side-by-side comparison prints it
        once, instead of one failed check per symptom."""
        if text not in self.impl_findings:
            self.impl_findings.append(text)

    def figure(self, path: str, caption: str) -> None:
        """A figure (file under the report directory) that belongs to this claim."""
        self.figures.append(f"{path}|{caption}")

    def table(self, title: str, header: list[str], rows: list[list[Any]]) -> None:
        """A small table of numbers (e.g. width vs eps) shown with the claim."""
        self.tables.append({"title": title, "header": [str(h) for h in header],
                            "rows": [[_fmt(v) for v in r] for r in rows]})

    def control(self, perturbation: str, *, rejected: bool) -> None:
        """The outcome of one negative control (:mod:`claimledger.controls`)."""
        entry = (str(perturbation), bool(rejected))
        if entry not in self.controls:  # a hypothesis test repeats it per example
            self.controls.append(entry)

    def lines(self) -> list[str]:
        out = list(self.notes)
        if self.controls:
            ok = [p for p, r in self.controls if r]
            bad = [p for p, r in self.controls if not r]
            out.append(f"negative control: {len(ok)} of {len(self.controls)} perturbed "
                       "statements rejected (" + "; ".join(ok + [f"NOT {b}" for b in bad])
                       + ")")
        out += [f"{k}: {v}" for k, v in self.counts.items()]
        for label, table in (("max", self.worst_values), ("min", self.best_values)):
            for k, (v, at) in table.items():
                out.append(f"{label} {k} = {_fmt(v)}" + (f" (at {at})" if at else ""))
        return out
