"""F1 of a model (default: the embedded one) on the gold test split: strict and partial,
per layer and per label. Test documents are real texts never used for training or
model selection.

    python benchmarks/accuracy.py [--model DIR] [--data data/gold/test.jsonl]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import vnreport
from vnreport.evaluate import evaluate

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model")
    ap.add_argument("--data", default=str(REPO / "data" / "gold" / "test.jsonl"))
    ap.add_argument("--device", default=None)
    args = ap.parse_args()
    report = evaluate(vnreport.load(args.model, device=args.device), args.data)
    print(report.table())
    summary = {
        layer: {"strict_micro_f1": rep.strict["micro"].f1, "partial_micro_f1": rep.partial["micro"].f1}
        for layer, rep in report.layers.items()
    }
    print(json.dumps({"data": args.data, "documents": report.documents, **summary}))


if __name__ == "__main__":
    main()
