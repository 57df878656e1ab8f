"""Indicators: each IND span with the figures and periods reported for it in its clause.

A figure belongs to the nearest indicator before it in the same sentence ("Thu ngân sách
... được 139.396 triệu đồng, đạt 45,76% dự toán giao, trong đó thu ngân sách huyện được
46.124/133.761 triệu đồng"); figures never cross a sentence end.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from vnreport.records.numbers import Number, Quantity, parse_quantity
from vnreport.records.sentences import Sentences
from vnreport.schema import Span, SpanSource

_DIRECTION = re.compile(
    r"(?<!\w)(tăng|giảm|bằng)(?:\s+(?:gần|hơn|khoảng|còn|thêm|trên|dưới|lên|xuống|là|đạt|được))*\s*$", re.I)
_DIRECTIONS = {"tăng": "increase", "giảm": "decrease", "bằng": "equal"}
_SAME_PERIOD = re.compile(r"cùng kỳ", re.I)
_PLAN = re.compile(r"(?<!\w)(?:kế hoạch|dự toán|chỉ tiêu|KH)(?!\w)", re.I)
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

    def to_dict(self) -> dict[str, Any]:
        d = {"start": self.span.start, "end": self.span.end, "label": self.span.label, **self.quantity.to_dict(),
             "direction": self.direction}
        if self.span.label == "RATE":
            d["base"] = self.base
        return d


@dataclass
class Indicator:
    """An indicator name with its values, rates and periods, each with its offsets."""

    name: str
    start: int
    end: int
    values: list[Figure] = field(default_factory=list)
    rates: list[Figure] = field(default_factory=list)
    dates: list[Span] = field(default_factory=list)

    @property
    def main(self) -> Figure | None:
        """The reported level: the first value that is not a change ("tăng 1.200 tấn"), else a rate."""
        return next((f for f in self.values if f.direction is None), None) or next(iter(self.values + self.rates), None)

    @property
    def value(self) -> Number | None:
        return self.main.quantity.value if self.main else None

    @property
    def unit(self) -> str | None:
        return self.main.quantity.unit if self.main else None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "start": self.start, "end": self.end, "value": self.value, "unit": self.unit,
                "values": [f.to_dict() for f in self.values], "rates": [f.to_dict() for f in self.rates],
                "dates": [s.to_dict() for s in self.dates]}


def _direction(before: str) -> str | None:
    m = _DIRECTION.search(before[-40:])
    return _DIRECTIONS[m.group(1).lower()] if m else None


def _base(after: str) -> str:
    """What a rate is measured against, read from the words right after it."""
    clause = re.split(r"[;()\n]|[.,](?=\s|$)", after, maxsplit=1)[0][:60]
    if _SAME_PERIOD.search(clause):
        return "same_period"
    return "plan" if _PLAN.search(clause) else "other"


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


def build_indicators(doc: SpanSource) -> list[Indicator]:
    """One record per IND span, with the VALUE/RATE/DATE spans of its clause attached."""
    text = doc.text
    sents = Sentences(text)
    spans = sorted(doc.entities, key=lambda s: s.start)
    by_sentence: dict[int, list[Span]] = {}
    for s in spans:
        by_sentence.setdefault(sents.index(s.start), []).append(s)

    records: list[Indicator] = []
    for n, group in sorted(by_sentence.items()):
        inds = [s for s in group if s.label == "IND"]
        figures = [s for s in group if s.label in ("VALUE", "RATE", "DATE")]
        sent_end = sents.bounds(n)[1]
        own: list[list[Span]] = []
        for j, ind in enumerate(inds):
            stop = inds[j + 1].start if j + 1 < len(inds) else sent_end
            own.append(_clause_figures(text, ind, [f for f in figures if ind.end <= f.start < stop]))
        for j, ind in enumerate(inds):
            used = own[j]
            if not any(f.label != "DATE" for f in used):
                nxt = inds[j + 1] if j + 1 < len(inds) else None
                if nxt is not None and _ALSO.fullmatch(text[ind.end:nxt.start]):
                    used = used + own[j + 1]  # coordinated names share the figures that follow
                elif j == 0:
                    before = [f for f in figures if f.end <= ind.start and f.label != "DATE"]
                    used = used + before[-1:]  # "khoảng 10% du khách đặt phòng ... gọi hủy"
            rec = Indicator(ind.text, ind.start, ind.end)
            for f in used:
                if f.label == "DATE":
                    rec.dates.append(f)
                    continue
                prev_end = max([s.end for s in group if s.end <= f.start] + [sents.bounds(n)[0]])
                nxt_start = min([s.start for s in group if s.start >= f.end] + [sent_end])
                fig = Figure(f, parse_quantity(f.text), _direction(text[prev_end:f.start]))
                if f.label == "RATE":
                    fig.base = _base(text[f.end:nxt_start])
                    rec.rates.append(fig)
                else:
                    rec.values.append(fig)
            records.append(rec)
    return records
