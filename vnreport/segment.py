"""Word segmentation with character offsets.

PhoBERT was pretrained on word-segmented text (`Chủ_tịch UBND tỉnh`), so the model
must see the same segmentation. We use pyvi (MIT licence, a CRF over syllables,
~70k words/s on one core here, no Java). We cut syllables ourselves, into the classes its
CRF was trained on, with `finditer`, so every syllable keeps its offsets, and only pyvi's
CRF decides which syllables join.
That avoids re-aligning pyvi's output string, which drops and reorders nothing but
does rewrite whitespace.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import cached_property
from importlib.metadata import PackageNotFoundError, version
from typing import Protocol

# Syllable classes, tried in this order: pyvi's CRF was trained on text cut into these units,
# so the cut must agree with its training for the joins it predicts to be right.
_UNITS = {
    "abbreviation": r"[A-ZĐ]+\.|(?:Tp|Mr|Mrs|Ms|Dr|ThS)\.",  # "TP." "UBND." "ThS."
    "arrow_or_ellipsis": r"==>|->|>>|\.\.\.",
    "url": r"\w+://\S+",
    "email": r"[A-Za-z0-9_.+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z0-9-]+",
    "number": r"\d+(?:[.,_]\d+)+",  # "139.396", "45,76"
    "punctuation": r"[^\w\s]",
    "word": r"\w+",
}
_SYLLABLE = re.compile("|".join(_UNITS.values()))
_SENT_END = {".", "!", "?", "...", "…"}


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    form: str  # syllables joined by "_", as PhoBERT expects
    sent_start: bool = False


@dataclass(frozen=True)
class Syllable:
    start: int
    end: int
    text: str


def syllables(text: str) -> list[list[Syllable]]:
    """Syllables with offsets, grouped into sentences (split after . ! ? … and at newlines)."""
    sents: list[list[Syllable]] = [[]]
    last = 0
    for m in _SYLLABLE.finditer(text):
        if "\n" in text[last:m.start()] and sents[-1]:
            sents.append([])
        sents[-1].append(Syllable(m.start(), m.end(), m.group()))
        last = m.end()
        if m.group() in _SENT_END:
            sents.append([])
    return [s for s in sents if s]


class Segmenter(Protocol):
    name: str

    @property
    def version(self) -> str: ...

    def segment(self, text: str) -> list[Word]: ...


def _words_from_groups(sents: list[list[Syllable]], joins: list[list[bool]], text: str) -> list[Word]:
    words: list[Word] = []
    for sent, join in zip(sents, joins):
        first = True
        group: list[Syllable] = []
        for syl, j in zip(sent, join):
            if group and not j:
                words.append(_word(group, text, first))
                first = False
                group = []
            group.append(syl)
        if group:
            words.append(_word(group, text, first))
    return words


def _word(group: list[Syllable], text: str, sent_start: bool) -> Word:
    return Word(group[0].start, group[-1].end, "_".join(s.text for s in group), sent_start)


class SyllableSegmenter:
    """Every syllable is a word: for input that is already segmented, and for fast tests."""

    name = "syllable"
    version = "1"

    def segment(self, text: str) -> list[Word]:
        sents = syllables(text)
        return _words_from_groups(sents, [[False] * len(s) for s in sents], text)


class PyviSegmenter:
    """pyvi's CRF decides which adjacent syllables form one word."""

    name = "pyvi"

    @cached_property
    def version(self) -> str:
        try:
            return version("pyvi")
        except PackageNotFoundError:
            return "unknown"

    @cached_property
    def _tok(self):
        from pyvi.ViTokenizer import ViTokenizer  # loads the CRF model (~0.3 s) on first use

        return ViTokenizer

    def segment(self, text: str) -> list[Word]:
        sents = syllables(text)
        if not sents:
            return []
        tok = self._tok
        forms = [[s.text for s in sent] for sent in sents]
        labels = tok.model.predict([tok.sent2features(f, False) for f in forms])
        joins = []
        for sent, f, lab in zip(sents, forms, labels):
            j = [False]
            for i in range(1, len(f)):
                j.append(
                    lab[i] == "I_W"
                    and sent[i].start == sent[i - 1].end + 1 and text[sent[i - 1].end] == " "
                    and f[i] not in string.punctuation and f[i - 1] not in string.punctuation
                    and not f[i][0].isdigit() and not f[i - 1][0].isdigit()
                    and not (f[i][0].istitle() and not f[i - 1][0].istitle())
                )
            joins.append(j)
        return _words_from_groups(sents, joins, text)


SEGMENTERS = {"pyvi": PyviSegmenter, "syllable": SyllableSegmenter}


def get_segmenter(name: str) -> Segmenter:
    try:
        return SEGMENTERS[name]()
    except KeyError:
        raise ValueError(f"unknown segmenter {name!r}; choose one of {sorted(SEGMENTERS)}") from None
