"""Directive records: each DIR span with who issued it and, when named, to whom.

The issuer is the official or body in whose statement the directive stands: looked for
before the trigger in the directive's own sentence, then in the attribution after a quote
("...”, đồng chí Bí thư Tỉnh ủy nhấn mạnh"), then in the nearest earlier sentence where an
official speaks ("Phát biểu kết luận, đồng chí ... đề nghị ..."). The addressee is what
stands between the trigger word and the directive ("đề nghị UBND huyện <DIR>").
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from vnreport.records.officials import Official
from vnreport.records.sentences import Sentences
from vnreport.schema import Span, SpanSource

# the trigger before the addressee ("đề nghị X", "giao cho X") or after it ("X cần", "X phải")
_TRIGGER_BEFORE = re.compile(r"(?<!\w)(?:đề nghị|yêu cầu|giao cho|giao|chỉ đạo|lưu ý|kêu gọi|đề ra)(?!\w)", re.I)
_TRIGGER_AFTER = re.compile(r"(?<!\w)(?:cần phải|cần|phải)(?!\w)", re.I)
_SPEECH = re.compile(r"(?<!\w)(?:phát biểu|kết luận|nhấn mạnh|đề nghị|yêu cầu|chỉ đạo|lưu ý|giao|cho ý kiến|"
                     r"khẳng định|cho rằng|chủ trì|quán triệt|ghi nhận|đánh giá cao|chỉ ra|đồng tình)(?!\w)", re.I)
_LEAD = re.compile(r"^(?:[\s,:;]|trong thời gian tới|thời gian tới|từ nay đến cuối năm|bên cạnh đó|đồng thời|"
                   r"cùng với đó|trong đó|riêng|tiếp tục)+", re.I)
_TAIL = re.compile(r"(?:[\s,:;]|cần phải|cần|phải|thì|sớm)+$", re.I)
# words that open a body or group addressed ("huyện", "các phòng, ban", "UBND các xã", "lãnh đạo ...")
_ADDRESSEE_HEAD = re.compile(r"(?:huyện|tỉnh|xã|thị xã|thành phố|thị trấn|các|lãnh đạo|UBND|HĐND|toàn|ngành|sở|"
                             r"phòng|ban|cấp|Đảng|cơ quan|đơn vị|chính quyền|người đứng đầu|địa phương)(?!\w)", re.I)
LOOKBACK_SENTENCES = 10


@dataclass
class Party:
    """An issuer or addressee: the text used, the official it denotes (if any) and its offsets."""

    text: str
    start: int
    end: int
    official: Official | None = None

    @property
    def label(self) -> str:
        """Who is meant: the official's name when the mention is linked to one, else the mention."""
        return self.official.label if self.official else self.text

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.label, "mention": self.text, "start": self.start, "end": self.end}


@dataclass
class DirectiveRecord:
    """One directive with its issuer and addressee, each with offsets into the text."""

    text: str
    start: int
    end: int
    issuer: Party | None = None
    addressee: Party | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end,
                "issuer": self.issuer.to_dict() if self.issuer else None,
                "addressee": self.addressee.to_dict() if self.addressee else None}


def _clean(text: str, start: int) -> tuple[str, int] | None:
    """Strip connectives and the trailing "cần"/"phải" from an addressee candidate."""
    lead = _LEAD.match(text)
    cut = lead.end() if lead else 0
    tail = _TAIL.search(text, cut)
    end = tail.start() if tail else len(text)
    return (text[cut:end], start + cut) if end > cut else None


def _opens_group(part: str) -> bool:
    cleaned = _clean(part, 0)
    return cleaned is not None and _ADDRESSEE_HEAD.match(cleaned[0]) is not None


def _dir_spans(doc: SpanSource) -> list[Span]:
    """The DIR spans in text order; a model trained on other directive labels gets no records from them."""
    return sorted((s for s in doc.directives if s.label == "DIR"), key=lambda s: s.start)


class _Finder:
    """Shared state of one document: sentences, entity spans outside directives, and officials."""

    def __init__(self, doc: SpanSource, officials: list[Official]):
        self.text = doc.text
        self.sents = Sentences(doc.text)
        dirs = _dir_spans(doc)
        dir_starts = [d.start for d in dirs]

        def inside_directive(s: Span) -> bool:
            k = bisect.bisect_right(dir_starts, s.start) - 1
            return k >= 0 and s.start < dirs[k].end

        self.spans = sorted((s for s in doc.entities if not inside_directive(s)), key=lambda s: s.start)
        self.starts = [s.start for s in self.spans]
        self.official_of = {(m.start, m.end): o for o in officials for m in o.mentions}

    def party(self, s: Span) -> Party:
        return Party(s.text, s.start, s.end, self.official_of.get((s.start, s.end)))

    def within(self, lo: int, hi: int, labels: tuple[str, ...]) -> list[Span]:
        """Entity spans (outside directives) with one of `labels` lying within [lo, hi)."""
        first = bisect.bisect_left(self.starts, lo)
        last = bisect.bisect_left(self.starts, hi)
        return [s for s in self.spans[first:last] if s.end <= hi and s.label in labels]

    def speakers(self, lo: int, hi: int) -> list[Span]:
        """Mentions of officials (names or titles) within [lo, hi)."""
        return self.within(lo, hi, ("PER", "TITLE"))

    def addressee(self, gap_start: int, d: Span) -> tuple[Party | None, int]:
        """The addressee of `d` and the offset before which its issuer must stand."""
        gap = self.text[gap_start:d.start]
        before = list(_TRIGGER_BEFORE.finditer(gap))
        after = list(_TRIGGER_AFTER.finditer(gap))
        if after and (not before or after[-1].start() > before[-1].end()):
            trig = after[-1]
            lo = before[-1].end() if before else 0
            head = gap[lo:trig.start()]
            parts = re.split(r"(?<=,)", head)
            keep = len(parts)  # extend back over ", " while each part still opens a group addressed
            while keep > 0 and _opens_group(parts[keep - 1]):
                keep -= 1
            lo += sum(len(p) for p in parts[:keep])
            cleaned = _clean(gap[lo:trig.start()], gap_start + lo)
            trigger_at = gap_start + lo
        elif before:
            trig = before[-1]
            cleaned = _clean(gap[trig.end():], gap_start + trig.end())
            trigger_at = gap_start + trig.start()
        else:
            return None, d.start
        if cleaned is None:
            return None, trigger_at
        text, start = cleaned
        dates = self.within(start, start + len(text), ("DATE",))
        if dates:  # "yêu cầu trong 6 tháng cuối năm, các phòng, ban ..."
            cut = _clean(self.text[dates[-1].end:start + len(text)], dates[-1].end)
            if cut is None:
                return None, trigger_at
            text, start = cut
        return Party(text, start, start + len(text)), trigger_at

    def issuer(self, d: Span, limit: int) -> Party | None:
        """Who gave `d`: an official (else a body) before `limit` in its sentence, else a speaker nearby."""
        n = self.sents.index(d.start)
        s_lo, s_hi = self.sents.bounds(n)
        own = self.within(s_lo, limit, ("PER", "TITLE", "ORG"))
        # a body issues only when it speaks ("UBND tỉnh yêu cầu"); "Sở Y tế rà soát" names the doer
        own = [s for s in own if s.label != "ORG" or _SPEECH.match(self.text[s.end:s.end + 30].lstrip(" ,"))]
        if own:
            return self.party(([s for s in own if s.label != "ORG"] or own)[-1])
        for s in self.speakers(d.end, s_hi):  # "...”, đồng chí Bí thư Tỉnh ủy nhấn mạnh."
            if _SPEECH.match(self.text[s.end:s.end + 30].lstrip(" ,")):
                return self.party(s)
        for k in range(n - 1, max(-1, n - 1 - LOOKBACK_SENTENCES), -1):
            lo, hi = self.sents.bounds(k)
            found = self.speakers(lo, hi)
            if found and _SPEECH.search(self.text, lo, hi):
                return self.party(found[0])
        return None


def build_directives(doc: SpanSource, officials: list[Official]) -> list[DirectiveRecord]:
    """One record per DIR span; items chained by ";" share the issuer and addressee of the first,
    and a directive with no speaker of its own nearby keeps the issuer of the one before."""
    f = _Finder(doc, officials)
    records: list[DirectiveRecord] = []
    prev: DirectiveRecord | None = None
    for d in _dir_spans(doc):
        n = f.sents.index(d.start)
        same_sentence = prev is not None and f.sents.index(prev.end - 1) == n
        gap_start = prev.end if same_sentence else f.sents.bounds(n)[0]
        addressee, limit = f.addressee(gap_start, d)
        rec = DirectiveRecord(d.text, d.start, d.end, addressee=addressee)
        if same_sentence and addressee is None and limit == d.start:
            rec.addressee, rec.issuer = prev.addressee, prev.issuer
        else:
            # no speaker found nearby: the directive goes on the statement of the one before it
            rec.issuer = f.issuer(d, limit) or (prev.issuer if prev else None)
        records.append(rec)
        prev = rec
    return records
