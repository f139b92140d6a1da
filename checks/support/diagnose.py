"""Per-function diagnostic: every region of the float line where a block deviates.

    python -m checks.support.diagnose --impl MODULE_OR_PATH [--points N] [--rtol R]

A hypothesis failure shows one example per check; this sweeps each elementwise block of
the protocol (activations, their derivatives, log_sigmoid) over the float64 line and lists
every maximal run of consecutive sweep points where the implementation under test differs
from the reference implementation (``implementations``, whose zoo is checked against
50-digit values by §2's checks) by more than ``rtol`` relative (plus an absolute floor of
``rtol`` times the smallest normal float, so subnormal-level noise is not counted twice).

The sweep: 0, -0, and N log-spaced magnitudes per sign from 5e-324 to 1.7e308 (every
binade is visited), plus N evenly spaced points on [-40, 40] where the activations bend
and on [-750, 750] where exp under- and overflows. Deviating runs separated by at most
``--gap`` agreeing sweep points are merged (a slowly growing error crosses rtol often).
A region is reported as [z_lo, z_hi] (the first and last deviating sweep points; the
deviation may extend to the neighbouring sweep points), with the number of points, the
largest absolute and relative deviations and one example (z, got, reference). Output is
Markdown; a block the implementation does not provide is listed as such.
"""
from __future__ import annotations

import argparse
import math
import sys
import warnings

import numpy as np

import implementations as REF
from claimledger.impl import load_module

#: name -> extra keyword arguments (defaults of the protocol)
BLOCKS = {
    "sigmoid": {}, "tanh": {}, "relu": {}, "leaky_relu": {"alpha": 0.01}, "elu": {"alpha": 1.0},
    "gelu": {}, "gelu_tanh": {}, "silu": {}, "prelu": {"alpha": 0.25},
    "sigmoid_grad": {}, "tanh_grad": {}, "relu_grad": {}, "leaky_relu_grad": {"alpha": 0.01},
    "elu_grad": {"alpha": 1.0}, "gelu_grad": {}, "gelu_tanh_grad": {}, "silu_grad": {},
    "prelu_grad": {"alpha": 0.25}, "log_sigmoid": {},
}


def sweep(points: int) -> np.ndarray:
    with np.errstate(over="ignore"):  # the top endpoint may round past the largest float
        mags = np.geomspace(5e-324, 1.7976931348623157e308, points)
    mags[0], mags[-1] = 5e-324, 1.7976931348623157e308
    z = np.concatenate([-mags[::-1], [-0.0, 0.0], mags, np.linspace(-40, 40, points),
                        np.linspace(-750, 750, points)])
    return np.unique(z)


def regions(z: np.ndarray, got: np.ndarray, ref: np.ndarray, rtol: float,
            gap: int = 0) -> list[dict]:
    """Maximal runs of deviating sweep points; runs separated by at most ``gap`` agreeing
    points are merged into one region (a slowly growing error crosses rtol many times)."""
    tiny = np.finfo(np.float64).tiny
    with np.errstate(all="ignore"):
        same_nan = np.isnan(got) & np.isnan(ref)
        same_inf = np.isinf(got) & np.isinf(ref) & (np.sign(got) == np.sign(ref))
        abs_err = np.abs(got - ref)
        abs_err = np.where(same_nan | same_inf, 0.0, abs_err)
        abs_err = np.where(np.isnan(abs_err), np.inf, abs_err)
        bad = abs_err > rtol * np.abs(np.where(np.isfinite(ref), ref, 0.0)) + rtol * tiny
        rel = np.where(ref != 0, abs_err / np.abs(ref), np.where(abs_err > 0, np.inf, 0.0))
    out, i = [], 0
    while i < z.size:
        if not bad[i]:
            i += 1
            continue
        j = i
        while True:
            while j + 1 < z.size and bad[j + 1]:
                j += 1
            nxt = j + 1 + int(np.argmax(bad[j + 1:j + 2 + gap])) if j + 1 < z.size else j
            if j + 1 < z.size and bad[j + 1:j + 2 + gap].any():
                j = nxt
                continue
            break
        k = i + int(np.argmax(np.where(np.isfinite(rel[i:j + 1]), rel[i:j + 1], 1e308)))
        out.append({"lo": z[i], "hi": z[j], "n": j - i + 1,
                    "max_abs": float(np.max(abs_err[i:j + 1])),
                    "max_rel": float(np.max(rel[i:j + 1])),
                    "example": (z[k], got[k], ref[k])})
        i = j + 1
    return out


def _call(fn, z, kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return np.asarray(fn(z, **kwargs), dtype=np.float64), None
        except Exception as exc:  # noqa: BLE001 - reported, never hidden
            return None, f"{type(exc).__name__}: {exc}"


def diagnose(module, spec: str, points: int, rtol: float, gap: int = 25) -> tuple[str, int]:
    z = sweep(points)
    lines = [f"# Deviations of `{spec}` from the reference on the float64 line", "",
             f"{z.size} sweep points (0, +-5e-324 ... +-1.8e308 log-spaced, {points} "
             f"points on [-40, 40] and on [-750, 750]); a deviation is |got - ref| > "
             f"{rtol:g} |ref| + {rtol:g} * 2.2e-308; deviating runs at most {gap} sweep "
             "points apart are merged into one region.", ""]
    total = 0
    for name, kw in BLOCKS.items():
        if not hasattr(module, name):
            lines += [f"## {name}", "", "not provided", ""]
            continue
        ref, err = _call(getattr(REF, name), z, kw)
        got, gerr = _call(getattr(module, name), z, kw)
        lines.append(f"## {name}" + (f" ({', '.join(f'{k}={v}' for k, v in kw.items())})"
                                     if kw else ""))
        lines.append("")
        if gerr or err:
            lines += [f"raised: {gerr or err}", ""]
            total += 1
            continue
        regs = regions(z, got, ref, rtol, gap)
        total += len(regs)
        if not regs:
            lines += ["no deviation", ""]
            continue
        lines += ["| from z | to z | points | max abs dev | max rel dev | example z: got vs ref |",
                  "|---|---|---|---|---|---|"]
        for r in regs:
            ez, eg, er = r["example"]
            lines.append(f"| {r['lo']:.17g} | {r['hi']:.17g} | {r['n']} | {r['max_abs']:.3g} | "
                         f"{r['max_rel']:.3g} | {ez:.6g}: {eg:.6g} vs {er:.6g} |")
        lines.append("")
    lines.append(f"{total} deviating region(s) in all.")
    return "\n".join(lines) + "\n", total


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--impl", required=True)
    ap.add_argument("--points", type=int, default=4000)
    ap.add_argument("--rtol", type=float, default=1e-12)
    ap.add_argument("--gap", type=int, default=25)
    a = ap.parse_args(argv)
    if not (a.points >= 10 and math.isfinite(a.rtol) and a.rtol > 0):
        ap.error("--points must be >= 10 and --rtol a positive number")
    import pathlib

    from claimledger.config import read

    aliases = read(pathlib.Path(__file__).resolve().parents[2] / "pyproject.toml").impl_aliases
    text, _ = diagnose(load_module(a.impl, aliases), aliases.get(a.impl, a.impl), a.points,
                       a.rtol, max(0, a.gap))
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
