"""Decoding: constrained Viterbi never produces an ill-formed span."""
from __future__ import annotations

import numpy as np

from vnreport.schema import bio_labels
from vnreport.spans import char_bio, decode, viterbi

LABELS = bio_labels(["PER", "ORG"])  # O B-PER I-PER B-ORG I-ORG


def test_lone_inside_tag_is_repaired():
    probs = np.array([[0.1, 0.0, 0.9, 0.0, 0.0], [0.1, 0.0, 0.9, 0.0, 0.0], [0.9, 0.0, 0.1, 0.0, 0.0]])
    tags = [LABELS[i] for i in viterbi(probs, LABELS)]
    assert tags[0] != "I-PER"
    spans = decode(probs, LABELS)
    assert len(spans) <= 1 and all(lab == "PER" for _, _, lab, _ in spans)


def test_type_switch_inside_span_is_not_allowed():
    probs = np.array([[0.0, 0.9, 0.0, 0.1, 0.0], [0.0, 0.0, 0.4, 0.0, 0.6]])
    tags = [LABELS[i] for i in viterbi(probs, LABELS)]
    assert tags != ["B-PER", "I-ORG"]


def test_decode_scores_and_bounds():
    probs = np.array([[0.0, 1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.8, 0.0, 0.2], [1.0, 0, 0, 0, 0], [0, 0, 0, 1.0, 0]])
    assert [(s, e, lab) for s, e, lab, _ in decode(probs, LABELS)] == [(0, 2, "PER"), (3, 4, "ORG")]
    assert abs(decode(probs, LABELS)[0][3] - 0.9) < 1e-6
    assert decode(np.zeros((0, 5)), LABELS) == []


def test_char_bio_marks_overlapping_units():
    units = [(0, 2), (3, 5), (6, 9), (10, 12)]
    assert char_bio(units, [(3, 9, "ORG"), (10, 11, "PER")]) == ["O", "B-ORG", "I-ORG", "B-PER"]


def _valid(tags):
    labs = [LABELS[t] for t in tags]
    prev = ["O"] + labs[:-1]
    return all(not (b.startswith("I-") and (a == "O" or a[2:] != b[2:])) for a, b in zip(prev, labs))


def test_viterbi_finds_the_best_valid_sequence():
    """Against brute force over all tag sequences, with and without the greedy fast path."""
    import itertools

    rng = np.random.default_rng(0)
    for _ in range(150):
        probs = rng.dirichlet(np.ones(5) * 0.3, size=int(rng.integers(1, 5)))
        logp = np.log(np.clip(probs, 1e-9, 1.0))
        best = max((seq for seq in itertools.product(range(5), repeat=len(probs)) if _valid(seq)),
                   key=lambda seq: sum(logp[i, t] for i, t in enumerate(seq)))
        tags = viterbi(probs, LABELS)
        assert _valid(tags)
        assert np.isclose(sum(logp[i, t] for i, t in enumerate(tags)), sum(logp[i, t] for i, t in enumerate(best)))


def test_trim_drops_edge_punctuation_but_keeps_initials():
    from vnreport.spans import trim

    text = "đề nghị (đeo khẩu trang, giữ khoảng cách). Ông N.V.K. nói"
    s, e = trim(text, 8, 42, "directives")
    assert text[s:e] == "đeo khẩu trang, giữ khoảng cách"
    i = text.index("N.V.K.")
    assert text[slice(*trim(text, i, i + 7, "entities"))] == "N.V.K."
    assert trim(text, 23, 25, "entities") == (25, 25)  # nothing but punctuation: empty
    # a sentence's full stop is no part of the entity before it; an abbreviation's is
    for written, kept in (("Lãnh đạo TP HCM.", "TP HCM"), ("đạt 18,6 triệu USD.", "18,6 triệu USD"),
                          ("trong quý II.", "quý II"), ("gặp chị L.", "L."), ("Chủ tịch UBND TP.", "UBND TP.")):
        i = written.index(kept)
        assert written[slice(*trim(written, i, len(written), "entities"))] == kept
    # a closing bracket or quote stays when the span opens it, and goes when it does not
    text = 'Tổng sản phẩm (GRDP) tăng. Yêu cầu "thực hiện phương châm "4 tại chỗ"'
    i = text.index("Tổng")
    assert text[slice(*trim(text, i, text.index(" tăng"), "entities"))] == "Tổng sản phẩm (GRDP)"
    assert text[slice(*trim(text, text.index("GRDP"), text.index(" tăng"), "entities"))] == "GRDP"
    j = text.index("thực")
    assert text[slice(*trim(text, j, len(text), "directives"))] == 'thực hiện phương châm "4 tại chỗ"'
    assert text[slice(*trim(text, j, text.index(' "4'), "directives"))] == "thực hiện phương châm"


DIR = bio_labels(["DIR"])  # O B-DIR I-DIR


def test_directive_is_not_ended_in_the_middle_of_a_clause():
    from vnreport.segment import Word
    from vnreport.spans import clause_ends

    # "đẩy_mạnh thu ngân_sách , tiết_kiệm chi": the model's confidence dips on "ngân_sách"
    forms = ["đẩy_mạnh", "thu", "ngân_sách", ",", "tiết_kiệm", "chi"]
    words, pos = [], 0
    for f in forms:
        words.append(Word(pos, pos + len(f), f, sent_start=pos == 0))
        pos += len(f) + 1
    probs = np.array([[0.1, 0.9, 0.0], [0.2, 0.0, 0.8], [0.6, 0.0, 0.4], [0.9, 0.0, 0.1], [0.9, 0.1, 0.0], [0.9, 0.0, 0.1]])
    assert [(s, e) for s, e, _, _ in decode(probs, DIR)] == [(0, 2)]  # free decoding stops early
    may_end = clause_ends(words)
    assert may_end.tolist() == [False, False, True, False, False, True]
    assert [(s, e) for s, e, _, _ in decode(probs, DIR, may_end)] == [(0, 3)]  # runs on to the comma


def test_clause_end_rule_may_drop_a_span_rather_than_stretch_it():
    probs = np.array([[0.4, 0.6, 0.0], [0.99, 0.0, 0.01], [0.99, 0.0, 0.01]])
    assert decode(probs, DIR, np.array([False, False, True])) == []
    assert [(s, e) for s, e, _, _ in decode(probs, DIR)] == [(0, 1)]


def test_no_entity_ends_on_a_word_that_wants_more():
    from vnreport.segment import Word
    from vnreport.spans import phrase_ends

    # "sản_lượng khai_thác hải_sản của huyện": the model's span runs one word too far, onto "của"
    forms = ["sản_lượng", "khai_thác", "hải_sản", "của", "huyện"]
    words, pos = [], 0
    for f in forms:
        words.append(Word(pos, pos + len(f), f, sent_start=pos == 0))
        pos += len(f) + 1
    labels = bio_labels(["IND"])
    probs = np.array([[0.05, 0.9, 0.05], [0.05, 0.0, 0.95], [0.1, 0.0, 0.9], [0.4, 0.0, 0.6], [0.9, 0.0, 0.1]])
    assert [(s, e) for s, e, _, _ in decode(probs, labels)] == [(0, 4)]
    may_end = phrase_ends(words)
    assert may_end.tolist() == [True, True, True, False, True]
    assert [(s, e) for s, e, _, _ in decode(probs, labels, may_end)] == [(0, 3)]
    # a name that ends in such a word keeps it: only the lower-case function word is held
    assert phrase_ends([Word(0, 9, "Hoàng_Các"), Word(10, 13, "Các")]).tolist() == [True, True]
    # before punctuation it has no object to wait for: "nhiên_liệu chuyến về;" (the return trip's fuel)
    trip = [Word(0, 10, "nhiên_liệu"), Word(11, 17, "chuyến"), Word(18, 20, "về"), Word(20, 21, ";"), Word(22, 25, "hỗ_trợ")]
    assert phrase_ends(trip).tolist() == [True, True, True, True, True]
    assert phrase_ends([Word(0, 7, "báo_cáo"), Word(8, 10, "về"), Word(11, 15, "việc")]).tolist() == [True, False, True]


def test_no_span_runs_across_a_line_break():
    from vnreport.segment import Word
    from vnreport.spans import line_breaks

    # a headline ending in a place name, and the update stamp's date on the next line
    text = "Họp UBND huyện\n12/10/2023 Cập nhật"
    words = [Word(0, 3, "Họp", True), Word(4, 8, "UBND"), Word(9, 14, "huyện"),
             Word(15, 25, "12/10/2023", True), Word(26, 29, "Cập"), Word(30, 34, "nhật")]
    cut = line_breaks(text, words)
    assert cut.tolist() == [False, False, True, False, False, False]
    # the model would glue "huyện" and the date into one ORG span
    probs = np.array([[1.0, 0, 0, 0, 0], [0, 0, 0, 0.9, 0.1], [0, 0, 0, 0.1, 0.9],
                      [0.3, 0, 0, 0.1, 0.6], [1.0, 0, 0, 0, 0], [1.0, 0, 0, 0, 0]])
    assert [(s, e, lab) for s, e, lab, _ in decode(probs, LABELS)] == [(1, 4, "ORG")]
    assert [(s, e, lab) for s, e, lab, _ in decode(probs, LABELS, cut=cut)] == [(1, 3, "ORG")]


def test_line_break_overrides_a_clause_that_may_not_end():
    # a directive whose clause would run on must still stop at the end of its line
    probs = np.array([[0.1, 0.9, 0.0], [0.2, 0.0, 0.8], [0.2, 0.0, 0.8]])
    may_end = np.array([False, False, True])
    cut = np.array([False, True, False])
    assert [(s, e) for s, e, _, _ in decode(probs, DIR, may_end, cut)] == [(0, 2)]


def _path_score(logp, seq, tr):
    return (tr.start[seq[0]] + sum(logp[i, t] for i, t in enumerate(seq))
            + sum(tr.matrix[a, b] for a, b in zip(seq, seq[1:])) + tr.end[seq[-1]])


def test_viterbi_with_transitions_finds_the_best_valid_sequence():
    """Learned transitions, start and end scores: brute force agrees, hard constraints still hold."""
    import itertools

    from vnreport.spans import Transitions

    rng = np.random.default_rng(1)
    for _ in range(100):
        n = int(rng.integers(1, 5))
        probs = rng.dirichlet(np.ones(5) * 0.3, size=n)
        logp = np.log(np.clip(probs, 1e-9, 1.0))
        tr = Transitions(rng.normal(size=(5, 5)) * 2, rng.normal(size=5), rng.normal(size=5))
        best = max((seq for seq in itertools.product(range(5), repeat=n) if _valid(seq)),
                   key=lambda seq: _path_score(logp, seq, tr))
        tags = viterbi(probs, LABELS, transitions=tr)
        assert _valid(tags)
        assert np.isclose(_path_score(logp, tags, tr), _path_score(logp, best, tr))


def test_zero_transitions_decode_as_none():
    from vnreport.spans import Transitions

    rng = np.random.default_rng(2)
    zero = Transitions(np.zeros((3, 3)), np.zeros(3), np.zeros(3))
    for _ in range(50):
        probs = rng.dirichlet(np.ones(3) * 0.5, size=12)
        may_end, cut = rng.random(12) < 0.7, rng.random(12) < 0.2
        assert viterbi(probs, DIR, may_end, cut, zero) == viterbi(probs, DIR, may_end, cut)


def test_transitions_change_decoding_and_keep_the_line_break_rule():
    from vnreport.spans import Transitions

    # word 2 is a little more likely outside the directive: on probabilities alone the span stops early
    probs = np.array([[0.1, 0.9, 0.0], [0.2, 0.0, 0.8], [0.55, 0.0, 0.45], [0.9, 0.0, 0.1]])
    assert [(s, e) for s, e, _, _ in decode(probs, DIR)] == [(0, 2)]
    # a CRF that learned that directives go on (I-DIR → I-DIR scores higher than I-DIR → O)
    go_on = Transitions(np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 0.5], [0.0, 0.0, 0.5]]), np.zeros(3), np.zeros(3))
    assert [(s, e) for s, e, _, _ in decode(probs, DIR, transitions=go_on)] == [(0, 3)]
    # a line break after word 1 still ends the span, whatever the transitions say
    cut = np.array([False, True, False, False])
    assert [(s, e) for s, e, _, _ in decode(probs, DIR, cut=cut, transitions=go_on)] == [(0, 2)]


def test_trim_and_the_end_rule_leave_every_gold_span_as_it_is():
    """What the decoder does to a span's edges never contradicts the annotators: trimming gives
    back each gold span of the three splits, and no gold entity ends where `phrase_ends` holds
    (read on the words the shipped model's segmenter makes: "sáu tồn_tại" ends on a noun)."""
    from pathlib import Path

    from vnreport.data.io import load_jsonl
    from vnreport.segment import get_segmenter
    from vnreport.spans import _OPEN_ENDED, phrase_ends, trim

    gold = Path(__file__).resolve().parents[1] / "data" / "gold"
    segmenter = get_segmenter("pyvi")
    changed, held = [], []
    for split in ("train", "dev", "test"):
        for doc in load_jsonl(gold / f"{split}.jsonl"):
            held_ends = None  # where the doc's words may not end a span, segmented only when needed
            for layer in ("entities", "directives"):
                for s in doc.layer(layer):
                    if trim(doc.text, s.start, s.end, layer) != (s.start, s.end):
                        changed.append((doc.id, s.text))
                    if layer == "entities" and s.text.split()[-1] in _OPEN_ENDED:
                        if held_ends is None:
                            words = segmenter.segment(doc.text)
                            held_ends = {w.end for w, ok in zip(words, phrase_ends(words)) if not ok}
                        if s.end in held_ends:
                            held.append((doc.id, s.text))
    assert changed == [] and held == []
