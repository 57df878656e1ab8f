"""Indicator record accuracy (SPEC.md §4) on the test split, from gold spans and from predicted spans.

A record is right when its name span, its value (in base units) and its unit equal the
hand-written reading in data/gold/records/test-indicators.jsonl. Gold spans measure the record layer
alone; spans predicted by `vnreport.load()` measure what a user gets.

    python benchmarks/records_accuracy.py [--model DIR] [--device cpu] [--gold-only] [--show]
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from vnreport.data.io import load_jsonl  # noqa: E402
from vnreport.records.indicators import Indicator  # noqa: E402
from vnreport.document import Document  # noqa: E402


@dataclass
class Tally:
    """Counts of one run: expected records, and how many had the name span, value, unit, all right."""

    expected: int = 0
    name: int = 0
    value: int = 0
    unit: int = 0
    right: int = 0
    predicted: int = 0
    overlap_right: int = 0  # value and unit right on a record whose name overlaps the expected name

    def row(self, source: str) -> str:
        acc = self.right / self.expected if self.expected else 0.0
        lenient = self.overlap_right / self.expected if self.expected else 0.0
        return (f"| {source} | {self.expected} | {self.predicted} | {self.name} | {self.value} | {self.unit} | "
                f"{self.right} | {acc:.3f} | {lenient:.3f} |")


def same_value(expected: object, rec: Indicator) -> bool:
    """Numbers equal up to float noise; a range [low, high] against the record's range."""
    q = rec.main.quantity if rec.main else None
    if q is None:
        return False
    if isinstance(expected, list):
        return q.low is not None and math.isclose(q.low, expected[0]) and math.isclose(q.high, expected[1])
    return q.value is not None and math.isclose(q.value, expected, rel_tol=1e-9)


def score(docs: list[Document], expected: dict[str, list[dict]], show: bool = False) -> Tally:
    """Compare each expected record with the record of the same name span; print misses if `show`."""
    t = Tally()
    for doc in docs:
        by_name = {(r.start, r.name): r for r in doc.indicators}
        t.predicted += len(by_name)
        for e in expected.get(doc.id, []):
            t.expected += 1
            end = e["start"] + len(e["name"])
            t.overlap_right += any(r.start < end and e["start"] < r.end and same_value(e["value"], r)
                                   and " ".join((r.unit or "").split()) == e["unit"] for r in doc.indicators)
            rec = by_name.get((e["start"], e["name"]))
            if rec is None:
                if show:
                    print(f"  {doc.id}: no record named {e['name']!r} at {e['start']}")
                continue
            ok_value = same_value(e["value"], rec)
            ok_unit = " ".join((rec.unit or "").split()) == e["unit"]
            if show and not (ok_value and ok_unit):
                print(f"  {doc.id}: {e['name']!r} expected {e['value']} {e['unit']}, got {rec.value} {rec.unit}")
            t.name += 1
            t.value += ok_value
            t.unit += ok_unit
            t.right += ok_value and ok_unit
    return t


def predicted(gold: list[Document], model: str | None, device: str | None) -> list[Document]:
    """The gold documents' texts tagged by a model (default: the embedded one), ids kept."""
    import vnreport

    preds = vnreport.load(model, device=device).predict([d.text for d in gold])
    for d, p in zip(gold, preds):
        p.id = d.id
    return preds


def load_expected(path: Path) -> dict[str, list[dict]]:
    return {r["id"]: r["indicators"] for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(REPO / "data" / "gold" / "test.jsonl"))
    ap.add_argument("--records", default=str(REPO / "data" / "gold" / "records" / "test-indicators.jsonl"))
    ap.add_argument("--model", help="model directory (default: the embedded model)")
    ap.add_argument("--device")
    ap.add_argument("--gold-only", action="store_true", help="skip the model")
    ap.add_argument("--show", action="store_true", help="print each record that is not right")
    args = ap.parse_args(argv)

    gold = load_jsonl(args.data)
    expected = load_expected(Path(args.records))
    print("| spans | expected | records | name span | value | unit | all right | accuracy | accuracy, name overlaps |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(score(gold, expected, args.show).row("gold"))
    if not args.gold_only:
        print(score(predicted(gold, args.model, args.device), expected, args.show).row(
            "predicted (" + (args.model or "embedded model") + ")"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
