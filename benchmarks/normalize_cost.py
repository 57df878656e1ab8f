"""What the exact offset map costs: normalize() on the seed reports as NFC (the identity fast
path most input takes), as NFD (every Vietnamese letter decomposed: the exact, step-by-step
path), and unicodedata's own NFC for reference; plus the one-time build of the table of
characters NFC may reach across, paid on the first non-NFC text of a process.

    python benchmarks/normalize_cost.py [--rounds 5]
"""
from __future__ import annotations

import argparse
import os
import time
import unicodedata
from pathlib import Path

from vnreport import normalize as norm_module

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _best(fn, text: str, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    nfc = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    nfd = unicodedata.normalize("NFD", nfc)
    t = time.perf_counter()
    norm_module._unsafe_class()
    print(f"first non-NFC text in a process: {time.perf_counter() - t:.2f} s to build the boundary table")
    mchars = len(nfc) / 1e6
    rows = {"normalize, NFC input": (norm_module.normalize, nfc), "normalize, NFD input": (norm_module.normalize, nfd),
            "unicodedata NFC, NFD input": (lambda s: unicodedata.normalize("NFC", s), nfd)}
    best = {name: float("inf") for name in rows}
    for _ in range(args.rounds):  # alternate rows, keep the best of each (the CPU is shared)
        for name, (fn, text) in rows.items():
            best[name] = min(best[name], _best(fn, text, 1))
    print(f"{len(nfc):,} characters of seed reports ({len(nfd):,} as NFD); load average {os.getloadavg()[0]:.1f}")
    for name, sec in best.items():
        print(f"  {name:28s} {sec * 1000:8.1f} ms   {mchars / sec:6.2f} M chars/s")


if __name__ == "__main__":
    main()
