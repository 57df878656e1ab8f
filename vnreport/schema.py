"""Label schema (SPEC.md §1) and the span type every module shares.

This module imports nothing of vnreport, so every layer (records included) may import it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

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


class SpanSource(Protocol):
    """What the records layer reads: a text and its two span layers (a `Document` is one)."""

    text: str
    entities: list[Span]
    directives: list[Span]
