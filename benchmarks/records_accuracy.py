"""Indicator record accuracy (SPEC.md §4) against a hand reading, from gold spans and from predicted spans.

A record is right when its name span, its value (in base units) and its unit equal the
hand-written reading in data/gold/records/<split>-indicators.jsonl (<split> is the stem of
--data). Where a reading also gives the rates with their bases ("plan", "same_period",
"other", null) and the period, those are scored too, on the record of the same name span.
Only documents that have a reading are scored. Gold spans measure the record layer alone;
spans predicted by `vnreport.load()` (or read from --predictions) measure what a user gets.

    python benchmarks/records_accuracy.py [--data data/gold/dev.jsonl] [--model DIR] [--device cpu]
        [--predictions FILE | --save-predictions FILE] [--gold-only] [--show]
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

from vnreport.data.io import load_jsonl, write_jsonl  # noqa: E402
from vnreport.records.indicators import Indicator  # noqa: E402
from vnreport.records.numbers import Quantity  # noqa: E402
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
    rates_read: int = 0  # expected records whose reading lists the rates with their bases
    rates_right: int = 0
    period_read: int = 0  # expected records whose reading gives the period
    period_right: int = 0

    def row(self, source: str) -> str:
        acc = self.right / self.expected if self.expected else 0.0
        lenient = self.overlap_right / self.expected if self.expected else 0.0
        rates = f"{self.rates_right}/{self.rates_read}" if self.rates_read else "–"
        period = f"{self.period_right}/{self.period_read}" if self.period_read else "–"
        return (f"| {source} | {self.expected} | {self.predicted} | {self.name} | {self.value} | {self.unit} | "
                f"{self.right} | {acc:.3f} | {lenient:.3f} | {rates} | {period} |")


HEADER = ("| spans | expected | records | name span | value | unit | all right | accuracy | accuracy, name overlaps "
          "| rates and bases right | period right |\n|---|---|---|---|---|---|---|---|---|---|---|")


def same_number(expected: object, q: Quantity | None) -> bool:
    """Numbers equal up to float noise; a pair [a, b] against the quantity's range or fraction ("15/19 tiêu chí")."""
    if q is None:
        return False
    if isinstance(expected, list):
        pair = (q.low, q.high) if q.low is not None else (q.value, q.denominator)
        return None not in pair and all(math.isclose(x, y) for x, y in zip(pair, expected))
    return q.value is not None and expected is not None and math.isclose(q.value, expected, rel_tol=1e-9)


def same_value(expected: object, rec: Indicator) -> bool:
    return same_number(expected, rec.main.quantity if rec.main else None)


def same_rates(expected: list[dict], rec: Indicator) -> bool:
    """Every read rate matched by one of the record's rates with the same base, and no rate left over."""
    left = list(rec.rates)
    for e in expected:
        hit = next((f for f in left if f.base == (e["base"] or "other") and same_number(e["value"], f.quantity)), None)
        if hit is None:
            return False
        left.remove(hit)
    return not left


def same_period(expected: str | None, rec: Indicator) -> bool:
    got = rec.period.text if rec.period else None
    return (" ".join(got.split()) if got else None) == (" ".join(expected.split()) if expected else None)


def score(docs: list[Document], expected: dict[str, list[dict]], show: bool = False) -> Tally:
    """Compare each expected record with the record of the same name span; print misses if `show`."""
    t = Tally()
    for doc in docs:
        if doc.id not in expected:
            continue
        by_name = {(r.start, r.name): r for r in doc.indicators}
        t.predicted += len(by_name)
        for e in expected[doc.id]:
            t.expected += 1
            t.rates_read += "rates" in e
            t.period_read += "period" in e
            end = e["start"] + len(e["name"])
            t.overlap_right += any(r.start < end and e["start"] < r.end and same_value(e["value"], r)
                                   and " ".join((r.unit or "").split()) == e["unit"] for r in doc.indicators)
            rec = by_name.get((e["start"], e["name"]))
            if rec is None:
                if show:
                    near = [f"{r.name!r}@{r.start}" for r in doc.indicators if r.start < end and e["start"] < r.end]
                    print(f"  {doc.id}: no record named {e['name']!r} at {e['start']}" + (f" (overlapping: {', '.join(near)})" if near else ""))
                continue
            ok_value = same_value(e["value"], rec)
            ok_unit = " ".join((rec.unit or "").split()) == e["unit"]
            if show and not (ok_value and ok_unit):
                print(f"  {doc.id}: {e['name']!r} expected {e['value']} {e['unit']}, got {rec.value} {rec.unit}")
            t.name += 1
            t.value += ok_value
            t.unit += ok_unit
            t.right += ok_value and ok_unit
            if "rates" in e:
                ok = same_rates(e["rates"], rec)
                t.rates_right += ok
                if show and not ok:
                    got = [(f.quantity.value, f.base) for f in rec.rates]
                    print(f"  {doc.id}: {e['name']!r} rates expected {[(r['value'], r['base']) for r in e['rates']]}, got {got}")
            if "period" in e:
                ok = same_period(e["period"], rec)
                t.period_right += ok
                if show and not ok:
                    print(f"  {doc.id}: {e['name']!r} period expected {e['period']!r}, got {rec.period.text if rec.period else None!r}")
    return t


def predicted(gold: list[Document], model: str | None, device: str | None) -> list[Document]:
    """The gold documents' texts tagged by a model (default: the embedded one), ids kept."""
    import vnreport

    preds = vnreport.load(model, device=device).predict([d.text for d in gold])
    for d, p in zip(gold, preds):
        p.id = d.id
    return preds


def read_predictions(path: str, gold: list[Document]) -> list[Document]:
    """Predicted spans saved earlier (--save-predictions, or `vnreport predict --format jsonl` with the gold ids)."""
    docs = {d.id: d for d in load_jsonl(path)}
    missing = [g.id for g in gold if g.id not in docs or docs[g.id].text != g.text]
    if missing:
        raise SystemExit(f"{path}: no prediction with the text of {len(missing)} document(s) of --data, "
                         f"first {missing[0]!r}")
    return [docs[g.id] for g in gold]


def load_expected(path: Path) -> dict[str, list[dict]]:
    return {r["id"]: r["indicators"] for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(REPO / "data" / "gold" / "test.jsonl"))
    ap.add_argument("--records", help="the hand reading (default: data/gold/records/<split>-indicators.jsonl)")
    ap.add_argument("--model", help="model directory (default: the embedded model)")
    ap.add_argument("--device")
    ap.add_argument("--predictions", help="read predicted spans from this JSONL instead of running the model")
    ap.add_argument("--save-predictions", help="write the model's spans of the read documents to this JSONL")
    ap.add_argument("--gold-only", action="store_true", help="skip the model")
    ap.add_argument("--show", action="store_true", help="print each record that is not right")
    args = ap.parse_args(argv)

    records = Path(args.records or REPO / "data" / "gold" / "records" / f"{Path(args.data).stem}-indicators.jsonl")
    expected = load_expected(records)
    gold = [d for d in load_jsonl(args.data) if d.id in expected]
    print(f"{len(gold)} documents of {args.data} read in {records}\n")
    print(HEADER)
    print(score(gold, expected, args.show).row("gold"))
    if not args.gold_only:
        if args.predictions:
            docs, source = read_predictions(args.predictions, gold), args.predictions
        else:
            docs, source = predicted(gold, args.model, args.device), args.model or "embedded model"
            if args.save_predictions:
                write_jsonl(docs, args.save_predictions, inline_text=True)
        print(score(docs, expected, args.show).row(f"predicted ({source})"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
