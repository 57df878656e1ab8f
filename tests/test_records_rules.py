"""Record rules on short hand-written sentences in the style of the reports (inline markup as input)."""
from __future__ import annotations

from vnreport.data.markup import parse_markup
from vnreport.schema import Span
from vnreport.document import Document


def doc_of(markup: str) -> Document:
    return parse_markup(f"#@ id: t\n{markup}")


def test_given_name_alone_joins_the_full_name():
    doc = doc_of("<TITLE>Chủ tịch UBND tỉnh</TITLE> <PER>Võ Văn Hưng</PER> chủ trì. Ông <PER>Hưng</PER> đề nghị các sở tập trung.")
    assert [o.name for o in doc.officials] == ["Võ Văn Hưng"]
    assert [m.text for m in doc.officials[0].mentions] == ["Chủ tịch UBND tỉnh", "Võ Văn Hưng", "Hưng"]


def test_given_name_shared_by_two_people_is_not_merged():
    doc = doc_of("Ông <PER>Võ Văn Hưng</PER> và ông <PER>Nguyễn Văn Hưng</PER> dự họp. Ông <PER>Hưng</PER> phát biểu.")
    assert sorted(o.name for o in doc.officials) == ["Hưng", "Nguyễn Văn Hưng", "Võ Văn Hưng"]


def test_titles_after_name_with_kiem_and_adjacent_org():
    doc = doc_of("Ông <PER>Phan Sào Nam</PER>, <TITLE>Chủ tịch HĐQT</TITLE> kiêm <TITLE>Giám đốc</TITLE> "
                 "<ORG>Công ty cổ phần VTC</ORG> phát biểu.")
    nam = doc.officials[0]
    assert [t.text for t in nam.titles] == ["Chủ tịch HĐQT", "Giám đốc"]
    assert nam.titles[1].organization == "Công ty cổ phần VTC"


def test_a_title_before_a_plural_list_of_names_goes_to_each():
    doc = doc_of("Dự có các <TITLE>Phó Thủ tướng</TITLE> <PER>Vương Đình Huệ</PER>, <PER>Trương Hòa Bình</PER> và "
                 "<PER>Vũ Đức Đam</PER>. <TITLE>Bộ trưởng</TITLE> <PER>Lê Văn An</PER>, <PER>Trần Văn Bình</PER> phát biểu.")
    titles = {o.name: [t.text for t in o.titles] for o in doc.officials}
    assert titles["Vương Đình Huệ"] == titles["Trương Hòa Bình"] == titles["Vũ Đức Đam"] == ["Phó Thủ tướng"]
    assert titles["Lê Văn An"] == ["Bộ trưởng"] and titles["Trần Văn Bình"] == []  # no plural: the title is An's


def test_expansions_keep_the_original():
    doc = doc_of("Đồng chí <PER>Hà Sỹ Đồng</PER> - <TITLE>PCT UBMTTQVN tỉnh</TITLE> - <TITLE>UVTƯ Đảng</TITLE> dự.")
    titles = doc.officials[0].titles
    assert [(t.text, t.normalized) for t in titles] == [
        ("PCT UBMTTQVN tỉnh", "Phó Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        ("UVTƯ Đảng", "Ủy viên Trung ương Đảng")]


def test_title_without_a_holder_is_its_own_record_and_issues_the_directive():
    doc = doc_of("<TITLE>Thủ tướng</TITLE> yêu cầu các bộ, ngành <DIR>khẩn trương hoàn thành giải ngân</DIR>.")
    assert [(o.name, [t.text for t in o.titles]) for o in doc.officials] == [(None, ["Thủ tướng"])]
    rec = doc.directive_records[0]
    assert rec.issuer.to_dict()["text"] == "Thủ tướng" and rec.addressee.text == "các bộ, ngành"


def test_body_as_issuer_and_org_addressee():
    doc = doc_of("<ORG>UBND tỉnh</ORG> đề nghị <ORG>UBND huyện Tam Nông</ORG> <DIR>rà soát các dự án chậm tiến độ</DIR>.")
    rec = doc.directive_records[0]
    assert rec.issuer.text == "UBND tỉnh" and rec.issuer.official is None
    assert rec.addressee.text == "UBND huyện Tam Nông"


def addressees(markup: str) -> list[str | None]:
    """The rules' addressees alone (no learned linker)."""
    from vnreport.records.directives import build_directives
    from vnreport.records.officials import build_officials
    doc = doc_of(markup)
    return [r.addressee.text if r.addressee else None for r in build_directives(doc, build_officials(doc))]


def test_the_addressee_ends_before_a_clause_about_when_or_how():
    assert addressees("<PER>Lê Văn An</PER> yêu cầu các đơn vị khi tổ chức lễ hội phải "
                      "<DIR>bảo đảm an toàn phòng dịch</DIR>.") == ["các đơn vị"]
    assert addressees("<PER>Lê Văn An</PER> giao <TITLE>Chủ tịch UBND huyện</TITLE> ngay trong ngày mai "
                      "<DIR>báo cáo vụ việc</DIR>.") == ["Chủ tịch UBND huyện"]
    # "cũng như" joins two addressees, it is no clause
    assert addressees("<PER>Lê Văn An</PER> đề nghị quận Ba Đình cũng như các địa phương khác cần "
                      "<DIR>rà soát người về từ vùng dịch</DIR>.") == ["quận Ba Đình cũng như các địa phương khác"]


def test_a_speakers_words_before_a_colon_are_no_addressee_but_a_list_of_bodies_is():
    assert addressees("Ông <PER>An</PER> nhấn mạnh: Trong thời gian tới, <ORG>Sở Y tế</ORG> cần "
                      "<DIR>chuẩn bị đủ giường bệnh</DIR>.") == ["Sở Y tế"]
    assert addressees("<PER>Lê Văn An</PER> yêu cầu các sở: Công Thương, Xây dựng phải "
                      "<DIR>báo cáo trước ngày 15/6</DIR>.") == ["các sở: Công Thương, Xây dựng"]


def test_a_request_of_a_body_names_no_addressee():
    # "đề nghị của Sở ..." is the body's request (a noun), nobody is addressed
    assert addressees("Xem xét đề nghị của <ORG>Sở Tài chính</ORG> về việc <DIR>bổ sung kinh phí</DIR>.") == [None]


def test_no_speaker_means_no_issuer():
    doc = doc_of("Báo cáo nêu rõ. Cần <DIR>tăng cường kiểm tra</DIR>.")
    assert doc.directive_records[0].issuer is None


def test_a_body_that_acts_is_not_the_issuer():
    doc = doc_of("Kết luận buổi làm việc, <TITLE>Chủ tịch UBND tỉnh</TITLE> <PER>Lê Văn An</PER> nhấn mạnh nhiều nội dung. "
                 "<ORG>Sở Y tế</ORG> <DIR>rà soát lại các khu cách ly</DIR>.")
    rec = doc.directive_records[0]
    assert rec.issuer.label == "Lê Văn An"


def test_a_directive_with_no_speaker_nearby_keeps_the_issuer_before_it():
    filler = " ".join(f"Xã thứ {i} báo cáo tình hình." for i in range(12))
    doc = doc_of(f"<PER>Lê Văn An</PER> yêu cầu các xã <DIR>tập trung thu ngân sách</DIR>. {filler} "
                 "Cuối cùng, <DIR>hoàn thành kế hoạch trước ngày 30/6</DIR>.")
    first, last = doc.directive_records
    assert first.issuer.label == "Lê Văn An" and last.issuer.label == "Lê Văn An"


def test_a_headline_directive_takes_the_first_issuer_named_after_it():
    doc = doc_of("<DIR>Bảo đảm tuyệt đối an ninh trật tự trên địa bàn</DIR>\n"
                 "Chiều <DATE>25/5</DATE>, <TITLE>Chủ tịch UBND TP</TITLE> <PER>Lê Văn An</PER> chủ trì hội nghị. "
                 "Ông <PER>An</PER> yêu cầu công an các quận <DIR>nắm chắc tình hình</DIR>. "
                 "Báo cáo nêu rõ. Cần <DIR>tăng cường kiểm tra</DIR>.")
    head, body, last = doc.directive_records
    assert head.issuer.label == body.issuer.label == "Lê Văn An"
    assert head.issuer.start == body.issuer.start  # the mention it was named by, with its offsets
    assert last.issuer.label == "Lê Văn An"  # carried as before


def test_a_photo_credit_never_gives_a_directive():
    doc = doc_of("Hội nghị bàn về cải cách hành chính. Quang cảnh buổi làm việc. Ảnh: <PER>Thanh Lê</PER> "
                 "Về văn hóa công sở, đề nghị các cơ quan <DIR>quyết liệt thực hiện Chỉ thị 26</DIR>.\n<PER>Minh Hà</PER>")
    assert doc.directive_records[0].issuer is None


def test_giao_thong_in_a_body_name_is_no_trigger():
    doc = doc_of("<TITLE>Chủ tịch UBND tỉnh</TITLE> <PER>Lê Văn An</PER> yêu cầu <ORG>Sở Giao thông vận tải</ORG> "
                 "<DIR>khẩn trương sửa chữa các tuyến đường</DIR>.")
    rec = doc.directive_records[0]
    assert rec.addressee.label == "Sở Giao thông vận tải" and rec.issuer.label == "Lê Văn An"


def test_a_clause_about_when_before_the_addressee_or_a_will_after_it_is_left_out():
    doc = doc_of("<PER>Lê Văn An</PER> đề nghị ngay sau kỳ họp này, <ORG>UBND thành phố</ORG> và các ngành "
                 "<DIR>triển khai nghị quyết</DIR>. Ông <PER>An</PER> cũng yêu cầu <ORG>Ủy ban nhân dân thành phố</ORG> "
                 "sẽ <DIR>báo cáo kết quả trước ngày 30/6</DIR>.")
    first, second = doc.directive_records
    assert first.addressee.label == "UBND thành phố và các ngành"
    assert second.addressee.label == "Ủy ban nhân dân thành phố"


def test_a_district_or_a_count_of_places_before_can_is_the_addressee():
    doc = doc_of("<PER>Lê Văn An</PER> nhấn mạnh. Quận phải <DIR>có giải pháp khắc phục</DIR>. "
                 "Trong giai đoạn này, hai địa phương cần <DIR>phối hợp xây dựng mô hình mới</DIR>.")
    first, second = doc.directive_records
    assert first.addressee.label == "Quận" and second.addressee.label == "hai địa phương"


def test_an_addressee_is_words_without_a_quote_an_honorific_or_an_assignment():
    doc = doc_of('<PER>Lê Văn An</PER> yêu cầu "<ORG>Bộ Công Thương</ORG> <DIR>rà soát giá điện</DIR>". '
                 "Ông <PER>An</PER> giao nhiệm vụ cho <ORG>Sở Tài chính</ORG> <DIR>cân đối vốn</DIR>, "
                 "đề nghị ông <PER>Trần Văn Bình</PER> <DIR>báo cáo trước ngày 30/6</DIR>. "
                 'Ông <PER>An</PER> đề nghị: "<DIR>Làm ngay</DIR>".')
    first, second, third, fourth = doc.directive_records
    assert first.addressee.label == "Bộ Công Thương" and second.addressee.label == "Sở Tài chính"
    assert third.addressee.label == "Trần Văn Bình" and fourth.addressee is None


def test_a_steering_committee_is_addressed_and_a_need_to_note_points_back():
    # "Ban Chỉ đạo" names a body: its "chỉ đạo" asks nothing; in "X cần lưu ý" the ask is "cần", X the addressee
    assert addressees("<PER>Lê Văn An</PER> nhấn mạnh. Do đó, <ORG>Ban Chỉ đạo thi hành án dân sự</ORG> cần phải "
                      "<DIR>phân tích nguyên nhân</DIR>.") == ["Ban Chỉ đạo thi hành án dân sự"]
    assert addressees("<PER>Lê Văn An</PER> nêu các vấn đề mà các sở ngành cần lưu ý gồm: "
                      "<DIR>thu hút doanh nghiệp có sáng tạo cao</DIR>.") == ["các sở ngành"]


def test_a_named_place_or_body_before_can_is_the_addressee_but_a_matter_is_not():
    # a headline "Đắk Nông cần ..." names its doer by a place alone; "Thu ngân sách cần ..." names a matter
    assert addressees("<LOC>Đắk Nông</LOC> cần <DIR>tạo lợi thế bằng môi trường kinh doanh</DIR>\n"
                      "Ông <PER>Lê Văn An</PER> nhấn mạnh, <ORG>Sở Tài chính</ORG> phải <DIR>cân đối vốn</DIR>. "
                      "Thu ngân sách cần <DIR>bám sát dự toán</DIR>.") == ["Đắk Nông", "Sở Tài chính", None]


def test_connectives_and_clauses_before_the_addressee_are_stripped_in_turn():
    assert addressees("<PER>Lê Văn An</PER> đề nghị và mong muốn, trong thời gian tới, <LOC>TP Hà Nội</LOC> "
                      "tiếp tục <DIR>quan tâm đến công tác này</DIR>.") == ["TP Hà Nội"]
    assert addressees("<PER>Lê Văn An</PER> yêu cầu trong quá trình triển khai nhiệm vụ, ngành thi hành án "
                      "<DIR>bám sát chỉ tiêu</DIR>.") == ["ngành thi hành án"]
    assert addressees('<PER>Lê Văn An</PER> nhấn mạnh. "Tất cả các tỉnh, thành phố phải '
                      "<DIR>kiểm soát tốt tình hình</DIR>.") == ["Tất cả các tỉnh, thành phố"]


def test_a_continuing_connective_carries_the_addressee_down():
    # "Cụ thể," and "Theo đó," continue the instruction before them, as "Đồng thời," does
    assert addressees("<PER>Lê Văn An</PER> chỉ đạo các sở, ngành <DIR>thực hiện nghiêm các giải pháp</DIR>.\n"
                      "Cụ thể, phải <DIR>bảo đảm cách ly đủ thời gian</DIR>.\n"
                      "Theo đó, <DIR>giám sát người sau cách ly</DIR>.") == ["các sở, ngành"] * 3


def test_a_doer_ends_at_its_must_when_the_directive_starts_later():
    # a tagger that starts the directive late leaves part of the task before it: the doer is what
    # stands before "phải"; a capitalised "Cần" is a name ("TP Cần Thơ")
    assert addressees("<PER>Lê Văn An</PER> nhấn mạnh, <LOC>Đa Phước</LOC> phải tiếp nhận rác, đồng thời "
                      "<DIR>xử lý mùi hôi</DIR>.") == ["Đa Phước"]
    assert addressees("<PER>Lê Văn An</PER> đề nghị <ORG>Sở KH&CN TP Cần Thơ</ORG> <DIR>hỗ trợ doanh nghiệp</DIR>.") == [
        "Sở KH&CN TP Cần Thơ"]


def test_a_doer_ends_before_the_task_verb_a_late_directive_left_out():
    # "tỉnh phát động <DIR>" (the directive should have started at "phát động"); a name keeps such a
    # word ("khu cách ly tập trung", "Viện nghiên cứu")
    assert addressees("<PER>Lê Văn An</PER> đề nghị tỉnh phát động <DIR>phong trào toàn dân</DIR>.") == ["tỉnh"]
    assert addressees("<PER>Lê Văn An</PER> yêu cầu các khu cách ly tập trung <DIR>bảo đảm an toàn</DIR>.") == [
        "các khu cách ly tập trung"]
    assert addressees("<PER>Lê Văn An</PER> giao Viện nghiên cứu phát triển <DIR>lập đề án</DIR>.") == [
        "Viện nghiên cứu phát triển"]


def test_values_never_cross_a_sentence_end():
    doc = doc_of("<IND>Thu ngân sách</IND> đạt thấp. Huyện có thêm <VALUE>19 doanh nghiệp</VALUE>.")
    rec = doc.indicators[0]
    assert rec.values == [] and rec.value is None


def test_direction_and_base_of_rates():
    doc = doc_of("<IND>Tỷ lệ hộ nghèo</IND> giảm còn <RATE>4,2%</RATE>, giảm <RATE>1,1%</RATE> so với cùng kỳ; "
                 "<IND>thu nhập</IND> bằng <RATE>97,4%</RATE> so với bình quân tỉnh; "
                 "<IND>vốn giải ngân</IND> đạt <RATE>45%</RATE> chỉ tiêu.")
    poor, income, capital = doc.indicators
    assert [(f.direction, f.base) for f in poor.rates] == [("decrease", "other"), ("decrease", "same_period")]  # no base stated
    assert [(f.direction, f.base) for f in income.rates] == [("equal", "other")]
    assert [(f.direction, f.base) for f in capital.rates] == [(None, "plan")]


def test_nearest_following_values_win():
    doc = doc_of("<IND>Tổng thu</IND> đạt <VALUE>120 tỷ đồng</VALUE>, <IND>tổng chi</IND> là <VALUE>80 tỷ đồng</VALUE>.")
    assert [(r.name, r.value) for r in doc.indicators] == [("Tổng thu", 120_000_000_000), ("tổng chi", 80_000_000_000)]


def test_unparseable_value_is_flagged_not_guessed():
    doc = doc_of("<IND>Sản lượng cá</IND> đạt <VALUE>1.5 tấn</VALUE>.")
    rec = doc.indicators[0]
    assert rec.value is None and rec.main.quantity.parsed is False and rec.main.quantity.text == "1.5 tấn"
    assert rec.to_dict()["values"][0]["parsed"] is False


def test_records_follow_span_changes():
    doc = doc_of("<IND>Tổng thu</IND> đạt <VALUE>120 tỷ đồng</VALUE>.")
    assert doc.indicators[0].value == 120_000_000_000
    doc.entities = [s for s in doc.entities if s.label != "VALUE"]
    assert doc.indicators[0].value is None


def test_empty_document_has_empty_records():
    d = Document("")
    assert (d.officials, d.indicators, d.directive_records) == ([], [], [])
    assert {"officials", "indicators", "directive_records"} <= set(d.to_dict())


def test_to_dict_keeps_offsets():
    text = "Chủ tịch UBND tỉnh Võ Văn Hưng chủ trì"
    d = Document(text, entities=[Span(0, 18, "TITLE", text[:18]), Span(19, 30, "PER", text[19:30])])
    off = d.to_dict()["officials"][0]
    assert off["name"] == "Võ Văn Hưng" and off["organization"] == "UBND tỉnh"
    assert [(m["start"], m["end"]) for m in off["mentions"]] == [(0, 18), (19, 30)]


def test_full_name_after_the_given_name_names_the_record():
    doc = doc_of("Ông <PER>Hưng</PER> phát biểu. <TITLE>Chủ tịch UBND tỉnh</TITLE> <PER>Võ Văn Hưng</PER> kết luận.")
    assert [(o.name, len(o.mentions)) for o in doc.officials] == [("Võ Văn Hưng", 3)]
