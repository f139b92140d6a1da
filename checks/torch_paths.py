"""PyTorch's CPU kernel paths, for the §7 threshold claims (``checks/test_s7_frameworks.py``).

An elementwise op on a CPU tensor does not run one kernel: a contiguous tensor is cut
into chunks of twice the vector width (2 x 8 float32 lanes on AVX2, 2 x 16 on AVX512, 2 x
4 / 2 x 8 float64 lanes) that go through the vectorised kernel, and the remainder (and a
tensor of one element) goes through the scalar one; which vectorised kernel runs depends
on the CPU (``torch.backends.cpu.get_cpu_capability()``: DEFAULT, AVX2, AVX512 on x86),
and ``ATEN_CPU_CAPABILITY`` forces a lower one. The two kernels of one op (e.g. Sleef's
vectorised erf or tanh and the C library's scalar one) round differently near a
cancellation, so the first float where ``F.gelu`` or autograd's ``tanh'`` becomes exactly
0 differs by path (F.gelu in float32: -5.54259 on the scalar path, -5.54256 or -5.54304 on
vectorised ones, and zeros scattered up to -5.4968 between them). A statement about
such a threshold therefore has to hold on every path; this module evaluates each case on
every path this machine has:

* tensors of the sizes ``SIZES`` (1: the scalar path; 7; 16 and 17; 32 and 33; 64, 65;
  every point of a grid is laid into consecutive chunks of that size, so each grid point
  is seen at every position class: vector body and scalar tail);
* every CPU capability up to the machine's (the others in a subprocess with
  ``ATEN_CPU_CAPABILITY`` set, since it is read when torch loads).

``python -m checks.torch_paths`` prints the result for the current process as JSON.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np

SIZES = (1, 7, 16, 17, 32, 33, 64, 65)
CAPABILITIES = ("DEFAULT", "AVX2", "AVX512")  # x86 order; each includes the ones before

#: case -> (function, dtype, side, zero_from, nonzero_to, fine window): the claimed band is
#: "exactly 0 for every z beyond zero_from, non-zero for every z between 0 and nonzero_to"
#: (side +1: z >= zero_from; side -1: z <= zero_from); the fine window is scanned to
#: measure where each path's transition lies (evidence, not asserted).
CASES = {
    "gelu64": ("gelu", "float64", -1, -8.38, -8.37, (-8.40, -8.35)),
    "gelu_tanh64": ("gelu_tanh", "float64", -1, -7.21, -7.14, (-7.25, -7.10)),
    "gelu32": ("gelu", "float32", -1, -5.55, -5.49, (-5.60, -5.45)),
    "gelu_tanh32": ("gelu_tanh", "float32", -1, -5.16, -5.05, (-5.20, -5.00)),
}


def _fn(name: str):
    import torch
    F = torch.nn.functional

    def grad(f):
        def g(x):
            x = x.clone().requires_grad_(True)
            (d,) = torch.autograd.grad(f(x).sum(), x)
            return d
        return g

    return {"sigmoid_grad": grad(torch.sigmoid), "tanh_grad": grad(torch.tanh),
            "gelu": lambda x: F.gelu(x), "gelu_tanh": lambda x: F.gelu(x, approximate="tanh")
            }[name]


def _eval(f, zs: np.ndarray, n: int, dtype) -> np.ndarray:
    """f at every z, each laid into consecutive tensors of n elements (contiguous)."""
    import torch
    out = np.empty(zs.size)
    for start in range(0, zs.size, n):
        chunk = zs[start:start + n]
        t = torch.tensor(np.resize(chunk, n), dtype=dtype)
        out[start:start + chunk.size] = f(t).detach().numpy()[:chunk.size]
    return out


def probe(cases=tuple(CASES), fns=None) -> dict:
    """For each case and size: the beyond-band points that are not 0, the inside-band
    points that are 0 or of the wrong sign, and the measured transition (last non-zero,
    first zero going outwards) on a fine grid of the window. ``fns`` (name -> function of
    a tensor) replaces PyTorch's functions, to show the check rejects other behaviour."""
    import torch
    torch.set_num_threads(1)
    out = {"capability": torch.backends.cpu.get_cpu_capability(), "cases": {}}
    for case in cases:
        name, dt, side, zero_from, nonzero_to, (a, b) = CASES[case]
        dtype = getattr(torch, dt)
        f = (fns or {}).get(name) or _fn(name)
        beyond = side * (abs(zero_from) + np.concatenate(
            [[0.0], np.geomspace(1e-6, 1e3, 40)]))
        inside = side * np.linspace(0.25, abs(nonzero_to), 100)
        fine = np.linspace(a, b, 241)
        res = {}
        for n in SIZES:
            yb, yi, yf = (_eval(f, g, n, dtype) for g in (beyond, inside, fine))
            want = 1.0 if name.endswith("_grad") else -1.0  # derivatives > 0, GeLU tail < 0
            zero = yf == 0
            order = fine if side > 0 else fine[::-1]
            z_ordered = zero if side > 0 else zero[::-1]
            nz = order[~z_ordered]
            zz = order[z_ordered]
            res[str(n)] = {
                "beyond_not_zero": [float(z) for z in beyond[yb != 0]],
                "inside_bad": [float(z) for z in inside[~(np.sign(yi) == want)]],
                "last_nonzero": float(nz[np.argmax(np.abs(nz))]) if nz.size else None,
                "first_zero": float(zz[np.argmin(np.abs(zz))]) if zz.size else None,
            }
        out["cases"][case] = res
    return out


def capabilities_here() -> list[str]:
    """The capabilities to test: the machine's and every lower x86 one."""
    import torch
    native = torch.backends.cpu.get_cpu_capability()
    if native in CAPABILITIES:
        return list(CAPABILITIES[:CAPABILITIES.index(native) + 1])
    return [native]


def probe_all(cases=tuple(CASES)) -> list[dict]:
    """probe() on every capability of this machine (lower ones in subprocesses)."""
    import torch
    native = torch.backends.cpu.get_cpu_capability()
    results = []
    for cap in capabilities_here():
        if cap == native:
            results.append(probe(cases))
            continue
        env = dict(os.environ, ATEN_CPU_CAPABILITY=cap.lower())
        done = subprocess.run([sys.executable, "-m", "checks.torch_paths", *cases],
                              env=env, capture_output=True, text=True, timeout=300,
                              check=True)
        r = json.loads(done.stdout)
        if r["capability"] != cap:
            raise RuntimeError(f"ATEN_CPU_CAPABILITY={cap} gave {r['capability']}")
        results.append(r)
    return results


if __name__ == "__main__":
    print(json.dumps(probe(tuple(sys.argv[1:]) or tuple(CASES))))
