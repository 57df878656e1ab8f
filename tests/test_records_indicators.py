"""Indicator records when a model's IND span is a word off or missing; rate bases and periods."""
from __future__ import annotations

import pytest

from vnreport.data.io import load_jsonl
from vnreport.data.markup import parse_markup
from vnreport.document import Document
from vnreport.records.indicator_names import repair
from conftest import REPO

SENTENCE = "Năm 2023, tổng thu ngân sách nhà nước đạt 1.126,4 tỷ đồng, bằng 68,9% dự toán, tăng 4,2% so với cùng kỳ."


def doc_of(markup: str) -> Document:
    return parse_markup(f"#@ id: t\n{markup}")


def tagged(ind: str) -> Document:
    """SENTENCE with its DATE, VALUE and RATEs, and `ind` (a piece of it) tagged IND as a model might."""
    return doc_of(SENTENCE.replace("Năm 2023", "<DATE>Năm 2023</DATE>").replace(ind, f"<IND>{ind}</IND>", 1)
                  .replace("1.126,4 tỷ đồng", "<VALUE>1.126,4 tỷ đồng</VALUE>")
                  .replace("68,9%", "<RATE>68,9%</RATE>").replace("4,2%", "<RATE>4,2%</RATE>"))


@pytest.mark.parametrize("ind", ["tổng thu ngân sách nhà nước",  # right
                                 "tổng thu ngân sách nhà nước đạt",  # one word too long
                                 "thu ngân sách nhà nước"])  # its first word lost
def test_figures_attach_across_a_one_word_boundary_error(ind):
    [rec] = tagged(ind).indicators
    assert (rec.name, rec.start) == ("tổng thu ngân sách nhà nước", SENTENCE.index("tổng"))
    assert (rec.value, rec.unit) == (1_126_400_000_000, "đồng")
    assert [(f.quantity.value, f.base) for f in rec.rates] == [(68.9, "plan"), (4.2, "same_period")]
    assert rec.period.text == "Năm 2023"
    assert rec.span.text == ind  # the span it was read from is kept


def test_one_word_too_short_at_the_end_keeps_its_figure():
    doc = doc_of("<IND>Tỷ lệ huy động trẻ 5 tuổi</IND> ra lớp đạt <RATE>99,2%</RATE>; "
                 "<IND>tổng chi</IND> là <VALUE>80 tỷ đồng</VALUE>.")
    short, spend = doc.indicators
    assert (short.name, short.value, short.unit) == ("Tỷ lệ huy động trẻ 5 tuổi", 99.2, "%")
    assert (spend.name, spend.value) == ("tổng chi", 80_000_000_000)
    cut = doc_of("<IND>giá trị giải ngân vốn các</IND> Chương trình MTQG đến <DATE>31/7/2023</DATE> mới được "
                 "<VALUE>98.612 triệu đồng</VALUE>.").indicators[0]
    assert (cut.name, cut.value, cut.period.text) == ("giá trị giải ngân vốn các Chương trình MTQG", 98_612_000_000, "31/7/2023")


def test_a_swallowed_period_becomes_the_period():
    doc = doc_of("<IND>Tổng thu ngân sách năm 2023 ước đạt</IND> <VALUE>54 tỷ đồng</VALUE>.")
    [rec] = doc.indicators
    assert (rec.name, rec.value) == ("Tổng thu ngân sách", 54_000_000_000)
    assert (rec.period.text, rec.period.start) == ("năm 2023", doc.text.index("năm 2023"))


def test_a_name_split_around_cho_is_one_indicator():
    doc = doc_of("<IND>Tỷ lệ tiêm phòng vắc-xin</IND> cho <IND>đàn gia súc</IND> đợt 1 đạt <RATE>92%</RATE>.")
    [rec] = doc.indicators
    assert (rec.name, rec.value) == ("Tỷ lệ tiêm phòng vắc-xin cho đàn gia súc", 92)


def test_a_missing_ind_is_read_from_the_head_before_the_figure():
    doc = doc_of("Toàn tỉnh có <VALUE>30 khu</VALUE> cách ly, khả năng thu dung khoảng <VALUE>5.000 người</VALUE>; "
                 "đã hỗ trợ tổng số <VALUE>320 hộ</VALUE>.")
    [rec] = doc.indicators  # "30 khu" has no name before it, "tổng số 320 hộ" is no indicator
    assert (rec.name, rec.value, rec.unit, rec.span) == ("khả năng thu dung", 5000, "người", None)
    assert doc.text[rec.start:rec.end] == rec.name


def test_a_figure_written_right_before_a_name_is_its_own():
    doc = doc_of("Tỉnh có <VALUE>200km</VALUE> <IND>chiều dài đường biển</IND>; "
                 "<VALUE>63.000km2</VALUE> <IND>diện tích mặt nước biển</IND>.")
    coast, sea = doc.indicators
    assert (coast.value, coast.unit) == (200, "km") and (sea.value, sea.unit) == (63000, "km2")


def test_rate_bases_and_periods():
    doc = doc_of("<IND>Tỷ lệ hộ nghèo</IND> giảm từ <RATE>49,12%</RATE> xuống còn <RATE>41,35%</RATE>; "
                 "<IND>giá trị giải ngân</IND> đến <DATE>31/7/2023</DATE> đạt <RATE>23,4%</RATE> kế hoạch vốn; "
                 "<IND>doanh thu</IND> tăng <RATE>5%</RATE> so với <DATE>năm 2022</DATE>.")
    poor, disb, revenue = doc.indicators
    assert poor.value == 41.35 and [f.base for f in poor.rates] == ["other", "other"]  # the level now, not the one before
    assert (disb.period.text, [f.base for f in disb.rates]) == ("31/7/2023", ["plan"])
    assert ([f.base for f in revenue.rates], revenue.period) == (["other"], None)  # a base's date is no period
    d = disb.to_dict()
    assert d["period"]["text"] == "31/7/2023" and d["rates"][0]["base"] == "plan" and d["span"]["text"] == "giá trị giải ngân"


def test_repair_leaves_every_gold_ind_span_as_it_is():
    """The rules only move a boundary a reader would move: gold spans come back unchanged."""
    for split in ("train", "dev"):
        for doc in load_jsonl(REPO / "data" / "gold" / f"{split}.jsonl"):
            for s in doc.entities:
                if s.label == "IND":
                    assert repair(doc.text, s)[0] == s, (doc.id, s.text)
