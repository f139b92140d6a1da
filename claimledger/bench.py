"""``make bench``: how long verification takes, cold, unchanged and after one edit.

Runs, in this order, each ``--repeat`` times (the medians are reported):

1. **cold**: ``make verify FRESH=1`` - every check re-derived (the results are stored);
2. **unchanged**: ``make verify`` again - nothing changed, every check replayed;
3. **one file changed**: a comment line appended to one implementation file (``--edit``,
   default ``implementations/dropout.py``; restored afterwards, whatever happens) - only
   the checks depending on it run;
4. ``make test`` (``--test 0`` skips it).

Each of 1-3 is timed twice: the pytest command ``make verify`` runs (the pytest part,
read from ``make -n``) and ``make verify`` as a whole. Each timing is printed with the
machine's load (``/proc/loadavg``: 1, 5 and 15 minute averages) before and after, and
with how many checks ran and how many were replayed (from the ledger). The machine may be
shared: compare runs made side by side, never numbers from different days.

The report goes to ``reports/bench/`` (``REPORTS=reports/bench`` for make); the output
is a Markdown table, ready for ``docs/performance.md``.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import pathlib
import shlex
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def loadavg() -> str:
    try:
        return " ".join(pathlib.Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _counts(reports: pathlib.Path) -> str:
    try:
        data = json.loads((reports / "ledger.json").read_text())
    except (OSError, ValueError):
        return "-"
    c = data.get("cache_counts") or {}
    return f"{c.get('ran', '?')} ran, {c.get('cached', '?')} cached"


def run(cmd: str, cwd: pathlib.Path, log: pathlib.Path) -> tuple[float, int, str, str]:
    """(wall seconds, exit code, load before, load after) of a shell command."""
    before = loadavg()
    t0 = time.perf_counter()
    with open(log, "ab") as out:
        out.write(f"\n$ {cmd}\n".encode())
        out.flush()
        rc = subprocess.call(cmd, shell=True, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    return time.perf_counter() - t0, rc, before, loadavg()


def pytest_command(make: str, variables: str) -> str:
    """The pytest line ``make verify`` would run (without executing it)."""
    out = subprocess.run(f"{make} -s -n verify {variables}", shell=True, cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    for line in out.replace("\\\n", " ").splitlines():
        if " -m pytest " in line:
            return " ".join(line.split())
    raise SystemExit(f"no pytest command in `make -n verify`:\n{out}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--make", default="make")
    ap.add_argument("--test", type=int, default=1, help="also time `make test` (1/0)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per scenario (medians)")
    ap.add_argument("--edit", default="implementations/dropout.py",
                    help="the file whose edit scenario 3 times")
    args = ap.parse_args(argv)
    reports = ROOT / "reports" / "bench"
    reports.mkdir(parents=True, exist_ok=True)
    log = reports / "bench.log"
    log.write_text("")
    variables = "REPORTS=reports/bench"
    make = args.make
    rows: list[list[str]] = []

    def timed(label: str, what: str, cmd: str, repeat: int, prepare=None,
              ledger_dir: pathlib.Path = reports) -> None:
        walls, loads, counts, rcs = [], [], [], []
        for i in range(repeat):
            if prepare is not None:
                prepare(i)
            wall, rc, before, after = run(cmd, ROOT, log)
            walls.append(wall)
            rcs.append(rc)
            loads.append(f"{before} -> {after}")
            counts.append(_counts(ledger_dir))
        med = statistics.median(walls)
        spread = f" ({', '.join(f'{w:.1f}' for w in walls)})" if repeat > 1 else ""
        rows.append([label, what, f"{med:.1f}{spread}", counts[-1], "; ".join(loads),
                     "ok" if not any(rcs) else f"exit {rcs}"])
        print(f"{label:<22} {what:<22} {med:7.1f} s{spread}  {counts[-1]:<22} "
              f"load {'; '.join(loads)}", flush=True)

    pytest_fresh = pytest_command(make, variables + " FRESH=1")
    pytest_warm = pytest_command(make, variables)
    head = subprocess.run("git rev-parse --short HEAD", shell=True, cwd=ROOT,
                          capture_output=True, text=True).stdout.strip()
    print(f"claimledger bench {_dt.datetime.now().isoformat(timespec='seconds')}, "
          f"commit {head}, {os.cpu_count()} CPUs, load {loadavg()} (1/5/15 min)")
    print(f"pytest part: {pytest_warm}")
    subprocess.run(f"{make} -s venv", shell=True, cwd=ROOT, check=True)

    timed("cold (--fresh)", "pytest part", pytest_fresh, args.repeat)
    timed("cold (--fresh)", "make verify", f"{make} -s verify {variables} FRESH=1",
          args.repeat)
    timed("unchanged", "pytest part", pytest_warm, args.repeat)
    timed("unchanged", "make verify", f"{make} -s verify {variables}", args.repeat)

    target = ROOT / args.edit
    original = target.read_bytes()
    stamp = time.time_ns()

    def edit(i: int, kind: str = "") -> None:  # a new comment each time: a new key
        target.write_bytes(original + f"\n# bench edit {kind}{stamp}-{i}\n".encode())

    try:
        timed(f"one file changed", "pytest part", pytest_warm, args.repeat,
              prepare=lambda i: edit(i, "a"))
        timed(f"one file changed", "make verify", f"{make} -s verify {variables}",
              args.repeat, prepare=lambda i: edit(i, "b"))
    finally:
        target.write_bytes(original)
    if args.test:
        timed("make test (--fresh)", "whole", f"{make} -s test REPORTS=reports/bench-test", 1,
              ledger_dir=ROOT / "reports" / "bench-test")

    print()
    print(f"edited file: {args.edit} (a comment line appended, then restored)")
    print()
    print("| scenario | timed | wall s (median) | checks | load before -> after (1/5/15 min) "
          "| result |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print(f"\nfull output: {log.relative_to(ROOT)}")
    return 0 if all(r[-1] == "ok" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
