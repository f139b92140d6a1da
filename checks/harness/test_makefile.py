"""The Makefile's own logic, run with the suite replaced by a stub.

``make flake-audit`` loops over root seeds and splits them among machines (``SHARD=k/M``);
its shell arithmetic once read ``$SHARD`` from the environment, where make never put it,
and every audit stopped at once with "division by zero". Here the recipe runs for real
with ``VPY`` set to ``true`` or ``false`` (a suite that passes or fails instantly) and the
venv target taken as up to date (``-o venv``).
"""
from __future__ import annotations

import pathlib
import shutil
import subprocess

import pytest

pytestmark = [pytest.mark.harness,
              pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")]

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _flake_audit(tmp_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", "-o", "venv", "flake-audit",
                           f"REPORTS={tmp_path}", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_flake_audit_runs_every_seed_by_default(tmp_path):
    out = _flake_audit(tmp_path, "N=3", "VPY=true")
    assert out.returncode == 0, out.stdout + out.stderr
    assert [line for line in out.stdout.splitlines() if line.startswith("seed")] == \
        ["seed 1: ok", "seed 2: ok", "seed 3: ok"], out.stdout
    assert "flake audit: 0 failing seed(s) of 3" in out.stdout


def test_flake_audit_shard_runs_only_its_seeds(tmp_path):
    out = _flake_audit(tmp_path, "N=5", "SHARD=2/2", "VPY=true")
    assert out.returncode == 0, out.stdout + out.stderr
    assert [line for line in out.stdout.splitlines() if line.startswith("seed")] == \
        ["seed 2: ok", "seed 4: ok"], out.stdout


def test_flake_audit_fails_and_names_the_failing_seeds(tmp_path):
    out = _flake_audit(tmp_path, "N=2", "VPY=false")
    assert out.returncode != 0
    assert "seed 1: FAILED" in out.stdout and "seed 2: FAILED" in out.stdout, out.stdout
    assert "flake audit: 2 failing seed(s) of 2" in out.stdout
