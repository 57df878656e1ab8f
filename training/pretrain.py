"""MLM pretraining entry point: `python training/pretrain.py --config configs/pretrain-compact.yaml`
(the same as `vnreport pretrain configs/pretrain-compact.yaml`)."""
from __future__ import annotations

import argparse
import sys

from vnreport.cli import main as cli_main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--config", required=True)
    ap.add_argument("--stage", choices=["prepare", "train", "all"], default="all")
    ap.add_argument("--set", nargs="*", default=[], help="override config values, e.g. train.max_steps=100")
    args = ap.parse_args()
    return cli_main(["pretrain", args.config, "--stage", args.stage, *(["--set", *args.set] if args.set else [])])


if __name__ == "__main__":
    sys.exit(main())
