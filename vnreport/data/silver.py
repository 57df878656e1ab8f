"""Labeling functions: rule-made (silver) spans for unlabeled reports.

Each function proposes spans of one label with a regular expression written from the
genre's fixed phrasings (titles, offices, administrative units, Vietnamese number
formats, directive cues). Overlaps within a layer are resolved by a fixed priority.
Silver data is kept apart from gold by name (`data/silver/`), and its precision and
recall against gold dev are measured with `lf_report()`.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

from vnreport.schema import Span
from vnreport.document import Document

UP = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
CAP = rf"[{UP}][^\W\d_]*"
NAME = rf"{CAP}(?: {CAP}){{1,3}}"
ADMIN = r"(?:tỉnh|huyện|xã|thành phố|thị xã|thị trấn|phường|quận|TP\.)"
NUM = r"\d+(?:[.,]\d+)*(?:/\d+(?:[.,]\d+)*)?"
UNITS = ("tỷ đồng|triệu đồng|nghìn đồng|đồng|USD|ha|héc-ta|tấn|con|lao động|doanh nghiệp|người|hộ|xã|tiêu chí|km|"
         "lượt khách|lượt|dự án|công trình|trường hợp|ca|học sinh|cơ sở|hợp tác xã|sản phẩm|m3|m2|kg")
DEPARTMENTS = ("Tài chính|Y tế|Kế hoạch và Đầu tư|Nông nghiệp và Phát triển nông thôn|Nông nghiệp và PTNT|"
               "Giáo dục và Đào tạo|Xây dựng|Công Thương|Tài nguyên và Môi trường|Lao động - Thương binh và Xã hội|"
               "Lao động, Thương binh và Xã hội|Văn hóa, Thể thao và Du lịch|Giao thông vận tải|Nội vụ|Tư pháp|"
               "Thông tin và Truyền thông|Khoa học và Công nghệ|Công an|Quốc phòng|Ngoại giao")
# An office at a level; a capitalized name after it is a place for an ORG but, after a
# title, more often the holder's name ("Chủ tịch UBND huyện Trần Nam Thuần"), so titles stop before it.
OFFICE = (rf"(?:UBND|HĐND|UBMTTQVN|Ủy ban nhân dân|Hội đồng nhân dân|(?:Ban Thường vụ |BTV )?(?:Huyện|Tỉnh|Thành|Đảng) ủy"
          rf"|(?:Sở|Bộ|Phòng) (?:{DEPARTMENTS}))(?: {ADMIN})?")
BODY = rf"{OFFICE}(?: {NAME})?"
HEAD = (r"(?:(?:Phó |Quyền |nguyên )?(?:Chủ tịch|Bí thư|Giám đốc|Trưởng ban|Trưởng phòng|Chánh Văn phòng|Bộ trưởng|"
        r"Thứ trưởng|Thủ tướng|Chủ nhiệm)(?: Thường trực)?)")
VERBS = ("tập trung|triển khai|thực hiện|đẩy mạnh|tăng cường|chủ động|khẩn trương|rà soát|phối hợp|quan tâm|hoàn thành|"
         "nâng cao|tiếp tục|sớm|kiểm tra|đôn đốc|xây dựng|đảm bảo|bảo đảm|làm tốt|quyết liệt|nghiêm túc|chỉ đạo|"
         "huy động|đề ra|có giải pháp|khắc phục|theo dõi|hướng dẫn|tổ chức|giải quyết|ưu tiên|phấn đấu|không để")

PATTERNS: dict[str, list[re.Pattern]] = {
    "TITLE": [re.compile(rf"{HEAD}(?: {OFFICE})?"), re.compile(r"\bPBT(?: Thường trực)? (?:Huyện|Tỉnh|Thành) ủy|\bTUV\b|\bUVTƯ(?: Đảng)?")],
    "ORG": [re.compile(BODY)],
    "PER": [re.compile(rf"(?:[Đđ]ồng chí|Ông|ông|Bà|bà) (?P<s>{NAME})"),
            re.compile(rf"{HEAD} {OFFICE} (?P<s>{NAME})(?= (?:và|chủ trì|phát biểu|cho biết|nhấn mạnh|đề nghị|yêu cầu|đồng chủ trì)\b|[,.])")],
    "LOC": [re.compile(rf"\b{ADMIN} {CAP}(?: {CAP}){{0,3}}")],
    "VALUE": [re.compile(rf"\b{NUM}(?: (?:nghìn|ngàn|triệu|tỷ|tỉ))? (?:{UNITS})\b")],
    "RATE": [re.compile(r"\b\d+(?:,\d+)? ?%")],
    "DATE": [re.compile(r"\b(?:\d{1,2}/\d{1,2}/\d{4}|\d{1,2}/\d{1,2}(?![\d/])|(?:\d+|ba|sáu|chín) tháng(?: đầu| cuối)?(?: năm(?: \d{4})?)?"
                        r"|tháng \d{1,2}(?:/\d{4}| năm \d{4})?|quý [IV1-4]+(?:/\d{4}| năm \d{4})?|năm \d{4}|giai đoạn \d{4} ?[-–] ?\d{4})")],
    "IND": [re.compile(r"(?:^|[.,;:] )(?P<s>(?:[Tt]ổng |[Tt]hu |[Cc]hi )?(?:[Tt]hu ngân sách|[Cc]hi ngân sách|[Gg]iá trị|[Ss]ản lượng|[Dd]iện tích|[Tt]ỷ lệ|[Tt]ổng số|[Kk]im ngạch|[Dd]oanh thu|[Tt]ổng vốn|[Vv]ốn|[Tt]hu nhập bình quân|[Tt]ốc độ tăng trưởng)[^,.;:\n\d]{0,50}?)(?= (?:ước đạt|đạt|là|được|tăng|giảm)\b)", re.M)],
}
PRIORITY = ["TITLE", "ORG", "PER", "RATE", "VALUE", "DATE", "LOC", "IND"]
_DIR_CUE = re.compile(r"(?<!đã )\b(?:đề nghị|yêu cầu|giao|chỉ đạo|cần|phải)\b")
_DIR_VERB = re.compile(rf"\b(?:{VERBS})\b")
_DIR_END = re.compile(r"[;.\n]")


def _resolve(cands: list[Span]) -> list[Span]:
    """Keep non-overlapping spans, by label priority and then length."""
    chosen: list[Span] = []
    for s in sorted(cands, key=lambda s: (PRIORITY.index(s.label) if s.label in PRIORITY else 99, -(s.end - s.start), s.start)):
        if all(s.end <= c.start or s.start >= c.end for c in chosen):
            chosen.append(s)
    return sorted(chosen, key=lambda s: s.start)


def lf_entities(text: str, labels: Iterable[str] | None = None) -> list[Span]:
    cands = []
    for lab, pats in PATTERNS.items():
        if labels is not None and lab not in labels:
            continue
        for p in pats:
            for m in p.finditer(text):
                g = "s" if "s" in p.groupindex else 0
                cands.append(Span(m.start(g), m.end(g), lab, m.group(g)))
    return _resolve([s for s in cands if s.text.strip() == s.text and s.text])


def lf_directives(text: str) -> list[Span]:
    """After a cue word, from the first instruction verb to the end of the item."""
    spans: list[Span] = []
    for cue in _DIR_CUE.finditer(text):
        verb = _DIR_VERB.search(text, cue.end(), min(len(text), cue.end() + 60))
        if not verb or (spans and verb.start() < spans[-1].end):
            continue
        end = _DIR_END.search(text, verb.start())
        stop = end.start() if end else len(text)
        piece = text[verb.start():stop].rstrip(" ,…")
        if len(piece.split()) >= 3:
            spans.append(Span(verb.start(), verb.start() + len(piece), "DIR", piece))
    return spans


LABELING_FUNCTIONS: dict[str, Callable[[str], list[Span]]] = {"entities": lf_entities, "directives": lf_directives}


def label_document(text: str, doc_id: str | None = None, meta: dict | None = None) -> Document:
    return Document(text=text, id=doc_id, meta=dict(meta or {}, origin="silver"),
                    entities=lf_entities(text), directives=lf_directives(text))
