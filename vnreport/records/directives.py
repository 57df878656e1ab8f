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

from vnreport.records.linker import ASK_WORDS, CHI_DAO, CLAUSE, GIAO, GROUP_WORDS, Linker, addressee_candidates, issuer_candidates
from vnreport.records.officials import Official
from vnreport.records.party import Party
from vnreport.records.sentences import Sentences
from vnreport.schema import Span, SpanSource

# the trigger before the addressee ("đề nghị X", "giao cho X") or after it ("X cần", "X phải")
_TRIGGER_BEFORE = re.compile(rf"(?<!\w)(?:giao nhiệm vụ cho|giao trách nhiệm cho|{ASK_WORDS}|đề ra)(?!\w)", re.I)
_TRIGGER_AFTER = re.compile(r"(?<!\w)(?:cần phải|cần|phải)(?!\w)", re.I)
_SPEECH = re.compile(rf"(?<!\w)(?:phát biểu|kết luận|nhấn mạnh|đề nghị|yêu cầu|{CHI_DAO}|lưu ý|{GIAO}|cho ý kiến|"
                     r"khẳng định|cho rằng|chủ trì|quán triệt|ghi nhận|đánh giá cao|chỉ ra|đồng tình)(?!\w)", re.I)
# connectives that continue the instruction before them ("Cụ thể, phải ...", "Đồng thời, ...")
_CONTINUE_WORDS = r"cụ thể|đồng thời|theo đó|bên cạnh đó|cùng với đó|ngoài ra|trong đó|mặt khác|song song với đó|đặc biệt|nhất là"
# connectives before the addressee
_LEAD = (r"(?:[\s,:;]|và(?=\s)|trong thời gian tới|thời gian tới|tới đây|(?:phía|ông|bà(?! con)|đồng chí)(?=\s)|từ nay đến cuối năm|"
         rf"{_CONTINUE_WORDS}|riêng|tiếp tục|bây giờ|hiện nay|do đó|vì vậy|trước mắt|về lâu dài)")
# a clause about when, on what condition or with what wish, before the addressee and closed by a comma
_WHEN_FIRST = r"(?:nếu|ngay|khi|sau khi|trước khi|trong quá trình|mong muốn|để)(?!\w)[^,]*,\s*"
# all that may stand before the addressee, in any order ("và mong muốn, trong thời gian tới, TP Hà Nội ...")
_PREFIX = re.compile(rf"(?:{_LEAD}|{_WHEN_FIRST})+", re.I)
_RELATIVE = re.compile(r"(?<!\w)mà\s+", re.I)
_QUOTES = "\"'“”‘’«»"
# a "cần"/"phải" inside a candidate, with the task after it (not "cần thiết", "phải chăng")
_MODAL = re.compile(r"\s(?:cần phải|cần(?!\s+thiết)|phải(?!\s+chăng))\s")  # lower case: "TP Cần Thơ" is a name
# the verb that opens a task: a directive predicted one word late leaves it after its doer ("tỉnh phát động <DIR>");
# not inside a name ("khu cách ly tập trung", "Viện nghiên cứu ...")
_TASK_VERB = re.compile(r"(?<!cách ly)(?<!viện)\s(?:phát động|khẩn trương|tập trung|tăng cường|chủ động|đẩy mạnh|"
                        r"triển khai|quyết liệt|thực hiện tốt|thực hiện nghiêm|rà soát|nghiên cứu|tiếp tục)(?!\w)", re.I)
_TAIL = re.compile(r"(?:[\s,:;]|cần phải|cần|phải|thì|sớm)+$", re.I)
_ADDRESSEE_HEAD = re.compile(rf"(?:{GROUP_WORDS})(?!\w)", re.I)
LOOKBACK_SENTENCES = 10
MAX_SUBJECT_WORDS = 8


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
    """Strip connectives, a speaker's words before a colon, a clause about when or how, and the trailing
    "cần"/"phải" from an addressee candidate; None when nothing is left or it is a possessor
    ("đề nghị của Sở ..." is a request, not an addressed body)."""
    colon = text.rfind(": ")
    colon = colon if colon >= 0 and _SPEECH.search(text, 0, colon) else -1  # "... nhấn mạnh: Sở X", not "Các sở: A, B"
    prefix = _PREFIX.match(text, colon + 1)  # the space after a colon goes as a connective
    cut = prefix.end() if prefix else colon + 1
    clause = CLAUSE.search(text, cut)
    tail = _TAIL.search(text, cut, clause.start() if clause else len(text))
    end = tail.start() if tail else clause.start() if clause else len(text)
    # the doer ends at its "phải" ("Đa Phước phải tiếp nhận rác, đồng thời"), then at a task verb left before the directive
    for doer_end in (_MODAL, _TASK_VERB):
        m = doer_end.search(text, cut, end)
        end = m.start() if m and re.search(r"\w", text[cut:m.start()]) else end
    while cut < end and text[cut] in _QUOTES:  # '"Bộ Công Thương ...' opens a quote
        cut += 1
    if end <= cut or re.match(r"của(?!\w)", text[cut:], re.I) or not re.search(r"\w", text[cut:end]):
        return None
    return text[cut:end], start + cut


# only connectives that continue, not a time that opens a new part ("Trong thời gian tới cần ...")
_CONTINUING = re.compile(rf"[\s,:;\-–•+*]*(?:(?:{_CONTINUE_WORDS})[\s,:;]*)*", re.I)


def _in_name(text: str, m: re.Match) -> bool:
    """A capitalised "Cần"/"Phải" before a capitalised word is part of a name ("TP Cần Thơ", "Cần Giờ"), no trigger."""
    after = text[m.end():].lstrip()
    return m.group(0)[0].isupper() and after[:1].isupper()


def _lead_in(text: str) -> tuple[str, int] | None:
    """What stands before a directive once a list bullet and connectives are stripped; None when nothing does."""
    return _clean(text.lstrip(" -–•+*\t"), 0)


def _opens_group(part: str) -> bool:
    cleaned = _clean(part, 0)
    return cleaned is not None and _ADDRESSEE_HEAD.match(cleaned[0]) is not None


def _dir_spans(doc: SpanSource) -> list[Span]:
    """The DIR spans in text order; a model trained on other directive labels gets no records from them."""
    return sorted((s for s in doc.directives if s.label == "DIR"), key=lambda s: s.start)


# a photo or graphics credit ("Ảnh: Thanh Lê" inside a portal page's text): the name there never gave a directive
_CREDIT_BEFORE = re.compile(r"(?:Ảnh|Ảnh minh họa|Ảnh minh hoạ|Đồ họa|Đồ hoạ|Video|Clip|Nguồn|Bài và ảnh|Tin, ảnh|Bài, ảnh)"
                            r"\s*:\s*$", re.I)


def _credit(text: str, s: Span) -> bool:
    return s.label == "PER" and _CREDIT_BEFORE.search(text, max(0, s.start - 20), s.start) is not None


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

        self.spans = sorted((s for s in doc.entities if not inside_directive(s) and not _credit(doc.text, s)),
                            key=lambda s: s.start)
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
        after = [m for m in _TRIGGER_AFTER.finditer(gap) if not _in_name(gap, m)]
        if after and not before and _CONTINUING.fullmatch(gap, 0, after[-1].start()):
            after = []  # "Cụ thể, phải <DIR>": a bare "phải" names nobody, the item goes on the one before
        if before and after and after[-1].end() <= before[-1].start() and not gap[after[-1].end():before[-1].start()].strip():
            before.pop()  # "các sở ngành cần lưu ý": the ask is "cần", its addressee before it
        if after and (not before or after[-1].start() > before[-1].end()):
            trig = after[-1]
            if before:  # "yêu cầu X phải": all of X
                lo = before[-1].end()
            else:  # "..., X cần": extend back over ", " while each part still opens a group addressed
                parts = re.split(r"(?<=,)", gap[:trig.start()])
                keep = len(parts)
                while keep > 0 and (_opens_group(parts[keep - 1]) or (keep == len(parts) and self.names_body(
                        parts[-1], gap_start + trig.start() - len(parts[-1])))):
                    keep -= 1
                lo = sum(len(p) for p in parts[:keep])
                rel = [m.end() for m in _RELATIVE.finditer(parts[-1])] if keep == len(parts) else []
                if rel and _opens_group(parts[-1][rel[-1]:]):
                    lo -= len(parts[-1]) - rel[-1]  # "các vấn đề mà các sở ngành cần": the doer after "mà"
            cleaned = _clean(gap[lo:trig.start()], gap_start + lo)
            trigger_at = gap_start + lo
        elif before:
            trig = before[-1]
            cleaned = _clean(gap[trig.end():], gap_start + trig.end())
            trigger_at = gap_start + trig.start()
        else:
            return self.subject(gap_start, d), d.start
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

    def names_body(self, part: str, start: int) -> bool:
        """`part` (at `start`), once connectives are stripped, is one named body or place: "Đắk Nông cần ..."."""
        cleaned = _clean(part, start)
        if cleaned is None:
            return False
        text, at = cleaned
        return any(s.start == at and s.end == at + len(text) for s in self.within(at, at + len(text), ("ORG", "LOC")))

    def subject(self, gap_start: int, d: Span) -> Party | None:
        """An item that names its doer before the task without a trigger ("- Công an tỉnh: chủ trì
        ...", "Sở Y tế khẩn trương ..."): a short group or body phrase that alone precedes the directive."""
        cleaned = _lead_in(self.text[gap_start:d.start])
        if cleaned is None:
            return None
        text, _ = cleaned
        words = text.split()
        if not 0 < len(words) <= MAX_SUBJECT_WORDS:
            return None
        body = self.within(gap_start, d.start, ("ORG", "LOC", "TITLE"))
        if not (_ADDRESSEE_HEAD.match(text) or (body and body[0].start <= d.start - len(text) + 1)):
            return None
        start = self.text.rindex(text, gap_start, d.start)
        return Party(text, start, start + len(text))

    def opener(self, n: int) -> tuple[int, Party | None, Party | None] | None:
        """Sentence `n - 1` when it opens a list ("... đề nghị các phòng, ban:"): where it starts,
        and the addressee and issuer it gives the items under it."""
        if n == 0:
            return None
        lo, hi = self.sents.bounds(n - 1)
        line = self.text[lo:hi].rstrip()
        if not line.endswith(":"):
            return None
        colon = lo + len(line) - 1
        end = Span(colon, colon, "DIR")
        addressee, limit = self.addressee(lo, end)
        return lo, addressee, self.issuer(end, limit)

    def issuer_here(self, d: Span, limit: int) -> Party | None:
        """An official (else a body that speaks) before `limit` in the directive's own sentence,
        or the speaker named after a quote that holds it."""
        s_lo, s_hi = self.sents.bounds(self.sents.index(d.start))
        own = self.within(s_lo, limit, ("PER", "TITLE", "ORG"))
        # a body issues only when it speaks ("UBND tỉnh yêu cầu"); "Sở Y tế rà soát" names the doer
        own = [s for s in own if s.label != "ORG" or _SPEECH.match(self.text[s.end:s.end + 30].lstrip(" ,"))]
        if own:
            return self.party(([s for s in own if s.label != "ORG"] or own)[-1])
        for s in self.speakers(d.end, s_hi):  # "...”, đồng chí Bí thư Tỉnh ủy nhấn mạnh."
            if _SPEECH.match(self.text[s.end:s.end + 30].lstrip(" ,")):
                return self.party(s)
        return None

    def speaker_between(self, lo: int, hi: int) -> Party | None:
        """The last official who speaks in a sentence within [lo, hi): a new speaker there ends a carry-over."""
        if hi <= lo:
            return None
        first, last = self.sents.index(lo), self.sents.index(max(lo, hi - 1))
        for k in range(last, first - 1, -1):
            s_lo, s_hi = self.sents.bounds(k)
            s_lo, s_hi = max(s_lo, lo), min(s_hi, hi)
            found = self.speakers(s_lo, s_hi)
            if found and _SPEECH.search(self.text, s_lo, s_hi):
                return self.party(found[0])
        return None

    def issuer(self, d: Span, limit: int) -> Party | None:
        """Who gave `d`: an official (else a body) before `limit` in its sentence, else a speaker nearby."""
        here = self.issuer_here(d, limit)
        if here:
            return here
        n = self.sents.index(d.start)
        lo = self.sents.bounds(max(0, n - LOOKBACK_SENTENCES))[0]
        return self.speaker_between(lo, self.sents.bounds(n)[0])


@dataclass
class Situation:
    """Where a directive stands: what the rules and the learned linker both decide from."""

    span: Span
    same_sentence: bool  # the previous directive ends in this directive's sentence
    gap_start: int  # where the text that may name its addressee begins
    addressee: Party | None  # named in that text (after a trigger, or a doer before the task)
    trigger_at: int  # before this offset its issuer must stand; the directive's start when no trigger
    bare: bool  # nothing but a bullet or connectives before it
    opened: bool  # it is the first item under a list opener ("... đề nghị X:")
    opener: Party | None  # that opener's addressee and issuer
    opener_issuer: Party | None
    new_speaker: bool  # an official speaks between the previous directive and this one


def _situation(f: _Finder, d: Span, prev: DirectiveRecord | None) -> Situation:
    n = f.sents.index(d.start)
    same_sentence = prev is not None and f.sents.index(prev.end - 1) == n
    gap_start = prev.end if same_sentence else f.sents.bounds(n)[0]
    addressee, limit = f.addressee(gap_start, d)
    bare = _lead_in(f.text[gap_start:d.start]) is None
    opener = f.opener(n) if bare and addressee is None and not same_sentence else None
    if opener and prev is not None and prev.end > opener[0]:  # an opener governs only the first item under it
        opener = None
    new_speaker = prev is not None and f.speaker_between(prev.end, gap_start) is not None
    return Situation(d, same_sentence, gap_start, addressee, limit, bare, opener is not None, opener[1] if opener else None,
                     opener[2] if opener else None, new_speaker)


def _by_rules(f: _Finder, s: Situation, prev: DirectiveRecord | None) -> DirectiveRecord:
    """Carry-over: a directive without a trigger of its own (an item of a list, a sentence of a
    concluding speech) keeps the issuer and addressee of the one before it, until a new speaker
    or a new trigger with its addressee begins."""
    d = s.span
    rec = DirectiveRecord(d.text, d.start, d.end, addressee=s.addressee)
    if s.opened:  # the first item under "... đề nghị X:"
        rec.addressee, rec.issuer = s.opener, s.opener_issuer or (prev.issuer if prev else None)
    elif prev is not None and s.addressee is None and s.trigger_at == d.start and (s.same_sentence or (
            s.bare and f.issuer_here(d, s.trigger_at) is None and not s.new_speaker)):
        rec.addressee, rec.issuer = prev.addressee, prev.issuer
    else:
        # no speaker found nearby: the directive goes on the statement of the one before it
        rec.issuer = f.issuer(d, s.trigger_at) or (prev.issuer if prev else None)
    return rec


def build_directives(doc: SpanSource, officials: list[Official], linker: Linker | None = None) -> list[DirectiveRecord]:
    """One record per DIR span. The rules choose its issuer and addressee; with a `linker`
    (`linker.default_linker()`), learned weights choose among every candidate, the rules'
    choice being one of its features."""
    f = _Finder(doc, officials)
    records: list[DirectiveRecord] = []
    prev: DirectiveRecord | None = None
    for d in _dir_spans(doc):
        s = _situation(f, d, prev)
        rec = _by_rules(f, s, prev)
        if linker is not None:
            # carry-over is never offered across a new speaker, nor an addressee to a directive with a trigger of its own
            before_i, before_a = (prev.issuer, prev.addressee) if prev and not s.new_speaker else (None, None)
            before_a = before_a if s.trigger_at == d.start else None
            rec.issuer = linker.choose("issuer", d, issuer_candidates(f, s, rec.issuer, before_i)).party
            rec.addressee = linker.choose("addressee", d, addressee_candidates(f, s, rec.addressee, before_a)).party
        records.append(rec)
        prev = rec
    _lead_issuers(records)
    return records


def _lead_issuers(records: list[DirectiveRecord]) -> None:
    """Directives of the headline and lead come before anyone is named ("Bảo đảm tuyệt đối an ninh
    trật tự ..." above "Chiều 25/5, Chủ tịch UBND TP ... yêu cầu"): those without an issuer take
    the first issuer the article names after them."""
    first = next((r.issuer for r in records if r.issuer is not None), None)
    for r in records:
        if r.issuer is not None:
            break
        r.issuer = first
