"""Word-level label probabilities → BIO-consistent spans with scores.

A constrained Viterbi pass picks the best tag sequence in which every `I-X` follows
`B-X` or `I-X`, so spans are never ill-formed; a span's score is the mean
probability of its tags. A layer may also say where its spans may end (`may_end`):
directives end at punctuation, a sentence end or the end of the text (948 of 956 gold
directives do), so the decoder never stops one in the middle of a clause. And no span of
either layer runs across a line break (`cut`): no gold span does, while a model left free
glues a headline to the line under it or a time stamp to the date after it. A model may also
carry a linear-chain CRF's learned transition scores (`Transitions`), added to its
log-probabilities under the same constraints (dev: benchmarks/crf_vs_viterbi.py).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from vnreport.errors import BadValueError
from vnreport.segment import Word


# the kinds of step from one word to the next
FREE, HELD, CUT = 0, 1, 2


def _allowed(labels: list[str]) -> np.ndarray:
    n = len(labels)
    ok = np.ones((n, n), dtype=bool)  # ok[prev, cur]
    for j, cur in enumerate(labels):
        if cur.startswith("I-"):
            for i, prev in enumerate(labels):
                ok[i, j] = prev[2:] == cur[2:] and prev != "O"
    return ok


def _continues(labels: list[str]) -> np.ndarray:
    """cont[prev, cur]: `cur` carries on the span that `prev` is in (prev B-X/I-X, cur I-X)."""
    inside = np.array([lab != "O" for lab in labels])
    same = np.array([[a[2:] == b[2:] for b in labels] for a in labels])
    is_i = np.array([lab.startswith("I-") for lab in labels])
    return inside[:, None] & same & is_i[None, :]


def step_masks(labels: list[str]) -> np.ndarray:
    """ok[kind, prev, cur]: which tag may follow which on a FREE step, a HELD one (no span may
    end there: a span tag must be followed by one that continues it) and a CUT one (a line break:
    the next word starts afresh)."""
    allowed = _allowed(labels)
    inside = np.array([lab != "O" for lab in labels])
    is_i = np.array([lab.startswith("I-") for lab in labels])
    held = allowed & (_continues(labels) | ~inside[:, None])
    return np.stack([allowed, held, allowed & ~is_i[None, :]])


def step_kinds(n: int, may_end: np.ndarray | None = None, cut: np.ndarray | None = None) -> np.ndarray:
    """kinds[t]: the kind of step from word t to word t + 1 (the last entry is unused)."""
    kinds = np.full(n, FREE, dtype=np.int64)
    if may_end is not None:
        kinds[~np.asarray(may_end, dtype=bool)] = HELD
    if cut is not None:
        kinds[np.asarray(cut, dtype=bool)] = CUT  # a line break ends a span wherever it stands
    if n:
        kinds[-1] = FREE
    return kinds


@dataclass(frozen=True)
class Transitions:
    """Learned CRF scores added to the word log-probabilities while decoding: `matrix[prev, cur]`
    for each pair of adjacent tags, `start` for the first tag and `end` for the last one (in
    log-probability units, so a model's probabilities keep their weight). The hard constraints
    still apply on top."""

    matrix: np.ndarray
    start: np.ndarray
    end: np.ndarray

    def to_dict(self, labels: Sequence[str]) -> dict[str, Any]:
        """The form kept in a model's vnreport.json (`transitions`, per layer); the labels name the rows."""
        return {"labels": list(labels), "matrix": np.round(self.matrix, 4).tolist(),
                "start": np.round(self.start, 4).tolist(), "end": np.round(self.end, 4).tolist()}

    @classmethod
    def from_dict(cls, spec: Any, labels: Sequence[str], where: str) -> Transitions:
        """Read `to_dict`'s form back, refusing scores made for other labels (`where` names the field)."""
        k = len(labels)
        try:
            if list(spec["labels"]) != list(labels):
                raise ValueError(f"they are for the tags {spec['labels']}, the model has {list(labels)}")
            out = cls(np.asarray(spec["matrix"], dtype=np.float64), np.asarray(spec["start"], dtype=np.float64),
                      np.asarray(spec["end"], dtype=np.float64))
        except (KeyError, TypeError, ValueError) as e:
            raise BadValueError(f"{where} cannot be used ({e}); fit them again with benchmarks/crf_vs_viterbi.py") from None
        if out.matrix.shape != (k, k) or out.start.shape != (k,) or out.end.shape != (k,) or \
                not all(np.isfinite(a).all() for a in (out.matrix, out.start, out.end)):
            raise BadValueError(f"{where} cannot be used: matrix must be {k}×{k} and start, end {k} finite numbers")
        return out


def viterbi(probs: np.ndarray, labels: list[str], may_end: np.ndarray | None = None,
            cut: np.ndarray | None = None, transitions: Transitions | None = None,
            outside: np.ndarray | None = None) -> list[int]:
    """Best tag ids for (n_words, n_labels) probabilities under IOB2 constraints.

    `may_end[t]` False forbids a span to end after word t: the next tag must continue it.
    `cut[t]` True forbids a span to go on from word t to word t + 1 (a line break between them).
    `outside[t]` True keeps word t out of every span (page furniture, vnreport.furniture).
    `transitions` adds learned scores between adjacent tags (a linear-chain CRF's)."""
    n, k = probs.shape
    if n == 0:
        return []
    masks = step_masks(labels)
    kinds = step_kinds(n, may_end, cut)
    is_i = np.array([lab.startswith("I-") for lab in labels])
    is_o = np.array([lab == "O" for lab in labels])
    outside = None if outside is None else np.asarray(outside, dtype=bool)
    greedy = probs.argmax(1)
    # The unconstrained best path is each word's argmax; when it breaks no constraint (and no
    # learned transition weighs in) it is also the best one, so the dynamic programme is needed only otherwise.
    if transitions is None and not is_i[greedy[0]] and masks[kinds[:-1], greedy[:-1], greedy[1:]].all() and \
            (outside is None or is_o[greedy[outside]].all()):
        return [int(t) for t in greedy]
    logp = np.log(np.clip(probs, 1e-9, 1.0))
    if outside is not None:
        logp[np.ix_(outside, ~is_o)] = -np.inf
    learned = transitions or Transitions(np.zeros((k, k)), np.zeros(k), np.zeros(k))
    trans = np.where(masks, learned.matrix, -np.inf)
    score = np.where(is_i, -np.inf, learned.start) + logp[0]
    back = np.zeros((n, k), dtype=np.int64)
    for t in range(1, n):
        cand = score[:, None] + trans[kinds[t - 1]]
        back[t] = cand.argmax(0)
        score = cand.max(0) + logp[t]
    score = score + learned.end
    path = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def decode(probs: np.ndarray, labels: list[str], may_end: np.ndarray | None = None,
           cut: np.ndarray | None = None, transitions: Transitions | None = None,
           outside: np.ndarray | None = None) -> list[tuple[int, int, str, float]]:
    """(first_word, last_word_exclusive, label, score) for each span."""
    tags = viterbi(probs, labels, may_end, cut, transitions, outside)
    spans: list[tuple[int, int, str, float]] = []
    i = 0
    while i < len(tags):
        lab = labels[tags[i]]
        if lab.startswith("B-"):
            j = i + 1
            while j < len(tags) and labels[tags[j]] == "I-" + lab[2:]:
                j += 1
            score = float(np.mean([probs[t, tags[t]] for t in range(i, j)]))
            spans.append((i, j, lab[2:], score))
            i = j
        else:
            i += 1
    return spans


def clause_ends(words: Sequence[Word]) -> np.ndarray:
    """may_end[t]: word t is last, or the next word is punctuation or starts a sentence."""
    ends = np.ones(len(words), dtype=bool)
    for t in range(len(words) - 1):
        nxt = words[t + 1]
        ends[t] = nxt.sent_start or not any(ch.isalnum() for ch in nxt.form)
    return ends


# lower-case words that always want more after them; of the 36,755 gold spans none ends on one
_OPEN_ENDED = frozenset("của các những mà với và cho theo tại thì là đã sẽ đang trong về".split())


def phrase_ends(words: Sequence[Word]) -> np.ndarray:
    """may_end[t] for the entity layer: False where word t is a function word that never closes a
    name or a figure ("sản lượng khai thác hải sản của", "giá trị giải ngân vốn các"), unless
    punctuation or the end of the text follows it: there it has no object to wait for and is a
    word of the name ("nhiên liệu chuyến về;", the return trip's fuel)."""
    n = len(words)
    return np.array([w.form not in _OPEN_ENDED or t + 1 == n or not any(c.isalnum() for c in words[t + 1].form)
                     for t, w in enumerate(words)], dtype=bool)


def span_ends(words: Sequence[Word], clause_layer: bool) -> np.ndarray:
    """Where a layer's spans may end: at clause ends for a directive-like layer, else anywhere but
    on a function word; the decoder and the CRF fit read the same rule from here."""
    return clause_ends(words) if clause_layer else phrase_ends(words)


def line_breaks(text: str, words: Sequence[Word]) -> np.ndarray:
    """cut[t]: a line break lies between word t and word t + 1, so no span may join them."""
    cut = np.zeros(len(words), dtype=bool)
    for t in range(len(words) - 1):
        gap = text[words[t].end:words[t + 1].start]
        cut[t] = "\n" in gap or "\r" in gap
    return cut


def char_bio(units: list[tuple[int, int]], spans: list[tuple[int, int, str]]) -> list[str]:
    """IOB2 tags for sorted units (start, end): a unit is inside a span if it overlaps it."""
    tags = ["O"] * len(units)
    ends = [e for _, e in units]
    for s, e, lab in sorted(spans):
        i = bisect_right(ends, s)  # first unit ending after s
        first = True
        while i < len(units) and units[i][0] < e:
            tags[i] = ("B-" if first else "I-") + lab
            first = False
            i += 1
    return tags


_EDGE = frozenset(",;:…“”\"()–- \t\r\n\u00a0")


# a final full stop that belongs to the entity: initials ("N.V.K.", "L.") and dotted abbreviations ("TP.")
_OWN_STOP = re.compile(r"(?<![^\s(])(?:\w\.(?:\w{1,2}\.)*|TP\.|Tp\.|TX\.|TT\.|Q\.|P\.)$")
_PAIRS = {")": "(", "”": "“"}


def trim(text: str, start: int, end: int, layer: str) -> tuple[int, int]:
    """Shrink a span past edge punctuation and whitespace (annotation rule 1). A closing bracket or
    quote stays when the span opens it ("tổng sản phẩm (GRDP)", 'phương châm "4 tại chỗ"'); a
    directive drops its final full stop, an entity keeps it only when it closes initials or an
    abbreviation ("N.V.K.", "TP."), not a sentence ("TP HCM.", "18,6 triệu USD.", "quý II.")."""
    edge = _EDGE | {"."} if layer == "directives" else _EDGE
    while start < end and text[start] in edge:
        start += 1
    while end > start:
        last = text[end - 1]
        if last in _PAIRS and text.count(_PAIRS[last], start, end) >= text.count(last, start, end):
            break
        if last == '"' and text.count('"', start, end) % 2 == 0:  # closes a quote the span opened
            break
        if last not in edge and (last != "." or _OWN_STOP.search(text, start, end)):  # "." is edge for directives
            break
        end -= 1
    return start, end
