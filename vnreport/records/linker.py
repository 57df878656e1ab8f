"""A learned choice of each directive's issuer and addressee among the candidates around it.

Why: the rules of `directives.py` find the right party among their candidates far more often
than their fixed order of precedence picks it, and that order fit the reports it was written
on better than new ones (issue 14). Here every candidate (each official, title or body that
could have spoken, each phrase that could be addressed, the one carried from the directive
before, and "none") gets a score from a few features of where it stands; a log-linear model
trained on hand readings of the train split (`training/train_linker.py`) picks the best. The
rules' own choice is one of the features, and with no weights the rules decide alone.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vnreport.records.party import Party, fold

if TYPE_CHECKING:
    from vnreport.records.directives import Situation, _Finder

WEIGHTS = Path(__file__).with_name("linker.json")
# "giao" (assign) as a word of asking, not the first syllable of "giao thông", "giao dịch", "giao lưu" ...
# ("Sở Giao thông vận tải" is a body, and no trigger inside it)
GIAO = r"giao(?!\s+(?:thông|dịch|lưu|tiếp|thương|hữu))"
# "chỉ đạo" (direct) as a word of asking, not inside the name of a steering committee ("Ban Chỉ đạo ...")
CHI_DAO = r"(?<!ban\s)chỉ đạo"
_SPEECH_AFTER = re.compile(rf"[\s,]*(?:phát biểu|kết luận|nhấn mạnh|đề nghị|yêu cầu|{CHI_DAO}|lưu ý|{GIAO}|cho ý kiến|"
                           r"khẳng định|cho rằng|chủ trì|quán triệt|chỉ ra|đề xuất|kiến nghị|thông tin|báo cáo)(?!\w)", re.I)
_HONORIFIC = re.compile(r"(?:đồng chí|ông|bà|đ/c)\s*$", re.I)
_CHAIR = re.compile(r"chủ trì", re.I)
# words after which the addressee follows ("khuyến cáo người dân ..."); the rules' triggers (directives.py) are these too
ASK_WORDS = rf"đề nghị|yêu cầu|giao cho|{GIAO}|{CHI_DAO}|lưu ý|kêu gọi|khuyến cáo|nhắc nhở|đôn đốc"
# the linker's are wider: a candidate after "bắt buộc" or "quán triệt" is offered, the rules do not take it
_ASK = re.compile(rf"(?<!\w)(?:{ASK_WORDS}|bắt buộc|quán triệt)(?!\w)", re.I)
_MUST = re.compile(r"(?:[\s,:;]|cần phải|cần thiết phải|cần|phải|có trách nhiệm|có nhiệm vụ|thì|sớm)+$", re.I)
_LEAD_WORDS = re.compile(r"^(?:[\s,:;\-–•+*]|trong thời gian tới|thời gian tới|bên cạnh đó|đồng thời|cùng với đó|"
                         r"ngoài ra|do đó|vì vậy|tuy nhiên|riêng|tiếp tục|muốn như vậy|trong đó)+", re.I)
# a clause that sets a condition or a source, not a doer ("Trường hợp ...", "Theo Bộ trưởng ...", "Để ...")
_SUBORDINATE = re.compile(r"(?:trường hợp|theo|để|nếu|khi|kể từ|từ|trong|sau|trước|với|đối với|về|qua|tại|nhằm)(?!\w)", re.I)
# a phrase that names a matter, not a doer ("Việc khoanh vùng ... phải", "Tình huống ...")
_THING = re.compile(r"(?:việc|công tác|tình huống|tỷ lệ|tỉ lệ|biện pháp|các biện pháp|hoạt động|các hoạt động|dự án|"
                    r"các dự án|chương trình|kế hoạch|phương án)(?!\w)", re.I)
_PRONOUN_SPEAKS = re.compile(r"(?<!\w)(?:ông|bà|đồng chí này)\s+(?:cũng\s+)?(?:đề nghị|yêu cầu|chỉ đạo|lưu ý|nhấn mạnh|cho rằng)", re.I)
# words that open a body or group addressed ("huyện", "các phòng, ban", "UBND các xã", "lãnh đạo ..."); the rules
# (directives.py) and the linker's features read the same list
GROUP_WORDS = ("huyện|tỉnh|xã|thị xã|thành phố|thị trấn|quận|phường|TP|hai|ba|các|tất cả|mọi|lãnh đạo|UBND|HĐND|toàn|ngành|sở|phòng|ban|cấp|Đảng|cơ quan|"
               "đơn vị|chính quyền|người đứng đầu|địa phương")
# heads of bodies and forces that may be told to act ("Chủ tịch UBND huyện", "lực lượng chức năng")
_LEADERS = "Bộ|lực lượng|Chủ tịch|Giám đốc|thủ trưởng|Trưởng"
# where a doer's name may begin inside a longer phrase ("Trong quy định này cũng nêu rõ | người cách ly")
_DOER = re.compile(r"(?<!\w)(?:huyện|tỉnh|xã|thị xã|thành phố|thị trấn|các|những|mọi|tất cả|lãnh đạo|UBND|HĐND|toàn|"
                   r"ngành|sở|phòng|ban|cấp|cơ quan|đơn vị|chính quyền|người|cán bộ|doanh nghiệp|chúng ta|bà con|"
                   rf"nhân dân|{_LEADERS})(?!\w)", re.I)
# where a doer's name has ended and a clause about when or how begins ("các đơn vị | khi tổ chức lễ hội",
# "Chủ tịch UBND TP | ngay trong ngày mai"); the rules cut their addressee there too
CLAUSE = re.compile(r"\s(?:khi|nếu|ngay|vừa|cũng(?! như)|để|hãy|thì|sớm|khẩn trương|tiếp tục|tập trung (?:vào|cao|chỉ đạo|"
                    r"triển khai|thực hiện|giải quyết|lãnh đạo)|(?:trong|trước|sau) (?:tuần|thời gian|quá trình|ngày|"
                    r"tháng|năm|quý|khi)|có trách nhiệm|có nhiệm vụ|sẽ|bên cạnh|còn|chậm nhất|với tư cách)(?!\w)", re.I)
_JOINED = re.compile(r"(?:,|\s(?:và|cùng|với|hoặc|hay))\s*$", re.I)
MAX_PHRASE_WORDS = 20
_BULLET = re.compile(r"^\s*(?:[-–•+*]|\d+[.)]|[a-zđ][.)])", re.I)
_HEAD = re.compile(rf"(?:{GROUP_WORDS}|người dân|{_LEADERS})(?!\w)", re.I)
# the post a title names, without its body ("Bí thư Tỉnh ủy Hà Nam" → "bí thư")
_POST = re.compile(r"(?:phó |quyền )?(?:chủ tịch nước|chủ tịch|tổng bí thư|bí thư|giám đốc|bộ trưởng|thứ trưởng|"
                   r"thủ tướng|trưởng ban|trưởng phòng|chủ nhiệm|cục trưởng|viện trưởng|hiệu trưởng|chánh văn phòng)(?!\w)", re.I)
LOOKBACK_SENTENCES = 15


@dataclass
class Candidate:
    """One possible issuer or addressee (`party` None: "not stated") and its features."""

    party: Party | None
    features: dict[str, float] = field(default_factory=dict)

    @property
    def key(self) -> str | None:
        return self.party.key if self.party else None


def _bucket(n: int) -> str:
    return "0" if n == 0 else "1" if n == 1 else "2-3" if n <= 3 else "4-7" if n <= 7 else "8+"


def _with_context(own: dict[str, float], context: list[str], heads: list[str]) -> dict[str, float]:
    """Conjoin the candidate's kind with the directive's context, so a linear score can learn
    e.g. that a carried addressee wins when the item has no trigger of its own."""
    out = dict(own)
    for h in heads:
        for c in context:
            out[f"{h}&{c}"] = 1.0
    return out


def _merge(cands: dict[str | None, Candidate], c: Candidate) -> None:
    """Keep one candidate per party (the nearest mention's features, flags of all sources)."""
    old = cands.get(c.key)
    if old is None:
        cands[c.key] = c
        return
    for k, v in c.features.items():
        if k.startswith("src_") or k not in old.features:
            old.features[k] = max(v, old.features.get(k, 0.0))


def _post(text: str) -> str | None:
    m = _POST.match(text.strip())
    return fold(m.group(0)) if m else None


def _resolve(f: _Finder, p: Party, label: str) -> Party:
    """A title or short name that the officials did not link ("Bí thư Tỉnh ủy Hà Nam", "ông Phong")
    but that only one named official of the document can be: that official."""
    if p.official is not None and p.official.name:
        return p
    named = {id(o): o for o in f.official_of.values() if o.name}.values()
    if label == "PER":
        match = [o for o in named if o.name.endswith(" " + p.text)]
    elif label == "TITLE" and (post := _post(p.text)):
        match = [o for o in named if any(_post(form) == post for t in o.titles for form in t.forms)]
    else:
        return p
    return Party(p.text, p.start, p.end, match[0]) if len(match) == 1 else p


def issuer_candidates(f: _Finder, s: Situation, rule: Party | None, prev: Party | None) -> list[Candidate]:
    """Officials, titles and speaking bodies in the lookback and the directive's own sentence, the
    rules' choice, the previous directive's issuer, and none."""
    d = s.span
    n = f.sents.index(d.start)
    s_lo = f.sents.bounds(n)[0]
    context = [c for c, on in (("same_sentence", s.same_sentence), ("bare", s.bare), ("rule_none", rule is None),
                               ("new_speaker", s.new_speaker), ("prev_none", prev is None),
                               ("pronoun", bool(_PRONOUN_SPEAKS.search(f.text, s_lo, d.start)))) if on]
    lo = f.sents.bounds(max(0, n - LOOKBACK_SENTENCES))[0]
    s_hi = f.sents.bounds(n)[1]
    kinds = ("PER", "TITLE", "ORG", "LOC")
    mentions = f.within(lo, d.start, kinds) + f.within(d.end, s_hi, kinds)
    officials = [m for m in mentions if m.end <= d.start and (o := f.official_of.get((m.start, m.end))) and o.name]
    latest_official = officials[-1] if officials else None
    party_of = {(m.start, m.end): _resolve(f, f.party(m), m.label) for m in mentions}
    counts = Counter(p.key for p in party_of.values())
    speaking = [m for m in mentions if m.end <= d.start and _SPEECH_AFTER.match(f.text, m.end)]
    latest_speaker = speaking[-1] if speaking else None
    asks = list(_ASK.finditer(f.text, s_lo, d.start))
    slot = asks[-1].end() if asks else d.start  # after the last asking word stands the addressee, not the issuer
    cands: dict[str | None, Candidate] = {}
    for m in sorted(mentions, key=lambda m: abs(d.start - m.start)):
        p = party_of[(m.start, m.end)]
        asks_next = any(0 <= a.start() - m.end <= 40 for a in asks)
        after = m.start >= d.end
        dist = 0 if after else n - f.sents.index(m.start)
        m_lo, m_hi = f.sents.bounds(f.sents.index(m.start))
        own = {"bias": 1.0, f"kind_{'official' if p.official and p.official.name else m.label}": 1.0,
               "resolved": float(p.official is not None and f.official_of.get((m.start, m.end)) is not p.official),
               f"dist_{'after' if after else _bucket(dist)}": 1.0,
               "speaks": float(bool(_SPEECH_AFTER.match(f.text, m.end))),
               "honorific": float(bool(_HONORIFIC.search(f.text, max(0, m.start - 12), m.start))),
               "chair": float(bool(_CHAIR.search(f.text, m_lo, m_hi))),
               "paragraph_between": float("\n" in f.text[m.end:d.start]),
               "latest_speaker": float(m is latest_speaker),
               "latest_official": float(m is latest_official),
               "addressee_slot": float(slot <= m.start < d.start),
               "asks_next": float(asks_next),
               "mentions": min(counts[p.key], 5) / 5}
        _merge(cands, Candidate(p, own))
    rule, prev = (None if x is None else _resolve(f, x, "TITLE" if _post(x.text) else "PER") for x in (rule, prev))
    for src, party in (("src_rule", rule), ("src_prev", prev)):
        if party is not None:
            _merge(cands, Candidate(party, {"bias": 1.0, src: 1.0}))
    _merge(cands, Candidate(None, {"null": 1.0}))
    for c in cands.values():
        heads = [h for h in ("null", "src_rule", "src_prev", "latest_official", "latest_speaker") if c.features.get(h)]
        c.features = _with_context(c.features, context, heads)
    return list(cands.values())


def addressee_candidates(f: _Finder, s: Situation, rule: Party | None, prev: Party | None) -> list[Candidate]:
    """What the rules read between trigger and directive, a list opener's addressee, a doer named
    before the task, the previous directive's addressee, the bodies and groups of the directive's
    sentence, and none."""
    d = s.span
    line_start = f.text.rfind("\n", 0, d.start) + 1
    context = [c for c, on in (("same_sentence", s.same_sentence), ("bare", s.bare), ("rule_none", rule is None),
                               ("trigger", s.trigger_at < d.start), ("new_speaker", s.new_speaker),
                               ("opener", s.opened), ("prev_none", prev is None),
                               ("list_item", bool(_BULLET.match(f.text, line_start)))) if on]
    cands: dict[str | None, Candidate] = {}
    sources = (("src_rule", rule), ("src_own", s.addressee), ("src_prev", prev), ("src_opener", s.opener))
    for src, party in sources:
        if party is not None:
            _merge(cands, Candidate(party, {"bias": 1.0, src: 1.0}))
    for c in _phrases(f, s):
        _merge(cands, c)
    n = f.sents.index(d.start)
    for m in f.within(f.sents.bounds(n)[0], d.start, ("ORG", "LOC", "TITLE", "PER")):
        _merge(cands, Candidate(f.party(m), {"bias": 1.0, f"span_{m.label}": 1.0,
                                             "span_last": float(not f.within(m.end, d.start, ("ORG", "LOC", "TITLE", "PER")))}))
    _merge(cands, Candidate(None, {"null": 1.0}))
    for c in cands.values():
        heads = [h for h in ("null", "src_phrase", *(src for src, _ in sources)) if c.features.get(h)]
        c.features = _with_context(c.features, context, heads)
    return list(cands.values())


def _phrases(f: _Finder, s: Situation) -> list[Candidate]:
    """Phrases that may name the doer: the text between the last asking word (or the clause start)
    and the directive, without a trailing "cần"/"phải", and each of its tails after a comma."""
    d = s.span
    gap = f.text[s.gap_start:d.start]
    asks = list(_ASK.finditer(gap))
    lo = asks[-1].end() if asks else 0
    must = _MUST.search(gap, lo)
    hi = must.start() if must else len(gap)
    out: list[Candidate] = []
    cuts = [lo] + [m.end() for m in re.finditer(r"[,:;]\s*", gap[lo:hi])]
    for k, cut in enumerate(cuts):
        at = cut if k == 0 else lo + cut
        lead = _LEAD_WORDS.match(gap, at, hi)
        at = lead.end() if lead else at
        text = gap[at:hi].strip()
        words = len(text.split())
        if not 0 < words <= MAX_PHRASE_WORDS:
            continue
        start = s.gap_start + at + (len(gap[at:hi]) - len(gap[at:hi].lstrip()))
        feats = {"bias": 1.0, "src_phrase": 1.0, "phrase_after_ask": float(k == 0 and bool(asks)),
                 "phrase_whole": float(k == 0), f"phrase_words_{_bucket(min(words, 8))}": 1.0,
                 "phrase_must": float(must is not None and must.start() < must.end()),
                 "phrase_has_entity": float(bool(f.within(start, start + len(text), ("ORG", "LOC", "TITLE", "PER")))),
                 "phrase_head": float(bool(_HEAD.match(text))),
                 "phrase_subordinate": float(bool(_SUBORDINATE.match(text))),
                 "phrase_thing": float(bool(_THING.match(text))),
                 "phrase_has_date": float(bool(f.within(start, start + len(text), ("DATE",)))),
                 "phrase_entity_start": float(bool(f.within(start, start + 1, ("ORG", "LOC", "TITLE", "PER"))))}
        out.append(Candidate(Party(text, start, start + len(text)), feats))
        out += _parts(f, text, start, feats)
    return out


def _parts(f: _Finder, text: str, start: int, feats: dict[str, float]) -> list[Candidate]:
    """Shorter readings of one phrase: from a later word that may begin a doer's name (not inside
    a name, not the second member of a list), and up to a clause about when or how; the reader's
    addressee is often one of them, not the whole phrase."""
    cut = CLAUSE.search(text)
    ends = [len(text)] + ([cut.start()] if cut else [])
    names = f.within(start, start + len(text), ("ORG", "LOC", "TITLE", "PER"))
    begins = [0] + [m.start() for m in _DOER.finditer(text)
                    if m.start() > 0 and text[m.start() - 1] == " " and not _JOINED.search(text, 0, m.start())
                    and not any(n.start < start + m.start() < n.end for n in names)][:3]
    out = []
    for b in begins:
        for e in ends:
            if (b, e) == (0, len(text)) or e <= b:
                continue
            part = text[b:e].rstrip(" ,")
            if part:
                out.append(Candidate(Party(part, start + b, start + b + len(part)),
                                     {**feats, "part_tail": float(b > 0), "part_cut": float(e < len(text))}))
    return out


class Linker:
    """Scores candidates with trained weights (one weight table per role)."""

    def __init__(self, weights: dict[str, dict[str, float]], meta: dict[str, Any] | None = None):
        self.weights = weights
        self.meta = meta or {}

    def score(self, role: str, c: Candidate) -> float:
        w = self.weights[role]
        return sum(w.get(k, 0.0) * v for k, v in c.features.items())

    def choose(self, role: str, d: Any, cands: list[Candidate]) -> Candidate:
        """The best-scoring candidate; for a role without weights, the rules' choice."""
        if role not in self.weights:
            return rules_choice(cands)
        return max(cands, key=lambda c: self.score(role, c))


def rules_choice(cands: list[Candidate]) -> Candidate:
    """The candidate the rules chose, or "none" when they chose nobody."""
    return next((c for c in cands if c.features.get("src_rule")), next(c for c in cands if c.party is None))


@lru_cache(maxsize=1)
def default_linker() -> Linker | None:
    """The weights shipped with the package, or None (then the rules decide alone)."""
    if not WEIGHTS.exists():
        return None
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    return Linker(data["weights"], data.get("meta"))
