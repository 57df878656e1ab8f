"""The learned directive linker: it chooses among the rules' candidates, falls back to the rules for
a role without weights, never carries over a new speaker, and its trainer learns from readings."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from vnreport.data.markup import parse_markup
from vnreport.document import Document
from vnreport.records.directives import build_directives
from vnreport.records.linker import WEIGHTS, Linker, default_linker
from vnreport.records.officials import build_officials
from vnreport.schema import Span

REPO = Path(__file__).resolve().parents[1]

SPEECH = ("Kết luận hội nghị, đồng chí <PER>Trần Văn Nam</PER> yêu cầu <ORG>Phòng Nông nghiệp</ORG> "
          "<DIR>rà soát diện tích lúa</DIR>. Các xã cần <DIR>chủ động phòng chống hạn</DIR>.")


def doc_of(markup: str):
    return parse_markup(f"#@ id: t\n{markup}")


def pairs(doc, linker) -> list[tuple[str | None, str | None]]:
    return [(r.issuer.label if r.issuer else None, r.addressee.label if r.addressee else None)
            for r in build_directives(doc, build_officials(doc), linker)]


def train_linker_module():
    spec = importlib.util.spec_from_file_location("train_linker", REPO / "training" / "train_linker.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_a_linker_without_weights_decides_as_the_rules():
    doc = doc_of(SPEECH)
    assert pairs(doc, Linker({})) == pairs(doc, None)


def test_weights_choose_among_the_candidates():
    doc = doc_of(SPEECH)
    rules = pairs(doc, None)
    assert rules[0] == ("Trần Văn Nam", "Phòng Nông nghiệp")
    # weights that prefer "not stated" for every addressee and the rules' issuer
    silent = Linker({"issuer": {"src_rule": 5.0}, "addressee": {"null": 5.0}})
    assert pairs(doc, silent) == [(i, None) for i, _ in rules]
    # weights that prefer a phrase read before "cần" give the second directive "Các xã"
    phrase = Linker({"issuer": {"src_rule": 5.0}, "addressee": {"src_phrase": 5.0, "phrase_whole": 1.0}})
    assert pairs(doc, phrase)[1] == ("Trần Văn Nam", "Các xã")


def test_no_carry_over_across_a_new_speaker_whatever_the_weights():
    doc = doc_of("Đồng chí <PER>Trần Văn Nam</PER> đề nghị UBND các xã <DIR>rà soát hộ nghèo</DIR>. "
                 "Phát biểu tại hội nghị, đồng chí <PER>Lê Thị Hoa</PER> nhấn mạnh:\n"
                 "- <DIR>Tăng cường kiểm tra an toàn thực phẩm</DIR>.")
    carry = Linker({"issuer": {"src_prev": 10.0}, "addressee": {"src_prev": 10.0}})
    issuer, addressee = pairs(doc, carry)[1]
    assert issuer != "Trần Văn Nam" and addressee != "UBND các xã"


def test_the_shipped_weights_are_used_by_records_and_describe_themselves():
    assert WEIGHTS.exists()
    meta = json.loads(WEIGHTS.read_text(encoding="utf-8"))["meta"]
    assert set(meta["learned_roles"]) <= {"issuer", "addressee"} and meta["trained_on"]["directives"] > 0
    linker = default_linker()
    assert linker is not None and set(linker.weights) == set(meta["learned_roles"])
    doc = doc_of(SPEECH)
    got = [(r.issuer.label if r.issuer else None, r.addressee.label if r.addressee else None)
           for r in doc.directive_records]
    assert got == pairs(doc, linker)
    for r in doc.directive_records:  # every party keeps offsets into the text
        for p in (r.issuer, r.addressee):
            assert p is None or doc.text[p.start:p.end] == p.text


def test_the_trainer_learns_a_reading_the_rules_miss(tmp_path):
    tl = train_linker_module()
    # "quán triệt" is no trigger of the rules, so they give the second directive no addressee;
    # the reading says "cán bộ xã", a phrase the linker is offered after the asking word
    text = SPEECH.replace("Các xã cần <DIR>chủ động phòng chống hạn", "Đồng chí cũng quán triệt cán bộ xã <DIR>hạn chế đốt rơm rạ")
    docs = [doc_of(text.replace("Trần Văn Nam", name)) for name in ("Trần Văn Nam", "Lê Văn Bình", "Đỗ Thị Lan")]
    for i, d in enumerate(docs):
        d.id = f"t{i}"
    reading = {}
    for d in docs:
        dirs = sorted(d.directives, key=lambda s: s.start)
        name = d.entities[0].text
        reading[d.id] = {"id": d.id, "directives": [
            {"start": dirs[0].start, "issuer": name, "addressee": "Phòng Nông nghiệp"},
            {"start": dirs[1].start, "issuer": name, "addressee": "cán bộ xã"}]}
    pairs = [(d, d) for d in docs]
    assert tl.accuracy(None, pairs, reading)["addressee"] == pytest.approx(0.5)
    examples, unreachable = tl.collect(pairs, reading)
    assert unreachable == {"issuer": 0, "addressee": 0} and len(examples["addressee"]) == 6
    linker = Linker({r: tl.fit(examples[r], 0.001) for r in tl.ROLES})
    assert tl.accuracy(linker, pairs, reading) == {"issuer": 1.0, "addressee": 1.0}


def test_the_trainer_reads_predicted_spans_cut_differently_from_gold():
    """A predicted directive that starts a word later and runs past the gold one stands for the read
    directive it overlaps most: the trainer learns from its candidates and scores its record."""
    tl = train_linker_module()
    gold = doc_of(SPEECH)
    gold.id = "p0"
    dirs = sorted(gold.directives, key=lambda s: s.start)
    reading = {"p0": {"id": "p0", "directives": [{"start": d.start, "issuer": "Trần Văn Nam", "addressee": None}
                                                 for d in dirs]}}
    first = dirs[0]
    shifted = Span(gold.text.index(" ", first.start) + 1, first.end, "DIR", gold.text[gold.text.index(" ", first.start) + 1:first.end])
    pred = Document(gold.text, list(gold.entities), [shifted, *dirs[1:]])
    keyed = tl.keyed(gold, pred, reading["p0"]["directives"])
    assert sorted(keyed) == sorted([shifted.start, *(d.start for d in dirs[1:])])
    examples, _ = tl.collect([(gold, pred)], reading)
    assert len(examples["issuer"]) == len(dirs)
    missing = Document(gold.text, list(gold.entities), dirs[1:])  # the first directive not predicted at all
    hits, n = tl.tally(None, [(gold, missing)], reading)
    assert n == len(dirs) and hits["issuer"] <= len(dirs) - 1


def test_a_title_or_short_name_only_one_named_official_can_be_is_resolved_to_them():
    from vnreport.records.directives import _Finder
    from vnreport.records.linker import _resolve

    def resolved(markup: str, mention: str) -> str:
        doc = doc_of(markup)
        f = _Finder(doc, build_officials(doc))
        span = next(s for s in doc.entities if s.text == mention)
        assert getattr(f.party(span).official, "name", None) is None  # no named official holds this mention
        return _resolve(f, f.party(span), span.label).label

    # "Bí thư tỉnh Hà Nam" is no form of "Bí thư Tỉnh ủy" that the officials accept; only the post agrees
    one = ("<PER>Lê Thị Thủy</PER>, <TITLE>Bí thư Tỉnh ủy</TITLE>, dự họp. "
           "<TITLE>Bí thư tỉnh Hà Nam</TITLE> đề nghị các xã <DIR>truy vết nhanh</DIR>. Ông <PER>Thủy</PER> nói thêm.")
    assert resolved(one, "Bí thư tỉnh Hà Nam") == "Lê Thị Thủy"
    two = ("<PER>Lê Thị Thủy</PER>, <TITLE>Bí thư Tỉnh ủy</TITLE>, và <PER>Đinh Văn Nam</PER>, <TITLE>Bí thư Huyện ủy</TITLE>, dự họp. "
           "<TITLE>Bí thư tỉnh Hà Nam</TITLE> đề nghị các xã <DIR>truy vết nhanh</DIR>.")
    assert resolved(two, "Bí thư tỉnh Hà Nam") == "Bí thư tỉnh Hà Nam"  # two secretaries: left as written


def test_the_linker_is_offered_the_doer_inside_a_longer_phrase():
    from vnreport.records.directives import _Finder, _situation
    from vnreport.records.linker import addressee_candidates
    doc = doc_of("Trong quy định này cũng nêu rõ người cách ly phải <DIR>khai báo y tế hằng ngày</DIR>.")
    f = _Finder(doc, build_officials(doc))
    s = _situation(f, doc.directives[0], None)
    texts = {c.party.text for c in addressee_candidates(f, s, s.addressee, None) if c.party}
    assert "người cách ly" in texts
    # a list member is never offered alone as a shorter reading: "xã Đạo Lý" stands after "và"
    doc = doc_of("Đề nghị <LOC>huyện Lý Nhân</LOC> và <LOC>xã Đạo Lý</LOC> khi có ca bệnh phải <DIR>cách ly ngay</DIR>.")
    f = _Finder(doc, build_officials(doc))
    s = _situation(f, doc.directives[0], None)
    cands = {c.party.text: c for c in addressee_candidates(f, s, s.addressee, None) if c.party}
    assert "huyện Lý Nhân và xã Đạo Lý" in cands and not cands["xã Đạo Lý"].features.get("part_tail")
