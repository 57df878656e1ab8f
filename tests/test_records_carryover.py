"""Directive records: an issuer and an addressee carry over the items they govern, and stop where
a new speaker or a new addressee begins (hand-written sentences in the style of the reports)."""
from __future__ import annotations

from vnreport.data.markup import parse_markup


def records(markup: str) -> list[tuple[str | None, str | None]]:
    doc = parse_markup(f"#@ id: t\n{markup}")
    return [(r.issuer.label if r.issuer else None, r.addressee.label if r.addressee else None)
            for r in doc.directive_records]


def test_addressee_carries_down_a_list():
    got = records("Kết luận hội nghị, đồng chí <PER>Trần Văn Nam</PER> đề nghị các phòng, ban chuyên môn:\n"
                  "- <DIR>Rà soát các tiêu chí nông thôn mới</DIR>.\n"
                  "- <DIR>Đẩy nhanh tiến độ giải ngân vốn đầu tư công</DIR>.\n"
                  "- <DIR>Chuẩn bị tốt các điều kiện tổ chức Tết</DIR>.")
    assert got == [("Trần Văn Nam", "các phòng, ban chuyên môn")] * 3


def test_a_new_speaker_ends_the_carry_over():
    got = records("Đồng chí <PER>Trần Văn Nam</PER> đề nghị UBND các xã <DIR>rà soát hộ nghèo</DIR>. "
                  "Phát biểu tại hội nghị, đồng chí <PER>Lê Thị Hoa</PER> nhấn mạnh:\n"
                  "- <DIR>Tăng cường kiểm tra an toàn thực phẩm</DIR>.")
    assert got == [("Trần Văn Nam", "UBND các xã"), ("Lê Thị Hoa", None)]


def test_a_new_addressee_ends_the_carry_over():
    got = records("Đồng chí <PER>Trần Văn Nam</PER> yêu cầu:\n"
                  "- Phòng Tài chính - Kế hoạch <DIR>tham mưu phân bổ vốn</DIR>.\n"
                  "- <DIR>Hoàn thành trước ngày 30/6</DIR>.\n"
                  "- <ORG>Công an huyện</ORG> <DIR>bảo đảm an ninh trật tự</DIR>.")
    assert got == [("Trần Văn Nam", "Phòng Tài chính - Kế hoạch"), ("Trần Văn Nam", "Phòng Tài chính - Kế hoạch"),
                   ("Trần Văn Nam", "Công an huyện")]


def test_directive_without_addressee_keeps_none():
    got = records("<TITLE>Chủ tịch UBND huyện</TITLE> <PER>Hoàng Anh</PER> chỉ đạo <DIR>tổ chức tốt lễ hội</DIR>. "
                  "<DIR>Bảo đảm vệ sinh môi trường</DIR>.")
    assert got == [("Hoàng Anh", None), ("Hoàng Anh", None)]
