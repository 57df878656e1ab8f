"""Word-level label probabilities → BIO-consistent spans with scores.

A constrained Viterbi pass picks the best tag sequence in which every `I-X` follows
`B-X` or `I-X`, so spans are never ill-formed; a span's score is the mean
probability of its tags.
"""
from __future__ import annotations

from bisect import bisect_right

import numpy as np


def _allowed(labels: list[str]) -> np.ndarray:
    n = len(labels)
    ok = np.ones((n, n), dtype=bool)  # ok[prev, cur]
    for j, cur in enumerate(labels):
        if cur.startswith("I-"):
            for i, prev in enumerate(labels):
                ok[i, j] = prev[2:] == cur[2:] and prev != "O"
    return ok


def viterbi(probs: np.ndarray, labels: list[str]) -> list[int]:
    """Best tag ids for (n_words, n_labels) probabilities under IOB2 constraints."""
    n, k = probs.shape
    if n == 0:
        return []
    allowed = _allowed(labels)
    greedy = probs.argmax(1)
    # The unconstrained best path is each word's argmax; when it breaks no constraint it is
    # also the constrained optimum, so the dynamic programme is needed only otherwise.
    if not labels[greedy[0]].startswith("I-") and allowed[greedy[:-1], greedy[1:]].all():
        return [int(t) for t in greedy]
    logp = np.log(np.clip(probs, 1e-9, 1.0))
    trans = np.where(allowed, 0.0, -np.inf)
    start = np.array([0.0 if not lab.startswith("I-") else -np.inf for lab in labels])
    score = start + logp[0]
    back = np.zeros((n, k), dtype=np.int64)
    for t in range(1, n):
        cand = score[:, None] + trans
        back[t] = cand.argmax(0)
        score = cand.max(0) + logp[t]
    path = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def decode(probs: np.ndarray, labels: list[str]) -> list[tuple[int, int, str, float]]:
    """(first_word, last_word_exclusive, label, score) for each span."""
    tags = viterbi(probs, labels)
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


def trim(text: str, start: int, end: int, layer: str) -> tuple[int, int]:
    """Shrink a span past edge punctuation and whitespace (annotation rule 1); a directive also
    drops its final full stop, while an entity keeps it (initials "N.V.K.", "TP.")."""
    edge = _EDGE | {"."} if layer == "directives" else _EDGE
    while start < end and text[start] in edge:
        start += 1
    while end > start and text[end - 1] in edge:
        end -= 1
    return start, end
