"""On the device: turn `.carry/issue9/` into the `prepared/` folder that `pretrain.py --stage
train` reads (ids.npy + tokenizer/), for each output folder given."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np


def main() -> None:
    carry, *outs = sys.argv[1:]
    ids = np.load(Path(carry) / "ids.npz")["ids"].astype(np.int32)
    for out in outs:
        prep = Path(out) / "prepared"
        prep.mkdir(parents=True, exist_ok=True)
        np.save(prep / "ids.npy", ids)
        shutil.copytree(Path(carry) / "tokenizer", prep / "tokenizer", dirs_exist_ok=True)
    print(f"{len(ids):,} tokens into {', '.join(outs)}")


if __name__ == "__main__":
    main()
