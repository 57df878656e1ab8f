"""Property-based tests (hypothesis) over the normalizer, the segmenter, numbers and predict():
any string, surrogates, combining marks, every Unicode category, long inputs.

Derandomized and bounded (a fixed number of examples, no deadline), so CI runs the same
cases in the same few tens of seconds every time; `HYPOTHESIS_PROFILE=deep` explores more.
"""
from __future__ import annotations

import json
import os
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vnreport
from vnreport.normalize import normalize
from vnreport.records.numbers import parse_number, parse_quantity
from vnreport.segment import PyviSegmenter, SyllableSegmenter

settings.register_profile("ci", max_examples=120, derandomize=True, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("deep", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Any code point, lone surrogates included, weighted towards what breaks text code:
# combining marks, characters that compose, Vietnamese, and separators.
TRICKY = st.sampled_from(
    [chr(c) for c in range(0x300, 0x370)] + list("\u0323\u0309\u0302\u0306\u031b\u09c7\u09be\u09d7\u0b47\u0b3e\u1100\u1161\u11a8\uac00"
                                                "\u0f71\u0f72\u0344\u212b\u1e9b\u0345\u3099\u309a\u200d\ufeff\ud800\udfff\udcc3")
    + list("ăâđêôơưệạẩờ ,.;:\n\t\r%/-–") + ["\U0001F600", "\U000E0001"])
CHARS = st.one_of(st.characters(codec=None, exclude_categories=()), TRICKY, st.sampled_from("abcUBNDhuyện 0123456789"))


def texts(max_size: int) -> st.SearchStrategy[str]:
    # lists joined, not st.text(): text() merges the alphabets into one range of code points,
    # which would make the tricky characters as rare as any other
    return st.lists(CHARS, max_size=max_size).map("".join)


TEXT = texts(300)


def _no_surrogates(text: str) -> str:
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


# -- the normalizer ---------------------------------------------------------------------------
@given(TEXT)
def test_normalize_is_nfc_and_maps_every_character_exactly(text):
    n = normalize(text)
    assert n.original == text and n.text == unicodedata.normalize("NFC", _no_surrogates(text))
    if n.starts is None:
        assert len(n.text) == len(text)
        return
    covered = set()
    for i, ch in enumerate(n.text):
        s, e = n.to_original(i, i + 1)
        assert 0 <= s < e <= len(text)
        assert unicodedata.normalize("NFD", ch)[0] in unicodedata.normalize("NFD", _no_surrogates(text[s:e]))
        covered.update(range(n.starts[i], n.ends[i]))
    assert covered == set(range(len(text)))  # no character of the caller's is lost


@given(TEXT, TEXT)
def test_normalize_is_local_a_composition_later_never_moves_earlier_offsets(a, b):
    text = a + "\n" + b  # a newline is a boundary NFC cannot reach across
    n, head = normalize(text), normalize(a)
    k = len(head.text)
    assert n.text[:k] == head.text
    assert [n.to_original(i, i + 1) for i in range(k)] == [head.to_original(i, i + 1) for i in range(k)]
    assert all(n.to_original(i, i + 1)[0] > len(a) for i in range(k + 1, len(n.text)))


# -- the segmenter ---------------------------------------------------------------------------
@pytest.mark.parametrize("segmenter", [SyllableSegmenter(), PyviSegmenter()], ids=["syllable", "pyvi"])
@given(text=TEXT)
def test_words_are_ordered_disjoint_and_index_the_text(segmenter, text):
    norm = normalize(text).text
    words = segmenter.segment(norm)
    for w, nxt in zip(words, words[1:]):
        assert w.end <= nxt.start
    for w in words:
        assert 0 <= w.start < w.end <= len(norm)
        assert w.form == "_".join(norm[w.start:w.end].split())


# -- numbers ---------------------------------------------------------------------------------
@given(st.lists(st.one_of(st.sampled_from("0123456789.,/–- %"), st.sampled_from(["tỷ", "triệu", " nghìn ", " đồng", "ha"]),
                          st.characters()), max_size=40).map("".join))
def test_parse_quantity_never_raises_and_always_serializes(text):
    q = parse_quantity(text)
    d = json.loads(json.dumps(q.to_dict()))
    assert d["text"] == text and isinstance(d["parsed"], bool)
    if not q.parsed:
        assert q.value is None and q.low is None


@given(st.integers(min_value=0, max_value=10**27 - 1))
def test_dotted_thousands_read_back_exactly(n):
    written = f"{n:,}".replace(",", ".")
    assert parse_number(written) == n and parse_quantity(written + " đồng").value == n


# -- predict() -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tagger():
    return vnreport.load(device="cpu")


def _check(doc, text: str) -> None:
    assert doc.text == text
    for layer in (doc.entities, doc.directives):
        for s, nxt in zip(layer, layer[1:]):
            assert s.end <= nxt.start
        for s in layer:
            assert 0 <= s.start < s.end <= len(text) and s.text == text[s.start:s.end] and 0.0 <= s.score <= 1.0
    json.dumps(doc.to_dict(), ensure_ascii=False)


@settings(max_examples=40)
@given(text=TEXT)
def test_predict_takes_any_string_and_offsets_index_it(tagger, text):
    _check(tagger.predict(text), text)


@settings(max_examples=4)
@given(pieces=st.lists(texts(80), min_size=10, max_size=20))
def test_predict_on_long_mixed_input(tagger, pieces):
    text = "Chủ tịch UBND huyện Lê Văn Bình đạt 139.396 triệu đồng. ".join(pieces) * 3  # several windows
    docs = tagger.predict([text, text[: len(text) // 3]], batch_size=2)
    _check(docs[0], text)
    _check(docs[1], text[: len(text) // 3])


def test_a_character_that_normalization_expands_never_yields_overlapping_spans(tagger):
    """U+0344 becomes two characters in NFC; words from both map back to the one character, and
    the spans decoded on them used to come out twice with the same offsets (found by the test above)."""
    text = "Chủ tịch UBND huyện Lê Văn Bình đạt 139.396 triệu đồng. " * 9 + "\u0344"
    text = text * 3
    _check(tagger.predict(text), text)
