"""Everything of the tagger but the model: text → windows before it, probabilities → spans after it.

It holds no torch state and pickles to (tokenizer, segmenter name, sizes, labels), so worker
processes can run it next to the model (`Tagger.predict(..., num_workers=N)`).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping, Sequence

import numpy as np

from vnreport.casing import recase
from vnreport.document import Document
from vnreport.furniture import find_furniture, times_of_day, words_inside
from vnreport.normalize import NormalizedText, normalize
from vnreport.schema import LAYERS, Span
from vnreport.segment import Segmenter, Word, get_segmenter
from vnreport.spans import Transitions, decode, line_breaks, span_ends, trim
from vnreport.subwords import SubwordEncoder
from vnreport.windows import Window, merge, plan_windows


@dataclass
class Prepared:
    """A document after preprocessing: everything the model and the decoder need."""

    norm: NormalizedText
    words: list[Word]
    subwords: list[tuple[int, ...]]
    windows: list[Window]


def window_inputs(p: Prepared, win: Window, cls_id: int, sep_id: int) -> tuple[list[int], list[int]]:
    """Input ids of one window and the position of each word's first subword."""
    ids, firsts = [cls_id], []
    for k in range(win.first, win.last):
        firsts.append(len(ids))
        ids.extend(p.subwords[k])
    ids.append(sep_id)
    return ids, firsts


class TextProcessor:
    """normalize → recase → segment → subwords → windows, and merged window probabilities → spans."""

    def __init__(self, tokenizer, segmenter: Segmenter, labels: dict[str, list[str]], max_subwords: int = 254,
                 stride: int = 64, clause_end_layers: Sequence[str] = ("directives",),
                 line_cut_layers: Sequence[str] = ("entities",), transitions: Mapping[str, Transitions] | None = None,
                 furniture: bool = True, recase_capitals: bool = True, min_scores: Mapping[str, float] | None = None):
        self.tokenizer = tokenizer
        self.segmenter = segmenter
        self.encoder = SubwordEncoder(tokenizer)
        self.labels = labels
        self.max_subwords = max_subwords
        self.stride = stride
        # layers whose spans end only at punctuation, a sentence end or the text end
        self.clause_end_layers = tuple(clause_end_layers)
        # layers whose spans never run across a line break (dev: entities gain, directives do not)
        self.line_cut_layers = tuple(line_cut_layers)
        # learned CRF transition scores per layer (training/add_transitions.py); a layer without them decodes on probabilities alone
        self.transitions = dict(transitions or {})
        # keep page furniture (menus, counters, related lists, footers) out of every span and times of day out of entities
        self.furniture = furniture
        # show all-capital lines (portal headlines) to the model in ordinary case (vnreport.casing)
        self.recase_capitals = recase_capitals
        # per layer, the score below which a decoded span is dropped (training/fit_min_score.py fits it on dev)
        self.min_scores = dict(min_scores or {})

    def __reduce__(self) -> tuple[Any, tuple]:
        # the segmenter is rebuilt by name (pyvi's CRF does not pickle) and the word cache starts empty
        return _rebuild, (self.tokenizer, self.segmenter.name, self.labels, self.max_subwords, self.stride,
                          self.clause_end_layers, self.line_cut_layers, self.transitions, self.furniture,
                          self.recase_capitals, self.min_scores)

    def preprocess(self, text: str) -> Prepared:
        norm = normalize(text)
        if self.recase_capitals:
            norm = replace(norm, text=recase(norm.text))  # same length: offsets and spans' text unchanged
        words = self.segmenter.segment(norm.text)
        subwords = self.encoder.encode(words)
        windows = plan_windows(words, [len(s) for s in subwords], self.max_subwords, self.stride)
        return Prepared(norm, words, subwords, windows)

    def postprocess(self, p: Prepared, window_probs: dict[str, list[np.ndarray]]) -> Document:
        text = p.norm.original
        layers: dict[str, list[Span]] = {}
        cuts = line_breaks(p.norm.text, p.words)
        outside = self._outside(p) if self.furniture else {}
        for layer in LAYERS:
            spans: list[Span] = []
            if p.words:
                probs = merge(len(p.words), p.windows, window_probs[layer])
                may_end = span_ends(p.words, layer in self.clause_end_layers)
                cut = cuts if layer in self.line_cut_layers else None
                found = decode(probs, self.labels[layer], may_end, cut, self.transitions.get(layer), outside.get(layer))
                floor = self.min_scores.get(layer, 0.0)
                for first, last, label, score in found:
                    if score < floor:
                        continue
                    s, e = trim(p.norm.text, p.words[first].start, p.words[last - 1].end, layer)
                    if s == e:
                        continue
                    s, e = p.norm.to_original(s, e)
                    _append(spans, Span(s, e, label, text[s:e], score), text)
            layers[layer] = spans
        return Document(text=text, **layers)

    @staticmethod
    def _outside(p: Prepared) -> dict[str, np.ndarray]:
        """Per layer, the words no span may hold: page furniture everywhere, times of day in entities
        (a directive may say "trước 17h00 ngày 20/10")."""
        page = words_inside(p.words, find_furniture(p.norm.text))
        times = words_inside(p.words, times_of_day(p.norm.text))
        return {"entities": page | times, "directives": page}


def _append(spans: list[Span], span: Span, text: str) -> None:
    """Add `span`, or join it with the span before it when both map to the same characters of the
    caller's text: one character that normalization expands into two (U+0344 → U+0308 U+0301)
    can hold the end of one span and the start of the next, and spans must never overlap. The
    joined span covers both and takes the label and score of the surer one."""
    if not spans or span.start >= spans[-1].end:
        spans.append(span)
        return
    prev = spans[-1]
    sure = span if (span.score or 0.0) > (prev.score or 0.0) else prev
    start, end = min(prev.start, span.start), max(prev.end, span.end)
    spans[-1] = Span(start, end, sure.label, text[start:end], sure.score)


def _rebuild(tokenizer, segmenter_name: str, labels, max_subwords: int, stride: int, clause_end_layers,
             line_cut_layers, transitions, furniture, recase_capitals, min_scores) -> TextProcessor:
    return TextProcessor(tokenizer, get_segmenter(segmenter_name), labels, max_subwords, stride, clause_end_layers,
                         line_cut_layers, transitions, furniture, recase_capitals, min_scores)
