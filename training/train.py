"""Fine-tuning entry point: `python training/train.py --config configs/<name>.yaml`
(the same as `vnreport train configs/<name>.yaml`)."""
from __future__ import annotations

import argparse
import sys

from vnreport.cli import main as cli_main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--config", required=True)
    ap.add_argument("--set", nargs="*", default=[], help="override config values, e.g. train.epochs=3")
    args = ap.parse_args()
    return cli_main(["train", args.config, *(["--set", *args.set] if args.set else [])])


if __name__ == "__main__":
    sys.exit(main())
