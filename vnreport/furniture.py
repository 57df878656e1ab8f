"""Page furniture: the parts of a copied portal page that are not the article.

Reports are often copied from a government portal with its menus, breadcrumbs, share and print
links, view counters, "Tin liên quan" lists and footer. The guidelines (rule 3) give them no
label, yet they are full of body names, places, dates and numbers that a tagger trained on
article text labels anyway (menu items as ORG, counters as VALUE, a related headline's place as
LOC). These patterns are unambiguous enough to be rules: the decoder keeps every word inside
furniture outside every span. Times of day get no label either (guidelines, round 4), so they are
kept outside entities: a post stamp "14:25 - 12/10/2023" gives the DATE "12/10/2023" alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from vnreport.segment import Word


@dataclass(frozen=True)
class Furniture:
    """A stretch of the (normalized) text that is page furniture, and which kind."""

    start: int
    end: int
    kind: str


_I = re.IGNORECASE | re.MULTILINE
# a line made only of share, print, size and navigation links
_SHARE_ITEM = (r"facebook|twitter|zalo|linkedin|google\+?|print|e-?mail|in(?: bài| trang)?(?: viết| này)?|"
               r"gửi(?: bài| tin)?(?: viết)?(?: qua)?(?: e-?mail)?|chia sẻ(?: bài viết)?|lưu(?: bài| tin)(?: viết)?|"
               r"bản in|cỡ chữ|a-|a\+|nghe(?: đọc)?(?: bài)?(?: viết)?|đọc bài|bình luận|phản hồi|"
               r"quay lại|trở về|về đầu trang|lên đầu trang|đầu trang|tweet|like|share")
_SHARE = re.compile(rf"^[ \t]*(?:(?:{_SHARE_ITEM})[ \t]*[:|/·•,\-–]?[ \t]*)+$", _I)
# view and visit counters: the words and their number
_COUNTER = re.compile(r"(?:số[ \t]+)?(?:lượt[ \t]+(?:xem|đọc|truy[ \t]+cập|tải)|đang[ \t]+(?:truy[ \t]+cập|online|"
                      r"trực[ \t]+tuyến)|tổng[ \t]+(?:số[ \t]+)?(?:lượt[ \t]+)?truy[ \t]+cập)[ \t]*:?[ \t]*\d[\d.,]*", _I)
# a breadcrumb: two or more short items joined by » › > (at most one line)
_CRUMB = re.compile(r"^[ \t]*[^\n»›>]{1,60}(?:[ \t]*[»›>][ \t]*[^\n»›>]{1,80}){1,6}[ \t]*$", re.MULTILINE)
# a related-articles heading; the short lines under it are other articles' headlines
_RELATED = re.compile(r"^[ \t]*(?:(?:các[ \t]+)?(?:tin|bài|bài[ \t]+viết)[ \t]+(?:liên[ \t]+quan|cùng[ \t]+chuyên[ \t]+mục|"
                      r"khác|đã[ \t]+đưa|mới(?:[ \t]+nhất)?|mới[ \t]+hơn|cũ[ \t]+hơn|đọc[ \t]+nhiều(?:[ \t]+nhất)?|"
                      r"xem[ \t]+nhiều(?:[ \t]+nhất)?)|xem[ \t]+thêm|đọc[ \t]+thêm)[ \t]*:?[ \t]*$", _I)
# footer lines of a portal
_FOOTER = re.compile(r"^[ \t]*(?:©|copyright|bản[ \t]+quyền|cơ[ \t]+quan[ \t]+chủ[ \t]+quản|ghi[ \t]+rõ[ \t]+nguồn|"
                     r"chịu[ \t]+trách[ \t]+nhiệm(?:[ \t]+(?:chính|nội[ \t]+dung|xuất[ \t]+bản))?[ \t]*:|"
                     r"giấy[ \t]+phép[ \t]+(?:số|thiết[ \t]+lập)|địa[ \t]+chỉ[ \t]*:|điện[ \t]+thoại[ \t]*:|"
                     r"đt[ \t]*:|fax[ \t]*:|e-?mail[ \t]*:|website[ \t]*:|thiết[ \t]+kế[ \t]+bởi|phát[ \t]+triển[ \t]+bởi|"
                     r"trưởng[ \t]+ban[ \t]+biên[ \t]+tập)[^\n]{0,250}$", _I)
# an item of a site menu; a run of three or more short lines with one of them is the menu
_NAV = re.compile(r"^[ \t]*(?:trang[ \t]+chủ|giới[ \t]+thiệu(?:[ \t]+chung)?|liên[ \t]+hệ|tin[ \t]+tức(?:[ \t]*[-–][ \t]*sự[ \t]+kiện)?|"
                  r"hỏi[ \t]+đáp|sơ[ \t]+đồ[ \t]+(?:cổng|trang|site)|thư[ \t]+viện(?:[ \t]+(?:ảnh|video))?|tìm[ \t]+kiếm|"
                  r"đăng[ \t]+nhập|dịch[ \t]+vụ[ \t]+công(?:[ \t]+trực[ \t]+tuyến)?|thủ[ \t]+tục[ \t]+hành[ \t]+chính|"
                  r"lịch[ \t]+công[ \t]+tác|văn[ \t]+bản(?:[ \t]+[^\n]{0,30})?|công[ \t]+khai(?:[ \t]+[^\n]{0,30})?)[ \t]*$", _I)
_MENU_LINE = 40
_HEADLINE_LINE = 220
# a time of day: 14:25, 8h30, 9g15, 14:25:03
_TIME = re.compile(r"(?<![\w:/.,])\d{1,2}(?::\d{2}(?::\d{2})?|[hg]\d{2})(?![\w:/])")


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without its line break."""
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        out.append((pos, pos + len(body)))
        pos += len(line)
    return out


def _related_lists(text: str, lines: list[tuple[int, int]]) -> list[Furniture]:
    """A related-articles heading and the headline-like lines after it (short, no sentence end)."""
    found = []
    i = 0
    while i < len(lines):
        s, e = lines[i]
        if not _RELATED.match(text, s, e):
            i += 1
            continue
        j = i + 1
        while j < len(lines):
            ls, le = lines[j]
            body = text[ls:le].strip()
            if body and (le - ls > _HEADLINE_LINE or body.endswith((".", "!", "?", "…"))):
                break
            j += 1
        found.append(Furniture(s, lines[j - 1][1], "related"))
        i = j
    return found


def _menus(text: str, lines: list[tuple[int, int]]) -> list[Furniture]:
    """Runs of three or more short lines (blank lines between them allowed) holding a menu item."""
    found, run = [], []

    def close() -> None:
        if len(run) >= 3 and any(_NAV.match(text, s, e) for s, e in run):
            found.append(Furniture(run[0][0], run[-1][1], "menu"))
        run.clear()

    for s, e in lines:
        body = text[s:e].strip()
        if not body:
            continue
        if len(body) <= _MENU_LINE and not body.endswith((".", ":", ";", ",")):
            run.append((s, e))
        else:
            close()
    close()
    return found


def find_furniture(text: str) -> list[Furniture]:
    """Every stretch of page furniture in `text`, sorted by start."""
    lines = _lines(text)
    found = _related_lists(text, lines) + _menus(text, lines)
    for s, e in lines:
        for pattern, kind in ((_SHARE, "share"), (_CRUMB, "breadcrumb"), (_FOOTER, "footer")):
            if pattern.match(text, s, e):
                found.append(Furniture(s, e, kind))
    found += [Furniture(m.start(), m.end(), "counter") for m in _COUNTER.finditer(text)]
    return sorted(found, key=lambda f: (f.start, f.end))


def times_of_day(text: str) -> list[Furniture]:
    """Clock times, which no entity contains."""
    return [Furniture(m.start(), m.end(), "time") for m in _TIME.finditer(text)]


def words_inside(words: Sequence[Word], stretches: Sequence[Furniture]) -> np.ndarray:
    """inside[t]: word t lies (even partly) within one of the stretches."""
    inside = np.zeros(len(words), dtype=bool)
    if not stretches:
        return inside
    starts = np.array([w.start for w in words])
    ends = np.array([w.end for w in words])
    for f in stretches:
        inside |= (starts < f.end) & (ends > f.start)
    return inside
