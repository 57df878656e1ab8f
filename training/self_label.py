"""Self-training data: the tagger's own labels on the real meeting articles it is surest of.

Why: rule-made silver lowered dev F1 (data/README.md); issue 9 asks whether the model's
confident predictions over unlabeled text of the genre help instead. Candidates are the
meeting articles of the corpus (a looser test than `select_annotation_pool.py`'s), never one offered to annotators, a
gold document, or one that reports the same event as a dev or test document. Each candidate is
tagged and scored by its share of uncertain words (a word whose most likely label, in either
layer, has probability below `--confident`); the least uncertain are kept. The output holds
references and predicted spans, under `data/predicted/`, never gold.

    python training/self_label.py --candidates 400 --n 100 --out data/predicted/self-train-r1.jsonl
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import vnreport
from vnreport.data.io import load_jsonl, write_jsonl
from vnreport.document import Document
from vnreport.schema import LAYERS
from vnreport.windows import merge
from select_annotation_pool import Candidate, distinct_events, genre_ranked, near_genre, shingles


def uncertain_share(window_probs: dict[str, list[np.ndarray]], n_words: int, windows, confident: float) -> float:
    """Share of words whose best label in some layer is below `confident`."""
    unsure = np.zeros(n_words, dtype=bool)
    for layer in LAYERS:
        probs = merge(n_words, windows, window_probs[layer])
        unsure |= probs.max(axis=1) < confident
    return float(unsure.mean()) if n_words else 1.0


def tag(tagger, cands: list[Candidate], confident: float, batch: int = 16) -> list[tuple[float, Document]]:
    """(uncertain share, predicted document) per candidate, in order."""
    out: list[tuple[float, Document]] = []
    for b in range(0, len(cands), batch):
        chunk = cands[b:b + batch]
        prepared = [tagger.preprocess(c.text) for c in chunk]
        for c, p, wp in zip(chunk, prepared, tagger.forward(prepared)):
            doc = tagger.postprocess(p, wp)
            doc.id = c.id
            doc.meta = {"text_ref": {"file": f"../shared/corpus/{c.corpus}", "id": c.id}, "origin": "predicted"}
            out.append((uncertain_share(wp, len(p.words), p.windows, confident), doc))
        print(f"tagged {min(b + batch, len(cands))}/{len(cands)}", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default=None, help="tagger to label with (default: the embedded model)")
    ap.add_argument("--candidates", type=int, default=400, help="how many genre-like articles to tag")
    ap.add_argument("--n", type=int, default=100, help="how many of the surest to keep")
    ap.add_argument("--confident", type=float, default=0.9)
    ap.add_argument("--exclude", nargs="*", default=["data/annotation_pool_ids.txt"])
    ap.add_argument("--gold", nargs="*", default=["data/gold/train.jsonl", "data/gold/dev.jsonl", "data/gold/test.jsonl"])
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    seen = {i for p in args.exclude for i in Path(p).read_text(encoding="utf-8").split()}
    held_out: list[set[tuple[str, ...]]] = []
    for path in args.gold:
        for d in load_jsonl(path):
            seen.add(d.meta.get("text_ref", {}).get("id", d.id))
            if "train" not in Path(path).name:
                held_out.append(shingles(d.text))
    cands = distinct_events(genre_ranked(seen, near_genre), args.candidates, avoid=held_out)
    tagger = vnreport.load(args.model) if args.model else vnreport.load()
    scored = sorted(tag(tagger, cands, args.confident), key=lambda sd: sd[0])[:args.n]
    for share, doc in scored:
        doc.meta["uncertain_words"] = round(share, 4)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    write_jsonl([d for _, d in scored], args.out)
    shares = [s for s, _ in scored]
    print(f"{len(cands)} candidates tagged, {len(scored)} kept (uncertain words {min(shares):.3f}–{max(shares):.3f}) -> {args.out}")


if __name__ == "__main__":
    main()
