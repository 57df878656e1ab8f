"""Officials: every title chained to a name, before or after it, and in later mentions, in all its forms."""
from __future__ import annotations

from vnreport.data.markup import parse_markup
from vnreport.document import Document


def doc_of(markup: str) -> Document:
    return parse_markup(f"#@ id: t\n{markup}")


def titles(doc: Document) -> dict[str, list[list[str]]]:
    return {o.name: [t.forms for t in o.titles] for o in doc.officials if o.name}


def test_a_chain_after_one_name_does_not_pass_its_last_title_to_the_next_name():
    doc = doc_of("Dự có đồng chí <PER>Nguyễn Thanh Liêm</PER> – <TITLE>Ủy viên BTV Huyện ủy</TITLE> – "
                 "<TITLE>Phó Chủ tịch Thường trực UBND huyện</TITLE>, đồng chí <PER>Kiều Thị Ngân</PER> – "
                 "<TITLE>Phó Chủ tịch UBND huyện</TITLE>.")
    assert titles(doc) == {"Nguyễn Thanh Liêm": [["Ủy viên BTV Huyện ủy"], ["Phó Chủ tịch Thường trực UBND huyện"]],
                           "Kiều Thị Ngân": [["Phó Chủ tịch UBND huyện"]]}


def test_titles_written_before_a_name_still_belong_to_it():
    doc = doc_of("<TITLE>Phó Bí thư Huyện ủy</TITLE>, <TITLE>Chủ tịch UBND huyện</TITLE> <PER>Trần Nam Thuần</PER> "
                 "và đồng chí <PER>Lê Văn Hai</PER> dự họp.")
    assert titles(doc) == {"Trần Nam Thuần": [["Phó Bí thư Huyện ủy"], ["Chủ tịch UBND huyện"]], "Lê Văn Hai": []}


def test_a_later_mention_adds_its_title_and_short_forms_are_kept():
    doc = doc_of("Dự có đồng chí <PER>Nguyễn Thị Thu Trang</PER> – <TITLE>Phó Chủ tịch UBND huyện Tam Đường</TITLE>. "
                 "Bà <PER>Trang</PER>, <TITLE>Phó Chủ tịch UBND huyện</TITLE> đề nghị xã rà soát hồ sơ. "
                 "Ông <PER>Lò Văn Tiến</PER> phát biểu. Ông <PER>Tiến</PER>, <TITLE>Bí thư Đảng ủy xã</TITLE> kết luận. "
                 "Theo <TITLE>Bí thư Đảng ủy</TITLE>, xã sẽ hoàn thành kế hoạch.")
    trang, tien = doc.officials
    assert [t.forms for t in trang.titles] == [["Phó Chủ tịch UBND huyện Tam Đường", "Phó Chủ tịch UBND huyện"]]
    assert [t.forms for t in tien.titles] == [["Bí thư Đảng ủy xã", "Bí thư Đảng ủy"]]  # the title alone refers back
    assert [m.text for m in tien.mentions][-1] == "Bí thư Đảng ủy"
    assert trang.to_dict()["titles"][0]["variants"] == ["Phó Chủ tịch UBND huyện"]


def test_a_fuller_form_given_later_replaces_the_shorter_one_and_keeps_it():
    doc = doc_of("<TITLE>Bộ trưởng</TITLE> <PER>Đào Ngọc Dung</PER> phát biểu. Ông <PER>Đào Ngọc Dung</PER>, "
                 "<TITLE>Bộ trưởng Bộ LĐ-TB&XH</TITLE> cho biết.")
    [dung] = doc.officials
    assert [(t.text, t.variants) for t in dung.titles] == [("Bộ trưởng Bộ LĐ-TB&XH", ["Bộ trưởng"])]


def test_a_title_in_brackets_or_after_a_copula_belongs_to_the_name_before_it():
    doc = doc_of("Theo bà <PER>Lê Ngọc Trang</PER> (<TITLE>Phó Giám đốc Sở Tài chính</TITLE>), thu ngân sách đạt khá. "
                 "Ông <PER>Hồ Văn Ngọc</PER> là <TITLE>Chủ tịch Hội Nông dân huyện</TITLE>. "
                 "Ông <PER>Bùi Xuân Cường</PER>, cũng là <TITLE>Trưởng ban Quản lý đường sắt đô thị</TITLE>, phát biểu.")
    assert titles(doc) == {"Lê Ngọc Trang": [["Phó Giám đốc Sở Tài chính"]],
                           "Hồ Văn Ngọc": [["Chủ tịch Hội Nông dân huyện"]],
                           "Bùi Xuân Cường": [["Trưởng ban Quản lý đường sắt đô thị"]]}


def test_a_title_alone_with_words_left_out_names_its_one_holder_and_never_a_deputy():
    doc = doc_of("<TITLE>Chủ tịch Hà Nội</TITLE>: phải xử lý dứt điểm. Ông <PER>Nguyễn Đức Chung</PER>, "
                 "<TITLE>Chủ tịch UBND TP Hà Nội</TITLE>, và bà <PER>Ngô Thị Thanh Hằng</PER>, "
                 "<TITLE>Phó Chủ tịch UBND TP Hà Nội</TITLE>, dự họp. <TITLE>Chủ tịch thành phố</TITLE> yêu cầu rà soát. "
                 "<TITLE>Phó Chủ tịch thành phố</TITLE> đồng ý.")
    assert titles(doc) == {"Nguyễn Đức Chung": [["Chủ tịch UBND TP Hà Nội", "Chủ tịch Hà Nội", "Chủ tịch thành phố"]],
                           "Ngô Thị Thanh Hằng": [["Phó Chủ tịch UBND TP Hà Nội", "Phó Chủ tịch thành phố"]]}


def test_a_shortened_title_two_officials_can_hold_names_neither():
    doc = doc_of("Ông <PER>Lê Văn An</PER>, <TITLE>Chủ tịch UBND tỉnh Quảng Nam</TITLE>, và ông <PER>Trần Bình</PER>, "
                 "<TITLE>Chủ tịch UBND tỉnh Quảng Ngãi</TITLE>, ký kết. <TITLE>Chủ tịch tỉnh</TITLE> nhấn mạnh.")
    assert titles(doc) == {"Lê Văn An": [["Chủ tịch UBND tỉnh Quảng Nam"]], "Trần Bình": [["Chủ tịch UBND tỉnh Quảng Ngãi"]]}
    assert [o.label for o in doc.officials if o.name is None] == ["Chủ tịch tỉnh"]
