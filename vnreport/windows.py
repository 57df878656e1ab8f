"""Windows of at most 256 positions over a long document, and merging them back.

A window holds whole words (≤ 254 subwords plus `<s>` and `</s>`). Windows prefer to
end at a sentence end and overlap the previous one by about `stride` subwords,
starting at a sentence start where one lies in that overlap. Each word's class
probabilities are the weighted average over the windows that contain it; the weight
grows with the word's distance from the window edge, so a word is judged mostly
where it has context on both sides. Decoding runs once over the merged document
sequence, so an entity across a boundary is neither cut nor reported twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from vnreport.segment import Word

# windows per forward pass: on 2 CPU threads 32 is as fast as 8 with length-sorted batches and
# faster with int8 (benchmarks/RESULTS.md); a GPU wants 64+. Here, not in pipeline.py, so that the
# command line can show it without importing torch.
DEFAULT_BATCH_SIZE = 32

@dataclass(frozen=True)
class Window:
    first: int  # index of the first word
    last: int   # one past the last word


def plan_windows(words: Sequence[Word], counts: Sequence[int], max_subwords: int = 254, stride: int = 64) -> list[Window]:
    """Split word indices into overlapping windows that fit `max_subwords`."""
    n = len(words)
    if n == 0:
        return []
    windows: list[Window] = []
    s = 0
    while True:
        total, e = 0, s
        while e < n and total + counts[e] <= max_subwords:
            total += counts[e]
            e += 1
        e = max(e, s + 1)  # a single word always fits (its subwords are capped)
        if e >= n:
            windows.append(Window(s, n))
            return windows
        # prefer to end at a sentence end in the last half of the window
        for b in range(e, s + (e - s) // 2, -1):
            if words[b].sent_start:
                e = b
                break
        windows.append(Window(s, e))
        # next start: `stride` subwords back from e, moved forward to a sentence start if one is there
        back, ns = 0, e
        while ns - 1 > s and back + counts[ns - 1] <= stride:
            ns -= 1
            back += counts[ns]
        for b in range(ns, e):
            if words[b].sent_start:
                ns = b
                break
        s = max(ns, s + 1)


def edge_weights(length: int) -> np.ndarray:
    """Weight of each position in a window: 1 at the edges, rising towards the middle."""
    pos = np.arange(length)
    return 1.0 + np.minimum(pos, length - 1 - pos)


def merge(n_words: int, windows: Sequence[Window], probs: Sequence[np.ndarray]) -> np.ndarray:
    """Weighted average of per-window word probabilities → one (n_words, n_labels) array."""
    n_labels = probs[0].shape[-1]
    acc = np.zeros((n_words, n_labels), dtype=np.float64)
    wsum = np.zeros((n_words, 1), dtype=np.float64)
    for win, p in zip(windows, probs):
        w = edge_weights(win.last - win.first)[:, None]
        acc[win.first:win.last] += w * p
        wsum[win.first:win.last] += w
    return (acc / np.maximum(wsum, 1e-9)).astype(np.float32)
