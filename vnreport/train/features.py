"""Gold documents → model inputs, through the very preprocessing that inference uses.

Training windows come from `Tagger.preprocess`, so segmentation, subwords and window
boundaries are identical at training and prediction time. Each word's IOB2 tag goes
on its first subword; the other subwords and `<s>`/`</s>` are ignored by the loss.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from vnreport.model import LAYER_NAMES
from vnreport.pipeline import Tagger, window_inputs
from vnreport.document import Document
from vnreport.spans import char_bio


@dataclass
class FeatureStats:
    documents: int = 0
    windows: int = 0
    spans: int = 0
    misaligned: int = 0  # spans whose edges fall inside a segmented word


def document_features(tagger: Tagger, doc: Document, stats: FeatureStats) -> list[dict]:
    p = tagger.preprocess(doc.text)
    units = [(w.start, w.end) for w in p.words]
    starts, ends = {u[0] for u in units}, {u[1] for u in units}
    tags: dict[str, list[str]] = {}
    for layer in LAYER_NAMES:
        spans = doc.layer(layer)
        stats.spans += len(spans)
        stats.misaligned += sum(1 for s in spans if s.start not in starts or s.end not in ends)
        tags[layer] = char_bio(units, [(s.start, s.end, s.label) for s in spans])
    label_ids = {layer: {lab: i for i, lab in enumerate(tagger.labels[layer])} for layer in LAYER_NAMES}
    feats = []
    for win in p.windows:
        ids, firsts = window_inputs(p, win, tagger.encoder.cls_id, tagger.encoder.sep_id)
        row: dict = {"input_ids": ids}
        for layer, key in (("entities", "entity_labels"), ("directives", "directive_labels")):
            lab = [-100] * len(ids)
            for k, pos in zip(range(win.first, win.last), firsts):
                lab[pos] = label_ids[layer][tags[layer][k]]
            row[key] = lab
        feats.append(row)
    stats.documents += 1
    stats.windows += len(feats)
    return feats


def build_features(tagger: Tagger, docs: Iterable[Document]) -> tuple[list[dict], FeatureStats]:
    stats = FeatureStats()
    rows = [row for doc in docs for row in document_features(tagger, doc, stats)]
    return rows, stats
