"""Records built from the gold spans of the five real seed reports, checked against a reading of each.

Gold spans are the input so that these tests isolate the record layer from the model.
"""
from __future__ import annotations

import pytest

from conftest import REPO
from vnreport.data.io import load_jsonl


@pytest.fixture(scope="module")
def seeds():
    docs = [d for split in ("train", "dev", "test") for d in load_jsonl(REPO / "data" / "gold" / f"{split}.jsonl")]
    return {d.id: d for d in docs if d.id.startswith("seed-")}


def official(doc, name):
    found = [o for o in doc.officials if o.name == name]
    assert len(found) == 1, [o.name for o in doc.officials]
    return found[0]


def indicator(doc, name):
    found = [r for r in doc.indicators if r.name == name]
    assert len(found) == 1, [r.name for r in doc.indicators]
    return found[0]


def directive(doc, starts_with):
    found = [r for r in doc.directive_records if r.text.startswith(starts_with)]
    assert len(found) == 1
    return found[0]


# -- officials -----------------------------------------------------------------------------

def test_seed000_title_chain_after_name_and_later_references(seeds):
    doc = seeds["seed-000"]
    hung = official(doc, "Võ Văn Hưng")
    assert [t.text for t in hung.titles] == ["PBT Tỉnh ủy", "Chủ tịch UBND tỉnh"]
    assert [t.normalized for t in hung.titles] == ["Phó Bí thư Tỉnh ủy", "Chủ tịch Ủy ban nhân dân tỉnh"]
    # three times by name, and twice later as "đồng chí Chủ tịch UBND tỉnh" without a name
    assert sum(m.label == "PER" for m in hung.mentions) == 3
    title_only = [m for m in hung.mentions if m.label == "TITLE" and m.start > doc.text.index("Bên cạnh việc đánh giá")]
    assert len(title_only) == 2
    assert all(doc.text[m.start:m.end] == m.text for m in hung.mentions)
    assert [t.text for t in official(doc, "Lê Đức Tiến").titles] == ["Phó Chủ tịch UBND tỉnh"]
    tuan = official(doc, "Nguyễn Trí Tuân")
    assert [(t.text, t.normalized) for t in tuan.titles] == [("TUV", "Tỉnh ủy viên"), ("Bí thư Huyện ủy", "Bí thư Huyện ủy")]
    assert [t.normalized for t in official(doc, "Hồ Văn Dương").titles] == [
        "Phó Bí thư Thường trực Huyện ủy", "Chủ tịch Hội đồng nhân dân huyện"]
    assert [t.text for t in official(doc, "Thái Ngọc Châu").titles] == ["PBT Huyện ủy"]
    assert official(doc, "Minh Hiển").titles == []  # the byline
    assert sorted(o.name for o in doc.officials) == sorted(
        ["Võ Văn Hưng", "Lê Đức Tiến", "Nguyễn Trí Tuân", "Hồ Văn Dương", "Thái Ngọc Châu", "Minh Hiển"])


def test_seed001_titles_before_the_name(seeds):
    doc = seeds["seed-001"]
    thuan = official(doc, "Trần Nam Thuần")
    assert [t.text for t in thuan.titles] == ["Phó Bí thư Huyện ủy", "Chủ tịch UBND huyện"]
    assert thuan.organization == "Huyện ủy" and thuan.titles[1].organization == "UBND huyện"
    assert sum(m.label == "PER" for m in thuan.mentions) == 2 and len(thuan.mentions) == 6
    assert [t.text for t in official(doc, "Đoàn Văn Phương").titles] == ["Phó Chủ tịch UBND huyện"]


def test_seed003_two_chains_in_one_sentence_and_tone_spelling(seeds):
    doc = seeds["seed-003"]
    # "Bùi Quang Hoàn, Phó bí thư Huyện uỷ, Chủ tịch UBND huyện, Phạm Văn Dũng, Phó chủ tịch UBND huyện"
    hoan = official(doc, "Bùi Quang Hoàn")
    assert [t.text for t in hoan.titles] == ["Phó bí thư Huyện uỷ", "Chủ tịch UBND huyện Kỳ Anh"]
    assert [t.text for t in official(doc, "Phạm Văn Dũng").titles] == ["Phó chủ tịch UBND huyện"]


def test_seed004_given_abbreviations_and_title_reference(seeds):
    doc = seeds["seed-004"]
    tung = official(doc, "Lê Quang Tùng")
    assert [t.normalized for t in tung.titles] == ["Ủy viên Trung ương Đảng", "Bí thư Tỉnh ủy", "Trưởng đoàn Đại biểu quốc hội"]
    assert tung.organization == "Tỉnh ủy"  # the post he holds, not the membership "UVTƯ Đảng"
    assert sum(m.label == "PER" for m in tung.mentions) == 4
    # the chain of three, "Bí thư Tỉnh ủy Lê Quang Tùng" three times, "đồng chí Bí thư Tỉnh ủy nhấn mạnh" once
    assert sum(m.label == "TITLE" for m in tung.mentions) == 3 + 3 + 1
    assert [t.text for t in official(doc, "Võ Văn Hưng").titles] == ["Phó Bí thư Tỉnh ủy", "Chủ tịch UBND tỉnh"]


def test_seed002_quyen_chu_tich(seeds):
    doc = seeds["seed-002"]
    hai = official(doc, "Tống Thanh Hải")
    assert [t.text for t in hai.titles] == ["Quyền Chủ tịch UBND tỉnh"]
    assert sum(m.label == "TITLE" for m in hai.mentions) == 4  # once in the chain, three times alone


# -- indicators ----------------------------------------------------------------------------

def test_seed001_budget_revenue(seeds):
    doc = seeds["seed-001"]
    r = indicator(doc, "Thu ngân sách nhà nước")
    assert (r.value, r.unit) == (139_396_000_000, "đồng")
    assert [(f.quantity.value, f.base, f.direction) for f in r.rates] == [(45.76, "plan", None)]
    assert [d.text for d in r.dates] == ["năm 2023", "14/9/2023"]
    district = indicator(doc, "thu ngân sách huyện")  # "46.124/133.761 triệu đồng, đạt 34,48% dự toán giao"
    assert (district.value, district.main.quantity.denominator, district.unit) == (46_124_000_000, 133_761_000_000, "đồng")
    assert [(f.quantity.value, f.base) for f in district.rates] == [(34.48, "plan")]
    area = indicator(doc, "Tổng diện tích gieo trồng")
    assert (area.value, area.unit, area.rates[0].quantity.value, area.rates[0].base) == (32787.8, "ha", 99.6, "plan")
    crit = indicator(doc, "tổng số tiêu chí ước đạt chuẩn NTM")
    assert (crit.value, crit.main.quantity.denominator, crit.unit) == (86, 133, "tiêu chí")
    assert all(v.span.text != "01 xã" for v in crit.values)  # "trong đó có 01 xã ..." is another fact


def test_seed000_disbursement(seeds):
    doc = seeds["seed-000"]
    r = indicator(doc, "giá trị giải ngân")
    assert (r.value, r.unit, [d.text for d in r.dates]) == (109_475_000_000, "đồng", ["30/8/2020"])
    assert [(f.span.text, f.base) for f in r.rates] == [("70,98 %", "plan")]  # after a ";": "; đạt 70,98 % so với kế hoạch"
    total = indicator(doc, "tổng số vốn được phân bổ, hỗ trợ và triển khai thực hiện")
    assert (total.value, total.unit, total.rates) == (154_228_000_000, "đồng", [])


def test_seed002_change_is_not_the_level(seeds):
    doc = seeds["seed-002"]
    tea = indicator(doc, "sản lượng chè búp tươi")  # "ước đạt 3.500 tấn, tăng 1.200 tấn so với cùng kỳ"
    assert (tea.value, tea.unit) == (3500, "tấn")
    assert [(v.quantity.value, v.direction) for v in tea.values] == [(3500, None), (1200, "increase")]
    forest = indicator(doc, "trồng rừng")
    assert (forest.value, forest.main.quantity.denominator, forest.unit) == (125, 100, "ha")
    assert [(f.quantity.value, f.base) for f in forest.rates] == [(125, "plan")]


def test_seed004_budget_and_growth(seeds):
    doc = seeds["seed-004"]
    rev = indicator(doc, "tổng thu ngân sách")
    assert (rev.value, rev.unit) == (660_191_000_000, "đồng")
    assert [(f.quantity.value, f.base) for f in rev.rates] == [(90.41, "plan")]
    ind = indicator(doc, "Giá trị sản xuất công nghiệp")  # "(tăng 13,5% so với cùng kỳ năm trước)"
    assert (ind.value, ind.unit) == (4_203_100_000_000, "đồng")
    assert [(f.quantity.value, f.direction, f.base) for f in ind.rates] == [(13.5, "increase", "same_period")]
    retail = indicator(doc, "Tổng mức bán lẻ hàng hóa và doanh thu thương mại - dịch vụ")
    assert [(f.quantity.value, f.direction, f.base) for f in retail.rates] == [
        (9, "increase", "same_period"), (70.29, None, "plan")]
    disb = indicator(doc, "Kết quả giải ngân các nguồn vốn của tỉnh, của huyện quản lý")
    assert (disb.value, disb.main.quantity.low, disb.main.quantity.high, disb.unit) == (None, 40, 49, "%")


def test_seed003_list_of_figures_in_one_sentence(seeds):
    doc = seeds["seed-003"]
    grain = indicator(doc, "sản lượng lương thực có hạt")  # "..., thành lập mới 19 doanh nghiệp, thu ngân sách ..."
    assert [v.span.text for v in grain.values] == ["20.519 tấn"]
    assert (indicator(doc, "thu ngân sách").value, indicator(doc, "thu ngân sách").unit) == (54_000_000_000, "đồng")
    assert indicator(doc, "Tổng giá trị sản xuất theo hiện hành").value == 2_919_800_000_000


def test_every_record_span_matches_the_text(seeds):
    for doc in seeds.values():
        for r in doc.indicators:
            assert doc.text[r.start:r.end] == r.name
            for f in r.values + r.rates:
                assert doc.text[f.span.start:f.span.end] == f.quantity.text
        for d in doc.directive_records:
            assert doc.text[d.start:d.end] == d.text
            for p in (d.issuer, d.addressee):
                assert p is None or doc.text[p.start:p.end] == p.text


# -- directives ----------------------------------------------------------------------------

def test_seed000_directives(seeds):
    doc = seeds["seed-000"]
    first = directive(doc, "tập trung củng cố kiện toàn")  # "đồng chí Chủ tịch UBND tỉnh ... đề nghị ... huyện Đakrông cần"
    assert first.issuer.official.name == "Võ Văn Hưng" and first.addressee.text == "huyện Đakrông"
    second = directive(doc, "thực hiện nghiêm túc")  # after ";": same issuer and addressee
    assert second.issuer.official.name == "Võ Văn Hưng" and second.addressee.text == "huyện Đakrông"
    later = directive(doc, "tiếp tục tập trung, nỗ lực")  # next paragraph, no trigger of its own: carried over
    assert later.issuer.official.name == "Võ Văn Hưng" and later.addressee.text == "huyện Đakrông"
    last = directive(doc, "tiếp tục rà soát, tham mưu")  # "Đồng thời, giao cho các cơ quan, ban ngành liên quan"
    assert last.addressee.text == "các cơ quan, ban ngành liên quan" and last.issuer.official.name == "Võ Văn Hưng"


def test_seed001_directives(seeds):
    doc = seeds["seed-001"]
    assert {d.issuer.official.name for d in doc.directive_records} == {"Trần Nam Thuần"}
    assert directive(doc, "nỗ lực thực hiện đồng bộ").addressee.text == "toàn huyện"
    assert directive(doc, "vào cuộc").addressee.text == "lãnh đạo các đơn vị, UBND các xã"
    assert directive(doc, "quan tâm đến dữ liệu số").addressee is None


def test_seed002_and_seed003_addressees(seeds):
    d2 = directive(seeds["seed-002"], "tiếp tục khai thác triệt để")  # "Đồng chí Quyền Chủ tịch UBND tỉnh đề nghị huyện"
    assert d2.addressee.text == "huyện" and d2.issuer.official.name == "Tống Thanh Hải"
    assert directive(seeds["seed-002"], "phối hợp giải quyết").addressee.text == "các sở, ngành theo chức năng nhiệm vụ"
    d3 = directive(seeds["seed-003"], "tiếp tục tập trung chỉ đạo")  # "yêu cầu trong 6 tháng cuối năm, các phòng, ..."
    assert d3.addressee.text == "các phòng, ban, cơ quan, đơn vị" and d3.issuer.official.name == "Bùi Quang Hoàn"
    assert directive(seeds["seed-003"], "tập trung cao độ để").addressee is None  # "Trong thời gian tới cần"


def test_seed004_issuer_after_the_quote_and_in_the_previous_paragraph(seeds):
    doc = seeds["seed-004"]
    quoted = directive(doc, "đi đôi với kiểm tra")  # "... cần <DIR>”, đồng chí Bí thư Tỉnh ủy nhấn mạnh."
    assert quoted.issuer.official.name == "Lê Quang Tùng" and quoted.issuer.text == "Bí thư Tỉnh ủy"
    after = directive(doc, "quan tâm lãnh đạo, chỉ đạo sâu sát")  # next paragraph: "Huyện cần ..."
    assert after.issuer.official.name == "Lê Quang Tùng" and after.addressee.text == "Huyện"
    assert directive(doc, "tiếp thu ý kiến").addressee.text == "Lãnh đạo huyện"
