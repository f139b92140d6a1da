"""Summarise `mutmut results --all true` into a score (used by `make mutation`).

Score = (killed + timed out) / (all mutants - those judged equivalent). The equivalent
ones are listed, each with its reason, in checks/harness/equivalent_mutants.txt. "no
tests" mutants count as survivors: code that no check exercises. A timeout is a kill:
mutmut's limit is on CPU time, (estimate + 1 s) x 30, so load cannot cause one.
"""
from __future__ import annotations

import collections
import pathlib
import sys


def main(results_path: str, equivalent_path: str) -> int:
    status = {}
    for line in pathlib.Path(results_path).read_text().splitlines():
        name, sep, st = line.strip().rpartition(": ")
        if sep and name.startswith("implementations."):  # skip warnings in the output
            status[name] = st
    equivalent = {}
    p = pathlib.Path(equivalent_path)
    if p.exists():
        for line in p.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                name, _, why = line.partition(" ")
                equivalent[name] = why.strip()
    counts = collections.Counter(st for n, st in status.items() if n not in equivalent)
    killed = counts["killed"] + counts["timeout"]
    total = sum(counts.values())
    score = killed / total if total else 0.0
    print(f"mutants: {len(status)}, judged equivalent: {len(equivalent)}, "
          f"counted: {total}, killed (incl. timeouts): {killed}, "
          f"survived: {counts['survived']}, no tests: {counts['no tests']}")
    print(f"mutation score: {100 * score:.1f}%")
    # an equivalence judgement is about one mutant of one version of the code: a listed
    # name that no longer exists or is now killed must be re-judged, not silently kept
    stale = sorted(n for n in equivalent
                   if status.get(n) not in ("survived", "no tests"))
    if stale:
        print("listed as equivalent but not a survivor of this run (re-judge or remove):")
        for n in stale:
            print(f"  {n}: {status.get(n, 'no such mutant')}")
    survivors = sorted(n for n, st in status.items()
                       if st in ("survived", "no tests") and n not in equivalent)
    if survivors:
        print("surviving (not judged equivalent):")
        for n in survivors:
            print("  " + n)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
