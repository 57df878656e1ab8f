"""NFC normalization that remembers where each character came from.

Spans are found on the normalized text but must index the caller's string, so every
normalized character keeps the [start, end) range of the original characters it came
from. Text that is already NFC (nearly all input) takes an identity fast path.

The map is exact: NFC is run here step by step (decompose, reorder marks, compose) with
each character carrying its source, so a composed character covers exactly the characters
it was made of and a reordered mark keeps its own position. The text is cut only where
Unicode guarantees NFC cannot reach across (before a starter that nothing composes onto),
and each piece is checked against `unicodedata`; a piece we did not reproduce maps, as a
whole, to its own range (one grapheme cluster), never to the whole text.

Lone surrogates (from files read with `errors="surrogateescape"`) become U+FFFD in the
text the model sees, one for one, so they cannot crash the segmenter and offsets hold.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_SURROGATE = re.compile("[\ud800-\udfff]")
_HANGUL_V_T = (range(0x1161, 0x1176), range(0x11A8, 0x11C3))  # jamo that compose onto a preceding syllable
# No code point at or above this has a combining class or a canonical decomposition (the last
# is U+2FA1D); tests/test_reliability.py checks this against the whole of unicodedata.
SCAN_END = 0x30000


@dataclass(frozen=True)
class NormalizedText:
    original: str
    text: str
    # starts[i], ends[i]: original range of normalized char i; None means identity.
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized [start, end) span to the caller's text (the smallest range holding its sources)."""
        if self.starts is None:
            return start, end
        if start >= end:
            o = self.starts[start] if start < len(self.starts) else len(self.original)
            return o, o
        return min(self.starts[start:end]), max(self.ends[start:end])


@lru_cache(maxsize=1)
def _unsafe_class() -> re.Pattern[str]:
    """Characters before which NFC may change what precedes: marks (ccc > 0), characters that
    compose onto a preceding one (NFC_Quick_Check=Maybe), and those decomposing to either."""
    seconds = {chr(c) for r in _HANGUL_V_T for c in r}
    for cp in range(SCAN_END):
        dec = unicodedata.decomposition(chr(cp))
        if dec and not dec.startswith("<") and len(dec.split()) == 2:
            seconds.add(chr(int(dec.split()[1], 16)))
    unsafe = []
    for cp in range(SCAN_END):
        ch = chr(cp)
        head = unicodedata.normalize("NFD", ch)[0] if 0xD800 > cp or cp > 0xDFFF else ch
        if unicodedata.combining(ch) or ch in seconds or unicodedata.combining(head) or head in seconds:
            unsafe.append(cp)
    ranges, lo = [], unsafe[0]
    for a, b in zip(unsafe, unsafe[1:] + [-1]):
        if b != a + 1:
            ranges.append(f"{re.escape(chr(lo))}-{re.escape(chr(a))}" if a > lo else re.escape(chr(a)))
            lo = b
    return re.compile(f".[{''.join(ranges)}]*", re.S)


@lru_cache(maxsize=4096)
def _compose(a: str, b: str) -> str | None:
    """The primary composite of a starter and a following character, if there is one."""
    c = unicodedata.normalize("NFC", a + b)
    return c if len(c) == 1 else None


def _nfc_with_sources(piece: str, base: int) -> tuple[list[str], list[int], list[int]]:
    """NFC of `piece` step by step, each output character with its [start, end) in the caller's text."""
    seq = [(d, base + i, base + i + 1) for i, ch in enumerate(piece) for d in unicodedata.normalize("NFD", ch)]
    # canonical reordering: a run of marks is sorted (stably) by combining class
    k = 0
    while k < len(seq):
        if unicodedata.combining(seq[k][0]):
            j = k
            while j < len(seq) and unicodedata.combining(seq[j][0]):
                j += 1
            seq[k:j] = sorted(seq[k:j], key=lambda x: unicodedata.combining(x[0]))
            k = j
        else:
            k += 1
    # canonical composition onto the last starter, unless blocked
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    last = None
    for ch, s, e in seq:
        cc = unicodedata.combining(ch)
        if last is not None:
            prev_cc = unicodedata.combining(chars[-1])
            if len(chars) - 1 == last or (prev_cc and prev_cc < cc):
                comp = _compose(chars[last], ch)
                if comp is not None:
                    chars[last], starts[last], ends[last] = comp, min(starts[last], s), max(ends[last], e)
                    continue
        if cc == 0:
            last = len(chars)
        chars.append(ch)
        starts.append(s)
        ends.append(e)
    return chars, starts, ends


def normalize(original: str) -> NormalizedText:
    work = _SURROGATE.sub("\ufffd", original)
    if unicodedata.is_normalized("NFC", work):
        return NormalizedText(original, work)
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for m in _unsafe_class().finditer(work):
        a, b = m.span()
        piece = m.group()
        expected = unicodedata.normalize("NFC", piece)
        if expected == piece:  # unchanged: one to one
            chars, s, e = list(piece), list(range(a, b)), list(range(a + 1, b + 1))
        elif len(expected) == 1:  # all of it composed into one character (NFD Vietnamese)
            chars, s, e = [expected], [a], [b]
        else:
            chars, s, e = _nfc_with_sources(piece, a)
            if "".join(chars) != expected:  # not reproduced: the piece (one cluster) maps to its range
                chars, s, e = list(expected), [a] * len(expected), [b] * len(expected)
        parts.extend(chars)
        starts.extend(s)
        ends.extend(e)
    return NormalizedText(original, "".join(parts), tuple(starts), tuple(ends))
