"""CPU options side by side: words/s of predict(), and dev/test F1 against the default path.

    python benchmarks/cpu_options.py --threads 2 --rounds 3 --options default torch-int8 onnx onnx-int8 --batch-sizes 8 32

Every option is loaded once; the timing rounds alternate between options (A, B, C, A, B, C, ...)
and each (option, batch size) keeps its fastest round, because on a shared machine noise only ever slows a
run down. The load average is printed with every row. F1 is strict micro F1 of the entity and
DIR layers on the gold dev and test splits; `same_spans` counts test documents whose spans
(start, end, label) equal the default path's.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import torch

import vnreport
from vnreport.data.io import load_jsonl
from vnreport.evaluate import score

REPO = Path(__file__).resolve().parents[1]
OPTIONS = {
    "default": {},
    "torch-int8": {"quantize": "int8", "runtime": "torch"},
    "onnx": {"runtime": "onnx"},
    "onnx-int8": {"quantize": "int8"},  # what load(quantize="int8") runs
}


def load_texts() -> list[str]:
    texts = [d.text for d in load_jsonl(REPO / "data" / "gold" / "test.jsonl")]
    return texts + [p.read_text(encoding="utf-8") for p in sorted((REPO.parent / "shared" / "seeds").glob("*.txt"))]


def accuracy(tagger, splits: dict[str, list]) -> tuple[dict[str, float], list]:
    out, test_spans = {}, []
    for name, docs in splits.items():
        preds = tagger.predict([d.text for d in docs])
        report = score(docs, preds)
        for layer, short in (("entities", "entity"), ("directives", "dir")):
            out[f"{name}_{short}_f1"] = round(report.layers[layer].strict["micro"].f1, 4)
        if name == "test":
            test_spans = [[(s.start, s.end, s.label) for s in p.entities + p.directives] for p in preds]
    return out, test_spans


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--options", nargs="+", default=list(OPTIONS), choices=list(OPTIONS))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-sizes", type=int, nargs="+", default=[8])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-accuracy", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    texts = load_texts()
    n_words = sum(len(t.split()) for t in texts)
    splits = {name: load_jsonl(REPO / "data" / "gold" / f"{name}.jsonl") for name in ("dev", "test")}
    taggers, rows = {}, {}
    for name in args.options:
        t0 = time.perf_counter()
        taggers[name] = vnreport.load(device="cpu", **OPTIONS[name])
        rows[name] = {"option": name, "load_s": round(time.perf_counter() - t0, 1)}
        if not args.no_accuracy:
            acc, spans = accuracy(taggers[name], splits)
            rows[name] |= acc
            rows[name]["test_spans"] = spans
        print(json.dumps({k: v for k, v in rows[name].items() if k != "test_spans"}), flush=True)
    settings = [(bs, name) for bs in args.batch_sizes for name in args.options]
    best = {key: float("inf") for key in settings}
    for r in range(args.rounds):
        for bs, name in settings:
            taggers[name].encoder._ids.cache_clear()  # first-time tokenization is part of the cost
            t0 = time.perf_counter()
            taggers[name].predict(texts, batch_size=bs)
            best[bs, name] = min(best[bs, name], time.perf_counter() - t0)
        print(json.dumps({"round": r + 1, "loadavg": [round(x, 1) for x in os.getloadavg()]}), flush=True)
    first = args.options[0]
    base = rows[first]
    for bs, name in settings:
        row = {k: v for k, v in rows[name].items() if k != "test_spans"}
        row |= {"threads": args.threads, "batch_size": bs, "words": n_words, "rounds": args.rounds,
                "words_per_s": round(n_words / best[bs, name]),
                f"speedup_vs_{first}_at_this_batch": round(best[bs, first] / best[bs, name], 2),
                f"speedup_vs_{first}_at_batch_{settings[0][0]}": round(best[settings[0]] / best[bs, name], 2),
                "loadavg": [round(x, 1) for x in os.getloadavg()]}
        if "test_spans" in base:
            row["test_docs_same_spans"] = sum(a == b for a, b in zip(rows[name]["test_spans"], base["test_spans"]))
            for key in [k for k in row if k.endswith("_f1")]:
                row[key.replace("_f1", "_f1_delta")] = round(row[key] - base[key], 4)
        print(json.dumps(row), flush=True)

if __name__ == "__main__":
    main()
