"""Page furniture rules on and off, on one labeled split (issue 9, item 3).

    python benchmarks/furniture.py [--model DIR] [--data data/gold/dev.jsonl] [--show 20]

The model runs once per document; its window probabilities are decoded twice, with the rules of
`vnreport.furniture` (menus, breadcrumbs, share lines, counters, related lists and footers outside
every span; times of day outside entities) and without them. Prints strict F1 per label for both,
the stretches found per kind, and the spans the rules removed, so they can be read.
"""
from __future__ import annotations

import argparse
from collections import Counter

import vnreport
from vnreport.data.io import load_jsonl
from vnreport.evaluate import score
from vnreport.furniture import find_furniture, times_of_day
from vnreport.schema import labels_of_bio


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None, help="model folder (default: the embedded model)")
    ap.add_argument("--data", default="data/gold/dev.jsonl")
    ap.add_argument("--show", type=int, default=20, help="removed spans to print")
    args = ap.parse_args()
    tagger = vnreport.load(args.model)
    gold = load_jsonl(args.data, {layer: labels_of_bio(tags) for layer, tags in tagger.labels.items()})
    prepared = [tagger.preprocess(d.text) for d in gold]
    probs = tagger.forward(prepared)
    runs = {}
    for on in (False, True):
        tagger.text.furniture = on
        runs[on] = [tagger.postprocess(p, wp) for p, wp in zip(prepared, probs)]
    kinds = Counter(f.kind for d in gold for f in find_furniture(d.text) + times_of_day(d.text))
    print(f"{args.data}: {len(gold)} documents; stretches found: {dict(kinds)}")
    reports = {on: score(gold, runs[on]) for on in runs}
    print(f"{'layer':<11} {'label':<6} {'support':>7} {'without':>8} {'with':>8}")
    for layer, rep in reports[True].layers.items():
        for label, s in rep.strict.items():
            before = reports[False].layers[layer].strict[label]
            print(f"{layer:<11} {label:<6} {s.support:>7} {before.f1:>8.4f} {s.f1:>8.4f}")
    shown = 0
    for g, without, with_ in zip(gold, runs[False], runs[True]):
        kept = {(s.start, s.end, s.label) for s in with_.entities + with_.directives}
        golds = {(s.start, s.end, s.label) for s in g.entities + g.directives}
        for s in without.entities + without.directives:
            if (s.start, s.end, s.label) not in kept and shown < args.show:
                shown += 1
                print(f"removed {'(gold) ' if (s.start, s.end, s.label) in golds else ''}{g.id}: {s.label} {s.text!r}")


if __name__ == "__main__":
    main()
