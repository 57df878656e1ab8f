"""Indicators: each IND span with the figures and periods reported for it in its clause.

A figure belongs to the nearest indicator before it in the same sentence ("Thu ngân sách
... được 139.396 triệu đồng, đạt 45,76% dự toán giao, trong đó thu ngân sách huyện được
46.124/133.761 triệu đồng"); figures never cross a sentence end. A model's IND span that is a
word off is put back first, and a figure with no IND before it takes the indicator name
written right before it (`indicator_names`), so boundary errors do not cost the record.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from vnreport.records.indicator_names import joined, name_before, repair
from vnreport.records.numbers import Number, Quantity, parse_quantity
from vnreport.records.sentences import Sentences
from vnreport.schema import Span, SpanSource

_DIRECTION = re.compile(
    r"(?<!\w)(tăng|giảm|bằng)(?:\s+(?:gần|hơn|khoảng|còn|thêm|trên|dưới|lên|xuống|là|đạt|được))*\s*$", re.I)
_FROM = re.compile(r"(?<!\w)từ(?:\s+(?:gần|hơn|khoảng|trên|dưới|mức))*\s*$", re.I)
_TO = re.compile(r"^\s*(?:xuống|lên|đến|tới|còn)(?!\w)", re.I)
_DIRECTIONS = {"tăng": "increase", "giảm": "decrease", "bằng": "equal"}
_SAME_PERIOD = re.compile(r"cùng kỳ", re.I)
_PLAN = re.compile(r"(?<!\w)(?:kế hoạch|dự toán|chỉ tiêu|KH)(?!\w)", re.I)
# a rate measured against something stated that is neither the plan nor the same period ("so với bình quân tỉnh")
_OTHER_BASE = re.compile(r"^\s*(?:của|trên tổng|tổng)(?!\w)|(?<!\w)so(?:\s+với)?\s+(?=\w)", re.I)
# a DATE that is the base of a comparison, not the period reported ("so với cùng kỳ năm 2022")
_BASE_DATE = re.compile(r"(?<!\w)(?:so\s+với|so|cùng kỳ|bằng|của)(?:\s+(?:cùng kỳ|năm|tháng|quý))?\s*$", re.I)
_ALSO = re.compile(r"\s*(?:và|,|hoặc|cùng)\s*")  # "Số khách du lịch và doanh thu ... giảm gần 50%"
# after a "," ";" or "(" a later figure still belongs to the indicator only when its clause opens with
# one of these words ("..., đạt 45,76% dự toán", "(tăng 13,5% so với cùng kỳ)"), not with a new
# subject ("..., thành lập mới 19 doanh nghiệp", "(dự toán 730,223 tỷ đồng)")
_FIGURE_WORDS = re.compile(r"(?:\s|đạt|tăng|giảm|bằng|chiếm|ước|khoảng|gần|hơn|trên|dưới|còn|là|được|thêm|lên|xuống|"
                           r"với|so)+", re.I)


@dataclass
class Figure:
    """A VALUE or RATE of an indicator: the parsed quantity, its change direction and (rates) base."""

    span: Span
    quantity: Quantity
    direction: str | None = None
    base: str | None = None
    former: bool = False  # the level a change started from ("giảm từ 49,12% xuống còn 41,35%")

    def to_dict(self) -> dict[str, Any]:
        d = {"start": self.span.start, "end": self.span.end, "label": self.span.label, **self.quantity.to_dict(),
             "direction": self.direction}
        if self.span.label == "RATE":
            d["base"] = self.base
        return d


@dataclass
class Indicator:
    """An indicator name with its values, rates and periods, each with its offsets.

    `span` is the IND span the name was read from (it differs from start/end where the span was a
    word off), None where no IND was found and the name was read before its figure; `period` is
    the DATE the figures are reported for.
    """

    name: str
    start: int
    end: int
    values: list[Figure] = field(default_factory=list)
    rates: list[Figure] = field(default_factory=list)
    dates: list[Span] = field(default_factory=list)
    span: Span | None = None
    period: Span | None = None

    @property
    def main(self) -> Figure | None:
        """The reported level: the first value that is not a change ("tăng 1.200 tấn") nor the level a change
        started from, else such a rate."""
        figures = self.values + self.rates
        return (next((f for f in self.values if f.direction is None and not f.former), None)
                or next((f for f in figures if not f.former), None) or next(iter(figures), None))

    @property
    def value(self) -> Number | None:
        return self.main.quantity.value if self.main else None

    @property
    def unit(self) -> str | None:
        return self.main.quantity.unit if self.main else None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "start": self.start, "end": self.end, "value": self.value, "unit": self.unit,
                "values": [f.to_dict() for f in self.values], "rates": [f.to_dict() for f in self.rates],
                "dates": [s.to_dict() for s in self.dates], "period": self.period.to_dict() if self.period else None,
                "span": self.span.to_dict() if self.span else None}


def _direction(before: str) -> str | None:
    m = _DIRECTION.search(before[-40:])
    return _DIRECTIONS[m.group(1).lower()] if m else None


def _clause(after: str) -> str:
    return re.split(r"[;()\n]|[.,](?=\s|$)", after, maxsplit=1)[0][:60]


def _base(before: str, after: str) -> str:
    """What a rate is measured against: read from the words right after it ("đạt 45% dự toán"), else
    from a comparison that opens its clause ("so với cùng kỳ tăng 5%"); `other` for any other base
    and when none is stated, as SPEC.md §3 has it (records of earlier versions did the same)."""
    clause = _clause(after)
    if _SAME_PERIOD.search(clause):
        return "same_period"
    if _PLAN.search(clause):
        return "plan"
    if _OTHER_BASE.search(clause):
        return "other"
    opening = re.split(r"[;,(\n]", before)[-1]
    if re.search(r"(?<!\w)so(?:\s+với)?(?!\w)", opening, re.I):
        return "same_period" if _SAME_PERIOD.search(opening) else "plan" if _PLAN.search(opening) else "other"
    return "other"


def _clause_figures(text: str, ind: Span, figures: list[Span]) -> list[Span]:
    """The figures that follow `ind` in its own clause (see `_FIGURE_WORDS`), in order."""
    kept: list[Span] = []
    pos = ind.end
    for f in figures:
        gap = text[pos:f.start]
        cut = max(gap.rfind(c) for c in ",;()")
        pos = f.end
        if any(k.label != "DATE" for k in kept) and cut >= 0 and gap[cut] != ")":
            rest = gap[cut + 1:]
            if not (rest.strip() and _FIGURE_WORDS.fullmatch(rest)):
                if gap[cut] == "(":
                    continue  # a side remark; what follows the ")" may still be ours
                break
        kept.append(f)
    return kept


@dataclass
class _Name:
    """Where one indicator's name lies in a sentence, and what it was read from."""

    where: Span
    source: Span | None
    period: Span | None = None


def _names(text: str, inds: list[Span]) -> list[_Name]:
    """The sentence's IND spans put back where a reader would put them, split names joined."""
    names: list[_Name] = []
    for ind in inds:
        where, period = repair(text, ind)
        whole = joined(text, names[-1].where, where) if names else None
        if whole is not None and names[-1].source is not None:
            names[-1] = _Name(whole, names[-1].source, names[-1].period or period)
        else:
            names.append(_Name(where, ind, period))
    return names


def _attach(text: str, names: list[_Name], figures: list[Span], sent_end: int) -> list[list[Span]]:
    """The figures of each name: its clause's, else one written right before it ("200km chiều dài đường biển"),
    else those of the coordinated name after it, else (first name) the last one before it."""
    lead = {j: f for j, nm in enumerate(names) for f in figures
            if f.label != "DATE" and f.end <= nm.where.start and not text[f.end:nm.where.start].strip()}
    reserved = set(lead.values())
    own: list[list[Span]] = []
    for j, nm in enumerate(names):
        stop = names[j + 1].where.start if j + 1 < len(names) else sent_end
        own.append(_clause_figures(text, nm.where, [f for f in figures
                                                    if nm.where.end <= f.start < stop and f not in reserved]))
    used_all: list[list[Span]] = []
    for j, nm in enumerate(names):
        used = own[j]
        if not any(f.label != "DATE" for f in used):
            nxt = names[j + 1].where if j + 1 < len(names) else None
            if j in lead:
                used = [lead[j]] + used
            elif nxt is not None and _ALSO.fullmatch(text[nm.where.end:nxt.start]):
                used = used + own[j + 1]  # coordinated names share the figures that follow
            elif j == 0:
                before = [f for f in figures if f.end <= nm.where.start and f.label != "DATE"]
                used = used + before[-1:]  # "khoảng 10% du khách đặt phòng ... gọi hủy"
        used_all.append(used)
    return used_all


def _unnamed(text: str, group: list[Span], names: list[_Name], used: list[list[Span]], sent_start: int) -> list[_Name]:
    """Names read before figures that no IND claimed ("năng lực xét nghiệm khoảng 600 mẫu/ngày")."""
    claimed = {f for u in used for f in u}
    found: list[_Name] = []
    for f in group:
        if f.label not in ("VALUE", "RATE") or f in claimed:
            continue
        clause_start = max([s.end for s in group if s.end <= f.start] + [n.where.end for n in names if n.where.end <= f.start]
                           + [sent_start] + [text.rfind(c, sent_start, f.start) + 1 for c in ",;:("])
        where = name_before(text, clause_start, f)
        if where is not None:
            found.append(_Name(where, None))
    return found


def _period(text: str, nm: _Name, used: list[Span], before: list[Span]) -> Span | None:
    """The DATE the figures are reported for: one in the name's clause that is not a comparison's base
    ("so với cùng kỳ năm 2022"), else one the IND span swallowed, else the nearest free one before the name."""
    def reported(d: Span) -> bool:
        return not _BASE_DATE.search(text[max(0, d.start - 30):d.start])

    return (next((d for d in used if d.label == "DATE" and reported(d)), None) or nm.period
            or next((d for d in reversed(before) if reported(d)), None))


def build_indicators(doc: SpanSource) -> list[Indicator]:
    """One record per indicator name, with the VALUE/RATE/DATE spans of its clause attached."""
    text = doc.text
    sents = Sentences(text)
    spans = sorted(doc.entities, key=lambda s: s.start)
    by_sentence: dict[int, list[Span]] = {}
    for s in spans:
        by_sentence.setdefault(sents.index(s.start), []).append(s)

    records: list[Indicator] = []
    for n, group in sorted(by_sentence.items()):
        sent_start, sent_end = sents.bounds(n)
        figures = [s for s in group if s.label in ("VALUE", "RATE", "DATE")]
        names = _names(text, [s for s in group if s.label == "IND"])
        used = _attach(text, names, figures, sent_end)
        extra = _unnamed(text, group, names, used, sent_start)
        if extra:
            names = sorted(names + extra, key=lambda nm: nm.where.start)
            used = _attach(text, names, figures, sent_end)
        taken = {f for u in used for f in u}
        for nm, figs in zip(names, used):
            w = nm.where
            free_dates = [f for f in figures if f.label == "DATE" and f.end <= w.start and f not in taken]
            rec = Indicator(w.text, w.start, w.end, span=nm.source, period=_period(text, nm, figs, free_dates))
            for f in figs:
                if f.label == "DATE":
                    rec.dates.append(f)
                    continue
                prev_end = max([s.end for s in group if s.end <= f.start] + [sent_start])
                nxt_start = min([s.start for s in group if s.start >= f.end] + [sent_end])
                fig = Figure(f, parse_quantity(f.text), _direction(text[prev_end:f.start]),
                             former=bool(_FROM.search(text[prev_end:f.start]) and _TO.match(text[f.end:nxt_start])))
                if f.label == "RATE":
                    fig.base = _base(text[sent_start:f.start], text[f.end:nxt_start])
                    rec.rates.append(fig)
                else:
                    rec.values.append(fig)
            records.append(rec)
    return records
