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
