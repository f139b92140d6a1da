"""Assert the example's ledger: the intended verdicts, and only the example's claims.

    python check_ledger.py reports/ledger.json [IMPL]
"""
import json
import sys

EXPECTED = {
    "softmax-is-shift-invariant": "proved",
    "softmax-is-scale-invariant": "refuted",
    "adam-bias-correction-is-unbiased": "qualified",
    "dropout-mask-keeps-fraction-q": "supported",
}


def main(path: str, impl: str | None = None) -> int:
    data = json.load(open(path, encoding="utf-8"))
    verdicts = {c["id"]: c["verdict"] for c in data["claims"]}
    assert verdicts == EXPECTED, f"verdicts {verdicts}, expected {EXPECTED}"
    assert [p["name"] for p in data["packages"]] == ["own-claims"], data["packages"]
    assert data["complete"], "the run must have collected every check"
    if impl:
        assert data["impl"] == impl, (data["impl"], impl)
    print(f"{path}: {len(verdicts)} claims, only the example's, verdicts as intended "
          f"(impl {data['impl']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
