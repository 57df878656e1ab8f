"""`vnreport` command line: a thin layer over importable functions, one module per command group."""
from __future__ import annotations

import argparse
import sys

from vnreport.cli import corpus, data, predict, serve, train
from vnreport.data.io import DataError
from vnreport.errors import UserError

GROUPS = (predict, data, train, serve, corpus)


class _Parser(argparse.ArgumentParser):
    """argparse whose errors are one line (the usage is one --help away); subcommands inherit it."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="vnreport", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (UserError, DataError) as e:  # the user's to fix: one line, no traceback
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
