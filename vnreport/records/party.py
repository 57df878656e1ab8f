"""Who issues or receives a directive, as the text names them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vnreport.records.officials import Official


def fold(text: str | None) -> str | None:
    """How two namings of a party are compared: case and runs of whitespace ignored."""
    return " ".join(text.casefold().split()) if text else None


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

    @property
    def key(self) -> str | None:
        return fold(self.label)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.label, "mention": self.text, "start": self.start, "end": self.end}
