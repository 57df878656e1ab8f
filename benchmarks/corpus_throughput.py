"""`tag-corpus` throughput per engine on this machine: one process, local workers, Ray local mode.

    python benchmarks/corpus_throughput.py --documents 80 --rounds 2 --shard-size 10

The corpus is the first N news articles of ../shared/corpus/news-unc.jsonl.gz. Each setting is
a whole job (model loading and process start included, as a user sees it); rounds alternate
the settings and each keeps its fastest. Ray runs in local mode, started once with
`ray.init(num_cpus=<cpus>)`. Prints one JSON line per setting with the load average.
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import tempfile
from pathlib import Path

from vnreport.corpus import LoadOptions, tag_corpus

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "news-unc.jsonl.gz"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=80)
    ap.add_argument("--shard-size", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--settings", nargs="+", default=["single:1", "local:1", "local:2", "ray:1", "ray:2"],
                    help="engine:workers")
    ap.add_argument("--quantize", choices=["int8"])
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="corpus-bench-"))
    src = tmp / "in.jsonl"
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f, open(src, "w", encoding="utf-8") as out:
        lines = list(itertools.islice(f, args.documents))
        out.writelines(lines)
    words = sum(len(json.loads(line)["text"].split()) for line in lines)
    settings = [(s.split(":")[0], int(s.split(":")[1])) for s in args.settings]
    if any(engine == "ray" for engine, _ in settings):
        import ray

        ray.init(num_cpus=os.cpu_count(), include_dashboard=False, log_to_driver=False)
    best: dict[tuple[str, int], float] = {}
    outputs = {}
    for r in range(args.rounds):
        for engine, workers in settings:
            out = tmp / f"out-{engine}-{workers}.jsonl"
            res = tag_corpus(src, out, engine=engine, workers=workers, shard_size=args.shard_size,
                             load=LoadOptions(quantize=args.quantize))
            best[engine, workers] = min(best.get((engine, workers), float("inf")), res.seconds)
            outputs[engine, workers] = [[(s["start"], s["end"], s["label"]) for s in d["entities"] + d["directives"]]
                                        for d in map(json.loads, out.read_text(encoding="utf-8").splitlines())]
        print(json.dumps({"round": r + 1, "loadavg": [round(x, 1) for x in os.getloadavg()]}), flush=True)
    ref = outputs[settings[0]]
    for engine, workers in settings:
        s = best[engine, workers]
        print(json.dumps({"engine": engine, "workers": workers, "documents": args.documents, "words": words,
                          "shard_size": args.shard_size, "quantize": args.quantize, "cpus": os.cpu_count(),
                          "seconds": round(s, 1), "docs_per_s": round(args.documents / s, 2),
                          "words_per_s": round(words / s), "speedup_vs_first": round(best[settings[0]] / s, 2),
                          "same_spans_as_first": outputs[engine, workers] == ref,
                          "loadavg": [round(x, 1) for x in os.getloadavg()]}), flush=True)


if __name__ == "__main__":
    main()
