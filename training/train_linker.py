"""Train the directive linker (vnreport/records/linker.py) on hand readings of issuers and addressees.

Why: the rules' order of precedence fit the reports it was written on; weights learned from
readings choose among the same candidates. A conditional log-linear model (softmax over each
directive's candidates, L2) is fitted for each role. While collecting, the previous directive's
issuer and addressee are the reading's (teacher forcing).

Examples come from the gold spans of the read train and dev documents and from the spans the
tagger predicts on the dev documents (it never trained on them): a user's records are built
on predicted spans, cut differently from gold, and a linker that saw only gold candidates chose
worse there than the rules (session 9). Each read directive is matched with the predicted
directive that overlaps it most, as the benchmark matches records (vnreport/records/reading.py).
The L2 strength and whether a role is learned at all are chosen by k-fold cross-validation over
the dev documents, scored on their predicted spans against the rules alone on the same folds
(the train documents are in every fold's training); test is not looked at.

    python training/train_linker.py --out vnreport/records/linker.json [--model DIR]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch
from tqdm import tqdm

from vnreport.data.io import load_jsonl
from vnreport.document import Document
from vnreport.records.directives import build_directives
from vnreport.records.linker import Candidate, Linker, rules_choice
from vnreport.records.officials import build_officials
from vnreport.records.party import Party, fold
from vnreport.records.reading import ROLES, Reading, load_readings, matched, overlap, right

Example = tuple[list[dict[str, float]], int]
Pair = tuple[Document, Document]  # a read document's gold spans, and the spans its records are built on


class Teacher:
    """A linker that records each directive's candidates and answers with the reading."""

    def __init__(self, text: str, reading: dict[int, dict]):
        self.text, self.reading = text, reading
        self.examples: dict[str, list[Example]] = {r: [] for r in ROLES}
        self.unreachable = dict.fromkeys(ROLES, 0)

    def choose(self, role: str, d, cands: list[Candidate]) -> Candidate:
        entry = self.reading.get(d.start)
        if entry is None:  # a directive the reading does not cover: no example, the rules' choice
            return rules_choice(cands)
        want = fold(entry[role])
        hit = next((i for i, c in enumerate(cands) if c.key == want), None)
        if hit is None:
            self.unreachable[role] += 1
            at = entry.get(f"{role}_start")
            at = at if isinstance(at, int) else max(self.text.find(entry[role]), 0)
            return Candidate(Party(entry[role], at, at + len(entry[role])))
        self.examples[role].append(([c.features for c in cands], hit))
        return cands[hit]


def keyed(gold: Document, spans: Document, entries: list[dict]) -> dict[int, dict]:
    """The reading keyed by the start of the directive in `spans` that stands for each read one
    (on gold spans its own start); a directive standing for two read ones keeps the one it overlaps more."""
    out: dict[int, dict] = {}
    dirs = [d for d in spans.directives if d.label == "DIR"]
    gold_at = {g.start: g for g in gold.directives}
    for e, d in matched(dirs, gold.directives, entries):
        if d is not None and (d.start not in out or overlap(d, gold_at[e["start"]]) > overlap(d, gold_at[out[d.start]["start"]])):
            out[d.start] = e
    return out


def collect(pairs: list[Pair], reading: Reading) -> tuple[dict[str, list[Example]], dict[str, int]]:
    examples: dict[str, list[Example]] = {r: [] for r in ROLES}
    unreachable = dict.fromkeys(ROLES, 0)
    for gold, spans in pairs:
        t = Teacher(spans.text, keyed(gold, spans, reading[gold.id]["directives"]))
        build_directives(spans, build_officials(spans), t)
        for r in ROLES:
            examples[r] += t.examples[r]
            unreachable[r] += t.unreachable[r]
    return examples, unreachable


def fit(examples: list[Example], l2: float) -> dict[str, float]:
    """Maximum conditional likelihood with an L2 penalty (LBFGS; the problem is small and convex)."""
    names = sorted({k for feats, _ in examples for f in feats for k in f})
    index = {k: i for i, k in enumerate(names)}
    mats, golds = [], []
    for feats, gold in examples:
        m = torch.zeros(len(feats), len(names), dtype=torch.float64)
        for row, f in enumerate(feats):
            for k, v in f.items():
                m[row, index[k]] = v
        mats.append(m)
        golds.append(gold)
    w = torch.zeros(len(names), dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([w], max_iter=500, tolerance_grad=1e-9, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = sum(-torch.log_softmax(m @ w, 0)[g] for m, g in zip(mats, golds)) / len(mats) + l2 * (w @ w)
        loss.backward()
        return loss

    opt.step(closure)
    return {k: round(float(v), 5) for k, v in zip(names, w.detach()) if abs(float(v)) > 1e-6}


def tally(linker: Linker | None, pairs: list[Pair], reading: Reading) -> tuple[dict[str, int], int]:
    """Read directives whose issuer / addressee the records get right, and how many were read (a
    read directive without a record is wrong)."""
    hits, n = dict.fromkeys(ROLES, 0), 0
    for gold, spans in pairs:
        records = build_directives(spans, build_officials(spans), linker)
        for e, rec in matched(records, gold.directives, reading[gold.id]["directives"]):
            n += 1
            for role in ROLES:
                hits[role] += right(rec, e, role)
    return hits, n


def accuracy(linker: Linker | None, pairs: list[Pair], reading: Reading) -> dict[str, float]:
    hits, n = tally(linker, pairs, reading)
    return {r: round(hits[r] / max(n, 1), 4) for r in ROLES}


def cross_validate(fixed: list[Pair], folded: list[Pair], reading: Reading,
                   l2: float | None, folds: int) -> dict[str, dict[str, float]]:
    """Accuracy on each fold of the `folded` documents (gold, predicted), on predicted and on gold
    spans, with weights fitted on `fixed` and the other folds' gold and predicted spans (`l2` None:
    the rules alone, on the same folds)."""
    hits = {s: dict.fromkeys(ROLES, 0) for s in ("predicted", "gold")}
    n = 0
    for k in range(folds):
        held = [p for i, p in enumerate(folded) if i % folds == k]
        linker = None
        if l2 is not None:
            rest = [p for i, p in enumerate(folded) if i % folds != k]
            examples, _ = collect(fixed + [(g, g) for g, _ in rest] + rest, reading)
            linker = Linker({r: fit(examples[r], l2) for r in ROLES})
        for source, pairs in (("predicted", held), ("gold", [(g, g) for g, _ in held])):
            got, m = tally(linker, pairs, reading)
            for r in ROLES:
                hits[source][r] += got[r]
        n += m
    return {s: {r: round(h[r] / max(n, 1), 4) for r in ROLES} for s, h in hits.items()}


def main() -> None:
    import vnreport

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", default="data/gold/train.jsonl")
    ap.add_argument("--train-links", nargs="+", default=["data/gold/records/train-links.jsonl"])
    ap.add_argument("--dev", default="data/gold/dev.jsonl")
    ap.add_argument("--dev-links", default="data/gold/records/dev-links.jsonl")
    ap.add_argument("--model", help="the tagger whose dev predictions give the predicted-span examples "
                                    "(default: the embedded model; it must not have trained on dev)")
    ap.add_argument("--l2", type=float, nargs="+", default=[0.001, 0.003, 0.01, 0.03])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    reading = load_readings([*args.train_links, args.dev_links])
    train = [(d, d) for d in load_jsonl(args.train) if d.id in reading]
    dev = [d for d in load_jsonl(args.dev) if d.id in reading]
    tagger = vnreport.load(args.model)
    predicted = tagger.predict([d.text for d in tqdm(dev, desc="tagging dev", unit="doc")])
    folded = list(zip(dev, predicted))
    for g, p in folded:
        p.id = g.id
    n = sum(len(reading[g.id]["directives"]) for g, _ in train + folded)
    examples: dict[str, list[Example]] = {r: [] for r in ROLES}  # what the final weights are fitted on
    for name, pairs in (("gold spans", train + [(g, g) for g in dev]), ("dev predicted spans", folded)):
        found, unreachable = collect(pairs, reading)
        print(f"{name}: reading not among the candidates {unreachable}")
        for r in ROLES:
            examples[r] += found[r]
    print(f"readings: {len(train)} train and {len(dev)} dev documents, {n} directives")
    rules = cross_validate(train, folded, reading, None, args.folds)
    print(f"rules alone: {rules}")
    best: dict[str, tuple[float, float]] = {}
    for l2 in tqdm(args.l2, desc="L2 strengths", unit="l2"):
        cv = cross_validate(train, folded, reading, l2, args.folds)
        print(f"l2={l2}: {args.folds}-fold over dev {cv}")
        for r in ROLES:  # each role keeps the strength cross-validation on predicted spans prefers for it
            if r not in best or cv["predicted"][r] > best[r][0]:
                best[r] = (cv["predicted"][r], l2)
    learned = [r for r in ROLES if best[r][0] > rules["predicted"][r]]  # only where it beats the rules
    weights = {r: fit(examples[r], best[r][1]) for r in learned}
    meta = {"trained_on": {"data": [args.train, args.dev], "links": [*args.train_links, args.dev_links],
                           "documents": len(train) + len(dev), "directives": n,
                           "predicted_spans": {"data": args.dev, "tagger": args.model or "embedded",
                                               "tagger_run": tagger.meta.get("training", {}).get("output_dir")}},
            "l2": {r: best[r][1] for r in learned},
            f"{args.folds}_fold_dev_predicted": {r: best[r][0] for r in ROLES},
            f"{args.folds}_fold_dev_predicted_rules_alone": rules["predicted"],
            "learned_roles": learned}
    Path(args.out).write_text(json.dumps({"meta": meta, "weights": weights}, ensure_ascii=False, indent=1) + "\n",
                              encoding="utf-8")
    print(f"learned roles {learned} (l2 {meta['l2']}) -> {args.out}")


if __name__ == "__main__":
    main()
