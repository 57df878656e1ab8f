"""Sentence boundaries, so that records never join spans across a sentence end."""
from __future__ import annotations

import bisect
import re

# "." that ends a sentence: before whitespace, or glued to the next sentence ("đồng.Huyện");
# a "." between digits ("154.228") is neither.
_END = re.compile(r"[.!?…]+[\"”’)]*(?=\s|$)|(?<=[^\W\d_])\.(?=[A-ZÀ-ỸĐ])|\n")


class Sentences:
    """Character ranges of the sentences of a text, with a fast lookup by offset."""

    def __init__(self, text: str):
        starts, pos = [0], 0
        for m in _END.finditer(text):
            pos = m.end()
            if pos < len(text):
                starts.append(pos)
        self.starts = sorted(set(starts))
        self.text = text

    def index(self, offset: int) -> int:
        """Number of the sentence that holds `offset`."""
        return bisect.bisect_right(self.starts, offset) - 1

    def bounds(self, i: int) -> tuple[int, int]:
        end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)
        return self.starts[i], end

    def __len__(self) -> int:
        return len(self.starts)
