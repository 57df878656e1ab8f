"""Upper-case lines read in ordinary case.

Portal pages print headlines and section headings in capitals ("UBND HUYỆN BỐ TRẠCH SƠ KẾT ...").
Capitals are a name's mark in Vietnamese, so a tagger that sees a line of them finds names
everywhere or nowhere: on real headlines put in capitals the shipped model fell from 0.92 to
0.14 entity F1 (benchmarks/casing.py). Such a line is shown to the model in ordinary case:
syllables in lower case, acronyms and Roman numerals as written, and capitals given back where a
name is sure to stand (the line's first letter, the two syllables after an administrative word or
a common surname, the name of a province). Only letters change and each keeps its length, so
every offset still indexes the caller's text and the spans' text is the caller's capitals.
"""
from __future__ import annotations

import re

_VOWELS = "aăâeêioôơuưyáắấéếíóốớúứýàằầèềìòồờùừỳảẳẩẻểỉỏổởủửỷãẵẫẽễĩõỗỡũữỹạặậẹệịọộợụựỵ"
# one Vietnamese syllable: onset, one to three vowels, coda; anything else written in capitals
# ("UBND", "HĐND", "BHYT", "COVID") is an acronym and stays as it is
_SYLLABLE = re.compile(rf"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?[{_VOWELS}]{{1,3}}(?:ng|nh|ch|[cmnpt])?")
_ROMAN = re.compile(r"[IVXLC]+")
_WORD = re.compile(r"[^\W\d_]+")
_MIN_LETTERS = 12  # shorter all-capital lines are acronyms and labels ("UBND TỈNH"), left as they are
# words after which a place's name follows ("huyện Bố Trạch", "thị xã An Khê", "TP Hà Nội")
_ADMIN = frozenset({"huyện", "tỉnh", "xã", "phường", "quận", "trấn", "phố", "tp", "ấp", "thôn"})
# surnames that are no common word of reports (not "Hồ", "Lâm", "Văn", "Đoàn", "Triệu", ...)
_SURNAMES = frozenset({"nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "võ", "đặng", "bùi", "ngô",
                       "đinh", "trịnh", "trương", "quách"})
# words that follow "tỉnh", "huyện" in headlines and are never part of the name
_NOT_NAME = frozenset({
    "tổ", "chức", "tháng", "năm", "quý", "họp", "làm", "việc", "giao", "ban", "sơ", "kết", "tổng", "triển", "khai",
    "đánh", "giá", "về", "với", "và", "của", "tại", "trong", "đạt", "tăng", "giảm", "có", "là", "được", "các",
    "những", "kỳ", "phiên", "hội", "nghị", "khóa", "khoá", "lần", "thứ", "nhiệm", "vụ", "kinh", "tế", "thực", "hiện",
    "chỉ", "đạo", "yêu", "cầu", "đề", "tiếp", "xúc", "cử", "tri", "ra", "quân", "kiểm", "tra", "giám", "sát", "thu",
    "chi", "ngân", "sách", "nông", "thôn", "mới", "đến", "từ", "cho", "sau", "trước", "đã", "sẽ", "cần", "phải"})
# provinces (and centrally run cities) named without an administrative word
_PROVINCES = tuple(tuple(p.split()) for p in (
    "hà nội", "hải phòng", "đà nẵng", "cần thơ", "hà giang", "cao bằng", "bắc kạn", "tuyên quang", "lào cai",
    "điện biên", "lai châu", "sơn la", "yên bái", "hòa bình", "hoà bình", "thái nguyên", "lạng sơn", "quảng ninh",
    "bắc giang", "phú thọ", "vĩnh phúc", "bắc ninh", "hải dương", "hưng yên", "thái bình", "hà nam", "nam định",
    "ninh bình", "thanh hóa", "thanh hoá", "nghệ an", "hà tĩnh", "quảng bình", "quảng trị", "thừa thiên huế",
    "quảng nam", "quảng ngãi", "bình định", "phú yên", "khánh hòa", "khánh hoà", "ninh thuận", "bình thuận",
    "kon tum", "gia lai", "đắk lắk", "đắk nông", "lâm đồng", "bình phước", "tây ninh", "bình dương", "đồng nai",
    "bà rịa vũng tàu", "long an", "tiền giang", "bến tre", "trà vinh", "vĩnh long", "đồng tháp", "an giang",
    "kiên giang", "hậu giang", "sóc trăng", "bạc liêu", "cà mau"))


def all_capitals(line: str) -> bool:
    """Whether a line is written in capitals (enough letters to be more than an acronym or a label)."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= _MIN_LETTERS and all(c.isupper() for c in letters)


def _recase_line(line: str) -> str:
    words = list(_WORD.finditer(line))
    out = list(line)
    lowered: list[bool] = []
    forms: list[str] = []
    for m in words:
        w = m.group(0)
        low = w.lower()
        keep = _ROMAN.fullmatch(w) is not None or _SYLLABLE.fullmatch(low) is None or len(low) != len(w)
        if not keep:
            out[m.start():m.end()] = low
        lowered.append(not keep)
        forms.append(low)
    capital = [False] * len(words)
    for i, form in enumerate(forms):
        if form in _ADMIN or (form in _SURNAMES and lowered[i]):
            if form in _SURNAMES:
                capital[i] = True
            for j in range(i + 1, min(i + 3, len(words))):
                if not lowered[j] or forms[j] in _NOT_NAME or words[j].start() != words[j - 1].end() + 1:
                    break
                capital[j] = True
    for i in range(len(words)):
        for name in _PROVINCES:
            n = len(name)
            if tuple(forms[i:i + n]) == name:
                capital[i:i + n] = [True] * n
    if words:
        capital[0] = True  # the line's first word, as a sentence's
    for i, m in enumerate(words):
        if capital[i] and lowered[i]:
            out[m.start()] = line[m.start()]
    return "".join(out)


def recase(text: str) -> str:
    """`text` with every all-capital line in ordinary case; same length, other lines untouched."""
    if not any(c.isupper() for c in text):
        return text
    return "".join(_recase_line(line) if all_capitals(line) else line for line in text.splitlines(keepends=True))
