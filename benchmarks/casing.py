"""All-capital lines with and without recasing (issue 9: upper-case portal headlines).

    python benchmarks/casing.py [--model DIR] [--data data/gold/dev.jsonl]

Three measures, each with `vnreport.casing.recase` off and on (the tagger's `recase_capitals`):
1. the first three lines (headline and lead) of every real document of --data, as written and put
   in capitals: how much capitals cost and how much recasing wins back, on real text;
2. the all-capital lines of the gold train and dev files (portal headlines and headings, written by
   the project; train lines were seen in training, as written);
3. the whole --data split, to show that the rest of the text is left alone.
Entity spans strict P/R/F1, with offsets into the line as the caller wrote it.
"""
from __future__ import annotations

import argparse

import vnreport
from vnreport.casing import all_capitals
from vnreport.data.io import load_jsonl
from vnreport.evaluate import score

Line = tuple[str, set[tuple[int, int, str]]]


def lines_of(docs, keep, first: int | None = None) -> list[Line]:
    """(line, its gold entity spans with offsets in the line) for the lines `keep` accepts."""
    out = []
    for d in docs:
        pos = 0
        for line in d.text.split("\n")[:first]:
            if keep(line):
                out.append((line, {(s.start - pos, s.end - pos, s.label) for s in d.entities
                                   if pos <= s.start and s.end <= pos + len(line)}))
            pos += len(line) + 1
    return out


def prf(tagger, items: list[Line], transform=lambda s: s) -> str:
    tp = n_pred = n_gold = 0
    for doc, (line, gold) in zip(tagger.predict([transform(line) for line, _ in items]), items):
        pred = {(s.start, s.end, s.label) for s in doc.entities}
        tp, n_pred, n_gold = tp + len(pred & gold), n_pred + len(pred), n_gold + len(gold)
    p, r = tp / max(n_pred, 1), tp / max(n_gold, 1)
    return f"P {p:.3f}  R {r:.3f}  F1 {2 * p * r / max(p + r, 1e-9):.3f}  ({len(items)} lines, {n_gold} spans)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None, help="model folder (default: the embedded model)")
    ap.add_argument("--data", default="data/gold/dev.jsonl")
    args = ap.parse_args()
    tagger = vnreport.load(args.model)
    docs = load_jsonl(args.data)
    real = lines_of([d for d in docs if d.meta.get("origin") != "written"],
                    lambda s: sum(c.isalpha() for c in s) >= 12 and len(s.upper()) == len(s), first=3)
    caps = lines_of(load_jsonl("data/gold/train.jsonl") + docs, all_capitals)
    for on in (False, True):
        tagger.text.recase_capitals = on
        print(f"\nrecase_capitals={on}")
        print(f"  1. real headline and lead lines as written:   {prf(tagger, real)}")
        print(f"     the same lines in capitals:                 {prf(tagger, real, str.upper)}")
        print(f"  2. all-capital lines of train and dev:         {prf(tagger, caps)}")
        rep = score(docs, tagger.predict([d.text for d in docs]))
        print(f"  3. {args.data}: entities strict F1 {rep.layers['entities'].strict['micro'].f1:.4f}, "
              f"DIR {rep.layers['directives'].strict['micro'].f1:.4f}")


if __name__ == "__main__":
    main()
