"""Where an indicator's name lies when a model's IND span is a word off, or missing.

A tagger often lets an IND span run into the words that introduce its figure ("Tổng thu
ngân sách đạt", "... năm 2023 ước đạt"), stops one word early before a head that it did not
see ("thu ngân sách" after "Tổng"), cuts a name in two around "cho"/"của", or misses the span
while the text still reads "năng lực xét nghiệm khoảng 600 mẫu/ngày". These rules put the
name back where a reader would, so the figure that follows is attached to it. On correct
spans they change nothing (tests/test_records_indicators.py checks the gold train and dev data).
"""
from __future__ import annotations

import re

from vnreport.schema import Span

# words that open the name of a measured quantity ("tổng số ca mắc", "diện tích rừng trồng mới")
HEADS = (r"tổng số|tổng|số lượng|số|tỷ lệ|tỉ lệ|diện tích|sản lượng|năng suất|năng lực|khả năng|sức chứa|"
         r"giá trị|doanh thu|doanh số|kim ngạch|lợi nhuận|quy mô|dân số|thu nhập|thu ngân sách|vốn|lượng|"
         r"tốc độ|chỉ số|chiều dài")
_HEAD = re.compile(rf"(?<!\w)(?:{HEADS})(?!\w)", re.I)
_PREFIX = r"tổng số|tổng|tỷ lệ|tỉ lệ"
_BEFORE_HEAD = re.compile(rf"(?<!\w)(?:{_PREFIX})[ \t]+$", re.I)
_STARTS_PREFIXED = re.compile(rf"(?:{_PREFIX})(?!\w)", re.I)
# what introduces a figure after its name; never the last words of a name ("đã đạt" is: "số tiêu chí đã đạt")
FIGURE_LEAD = (r"ước đạt|ước tính|đạt|ước|là|khoảng|gần|hơn|trên|dưới|chiếm|tăng|giảm|còn|lên|chỉ|mới|"
               r"được|với|ở mức|mức|từ|có|bằng|đến|tới|vượt|vượt mốc|vượt ngưỡng|ít nhất|tối thiểu|tối đa|:")
# ("ở" ends "nhà ở", "đơn vị ở" and "đất ở", housing, which are names: "diện tích nhà ở", "đơn giá đất ở";
# "đến" ends "khách đi và đến", arrivals and departures, a name)
_LEAD_TAIL = re.compile(r"(?:(?<!đã)[ \t]+(?:ước đạt|ước tính|đạt|ước|là|khoảng|gần|chiếm|trong|tại|của|với|và|(?<!đi và )đến|từ)"
                        r"|(?<!nhà)(?<!vị)(?<!đất)[ \t]+ở|[ \t]*:)+$", re.I)
# "từ ... đến" (coming from ...) ends a name: "lao động từ nơi khác đến"
_COMES_FROM = re.compile(r"(?<!\w)từ[ \t]+\S.*[ \t]đến$", re.I)
# a period swallowed at the end of a name ("Tổng thu ngân sách năm 2023", "... 6 tháng đầu năm")
_DATE_TAIL = re.compile(
    r"[ \t]+(?:(?:trong|của|cả|đến|tính đến|đến hết)[ \t]+)?"
    r"(?:năm[ \t]+\d{4}|năm nay|tháng[ \t]+\d{1,2}(?:/\d{4})?|quý[ \t]+(?:[IV]+|\d)(?:/\d{4})?|"
    r"\d+[ \t]+tháng(?:[ \t]+đầu năm)?(?:[ \t]+(?:năm[ \t]+)?\d{4})?)$", re.I)
# a name cut after "các"/"những" ("giá trị giải ngân vốn các | Chương trình MTQG đến 31/7") runs on to its figure words
_CUT_AFTER = re.compile(r"(?<!\w)(?:các|những)$", re.I)
_REST_OF_NAME = re.compile(
    rf"(?:[ \t]+(?!(?:{FIGURE_LEAD})(?!\w))[^\W\d_][\w-]*){{1,4}}?(?=[ \t]+(?:{FIGURE_LEAD})(?!\w)|[ \t]*[,;.(\n])", re.I)
_LEAD_HEAD = re.compile(r"^(?:và|còn|riêng|trong đó,?|đồng thời|nâng)[ \t]+", re.I)
_JOIN = re.compile(r"[ \t]+(?:cho|của)[ \t]+", re.I)  # "Tỷ lệ tiêm phòng vắc-xin | cho | đàn gia súc"
# a name read from the text never ends on these words, nor is it a head that needs more words ("tổng số 320 hộ")
_NOT_LAST = {"của", "tại", "và", "cho", "với", "ở", "phải", "này", "trong", "theo", "cả", "các", "những", "đã", "sẽ"}
_BARE = {"tổng số", "tổng", "số", "số lượng", "lượng", "mức", "vốn", "quy mô", "giá trị", "tỷ lệ", "tỉ lệ", "chỉ số",
         "tốc độ", "khả năng", "năng lực"}
_NAME_BEFORE_FIGURE = re.compile(
    rf"(?<!\w)(?P<name>(?:{HEADS})(?:[ \t]+[^\W\d_][\w-]*){{0,6}}?)(?:[ \t]+(?:{FIGURE_LEAD}))*[ \t]*$", re.I)


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, "IND", text[start:end])


def repair(text: str, ind: Span) -> tuple[Span, Span | None]:
    """`ind` without the figure words, conjunction or period it swallowed, with a head word ("Tổng",
    "tỷ lệ") it left out just before it and the words it lost after "các"; also the swallowed period."""
    start, end = ind.start, ind.end
    period = None
    while True:
        name = text[start:end]
        tail = _LEAD_TAIL.search(name) or _DATE_TAIL.search(name)
        if tail is None or tail.start() == 0 or _COMES_FROM.search(name):
            break
        if tail.re is _DATE_TAIL:
            at = start + tail.start() + len(tail.group()) - len(tail.group().lstrip())
            period = Span(at, start + tail.end(), "DATE", text[at:start + tail.end()])
        end = start + tail.start()
    rest = _REST_OF_NAME.match(text, end) if _CUT_AFTER.search(text, start, end) else None
    if rest is not None:
        end = rest.end()
    lead = _LEAD_HEAD.match(text[start:end])
    if lead and lead.end() < end - start:
        start += lead.end()
    before = _BEFORE_HEAD.search(text, max(0, start - 12), start)
    if before and not _STARTS_PREFIXED.match(text, start):
        start = before.start()
    if (start, end) == (ind.start, ind.end):
        return ind, period
    return _span(text, start, end), period


def joined(text: str, a: Span, b: Span) -> Span | None:
    """One name for two IND spans split around "cho"/"của" ("Tỷ lệ tiêm phòng vắc-xin cho đàn gia súc")."""
    return _span(text, a.start, b.end) if _JOIN.fullmatch(text[a.end:b.start]) else None


def name_before(text: str, clause_start: int, figure: Span) -> Span | None:
    """An indicator name written right before `figure` with no IND span ("khả năng thu dung khoảng 5.000
    người"): it opens with a head word and reaches the words that introduce the figure."""
    m = _NAME_BEFORE_FIGURE.search(text, clause_start, figure.start)
    words = m["name"].casefold().split() if m else []
    if len(words) < 2 or words[-1] in _NOT_LAST or " ".join(words) in _BARE:
        return None
    return _span(text, m.start("name"), m.end("name"))
