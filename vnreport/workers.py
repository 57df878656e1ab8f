"""Worker processes for the CPU side of tagging, so it runs while the model does.

Segmentation (pyvi's CRF), BPE and decoding are pure Python: on a GPU they, not the
encoder, bound throughput. `TextPool` runs them in spawned processes (safe with CUDA and
with torch's threads) that each hold a copy of the `TextProcessor`; results come back in
input order, and only a bounded number of documents is in flight at any time.
"""
from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Callable, Iterable, Iterator, TypeVar

import numpy as np

from vnreport.document import Document
from vnreport.processing import Prepared, TextProcessor

T = TypeVar("T")
R = TypeVar("R")


def ordered_map(submit: Callable[[T], "Future[R]"], items: Iterable[T], ahead: int) -> Iterator[R]:
    """Results of `submit(item)` in input order, with at most `ahead` futures pending."""
    pending: deque[Future[R]] = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


_processor: TextProcessor | None = None


def _init(processor: TextProcessor) -> None:
    global _processor
    _processor = processor


def _preprocess(text: str) -> Prepared:
    return _processor.preprocess(text)


def _postprocess(p: Prepared, probs: dict[str, list[np.ndarray]]) -> Document:
    return _processor.postprocess(p, probs)


class TextPool:
    """`n` spawned processes that preprocess texts and decode probabilities for one tagger."""

    def __init__(self, processor: TextProcessor, n: int):
        if n < 1:
            raise ValueError(f"num_workers must be ≥ 0, got {n}")
        self.n = n
        self.executor = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_init, initargs=(processor,))

    def preprocess(self, texts: Iterable[str], ahead: int) -> Iterator[Prepared]:
        return ordered_map(lambda t: self.executor.submit(_preprocess, t), texts, ahead)

    def postprocess(self, p: Prepared, probs: dict[str, list[np.ndarray]]) -> "Future[Document]":
        return self.executor.submit(_postprocess, p, probs)

    def close(self) -> None:
        self.executor.shutdown(cancel_futures=True)
