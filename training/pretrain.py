"""MLM pretraining entry point: `python training/pretrain.py --config configs/pretrain-compact.yaml`."""
from __future__ import annotations

import argparse
import json

from vnreport.train.config import load_config
from vnreport.train.pretrain import prepare, train


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--config", required=True)
    ap.add_argument("--stage", choices=["prepare", "train", "all"], default="all")
    ap.add_argument("--set", nargs="*", default=[], help="override config values, e.g. train.max_steps=100")
    args = ap.parse_args()
    cfg = load_config(args.config, args.set)
    if args.stage in ("prepare", "all"):
        print(f"prepared: {prepare(cfg)}")
    if args.stage in ("train", "all"):
        result = train(cfg)
        print(json.dumps({k: v for k, v in result.items() if k != "history"}))
        print(json.dumps(result["history"][-1]))


if __name__ == "__main__":
    main()
