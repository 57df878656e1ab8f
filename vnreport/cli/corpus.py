"""`vnreport tag-corpus`: tag a JSONL corpus in shards, resumably, on one or many processes or a Ray cluster."""
from __future__ import annotations

import argparse
import sys


def _cmd_tag_corpus(args: argparse.Namespace) -> int:
    from vnreport.corpus import LoadOptions, tag_corpus

    load = LoadOptions(args.model, args.device, args.quantize, args.runtime)
    result = tag_corpus(args.input, args.output, engine=args.engine, workers=args.workers, shard_size=args.shard_size,
                        batch_size=args.batch_size, load=load, progress=not args.quiet)
    print(f"wrote {result.output}: {result.documents} documents in {result.shards} shards "
          f"({result.shards_tagged} tagged now) in {result.seconds:.1f} s", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from vnreport.cli.predict import speed_options
    from vnreport.corpus import ENGINES

    p = sub.add_parser("tag-corpus", help="tag a JSONL corpus (id, text; .gz too) into JSONL, resumably",
                       description="Input is cut into shards under OUT.parts/; rerun the same command after a crash "
                                   "to tag only the shards not yet written.")
    p.add_argument("input", help="JSONL with `id` and `text` per line (may be .gz)")
    p.add_argument("-o", "--output", required=True, help="output JSONL, one line per input record, same order")
    p.add_argument("--engine", choices=ENGINES, default="single",
                   help="single: this process; local: worker processes; ray: Ray Data actors (RAY_ADDRESS for a cluster)")
    p.add_argument("--workers", type=int, default=1, help="processes (local) or actors (ray), one model each")
    p.add_argument("--shard-size", type=int, default=500, help="documents per shard, the unit of resumption")
    p.add_argument("--model", help="model directory or hub id (default: the embedded model)")
    p.add_argument("--device", help="cpu, cuda (ray: cuda gives each actor one GPU)")
    speed_options(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_tag_corpus)
