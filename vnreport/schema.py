"""Label schema (SPEC.md §1) and the span/document types every module shares."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1

ENTITY_LABELS: tuple[str, ...] = ("PER", "TITLE", "ORG", "LOC", "IND", "VALUE", "RATE", "DATE")
DIRECTIVE_LABELS: tuple[str, ...] = ("DIR",)
LAYERS: dict[str, tuple[str, ...]] = {"entities": ENTITY_LABELS, "directives": DIRECTIVE_LABELS}


def bio_labels(labels: tuple[str, ...] | list[str]) -> list[str]:
    """IOB2 tag set for a layer, `O` first so that id 0 means outside."""
    return ["O"] + [f"{p}-{lab}" for lab in labels for p in ("B", "I")]


@dataclass(frozen=True)
class Span:
    """A labeled character span; `end` is exclusive and indexes the caller's text."""

    start: int
    end: int
    label: str
    text: str = ""
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"start": self.start, "end": self.end, "label": self.label, "text": self.text}
        if self.score is not None:
            d["score"] = round(float(self.score), 4)
        return d


@dataclass
class Document:
    """One text with its spans per layer and, once built, its structured records."""

    text: str
    entities: list[Span] = field(default_factory=list)
    directives: list[Span] = field(default_factory=list)
    id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    _records: tuple[Any, Any] | None = field(default=None, init=False, repr=False, compare=False)

    def layer(self, name: str) -> list[Span]:
        return getattr(self, name)

    @property
    def records(self):
        """Officials, indicators and directive records (SPEC.md §3), rebuilt only when the spans change."""
        from vnreport.records import build_records

        key = (self.text, tuple(self.entities), tuple(self.directives))
        if self._records is None or self._records[0] != key:
            self._records = (key, build_records(self))
        return self._records[1]

    @property
    def officials(self) -> list:
        return self.records.officials

    @property
    def indicators(self) -> list:
        return self.records.indicators

    @property
    def directive_records(self) -> list:
        return self.records.directives

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {}
        if self.id is not None:
            d["id"] = self.id
        d["text"] = self.text
        d["entities"] = [s.to_dict() for s in self.entities]
        d["directives"] = [s.to_dict() for s in self.directives]
        d.update(self.records.to_dict())
        if self.meta:
            d["meta"] = self.meta
        return d
