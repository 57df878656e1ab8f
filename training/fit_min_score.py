"""Fit a layer's score floor on dev: decoded spans scoring below it are dropped.

    python training/fit_min_score.py MODEL_DIR                       # the table only
    python training/fit_min_score.py MODEL_DIR --write               # and the best floor into vnreport.json
    python training/fit_min_score.py MODEL_DIR --remove              # decode without a floor again

A span's score is the mean probability of its words' tags. Many of the directives a model finds
wrongly (report-body items, opinions) are ones it is unsure of, so a floor can buy precision for
little recall. The floor is chosen on dev strict F1 (the lowest of the best, so nothing is dropped
for no gain) and belongs to the weights it was fitted on: fit it again after retraining or after
changing the model's transitions. Test is never read.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import vnreport
from vnreport.data.io import load_jsonl
from vnreport.errors import UserError
from vnreport.evaluate import score
from vnreport.loading import read_meta
from vnreport.pipeline import META_FILE, write_meta

FLOORS = [round(0.05 * i, 2) for i in range(20)]  # 0.00 … 0.95


def sweep(model_dir: Path, data: Path, layer: str) -> list[tuple[float, float, float, float]]:
    """(floor, precision, recall, strict F1) of `layer` on `data`, for each floor."""
    tagger = vnreport.load(model_dir, device="cpu")
    if layer not in tagger.labels:
        raise UserError(f"{model_dir} has no layer {layer!r} (it has {', '.join(tagger.labels)})")
    tagger.text.min_scores = {}
    gold = load_jsonl(data)
    pred = tagger.predict([d.text for d in gold], progress=True)
    rows = []
    for floor in FLOORS:
        kept = [replace(p, **{layer: [s for s in getattr(p, layer) if (s.score or 0.0) >= floor]}) for p in pred]
        micro = score(gold, kept).layers[layer].strict["micro"]
        rows.append((floor, micro.precision, micro.recall, micro.f1))
    return rows


def write(model_dir: Path, layer: str, floor: float | None) -> None:
    """Set (or with None take out) `layer`'s floor in the model's vnreport.json."""
    meta = read_meta(model_dir / META_FILE)
    floors = {k: v for k, v in (meta.pop("min_scores", None) or {}).items() if k != layer}
    if floor:
        floors[layer] = floor
    if floors:
        meta["min_scores"] = floors
    write_meta(model_dir, meta)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir", type=Path)
    ap.add_argument("--layer", default="directives")
    ap.add_argument("--data", type=Path, default=Path("data/gold/dev.jsonl"), help="the split the floor is chosen on")
    ap.add_argument("--write", action="store_true", help="write the best floor into the model's vnreport.json")
    ap.add_argument("--remove", action="store_true", help="take the layer's floor out of vnreport.json")
    args = ap.parse_args()
    try:
        if args.remove:
            write(args.model_dir, args.layer, None)
            print(f"{args.model_dir}: {args.layer} decodes without a score floor")
            return
        rows = sweep(args.model_dir, args.data, args.layer)
        print(f"{args.layer} on {args.data}: floor | precision | recall | strict F1")
        for floor, p, r, f in rows:
            print(f"{floor:.2f} | {p:.4f} | {r:.4f} | {f:.4f}")
        best = max(rows, key=lambda row: (round(row[3], 4), -row[0]))
        print(f"best floor {best[0]:.2f}: strict F1 {rows[0][3]:.4f} -> {best[3]:.4f}")
        if args.write:
            write(args.model_dir, args.layer, best[0])
            print(f"wrote min_scores.{args.layer} = {best[0]} into {args.model_dir / META_FILE}")
    except UserError as e:
        sys.exit(f"error: {e}")


if __name__ == "__main__":
    main()
