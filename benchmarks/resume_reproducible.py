"""Is an interrupted-and-resumed training run the same as an uninterrupted one? (issue 13, item 2)

Trains a config (default: configs/finetune-tiny.yaml, which learns its own BPE) twice into
OUT: once straight through, once stopped as by Ctrl-C right after its first checkpoint and
then resumed. Prints the dev entity F1 of each epoch of both and whether their vocabularies
match. On CPU with the same seed they should be identical.

    python benchmarks/resume_reproducible.py OUT [--config configs/finetune-tiny.yaml]
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from vnreport.train import checkpoint
from vnreport.train.config import load_config
from vnreport.train.finetune import finetune


def _stop_after_first_checkpoint(cfg: dict) -> None:
    real = checkpoint.save_state

    def save_then_stop(*args, **kwargs):
        real(*args, **kwargs)
        raise KeyboardInterrupt

    checkpoint.save_state = save_then_stop
    try:
        finetune(cfg)
    except KeyboardInterrupt:
        pass
    finally:
        checkpoint.save_state = real


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--config", default="configs/finetune-tiny.yaml")
    args = ap.parse_args()
    started = time.time()
    straight = finetune(load_config(args.config, [f"output_dir={args.out / 'straight'}"]))
    resumed_cfg = load_config(args.config, [f"output_dir={args.out / 'resumed'}"])
    _stop_after_first_checkpoint(resumed_cfg)
    resumed = finetune(resumed_cfg)
    vocab = [(args.out / run / "best" / "vocab.txt").read_bytes() for run in ("straight", "resumed")]
    same_vocab = vocab[0] == vocab[1]
    print("dev entity F1 per epoch, straight:", [round(h["dev_entities_f1"], 4) for h in straight["history"]])
    print("dev entity F1 per epoch, resumed: ", [round(h["dev_entities_f1"], 4) for h in resumed["history"]])
    print(f"same vocabulary: {same_vocab}; {(time.time() - started) / 60:.1f} minutes, load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
