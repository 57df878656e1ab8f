"""Copy a trained tagger into the package as the embedded default model, weights in fp16.

    python training/package_model.py runs/finetune-compact/best [--out vnreport/models/default]

fp16 halves the wheel (the 6×384 tagger is 34 MB instead of 68 MB); `vnreport.load()`
casts the weights back to fp32, and the test scores of the packaged copy are what
benchmarks/accuracy.py reports.
"""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import torch

from vnreport.loading import DEFAULT_MODEL_DIR, load


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("--out", default=str(DEFAULT_MODEL_DIR))
    args = ap.parse_args()
    tagger = load(args.model, device="cpu")
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    tagger.model.to(torch.float16)
    tagger.save(out)
    print(f"packaged {args.model} into {out}")


if __name__ == "__main__":
    main()
