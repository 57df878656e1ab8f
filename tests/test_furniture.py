"""Page furniture of portal pages is kept out of every span; times of day out of entities."""
import numpy as np
import pytest

import vnreport
from vnreport.furniture import find_furniture, times_of_day, words_inside
from vnreport.segment import Word
from vnreport.spans import decode

# a page written for this test in the layout of a district portal
PAGE = """Trang chủ
Giới thiệu
Tin tức - Sự kiện
Văn bản chỉ đạo điều hành
Liên hệ
Trang chủ » Tin tức » Kinh tế
HUYỆN MINH LONG GIAO BAN KINH TẾ - XÃ HỘI THÁNG 10
Cập nhật lúc: 14:25 - 12/10/2023 | Lượt xem: 1.245
In bài viết | Gửi email | Chia sẻ
Sáng ngày 12/10/2023, UBND huyện Minh Long tổ chức hội nghị giao ban tháng 10.
Về kinh tế
Thu ngân sách trên địa bàn đạt 41.250 triệu đồng, bằng 52% dự toán.
Ông Trần Văn Bình, Chủ tịch UBND huyện yêu cầu Phòng Tài chính - Kế hoạch rà soát các khoản thu.
Tin liên quan
UBND tỉnh Quảng Ngãi làm việc với huyện Sơn Hà (10/10/2023)
Hội nghị sơ kết công tác dân vận 9 tháng
Cơ quan chủ quản: UBND huyện Minh Long
Số lượt truy cập: 1.234.567
"""


def _line(text: str, needle: str) -> tuple[int, int]:
    s = text.index(needle)
    return s, text.index("\n", s)


def _covered(found, start: int, end: int) -> bool:
    return any(f.start <= start and end <= f.end for f in found)


def test_furniture_of_a_portal_page_is_found_and_the_article_is_not():
    found = find_furniture(PAGE)
    kinds = {f.kind for f in found}
    assert {"menu", "breadcrumb", "counter", "share", "related", "footer"} <= kinds
    for furniture in ("Văn bản chỉ đạo điều hành", "Trang chủ » Tin tức", "In bài viết", "Tin liên quan",
                      "UBND tỉnh Quảng Ngãi làm việc", "Hội nghị sơ kết", "Cơ quan chủ quản", "Số lượt truy cập"):
        assert _covered(found, *_line(PAGE, furniture)), furniture
    assert _covered(found, PAGE.index("Lượt xem"), PAGE.index("1.245") + 5)
    for article in ("HUYỆN MINH LONG", "Sáng ngày", "Về kinh tế", "Thu ngân sách", "Ông Trần Văn Bình"):
        s, e = _line(PAGE, article)
        assert not any(f.start < e and s < f.end for f in found), article
    # the stamp's date is the article's, only the counter after it is furniture
    assert not any(f.start <= PAGE.index("12/10/2023") < f.end for f in found)


def test_short_report_lines_without_a_menu_item_are_no_menu():
    text = "Tham dự:\nĐồng chí A\nĐồng chí B\nĐồng chí C\nVề kinh tế\nVề xã hội\n"
    assert find_furniture(text) == []


def test_a_related_list_stops_at_running_text():
    text = "Tin liên quan\nHội nghị giao ban tháng 9\nSau đó, UBND huyện đã tổ chức đoàn kiểm tra.\n"
    (related,) = find_furniture(text)
    assert related.kind == "related" and text[related.start:related.end].endswith("tháng 9")


@pytest.mark.parametrize("text, times", [
    ("Cập nhật lúc: 14:25 - 12/10/2023", ["14:25"]),
    ("khai mạc lúc 8h30, bế mạc 16g15", ["8h30", "16g15"]),
    ("đạt 45,76%, 1.250 lao động, ngày 12/10/2023, tỷ số 3/4", []),
])
def test_times_of_day(text, times):
    assert [text[f.start:f.end] for f in times_of_day(text)] == times


def test_words_inside_marks_words_touching_a_stretch():
    words = [Word(0, 4, "Lượt"), Word(5, 8, "xem"), Word(10, 15, "1.245"), Word(16, 19, "Thu")]
    (counter,) = find_furniture("Lượt xem: 1.245 Thu")
    assert words_inside(words, [counter]).tolist() == [True, True, True, False]


def test_decoder_keeps_outside_words_out_of_spans():
    labels = ["O", "B-ORG", "I-ORG"]
    probs = np.array([[0.1, 0.8, 0.1], [0.1, 0.1, 0.8], [0.1, 0.1, 0.8], [0.1, 0.8, 0.1]])
    assert decode(probs, labels) == [(0, 3, "ORG", pytest.approx(0.8)), (3, 4, "ORG", pytest.approx(0.8))]
    outside = np.array([False, True, False, False])
    # word 1 is furniture: the span before it ends, the one after starts afresh at a B- tag
    assert [s[:3] for s in decode(probs, labels, outside=outside)] == [(0, 1, "ORG"), (3, 4, "ORG")]


def test_the_shipped_model_labels_no_furniture_and_no_clock_time():
    tagger = vnreport.load()
    doc = tagger.predict(PAGE)
    found = find_furniture(PAGE)
    for span in doc.entities + doc.directives:
        assert not any(f.start < span.end and span.start < f.end for f in found), span
    clock = PAGE.index("14:25")
    assert not any(s.start <= clock < s.end for s in doc.entities)
    assert any(s.label == "PER" and s.text == "Trần Văn Bình" for s in doc.entities)
    tagger.text.furniture = False  # the switch benchmarks/furniture.py compares against
    plain = tagger.predict(PAGE)
    assert len(plain.entities) >= len(doc.entities)
