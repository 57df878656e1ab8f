"""normalize → segment → subwords → windows: offsets always index the caller's text."""
from __future__ import annotations

import unicodedata

import numpy as np
import pytest

from vnreport.normalize import normalize
from vnreport.segment import PyviSegmenter, SyllableSegmenter, syllables
from vnreport.windows import merge, plan_windows

HARD = ("Ngày 14/9/2023, Chủ tịch UBND tỉnh Võ Văn Hưng – PBT Tỉnh ủy cho biết thu ngân sách "
        "đạt 139.396 triệu đồng, bằng 45,76% dự toán; HĐND huyện họp. English words too!")


def test_nfc_input_is_identity():
    n = normalize(HARD)
    assert n.text == HARD and n.to_original(5, 14) == (5, 14)


def test_nfd_offsets_map_back_to_the_callers_characters():
    nfd = unicodedata.normalize("NFD", HARD)
    n = normalize(nfd)
    assert n.text == HARD
    i = HARD.index("Võ Văn Hưng")
    s, e = n.to_original(i, i + len("Võ Văn Hưng"))
    assert unicodedata.normalize("NFC", nfd[s:e]) == "Võ Văn Hưng"
    assert len(nfd[s:e]) > len("Võ Văn Hưng")  # decomposed marks were counted in the original


@pytest.mark.parametrize("seg", [PyviSegmenter(), SyllableSegmenter()], ids=["pyvi", "syllable"])
def test_words_cover_text_exactly(seg):
    words = seg.segment(HARD)
    for w in words:
        assert HARD[w.start:w.end].replace(" ", "_") == w.form
    forms = [w.form for w in words]
    for piece in ("139.396", "45,76", "%", "UBND", "HĐND", "–", "14", "2023"):
        assert piece in forms, piece
    assert words[0].sent_start and any(w.sent_start and w.form.startswith("English") for w in words)


def test_pyvi_joins_compound_words():
    forms = [w.form for w in PyviSegmenter().segment("Chủ tịch UBND tỉnh chủ trì hội nghị")]
    assert "Chủ_tịch" in forms and "hội_nghị" in forms


def test_segment_handles_empty_and_odd_text():
    seg = PyviSegmenter()
    assert seg.segment("") == [] and seg.segment("   \n\t ") == []
    text = "a\u00a0b  c\n\nđ_e 😀 https://x.vn/a?b=1"
    for w in seg.segment(text):
        assert 0 <= w.start < w.end <= len(text)


def test_syllables_split_sentences_at_newlines_and_stops():
    sents = syllables("Một câu. Câu hai\nDòng ba")
    assert [[s.text for s in x] for x in sents] == [["Một", "câu", "."], ["Câu", "hai"], ["Dòng", "ba"]]


def _words(n, sent_every=10):
    from vnreport.segment import Word

    return [Word(i, i + 1, "w", sent_start=(i % sent_every == 0)) for i in range(n)]


@pytest.mark.parametrize("n,counts", [(1, [1]), (300, [1] * 300), (1000, [3] * 1000), (50, [40] * 50)])
def test_windows_fit_cover_and_overlap(n, counts):
    words = _words(n)
    wins = plan_windows(words, counts, max_subwords=254, stride=64)
    assert wins[0].first == 0 and wins[-1].last == n
    for a, b in zip(wins, wins[1:]):
        assert b.first <= a.last and b.first > a.first  # no gap, always progress
    for w in wins:
        assert sum(counts[w.first:w.last]) <= 254 or w.last - w.first == 1


def test_windows_prefer_sentence_ends():
    words = _words(600, sent_every=25)
    wins = plan_windows(words, [1] * 600, max_subwords=254, stride=64)
    assert all(words[w.last].sent_start for w in wins[:-1])


def test_merge_weights_the_window_centre():
    from vnreport.windows import Window

    wins = [Window(0, 10), Window(5, 15)]
    p1 = np.tile([1.0, 0.0], (10, 1))
    p2 = np.tile([0.0, 1.0], (10, 1))
    m = merge(15, wins, [p1, p2])
    assert m[0, 0] == 1.0 and m[14, 1] == 1.0
    assert m[6, 0] > m[6, 1] and m[9, 1] > m[9, 0]  # each word leans on the window where it is central
    assert np.allclose(m.sum(1), 1.0)


def test_syllables_are_the_units_pyvi_was_trained_on():
    from pyvi.ViTokenizer import ViTokenizer

    from vnreport.segment import syllables

    text = ("Mrs. Lan, ThS. Hà và TP. HCM ==> a->b >> ... gửi x.y@so.gov.vn, xem http://a.vn/b?c=1; "
            "thu 139.396 triệu đồng (45,76%) ngày 14/9/2023 – UBND huyện, N.V.K. phát biểu!")
    ours = [s.text for sent in syllables(text) for s in sent]
    assert ours == [t for t in ViTokenizer.sylabelize(text)[1] if t != "\n"]
