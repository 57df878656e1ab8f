"""predict() with worker processes and the streaming API give the very spans of the plain path."""
from __future__ import annotations

import pickle

import pytest

from conftest import tiny_docs
from vnreport.processing import TextProcessor

TEXTS = [d.text for d in tiny_docs()] + ["", "Hello, 12.5% growth.", tiny_docs()[1].text * 40]


def spans(docs):
    return [[(s.start, s.end, s.label, s.score) for s in d.entities + d.directives] for d in docs]


def test_workers_give_the_same_documents_in_input_order(tiny_tagger):
    texts = TEXTS * 3  # more documents than a chunk holds at batch size 2
    plain = tiny_tagger.predict(texts, batch_size=2)
    pooled = tiny_tagger.predict(texts, batch_size=2, num_workers=2)
    assert [d.text for d in pooled] == texts
    assert spans(pooled) == spans(plain)
    assert [d.to_dict() for d in pooled] == [d.to_dict() for d in plain]


def test_stream_takes_any_iterable_and_keeps_order(tiny_tagger):
    texts = TEXTS[::-1]
    streamed = list(tiny_tagger.stream(iter(texts), batch_size=3))
    assert spans(streamed) == spans(tiny_tagger.predict(texts, batch_size=3))


def test_batch_size_does_not_change_spans(tiny_tagger):
    a, b = spans(tiny_tagger.predict(TEXTS, batch_size=1)), spans(tiny_tagger.predict(TEXTS, batch_size=64))
    assert [[s[:3] for s in d] for d in a] == [[s[:3] for s in d] for d in b]
    # scores may differ in the last bits: the matrix shapes differ
    assert [s[3] for d in a for s in d] == pytest.approx([s[3] for d in b for s in d], abs=1e-5)


def test_text_processor_pickles_without_its_cache(tiny_tagger):
    tiny_tagger.preprocess(TEXTS[0])
    copy = pickle.loads(pickle.dumps(tiny_tagger.text))
    assert isinstance(copy, TextProcessor) and copy.segmenter.name == tiny_tagger.segmenter.name
    assert copy.encoder._ids.cache_info().currsize == 0
    a, b = copy.preprocess(TEXTS[1]), tiny_tagger.preprocess(TEXTS[1])
    assert (a.words, a.subwords, a.windows) == (b.words, b.subwords, b.windows)


def test_bad_worker_count_is_refused(tiny_tagger):
    with pytest.raises(ValueError, match="num_workers"):
        tiny_tagger.predict(TEXTS, num_workers=-1)


def test_progress_bar_does_not_change_the_result(tiny_tagger):
    docs = tiny_tagger.predict(TEXTS, progress=True)
    assert [d.text for d in docs] == TEXTS and spans(docs) == spans(tiny_tagger.predict(TEXTS))
