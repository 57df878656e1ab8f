"""`vnreport` command line: a thin layer over importable functions, one module per command group."""
from __future__ import annotations

import argparse
import sys

from vnreport.cli import corpus, data, predict
from vnreport.data.io import DataError

GROUPS = (predict, data, corpus)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="vnreport", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except DataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
