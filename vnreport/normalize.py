"""NFC normalization that remembers where each character came from.

Spans are found on the normalized text but must index the caller's string, so every
normalized character keeps the [start, end) range of the original characters it came
from. Text that is already NFC (nearly all input) takes an identity fast path.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class NormalizedText:
    original: str
    text: str
    # starts[i], ends[i]: original range of normalized char i; None means identity.
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized [start, end) span to the caller's text."""
        if self.starts is None:
            return start, end
        if start >= end:
            o = self.starts[start] if start < len(self.starts) else len(self.original)
            return o, o
        return self.starts[start], self.ends[end - 1]


def _is_boundary(ch: str) -> bool:
    """True where NFC cannot combine `ch` with what precedes it (a safe chunk start)."""
    if unicodedata.combining(ch):
        return False
    o = ord(ch)
    # Hangul medial vowels / final consonants compose with the preceding jamo.
    if 0x1160 <= o <= 0x11FF:
        return False
    return unicodedata.normalize("NFD", ch)[0] == ch or unicodedata.combining(unicodedata.normalize("NFD", ch)[0]) == 0


def normalize(original: str) -> NormalizedText:
    if unicodedata.is_normalized("NFC", original):
        return NormalizedText(original, original)
    starts: list[int] = []
    ends: list[int] = []
    parts: list[str] = []
    i = 0
    n = len(original)
    while i < n:
        j = i + 1
        while j < n and not _is_boundary(original[j]):
            j += 1
        piece = unicodedata.normalize("NFC", original[i:j])
        parts.append(piece)
        starts.extend([i] * len(piece))
        ends.extend([j] * len(piece))
        i = j
    text = "".join(parts)
    if text != unicodedata.normalize("NFC", original):  # a composition crossed our chunks
        text = unicodedata.normalize("NFC", original)
        return NormalizedText(original, text, tuple([0] * len(text)), tuple([n] * len(text)))
    return NormalizedText(original, text, tuple(starts), tuple(ends))
