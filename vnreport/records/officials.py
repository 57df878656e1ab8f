"""Officials: each person with the titles the report gives them, merged over the document.

Reports chain titles after a name ("Võ Văn Hưng - PBT Tỉnh ủy - Chủ tịch UBND tỉnh"),
before it ("Phó Bí thư Huyện ủy, Chủ tịch UBND huyện Trần Nam Thuần"), and later refer to
the person by a title alone ("đồng chí Chủ tịch UBND tỉnh"); one record gathers all of it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from vnreport.schema import Span, SpanSource

ABBREVIATIONS: dict[str, str] = {
    "PBT": "Phó Bí thư", "PCT": "Phó Chủ tịch", "TUV": "Tỉnh ủy viên", "HUV": "Huyện ủy viên",
    "UVTƯ": "Ủy viên Trung ương", "UVTW": "Ủy viên Trung ương", "BTV": "Ban Thường vụ",
    "UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân", "UBMTTQVN": "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "MTTQ": "Mặt trận Tổ quốc", "PTNT": "Phát triển nông thôn",
}
_ABBR = re.compile(r"(?<!\w)(" + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True)) + r")(?!\w)")
# old and new tone placement ("Huyện uỷ" / "Huyện ủy") must compare equal
_TONE = {"uỷ": "ủy", "uý": "úy", "uỳ": "ùy", "uỹ": "ũy", "uỵ": "ụy", "oà": "òa", "oá": "óa",
         "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe"}
_TONE_RE = re.compile("|".join(_TONE))
# where the organization starts inside a title ("Chủ tịch |UBND tỉnh", "Giám đốc |Sở Tài chính")
_ORG_HEAD = re.compile(
    r"(?<!\w)(?:UBND|HĐND|UBMTTQVN|MTTQ|BTV|Ủy ban|Uỷ ban|Hội đồng|Ban|(?:Huyện|Tỉnh|Thành) (?:ủy|uỷ)|"
    r"Đảng ủy|Đảng uỷ|Đảng|Sở|Bộ|Phòng|Cục|Chi cục|Tổng cục|Trung tâm|Công ty|Tập đoàn|Ngân hàng|Bệnh viện|"
    r"Trường|Viện|Văn phòng|Chính phủ|Quốc hội|Mặt trận|Đoàn|Hội|Tổ)(?!\w)")
_MEMBER = re.compile(r"(?:Ủy viên|Uỷ viên|Tỉnh ủy viên|Huyện ủy viên)(?!\w)", re.I)
_CHAIN_GAP = re.compile(r"[ \t]*(?:[-–—,]|,?[ \t]*kiêm)[ \t]*")
# what may stand between a name and its first title: a chain gap, an opening bracket ("ông A (Giám
# đốc Sở ...)") or a copula ("ông A là Chủ tịch ...", "ông A, cũng là Trưởng ban ...")
_AFTER_NAME_GAP = re.compile(r"[ \t]*(?:[-–—,(]|,?[ \t]*kiêm|,?[ \t]*(?:cũng[ \t]+)?là)[ \t]*")
# a title shared by a list of names: "các Phó Thủ tướng A, B và C", "hai Phó Chủ tịch A, B"
_PLURAL_BEFORE = re.compile(r"(?<!\w)(?:các|những|hai|ba|bốn|năm|\d+)[ \t]+$", re.I)
_LIST_GAP = re.compile(r"[ \t]*(?:,|và|,[ \t]*và)[ \t]*")
_BEFORE_NAME_GAP = re.compile(r"[ \t]+|[ \t]*,?[ \t]*(?:đồng chí|ông|bà|đ/c)[ \t]+", re.I)


def expand(text: str) -> str:
    """Spell out the abbreviations of titles and bodies (PBT → Phó Bí thư, UBND → Ủy ban nhân dân)."""
    return " ".join(_ABBR.sub(lambda m: ABBREVIATIONS[m.group(1)], text).split())


@lru_cache(maxsize=8192)
def key(text: str) -> str:
    """A comparison key: abbreviations expanded, case and tone placement ignored."""
    return _TONE_RE.sub(lambda m: _TONE[m.group(0)], expand(text).casefold())


def _extends(longer: str, shorter: str) -> bool:
    """Whether a title key is the other one or the other one plus more words (a place)."""
    return longer == shorter or longer.startswith(shorter + " ")


def _words(k: str) -> list[str]:
    """A title key's words, "TP"/"TP." read as "thành phố" ("Chủ tịch TP HCM" = "Chủ tịch thành phố HCM")."""
    out: list[str] = []
    for w in k.split():
        out += ["thành", "phố"] if w.rstrip(".") == "tp" else [w]
    return out


def _subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(w in it for w in short)


def _refers_to(held: str, alone: str) -> bool:
    """Whether a title key written alone can name a held one: its start ("Chủ tịch" for "Chủ tịch UBND
    tỉnh"), a fuller form of it, or the same post with words left out or added ("Chủ tịch Hà Nội" or
    "Chủ tịch thành phố" for "Chủ tịch UBND TP Hà Nội"). The first two words (the post) must agree,
    so "Chủ tịch ..." never names a "Phó Chủ tịch ..."."""
    if _extends(held, alone) or _extends(alone, held):
        return True
    h, a = _words(held), _words(alone)
    return len(a) > 2 and len(h) > 2 and a[:2] == h[:2] and (_subsequence(a, h) or _subsequence(h, a))


def title_organization(title: str) -> str | None:
    """The body named inside a title ("Chủ tịch UBND tỉnh" → "UBND tỉnh"), if it names one."""
    m = _ORG_HEAD.search(title)
    return title[m.start():] if m and m.start() > 0 else None


@dataclass
class Title:
    """One position of an official, as written and spelled out, with the span it came from."""

    text: str
    normalized: str
    organization: str | None
    start: int
    end: int
    variants: list[str] = field(default_factory=list)  # the other ways the text writes it ("Bộ trưởng")

    @property
    def forms(self) -> list[str]:
        """Every way the text writes this title: the fullest first, then shorter forms and other spellings."""
        return [self.text, *self.variants]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "normalized": self.normalized, "organization": self.organization,
                "start": self.start, "end": self.end, "variants": self.variants}

    def add_form(self, text: str) -> None:
        if all(" ".join(text.casefold().split()) != " ".join(f.casefold().split()) for f in self.forms):
            self.variants.append(text)


@dataclass
class Official:
    """One person (or, with `name` None, an unnamed holder of a title) and every mention."""

    name: str | None
    titles: list[Title] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)

    @property
    def organization(self) -> str | None:
        """The body of the first post held; a membership ("UVTƯ Đảng", "TUV") only when there is no post."""
        orgs = [(bool(_MEMBER.match(t.normalized)), i, t.organization) for i, t in enumerate(self.titles) if t.organization]
        return min(orgs)[2] if orgs else None

    @property
    def label(self) -> str:
        """How to show the person: the name, else the first title."""
        return self.name or self.titles[0].text

    def add_title(self, span: Span, org: Span | None) -> None:
        """Add a title; a fuller form ("Chủ tịch UBND huyện Kỳ Anh") takes the place of a shorter one, which,
        like any other way of writing a known title, is kept among its variants."""
        k = key(span.text)
        known = next((t for t in self.titles if _extends(key(t.text), k)), None)
        if known is not None:
            known.add_form(span.text)
            return
        organization = org.text if org is not None else title_organization(span.text)
        new = Title(span.text, expand(span.text), organization, span.start, span.end)
        shorter = [i for i, t in enumerate(self.titles) if _extends(k, key(t.text))]
        if shorter:
            for form in self.titles[shorter[0]].forms:
                new.add_form(form)
            self.titles[shorter[0]] = new
        else:
            self.titles.append(new)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "titles": [t.to_dict() for t in self.titles], "organization": self.organization,
                "mentions": [m.to_dict() for m in self.mentions]}


def _owner_of_titles(text: str, seq: list[Span]) -> dict[int, int]:
    """Index of each title in `seq` → index of the name it belongs to."""
    owner: dict[int, int] = {}

    def chained(a: Span, b: Span) -> bool:
        return _CHAIN_GAP.fullmatch(text[a.end:b.start]) is not None

    def ends_chain_after_name(k: int) -> bool:
        """Whether title k closes the chain of a name before it ("A – T1 – T2, đồng chí B": T2 is A's)."""
        while k > 0 and seq[k - 1].label == "TITLE" and chained(seq[k - 1], seq[k]):
            k -= 1
        return k > 0 and seq[k - 1].label == "PER" and chained(seq[k - 1], seq[k])

    for i, s in enumerate(seq):  # titles written before the name: "PBT Huyện ủy, Chủ tịch UBND huyện X"
        if s.label != "PER" or i == 0 or seq[i - 1].label != "TITLE":
            continue
        gap = text[seq[i - 1].end:s.start]
        if not _BEFORE_NAME_GAP.fullmatch(gap) or (gap.strip() and ends_chain_after_name(i - 1)):
            continue
        k = i - 1
        owner[k] = i
        while k > 0 and seq[k - 1].label == "TITLE" and chained(seq[k - 1], seq[k]) and k - 1 not in owner:
            if k > 1 and seq[k - 2].label == "PER" and chained(seq[k - 2], seq[k - 1]):
                break  # "A, T1, T2 B": T1 continues A's chain
            k -= 1
            owner[k] = i
    for i, s in enumerate(seq):  # titles written after the name: "X - PBT Tỉnh ủy - Chủ tịch UBND tỉnh"
        if s.label != "PER":
            continue
        k = i + 1
        while k < len(seq) and seq[k].label == "TITLE" and k not in owner and (
                _AFTER_NAME_GAP.fullmatch(text[s.end:seq[k].start]) if k == i + 1 else chained(seq[k - 1], seq[k])):
            owner[k] = i
            k += 1
    return owner


def _find_person(people: list[Official], name: str) -> Official | None:
    """The record of `name`: same full name, or a given name alone that fits exactly one full name."""
    k = key(name)
    same = [p for p in people if p.name and key(p.name) == k]
    if same:
        return same[0]
    last = [p for p in people if p.name and (key(p.name).split()[-1] == k or k.split()[-1] == key(p.name))]
    return last[0] if len(last) == 1 else None


def build_officials(doc: SpanSource) -> list[Official]:
    """One record per person in `doc`, from its PER and TITLE spans (ORG right after a title names its body)."""
    text = doc.text
    seq = sorted((s for s in doc.entities if s.label in ("PER", "TITLE")), key=lambda s: s.start)
    orgs = {s.start: s for s in doc.entities if s.label == "ORG"}
    owner = _owner_of_titles(text, seq)

    def adjacent_org(t: Span) -> Span | None:
        gap = re.match(r"[ \t]*", text[t.end:])
        return orgs.get(t.end + gap.end()) if gap and gap.end() > 0 else None

    people: list[Official] = []
    record_of: dict[int, Official] = {}
    for i, s in enumerate(seq):
        if s.label != "PER":
            continue
        person = _find_person(people, s.text)
        if person is None:
            person = Official(s.text)
            people.append(person)
        elif len(s.text) > len(person.name or ""):
            person.name = s.text  # "Hưng" first, "Võ Văn Hưng" later
        record_of[i] = person
        person.mentions.append(s)
    for k, i in sorted(owner.items()):
        record_of[i].add_title(seq[k], adjacent_org(seq[k]))
        record_of[i].mentions.append(seq[k])
        if k < i and _PLURAL_BEFORE.search(text, max(0, seq[k].start - 8), seq[k].start):
            j = i  # the title before a plural goes to every name of the list after it
            while j + 1 < len(seq) and seq[j + 1].label == "PER" and _LIST_GAP.fullmatch(text[seq[j].end:seq[j + 1].start]):
                j += 1
                if record_of[j] is not record_of[i]:
                    record_of[j].add_title(seq[k], adjacent_org(seq[k]))

    unnamed: dict[str, Official] = {}
    for k, s in enumerate(seq):  # a title alone ("đồng chí Chủ tịch UBND tỉnh", "Chủ tịch Hà Nội") names its one holder
        if s.label != "TITLE" or k in owner:
            continue
        held = [(p, t) for p in people for t in p.titles if _refers_to(key(t.text), key(s.text))]
        if len({id(p) for p, _ in held}) == 1:
            held[0][0].mentions.append(s)
            held[0][1].add_form(s.text)  # "theo Giám đốc Sở Y tế": the short form of her title
            continue
        rec = unnamed.setdefault(key(s.text), Official(None))
        rec.add_title(s, adjacent_org(s))
        rec.mentions.append(s)
    for p in people:
        p.mentions.sort(key=lambda m: m.start)
    return people + list(unnamed.values())
