"""The officials/directives accuracy benchmark scores what it says it scores."""
from __future__ import annotations

from conftest import load_benchmark
from vnreport.schema import Span
from vnreport.document import Document

TEXT = "Chủ tịch UBND tỉnh Võ Văn Hưng đề nghị các xã tập trung thu ngân sách. Ông Lê Minh phát biểu."


def _bench():
    return load_benchmark("links_accuracy")


def _span(sub: str, label: str) -> Span:
    i = TEXT.index(sub)
    return Span(i, i + len(sub), label, sub)


def _doc() -> Document:
    doc = Document(text=TEXT, entities=[_span("Chủ tịch UBND tỉnh", "TITLE"), _span("Võ Văn Hưng", "PER"), _span("Lê Minh", "PER")],
                   directives=[_span("tập trung thu ngân sách", "DIR")])
    doc.id = "d"
    return doc


def test_a_matching_reading_scores_full_marks():
    bench, doc = _bench(), _doc()
    start = TEXT.index("tập trung")
    reading = {"d": {"officials": [{"name": "Võ Văn Hưng", "titles": ["Chủ tịch UBND tỉnh"]}, {"name": "Lê Minh", "titles": []}],
                     "directives": [{"start": start, "issuer": "Võ Văn Hưng", "addressee": "các xã"}]}}
    o = bench.score_officials([doc], reading)
    assert (o.expected, o.found, o.titles_right, o.title_pairs_right) == (2, 2, 2, 1)
    d = bench.score_directives([doc], {"d": doc}, reading)
    assert (d.expected, d.with_record, d.issuer, d.addressee) == (1, 1, 1, 1)


def test_a_different_reading_is_counted_wrong():
    bench, doc = _bench(), _doc()
    start = TEXT.index("tập trung")
    reading = {"d": {"officials": [{"name": "Võ Văn Hưng", "titles": ["Bí thư Tỉnh ủy"]}, {"name": "Trần Văn B", "titles": []}],
                     "directives": [{"start": start, "issuer": "UBND tỉnh", "addressee": "các xã, thị trấn"}]}}
    o = bench.score_officials([doc], reading)
    assert (o.found, o.titles_right, o.title_pairs_right) == (1, 0, 0)
    assert bench.fold({"thứ trưởng", "thứ trưởng bộ y tế", "phó ban"}) == {"thứ trưởng bộ y tế", "phó ban"}
    d = bench.score_directives([doc], {"d": doc}, reading)
    assert (d.issuer, d.addressee, d.addressee_overlap) == (0, 0, 1)  # "các xã" lies inside the reading's addressee
    predicted = Document(text=TEXT)  # a model that found no directive
    predicted.id = "d"
    assert bench.score_directives([predicted], {"d": doc}, reading).with_record == 0


def test_a_record_of_no_gold_directive_is_counted_spurious():
    bench, doc = _bench(), _doc()
    reading = {"d": {"officials": [], "directives": [{"start": TEXT.index("tập trung"), "issuer": "Võ Văn Hưng", "addressee": "các xã"}]}}
    predicted = Document(text=TEXT, entities=doc.entities, directives=[*doc.directives, _span("phát biểu", "DIR")])
    predicted.id = "d"
    d = bench.score_directives([predicted], {"d": doc}, reading)
    assert (d.expected, d.with_record, d.records, d.spurious) == (1, 1, 2, 1)
