"""Officials and directive records (SPEC.md §3) against a hand reading, from gold and predicted spans.

The readings in data/gold/records/<split>-links.jsonl were written by reading each document
with its gold spans, blind to what vnreport.records produces: for each named person, the
fullest name and every title the text gives them; for each gold directive, who issues it and
who must carry it out. Gold spans measure the linking rules alone; spans predicted by
`vnreport.load()` measure what a user gets.

    python benchmarks/links_accuracy.py [--data data/gold/test.jsonl] [--links ...] [--model DIR | --predictions FILE]
        [--gold-only] [--show]
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from vnreport.data.io import load_jsonl  # noqa: E402
from vnreport.document import Document  # noqa: E402
from vnreport.records.directives import build_directives  # noqa: E402
from vnreport.records.linker import Linker, default_linker  # noqa: E402
from vnreport.records.officials import build_officials  # noqa: E402
from vnreport.records.party import fold as norm  # noqa: E402
from vnreport.records.reading import load_readings, matched, overlap  # noqa: E402


def fold(titles: set[str]) -> set[str]:
    """Drop a title that a fuller one of the same person begins with ("thứ trưởng" in "thứ trưởng bộ y tế"):
    the records keep the fuller form only, where a reader may list both."""
    return {t for t in titles if not any(u != t and u.startswith(t + " ") for u in titles)}


@dataclass
class OfficialTally:
    expected: int = 0   # persons in the reading
    predicted: int = 0  # named official records
    found: int = 0      # expected persons with a record of the same name
    titles_right: int = 0  # ... whose set of titles is also the reading's
    titles_right_folded: int = 0  # ... the same once shorter forms are folded into fuller ones
    title_pairs_expected: int = 0
    title_pairs_predicted: int = 0
    title_pairs_right: int = 0

    def row(self, source: str) -> str:
        p = self.title_pairs_right / self.title_pairs_predicted if self.title_pairs_predicted else 0.0
        r = self.title_pairs_right / self.title_pairs_expected if self.title_pairs_expected else 0.0
        n = max(self.expected, 1)
        return (f"| {source} | {self.expected} | {self.predicted} | {self.found / n:.3f} | "
                f"{self.found / max(self.predicted, 1):.3f} | {self.titles_right / n:.3f} | "
                f"{self.titles_right_folded / n:.3f} | {p:.3f} | {r:.3f} |")


@dataclass
class DirectiveTally:
    expected: int = 0
    with_record: int = 0
    issuer: int = 0
    addressee: int = 0
    addressee_overlap: int = 0
    records: int = 0   # records built in the read documents
    spurious: int = 0  # of them, records that overlap no gold directive (the read ones count each gold directive once)

    def row(self, source: str) -> str:
        n = max(self.expected, 1)
        return (f"| {source} | {self.expected} | {self.with_record} | {self.issuer / n:.3f} | "
                f"{self.addressee / n:.3f} | {self.addressee_overlap / n:.3f} | {self.records} | {self.spurious} |")


def score_officials(docs: list[Document], reading: dict[str, dict], show: bool = False) -> OfficialTally:
    t = OfficialTally()
    for doc in docs:
        got = {norm(o.name): {norm(f) for x in o.titles for f in getattr(x, "forms", [x.text])} for o in doc.officials if o.name}
        want = {norm(p["name"]): {norm(x) for x in p["titles"]} for p in reading[doc.id].get("officials", [])}
        t.expected += len(want)
        t.predicted += len(got)
        t.title_pairs_expected += sum(map(len, want.values()))
        t.title_pairs_predicted += sum(map(len, got.values()))
        for name, titles in want.items():
            if name not in got:
                if show:
                    print(f"  {doc.id}: no official named {name!r}")
                continue
            t.found += 1
            t.titles_right += got[name] == titles
            t.titles_right_folded += fold(got[name]) == fold(titles)
            t.title_pairs_right += len(got[name] & titles)
            if show and got[name] != titles:
                print(f"  {doc.id}: {name!r} titles {sorted(got[name])} expected {sorted(titles)}")
    return t


def score_directives(docs: list[Document], gold: dict[str, Document], reading: dict[str, dict],
                     show: bool = False, linker: Linker | None = None) -> DirectiveTally:
    """Each read directive is matched with the record whose span overlaps its gold span most
    (records built with `linker`; None: the rules alone)."""
    t = DirectiveTally()
    for doc in docs:
        records = build_directives(doc, build_officials(doc), linker)
        golds = gold[doc.id].directives
        t.records += len(records)
        t.spurious += sum(not any(overlap(r, g) for g in golds) for r in records)
        for e, rec in matched(records, golds, reading[doc.id]["directives"]):
            t.expected += 1
            if rec is None:
                if show:
                    print(f"  {doc.id}@{e['start']}: no directive record")
                continue
            t.with_record += 1
            issuer = norm(rec.issuer.label) if rec.issuer else None
            addressee = norm(rec.addressee.label) if rec.addressee else None
            want_i, want_a = norm(e["issuer"]), norm(e["addressee"])
            t.issuer += issuer == want_i
            t.addressee += addressee == want_a
            t.addressee_overlap += addressee == want_a or bool(addressee and want_a and (addressee in want_a or want_a in addressee))
            if show and (issuer != want_i or addressee != want_a):
                print(f"  {doc.id}@{e['start']}: issuer {issuer!r} / {want_i!r}, addressee {addressee!r} / {want_a!r}")
    return t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(REPO / "data" / "gold" / "test.jsonl"))
    ap.add_argument("--links", help="the hand reading (default: data/gold/records/<split>-links.jsonl)")
    ap.add_argument("--model", help="model directory (default: the embedded model)")
    ap.add_argument("--device")
    ap.add_argument("--predictions", help="read predicted spans from this JSONL (records_accuracy.py --save-predictions) "
                                          "instead of running the model")
    ap.add_argument("--gold-only", action="store_true", help="skip the model")
    ap.add_argument("--show", action="store_true", help="print each person and directive that is not right")
    args = ap.parse_args(argv)

    links = Path(args.links or REPO / "data" / "gold" / "records" / f"{Path(args.data).stem}-links.jsonl")
    reading = load_readings([links])
    gold = [d for d in load_jsonl(args.data) if d.id in reading]  # documents added since the reading wait for theirs
    runs = [("gold", gold)]
    if not args.gold_only:
        from records_accuracy import predicted, read_predictions  # the sibling script: run from benchmarks/ or the repo root

        if args.predictions:
            runs.append((f"predicted ({args.predictions})", read_predictions(args.predictions, gold)))
        else:
            runs.append(("predicted (" + (args.model or "embedded model") + ")", predicted(gold, args.model, args.device)))
    by_id = {d.id: d for d in gold}
    print("Officials: a person is found when a record has the reading's name; titles right when its set of titles is the reading's.\n")
    print("| spans | persons read | named records | person recall | person precision | titles right | titles right, shorter forms folded | title P | title R |")
    print("|---|---|---|---|---|---|---|---|---|")
    for source, docs in runs:
        print(score_officials(docs, reading, args.show).row(source))
    if not any("directives" in r for r in reading.values()):
        return 0  # a reading of the officials only (train-officials.jsonl)
    print("\nDirectives: the record whose span overlaps the gold directive most is compared with the reading; "
          "records that overlap no gold directive are counted apart.\n")
    print("| spans | choice | directives read | with a record | issuer right | addressee right | addressee overlaps "
          "| records | records of no gold directive |")
    print("|---|---|---|---|---|---|---|---|---|")
    for source, docs in runs:
        for choice, linker in (("rules", None), ("linker", default_linker())):
            print(score_directives(docs, by_id, reading, args.show, linker).row(f"{source} | {choice}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
