"""Fine-tuning entry point: `python training/train.py --config configs/<name>.yaml`."""
from __future__ import annotations

import argparse
import json

from vnreport.train.config import load_config
from vnreport.train.finetune import finetune


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--config", required=True)
    ap.add_argument("--set", nargs="*", default=[], help="override config values, e.g. train.epochs=3")
    args = ap.parse_args()
    result = finetune(load_config(args.config, args.set))
    print(json.dumps({k: v for k, v in result.items() if k != "history"}))


if __name__ == "__main__":
    main()
